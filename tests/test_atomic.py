"""The write phase of `build` is all or nothing (issue 10).

A real process is killed (SIGKILL) at every file-system step of the write phase: right
after the kill the output folder holds the complete old report or the complete new one
(or, in the middle of the renames, a set that the commit marker lets the next build
finish), and once the next build starts it holds exactly one complete set and no
temporary file of ours. The steps are counted by a subprocess script that wraps the ``os``
module seen by ``upr_summary.fileio``: the fault injection lives here, not in the tool.

Also: a full disk, a read-only disk and a folder or a link where a report file goes leave
the old report as it was, with a clear message.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from upr_summary import fileio
from upr_summary.cli import cli
from upr_summary.fileio import STAGING, recover

from .conftest import without_libreoffice

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

NAMES = ["executive-summary.docx", "executive-summary.png", "executive-summary.md",
         "compilation.docx", "compilation.md"]

# Runs `build`, `replace_together` or `recover` with every file-system call of
# upr_summary.fileio counted; the process kills itself just before call number KILL_AT.
# The calls made ([call, file name], the destination for a rename) are written to OPS_LOG
# when the process ends normally.
SCRIPT = r"""
import json, os, signal, sys
from upr_summary import fileio

kill_at = int(os.environ["KILL_AT"])
ops = []
STEPS = {"makedirs", "mkdir", "open", "write", "fsync", "replace", "rename", "unlink",
         "remove", "rmdir"}


class Faulty:
    def __getattr__(self, name):
        real = getattr(os, name)
        if name not in STEPS:
            return real

        def step(*args, **kwargs):
            target = args[-1] if name in ("replace", "rename") else args[0]
            target = None if isinstance(target, int) else target
            ops.append([name, None if target is None else os.path.basename(os.fspath(target))])
            if len(ops) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return step


fileio.os = Faulty()
try:
    mode = sys.argv[1]
    if mode == "build":
        from upr_summary.cli import main

        sys.argv = ["upr-summary", "build", *sys.argv[2:]]
        main()
    elif mode == "publish":
        source, out, names = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
        files = {}
        for name in names:
            with open(os.path.join(source, name), "rb") as handle:
                files[name] = handle.read()
        fileio.replace_together(out, files)
    else:
        fileio.recover(sys.argv[2], json.loads(sys.argv[3]))
finally:
    with open(os.environ["OPS_LOG"], "w") as handle:
        json.dump(ops, handle)
"""

OLD_CSV = ("submission,organization,issue_area,finding\n"
           "A,Org A,Housing,Rents rose sharply in the capital.\n"
           "B,Org B,Water,Water cuts hit poor areas.\n")
NEW_CSV = ("submission,organization,issue_area,finding\n"
           "A,Org A,Housing,Evictions doubled since 2020.\n"
           "C,Org C,Health,Clinics closed in rural areas.\n"
           "D,Org D,Health,Clinics closed in rural areas.\n")


def _run(mode: str, args: list[str], kill_at: int, tmp: Path) -> tuple[subprocess.CompletedProcess, list]:
    log = tmp / f"ops-{mode}-{kill_at}.json"
    env = without_libreoffice({**os.environ, "KILL_AT": str(kill_at), "OPS_LOG": str(log)})
    result = subprocess.run([sys.executable, "-c", SCRIPT, mode, *args], env=env, cwd=tmp,
                            capture_output=True, text=True, timeout=120)
    ops = json.loads(log.read_text()) if log.exists() else []
    return result, ops


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Two inputs and their reference reports, built once (in-process, the same code)."""
    from click.testing import CliRunner

    base = tmp_path_factory.mktemp("atomic")
    (base / "upr-summary.yaml").write_text("title: Fault test\n", encoding="utf-8")
    refs = {}
    for which, text in (("old", OLD_CSV), ("new", NEW_CSV)):
        data = base / f"{which}.csv"
        data.write_text(text, encoding="utf-8")
        out = base / f"ref-{which}"
        # (as the processes run: no LibreOffice, see conftest.py)
        result = CliRunner().invoke(cli, ["build", str(data), "--config",
                                          str(base / "upr-summary.yaml"), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
        refs[which] = {name: (out / name).read_bytes() for name in NAMES}
    assert all(refs["old"][n] != refs["new"][n] for n in NAMES)  # each file changes
    return base, refs


def _fresh_old(project, tmp_path: Path) -> Path:
    base, refs = project
    out = tmp_path / "out"
    out.mkdir()
    for name, data in refs["old"].items():
        (out / name).write_bytes(data)
    (out / "notes.txt").write_text("the coordinator's own file")  # never touched
    return out


def _state(project, out: Path) -> str:
    """'old' or 'new' when the folder holds exactly one complete set, else 'mixed'."""
    _, refs = project
    files = {n: (out / n).read_bytes() if (out / n).is_file() else None for n in NAMES}
    for which in ("old", "new"):
        if files == refs[which]:
            return which
    return "mixed"


def _assert_clean(project, out: Path) -> None:
    """Exactly one complete set, the coordinator's file, and nothing of ours besides."""
    assert _state(project, out) in ("old", "new")
    assert sorted(os.listdir(out)) == sorted([*NAMES, "notes.txt"])
    assert (out / "notes.txt").read_text() == "the coordinator's own file"


def _check_after_kill(project, out: Path) -> str:
    state = _state(project, out)
    if state == "mixed":  # only while renaming, and then the commit marker is there
        assert (out / STAGING / fileio._MARKER).is_file()
    return state


def test_killed_at_every_step_of_the_write_phase(project, tmp_path):
    base, refs = project
    source = tmp_path / "new-files"
    source.mkdir()
    for name, data in refs["new"].items():
        (source / name).write_bytes(data)
    count = tmp_path / "count"
    count.mkdir()
    out = _fresh_old(project, count)
    result, ops = _run("publish", [str(source), str(out), json.dumps(NAMES)], 0, tmp_path)
    assert result.returncode == 0, result.stderr
    _assert_clean(project, out)
    assert _state(project, out) == "new"
    steps = [op for op, _ in ops]
    assert steps.count("replace") == len(NAMES) + 1 and "fsync" in steps and "rmdir" in steps
    seen = set()
    for kill_at in range(1, len(ops) + 1):
        run = tmp_path / f"k{kill_at}"
        run.mkdir()
        out = _fresh_old(project, run)
        result, _ = _run("publish", [str(source), str(out), json.dumps(NAMES)], kill_at, run)
        assert result.returncode == -signal.SIGKILL, (kill_at, ops[kill_at - 1], result.stderr)
        seen.add(_check_after_kill(project, out))
        done = recover(out, NAMES)  # what the next build does first
        assert done in (None, "rolled forward", "rolled back"), done
        _assert_clean(project, out)
        # Killed before the commit marker: the old report; after it: the new one.
        marker_step = next(i for i, (op, name) in enumerate(ops, 1)
                           if op == "replace" and name == fileio._MARKER)
        assert _state(project, out) == ("old" if kill_at <= marker_step else "new"), kill_at
    assert seen == {"old", "new", "mixed"}


def test_the_next_build_killed_while_finishing_the_last(project, tmp_path):
    """A build killed half-way through its renames, then the recovery killed at each of
    its own steps: still one complete set in the end."""
    base, refs = project
    source = tmp_path / "new-files"
    source.mkdir()
    for name, data in refs["new"].items():
        (source / name).write_bytes(data)
    probe = tmp_path / "probe"
    probe.mkdir()
    _, ops = _run("publish", [str(source), str(_fresh_old(project, probe)), json.dumps(NAMES)], 0,
                  probe)
    second_rename = [i for i, (op, name) in enumerate(ops, 1) if op == "replace" and name in NAMES][1]

    def interrupted(folder: Path) -> Path:
        out = _fresh_old(project, folder)
        result, _ = _run("publish", [str(source), str(out), json.dumps(NAMES)], second_rename,
                         folder)
        assert result.returncode == -signal.SIGKILL
        assert _check_after_kill(project, out) == "mixed"
        return out

    first = tmp_path / "first"
    first.mkdir()
    _, recovery_ops = _run("recover", [str(interrupted(first)), json.dumps(NAMES)], 0, first)
    assert _state(project, first / "out") == "new"
    assert len(recovery_ops) >= 3
    for kill_at in range(1, len(recovery_ops) + 1):
        run = tmp_path / f"r{kill_at}"
        run.mkdir()
        out = interrupted(run)
        result, _ = _run("recover", [str(out), json.dumps(NAMES)], kill_at, run)
        assert result.returncode == -signal.SIGKILL
        _check_after_kill(project, out)
        recover(out, NAMES)
        _assert_clean(project, out)
        assert _state(project, out) == "new"


def test_real_build_killed_then_next_build(project, tmp_path, runner):
    """The whole command in a real process, killed at a few steps of its write phase; then
    a normal next build. (Each run is a full build, so only a few steps here; every step is
    covered by test_killed_at_every_step_of_the_write_phase.)"""
    base, refs = project
    args = [str(base / "new.csv"), "--config", str(base / "upr-summary.yaml"), "-q"]
    probe = tmp_path / "probe"
    probe.mkdir()
    out = _fresh_old(project, probe)
    result, ops = _run("build", [*args, "-o", str(out)], 0, probe)
    assert result.returncode == 0, result.stderr
    assert _state(project, out) == "new"  # the subprocess builds the same bytes
    _assert_clean(project, out)

    def step(op: str, name: str | None, nth: int = 0) -> int:
        return [i for i, o in enumerate(ops, 1) if o == [op, name]][nth]

    # The process dies just before the step named.
    points = {"commit marker": step("replace", fileio._MARKER),
              "between renames": step("replace", NAMES[1]),
              "removing the staging folder": step("rmdir", STAGING)}
    outs = {}
    for what, kill_at in points.items():
        run = tmp_path / f"b{kill_at}"
        run.mkdir()
        outs[what] = out = _fresh_old(project, run)
        killed, _ = _run("build", [*args, "-o", str(out)], kill_at, run)
        assert killed.returncode == -signal.SIGKILL, what
        assert _check_after_kill(project, out) == {"commit marker": "old",
                                                   "between renames": "mixed"}.get(what, "new")
    # What the next build does first: finish or undo what it finds.
    for what in ("commit marker", "removing the staging folder"):
        recover(outs[what], NAMES)
        _assert_clean(project, outs[what])
        assert _state(project, outs[what]) == ("old" if what == "commit marker" else "new")
    # A full next build (of the old data) after a kill between two renames.
    out = outs["between renames"]
    result = runner.invoke(cli, ["build", str(base / "old.csv"), "--config", str(base / "upr-summary.yaml"),
                                 "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    _assert_clean(project, out)
    assert _state(project, out) == "old"


@pytest.mark.parametrize("mistake, code", [([], 1), (["--language", "zz"], 2),
                                           (["--format", "odt"], 2)],
                         ids=["bad data", "unknown language", "unknown format"])
def test_a_failed_build_after_a_kill_still_recovers(project, tmp_path, runner, mistake, code):
    """Recovery happens when the next build starts, even if that build then stops on bad
    data or on a mistake in the command (it writes nothing else): the folder never keeps a
    mixed report."""
    base, refs = project
    out = _fresh_old(project, tmp_path)
    _, ops = _run("publish", [str(base / "ref-new"), str(out), json.dumps(NAMES)], 0, tmp_path)
    second_rename = [i for i, (op, name) in enumerate(ops, 1) if op == "replace" and name in NAMES][1]
    run = tmp_path / "again"
    run.mkdir()
    out = _fresh_old(project, run)
    killed, _ = _run("publish", [str(base / "ref-new"), str(out), json.dumps(NAMES)], second_rename, run)
    assert killed.returncode == -signal.SIGKILL and _state(project, out) == "mixed"
    bad = tmp_path / "bad.csv"
    bad.write_text("submission,organization,issue_area,finding\nA,Org A,Housing,\n", encoding="utf-8")
    good = base / "new.csv"
    result = runner.invoke(cli, ["build", str(good if mistake else bad), "-o", str(out),
                                 *mistake])
    assert result.exit_code == code, result.output
    _assert_clean(project, out)
    assert _state(project, out) == "new"


def test_stale_temporary_files_of_earlier_versions_are_removed(project, tmp_path, runner):
    base, _ = project
    out = _fresh_old(project, tmp_path)
    stale = out / ".executive-summary.docx.k3j_9x2a.tmp"
    stale.write_bytes(b"\0" * 6_000_000)  # what a kill -9 left with the old writer
    foreign = [out / ".notes.txt.abcdefgh.tmp", out / ".other.docx.k3j_9x2a.tmp"]
    for path in foreign:
        path.write_text("not ours")
    result = runner.invoke(cli, ["build", str(base / "new.csv"), "--config", str(base / "upr-summary.yaml"),
                                 "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert all(p.read_text() == "not ours" for p in foreign)
    assert sorted(os.listdir(out)) == sorted([*NAMES, "notes.txt", *(p.name for p in foreign)])


def test_a_staging_folder_held_by_a_live_build_is_left_alone(project, tmp_path, runner):
    base, _ = project
    out = _fresh_old(project, tmp_path)
    staging = out / STAGING
    staging.mkdir()
    (staging / NAMES[0]).write_bytes(b"half")
    fd = os.open(staging / fileio._LOCK, os.O_RDWR | os.O_CREAT)
    try:
        assert fileio._try_lock(fd)
        result = runner.invoke(cli, ["build", str(base / "new.csv"), "--config",
                                     str(base / "upr-summary.yaml"), "-o", str(out)])
        assert result.exit_code == 1
        assert "Another upr-summary build is writing" in result.stderr
        assert (staging / NAMES[0]).read_bytes() == b"half"
        assert _state(project, out) == "old"
    finally:
        os.close(fd)
    # Once that build is gone, its unfinished staging is rolled back.
    assert recover(out, NAMES) == "rolled back"
    _assert_clean(project, out)


# --- file-system failures: the old report stays as it was, and the message says why ----

def _old_report(project, tmp_path):
    base, refs = project
    out = _fresh_old(project, tmp_path)
    args = ["build", str(base / "new.csv"), "--config", str(base / "upr-summary.yaml"), "-o", str(out)]
    return out, args


# which: the file whose write fails (1: the first report file, 2: the second, 4: the
# commit marker)
@pytest.mark.parametrize("code, words, which", [
    (errno.ENOSPC, "the disk is full", 1),
    (errno.ENOSPC, "the disk is full", 2),
    (errno.ENOSPC, "the disk is full", 4),
    (getattr(errno, "EDQUOT", errno.ENOSPC), "quota", 2),
    (errno.EROFS, "read-only", 1),
    (errno.EACCES, "permission denied", 2),
    (errno.EIO, "input/output error", 4),
])
def test_a_failing_write_leaves_the_old_report(project, tmp_path, runner, monkeypatch, code, words,
                                               which):
    out, args = _old_report(project, tmp_path)
    real = fileio._write_file
    calls = []

    def failing(path, data):
        calls.append(path)
        if len(calls) == which:
            real(path, data[: len(data) // 2])  # a half-written file first
            raise OSError(code, os.strerror(code))
        real(path, data)

    monkeypatch.setattr(fileio, "_write_file", failing)
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert words in result.stderr and "earlier report is as it was" in result.stderr
    assert "Traceback" not in result.output
    _assert_clean(project, out)
    assert _state(project, out) == "old"


@pytest.mark.parametrize("step", ["mkdir", "open", "replace"])
def test_a_read_only_disk_at_each_kind_of_step(project, tmp_path, runner, monkeypatch, step):
    out, args = _old_report(project, tmp_path)

    class ReadOnly:
        def __getattr__(self, name):
            real = getattr(os, name)
            if name != step:
                return real

            def refuse(*a, **k):
                if step == "open" and not (a[1] & os.O_CREAT):
                    return real(*a, **k)
                raise OSError(errno.EROFS, "Read-only file system")
            return refuse

    monkeypatch.setattr(fileio, "os", ReadOnly())
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "the disk is read-only" in result.stderr
    monkeypatch.undo()
    assert recover(out, NAMES) in (None, "rolled back")
    _assert_clean(project, out)
    assert _state(project, out) == "old"


def test_a_folder_where_a_report_file_goes(project, tmp_path, runner):
    out, args = _old_report(project, tmp_path)
    (out / "executive-summary.md").unlink()
    (out / "executive-summary.md").mkdir()
    (out / "executive-summary.md" / "keep.txt").write_text("mine")
    before = {n: (out / n).read_bytes() for n in NAMES[:2]}
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert f"{out / 'executive-summary.md'} is a folder" in result.stderr
    assert "Is a directory" not in result.stderr
    assert {n: (out / n).read_bytes() for n in NAMES[:2]} == before  # nothing replaced
    assert (out / "executive-summary.md" / "keep.txt").read_text() == "mine"
    assert not (out / STAGING).exists()


def test_a_folder_that_appears_during_the_build(project, tmp_path, runner, monkeypatch):
    """Checked again just before the write phase, after the (slow) rendering."""
    out, args = _old_report(project, tmp_path)
    from upr_summary.render import markdown

    real = markdown.render_markdown

    def render_then_block(*a, **k):
        if (out / "executive-summary.md").is_file():
            (out / "executive-summary.md").unlink()
            (out / "executive-summary.md").mkdir()
        return real(*a, **k)

    monkeypatch.setattr(markdown, "render_markdown", render_then_block)
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "is a folder" in result.stderr
    assert [(out / n).read_bytes() for n in NAMES[:2]] == [project[1]["old"][n] for n in NAMES[:2]]
    assert not (out / STAGING).exists()


def test_a_symlink_where_a_report_file_goes(project, tmp_path, runner):
    out, args = _old_report(project, tmp_path)
    elsewhere = tmp_path / "elsewhere.docx"
    elsewhere.write_bytes(b"someone else's file")
    (out / "executive-summary.docx").unlink()
    (out / "executive-summary.docx").symlink_to(elsewhere)
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert elsewhere.read_bytes() == b"someone else's file"
    assert [(out / n).read_bytes() for n in NAMES[1:]] == [project[1]["old"][n] for n in NAMES[1:]]


def test_output_folder_problems(project, tmp_path, runner):
    base, _ = project
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    common = [str(base / "new.csv"), "--config", str(base / "upr-summary.yaml")]
    # an output "folder" that is a file (-o /dev/null too) is a mistake in the command: 2
    result = runner.invoke(cli, ["build", *common, "-o", str(a_file)])
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["build", *common, "-o", str(a_file / "out")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr
    result = runner.invoke(cli, ["build", *common, "-o", os.devnull])
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr
    long = tmp_path / ("x" * 300)
    result = runner.invoke(cli, ["build", *common, "-o", str(long)])
    assert result.exit_code == 1 and "too long" in result.stderr
    # the staging name taken by something else
    out = _fresh_old(project, tmp_path)
    (out / STAGING).write_text("in the way")
    result = runner.invoke(cli, ["build", *common, "-o", str(out)])
    assert result.exit_code == 1 and "is in the way" in result.stderr
    assert _state(project, out) == "old"


# --- a closed pipe: `upr-summary validate data | head -1` ends quietly ------------------

def _noisy_input(folder: Path) -> Path:
    """Enough problems and areas for output larger than any pipe buffer."""
    rows = ["submission,organization,issue_area,finding"]
    rows += ["S1,Org 1,Housing,Same finding." for _ in range(1500)]
    rows += [f"S{i},Org {i},Area {i},Finding {i}." for i in range(2, 400)]
    path = folder / "noisy.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [
    ["validate", "{data}"],          # click.echo
    ["stats", "{data}"],             # a rich table
    ["codebook", "show"],            # a rich tree
    ["build", "{data}", "-o", "{out}", "--show-excluded"],
])
def test_a_closed_pipe_ends_quietly(tmp_path, command):
    """The reader is gone before the command writes (deterministic, whatever the size of
    the system's pipe buffers): no traceback, no "Exception ignored", and the process ends
    by SIGPIPE as cat or grep do."""
    data = _noisy_input(tmp_path)
    args = [a.format(data=data, out=tmp_path / "out") for a in command]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "upr_summary", *args], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=120, cwd=tmp_path,
                                env=without_libreoffice(dict(os.environ)))
    finally:
        os.close(write_end)
    assert result.returncode == -signal.SIGPIPE, result.stderr
    assert "Error" not in result.stderr and "Exception" not in result.stderr
    assert "Traceback" not in result.stderr
    if command[0] == "build":  # the report was written before the messages
        assert sorted(os.listdir(tmp_path / "out")) == sorted(NAMES)


def test_validate_into_head(tmp_path):
    data = _noisy_input(tmp_path)
    result = subprocess.run(
        f'"{sys.executable}" -m upr_summary validate "{data}" | head -1; '
        'echo "status ${PIPESTATUS[0]}" >&2',
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120)
    assert result.stdout.count("\n") == 1 and "duplicate-finding" in result.stdout
    # 141 (SIGPIPE) when the output did not fit the pipe before `head` left; 1 or 0 when
    # it did (with `set -o pipefail` as with other tools).
    status = result.stderr.strip().splitlines()[-1]
    assert status in ("status 141", "status 0", "status 1"), result.stderr
    assert result.stderr.strip().splitlines() == [status], result.stderr


def test_a_broken_pipe_that_is_not_our_output_is_an_error(runner, monkeypatch, tmp_path):
    """A broken pipe to some other program (not stdout or stderr) is not hidden."""
    from upr_summary import cli as cli_module

    def broken(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli_module, "_project", broken)
    result = runner.invoke(cli, ["validate", str(_noisy_input(tmp_path))])
    assert result.exit_code == 1 and "broken pipe" in result.stderr
