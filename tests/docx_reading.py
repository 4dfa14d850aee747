"""Reading our Word files back in tests, as a reader would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn


@dataclass(frozen=True)
class Note:
    id: int
    text: str


def read_footnotes(document: Any) -> list[Note]:
    """The footnotes of an opened document (separators left out), in part order."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            return [Note(int(n.get(qn("w:id"))),
                         "".join(t.text or "" for t in n.iter(qn("w:t"))).strip())
                    for n in root.findall(qn("w:footnote")) if int(n.get(qn("w:id"))) > 0]
    return []
