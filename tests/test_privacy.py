"""Nothing private in a published output.

The property test builds every output of ``privacy.PUBLISHED_OUTPUTS`` from generated
networks in which confidential submissions' names and own codes are planted in other
fields (with zero-width characters, NFD forms, other case, doubled spaces, hyphens) and in
the input files' names, with e-mail addresses in every kind of field, and checks that no
published file holds, after normalising, a confidential name, an own code as a word, an
input file name or an e-mail address. The regression tests pin each bypass of issue 10.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import shutil
import struct
import subprocess
import unicodedata
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upr_summary.build import build
from upr_summary.checks import check
from upr_summary.cli import cli
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.privacy import (
    PUBLISHED_OUTPUTS,
    Publisher,
    Redactor,
    find_emails,
    match_form,
    neutral_codes,
    normalise,
)

from .conftest import codes

COLUMNS = ["submission", "organization", "city", "issue_area", "finding", "recommendation",
           "quote", "quote_by", "contact_email", "confidential"]

# --- reading every published output back as text --------------------------------------


#: Between the parts of a package in :func:`_docx_text`: :func:`_leaks` looks for e-mail
#: addresses part by part, and remembers the parts it found clean (the styles and theme of
#: every build are the same).
PART_BREAK = "\n\f\n"


def _docx_text(path: Path) -> str:
    """Every part of the package: XML with tags as spaces and entities decoded; other
    parts (pictures) by their metadata only."""
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            part = [name]
            if name.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                part.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
                part.append(text)  # attribute values too
            elif data.startswith(b"\x89PNG"):
                part.append(_png_metadata(data))
            parts.append("\n".join(part))
    return PART_BREAK.join(parts)


@functools.lru_cache(maxsize=256)
def _has_email(part: str) -> bool:
    return bool(find_emails(part))


def _png_metadata(data: bytes) -> str:
    """The text of every chunk but the pixels (tEXt, zTXt, iTXt, eXIf ...)."""
    out, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            body = key + b" " + zlib.decompress(rest[1:])
        if kind not in (b"IDAT", b"IHDR", b"IEND", b"PLTE"):
            out.append(body.decode("latin-1"))
        pos += 12 + length
    return "\n".join(out)


def _pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True).stdout if shutil.which(
        "pdfinfo") else b""
    return (text + info).decode("utf-8", "replace")


def _stats(runner, paths: list[str], fmt: str) -> str:
    out = []
    for extra in ([], ["--cross"]):  # (--by type labels rows by type, never by data)
        result = runner.invoke(cli, ["stats", *paths, "--format", fmt, "--codebook", "none",
                                     "-q", *extra])
        assert result.exit_code == 0, result.output
        out.append(result.stdout)
    return "\n".join(out)


class Outputs:
    """Builds the report once (every format available here) and reads any published output."""

    def __init__(self, runner, paths: list[str], out: Path, config: Config | None = None,
                 reference: str | None = None, pdf: bool = True) -> None:
        self.runner, self.paths, self.out = runner, paths, out
        formats = ["docx", "md", "json", "compilation"] + (
            ["pdf"] if pdf and shutil.which("soffice") else [])
        self.result = build(paths, out, config or Config(), formats, codebook="none",
                            reference_docx=reference)

    def read(self, output: str) -> str:
        kind, fmt = output.split(".")
        if kind == "report":
            if fmt == "docx":
                return _docx_text(self.out / "executive-summary.docx")
            if fmt == "md":
                return (self.out / "executive-summary.md").read_text(encoding="utf-8")
            if fmt == "pdf":
                if not (self.out / "executive-summary.pdf").exists():
                    pytest.skip("LibreOffice is not installed")
                return _pdf_text(self.out / "executive-summary.pdf")
            if fmt == "chart":
                png = self.out / "executive-summary.png"
                if not png.exists():
                    return ""
                # The labels are drawn as pixels: they are the report's glance rows.
                labels = "\n".join(self.result.document.words(str(r["issue_area"]))
                                   for r in self.result.summary.glance)
                return _png_metadata(png.read_bytes()) + "\n" + labels
        if kind == "report" and fmt == "json":
            # read as the data it is (JSON escapes would hide a name from the search)
            data = json.loads((self.out / "executive-summary.json").read_text(encoding="utf-8"))
            return "\n".join(_strings(data))
        if kind == "compilation":
            path = self.out / f"compilation.{fmt}"
            if fmt == "pdf":
                if not path.exists():
                    pytest.skip("LibreOffice is not installed")
                return _pdf_text(path)
            return _docx_text(path) if fmt == "docx" else path.read_text(encoding="utf-8")
        if kind == "stats":
            return _stats(self.runner, self.paths, fmt)
        raise AssertionError(f"the privacy test cannot build the published output {output!r}: "
                             "teach Outputs.read to build it")


def _strings(value) -> list[str]:
    """Every key and text in a JSON value."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _leaks(text: str, names: list[str], codes: list[str], files: list[str]) -> list[str]:
    """What a published text gives away, found on its normalised form (written here
    independently of the redaction code: words in order with any non-word characters, or
    none, between them; codes as whole words)."""
    form = match_form(text)
    found = []
    for secret in [*names, *codes]:
        tokens = re.findall(r"\w+", match_form(secret))
        if tokens and re.search(r"(?<!\w)" + r"\W*".join(map(re.escape, tokens)) + r"(?!\w)",
                                form):
            found.append(secret)
    for name in files:
        if match_form(name) in form:
            found.append(name)
    if "@" in form or any(_has_email(part) for part in text.split(PART_BREAK)):
        found.append("an e-mail address")
    return found


# --- the property test -----------------------------------------------------------------

WORDS = ["rents", "rose", "evictions", "police", "water", "children", "shelter", "families",
         "2024", "per cent", "can", "all", "we"]
NAME_WORDS = ["Défenseurs", "Rainbow", "Straße", "Mujeres", "Ñandú", "Zürich", "Alliance",
              "Collective", "Voice", "Hope", "Élan"]
CODES = ["RDC", "SAFE", "CAN", "MX", "DEF", "C1", "ÉLAN"]
MANGLES = ["zw", "nfd", "upper", "lower", "spaces", "dash", "shy", "bidi", "compact"]


def mangle(name: str, how: str) -> str:
    if how == "zw":
        return "\u200b".join(name[i:i + 2] for i in range(0, len(name), 2))
    if how == "nfd":
        return unicodedata.normalize("NFD", name)
    if how == "upper":
        return name.upper()
    if how == "lower":
        return name.lower()
    if how == "spaces":
        return name.replace(" ", "  ")
    if how == "dash":
        return name.replace(" ", "-")
    if how == "shy":
        return name[:2] + "\u00ad" + name[2:]
    if how == "bidi":
        return "\u2067" + name[:3] + "\u2060" + name[3:] + "\u2069"
    return name.replace(" ", "")


text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
secret_sub = st.tuples(
    st.lists(st.sampled_from(NAME_WORDS), min_size=2, max_size=3, unique=True).map(" ".join),
    st.sampled_from(CODES),
)
public_finding = st.tuples(
    text,
    st.sampled_from(["finding", "quote", "recommendation", "issue_area", "city",
                     "organization", "quote_by"]),            # where the secret is planted
    st.sampled_from(["name", "code", "email"]),               # what is planted
    st.sampled_from(MANGLES),
    st.booleans(),                                            # tagged
)


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-")


def _network(tmp: Path, secrets: list[tuple[str, str]], findings: list) -> tuple[list[str], list[str]]:
    """One CSV per submission: each confidential one in a file named after it."""
    paths = []
    for k, (name, code) in enumerate(secrets):
        path = tmp / f"{_slug(name)}-{code.lower()}.csv"
        rows = [[code, name, "Port Alder", "Housing", f"{name} ({code}) documented evictions.",
                 f"{code} asks for {name} to be heard.", "", "", f"info@{_slug(name)}.example",
                 "yes"]]
        if k == 0:  # an untagged finding: it goes to the excluded list
            rows.append([code, name, "", "", f"Untagged note by {code}.", "", "", "", "", "yes"])
        paths.append(_csv(path, rows))
    rows = []
    for i, (words_, where, what, how, tagged) in enumerate(findings):
        name, code = secrets[i % len(secrets)]
        planted = {"name": mangle(name, how), "code": mangle(code, how),
                   "email": mangle(f"{_slug(name)}@{code.lower()}.example.org", how)}[what]
        row = {c: "" for c in COLUMNS}
        row.update(submission=f"PUB{i}", organization=f"Public Group {i}", city="Eastmere",
                   issue_area="Health" if tagged else "", finding=f"Rents {i}: {words_}.",
                   contact_email=f"pub{i}@public.example", confidential="no")
        if where == "organization":
            row["organization"] = f"Friends of {planted}"
        elif where == "issue_area":
            row["issue_area"] = planted
        else:
            row[where] = f"{words_} {planted} {words_}" if where != "city" else planted
        rows.append([row[c] for c in COLUMNS])
    paths.append(_csv(tmp / "public.csv", rows))
    return paths, [Path(p).name for p in paths]


def _csv(path: Path, rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(secret_sub, min_size=1, max_size=2, unique_by=lambda s: match_form(s[1])),
       st.lists(public_finding, min_size=1, max_size=5))
def test_no_published_output_gives_anything_away(tmp_path_factory, runner, secrets, findings):
    # Distinct names: one must not be a part of another here (each is checked whole).
    names = [n for n, _ in secrets]
    if len({match_form(n) for n in names}) < len(names):
        return
    tmp = tmp_path_factory.mktemp("net")
    paths, files = _network(tmp, secrets, findings)
    data = load(paths, Config(), codebook="none")
    assert data.errors == [], data.errors
    # (The PDF is LibreOffice's layout of the Word file read here; it is checked by the
    # next test, on a network with every kind of secret, so that each generated example
    # does not wait for LibreOffice.)
    outputs = Outputs(runner, paths, tmp / "out", pdf=False)
    codes = [c for _, c in secrets]
    for output in PUBLISHED_OUTPUTS:
        if output.endswith(".pdf"):
            continue
        leaks = _leaks(outputs.read(output), names, codes, files)
        assert not leaks, f"{output} gives away {leaks}"


def test_every_published_output_can_be_built_and_gives_nothing_away(runner, tmp_path):
    """The declared list and the test agree: an output added to the list must be built here;
    and none of them, the PDF included, gives away a confidential name, code, file name or
    e-mail address, named in the finding, the recommendation and the quote."""
    secrets = [("Rainbow Alliance", "RDC"), ("Défenseurs Élan Collective", "ÉLAN")]
    paths, files = _network(tmp_path, secrets, [
        ("rents rose", "finding", "name", "zw", True),
        ("evictions", "recommendation", "code", "", True),
        ("shelter", "quote", "name", "", False)])
    outputs = Outputs(runner, paths, tmp_path / "out")
    for output in PUBLISHED_OUTPUTS:
        if output.endswith(".pdf") and not shutil.which("soffice"):
            continue
        text = outputs.read(output)
        assert isinstance(text, str)
        leaks = _leaks(text, [n for n, _ in secrets], [c for _, c in secrets], files)
        assert not leaks, f"{output} gives away {leaks}"
    if shutil.which("soffice"):  # the PDFs were read, not empty
        assert "rents rose" in outputs.read("report.pdf")
        assert "rents rose" in outputs.read("compilation.pdf")


# --- the bypasses of issue 10, one by one ------------------------------------------------

RDC = ("submission,organization,city,issue_area,finding,recommendation,quote,contact_email,"
       "confidential\n"
       "RDC,Rainbow Defenders Collective,Port Alder,Housing,Evictions rose.,,,rdc@rainbow.example,yes\n")


def _all_published(runner, paths: list[str], out: Path, **kwargs) -> dict[str, str]:
    outputs = Outputs(runner, paths, out, pdf=False, **kwargs)  # (the PDF is not read here)
    return {o: outputs.read(o) for o in PUBLISHED_OUTPUTS if not o.endswith(".pdf")}


@pytest.mark.parametrize("written", [
    "Rain\u200bbow Defenders Collective",                               # zero-width space
    "Rainbow\u200d Defenders\ufeff Collective",                         # joiner, BOM
    "RAINBOW  defenders   COLLECTIVE",                                  # case, doubled spaces
    "Rainbow-Defenders-Collective",                                     # hyphens
    "#RainbowDefendersCollective",                                      # hashtag
    "www.rainbowdefenderscollective.org",                               # in a web address
    "Rain\u00adbow Defen\u00adders Collective",                         # soft hyphens
    "\u202eRainbow Defenders Collective\u202c",                         # bidi override
    "Ｒａｉｎｂｏｗ Ｄｅｆｅｎｄｅｒｓ Ｃｏｌｌｅｃｔｉｖｅ",                  # full width
])
def test_name_written_another_way_is_withheld(runner, tmp_path, write, written):
    path = write("s.csv", RDC + f"HTU,Harbour Tenants Union,,Housing,{written} was raided.,,,,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert not _leaks(text, ["Rainbow Defenders Collective"], ["RDC"], ["s.csv"]), output
    md = re.sub(r"[\u202a-\u202e\u2066-\u2069]", "", published["report.md"].replace("\\", ""))
    assert re.search(r"\[name withheld\](\.org)? was raided\.", md)


def test_nfd_accented_name_is_withheld(runner, tmp_path, write):
    name = "Défenseurs des Droits Élan"
    path = write("s.csv", "submission,organization,issue_area,finding,confidential\n"
                 f"DDE,{name},Housing,Evictions rose.,yes\n"
                 f"HTU,Harbour Tenants Union,Housing,{unicodedata.normalize('NFD', name)} spoke.,no\n"
                 f"ABC,Another Body,Housing,{name.upper()} spoke again.,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert not _leaks(text, [name], ["DDE"], []), output
        assert "fenseurs" not in match_form(text), output


def test_rdc_acronym_code_is_neutral_and_withheld(runner, tmp_path, write):
    path = write("s.csv", RDC + "HTU,Harbour Tenants Union,,Housing,"
                 "Rainbow Defenders Collective (RDC) documented 40 evictions; rdc staff were "
                 "arrested.,,,,no\n")
    outputs = Outputs(runner, [path], tmp_path / "out", pdf=False)
    md = outputs.read("report.md")
    assert "\\[name withheld\\] (\\[name withheld\\]) documented 40 evictions; \\[name " \
           "withheld\\] staff were arrested." in md
    assert "- **C1** Confidential submission" in md
    assert outputs.result.document.footnotes() == ["C1", "HTU"]
    for output in PUBLISHED_OUTPUTS:
        if not output.endswith(".pdf"):  # (built without: see the test of every output)
            assert not _leaks(outputs.read(output), ["Rainbow Defenders Collective"], ["RDC"],
                              []), output


def test_neutral_codes_never_collide_and_follow_the_own_codes(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding,confidential\n"
                 "ZED,Zed Org,Housing,a.,yes\nC1,Public C1,Housing,b.,no\nABC,Abc Org,Housing,c.,yes\n"
                 "c3,Lower c3,Housing,d.,no\n")
    data = load([path], Config(), codebook="none")
    assert neutral_codes(data.submissions.values()) == {
        "ZED": "C4", "C1": "C1", "ABC": "C2", "c3": "c3"}
    path = write("t.csv", "submission,organization,issue_area,finding,confidential\n"
                 "ZED,C1,Housing,a.,yes\n")
    assert neutral_codes(load([path], Config(), codebook="none").submissions.values()) == {
        "ZED": "C2"}


def test_confidential_name_or_code_as_issue_area(runner, tmp_path, write):
    path = write("s.csv", RDC + "HTU,Harbour Tenants Union,,Rainbow Defenders Collective,"
                 "Raids.,,,,no\nHTU,Harbour Tenants Union,,RDC,More raids.,,,,no\n"
                 "HTU,Harbour Tenants Union,,Water,Dry taps.,,,,no\n")
    outputs = Outputs(runner, [path], tmp_path / "out", pdf=False)
    report = outputs.result.summary
    words = outputs.result.document.words
    # One withheld label: both spellings count under it, so the counts still add up.
    assert [words(s.title) for s in report.sections] == ["[name withheld]", "Housing", "Water"]
    assert {**report.glance[0], "issue_area": words(report.glance[0]["issue_area"])} == {
        "issue_area": "[name withheld]", "submissions": 1, "organizations": 1, "findings": 2}
    rows = json.loads(outputs.runner.invoke(
        cli, ["stats", path, "--format", "json", "--codebook", "none", "-q"]).stdout)
    assert {r["issue_area"]: r["findings"] for r in rows} == {
        "[name withheld]": 2, "Housing": 1, "Water": 1}
    for output in PUBLISHED_OUTPUTS:
        if not output.endswith(".pdf"):  # (built without: see the test of every output)
            assert not _leaks(outputs.read(output), ["Rainbow Defenders Collective"], ["RDC"],
                              []), output


def test_email_repeated_in_a_finding_is_withheld_and_warned(runner, tmp_path, write):
    path = write("s.csv", RDC + "HTU,Harbour Tenants Union,,Housing,"
                 "Write to rdc@rainbow.example or r\u200bdc＠rainbow.example or "
                 "press [at] htu [dot] org.,,,b@htu.example,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    assert "Write to \\[e-mail withheld\\] or \\[e-mail withheld\\] or \\[e-mail withheld\\]." \
        in published["report.md"]
    for output, text in published.items():
        assert "@" not in match_form(text) and not find_emails(text), output
    problems = check(load([path], Config(), codebook="none")).warnings
    found = [(p.code, p.location.row, p.location.field) for p in problems
             if p.code == "email-in-text"]
    assert found == [("email-in-text", 3, "finding")]


def test_email_in_any_field_is_warned_with_its_place(write):
    path = write("s.csv", "submission,organization,city,issue_area,finding,recommendation,quote,"
                 "quote_by,confidential\n"
                 "HTU,Harbour a@b.org Union,c@d.org,e@f.org,g@h.org,i@j.org,k@l.org,m@n.org,no\n")
    problems = check(load([path], Config(), codebook="none")).problems
    assert sorted(p.location.field for p in problems if p.code == "email-in-text") == [
        "city", "finding", "issue_area", "organization", "quote", "quote_by", "recommendation"]


def test_coordinator_text_keeps_its_emails_but_not_confidential_names(runner, tmp_path, write):
    path = write("s.csv", RDC)
    config = Config(title="Summary", introduction="Write to upr@network.example. Thanks to "
                    "Rainbow Defenders Collective.")
    result = build([path], tmp_path / "out", config, ["md"], codebook="none")
    assert result.document.words(result.summary.introduction) == ("Write to upr@network.example. Thanks to "
                                          "[name withheld].")


def test_excluded_list_and_file_names_stay_off_the_published_report(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rainbow-alliance-for-trans-rights.yaml").write_text(
        "submission: RATR\norganization: Rainbow Alliance for Trans Rights\nconfidential: yes\n"
        "findings:\n  - finding: Police raids rose.\n    issue_area: Policing\n"
        "  - finding: Shelters closed.\n", encoding="utf-8")
    (folder / "public.csv").write_text("submission,organization,issue_area,finding\n"
                                       "HTU,Harbour Tenants Union,,Rents rose.\n", encoding="utf-8")
    paths = [str(folder)]
    published = _all_published(runner, paths, tmp_path / "out")
    for output, text in published.items():
        assert not _leaks(text, ["Rainbow Alliance for Trans Rights"], ["RATR"],
                          ["rainbow-alliance-for-trans-rights.yaml", "public.csv"]), output
    md = published["report.md"]
    assert ("3 findings read: 1 in the compilation as 1 concern; 1 concern in the summary "
            "(") in md and "words); 2 excluded (2 untagged)." in md
    # The working list on the terminal keeps file:row, for the coordinator to fix the rows.
    shown = runner.invoke(cli, ["build", *paths, "-o", str(tmp_path / "o2"), "--codebook", "none",
                                "--show-excluded", "-q"])
    assert shown.exit_code == 0, shown.output
    assert "rainbow-alliance-for-trans-rights.yaml:" in shown.stdout


def test_templates_cannot_read_the_working_record(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding\nHTU,Harbour Tenants Union,,x.\n")
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "summary.md.j2").write_text(
        "{% for e in summary.excluded %}{{ e._origin }}{% endfor %}", encoding="utf-8")
    from upr_summary.render.templating import TemplateError

    with pytest.raises(TemplateError):
        build([path], tmp_path / "out", Config(), ["md"], templates=str(folder))
    # Printed whole (its repr), the report names no input file either.
    (folder / "summary.md.j2").write_text(
        "{{ summary.excluded }} {{ summary.excluded | map('string') | join }} {{ summary }}",
        encoding="utf-8")
    build([path], tmp_path / "out", Config(), ["md"], templates=str(folder))
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert "x." in md and "s.csv" not in md and "_origin" not in md


def _reference_with_secrets(path: Path) -> None:
    """A reference .docx that carries a donor's e-mail in a custom property, a person in
    core creator and lastModifiedBy, a comment, people.xml and a custom XML part."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Old body text by donor@funder.example")
    doc.core_properties.author = "Jane Donor"
    doc.core_properties.last_modified_by = "jane.donor@funder.example"
    doc.core_properties.category = "Grant 42 jane.donor@funder.example"
    buffer = io.BytesIO()
    doc.save(buffer)
    src = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    extra = {
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
            'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
            'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CD'
            'D505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="DonorContact"><vt:lpwstr>jane.donor@'
            'funder.example</vt:lpwstr></property></Properties>'),
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {w}><w:comment '
            'w:id="0" w:author="Jane Donor" w:initials="JD"><w:p><w:r><w:t>Call me at jane.donor@'
            'funder.example</w:t></w:r></w:p></w:comment></w:comments>'),
        "word/people.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:people xmlns:w15="http://'
            'schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="Jane Donor">'
            '<w15:presenceInfo w15:providerId="None" w15:userId="jane.donor@funder.example"/>'
            '</w15:person></w15:people>'),
    }
    types = {
        "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        "word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        "word/people.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
    }
    rels = {
        "docProps/custom.xml": ("_rels/.rels", "http://schemas.openxmlformats.org/officeDocument/"
                                "2006/relationships/custom-properties", "docProps/custom.xml"),
        "word/comments.xml": ("word/_rels/document.xml.rels", "http://schemas.openxmlformats.org/"
                              "officeDocument/2006/relationships/comments", "comments.xml"),
        "word/people.xml": ("word/_rels/document.xml.rels", "http://schemas.microsoft.com/office/"
                            "2011/relationships/people", "people.xml"),
    }
    files = {n: src.read(n) for n in src.namelist()}
    for name, body in extra.items():
        files[name] = body.encode("utf-8")
        ct = f'<Override PartName="/{name}" ContentType="{types[name]}"/></Types>'
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"</Types>", ct.encode())
        rel_file, kind, target = rels[name]
        rel = f'<Relationship Id="rIdX{len(name)}" Type="{kind}" Target="{target}"/></Relationships>'
        files[rel_file] = files[rel_file].replace(b"</Relationships>", rel.encode())
    # A comment anchored in the body, and a header-less settings part naming a template.
    files["word/settings.xml"] = files["word/settings.xml"].replace(
        b"</w:settings>", b'<w:docVars><w:docVar w:name="owner" w:val="jane.donor@funder.example"/>'
        b"</w:docVars></w:settings>")
    with zipfile.ZipFile(path, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)


def test_reference_docx_lends_its_look_only(runner, tmp_path, write):
    reference = tmp_path / "reference.docx"
    _reference_with_secrets(reference)
    before = _docx_text(reference)
    assert "jane.donor@funder.example" in before and "Jane Donor" in before
    path = write("s.csv", "submission,organization,issue_area,finding\nHTU,Harbour Tenants Union,"
                 "Housing,Rents rose.\n")
    outputs = Outputs(runner, [path], tmp_path / "out",
                      config=Config(title="Summary", network="Arvenian Network"),
                      reference=str(reference))
    text = outputs.read("report.docx")
    assert "funder" not in text.casefold() and "jane" not in text.casefold()
    assert "@" not in text and "Old body text" not in text
    if shutil.which("soffice"):  # nor in the PDFs' text or properties (LibreOffice's export)
        for pdf in ("report.pdf", "compilation.pdf"):
            text = outputs.read(pdf)
            assert "Rents rose" in text and "Arvenian Network" in text, pdf
            assert "funder" not in text.casefold() and "jane" not in text.casefold(), pdf
    with zipfile.ZipFile(tmp_path / "out" / "executive-summary.docx") as z:
        names = z.namelist()
        core = z.read("docProps/core.xml").decode()
    assert not any(n.endswith(("custom.xml", "comments.xml", "people.xml")) for n in names)
    assert "<dc:creator>Arvenian Network</dc:creator>" in core
    assert "<cp:lastModifiedBy>Arvenian Network</cp:lastModifiedBy>" in core
    from docx import Document

    assert Document(str(tmp_path / "out" / "executive-summary.docx")).paragraphs[0].text == "Summary"


def test_common_word_code_is_warned(write):
    path = write("s.csv", "submission,organization,issue_area,finding,confidential\n"
                 "CAN,Clean Air Network,Air,Smog.,yes\nQX,Quiet Xylophones,Air,Noise.,yes\n"
                 "SAFE,Safe Haven Shelter,Air,Dust.,yes\nPUB,Public Body,Air,Air.,no\n")
    problems = check(load([path], Config(), codebook="none")).problems
    assert [(p.code, p.location.row) for p in problems
            if p.code.startswith("confidential-")] == [
        ("confidential-code-common-word", 2), ("confidential-code-common-word", 3)]


# --- the matching itself ----------------------------------------------------------------

@given(st.text(alphabet=st.sampled_from("aAéE\u0301 \u200b\u00ad-ßſﬁK\u212a한\u1100\u1161."),
               max_size=30))
def test_normalised_form_maps_back_to_the_original(text_):
    form, starts, ends = normalise(text_)
    assert len(form) == len(starts) == len(ends)
    assert all(0 <= s < e <= len(text_) for s, e in zip(starts, ends))
    assert form == match_form(text_) or not text_.isascii()


@given(st.sampled_from(["Rainbow Défenders", "Straße Élan", "Ñandú Voice"]),
       st.lists(st.sampled_from(MANGLES), min_size=1, max_size=3),
       st.sampled_from(["", "x ", "Hello, "]), st.sampled_from(["", " y", ". Bye"]))
def test_redactor_withholds_any_written_form(name, hows, before, after):
    written = name
    for how in hows:
        written = mangle(written, how)
    out = Redactor([name]).text(before + written + after)
    # Invisible characters around the name stay outside the span, in pairs.
    assert re.sub(r"[\u2060-\u2069\u200b\u00ad]", "", out) == before + "[name withheld]" + after
    assert out.count("\u2067") == out.count("\u2069")


def test_publisher_caches_and_keeps_public_text():
    from upr_summary.model import Location, Submission

    pub = Publisher([Submission("A", "individual", "Alpha Org", (), Location("a.csv", 2),
                                confidential=True)])
    assert pub.text("Nothing here.") == "Nothing here."
    assert pub.text("Alpha Org and A.") == "[name withheld] and [name withheld]."
    assert pub.own("Mail upr@x.org about Alpha Org") == "Mail upr@x.org about [name withheld]"


def test_classify_refuses_the_report_folder_and_build_warns_about_working_files(runner, tmp_path,
                                                                               write):
    path = write("s.csv", "submission,organization,issue_area,finding\nHTU,Harbour Tenants Union,"
                 "Housing,Rents rose.\nHTU,Harbour Tenants Union,,Water is dirty.\n")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", path, "-o", str(out), "-q"]).exit_code == 0
    refused = runner.invoke(cli, ["classify", path, "-o", str(out / "suggested.csv"), "-q"])
    assert refused.exit_code == 2 and not (out / "suggested.csv").exists()
    assert "working file" in refused.output
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    assert runner.invoke(cli, ["classify", path, "-o", str(elsewhere / "s.csv"), "-q"]).exit_code == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "s.csv").write_bytes((elsewhere / "s.csv").read_bytes())
    built = runner.invoke(cli, ["build", path, "-o", str(fresh), "-q"])
    assert built.exit_code == 0 and "is a working file" in built.stderr


def test_a_confidential_members_domain_and_ampersand_name_are_withheld(tmp_path, write):
    path = write("s.csv", "submission,organization,issue_area,finding,url,contact_email,confidential\n"
                 "LRA,Lawyers & Rights Alliance,Housing,a.,https://www.lra-arvenia.org/x,"
                 "info@lra-mail.org,yes\n"
                 "HTU,Harbour Tenants Union,Housing,Lawyers and Rights Alliance (lra-arvenia.org; "
                 "lra-mail.org) saw raids at rainbow_lra.,,b@gmail.com,no\n")
    result = build([path], tmp_path / "out", Config(), ["md"], codebook="none")
    text = result.document.words(result.summary.sections[0].findings[-1].text)
    assert text == ("[name withheld] ([name withheld]; [name withheld]) saw raids at "
                    "rainbow_[name withheld].")


def test_redaction_is_linear_enough_for_many_names():
    """500 names in one pattern: a long text is scanned once (no timing assertion; see
    bench/redaction.py for the figures)."""
    names = [f"Organisation Number {i} Collective" for i in range(500)]
    redactor = Redactor(names)
    text = " ".join(f"word{i}" for i in range(5000)) + " organisation number 499 collective"
    assert redactor.text(text).endswith(" [name withheld]")
    # (an "@" inside a word is an address, however spelt: withheld whole, in one pass)
    assert redactor.text("a" * 100_000 + "@" + "b" * 100_000) == "[e-mail withheld]"
    assert redactor.text("a@" * 100_000 + "b") == "[e-mail withheld]"
    assert redactor.text("a@b " * 50_000).count("[e-mail withheld]") == 50_000


# --- issue 10, second round: forms of a name, invisible characters, readable variants ---

def test_name_forms_drop_articles_legal_forms_and_acronym():
    from upr_summary.privacy import name_forms

    assert name_forms("The Rainbow Bridge Collective (RBC)") == [
        "rainbow bridge collective", "rainbow bridge collective rbc", "rbc",
        "the rainbow bridge collective", "the rainbow bridge collective rbc"]
    assert "rainbow bridge" in name_forms("Rainbow Bridge e.V.")
    assert "rainbow bridge" in name_forms("Rainbow Bridge A.C.")
    assert "puente arcoiris" in name_forms("El Puente Arcoiris ASBL")
    assert "arche" in name_forms("L'Arche Inc.")
    assert "women children" in name_forms("Women & Children")
    # A short form that is a common word is left out; real words are never dropped.
    assert name_forms("The One") == ["the one"]
    assert "rainbow bridge" not in name_forms("Rainbow Bridge Foundation")


def test_registered_name_with_article_and_acronym_is_withheld_in_its_short_forms(
        runner, tmp_path, write):
    path = write("s.csv", "Submission,Organization,Issue area,Finding,Confidential\n"
                 "RBX,The Rainbow Bridge Collective Ltd (RBC),Housing,Evictions rose.,yes\n"
                 "PUB,Open Door,Housing,We documented this with Rainbow Bridge Collective "
                 "and the RBC.,\n"
                 "PUB2,Friends of the network,Rainbow Bridge Collective,An area named so.,\n"
                 "JS1,Open Door; Rainbow Bridge Collective,Health,Joint finding on clinics.,\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert not _leaks(text, ["Rainbow Bridge Collective", "The Rainbow Bridge Collective"],
                          ["RBX", "RBC"], ["s.csv"]), output
        assert "rainbow" not in match_form(text), output
    assert "with \\[name withheld\\] and the \\[name withheld\\]." in published["report.md"]


@pytest.mark.parametrize("invisible", [
    "\u3164", "\u115f", "\u1160", "\uffa0", "\u180e", "\u034f", "\ufe0f", "\ufe00",
    "\U000e0041", "\U000e007f", "\u2064", "\u061c", "\u17b4", "\U0001d173", "\ufff0",
])
def test_every_default_ignorable_character_is_ignored(invisible):
    redactor = Redactor(["Rainbow Bridge Collective", "RBC"])
    for written in (f"Rain{invisible}bow Bridge Collective", f"Rainbow{invisible}Bridge "
                    f"Collective", f"R{invisible}BC"):
        assert redactor.text(f"x {written} y") == "x [name withheld] y", repr(written)


def test_default_ignorable_ranges_are_complete():
    """Every code point Unicode marks Default_Ignorable (checked against the property
    derived from the categories: Cf, variation selectors, fillers) is dropped."""
    from upr_summary.privacy import DEFAULT_IGNORABLE, match_form

    for a, b in DEFAULT_IGNORABLE:
        for code in range(a, min(b, a + 300) + 1):
            assert match_form("a" + chr(code) + "b") == "ab", hex(code)
    assert match_form("a\u2800b") == "a b"  # the braille blank is a space


READABLE = [
    "Rain-bow Bridge Col-lective", "Rain**bow** Bridge Collective", "<b>Rainbow</b> Bridge "
    "Collective", "R a i n b o w Bridge Collective", "Rainbow&#32;Bridge Collective",
    "Rainbow&nbsp;Bridge&amp;Collective", "Rainbow Bridge Collectives",
    "Rainbow Bridge Collective's", "R\u0430inbow Bridge C\u043ellective",
    "\u0391\u0392 Rainbow Bridge Collective", "Rainbow\u2800Bridge Collective",
    "RAINBOW_BRIDGE_COLLECTIVE", "the R.B.C. and", "R-B-C", "R. B. C.",
    "https://x.org/Rainbow%20Bridge%20Collective", "&#82;ainbow Bridge &#x43;ollective",
    "R&aacute;inbow Bridge Collective", "%52ainbow Bridge Collective",
    "\u0280\u1d00\u026a\u0274\u0299\u1d0f\u1d21 Bridge Collective",  # small capitals
]


@pytest.mark.parametrize("written", READABLE)
def test_readable_variants_of_a_name_and_code_are_withheld(runner, tmp_path, write, written):
    path = write("s.csv", "Submission,Organization,Issue area,Finding,Confidential\n"
                 "RBC,Rainbow Bridge Collective,Housing,Evictions rose.,yes\n"
                 f"PUB,Open Door,Housing,V1 we worked with {written} here.,\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        # read as a reader would: markup and entities gone, look-alikes as Latin letters
        plain = urllib.parse.unquote(html.unescape(re.sub(r"<[^>]+>|\*\*", "", text)))
        skeleton = re.sub(r"[\W_]+", "", match_form(plain))
        assert "rainbowbridge" not in skeleton and "bowbridgecol" not in skeleton, output
        assert not re.search(r"(?<![a-z])r\W{0,3}b\W{0,3}c(?![a-z])", match_form(plain)), output
    assert "Open Door" in published["report.md"]


def test_skeleton_matching_is_for_long_names_only():
    redactor = Redactor(["Open Door Collective", "RBC", "Our Home"])
    # Short names and codes keep whole-word matching: no word is eaten inside another.
    assert redactor.text("our homes, rb cooking, the herbcoat") == (
        "our homes, rb cooking, the herbcoat")
    assert redactor.text("Open-Door Col.lective") == "[name withheld]"


@pytest.mark.parametrize("public_code", ["RBC-2", "rbc_2", "JS-R.B.C", "RainbowBridgeCollective1",
                                         "THE-RAINBOW-BRIDGE"])
def test_public_code_holding_a_confidential_code_or_name_is_an_error(runner, tmp_path, write,
                                                                     public_code):
    path = write("s.csv", "Submission,Organization,Issue area,Finding,Confidential\n"
                 "RBC,Rainbow Bridge,Housing,Evictions rose.,yes\n"
                 f"{public_code},Other Org,Health,Clinic queues doubled.,\n")
    problems = check(load([path], Config(), codebook="none")).errors
    assert [(p.code, p.location.row, p.location.field) for p in problems] == [
        ("code-reveals-confidential", 3, "submission")]
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", path, "-o", str(out), "--codebook", "none", "-q"])
    assert result.exit_code == 1
    assert not out.exists() or not any(out.iterdir())
    for fmt in ("json", "csv", "markdown", "table"):
        counted = runner.invoke(cli, ["stats", path, "--format", fmt, "--codebook", "none", "-q"])
        assert counted.exit_code == 1 and public_code not in counted.stdout


def test_public_code_near_a_confidential_one_is_fine(write):
    path = write("s.csv", "Submission,Organization,Issue area,Finding,Confidential\n"
                 "RBC,Rainbow Bridge,Housing,Evictions rose.,yes\n"
                 "RBCX,Other Org,Health,Clinic queues doubled.,\n")
    assert check(load([path], Config(), codebook="none")).errors == []


OBFUSCATED = ["info[@]example[.]org", "info(@)example.org", "info@example. org",
              "info\\@example.org", "info at example dot org", "info AT example DOT org",
              "info (at) example (dot) org", "info at rainbow-bridge dot co dot uk",
              "info{at}example{dot}org", "info [at] example [.] org",
              "info at example [.] org", "info@example\u00b7org", "info@@example.org",
              "info@*example*.org"]


@pytest.mark.parametrize("written", OBFUSCATED)
def test_obfuscated_email_is_withheld_and_warned(runner, tmp_path, write, written):
    path = write("s.csv", "Submission,Organization,Issue area,Finding\n"
                 f"PUB,Open Door,Housing,E1 write to {written} today.\n")
    problems = check(load([path], Config(), codebook="none")).warnings
    assert [(p.code, p.location.row, p.location.field) for p in problems
            if p.code == "email-in-text"] == [("email-in-text", 2, "finding")]
    published = _all_published(runner, [path], tmp_path / "out")
    assert "E1 write to \\[e-mail withheld\\] today." in published["report.md"]
    for output, text in published.items():
        assert "example" not in text and "rainbow-bridge" not in text, output


def test_an_address_however_mangled_around_its_sign_is_withheld_whole():
    """Hostile trial: "ana@example,org", "ana@@example.org" ... were published as written.
    A handle ("@cite") has no word before its sign and stays."""
    from upr_summary.privacy import EMAIL_WITHHELD

    for written in ("ana@example,org", "ana@@example.org", "ana@*example*.org",
                    "ana@example\u00b7org", "x@y"):
        assert Redactor([]).text(f"Mail {written}.") == f"Mail {EMAIL_WITHHELD}.", written
    assert Redactor([]).text("See @cite and @UN_Geneva; 5 @ 10%.") == (
        "See @cite and @UN_Geneva; 5 @ 10%.")


def test_prose_with_at_and_dot_is_not_an_email():
    for prose in ("Look at the data.", "Look at that dot over there.", "We met at 5 dot 3.",
                  "Rents rose at a rate of 40 per cent. Org budgets fell."):
        assert find_emails(prose) == [], prose


def test_confidential_nhri_is_published_as_an_ordinary_confidential_submission(runner, tmp_path,
                                                                             write):
    path = write("s.csv", "Submission,Organization,Type,Issue area,Finding,Confidential\n"
                 "NHRI,Human Rights Commission of Arvenia,nhri,Housing,Evictions rose.,yes\n"
                 "PUB,Open Door,,Housing,Rents doubled in 2024.,\n")
    outputs = Outputs(runner, [path], tmp_path / "out")
    report = outputs.result.summary
    assert report.contributors["nhri"] == []
    assert [c.code for c in report.contributors["individual"]] == ["C1", "PUB"]
    for output in PUBLISHED_OUTPUTS:
        if output.endswith(".pdf") and not shutil.which("soffice"):
            continue
        text = outputs.read(output)
        assert "national human rights" not in text.casefold(), output
        assert not _leaks(text, ["Human Rights Commission of Arvenia"], ["NHRI"], ["s.csv"]), output
    by_type = runner.invoke(cli, ["stats", path, "--by", "type", "--format", "json",
                                  "--codebook", "none", "-q"])
    assert by_type.exit_code == 0, by_type.output
    assert [(r["type"], r["submissions"]) for r in json.loads(by_type.stdout)] == [
        ("individual", 2)]


def test_public_nhri_keeps_its_kind(runner, tmp_path, write):
    path = write("s.csv", "Submission,Organization,Type,Issue area,Finding\n"
                 "NHRI,Human Rights Commission of Arvenia,nhri,Housing,Evictions rose.\n")
    report = build([path], tmp_path / "out", Config(), ["md"], codebook="none").summary
    assert [c.code for c in report.contributors["nhri"]] == ["NHRI"]
    md = (tmp_path / "out" / "executive-summary.md").read_text(encoding="utf-8")
    assert "including the national human rights institution" in md


@pytest.mark.parametrize("text, phones", [
    ("Call our hotline +1 (555) 010-0199 or WhatsApp +44 7700 900123.",
     ["+1 (555) 010-0199", "+44 7700 900123"]),
    ("Jane Doe, tel 555-0100", ["555-0100"]),
    ("Appelez le 01 23 45 67 89", ["01 23 45 67 89"]),
    ("Llame al 55 1234 5678", ["55 1234 5678"]),
    ("+33 1 23 45 67 89", ["+33 1 23 45 67 89"]),
    # figures are not telephone numbers
    ("Evictions rose from 11,200 in 2021 to 19,800 in 2024.", []),
    ("rose by +4 per cent between 2019 and 2023", []),
    ("Law 123-456 of 2019, article 12.3.4", []),
    ("At least 31 people died in 2020 2021 2022 2023", []),
    ("call the 2020 census", []), ("The number was +12.5 per cent", []),
    ("In 2023, 1 234 567 people", []),
    # disguises from the hostile trial of issue 14
    ("Call us any time on 555 0100 123.", ["555 0100 123"]),
    ("+ 44 7700 900123", ["+ 44 7700 900123"]), ("0044 7700 900123", ["0044 7700 900123"]),
    ("Mob: 07700 900123", ["07700 900123"]), ("T. 020 7946 0958", ["020 7946 0958"]),
    ("SMS 07700900123", ["07700900123"]), ("text us: 07700 900 123", ["07700 900 123"]),
    ("tel 555~0100~12", ["555~0100~12"]), ("tel 5 5 5 0 1 0 0 1", ["5 5 5 0 1 0 0 1"]),
    ("phone lines in 2019 2020 and 2021", []), ("don't 2019 2020", []),
])
def test_telephone_numbers_are_found_and_figures_are_not(text, phones):
    from upr_summary.privacy import find_phones

    assert find_phones(text) == phones


def test_telephone_numbers_never_reach_a_published_output(runner, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text(
        "submission,organization,issue_area,finding,quote,quote_by\n"
        "PUB,Public Org,Housing,\"Call our hotline +1 (555) 010-0199 or WhatsApp +44 7700 "
        "900123; 11,200 evictions in 2021.\",They came at night.,\"Jane Doe, tel 555-0100\"\n",
        encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(tmp_path / "sub")])
    assert result.output.count("[phone-in-text]") == 2
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(tmp_path / "sub"), "-o", str(out), "--format",
                                 "docx,md,json,compilation"])
    assert result.exit_code == 0, result.output
    for path in out.iterdir():
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                               if n.endswith(".xml"))
        elif path.suffix in (".md", ".json"):
            text = path.read_text(encoding="utf-8")
        else:
            continue
        assert "555" not in text and "7700" not in text, path.name
        assert "phone number withheld" in text and "11,200" in text, path.name


# --- the hostile trial of issue 14: a person, a quote's speaker, a flag worded otherwise ---

def test_a_confidential_quote_is_published_without_its_speaker(runner, tmp_path, write):
    path = write("s.csv", "submission,organization,city,issue_area,finding,quote,quote_by,"
                 "confidential\n"
                 "RDC,Rainbow Defenders Collective,Port Alder,Housing,Evictions rose.,"
                 "We were thrown out at night.,\"Jane Roe, director, Port Alder\",yes\n"
                 "HTU,Harbour Tenants Union,,Housing,Rents rose.,They laughed at us.,"
                 "A tenant in Eastside,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert "Jane Roe" not in text and "Port Alder" not in text, output
    md = published["compilation.md"]
    assert "We were thrown out at night." in md  # the quote itself stays
    assert "A tenant in Eastside" in md          # a public submission's speaker too


@pytest.mark.parametrize("header", ["Name", "Full name", "Submitted by", "Submitter", "Author",
                                    "Contact person", "Nom", "Autor", "Phone"])
def test_a_person_column_is_never_the_organization_nor_published(runner, tmp_path, write,
                                                                   header):
    """A column naming a person is contact data: not taken for the organization (the
    sheet then lacks one, an error), and where the sheet has one, never output; the person
    of a confidential submission is withheld where another member's text names them."""
    lone = write("lone.csv", f"submission,{header},issue_area,finding\n"
                 "RDC,Jane Roe,Housing,Evictions rose.\n")
    loaded = load([lone], Config(), codebook="none")
    assert "missing-column" in codes(loaded.problems)
    assert all(s.organization != "Jane Roe" for s in loaded.submissions.values())
    path = write("s.csv", f"submission,organization,{header},issue_area,finding,confidential\n"
                 "RDC,Rainbow Defenders Collective,Jane Roe,Housing,Evictions rose.,yes\n"
                 "HTU,Harbour Tenants Union,Sam Poe,Housing,Jane Roe was arrested.,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert "Jane Roe" not in text and "Sam Poe" not in text, output
    assert "[name withheld] was arrested." in published["report.md"].replace("\\", "")


@pytest.mark.parametrize("header", [
    "Do you want your organisation to be named?", "Credit our organisation?",
    "May we mention you?", "Consent to be named", "¿Podemos nombrarlos?",
    "Nous nommer ?"])
def test_a_consent_column_fails_closed(write, header):
    path = write("s.csv", f"submission,organization,issue_area,finding,\"{header}\"\n"
                 "RDC,Rainbow Defenders Collective,Housing,Evictions rose.,No\n")
    assert "unrecognised-confidential-column" in codes(load([path], Config()).problems)


@pytest.mark.parametrize("header", ["Restricted", "Off the record", "Do not credit us"])
def test_a_flag_worded_otherwise_is_read_as_the_flag(write, header):
    path = write("s.csv", f"submission,organization,issue_area,finding,{header}\n"
                 "RDC,Rainbow Defenders Collective,Housing,Evictions rose.,yes\n")
    assert load([path], Config()).submissions["RDC"].confidential


@pytest.mark.parametrize("body", [
    "<<: {confidential: yes}\n",
    "submitter:\n  name: Jane Roe\n  confidential: yes\n",
    "extra:\n  - keep_private: yes\n",
])
def test_a_yaml_flag_out_of_place_fails_closed(write, body):
    path = write("s.yaml", "submission: RDC\norganization: Rainbow Defenders Collective\n"
                 + body + "issue_areas: Housing\nfindings:\n  - Evictions rose.\n")
    loaded = load([path], Config())
    assert {"unrecognised-confidential-column", "invalid-value"} & set(codes(loaded.problems))
    assert any(p.severity == "error" for p in loaded.problems)


@pytest.mark.parametrize("text, emails", [
    ("write to jane@ngo\u3002org", ["jane@ngo\u3002org"]),
    ("jane.doe at ngo-example.org", ["jane.doe at ngo-example.org"]),
    ("info at ngo.org", ["info at ngo.org"]),
    ("we protested at parliament.gov", []), ("arrived at 10.30 am", []),
])
def test_email_disguises_of_the_hostile_trial(text, emails):
    assert find_emails(text) == emails


# --- the second hostile trial of issue 14 --------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("org.csv", "submission,organization,city,issue_area,finding\n"
                "RDC,Rainbow Defenders (CONFIDENTIAL - do not publish),Velmora,Housing,Raids.\n"),
    ("city.csv", "submission,organization,city,issue_area,finding\n"
                 "RDC,Rainbow Defenders,Confidential - do not name us,Housing,Raids.\n"),
    ("confidential-do-not-publish-rdc.csv", "submission,organization,issue_area,finding\n"
                                            "RDC,Rainbow Defenders,Housing,Raids.\n"),
    ("rdc.yaml", "# CONFIDENTIAL - please do not publish our name\nsubmission: RDC\n"
                 "organization: Rainbow Defenders\nissue_areas: Housing\nfindings: [Raids.]\n"),
    ("status.yaml", "submission: RDC\norganization: Rainbow Defenders\nstatus: confidential\n"
                    "issue_areas: Housing\nfindings: [Raids.]\n"),
])
def test_confidentiality_asked_for_in_a_name_a_comment_or_a_key_fails(write, name, text):
    data = load([write(name, text)], Config())
    assert "confidential-elsewhere" in [p.code for p in data.errors]


def test_a_file_named_confidential_whose_rows_are_flagged_is_fine(write):
    path = write("confidential.csv", "submission,organization,issue_area,finding,confidential\n"
                 "RDC,Rainbow Defenders,Housing,Raids.,yes\n")
    assert not load([path], Config()).errors


@pytest.mark.parametrize("header, answer", [
    ("Keep our name out of the report?", "Yes please"),
    ("Protect our identity (risk of reprisals)", "Yes, absolutely"),
])
def test_an_unread_column_of_worded_yes_answers_fails(write, header, answer):
    path = write("s.csv", f"submission,organization,issue_area,finding,{header}\n"
                 f"RDC,Rainbow Defenders,Housing,Raids.,\"{answer}\"\n"
                 "HTU,Harbour Tenants Union,Housing,Rents.,No thanks\n")
    assert "unclear-confidential-column" in [p.code for p in load([path], Config()).errors]


@pytest.mark.parametrize("written", ["Rainbow Defenders\u02bc Collective",
                                     "Rainbow Defenders\u02bb Collective"])
def test_a_modifier_apostrophe_does_not_hide_a_name(written):
    redactor = Redactor(["Rainbow Defenders Collective"])
    assert redactor.text(f"The {written} was raided.") == "The [name withheld] was raided."


def test_a_confidential_contact_person_is_withheld_by_surname_too(runner, tmp_path, write):
    path = write("s.csv", "submission,organization,Contact person,issue_area,finding,confidential\n"
                 "RDC,Rainbow Defenders Collective,Maria Secretperson,Housing,Raids.,yes\n"
                 "HTU,Harbour Tenants Union,,Housing,\"Secretperson, M. Secretperson and "
                 "SECRETPERSON, Maria were arrested.\",no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        assert "secretperson" not in text.casefold(), output


@pytest.mark.parametrize("text, phones", [
    ("tel 020 7946 0958 or 020 7946 0959", ["020 7946 0958", "020 7946 0959"]),
    ("Phone: 07946 095888, 07946 095889", ["07946 095888", "07946 095889"]),
    ("Tel./fax: 020 7946 0958 / 0959", ["020 7946 0958", "0959"]),
    ("Tel: 020\u20137946\u20130958", ["020\u20137946\u20130958"]),
    ("Tel07946095888", ["07946095888"]),
    ("call 555 0100 123, 2019 and 2020 were bad", ["555 0100 123"]),
])
def test_numbers_listed_after_a_number_are_withheld(text, phones):
    from upr_summary.privacy import find_phones

    assert find_phones(text) == phones


@pytest.mark.parametrize("digits", ["\u0661\u0669", "\u06f1\u06f9", "\u0967\u096f"])
def test_a_name_or_code_with_digits_is_withheld_in_any_script_s_digits(runner, tmp_path,
                                                                       write, digits):
    """Hostile trial: "Article ١٩ Watch (A١٩W)" (Arabic-Indic, Persian, Devanagari digits)
    was published, in a finding and as an issue area."""
    path = write("s.csv", "Submission,Organization,Issue area,Finding,Confidential\n"
                 "A19W,Article 19 Watch,Housing,Evictions rose.,yes\n"
                 f"OV,Open Voices,Housing,Our partner Article {digits} Watch (A{digits}W) "
                 "recorded raids.,no\n"
                 f"OV,Open Voices,Article {digits} Watch follow-up,Homes were searched.,no\n")
    published = _all_published(runner, [path], tmp_path / "out")
    for output, text in published.items():
        # (every digit read as the digit it is, here and not by the code under test)
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
        assert not _leaks(text, ["Article 19 Watch"], ["A19W"], ["s.csv"]), output
    assert "Open Voices" in published["report.md"]


@pytest.mark.parametrize("written", ["ana_lopez@example.org", "bob_smith at example dot org",
                                     "j_doe [at] ngo [dot] org", "Ｊ_ｄｏｅ＠ngo.org"])
def test_an_e_mail_with_an_underscore_is_withheld_whole(written):
    """Hostile trial: "ana_lopez@example.org" was published as "ana_[e-mail withheld]"."""
    from upr_summary.privacy import EMAIL_WITHHELD

    assert Redactor([]).text(f"Write to {written} today.") == f"Write to {EMAIL_WITHHELD} today."
    assert find_emails(f"Write to {written} today.") == [written]


@pytest.mark.parametrize("written", ["charlie\uff20rights.org", "delta%40rights.org",
                                     "foxtrot arroba rights punto org", "golf(a)rights.org",
                                     "india\ufe6brights.org",
                                     "hotel \uff41\uff54 rights \uff44\uff4f\uff54 org"])
def test_every_spelling_the_build_withholds_is_also_warned(write, written):
    """Hostile trial: validate said nothing of these (its quick test looked only for "@"
    and "at"), though the build withholds them."""
    path = write("s.csv", "submission,organization,issue_area,finding\n"
                 f"HTU,Harbour Tenants Union,Housing,Write to {written} today.\n")
    problems = check(load([path], Config(), codebook="none")).problems
    assert [p.code for p in problems if p.code == "email-in-text"] == ["email-in-text"]
