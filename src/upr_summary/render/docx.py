"""Render the report as a Word document: built-in styles, real footnotes, a table of
contents, the chart, and byte-identical output for the same input.

The body is assembled in one pass: paragraphs are appended to the body element directly
(python-docx's ``add_paragraph`` looks for the section properties on every call, which
makes long documents quadratic), and style ids are resolved once.

>>> from upr_summary.summarize import summarize          # doctest: +SKIP
>>> data = render_docx(summarize(dataset, config))       # doctest: +SKIP
>>> data[:2]                                             # doctest: +SKIP
b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from ..errors import OutputError
from ..model import Cited, Report, Section
from .footnotes import Footnotes, ensure_style

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Fixed zip entry time, so that the same report gives the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
KIND_TITLES = {
    "individual": "Individual submissions",
    "joint": "Joint submissions",
    "nhri": "National human rights institution",
    "other": "Other submissions",
}
TABLE_STYLES = ("Light List Accent 1", "Table Grid")


class _Builder:
    """Appends paragraphs, tables and pictures to a document's body in one pass."""

    def __init__(self, reference: str | None) -> None:
        from docx import Document
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn

        self.qn = qn
        try:
            self.doc = Document(reference) if reference else Document()
        except Exception as exc:  # python-docx raises several kinds on a bad file
            raise OutputError(f"Cannot use {reference} as the reference document: "
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
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        for child in list(self.body):
            self.body.remove(child)  # a reference document lends its look, not its text
        self.footnotes = Footnotes(self.doc)
        para = WD_STYLE_TYPE.PARAGRAPH
        self.style = {name: ensure_style(self.doc, name, para) for name in (
            "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Quote",
            "Caption", "TOC Heading", "toc 1", "toc 2", "Normal")}
        self._indent_toc()
        self.table_style = self._table_style()

    def _indent_toc(self) -> None:
        from docx.shared import Cm

        for level, name in ((0, "toc 1"), (1, "toc 2")):
            style = next(s for s in self.doc.styles if s.style_id == self.style[name])
            if style.paragraph_format.left_indent is None:
                style.paragraph_format.left_indent = Cm(0.6 * level)
                style.paragraph_format.space_after = 0

    def _table_style(self) -> str:
        from docx.enum.style import WD_STYLE_TYPE

        names = {s.name for s in self.doc.styles if s.type == WD_STYLE_TYPE.TABLE}
        for name in TABLE_STYLES:
            if name in names:
                return ensure_style(self.doc, name, WD_STYLE_TYPE.TABLE)
        return ensure_style(self.doc, "Table Grid", WD_STYLE_TYPE.TABLE)

    # -- elements --------------------------------------------------------------------
    def _el(self, tag: str, parent: Any = None, **attrs: str) -> Any:
        from docx.oxml import OxmlElement

        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(self.qn(f"w:{key}"), value)
        if parent is not None:
            parent.append(el)
        return el

    def run(self, p: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
        r = self._el("w:r", p)
        if bold or italic:
            rpr = self._el("w:rPr", r)
            if bold:
                self._el("w:b", rpr)
            if italic:
                self._el("w:i", rpr)
        t = self._el("w:t", r)
        t.set(XML_SPACE, "preserve")
        t.text = text
        return r

    def paragraph(self, text: str = "", style: str | None = None, note: str | None = None,
                  keep_next: bool = False, hanging: int = 0, page_break: bool = False) -> Any:
        p = self._el("w:p")
        if style or keep_next or hanging or page_break:
            ppr = self._el("w:pPr", p)
            if style:
                self._el("w:pStyle", ppr, val=self.style[style])
            if keep_next:
                self._el("w:keepNext", ppr)
            if page_break:
                self._el("w:pageBreakBefore", ppr)
            if hanging:
                self._el("w:tab", self._el("w:tabs", ppr), val="left", pos=str(hanging))
                self._el("w:spacing", ppr, after="60")
                self._el("w:ind", ppr, left=str(hanging), hanging=str(hanging))
        if text:
            self.run(p, text)
        if note is not None:
            p.append(self.footnotes.reference(self.footnotes.add(note)))
        self.body.append(p)
        return p

    def heading(self, text: str, level: int, page_break: bool = False) -> Any:
        return self.paragraph(text, f"Heading {level}", page_break=page_break)

    def cited(self, item: Cited, style: str | None = None) -> Any:
        return self.paragraph(item.text, style, note=item.citation)

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        tbl = self._el("w:tbl")
        tblpr = self._el("w:tblPr", tbl)
        self._el("w:tblStyle", tblpr, val=self.table_style)
        self._el("w:tblW", tblpr, w=str(sum(widths)), type="dxa")
        self._el("w:tblLayout", tblpr, type="fixed")
        self._el("w:tblLook", tblpr, val="0420", firstRow="1", lastRow="0", firstColumn="0",
                 lastColumn="0", noHBand="0", noVBand="1")
        grid = self._el("w:tblGrid", tbl)
        for w in widths:
            self._el("w:gridCol", grid, w=str(w))
        for i, cells in enumerate([header, *rows]):
            tr = self._el("w:tr", tbl)
            if i == 0:
                self._el("w:tblHeader", self._el("w:trPr", tr))
            for j, (value, w) in enumerate(zip(cells, widths)):
                tc = self._el("w:tc", tr)
                self._el("w:tcW", self._el("w:tcPr", tc), w=str(w), type="dxa")
                p = self._el("w:p", tc)
                if j > 0:
                    self._el("w:jc", self._el("w:pPr", p), val="right")
                self.run(p, value)
        self.body.append(tbl)

    def picture(self, png: bytes) -> None:
        part = self.doc.part
        inline = part.new_pic_inline(io.BytesIO(png), width=self.text_width, height=None)
        p = self._el("w:p")
        self._el("w:jc", self._el("w:pPr", p), val="center")
        r = self._el("w:r", p)
        self._el("w:drawing", r).append(inline)
        self.body.append(p)

    def toc(self, entries: list[tuple[int, str]]) -> None:
        """A TOC field Word refreshes on opening, pre-filled with the headings for readers
        that do not update fields (LibreOffice's PDF export)."""
        self.paragraph("Contents", "TOC Heading")
        first = self._el("w:p")
        self._el("w:pStyle", self._el("w:pPr", first), val=self.style["toc 1"])
        self._el("w:fldChar", self._el("w:r", first), fldCharType="begin", dirty="true")
        instr = self._el("w:instrText", self._el("w:r", first))
        instr.set(XML_SPACE, "preserve")
        instr.text = ' TOC \\o "1-2" \\h \\z \\u '
        self._el("w:fldChar", self._el("w:r", first), fldCharType="separate")
        paragraphs = [first]
        for i, (level, text) in enumerate(entries):
            p = first if i == 0 else self._el("w:p")
            if i:
                self._el("w:pStyle", self._el("w:pPr", p), val=self.style[f"toc {min(level, 2)}"])
                paragraphs.append(p)
            self.run(p, text)
        end = self._el("w:p") if entries else first
        self._el("w:fldChar", self._el("w:r", end), fldCharType="end")
        if end is not first:
            paragraphs.append(end)
        for p in paragraphs:
            self.body.append(p)

    def finish(self, report: Report) -> bytes:
        if self.sect_pr is not None:
            self.body.append(self.sect_pr)
        props = self.doc.core_properties
        props.title = report.title
        props.subject = " ".join(x for x in (report.review, report.state, report.year) if x) or None
        props.author = report.network or ""
        props.last_modified_by = report.network or ""
        props.keywords = "Universal Periodic Review; civil society; human rights"
        props.comments = "Made with upr-summary"
        props.revision = 1
        stamp = _fixed_time(report.date)
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
        _drop_thumbnail(self.doc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return _normalise_zip(buffer.getvalue())


def _fixed_time(date: str | None) -> dt.datetime:
    if date:
        try:
            return dt.datetime.fromisoformat(str(date)[:10])
        except ValueError:
            pass
    return dt.datetime(2000, 1, 1)


def _drop_thumbnail(doc: Any) -> None:
    """python-docx's template carries its own thumbnail picture; a report should not."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _subtitle(report: Report) -> str | None:
    if report.subtitle:
        return report.subtitle
    parts = [p for p in (report.review, report.state) if p]
    text = ": ".join(parts)
    return f"{text} ({report.year})" if text and report.year else (text or None)


def _section(b: _Builder, section: Section, level: int) -> None:
    b.heading(section.title, level)
    if section.previous is not None:
        b.paragraph(section.previous.sentence, keep_next=bool(section.previous.highlights))
        for earlier in section.previous.highlights:
            p = b.paragraph(style="List Bullet")
            b.run(p, f"\u201c{earlier.text}\u201d", italic=True)
            b.run(p, f" ({earlier.attribution})")
    for item in section.findings:
        b.cited(item)
    for quote in section.quotes:
        p = b.paragraph(quote.text, "Quote")
        if quote.by:
            b.run(p, f" \u2014 {quote.by}", italic=True)
        p.append(b.footnotes.reference(b.footnotes.add(quote.citation)))
    if section.recommendations:
        b.paragraph("Recommendations", f"Heading {level + 1}")
        for item in section.recommendations:
            b.cited(item, "List Bullet")


def render_docx(report: Report, chart_png: bytes | None = None,
                reference_docx: str | None = None) -> bytes:
    """The report as .docx bytes. ``reference_docx`` lends its styles, page setup, header
    and footer."""
    b = _Builder(reference_docx)
    b.paragraph(report.title, "Title")
    subtitle = _subtitle(report)
    if subtitle:
        b.paragraph(subtitle, "Subtitle")
    byline = " \u00b7 ".join(x for x in (report.network, report.date) if x)
    if byline:
        b.paragraph(byline)

    grouped = any(g.title for g in report.groups)
    entries: list[tuple[int, str]] = [(1, "About this summary"), (1, "At a glance")]
    for group in report.groups:
        if group.title:
            entries.append((1, group.title))
        entries += [(2 if grouped else 1, s.title) for s in group.sections]
    entries.append((1, "Annex: Contributors"))
    if report.previous:
        entries += [(1, "Annex: Previous recommendations"), (1, "Annex: Gaps")]
    b.toc(entries)

    b.heading("About this summary", 1, page_break=True)
    if report.introduction:
        b.paragraph(report.introduction)
    b.paragraph(report.methodology)

    b.heading("At a glance", 1)
    b.paragraph("Findings, submissions and organizations per issue area. A finding that concerns "
                "several issue areas counts in each; organizations include the members of joint "
                "submissions.", keep_next=True)
    b.table(["Issue area", "Findings", "Submissions", "Organizations"],
            [[str(r["issue_area"]), str(r["findings"]), str(r["submissions"]),
              str(r["organizations"])] for r in report.glance],
            [3900, 1600, 1800, 1950])
    if chart_png:
        b.paragraph()
        b.picture(chart_png)
        b.paragraph("Figure 1. Findings, submissions and organizations per issue area", "Caption")

    for group in report.groups:
        if group.title:
            b.heading(group.title, 1)
        for section in group.sections:
            _section(b, section, 2 if grouped else 1)

    b.heading("Annex: Contributors", 1, page_break=True)
    for kind, title in KIND_TITLES.items():
        people = report.contributors.get(kind) or []
        if not people:
            continue
        b.heading(title, 2)
        for c in people:
            p = b.paragraph(hanging=1134)
            b.run(p, c.code, bold=True)
            name = c.name + (f", {c.city}" if c.city else "")
            b.run(p, f"\t{name}")
            if c.members:
                b.run(p, ". Members: " + "; ".join(c.members) + ".")
    if report.previous:
        _previous_annexes(b, report)
    return b.finish(report)


def _previous_annexes(b: _Builder, report: Report) -> None:
    b.heading("Annex: Previous recommendations", 1, page_break=True)
    if report.previous_note:
        b.paragraph(report.previous_note, keep_next=True)
    header = ["Issue area", "Total", "Supported", "Noted", "Other", "1", "2", "3", "4", "5",
              "States"]
    rows = [[p.issue_area, str(p.total), str(p.supported), str(p.noted),
             str(p.pending + p.other), *(str(n) for n in p.by_action), str(p.states)]
            for p in report.previous]
    b.table(header, rows, [2700, 800, 1200, 900, 850, 360, 360, 360, 360, 360, 850])
    b.heading("Annex: Gaps", 1)
    b.heading("Raised by civil society, not in earlier recommendations", 2)
    if not report.gaps_raised:
        b.paragraph("None: earlier recommendations touched every issue area of this summary.")
    for area, n in report.gaps_raised:
        b.paragraph(f"{area} ({n} finding{'s' * (n != 1)})", "List Bullet")
    b.heading("In earlier recommendations, raised by no submission", 2)
    if not report.gaps_unraised:
        b.paragraph("None: the submissions speak to every issue area of the earlier "
                    "recommendations.")
    for area, n in report.gaps_unraised:
        b.paragraph(f"{area} ({n} recommendation{'s' * (n != 1)})", "List Bullet")
