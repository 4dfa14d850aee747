"""The project cache: a rebuild does again only what changed, gives the same bytes as a
build without the cache, ignores a damaged or stale cache, and keeps private data as the
input is kept."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from upr_summary import Project, concerns
from upr_summary.cache import FOLDER_NAME, TAG_NAME, TAG_TEXT, Cache, is_cache_folder
from upr_summary.cli import cli

from .conftest import without_libreoffice

CONFIG = "title: Test review\nstate: Republic of Arvenia\nnetwork: Test network\n"
HEADER = "submission,organization,issue_area,finding,contact_email,confidential\n"


def _project(tmp_path: Path, files: int = 4) -> Path:
    root = tmp_path / "review"
    (root / "submissions").mkdir(parents=True)
    (root / "upr-summary.yaml").write_text(CONFIG, encoding="utf-8")
    topics = [("Migrants", "Asylum seekers wait {n} months for a first decision in {p}."),
              ("Housing", "Evictions in {p} left {n} families without shelter last winter."),
              ("Children", "{n} children in {p} are not registered at birth."),
              ("Education", "Schools in {p} lack {n} teachers for pupils with disabilities.")]
    places = ["Port Alder", "Lindemark", "Vesna", "Korrin", "Saltmere", "Ortheim"]
    for i in range(files):
        rows = [HEADER]
        for j, (area, text) in enumerate(topics):
            rows.append(f"S{i},Member {i},{area},\"{text.format(n=10 + i + j, p=places[(i + j) % 6])}\","
                        f"contact{i}@member{i}.example,{'yes' if i == 0 else 'no'}\n")
        (root / "submissions" / f"member{i}.csv").write_text("".join(rows), encoding="utf-8")
    return root


def _entry(path: Path) -> tuple[dict[str, Any], Any]:
    """An entry's head (version, schema, key, seal) and its value."""
    line, _, body = path.read_bytes().partition(b"\n")
    return json.loads(line), json.loads(body)


def _forge(path: Path, head: dict[str, Any], value: Any) -> None:
    """Write an entry as a forger would: the seal recomputed, without the user's key."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = {**head, "seal": hashlib.sha256(body).hexdigest()}
    path.write_bytes(json.dumps(head).encode("utf-8") + b"\n" + body)


def _build(root: Path, out: str, cache: object = None, formats: str = "docx,md,json,compilation"
           ) -> tuple[Project, dict[str, bytes]]:
    project = Project([root / "submissions"], cache=cache)
    result = project.build(root / out, formats)
    return project, {Path(p).name: Path(p).read_bytes() for p in result.written}


def test_a_rebuild_reads_again_only_the_file_that_changed_and_writes_the_same_bytes(tmp_path):
    root = _project(tmp_path)
    first, cold = _build(root, "out1")
    assert first.cache.folder == root / FOLDER_NAME
    assert (first.cache.hits["records"], first.cache.misses["records"]) == (0, 4)
    from upr_summary import codebook

    codebook._PARSED.clear()  # as in a new run: the codebook comes from the cache
    again, warm = _build(root, "out2")
    assert (again.cache.hits["records"], again.cache.misses["records"]) == (4, 0)
    assert again.cache.hits["codebook"] == 1 and again.cache.misses["codebook"] == 0
    assert warm == cold
    # One member corrects a finding: only that file is read again.
    path = root / "submissions" / "member2.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Vesna", "Vesna and Korrin"),
                    encoding="utf-8")
    changed, after = _build(root, "out3")
    assert (changed.cache.hits["records"], changed.cache.misses["records"]) == (3, 1)
    _, fresh = _build(root, "out4", cache=False)
    assert after == fresh  # the same report as a build without any cache, byte for byte
    assert b"Vesna and Korrin" in after["executive-summary.md"] + after["compilation.md"]
    # The old entry of the changed file is gone: nothing outlives the data it came from.
    assert len(list((root / FOLDER_NAME / "records").iterdir())) == 4


@pytest.mark.skipif(concerns.tokenizer_key() is None, reason="wordllama is not installed")
def test_a_rebuild_embeds_again_only_the_words_of_the_file_that_changed(tmp_path):
    root = _project(tmp_path)
    first, cold = _build(root, "out1", formats="md")
    assert first.word_tokens.tokenized  # a cold build embeds every word
    again, warm = _build(root, "out2", formats="md")
    assert again.word_tokens.tokenized == [] and again.cache.hits["words"] == 1
    assert warm == cold
    path = root / "submissions" / "member2.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Vesna", "Vesna and Quillmoor"),
                    encoding="utf-8")
    changed, after = _build(root, "out3", formats="md")
    tokenized = changed.word_tokens.tokenized
    assert "Quillmoor" in " ".join(tokenized)
    others = "".join((root / "submissions" / f"member{i}.csv").read_text(encoding="utf-8")
                     for i in (0, 1, 3))
    mine = path.read_text(encoding="utf-8").split()
    for word in tokenized:  # only words of the changed file, none the others already had
        assert any(word in w for w in mine) and word not in others.split(), word
    assert len(tokenized) < len(first.word_tokens.tokenized)
    _, fresh = _build(root, "out4", cache=False, formats="md")
    assert after == fresh
    # The cache keeps the words this build used, and no other.
    entry = changed.word_tokens.entry()
    assert "Quillmoor." in entry and set(entry) == changed.word_tokens.used
    path.write_text(path.read_text(encoding="utf-8").replace(" and Quillmoor", ""),
                    encoding="utf-8")
    last, _ = _build(root, "out5", formats="md")
    # ("Vesna." went from the cache with the text that had it, and comes back with it.)
    mine = path.read_text(encoding="utf-8").split()
    assert all(any(word in w for w in mine) for word in last.word_tokens.tokenized)
    assert "Quillmoor." not in last.word_tokens.entry()
    stored = next((root / FOLDER_NAME / "words").iterdir()).read_text(encoding="utf-8")
    assert "Quillmoor" not in stored


def test_a_file_removed_leaves_nothing_in_the_cache(tmp_path):
    root = _project(tmp_path)
    _build(root, "out1", formats="md")
    (root / "submissions" / "member3.csv").unlink()
    project, _ = _build(root, "out2", formats="md")
    assert project.cache.hits["records"] == 3
    assert len(list((root / FOLDER_NAME / "records").iterdir())) == 3


@pytest.mark.parametrize("damage", ["truncated", "other-version", "edited", "not-json",
                                    "a-folder", "empty", "planted-link"])
def test_a_damaged_or_stale_cache_is_ignored_and_the_report_is_right(tmp_path, damage):
    root = _project(tmp_path)
    _, fresh = _build(root, "out0", cache=False, formats="md,json")
    _build(root, "out1", formats="md,json")
    entries = sorted((root / FOLDER_NAME / "records").iterdir())
    words = root / FOLDER_NAME / "words"
    entries += sorted(words.iterdir()) if words.is_dir() else []  # the embedding's words
    outside = tmp_path / "secret.json"
    outside.write_text("{}", encoding="utf-8")
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "other-version":
            entry.write_bytes(data.replace(b'"upr-summary":"', b'"upr-summary":"0.0.0-'))
        elif damage == "edited":  # a finding changed by hand, the checksum left as it was
            edited = data.replace(b"Asylum seekers", b"Nobody").replace(b'"Asylum":[',
                                                                        b'"Asylum":[7,')
            assert edited != data
            entry.write_bytes(edited)
        elif damage == "not-json":
            entry.write_bytes(b"\x80\x81 not a cache entry")
        elif damage == "a-folder":
            entry.unlink()
            entry.mkdir()
        elif damage == "empty":
            entry.write_bytes(b"")
        else:
            entry.unlink()
            entry.symlink_to(outside)
    project, again = _build(root, "out2", formats="md,json")
    assert again == fresh
    assert project.cache.misses["records"] == 4 and project.cache.hits["records"] == 0
    if words.is_dir():
        assert project.cache.hits["words"] == 0 and project.word_tokens.tokenized
    if damage == "edited":
        assert b"Nobody" not in again["executive-summary.md"]


def test_an_entry_edited_with_its_checksum_recomputed_is_not_trusted(tmp_path):
    """The key holds the file's SHA-256 (an entry cannot stand for other bytes), and the
    seal is keyed by this user's own secret: a confidential flag turned to "no" in the
    cache, with a SHA-256 recomputed, or an embedding word given other tokens, is not
    trusted (hostile trial: it had published a confidential name)."""

    root = _project(tmp_path, files=2)
    _, fresh = _build(root, "out0", cache=False, formats="md,json")
    _build(root, "out1", formats="md,json")
    forged = 0
    for entry in sorted((root / FOLDER_NAME).glob("*/*.json")):
        if entry.parent.name not in ("records", "words"):
            continue  # (compiled templates: see the test of a planted one)
        head, value = _entry(entry)
        assert len(head["key"]) == 64 and head["schema"] == 3
        if isinstance(value, dict) and "records" in value:
            assert set(value) == {"records", "problems"}
            for record in value["records"]:
                if record.get("confidential") is True:
                    record["confidential"] = False
                    forged += 1
        elif isinstance(value, dict):  # the words' tokens: every word the same token
            value = {word: [5] for word in value}
            forged += 1
        _forge(entry, head, value)
    assert forged >= 1
    project, again = _build(root, "out2", formats="md,json")
    assert again == fresh and project.cache.broken >= forged
    assert project.cache.hits["records"] == 0


def test_an_older_entry_put_in_place_of_the_new_one_is_not_trusted(tmp_path):
    """Hostile trial: a member turned to confidential, and the sealed entry of the file as
    it was put back in the cache under the new file's key, published the name. The seal
    covers the key (and the schema and the code) as well as the value."""
    root = _project(tmp_path, files=2)
    member = root / "submissions" / "member1.csv"
    _build(root, "out1", formats="md")
    records = root / FOLDER_NAME / "records"
    (old,) = [p.read_bytes() for p in records.glob("*.json")
              if "Member 1" in p.read_text(encoding="utf-8")]
    member.write_text(member.read_text(encoding="utf-8").replace(",no\n", ",yes\n"),
                      encoding="utf-8")
    _, fresh = _build(root, "out2", formats="md")
    assert b"Member 1" not in fresh["executive-summary.md"]
    (entry,) = [p for p in records.glob("*.json") if "Member 1" in p.read_text(encoding="utf-8")]
    line, _, body = old.partition(b"\n")
    head = {**json.loads(line), "key": _entry(entry)[0]["key"]}  # (its seal kept)
    entry.write_bytes(json.dumps(head).encode("utf-8") + b"\n" + body)
    project, again = _build(root, "out3", formats="md")
    assert again == fresh and project.cache.broken == 1


def test_a_planted_entry_is_refused_before_its_value_is_parsed(tmp_path, monkeypatch):
    """Second hostile trial: 64 MiB of "[{},{},...]" in place of an entry took 1.7 GB to
    parse before its seal was found wrong. The seal is checked on the bytes first."""
    from upr_summary import cache

    root = _project(tmp_path, files=2)
    _, fresh = _build(root, "out1", formats="md")
    for entry in (root / FOLDER_NAME / "records").glob("*.json"):
        head, _ = _entry(entry)
        entry.write_bytes(json.dumps(head).encode("utf-8") + b"\n[" + b"{}," * 500_000
                          + b"{}]")
    parsed = []
    loads = cache.json.loads
    monkeypatch.setattr(cache.json, "loads", lambda text, *a, **k: (
        parsed.append(len(text)), loads(text, *a, **k))[1])
    project, again = _build(root, "out2", formats="md")
    assert again == fresh and project.cache.broken == 2
    assert max(parsed) < 1_000_000


def test_entries_made_by_other_code_are_stale(tmp_path, monkeypatch):
    """An update, or a fix pulled into a copy of the source with the same version number:
    the entries hold the identity of the code that made them."""
    from upr_summary import cache

    root = _project(tmp_path, files=2)
    _, fresh = _build(root, "out1", formats="md")
    monkeypatch.setattr(cache, "code_identity", lambda: "0.1.0+other-code")
    project, again = _build(root, "out2", formats="md")
    assert again == fresh
    assert project.cache.hits["records"] == 0 and project.cache.misses["records"] == 2


def _built_by_a_process(tmp_path: Path) -> tuple[Path, Any]:
    """A project built once by the command, as its own process; and a function that builds
    it again so."""
    import subprocess
    import sys

    root = _project(tmp_path, files=2)
    env = without_libreoffice({**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    command = [sys.executable, "-m", "upr_summary", "build", str(root / "submissions"), "-o",
               str(root / "out"), "--format", "md"]

    def run() -> Any:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    run()
    return root, run


def test_a_rebuild_in_a_new_process_trusts_what_the_last_one_kept(tmp_path):
    """Each run is its own process: the seal's key is kept between them (made on first use
    in $XDG_CACHE_HOME), so the second run reuses what the first kept."""
    root, run = _built_by_a_process(tmp_path)
    key = tmp_path / "xdg" / "upr-summary" / "cache.key"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    again = run()
    assert "reused from the cache" in again.stderr and "the rows of 2 of 2 files" in again.stderr
    assert "the embedding's tokens" in again.stderr or concerns.tokenizer_key() is None
    assert "the compiled templates" in again.stderr


def test_a_compiled_template_planted_in_the_cache_is_never_run(tmp_path):
    """Compiled templates are code: one written into the cache by anyone but this user
    (the seal recomputed without the user's key) is neither loaded nor run."""
    import marshal
    import pickle

    import jinja2.bccache

    root, run = _built_by_a_process(tmp_path)
    report = (root / "out" / "executive-summary.md").read_bytes()
    planted = tmp_path / "planted"
    compiled = sorted((root / FOLDER_NAME / "templates").glob("*.bin"))
    assert compiled
    for entry in compiled:
        data = entry.read_bytes()
        magic = jinja2.bccache.bc_magic
        assert data.startswith(magic)
        checksum = pickle.loads(data[len(magic):])
        code = compile(f"open({str(planted)!r}, 'w').write('ran')", "<planted>", "exec")
        forged = magic + pickle.dumps(checksum, 2) + marshal.dumps(code)
        entry.write_bytes(forged)
        meta = entry.with_suffix(".json")
        head, value = _entry(meta)
        _forge(meta, head, {**value, "sha256": hashlib.sha256(forged).hexdigest()})
    again = run()
    assert not planted.exists() and "the compiled templates" not in again.stderr
    assert (root / "out" / "executive-summary.md").read_bytes() == report


def test_links_and_pipes_in_the_cache_are_never_followed_nor_swept(tmp_path, runner):
    """Hostile trial: a link in place of a kind's folder had its target's files deleted by
    the sweep; a named pipe in place of an entry hung the build."""
    root = _project(tmp_path, files=2)
    _build(root, "out1", formats="md")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.csv").write_text("the coordinator's own file", encoding="utf-8")
    words = root / FOLDER_NAME / "records"
    for entry in words.iterdir():
        entry.unlink()
    words.rmdir()
    words.symlink_to(victim, target_is_directory=True)
    result = runner.invoke(cli, ["build", str(root / "submissions"), "-o", str(root / "out2"),
                                 "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in victim.iterdir()) == ["precious.csv"]  # untouched
    assert "could not be used" in result.stderr
    words.unlink()
    _build(root, "out3", formats="md")
    if hasattr(os, "mkfifo"):
        entry = sorted((root / FOLDER_NAME / "records").iterdir())[0]
        entry.unlink()
        os.mkfifo(entry)
        project, out = _build(root, "out4", formats="md")  # (it hung here)
        assert out and project.cache.misses["records"] >= 1


def test_a_tagged_folder_among_the_submissions_is_said_not_silently_dropped(tmp_path):
    root = _project(tmp_path, files=2)
    planted = root / "submissions" / "more"
    planted.mkdir()
    (planted / "member9.csv").write_text(HEADER + "S9,Member 9,Housing,Rents rose.,,no\n",
                                         encoding="utf-8")
    (planted / TAG_NAME).write_text(TAG_TEXT, encoding="utf-8")
    project = Project([root / "submissions"], cache=False)
    problems = project.load().problems
    assert [p.code for p in problems if p.code == "working-file-skipped"] == [
        "working-file-skipped"]


def test_the_cache_is_private_tagged_and_never_read_as_input(tmp_path, runner):
    root = _project(tmp_path, files=2)
    inside = root / "submissions" / "kept"  # a cache put among the submissions
    result = runner.invoke(cli, ["build", str(root / "submissions"), "-o", str(root / "out"),
                                 "--format", "json", "-q", "--cache", str(inside)])
    assert result.exit_code == 0, result.output
    assert is_cache_folder(inside)
    assert stat.S_IMODE(inside.stat().st_mode) == 0o700
    for path in inside.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert (inside / TAG_NAME).read_text().startswith("Signature: 8a477f597d28d172789f0688680")
    # Read again with the cache among the submissions: the same findings, nothing more.
    data = json.loads((root / "out" / "executive-summary.json").read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["validate", str(root / "submissions"), "--json", "--cache",
                                 str(inside)])
    assert result.exit_code == 0, result.output
    assert all("kept" not in p["file"] for p in json.loads(result.stdout))
    checked = Project([root / "submissions"], cache=False).load()
    assert len(checked.findings) == 8 and data


def test_the_cache_is_never_in_the_output_folder(tmp_path, runner):
    root = _project(tmp_path, files=1)
    for out, cache in (("out", "out"), ("out", "out/cache"), ("out/inner", "out")):
        result = runner.invoke(cli, ["build", str(root / "submissions"), "-o", str(root / out),
                                     "--format", "md", "-q", "--cache", str(root / cache)])
        assert result.exit_code == 2, result.output
        assert "overlap" in result.output
        assert not (root / cache / TAG_NAME).exists()


def test_no_cache_and_the_project_files_setting(tmp_path, runner):
    root = _project(tmp_path, files=1)
    result = runner.invoke(cli, ["build", str(root / "submissions"), "-o", str(root / "out"),
                                 "--format", "md", "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (root / FOLDER_NAME).exists()
    (root / "upr-summary.yaml").write_text(CONFIG + "cache: false\n", encoding="utf-8")
    assert not Project([root / "submissions"]).cache
    (root / "upr-summary.yaml").write_text(CONFIG + "cache: ../elsewhere\n", encoding="utf-8")
    assert Project([root / "submissions"]).cache.folder == root / ".." / "elsewhere"
    # The command line wins over the project file.
    assert Project([root / "submissions"], cache=tmp_path / "c").cache.folder == tmp_path / "c"
    assert not Project([root / "submissions"], cache=False).cache


def test_without_a_project_file_there_is_no_cache_unless_one_is_named(tmp_path):
    (tmp_path / "s.csv").write_text(HEADER + "A,Org,Housing,Evictions rose.,,no\n",
                                    encoding="utf-8")
    assert not Project([tmp_path / "s.csv"]).cache
    assert Project([tmp_path / "s.csv"], cache=tmp_path / "c").cache


def test_a_cache_that_cannot_be_written_never_stops_the_build(tmp_path):
    root = _project(tmp_path, files=2)
    (root / FOLDER_NAME).write_text("a file where the folder would be", encoding="utf-8")
    project, out = _build(root, "out", formats="md")
    assert out and project.cache.failed
    (root / FOLDER_NAME).unlink()
    other = root / FOLDER_NAME
    other.mkdir()
    (other / "notes.txt").write_text("the coordinator's own folder", encoding="utf-8")
    project, out = _build(root, "out2", formats="md")
    assert out and project.cache.failed and "not a cache folder" in project.cache.failed
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]  # nothing of ours added


def test_the_build_says_what_it_reused_and_when_the_cache_cannot_be_used(tmp_path, runner):
    root = _project(tmp_path, files=2)
    args = ["build", str(root / "submissions"), "-o", str(root / "out"), "--format", "md"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0 and "reused from the cache" not in first.stderr
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "reused from the cache" in again.stderr and "the rows of 2 of 2 files" in again.stderr
    assert "reused" not in runner.invoke(cli, [*args, "-q"]).stderr  # quiet is quiet
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not a cache", encoding="utf-8")
    for extra in ([], ["-q"]):  # said even with -q: every rebuild would do all the work
        result = runner.invoke(cli, [*args, "--cache", str(other), *extra])
        assert result.exit_code == 0, result.output
        assert "Warning: the cache folder" in result.stderr and "could not be used" in \
            result.stderr


def test_a_folder_of_ours_deleted_mid_run_is_no_error(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put("records", "k", {"a": 1})
    assert cache.get("records", "k") == {"a": 1}
    import shutil

    shutil.rmtree(tmp_path / "c")
    assert cache.get("records", "k") is None
    cache.put("records", "k", {"a": 2})  # the folder is made again, or the failure noted
    cache.sweep()


@pytest.mark.skipif(os.name != "posix", reason="links")
def test_a_cache_folder_that_is_a_link_is_not_written_through(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (tmp_path / "c").symlink_to(target)
    cache = Cache(tmp_path / "c")
    cache.put("records", "k", {"a": 1})
    assert cache.failed and list(target.iterdir()) == []


def test_a_codebook_already_parsed_in_this_process_is_still_stored(tmp_path):
    """A long-lived process (the API, a test run) holds the codebook in memory: the
    project's cache still gets it, and the sweep keeps it, for the next run."""
    from upr_summary import codebook

    codebook.load_codebook("ohchr")  # parsed in this process before the build
    root = _project(tmp_path)
    _build(root, "out1")
    assert len(list((root / FOLDER_NAME / "codebook").iterdir())) == 1
    codebook._PARSED.clear()
    again, _ = _build(root, "out2")
    assert (again.cache.hits["codebook"], again.cache.misses["codebook"]) == (1, 0)
