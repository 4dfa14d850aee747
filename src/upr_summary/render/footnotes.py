"""Real Word footnotes for python-docx, which has no footnote API.

A footnote lives in the package part ``/word/footnotes.xml`` (content type
``...wordprocessingml.footnotes+xml``), related to the main document part by a
``.../relationships/footnotes`` relationship. The part holds the separator footnotes
(ids -1 and 0) and one ``w:footnote`` per note; the body cites a note with a run holding
``w:footnoteReference w:id=N``. Word numbers the notes itself, in the order of the
references. Two styles make them look right: "Footnote Text" (paragraph) and
"Footnote Reference" (character, superscript).

The body and the notes are written as WordprocessingML text and spliced into their parts
when the package is saved (:mod:`.docx`): a long report is never parsed into a tree.

>>> from docx import Document
>>> notes = Footnotes(Document())
>>> cite = notes.reference_xml(notes.add("HTU; JS1"))
>>> b"HTU; JS1" in notes.blob() and 'w:footnoteReference w:id="1"' in cite
True
"""

from __future__ import annotations

import re
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_EMPTY_PART = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    "</w:footnotes>"
)


def ensure_style(document: Any, name: str, kind: WD_STYLE_TYPE) -> str:
    """The style id of a style, added (based on Normal) when the document lacks it.

    The styles are searched in their XML: python-docx's own lookup makes an object of
    every style for each search, a tenth of a second per document with Word's 160 styles.
    Names compare without case, as Word's built-in names differ from their UI names only
    in case ("heading 1", "Heading 1")."""
    found = style_element(document, name, kind)
    if found is not None:
        if not found.get(qn("w:styleId")):  # (a reference document's style without an id)
            found.set(qn("w:styleId"), _new_style_id(document, name))
        return str(found.get(qn("w:styleId")))
    # (added as python-docx's add_style does, without its second search for the name)
    style = StyleFactory(document.styles.element.add_style_of_type(
        BabelFish.ui2internal(name), kind, False))
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        normal = style_element(document, "Normal", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = StyleFactory(normal) if normal is not None else None
    return str(style.style_id)


def style_element(document: Any, name: str, kind: WD_STYLE_TYPE) -> Any:
    """The `w:style` element of the style of that name and kind, or None."""
    want, type_value = name.lower(), kind.xml_value
    for element in document.styles.element.iterchildren(qn("w:style")):
        if (element.get(qn("w:type")) or "paragraph") != type_value:
            continue
        named = element.find(qn("w:name"))
        if named is not None and (named.get(qn("w:val")) or "").lower() == want:
            return element
    return None


def _new_style_id(document: Any, name: str) -> str:
    """An id no style of the document has, made of the name's letters and digits."""
    taken = {e.get(qn("w:styleId")) for e in document.styles.element.iterchildren(qn("w:style"))}
    base = re.sub(r"[^A-Za-z0-9]", "", name) or "Style"
    made, n = base, 1
    while made in taken:
        n += 1
        made = f"{base}{n}"
    return made


def style_by_id(document: Any, style_id: str) -> Any:
    """The style (python-docx's object) whose id is ``style_id``."""
    for element in document.styles.element.iterchildren(qn("w:style")):
        if element.get(qn("w:styleId")) == style_id:
            return StyleFactory(element)
    raise KeyError(style_id)


class Footnotes:
    """The footnotes of one document: reuses its footnotes part or adds one."""

    def __init__(self, document: Any) -> None:
        self.document = document
        main = document.part
        part: XmlPart | None = None
        for rel in main.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                target = rel.target_part
                if not isinstance(target, XmlPart):
                    # python-docx loads an unknown part as raw bytes: parse it in place.
                    target = XmlPart(target.partname, target.content_type,
                                     parse_xml(target.blob), main.package)
                    rel._target = target
                part = target
                break
        if part is None:
            element = parse_xml(_EMPTY_PART)
            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element,
                           main.package)
            main.relate_to(part, RT.FOOTNOTES)
        self.part: XmlPart = part
        self.root = self.part.element
        # A reference document's own notes are not ours: keep only the separators.
        for note in self.root.findall(qn("w:footnote")):
            if int(note.get(qn("w:id"))) > 0:
                self.root.remove(note)
        self.next_id = 1
        self.pending: list[tuple[int, str]] = []
        self.text_style = self._text_style()
        self.reference_style = self._reference_style()
        self._declare_in_settings()

    def _text_style(self) -> str:
        style_id = ensure_style(self.document, "Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        style = style_by_id(self.document, style_id)
        if style.font.size is None:
            style.font.size = Pt(9)
            style.paragraph_format.space_after = Pt(0)
        return style_id

    def _reference_style(self) -> str:
        style_id = ensure_style(self.document, "Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        style = style_by_id(self.document, style_id)
        style.font.superscript = True
        return style_id

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
        """Add a footnote holding ``text``; return its id for :meth:`reference`. Notes are
        kept as text and written into the part in one go by :meth:`flush`."""
        note_id = self.next_id
        self.next_id += 1
        self.pending.append((note_id, text))
        return note_id

    def pending_xml(self) -> str:
        """The notes added since the last flush, as WordprocessingML text."""
        from xml.sax.saxutils import escape

        ppr = f'<w:pPr><w:pStyle w:val="{self.text_style}"/></w:pPr>'
        rpr = f'<w:rPr><w:rStyle w:val="{self.reference_style}"/></w:rPr>'
        return "".join(
            f'<w:footnote w:id="{note_id}"><w:p>{ppr}<w:r>{rpr}<w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(_XML_ILLEGAL.sub("", text))}</w:t></w:r>'
            "</w:p></w:footnote>"
            for note_id, text in self.pending)

    def blob(self) -> bytes:
        """The footnotes part as it will be saved, pending notes included, without parsing
        them (for long documents)."""
        blob: bytes = self.part.blob
        if not self.pending:
            return blob
        end = blob.rindex(b"</w:footnotes>")
        return blob[:end] + self.pending_xml().encode("utf-8") + blob[end:]

    def reference_xml(self, note_id: int) -> str:
        """The run that cites footnote ``note_id``, as WordprocessingML text."""
        return (f'<w:r><w:rPr><w:rStyle w:val="{self.reference_style}"/></w:rPr>'
                f'<w:footnoteReference w:id="{note_id}"/></w:r>')


