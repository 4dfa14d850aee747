"""Bad input never crashes, leaks or loses anything (issue: hostile-input suite).

Every file in tests/bad_inputs/ goes through `validate` (its expected problems are in
expected.yaml, checked by test_cli.py) and through `build`: exit 0 or 1, no traceback, and
a failed build leaves an earlier report byte-identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from upr_summary import limits
from upr_summary.cli import cli
from upr_summary.config import Config
from upr_summary.load import load

from .conftest import BAD, BAD_MANIFEST, SAMPLE, case_args

MANIFEST = BAD_MANIFEST
FILES = sorted(MANIFEST)


def test_manifest_lists_every_file():
    listed = []
    for manifest in BAD.glob("**/expected.yaml"):
        folder = manifest.parent
        prefix = "" if folder == BAD else f"{folder.relative_to(BAD).as_posix()}/"
        listed += [prefix + p.name for p in folder.iterdir()
                   if p.name != "expected.yaml" and not (p / "expected.yaml").exists()]
    assert sorted(listed) == FILES
    assert all(case["what"] for case in MANIFEST.values())


@pytest.fixture(scope="module")
def previous_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("previous")
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["build", str(SAMPLE), "-o", str(out), "-q"])
    assert result.exit_code == 0
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


#: What one bad input may cost, validate and build together (issue: fail closed).
CASE_MEMORY = 500 * 1024 * 1024
CASE_CPU_SECONDS = 10


@pytest.fixture(scope="module")
def limited():
    """A driver that runs each case in a forked child with a memory and CPU limit."""
    import os
    import sys

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("limited.py"))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def run(*commands: list[str], python: str | None = None, cpu: int = CASE_CPU_SECONDS) -> dict:
        job: dict = {"commands": [list(c) for c in commands], "memory": CASE_MEMORY, "cpu": cpu,
                     "page_layout": False}
        if python is not None:
            job["python"] = python
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield run
    proc.stdin.close()
    proc.wait(timeout=60)


@pytest.mark.parametrize("name", FILES)
def test_bad_input_within_limits(limited, name, previous_report, tmp_path):
    """validate and build on every case: the expected exit codes, no traceback, within
    10 s of CPU and 500 MB, and a failed build leaves the earlier report byte-identical."""
    case = MANIFEST[name]
    out = tmp_path / "out"
    shutil.copytree(previous_report, out)
    before = _snapshot(out)
    outcome = limited(
        ["validate", "--json", "--no-cache", *case_args(name), str(BAD / name)],
        ["build", "--no-cache", *case_args(name), *case_args(name, "build_args"), str(BAD / name),
         "-o", str(out), "--format", "docx,md"])
    assert outcome["signal"] is None and outcome["results"], outcome  # SIGXCPU: over the CPU limit
    print(f"{name}: {outcome['cpu']:.2f} s CPU, peak RSS {outcome['max_rss'] / 2**20:.0f} MB")
    validated, built = outcome["results"]
    for result in (validated, built):
        assert result["exception"] is None, result  # MemoryError: over the memory limit
        assert "Traceback" not in result["stdout"] + result["stderr"]
    assert validated["exit"] == case["exit"], validated
    expected = case.get("build_exit", case["exit"])
    assert built["exit"] == expected, built
    if expected in (1, 2):
        assert _snapshot(out) == before  # nothing written, the earlier report intact
        if expected == 1:
            assert str(BAD / name) in built["stderr"]
    else:
        assert _snapshot(out) != before
        md = (out / "executive-summary.md").read_text(encoding="utf-8")
        assert "Traceback" not in md


def test_limits_catch_a_runaway(limited):
    """The harness itself: work over the memory or the CPU limit is seen, not passed."""
    memory = limited(python="bytearray(600 * 1024 * 1024)")
    assert "MemoryError" in memory["results"][0]["exception"]
    cpu = limited(python="while True: pass", cpu=1)
    assert cpu["signal"] in ("SIGXCPU", "SIGKILL") and not cpu["results"]
    fine = limited(python="bytearray(100 * 1024 * 1024)")
    assert fine["signal"] is None and fine["results"] == []


def _docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("name", ["jinja.csv", "injection.csv", "formula.csv", "unicode.csv"])
def test_hostile_text_is_rendered_safely(runner, name, tmp_path):
    result = runner.invoke(cli, ["build", str(BAD / name), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "executive-summary.md").read_text(encoding="utf-8")
    xml = _docx_xml(tmp_path / "executive-summary.docx")
    assert "<w:hyperlink" not in xml and xml.count("<w:instrText") == 1  # only the TOC field
    assert "<w:t>injected</w:t>" not in xml and "{=openxml}" not in md.replace("\\{=openxml\\}", "")
    if name == "jinja.csv":
        assert "49" not in md.split("## Annex")[0].split("About this summary")[1].replace("[^", "")
        assert "\\{\\{ 7\\*7 \\}\\}" in md
    if name == "unicode.csv":
        assert "\U0001F3E0" in md and "\u0645\u0631\u0643\u0632" in xml
    if shutil.which("pandoc"):
        ast = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=md,
                             capture_output=True, text=True, check=True).stdout
        for kind in ("RawBlock", "RawInline", "Link", "Math", "Cite", "CodeBlock", "Code"):
            assert f'"t":"{kind}"' not in ast, kind


def test_exports_neutralise_formulas(runner, tmp_path):
    path = str(BAD / "formula.csv")
    classified = tmp_path / "c.csv"
    assert runner.invoke(cli, ["classify", path, "-o", str(classified), "--all",
                               "--mode", "keywords"]).exit_code == 0
    stats = runner.invoke(cli, ["stats", path, "--format", "csv", "-q"])
    import csv
    import io

    for text in (classified.read_text(encoding="utf-8-sig"), stats.stdout):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
    # ...and the guard comes off when the file is read back.
    back = load([classified], Config())
    assert [f.text for f in back.findings] == [f.text for f in load([path], Config()).findings]


def test_ten_megabyte_cell_is_refused(write):
    path = write("big.csv", "submission,organization,issue_area,finding\nA,Org A,Housing," +
                 "x" * 10_000_000 + "\nB,Org B,Housing,Fine.\n")
    data = load([path], Config())
    assert [(p.code, p.location.row, p.location.field) for p in data.errors] == [
        ("cell-too-large", 2, "finding")]
    assert [f.submission for f in data.findings] == ["B"]


def test_hundred_thousand_issue_areas_in_one_cell_are_refused(write):
    areas = ";".join(f"Area {i}" for i in range(100_000))
    path = write("many.csv", f'submission,organization,issue_area,finding\nA,Org A,"{areas[:32000]}",x\n'
                 f'B,Org B,"{";".join(["Housing"] * 300)}",y\n')
    data = load([path], Config())
    assert [(p.code, p.location.row) for p in data.errors] == [("too-many-values", 2), ("too-many-values", 3)]
    huge = write("huge.csv", f'submission,organization,issue_area,finding\nA,Org A,"{areas}",x\n')
    assert [p.code for p in load([huge], Config()).errors] == ["cell-too-large"]


def test_file_and_folder_limits(write, tmp_path, monkeypatch):
    path = write("a.csv", "submission,organization,finding\nA,Org A,x\n")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    import upr_summary.load as loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 10)
    data = load([path], Config())
    assert [p.code for p in data.errors] == ["file-too-large"]
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 10**9)
    monkeypatch.setattr(loader, "MAX_FILES", 2)
    for i in range(3):
        write(f"many/{i}.csv", "submission,organization,finding\nA,Org A,x\n")
    data = load([tmp_path / "many"], Config())
    assert [p.code for p in data.errors] == ["too-many-files"]


def test_paths_with_dot_dot_and_symlink_loops(runner, tmp_path):
    folder = tmp_path / "subs"
    (folder / "inner").mkdir(parents=True)
    shutil.copy(BAD / "untagged.csv", folder / "inner" / "a.csv")
    (folder / "inner" / "loop").symlink_to(folder)
    (folder / "inner" / "..weird.csv").write_text("not read: hidden by its leading dot")
    dotted = str(folder / "inner" / ".." / "inner")
    result = runner.invoke(cli, ["validate", "--json", dotted])
    assert result.exit_code == 0
    codes = [p["code"] for p in json.loads(result.stdout)]
    assert codes.count("untagged") == 1 and "symlink-loop" in codes
    out = runner.invoke(cli, ["build", dotted, "-o", str(tmp_path / "o"), "-q"])
    assert out.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "compilation.docx", "compilation.md", "executive-summary.docx", "executive-summary.md"]


def test_output_names_cannot_escape_the_output_folder(runner, tmp_path):
    config = tmp_path / "upr-summary.yaml"
    config.write_text("output:\n  docx: ../../escaped.docx\n")
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "--config",
                                 str(config)])
    assert result.exit_code == 2 and "must be a file name" in result.stderr
    assert not (tmp_path / "o").exists() and not (tmp_path.parent / "escaped.docx").exists()
