"""PDF through LibreOffice: the DOCX converted by ``soffice --headless``.

>>> soffice_path() is None or soffice_path().endswith(("soffice", "libreoffice"))
True
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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


def paginate(docx: bytes, pdf: bool = False) -> tuple[list[tuple[int, int, str]], bytes | None]:
    """Lay the document out with LibreOffice: ``[(outline level, page, text)]`` of each
    heading in document order, and (``pdf``) the PDF, its contents list with page numbers.
    Raises OutputError when LibreOffice is missing or fails."""
    program = soffice_path()
    if program is None:
        raise OutputError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="upr-summary-pdf-") as tmp:
        folder = Path(tmp)
        source, result, pages = folder / "report.docx", folder / "report.pdf", folder / "pages.txt"
        source.write_bytes(docx)
        profile = folder / "profile"  # never share or lock the user's own profile
        base = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--invisible", "--norestore"]
        macro = (f'macro:///Standard.Module1.Paginate("{source}","{result if pdf else ""}",'
                 f'"{pages}")')
        try:
            subprocess.run([*base, "--terminate_after_init"], capture_output=True,
                           timeout=TIMEOUT_S, check=False)
            module = profile / "user" / "basic" / "Standard" / "Module1.xba"
            if not module.parent.is_dir():
                raise OutputError("LibreOffice did not start (its profile was not made); "
                                  "run `soffice --headless` once to see why.")
            module.write_text(_MACRO, encoding="utf-8")
            subprocess.run([*base, macro], capture_output=True, timeout=TIMEOUT_S,
                           check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice did not finish within {TIMEOUT_S} s.") from None
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
