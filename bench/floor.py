"""The streaming floor: the least work that turns the benchmark's submissions into a Word
file of the same kind, to compare our build with (issue 15).

It reads the CSV files with the standard library, groups the findings by issue area, and
streams WordprocessingML straight into the zip: a heading per issue area, a paragraph per
finding with one real footnote citing its submission. No checks, no merging, no grouping by
meaning, no privacy, no templates, no styles beyond Word's defaults: what any tool must at
least do to write such a file, done as cheaply as Python allows.

    python bench/floor.py DATA_FOLDER OUT.docx
"""

from __future__ import annotations

import csv
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
NOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/>'
    f'<Override PartName="/word/footnotes.xml" ContentType="{NOTES}"/></Types>')
ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
             f'xmlns="{PKG}"><Relationship Id="rId1" Type="{DOC_TYPE}" '
             'Target="word/document.xml"/></Relationships>')
DOC_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="{PKG}"><Relationship Id="rId1" Type="{NOTES_TYPE}" '
            'Target="footnotes.xml"/></Relationships>')
# Word wants the separator notes (ids -1 and 0) before the real ones.
NOTES_HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes '
              f'xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
              '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator"'
              ' w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
REF = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>'


def read(folder: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Issue area -> [(finding, submission, organization)], in the order read."""
    areas: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                for area in (a.strip() for a in (row.get("issue_area") or "").split(";")):
                    if area:
                        areas.setdefault(area, []).append(
                            (row["finding"], row["submission"], row["organization"]))
    return areas


def write(areas: dict[str, list[tuple[str, str, str]]], out: Path) -> int:
    """Stream the document and its footnotes into ``out``; the number of footnotes."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("word/_rels/document.xml.rels", DOC_RELS)
        note = 0  # the document first, then its footnotes in the same order (a zip takes
        with package.open("word/document.xml", "w", force_zip64=True) as doc:  # one at a time)
            doc.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                      f'xmlns:w="{W}" xmlns:r="{R}"><w:body>'.encode())
            for area in sorted(areas):
                doc.write(f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{escape(area)}</w:t></w:r>'
                          '</w:p>'.encode())
                for text, _, _ in areas[area]:
                    note += 1
                    doc.write((f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
                               + REF.format(note) + '</w:p>').encode())
            doc.write(b"</w:body></w:document>")
        note = 0
        with package.open("word/footnotes.xml", "w", force_zip64=True) as notes:
            notes.write(NOTES_HEAD.encode())
            for area in sorted(areas):
                for _, code, organization in areas[area]:
                    note += 1
                    notes.write((f'<w:footnote w:id="{note}"><w:p><w:r><w:rPr><w:vertAlign '
                                 'w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r>'
                                 f'<w:t xml:space="preserve"> {escape(code)}: '
                                 f'{escape(organization)}</w:t></w:r></w:p></w:footnote>'
                                 ).encode())
            notes.write(b"</w:footnotes>")
    return note


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    count = write(read(folder), out)
    print(f"{count:,} footnotes in {out}")


if __name__ == "__main__":
    main()
