"""PDF through LibreOffice: the DOCX converted by ``soffice --headless``.

>>> soffice_path() is None or soffice_path().endswith(("soffice", "libreoffice"))
True
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..errors import OutputError

INSTALL_HINT = (
    "PDF needs LibreOffice, which was not found (no 'soffice' on the PATH). Install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; macOS: brew install "
    "--cask libreoffice; Windows: libreoffice.org, then add its program folder to PATH), or "
    "build --format docx and save the document as PDF from Word."
)
TIMEOUT_S = 300


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_identity() -> str:
    """Which LibreOffice lays the pages out (its program's real path, size and time): a
    cached layout is used only with the same one."""
    program = soffice_path()
    if program is None:
        return ""
    try:
        real = os.path.realpath(program)
        info = os.stat(real)
    except OSError:
        return program
    return f"{real}:{info.st_size}:{info.st_mtime_ns}"


#: A LibreOffice Basic macro, put in the private profile of each run: open the document
#: hidden, update its indexes (the contents list gets its page numbers), write each
#: heading's outline level, page and text to a file, export the PDF when asked.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub Paginate(sIn As String, sPdf As String, sPages As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, args())
  oIdx = oDoc.getDocumentIndexes()
  For i = 0 To oIdx.getCount() - 1
    oIdx.getByIndex(i).update()
  Next i
  oDoc.refresh()
  oCursor = oDoc.getCurrentController().getViewCursor()
  iFile = FreeFile
  Open sPages For Output As #iFile
  oEnum = oDoc.getText().createEnumeration()
  While oEnum.hasMoreElements()
    oPar = oEnum.nextElement()
    If oPar.supportsService(&quot;com.sun.star.text.Paragraph&quot;) Then
      If oPar.OutlineLevel &gt; 0 Then
        oCursor.gotoRange(oPar.getStart(), False)
        Print #iFile, oPar.OutlineLevel &amp; Chr(9) &amp; oCursor.getPage() &amp; Chr(9) &amp; oPar.getString()
      End If
    End If
  Wend
  Close #iFile
  If sPdf &lt;&gt; &quot;&quot; Then
    Dim pdf(0) As New com.sun.star.beans.PropertyValue
    pdf(0).Name = &quot;FilterName&quot;
    pdf(0).Value = &quot;writer_pdf_Export&quot;
    oDoc.storeToURL(ConvertToURL(sPdf), pdf())
  End If
  oDoc.close(True)
End Sub
</script:module>
"""


#: Prefix of the private temporary folder of each run (swept when stale).
_PREFIX = "upr-summary-pdf-"


def _basic_string(path: Path) -> str:
    """``path`` as a LibreOffice Basic string literal inside a ``macro:`` URL: a double
    quote is doubled (Basic's escape), a per cent sign written %25 (LibreOffice decodes
    %xx escapes of the URL before it calls the macro)."""
    return '"' + str(path).replace('"', '""').replace("%", "%25") + '"'


def _sweep_stale_folders() -> None:
    """Remove the private folders of earlier runs that were killed before they could clean
    up (``kill -9``, a power cut): those of the current user, untouched for more than twice
    the time a run may take. Best effort; symbolic links are never followed."""
    base = tempfile.gettempdir()
    uid = os.getuid() if hasattr(os, "getuid") else None
    now = time.time()
    try:
        with os.scandir(base) as entries:
            for entry in entries:
                if not entry.name.startswith(_PREFIX):
                    continue
                try:
                    if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                        continue
                    info = entry.stat(follow_symlinks=False)
                    if uid is not None and info.st_uid != uid:
                        continue
                    if now - info.st_mtime <= 2 * TIMEOUT_S:
                        continue
                    shutil.rmtree(entry.path, ignore_errors=True)
                except OSError:
                    continue
    except OSError:
        pass


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and whatever it started (``soffice`` starts ``soffice.bin``): the
    whole process group on POSIX, the process tree on Windows."""
    if os.name == "posix" and hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:  # the group has already gone
            pass
    elif process.poll() is None:
        if os.name == "nt":
            try:
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=30, check=False)
            except (OSError, subprocess.SubprocessError):
                pass
        try:
            process.kill()
        except OSError:
            pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


#: The LibreOffice processes running now (a build may lay out two files at once, one in a
#: background thread): :func:`stop` ends them when the build is interrupted.
_RUNNING: set[subprocess.Popen[bytes]] = set()


def stop(event: threading.Event) -> None:
    """End the layouts of a build that was interrupted (Ctrl-C, SIGTERM, an error in the
    thread that did not start them): ``event`` is set, so that a layout between two steps
    does not start the next, and every LibreOffice running now is ended."""
    event.set()
    for process in list(_RUNNING):
        _kill_group(process)


def _run_soffice(args: list[str], env: dict[str, str], folder: Path,
                 stopped: threading.Event | None = None) -> None:
    """Run LibreOffice in a process group (session) of its own, so that it is ended with
    everything it started: on a timeout, on Ctrl-C or SIGTERM (SystemExit), on any error,
    and after a normal run, in case something was left behind."""
    os.utime(folder)  # a running folder is never taken for a stale one (see the sweep)
    options: dict[str, object] = {}
    if os.name == "posix":
        options["start_new_session"] = True
    elif os.name == "nt":
        options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    if stopped is not None and stopped.is_set():
        raise OutputError("The build was interrupted.")
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env,
                               **options)  # type: ignore[call-overload]
    _RUNNING.add(process)
    try:
        process.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise OutputError(f"LibreOffice did not finish within {TIMEOUT_S} s.") from None
    finally:
        _kill_group(process)
        _RUNNING.discard(process)
    if stopped is not None and stopped.is_set():
        raise OutputError("The build was interrupted.")


def paginate(docx: bytes, pdf: bool = False, stopped: threading.Event | None = None
             ) -> tuple[list[tuple[int, int, str]], bytes | None]:
    """Lay the document out with LibreOffice: ``[(outline level, page, text)]`` of each
    heading in document order, and (``pdf``) the PDF, its contents list with page numbers.
    Raises OutputError when LibreOffice is missing or fails.

    Everything LibreOffice writes (its profile, its own temporary files) is kept in one
    private folder, removed at the end, whatever the end. ``stopped``: set by :func:`stop`
    when the build is interrupted (the layout then ends with an OutputError)."""
    program = soffice_path()
    if program is None:
        raise OutputError(INSTALL_HINT)
    _sweep_stale_folders()
    with tempfile.TemporaryDirectory(prefix=_PREFIX, ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        source, result, pages = folder / "report.docx", folder / "report.pdf", folder / "pages.txt"
        source.write_bytes(docx)
        profile = folder / "profile"  # never share or lock the user's own profile
        own_tmp = folder / "tmp"  # LibreOffice's lu*.tmp folders go with ours
        own_tmp.mkdir()
        env = dict(os.environ)
        for name in ("TMPDIR", "TMP", "TEMP"):
            env[name] = str(own_tmp)
        base = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--invisible", "--norestore"]
        macro = (f"macro:///Standard.Module1.Paginate({_basic_string(source)},"
                 f"{_basic_string(result) if pdf else chr(34) * 2},{_basic_string(pages)})")
        try:
            _run_soffice([*base, "--terminate_after_init"], env, folder, stopped)
            module = profile / "user" / "basic" / "Standard" / "Module1.xba"
            if not module.parent.is_dir():
                raise OutputError("LibreOffice did not start (its profile was not made); "
                                  "run `soffice --headless` once to see why.")
            module.write_text(_MACRO, encoding="utf-8")
            _run_soffice([*base, macro], env, folder, stopped)
        except OSError as exc:
            raise OutputError(f"LibreOffice could not be started: {exc}") from None
        if pdf and (not result.is_file() or result.stat().st_size == 0):
            raise OutputError("LibreOffice did not produce a PDF. Open the DOCX in LibreOffice "
                              "or Word to see why, and save it as PDF from there.")
        found: list[tuple[int, int, str]] = []
        if pages.is_file():
            for line in pages.read_text(encoding="utf-8", errors="replace").splitlines():
                level, page, text = (line.split("\t", 2) + ["", ""])[:3]
                if level.strip().isdigit() and page.strip().isdigit():
                    found.append((int(level), int(page), text.strip()))
        return found, (result.read_bytes() if pdf else None)


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert .docx bytes to .pdf bytes with LibreOffice, in a private temporary folder,
    the contents list with its page numbers."""
    pdf = paginate(docx, pdf=True)[1]
    assert pdf is not None
    return pdf
