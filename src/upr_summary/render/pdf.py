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


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert .docx bytes to .pdf bytes with LibreOffice, in a private temporary folder."""
    program = soffice_path()
    if program is None:
        raise OutputError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="upr-summary-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()  # never share or lock the user's profile
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice did not finish the PDF within {TIMEOUT_S} s.") from None
        except OSError as exc:
            raise OutputError(f"LibreOffice could not be started: {exc}") from None
        result = folder / "report.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise OutputError("LibreOffice did not produce a PDF. Open the DOCX in LibreOffice "
                              "or Word to see why, and save it as PDF from there.")
        return result.read_bytes()
