"""Robustness of the PDF step (LibreOffice ended with all it started, its temporary files
removed, paths quoted for Basic) and of reference documents (zip bombs refused, nothing
fetched from the network by the report)."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
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
@pytest.mark.parametrize("formats", ["pdf", "pdf,compilation"])
def test_sigterm_ends_the_command_and_libreoffice(tmp_path, formats):
    """SIGTERM to `upr-summary build --format pdf`: exit 143, LibreOffice ended, the
    private folder removed; with the compilation, both layouts are running (the
    compilation's in a background thread) and both are ended."""
    private = tmp_path / "t"
    private.mkdir()
    env = dict(os.environ, TMPDIR=str(private), TMP=str(private), TEMP=str(private),
               PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen(
        [sys.executable, "-m", "upr_summary", "build", str(SAMPLE), "-o", str(tmp_path / "o"),
         "-q", "--no-cache", "--format", formats],  # (a cached layout needs no LibreOffice)
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    layouts, seen = (2 if "compilation" in formats else 1), 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            running = [p for p in _processes_mentioning(str(private)) if p != child.pid]
            # (each layout: LibreOffice's launcher and soffice.bin, in its own folder)
            seen = len({_folder_of(p, private) for p in running} - {None})
            if seen >= layouts:
                break
            time.sleep(0.05)
        assert seen >= layouts, f"{seen} of {layouts} layouts seen running"
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


def _folder_of(pid: int, private: Path) -> str | None:
    """The private folder a LibreOffice process works in (from its TMPDIR, set inside it;
    its command line has the folder as a URI, with brackets escaped)."""
    words = []
    for what in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as stream:
                words += stream.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
    for word in words:
        if str(private) in word:
            rest = word.split(str(private), 1)[1].strip("/").split("/")
            return rest[0] if rest and rest[0] else None
    return None


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


# --- reference documents ------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _rewrite(path: Path, change) -> None:
    """Rewrite the zip at ``path``: ``change(files)`` edits the {name: bytes} dict."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _add_external(rels: bytes, rid: str, kind: str, target: str) -> bytes:
    return rels.replace(b"</Relationships>", (
        f'<Relationship Id="{rid}" Type="{REL_TYPE}/{kind}" Target="{target}" '
        'TargetMode="External"/></Relationships>').encode())


def _hostile_reference(path: Path) -> None:
    """A letterhead whose footer has its text and a local logo, and also: a web beacon (a
    1-pt picture linked to a web server), INCLUDETEXT as a simple field, INCLUDEPICTURE and
    a remote HYPERLINK as complex fields; the header a DDEAUTO field; an external
    relationship on the styles part."""
    doc = Document()
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "Network footer text"
    footer.add_run().add_picture(io.BytesIO(_png()))
    doc.sections[0].header.paragraphs[0].text = "Network letterhead"
    doc.save(str(path))

    def change(files):
        footer_name = next(n for n in files if n.startswith("word/footer"))
        header_name = next(n for n in files if n.startswith("word/header"))
        rels_name = footer_name.replace("word/", "word/_rels/") + ".rels"
        files[rels_name] = _add_external(files[rels_name], "rIdBeacon", "image",
                                         "http://evil.example/beacon.png")
        files[rels_name] = _add_external(files[rels_name], "rIdLink", "hyperlink",
                                         "http://evil.example/click")
        extra = (
            f'<w:p {W_NS} {R_NS}><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
            'style="width:1pt;height:1pt"><v:imagedata r:id="rIdBeacon"/></v:shape></w:pict>'
            '</w:r><w:hyperlink r:id="rIdLink"><w:r><w:t>click me</w:t></w:r></w:hyperlink></w:p>'
            f'<w:p {W_NS}><w:fldSimple w:instr=\' INCLUDETEXT "http://evil.example/include" \'>'
            '<w:r><w:t>included</w:t></w:r></w:fldSimple></w:p>'
            f'<w:p {W_NS}><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> includepicture </w:instrText></w:r>'
            '<w:r><w:instrText xml:space="preserve">"http://evil.example/p.png" \\d </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>picture</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:t xml:space="preserve"> Visit </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://evil.example/x" </w:instrText>'
            '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>our site</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
        files[footer_name] = files[footer_name].replace(b"</w:ftr>", extra.encode() + b"</w:ftr>")
        files[header_name] = files[header_name].replace(b"</w:hdr>", (
            f'<w:p {W_NS}><w:fldSimple w:instr=\'DDEAUTO excel "C:\\\\x.xls" "A1"\'>'
            '<w:r><w:t>dde</w:t></w:r></w:fldSimple></w:p></w:hdr>').encode())
        files["word/_rels/styles.xml.rels"] = _add_external(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b"</Relationships>", "rIdX", "image", "http://evil.example/style.png")

    _rewrite(path, change)


def test_a_reference_document_lends_no_remote_content(tmp_path):
    from upr_summary.build import build
    from upr_summary.config import load_config

    ref = tmp_path / "ref.docx"
    _hostile_reference(ref)
    with zipfile.ZipFile(ref) as archive:  # the attack is really in the reference
        assert any(b"evil.example" in archive.read(n) for n in archive.namelist()
                   if n.endswith(".rels"))
    build([SAMPLE], tmp_path / "o", load_config([str(SAMPLE)]), formats=["docx"],
          reference_docx=str(ref))
    with zipfile.ZipFile(tmp_path / "o" / "executive-summary.docx") as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    for name, data in files.items():
        if name.endswith(".rels"):
            targets = re.findall(rb'Target="([^"]*)"', data)
            assert not [t for t in targets if b"://" in t], name
            assert b'TargetMode="External"' not in data, name
        if name.endswith(".xml"):
            upper = data.upper()
            for field in (b"INCLUDETEXT", b"INCLUDEPICTURE", b"DDEAUTO", b"EVIL.EXAMPLE"):
                assert field not in upper, (name, field)
            assert b'r:id="rIdBeacon"' not in data and b'r:id="rIdLink"' not in data
    doc = Document(str(tmp_path / "o" / "executive-summary.docx"))
    footer = doc.sections[-1].footer
    text = "\n".join(p.text for p in footer.paragraphs)
    assert "Network footer text" in text and "our site" in text and "click me" in text
    assert "included" not in text and "picture" not in text
    assert 'w:instr=" PAGE "' in footer._element.xml or " PAGE " in footer._element.xml
    assert doc.sections[-1].header.paragraphs[0].text == "Network letterhead"
    # the footer's own logo is kept, with its picture part
    logo = [rel for rel in footer.part.rels.values() if rel.reltype.endswith("/image")]
    assert len(logo) == 1 and not logo[0].is_external and logo[0].target_part.blob == _png()


def _bomb(path: Path, megabytes: int) -> None:
    """A reference document whose styles part is padded with a comment of spaces."""
    Document().save(str(path))

    def change(files):
        files["word/styles.xml"] = files["word/styles.xml"].replace(
            b"</w:styles>", b"<!--" + b" " * (megabytes << 20) + b"--></w:styles>")

    _rewrite(path, change)


def _refusal(reference: Path) -> str:
    from upr_summary.errors import ConfigError
    from upr_summary.render.docx import _Builder

    with pytest.raises(ConfigError) as caught:
        _Builder(str(reference))
    return str(caught.value)


def test_a_zip_bomb_is_refused_as_a_reference_document(tmp_path, runner):
    from upr_summary.cli import cli

    bomb = tmp_path / "bomb.docx"
    _bomb(bomb, 70)
    assert bomb.stat().st_size < 1 << 20
    message = _refusal(bomb)
    assert str(bomb) in message and "reference-too-large" in message and "64.0 MiB" in message
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path / "o"), "-q",
                                 "--format", "docx", "--reference-docx", str(bomb)])
    assert result.exit_code == 2 and "reference-too-large" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def test_a_part_compressed_beyond_belief_is_refused(tmp_path):
    bomb = tmp_path / "dense.docx"
    _bomb(bomb, 3)  # 3 MiB of spaces, about 1,000 to 1
    message = _refusal(bomb)
    assert "word/styles.xml" in message and "to 1" in message


def test_too_many_parts_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("upr_summary.render.docx.MAX_REFERENCE_MEMBERS", 5)
    ref = tmp_path / "ref.docx"
    Document().save(str(ref))
    assert "parts, more than 5" in _refusal(ref)


def test_zip_headers_that_lie_about_sizes_change_nothing(tmp_path, monkeypatch):
    """Sizes are counted as read: a part whose headers say it is small is unpacked with a
    bounded read, and refused past the limit."""
    import struct

    ref = tmp_path / "ref.docx"
    _bomb(ref, 2)
    data = bytearray(ref.read_bytes())
    name = b"word/styles.xml"
    # the central directory entry of styles.xml: its uncompressed size set to 1,000 bytes
    central = at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        size = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + size] == name:
            central = at
            break
        at += 4
    struct.pack_into("<I", data, central + 24, 1_000)
    ref.write_bytes(bytes(data))
    with zipfile.ZipFile(ref) as archive:
        assert archive.getinfo("word/styles.xml").file_size == 1_000
    monkeypatch.setattr("upr_summary.render.docx.MAX_REFERENCE_UNCOMPRESSED", 1 << 20)
    # refused either by the bounded read or, zipfile stopping at the declared size, as a
    # damaged file (its checksum): never opened past the limit
    assert "reference document" in _refusal(ref)


def test_reference_limits_are_documented():
    from upr_summary import limits

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "reference-too-large" in (limits.__doc__ or "") and "`reference-too-large`" in readme
    assert limits.MAX_REFERENCE_UNCOMPRESSED == 64 * 2**20
    assert limits.MAX_REFERENCE_MEMBERS == 2_000


def test_a_header_with_an_undefined_entity_is_refused_not_a_crash(tmp_path):
    """A part python-docx leaves unparsed (a header) but the report cleans, whose DTD
    entity is not defined there: the reference document is refused (exit 2), no internal
    error."""
    plain = tmp_path / "plain.docx"
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "x"
    doc.save(str(plain))
    ref = tmp_path / "dtd.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(ref, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if "header" in info.filename and info.filename.endswith(".xml"):
                text = data.decode()
                text = text.replace("<w:t>x</w:t>", "<w:t>&undefined; href</w:t>")
                data = text.encode()
            out.writestr(info, data)
    message = _refusal(ref)
    assert str(ref) in message and "not well-formed XML" in message and "header" in message


def test_a_broken_theme_part_is_refused_before_anything_runs(tmp_path):
    """A part python-docx copies as it is (the theme): refused at once, not copied into the
    report nor handed to LibreOffice (which waited for its timeout)."""
    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    ref = tmp_path / "theme.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(ref, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/theme/theme1.xml":
                data = b'<?xml version="1.0"?><w:broken'
            out.writestr(info, data)
    message = _refusal(ref)
    assert "word/theme/theme1.xml" in message and "not well-formed XML" in message
