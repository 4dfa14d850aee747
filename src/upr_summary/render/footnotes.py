"""Real Word footnotes for python-docx, which has no footnote API.

A footnote lives in the package part ``/word/footnotes.xml`` (content type
``...wordprocessingml.footnotes+xml``), related to the main document part by a
``.../relationships/footnotes`` relationship. The part holds the separator footnotes
(ids -1 and 0) and one ``w:footnote`` per note; the body cites a note with a run holding
``w:footnoteReference w:id=N``. Word numbers the notes itself, in the order of the
references. Two styles make them look right: "Footnote Text" (paragraph) and
"Footnote Reference" (character, superscript).

>>> from docx import Document
>>> doc = Document()
>>> notes = Footnotes(doc)
>>> p = doc.add_paragraph("Rents rose.")
>>> p._p.append(notes.reference(notes.add("HTU; JS1")))
>>> [n.text for n in notes.list()]
['HTU; JS1']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

_EMPTY_PART = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    "</w:footnotes>"
)


@dataclass(frozen=True)
class Note:
    id: int
    text: str


def ensure_style(document: Any, name: str, kind: WD_STYLE_TYPE) -> str:
    """The style id of a style, added (based on Normal) when the document lacks it."""
    styles = document.styles
    for style in styles:
        if style.type == kind and style.name is not None and style.name.lower() == name.lower():
            return str(style.style_id)
    style = styles.add_style(name, kind)
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = styles["Normal"]
    return str(style.style_id)


class Footnotes:
    """The footnotes of one document: reuses its footnotes part or adds one."""

    def __init__(self, document: Any) -> None:
        self.document = document
        main = document.part
        self.part: XmlPart | None = None
        for rel in main.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                target = rel.target_part
                if not isinstance(target, XmlPart):
                    # python-docx loads an unknown part as raw bytes: parse it in place.
                    target = XmlPart(target.partname, target.content_type,
                                     parse_xml(target.blob), main.package)
                    rel._target = target
                self.part = target
                break
        if self.part is None:
            element = parse_xml(_EMPTY_PART)
            self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element,
                                main.package)
            main.relate_to(self.part, RT.FOOTNOTES)
        self.root = self.part.element
        # A reference document's own notes are not ours: keep only the separators.
        for note in self.root.findall(qn("w:footnote")):
            if int(note.get(qn("w:id"))) > 0:
                self.root.remove(note)
        self.next_id = 1
        self.text_style = self._text_style()
        self.reference_style = self._reference_style()
        self._declare_in_settings()

    def _text_style(self) -> str:
        style_id = ensure_style(self.document, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        style = self.document.styles[self._name_of(style_id)]
        if style.font.size is None:
            style.font.size = Pt(9)
            style.paragraph_format.space_after = Pt(0)
        return style_id

    def _reference_style(self) -> str:
        style_id = ensure_style(self.document, "Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        style = self.document.styles[self._name_of(style_id)]
        style.font.superscript = True
        return style_id

    def _name_of(self, style_id: str) -> str:
        for style in self.document.styles:
            if style.style_id == style_id:
                return str(style.name)
        raise KeyError(style_id)

    def _declare_in_settings(self) -> None:
        """Word writes ``w:footnotePr`` naming the separators in settings; do the same."""
        settings = self.document.settings.element
        if settings.find(qn("w:footnotePr")) is not None:
            return
        pr = OxmlElement("w:footnotePr")
        for note_id in ("-1", "0"):
            ref = OxmlElement("w:footnote")
            ref.set(qn("w:id"), note_id)
            pr.append(ref)
        # Schema order: footnotePr comes before endnotePr and compat.
        anchor = settings.find(qn("w:endnotePr"))
        if anchor is None:
            anchor = settings.find(qn("w:compat"))
        if anchor is not None:
            anchor.addprevious(pr)
        else:
            settings.append(pr)

    def add(self, text: str) -> int:
        """Add a footnote holding ``text``; return its id for :meth:`reference`."""
        note_id = self.next_id
        self.next_id += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(note_id))
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), self.text_style)
        ppr.append(pstyle)
        p.append(ppr)
        mark = OxmlElement("w:r")
        mark.append(self._rpr())
        mark.append(OxmlElement("w:footnoteRef"))
        p.append(mark)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = " " + text
        run.append(t)
        p.append(run)
        note.append(p)
        self.root.append(note)
        return note_id

    def reference(self, note_id: int) -> Any:
        """A run that cites footnote ``note_id``; append it to a paragraph (``w:p``)."""
        run = OxmlElement("w:r")
        run.append(self._rpr())
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(note_id))
        run.append(ref)
        return run

    def _rpr(self) -> Any:
        rpr = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), self.reference_style)
        rpr.append(rstyle)
        return rpr

    def list(self) -> list[Note]:
        """The document's footnotes (separators left out), in part order."""
        out = []
        for note in self.root.findall(qn("w:footnote")):
            note_id = int(note.get(qn("w:id")))
            if note_id > 0:
                text = "".join(t.text or "" for t in note.iter(qn("w:t")))
                out.append(Note(note_id, text.strip()))
        return out


def read_footnotes(document: Any) -> list[Note]:
    """The footnotes of an opened document (for tests and checks), without changing it."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            return [Note(int(n.get(qn("w:id"))), "".join(t.text or "" for t in n.iter(qn("w:t"))).strip())
                    for n in root.findall(qn("w:footnote")) if int(n.get(qn("w:id"))) > 0]
    return []
