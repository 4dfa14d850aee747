"""Robustness of the PDF step (LibreOffice ended with all it started, its temporary files
removed, paths quoted for Basic) and of reference documents (zip bombs refused, nothing
fetched from the network by the report)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from docx import Document

from upr_summary.errors import OutputError
from upr_summary.render import pdf as pdfmod

from .conftest import ROOT, SAMPLE

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")
needs_proc = pytest.mark.skipif(not Path("/proc/self/cmdline").exists() or os.name != "posix",
                                reason="needs /proc to find LibreOffice's processes")


def _small_docx() -> bytes:
    doc = Document()
    doc.add_heading("Right to housing", 1)
    doc.add_paragraph("Some text.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _processes_mentioning(text: str) -> list[int]:
    """Processes whose command line or environment names ``text`` (LibreOffice's, started
    with a profile and a TMPDIR inside our private folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        for what in ("cmdline", "environ"):
            try:
                data = (entry / what).read_bytes()
            except OSError:
                continue
            if text.encode() in data:
                found.append(int(entry.name))
                break
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A temporary folder of our own, as tempfile's and LibreOffice's TMPDIR."""
    folder = tmp_path / "t"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    for name in ("TMPDIR", "TMP", "TEMP"):
        monkeypatch.setenv(name, str(folder))
    return folder


def test_paths_are_basic_string_literals():
    assert pdfmod._basic_string(Path('/tmp/a"b')) == '"/tmp/a""b"'
    assert pdfmod._basic_string(Path("/tmp/100%41")) == '"/tmp/100%2541"'


@needs_soffice
def test_a_quote_in_tmpdir_and_nothing_left_behind(tmp_path, monkeypatch):
    """A double quote (and a per cent sign, a comma, brackets) in TMPDIR: the macro still
    gets its paths; the private folder and LibreOffice's own lu*.tmp folder are gone."""
    folder = tmp_path / 'odd "quoted" 100%41, (dir)'
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    for name in ("TMPDIR", "TMP", "TEMP"):
        monkeypatch.setenv(name, str(folder))
    found, pdf = pdfmod.paginate(_small_docx(), pdf=True)
    assert found == [(1, 1, "Right to housing")]
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert list(folder.iterdir()) == []


@needs_soffice
@needs_proc
def test_a_timeout_ends_libreoffice_and_removes_its_folder(private_tmp, monkeypatch):
    monkeypatch.setattr(pdfmod, "TIMEOUT_S", 0.5)
    with pytest.raises(OutputError, match="did not finish"):
        pdfmod.paginate(_small_docx(), pdf=True)
    assert _processes_mentioning(str(private_tmp)) == []
    assert list(private_tmp.iterdir()) == []


@needs_soffice
@needs_proc
def test_ctrl_c_ends_libreoffice_and_removes_its_folder(private_tmp, monkeypatch):
    """KeyboardInterrupt while LibreOffice works: the whole process group is killed."""
    real_wait = subprocess.Popen.wait
    calls = []

    def interrupted_wait(self, timeout=None):
        if timeout == pdfmod.TIMEOUT_S and not calls:
            calls.append(self.pid)
            time.sleep(1.0)  # LibreOffice has started soffice.bin by now
            raise KeyboardInterrupt
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", interrupted_wait)
    with pytest.raises(KeyboardInterrupt):
        pdfmod.paginate(_small_docx(), pdf=True)
    assert calls
    assert _processes_mentioning(str(private_tmp)) == []
    assert list(private_tmp.iterdir()) == []


@needs_soffice
@needs_proc
def test_sigterm_ends_the_command_and_libreoffice(tmp_path):
    """SIGTERM to `upr-summary build --format pdf`: exit 143, LibreOffice ended, the
    private folder removed."""
    private = tmp_path / "t"
    private.mkdir()
    env = dict(os.environ, TMPDIR=str(private), TMP=str(private), TEMP=str(private),
               PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen(
        [sys.executable, "-m", "upr_summary", "build", str(SAMPLE), "-o", str(tmp_path / "o"),
         "-q", "--format", "pdf"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            if [p for p in _processes_mentioning(str(private)) if p != child.pid]:
                break
            time.sleep(0.1)
        assert child.poll() is None, "LibreOffice was never started"
        time.sleep(0.5)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 143
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    time.sleep(0.5)
    assert _processes_mentioning(str(private)) == []
    assert list(private.iterdir()) == []


def test_stale_private_folders_are_swept(private_tmp):
    old, new, other = (private_tmp / f"upr-summary-pdf-{n}" for n in ("old", "new", "link"))
    old.mkdir()
    (old / "report.docx").write_bytes(b"x")
    new.mkdir()
    keep = private_tmp / "not-ours"
    keep.mkdir()
    (keep / "precious").write_text("x")
    other.symlink_to(keep, target_is_directory=True)
    ancient = time.time() - 3 * pdfmod.TIMEOUT_S
    for path in (old, keep):
        os.utime(path, (ancient, ancient))
    os.utime(other, (ancient, ancient), follow_symlinks=False)
    pdfmod._sweep_stale_folders()
    assert not old.exists() and new.is_dir() and other.is_symlink()
    assert (keep / "precious").is_file()


def test_the_sigterm_handler_is_the_console_scripts_only():
    """Importing the library (or the CLI module) leaves SIGTERM alone; main() installs it."""
    code = ("import signal, upr_summary, upr_summary.cli as c\n"
            "assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL\n"
            "c._exit_on_sigterm()\n"
            "assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL\n"
            "import os, sys\n"
            "try:\n"
            "    os.kill(os.getpid(), signal.SIGTERM)\n"
            "    import time; time.sleep(5)\n"
            "except SystemExit as exc:\n"
            "    sys.exit(exc.code)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if os.name != "posix":
        pytest.skip("SIGTERM is POSIX")
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=60)
    assert done.returncode == 143
