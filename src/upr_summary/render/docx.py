"""Write the document tree (:mod:`upr_summary.document`) as a Word document: built-in
styles, real footnotes, a table of contents, the chart, and byte-identical output for the
same input.

The body is assembled in one pass: paragraphs are appended to the body element directly
(python-docx's ``add_paragraph`` looks for the section properties on every call, which
makes long documents quadratic), and style ids are resolved once.

>>> from upr_summary.compose import compose              # doctest: +SKIP
>>> data = render_docx(compose(summary))                 # doctest: +SKIP
>>> data[:2]                                             # doctest: +SKIP
b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import zipfile
import zlib
from typing import Any

from ..document import (
    BulletList,
    Contents,
    Document,
    Figure,
    Heading,
    Inline,
    Paragraph,
    Quote,
    Table,
    plain,
)
from ..document import Run as DocRun
from ..errors import ConfigError
from ..limits import (
    MAX_REFERENCE_MEMBERS,
    MAX_REFERENCE_RATIO,
    MAX_REFERENCE_UNCOMPRESSED,
    size_text,
)
from .footnotes import Footnotes, ensure_style, style_by_id, style_element

#: Fixed zip entry time, so that the same report gives the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
TABLE_STYLES = ("Light List Accent 1", "Table Grid")



_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Stands in the body for the paragraphs written as text, until the package is saved.
_PLACEHOLDER = "@@upr-summary-body@@"


def _esc(text: str) -> str:
    """Text for an XML element: escaped, without the characters XML forbids."""
    return _XML_ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """A value for an XML attribute (style ids come from the reference document)."""
    return _esc(value).replace('"', "&quot;")


#: Parts of a reference document whose compression ratio is looked at: over 1 MiB.
_RATIO_FROM = 1024 * 1024


def _check_reference_zip(reference: str) -> None:
    """Refuse a reference document that would unpack to more than python-docx should be
    given (a zip bomb: a 1.5 MB file whose styles part is 1.5 GB of spaces): too many
    parts, too large in all, or a part compressed beyond belief. The zip's headers are
    read first, then every part is unpacked with a bounded read, so that headers which
    lie about the sizes change nothing. A file that is not a zip is left to python-docx,
    which says so."""
    def refuse(what: str) -> ConfigError:
        return ConfigError(f"Cannot use {reference} as the reference document: "
                           f"[reference-too-large] {what}. A reference document lends its "
                           "look (styles, page, header and footer): save a short one.")

    try:
        archive = zipfile.ZipFile(reference)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    with archive:
        members = archive.infolist()
        if len(members) > MAX_REFERENCE_MEMBERS:
            raise refuse(f"it has {len(members):,} parts, more than "
                         f"{MAX_REFERENCE_MEMBERS:,}")
        declared = sum(info.file_size for info in members)
        if declared > MAX_REFERENCE_UNCOMPRESSED:
            raise refuse(f"it would unpack to {size_text(declared)}, more than "
                         f"{size_text(MAX_REFERENCE_UNCOMPRESSED)}")
        for info in members:
            if info.file_size > _RATIO_FROM and \
                    info.file_size > MAX_REFERENCE_RATIO * max(info.compress_size, 1):
                raise refuse(f"its part {info.filename} is compressed "
                             f"{info.file_size // max(info.compress_size, 1):,} to 1, more "
                             f"than {MAX_REFERENCE_RATIO} to 1")
        left = MAX_REFERENCE_UNCOMPRESSED
        for info in members:
            if info.is_dir():
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(left + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                    NotImplementedError, zlib.error):
                return  # damaged or encrypted: python-docx's error says so
            left -= len(data)
            if left < 0:
                raise refuse(f"it unpacks to more than {size_text(MAX_REFERENCE_UNCOMPRESSED)}")
            if info.filename.lower().endswith((".xml", ".rels")):
                # Every XML part well formed: a broken one (its theme, say) would be copied
                # into the report as it is, and stall LibreOffice until its timeout.
                try:
                    etree.fromstring(data, parser)
                except etree.XMLSyntaxError as exc:
                    raise ConfigError(
                        f"Cannot use {reference} as the reference document: its part "
                        f"{info.filename} is not well-formed XML ({exc.msg}). Give a .docx "
                        "saved by Word or LibreOffice.") from None


#: The reference documents (or python-docx's own template, under None) stripped to their
#: look, as packages, by their parts (names, sizes, checksums): a process that renders several
#: documents (the summary and the compilation, a budget fit, the tests) prepares each once.
_PREPARED: dict[bytes | None, bytes] = {}
#: (the compilation is rendered in a thread of its own while the summary is)
_PREPARING = threading.Lock()


def _prepared(reference: str | None) -> Any:
    """A new python-docx document of the reference document's look, footnotes part and
    styles included (see :func:`_keep_only_the_look`)."""
    import hashlib

    from docx import Document

    key: bytes | None = None
    if reference:
        # Known by its parts' names, sizes and checksums (the zip's directory, read without
        # reading the file: it may hold gigabytes before its zip).
        try:
            with zipfile.ZipFile(reference) as archive:
                parts = [(i.filename, i.CRC, i.file_size) for i in archive.infolist()]
        except (zipfile.BadZipFile, OSError, ValueError):
            return Document(reference)  # (not a Word file: python-docx says so)
        key = hashlib.sha256(repr(parts).encode("utf-8")).digest()
    with _PREPARING:
        blob = _PREPARED.get(key)
        if blob is None:
            doc = Document(reference) if reference else Document()
            # Its parts are cleaned, and its footnotes part read, here too: a part
            # python-docx left unparsed may still be malformed (an entity its DTD defines).
            _keep_only_the_look(doc)
            Footnotes(doc)
            blob = _save_package(doc, {})
            while len(_PREPARED) >= 4:
                _PREPARED.pop(next(iter(_PREPARED)))
            _PREPARED[key] = blob
    return Document(io.BytesIO(blob))


class _Builder:
    """Writes the body as WordprocessingML text and parses it once at the end: one pass,
    no per-paragraph search of the body, style ids resolved once."""

    def __init__(self, reference: str | None) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn

        self.qn = qn
        if reference:
            _check_reference_zip(reference)
        try:
            self.doc = _prepared(reference)
            self.footnotes = Footnotes(self.doc)
        except ConfigError:
            raise
        except Exception as exc:  # python-docx and lxml raise several kinds on a bad file
            raise ConfigError(f"Cannot use {reference} as the reference document: "
                              f"{type(exc).__name__}. Give a .docx saved by Word or LibreOffice.") from None
        section = self.doc.sections[-1]
        if not reference:
            from docx.shared import Cm

            # The UN and most of the world print on A4.
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = Cm(2.3)
            section.top_margin = section.bottom_margin = Cm(2.2)
        width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        self.text_width = int(width) if width > 0 else 5_760_720  # 16 cm
        _page_numbers(section)
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        for child in list(self.body):
            self.body.remove(child)  # a reference document lends its look, not its text
        para = WD_STYLE_TYPE.PARAGRAPH
        self.style = {name: ensure_style(self.doc, name, para) for name in (
            "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Quote",
            "Caption", "TOC Heading", "toc 1", "toc 2", "Normal")}
        self._unlisted_headings()
        self._indent_toc()
        self.table_style = self._table_style()
        # Our own tables are ruled between rows, with no banding: a banded style is drawn
        # as boxes around every other row by LibreOffice (and so in the PDF). A reference
        # document's table style is its own look, kept as it is.
        self.table_borders = "" if reference else (
            '<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="4F81BD"/>'
            '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" '
            'w:color="4F81BD"/><w:right w:val="nil"/><w:insideH w:val="single" w:sz="4" '
            'w:space="0" w:color="B8CCE4"/><w:insideV w:val="nil"/></w:tblBorders>')
        self.parts: list[str] = []

    def _unlisted_headings(self) -> None:
        """Styles for the headings kept out of the contents (``{.unlisted}``): each looks
        as its heading style (based on it) but is body text in the outline, so that no
        refresh of the contents (Word's Update Field, LibreOffice's layout for the PDF)
        lists it. A built-in heading style with its outline level changed would still be
        listed by Word, whose contents field takes the heading styles by name."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for level in (1, 2, 3):
            name = f"Heading {level} (unlisted)"
            if name not in self.style:
                self.style[name] = ensure_style(self.doc, name, WD_STYLE_TYPE.PARAGRAPH)
            style = style_by_id(self.doc, self.style[name])
            style.base_style = style_by_id(self.doc, self.style[f"Heading {level}"])
            ppr = style.element.get_or_add_pPr()
            for old in ppr.findall(qn("w:outlineLvl")):
                ppr.remove(old)
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), "9")
            ppr.append(outline)

    def _indent_toc(self) -> None:
        """Contents entries indented by level and set close (10 pt, single spacing), so
        that a network with many themes keeps its contents on the title page. A reference
        document's own contents styles (an indent already set) are left as they are."""
        from docx.shared import Cm, Pt

        for level, name in ((0, "toc 1"), (1, "toc 2")):
            style = style_by_id(self.doc, self.style[name])
            if style.paragraph_format.left_indent is None:
                style.paragraph_format.left_indent = Cm(0.6 * level)
                style.paragraph_format.space_before = 0
                style.paragraph_format.space_after = 0
                style.paragraph_format.line_spacing = 1.0
                style.font.size = Pt(10)
        # Quotes set off as block quotes: indented on both sides (a reference document's
        # own indent is kept).
        quote = style_by_id(self.doc, self.style["Quote"])
        if quote.paragraph_format.left_indent is None:
            quote.paragraph_format.left_indent = Cm(1)
            quote.paragraph_format.right_indent = Cm(1)

    def _table_style(self) -> str:
        from docx.enum.style import WD_STYLE_TYPE

        for name in TABLE_STYLES:
            if style_element(self.doc, name, WD_STYLE_TYPE.TABLE) is not None:
                return ensure_style(self.doc, name, WD_STYLE_TYPE.TABLE)
        return ensure_style(self.doc, "Table Grid", WD_STYLE_TYPE.TABLE)

    # -- elements, as text --------------------------------------------------------------
    @staticmethod
    def _run(text: str, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
        props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        if size:
            props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        inner = '</w:t><w:tab/><w:t xml:space="preserve">'.join(_esc(t) for t in text.split("\t"))
        return f'<w:r>{rpr}<w:t xml:space="preserve">{inner}</w:t></w:r>'

    def _ppr(self, style: str | None, keep_next: bool = False, page_break: bool = False,
             hanging: int = 0, align: str | None = None, size: int | None = None) -> str:
        inner = f'<w:pStyle w:val="{_attr(self.style[style])}"/>' if style else ""
        if keep_next:
            inner += "<w:keepNext/>"
        if page_break:
            inner += "<w:pageBreakBefore/>"
        if hanging:
            inner += (f'<w:tabs><w:tab w:val="left" w:pos="{hanging}"/></w:tabs>'
                      f'<w:spacing w:after="60"/><w:ind w:left="{hanging}" w:hanging="{hanging}"/>')
        if align:
            inner += f'<w:jc w:val="{align}"/>'
        if size:
            inner += f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        return f"<w:pPr>{inner}</w:pPr>" if inner else ""

    def inline(self, content: list[Inline] | None, size: int | None = None) -> str:
        """Runs, with each footnote where the text puts it (``size``: in half-points)."""
        body = []
        for item in content or ():
            if isinstance(item, DocRun):
                body.append(self._run(item.text, item.bold, item.italic, size))
            else:
                body.append(self.footnotes.reference_xml(self.footnotes.add(plain(item.content))))
        return "".join(body)

    def paragraph(self, content: list[Inline] | None = None, style: str | None = None,
                  keep_next: bool = False, hanging: int = 0, page_break: bool = False) -> None:
        self.parts.append(f"<w:p>{self._ppr(style, keep_next, page_break, hanging)}"
                          f"{self.inline(content)}</w:p>")

    def table(self, header: list[list[Inline]], rows: list[list[list[Inline]]],
              widths: list[int], align: list[str], size: int | None = None) -> None:
        """A table with these column widths (twips); its header row repeats on every page
        and no row is split across pages; ``size``: its text's size in half-points (a
        wide table is set smaller rather than breaking its headers mid-word)."""
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{_attr(self.table_style)}"/>'
               f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{self.table_borders}'
               '<w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        out.append("</w:tblGrid>")
        for i, cells in enumerate([header, *rows]):
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if i == 0
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for j, (value, w) in enumerate(zip(cells, widths)):
                ppr = self._ppr(None, align="right" if align[j] == "right" else None, size=size)
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
                           f"<w:p>{ppr}{self.inline(value, size)}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def picture(self, png: bytes) -> None:
        from lxml import etree

        inline = self.doc.part.new_pic_inline(io.BytesIO(png), width=self.text_width, height=None)
        drawing = etree.tostring(inline, encoding="unicode")
        self.parts.append(f"<w:p>{self._ppr(None, keep_next=True, align='center')}"
                          f"<w:r><w:drawing>{drawing}"
                          "</w:drawing></w:r></w:p>")

    def toc(self, title: list[Inline], entries: list[tuple[int, str]],
            pages: list[int | None] | None = None) -> None:
        """A TOC field, pre-filled with the headings and (``pages``, from LibreOffice's
        layout) their page numbers after a dotted tab: Word shows it as it is, without
        asking to update fields on opening (Update Field refreshes it)."""
        self.paragraph(title, "TOC Heading")
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            self.parts.append(f"<w:p>{begin}{end}</w:p>")
            return
        right = self.text_width * 1440 // 914400
        for i, (level, text) in enumerate(entries):
            start = begin if i == 0 else ""
            stop = end if i == len(entries) - 1 else ""
            page = pages[i] if pages and i < len(pages) else None
            ppr = self._ppr(f"toc {min(level, 2)}")
            number = ""
            if page is not None:
                tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{right}"/></w:tabs>'
                ppr = ppr.replace("</w:pPr>", f"{tab}</w:pPr>", 1)
                number = f'<w:r><w:tab/></w:r>{self._run(str(page))}'
            self.parts.append(f"<w:p>{ppr}{start}{self._run(text)}{number}{stop}</w:p>")

    def finish(self, meta: dict[str, str]) -> bytes:
        """Save the package. The body and the footnotes, written as text, are spliced into
        their parts' XML as bytes: a long report is never parsed back into a tree."""
        if self.sect_pr is not None:
            self.body.append(self.sect_pr)
        self.doc.add_paragraph(_PLACEHOLDER)
        props = self.doc.core_properties
        props.title = meta.get("title", "")
        props.subject = meta.get("subject", "")
        props.author = meta.get("author", "")
        props.last_modified_by = meta.get("author", "")
        props.keywords = meta.get("keywords", "")
        props.comments = meta.get("comments", "")
        _set_language(self.doc, meta.get("lang", ""))
        props.revision = 1
        stamp = _fixed_time(meta.get("date"))
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
        _drop_thumbnail(self.doc)
        document = self.doc.part.blob
        mark = document.index(_PLACEHOLDER.encode())
        start = document.rindex(b"<w:p", 0, mark)
        end = document.index(b"</w:p>", mark) + len(b"</w:p>")
        body = "".join(self.parts).encode("utf-8")
        overrides = {
            str(self.doc.part.partname): document[:start] + body + document[end:],
            str(self.footnotes.part.partname): self.footnotes.blob(),
        }
        return _save_package(self.doc, overrides)


#: What a reference document may lend the report (relationships of its main part): styles,
#: page setup (in the body's last section properties), header and footer, and the parts
#: these need. Anything else (comments, people, custom XML, glossary, embedded objects,
#: images of its own body, attached templates) is dropped.
_LOOK_RELS = ("styles", "stylesWithEffects", "settings", "webSettings", "fontTable", "theme",
              "numbering", "footnotes", "endnotes", "header", "footer")
#: Settings that name people, files or data sources, or identify the document.
_SETTINGS_DROPPED = ("attachedTemplate", "docVars", "mailMerge", "docId", "rsids",
                     "documentProtection", "writeProtection")
_AUTHOR = re.compile(rb'\b(w1?[45]?:(?:author|initials))="[^"]*"')


def _keep_only_the_look(doc: Any) -> None:
    """Strip a document (a reference document, or python-docx's own template) down to its
    look: the report's properties are set by us alone, and nothing that carries a name or
    an e-mail (core, extended and custom properties, comments, people, custom XML parts,
    the glossary, authors of tracked changes, document variables) is published."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.parts.coreprops import CorePropertiesPart

    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype != RT.OFFICE_DOCUMENT:
            del package.rels[rid]  # core, app and custom properties, thumbnail, signatures
    package.relate_to(CorePropertiesPart.default(package), RT.CORE_PROPERTIES)

    from docx.oxml.ns import qn

    main = doc.part
    sect_pr = doc.element.body.find(qn("w:sectPr"))
    needed = _xml_text(sect_pr) if sect_pr is not None else ""
    for rid, rel in list(main.rels.items()):
        kind = rel.reltype.rsplit("/", 1)[-1]
        if rel.is_external or kind not in _LOOK_RELS:
            if kind == "image" and not rel.is_external and _cites(doc, rid, needed):
                continue  # a picture bullet of the numbering, or the page's own picture
            del main.rels[rid]
    settings = doc.settings.element
    for child in list(settings):
        if child.tag.rsplit("}", 1)[-1] in _SETTINGS_DROPPED:
            settings.remove(child)
    for rel in main.rels.values():
        if rel.reltype == RT.SETTINGS and not rel.is_external:
            for rid in list(rel.target_part.rels):  # attached template, mail-merge source
                del rel.target_part.rels[rid]
    for part in package.iter_parts():
        # Nothing the report keeps may make Word fetch anything: external relationships
        # (a 1-pt picture linked to a web server, a remote template) go, in every part.
        gone = set()
        for rid, rel in list(part.rels.items()):
            if rel.is_external:
                gone.add(rid)
                del part.rels[rid]
        if part is main:
            continue
        _clean_part(part, gone)


def _xml_text(element: Any) -> str:
    from lxml import etree

    return str(etree.tostring(element, encoding="unicode"))


def _cites(doc: Any, rid: str, needed: str) -> bool:
    """Whether the numbering part or the section properties refer to ``rid``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    if f'"{rid}"' in needed:
        return True
    for rel in doc.part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return f'"{rid}"'.encode() in rel.target_part.blob
    return False


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: VML and Office drawing attributes that can name a file or a web address directly.
_VML = ("{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office:office}")
#: Fields that fetch something when Word updates them (or on opening: DDEAUTO).
_FETCHING_FIELDS = frozenset({"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK",
                              "DDE", "DDEAUTO"})


def _remote(value: str) -> bool:
    value = value.strip().strip('"').strip()
    return "://" in value or value.startswith(("\\\\", "//")) or \
        value.lower().startswith(("mailto:", "file:"))


def _field_is_fetching(instruction: str) -> bool:
    """INCLUDETEXT, INCLUDEPICTURE, LINK, DDE, DDEAUTO (and their kin), whatever their
    case; HYPERLINK when it leads out of the document (not a ``\\l`` bookmark)."""
    words = instruction.split(None, 1)
    if not words:
        return False
    name = words[0].upper()
    if name in _FETCHING_FIELDS:
        return True
    return name == "HYPERLINK" and len(words) > 1 and _remote(words[1])


def _drop_fields(root: Any) -> None:
    """Fields that fetch something are removed: simple fields whole (a remote HYPERLINK
    keeps its text, as plain text), complex fields (``w:fldChar`` begin, ``w:instrText``,
    separate, result, end) from their first run to their last, nested or not."""
    for simple in list(root.iter(_W + "fldSimple")):
        if not _field_is_fetching(simple.get(_W + "instr", "")):
            continue
        parent = simple.getparent()
        if parent is None:
            continue
        if simple.get(_W + "instr", "").split(None, 1)[0].upper() == "HYPERLINK":
            index = parent.index(simple)
            for child in list(simple):
                if child.tag == _W + "r":
                    parent.insert(index, child)
                    index += 1
        parent.remove(simple)
    open_fields: list[dict[str, Any]] = []
    doomed: list[Any] = []
    for run in list(root.iter(_W + "r")):
        chars = run.findall(_W + "fldChar")
        kind = chars[0].get(_W + "fldCharType", "") if chars else ""
        if kind == "begin":
            open_fields.append({"instr": [], "runs": [], "result": [], "in_result": False})
        marker = bool(chars) or run.find(_W + "instrText") is not None
        for field in open_fields:
            field["runs"].append(run)
            if field["in_result"] and not marker:
                field["result"].append(run)
        if not open_fields:
            continue
        top = open_fields[-1]
        for text in run.iter(_W + "instrText", _W + "delInstrText"):
            top["instr"].append(text.text or "")
        if kind == "separate":
            top["in_result"] = True
        elif kind == "end":
            field = open_fields.pop()
            instruction = "".join(field["instr"])
            if _field_is_fetching(instruction):
                keep = field["result"] if instruction.split()[0].upper() == "HYPERLINK" else []
                doomed += [r for r in field["runs"] if not any(r is k for k in keep)]
    for run in doomed:
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def _drop_external_references(root: Any, gone: set[str]) -> None:
    """References to the relationships removed (``r:id``, ``r:link``, ``r:embed``...) are
    taken out, and VML addresses written in the element itself (``o:href``, ``src``)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        vml = element.tag.startswith(_VML)
        for name, value in list(element.attrib.items()):
            if (name.startswith(_R) and value in gone) or (
                    vml and name.rsplit("}", 1)[-1] in ("href", "src") and _remote(value)):
                del element.attrib[name]


def _clean_part(part: Any, gone: set[str] | frozenset[str] = frozenset()) -> None:
    """Authors of tracked changes blanked, comment marks and a reference document's own
    endnotes removed, references to removed external relationships (``gone``) and fields
    that fetch something (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE...) taken out, in a part
    the report keeps."""
    from lxml import etree

    blob = part.blob
    if not blob.lstrip().startswith(b"<"):
        return  # a picture or another binary part
    kind = str(part.content_type)
    changed = _AUTHOR.sub(rb'\1=""', blob)
    fields = b"instr" in changed.lower() or b"fldsimple" in changed.lower()
    if kind.endswith(("endnotes+xml", "header+xml", "footer+xml")) or b"comment" in changed \
            or gone or fields or b"href" in changed or b"src=" in changed:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(changed, parser)
        w = _W
        for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            for el in root.iter(w + tag):
                el.getparent().remove(el)
        if kind.endswith("endnotes+xml"):
            for note in root.findall(w + "endnote"):
                if int(note.get(w + "id", "1")) > 0:
                    root.remove(note)
        _drop_fields(root)
        _drop_external_references(root, set(gone))
        changed = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if changed == blob:
        return
    if hasattr(part, "_element"):
        from docx.oxml import parse_xml

        part._element = parse_xml(changed)
    else:
        part._blob = changed


def _fixed_time(date: str | None) -> dt.datetime:
    if date:
        try:
            return dt.datetime.fromisoformat(str(date)[:10])
        except ValueError:
            pass
    return dt.datetime(2000, 1, 1)


#: The region Word's proofing tools expect for a bare language code.
_REGION = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "pt": "pt-PT", "ar": "ar-SA",
           "ru": "ru-RU", "zh": "zh-CN", "de": "de-DE"}


def _set_language(doc: Any, language: str) -> None:
    """The document's language: its core property and the default language of its text
    (proofing in Word checks French text as French). A code that is not a plain language
    tag is left out."""
    if not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", language or ""):
        return
    tag = _REGION.get(language.lower(), language.replace("_", "-"))
    doc.core_properties.language = tag
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _drop_thumbnail(doc: Any) -> None:
    """python-docx's template carries its own thumbnail picture; a report should not."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]


class _FixedTimeZip:
    """python-docx's physical package writer, with fixed entry times (same input, same
    bytes) and the blobs we give for some parts."""

    def __init__(self, out: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def close(self) -> None:
        self.zip.close()


def _save_package(doc: Any, overrides: dict[str, bytes]) -> bytes:
    """Write the package as python-docx's own writer does, with ``overrides`` (partname ->
    blob) in place of those parts' serialised XML."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    for part in parts:
        blob = overrides.get(str(part.partname))
        writer.write(part.partname, part.blob if blob is None else blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


_STYLES = {None: None, "subtitle": "Subtitle"}
#: Widths for sizing table columns, in twentieths of a point: a character of a (bold)
#: header, generous so that no header word is broken; a character of a cell; the cell's
#: left and right margins.
_HEADER_CHAR = 155
_CHAR = 120
_CELL_MARGINS = 260


def _hanging(item: list[Inline]) -> list[Inline]:
    """A contributor: the code in bold, a tab, then the entry (indented under it)."""
    if len(item) > 1 and isinstance(item[0], DocRun) and item[0].bold \
            and isinstance(item[1], DocRun) and item[1].text.startswith(" "):
        return [item[0], DocRun("\t" + item[1].text[1:], item[1].bold, item[1].italic), *item[2:]]
    return item


#: Text sizes a table may be set in, in half-points, and their width against the body's:
#: the body's, 9 pt, 8 pt.
_TABLE_SIZES = ((None, 1.0), (18, 0.82), (16, 0.73))


def _toc_pages(entries: list[tuple[int, str]], pages: list[tuple[int, int, str]] | None
               ) -> list[int | None] | None:
    """The page of each contents entry: the headings LibreOffice laid out, matched to the
    entries in order by their text (None where one is not found)."""
    if not pages:
        return None
    out: list[int | None] = []
    at = 0
    for _, text in entries:
        key = " ".join(text.split())
        for j in range(at, len(pages)):
            if " ".join(pages[j][2].split()) == key:
                out.append(pages[j][1])
                at = j + 1
                break
        else:
            out.append(None)
    return out


def _page_numbers(section: Any) -> None:
    """The page number, centred in the footer, unless the reference document's footer says
    something already (its footer wins)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    footer = section.footer
    if not footer.is_linked_to_previous:
        xml = footer._element.xml
        if any(p.text.strip() for p in footer.paragraphs) or "fldSimple" in xml or \
                "instrText" in xml:
            return
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE ">'
                                  '<w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _widths(table: Table, total: int) -> tuple[list[int], int | None]:
    """Column widths (twips) from this build's content, and the text size (half-points;
    None: the body's): each column of numbers as wide as its header's longest word and its
    longest cell; the first column (the names, which may wrap between words) takes what is
    left. A table too wide for that (long headers, in French or Spanish too) is set in 9,
    then 8 pt, so that no header breaks inside a word; shrunk in proportion only when even
    8 pt does not fit."""
    def need(texts: list[str], per_char: float, whole: bool) -> int:
        sizes = [len(t) if whole else max((len(w) for w in t.split()), default=0)
                 for t in texts]
        return int(max(sizes, default=0) * per_char) + _CELL_MARGINS

    header = [plain(c) for c in table.header]
    columns = [[plain(row[j]) for row in table.rows] for j in range(len(header))]
    # Columns of prose (a list of States, a note) wrap between words like the first: they
    # share what is left with it, in proportion to their text, instead of taking their
    # longest cell's width whole and leaving the names a sliver.
    prose = [j == 0 or any(len(t) > 24 and " " in t for t in columns[j])
             for j in range(len(header))]
    weight = [sum(min(len(t), 200) for t in columns[j]) / max(len(columns[j]), 1) + 8
              for j in range(len(header))]
    widths: list[int] = []
    size: int | None = None
    for size, scale in _TABLE_SIZES:
        least = [max(need([header[j]], _HEADER_CHAR * scale, False),
                     need(columns[j], _CHAR * scale, not prose[j])) for j in range(len(header))]
        left = total - sum(w for j, w in enumerate(least) if not prose[j])
        shared = sum(weight[j] for j in range(len(header)) if prose[j])
        widths = [int(left * weight[j] / shared) if prose[j] else least[j]
                  for j in range(len(header))]
        if all(widths[j] >= least[j] for j in range(len(header))):
            widths[0] += total - sum(widths)  # rounding
            return widths, size
        if left >= sum(least[j] for j in range(len(header)) if prose[j]):
            # proportions would squeeze one below its longest word: each prose column
            # gets its least, the first what is left over
            widths = [least[j] for j in range(len(header))]
            widths[0] += total - sum(widths)
            return widths, size
    widths = least
    return [max(int(w * total / sum(widths)), 200) for w in widths], size


def render_docx(doc: Document, chart_png: bytes | None = None,
                reference_docx: str | None = None,
                pages: list[tuple[int, int, str]] | None = None) -> bytes:
    """The document as .docx bytes. ``reference_docx`` lends its styles, page setup,
    header and footer; ``pages``: each heading's page, as :func:`~.pdf.paginate` laid the
    document out, for the contents list."""
    b = _Builder(reference_docx)
    # The contents list the first two levels of headings (the TOC field's \o "1-2").
    entries = [(h.level - 1, plain(h.content)) for h in doc.blocks
               if isinstance(h, Heading) and 1 < h.level <= 3 and h.listed]
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading):
            style = "Title" if block.level == 1 else f"Heading {min(block.level - 1, 3)}"
            if block.level > 1 and not block.listed:
                style += " (unlisted)"
            b.paragraph(block.content, style, page_break=block.new_page)
        elif isinstance(block, Paragraph):
            b.paragraph(block.content, _STYLES.get(block.style),
                        keep_next=isinstance(after, (Table, Figure, BulletList)))
        elif isinstance(block, BulletList):
            for item in block.items:
                if block.style == "contributors":
                    b.paragraph(_hanging(item), hanging=1134)
                else:
                    b.paragraph(item, "List Bullet")
        elif isinstance(block, Quote):
            b.paragraph(block.content, "Quote")
        elif isinstance(block, Table):
            widths, size = _widths(block, b.text_width * 1440 // 914400)
            b.table(block.header, block.rows, widths, block.align, size)
        elif isinstance(block, Figure):
            if chart_png and block.target == "chart":
                b.paragraph(keep_next=True)  # the text, the chart and its caption together
                b.picture(chart_png)
                b.paragraph(block.caption, "Caption")
        elif isinstance(block, Contents):
            b.toc(block.title, entries, _toc_pages(entries, pages))
    return b.finish(doc.meta)
