"""The loaders fail closed (issue 10): confidentiality flags are read only when clear, a CSV
quote that swallows rows is an error, and no ordinary input causes an internal error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from upr_summary.cli import cli
from upr_summary.config import Config, parse_config
from upr_summary.errors import ConfigError
from upr_summary.load import discover, load, read_file, shown_path
from upr_summary.load.assemble import code_problem, read_flag
from upr_summary.load.columns import confidentiality_header, match_header
from upr_summary.load.csvfile import _rows
from upr_summary.recommendations import load_recommendations

from .conftest import BAD

PRIVACY = BAD / "privacy-input"
HEADER = "submission,organization,issue_area,finding,"


def codes(problems) -> list[str]:
    return [p.code for p in problems]


@pytest.mark.parametrize("header", [
    "Is this submission confidential?", "Keep our name private", "Confidential (yes/no)",
    "Confidentiality", "Private?", "Anonymous submission", "Do not publish our name",
    "Confidencial", "Confidentiel", "Anonyme", "Ne pas publier", "¿Es confidencial?",
    "Confidentialité (oui/non)", "Don't publish", "Withhold our name", "Do not name us",
    "keep_private", "No publicar el nombre", "Keep confidential (Y/N)", "Secret",
    "Anonymus submission", "Keep our na\u200bme pri\u00advate", "CONFIDENTIAL",
])
def test_flag_headers_are_read_as_the_confidential_flag(header):
    assert confidentiality_header(header) == "flag"
    match = match_header(["Code", "Organisation", "Finding", header], {})
    assert match.fields["confidential"] == [3]


@pytest.mark.parametrize("header", [
    "Not confidential", "Non-confidential", "nonconfidential", "No es confidencial",
    "May we publish your name?", "Publish?", "Public", "Publier notre nom", "Confidental",
    "Confidentail", "Can we cite you?", "Privte", "C\u043enfidential", "Public submission?",
    "Make public", "Public name (yes/no)", "Public or confidential?",
])
def test_unclear_flag_headers_are_errors(header, write):
    assert confidentiality_header(header) == "unclear"
    path = write("a.csv", f"{HEADER}{header}\nRDC,Rainbow Defenders Collective,Housing,x,no\n")
    data = load([path], Config())
    assert "unrecognised-confidential-column" in codes(data.errors)


@pytest.mark.parametrize("header", [
    "Contact name", "Publication date", "Secretariat", "Privatization", "Confidence score",
    "Province", "Quote by", "Source document", "Display name", "Identifier", "Public URL",
    "Public statement link",
])
def test_ordinary_headers_are_not_flags(header):
    assert confidentiality_header(header) is None


@pytest.mark.parametrize("value,expected", [
    ("yes", True), (" Yes ", True), ("Y", True), ("x", True), ("Oui", True), ("sí", True),
    ("confidential", True), ("TRUE", True), ("1", True), ("no", False), ("No.", False),
    ("non", False), ("public", False), ("0", False), ("maybe", None), ("?", None),
    ("yes?", None), ("no?", None), ("TBD", None), ("ask Maria", None), ("N/A", None),
    ("none", None), ("=IF(1=1,\"yes\",\"no\")", None), ("yes no", None), ("-", None),
    ("ｙｅｓ", True), ("nope", None),
])
def test_flag_values(value, expected):
    assert read_flag(value) is expected


def test_an_explicit_mapping_wins_but_a_second_flag_is_an_error(write):
    text = f"{HEADER}Keep our name private,Visibility\nRDC,Rainbow,Housing,x,yes,public\n"
    data = load([write("a.csv", text)], parse_config("columns:\n  confidential: Visibility\n"))
    assert codes(data.errors) == ["unrecognised-confidential-column"]
    assert not data.submissions["RDC"].confidential  # 'public' in the mapped column
    # Mapped to another field by the project file: the coordinator said what it is.
    cfg = parse_config("columns:\n  quote_by: Keep our name private\n")
    data = load([write("b.csv", f"{HEADER}Keep our name private\nRDC,R,Housing,x,Ana\n")], cfg)
    assert data.errors == [] and not data.submissions["RDC"].confidential


def test_two_flag_columns_are_an_error_even_as_synonyms(write):
    data = load([write("a.csv", f"{HEADER}Confidential,Private\nRDC,R,Housing,x,no,yes\n")],
                Config())
    assert codes(data.errors) == ["duplicate-confidential-column"]


@pytest.mark.parametrize("name", ["header-question.csv", "header-keep-private.csv",
                                  "header-french-spanish.csv", "header-confidencial.csv",
                                  "key-keep-private.yaml"])
def test_recognised_flags_keep_the_name_out_of_the_report(runner, name, tmp_path):
    data = load([str(PRIVACY / name)], Config())
    assert data.submissions["RDC"].confidential
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(PRIVACY / name), "-o", str(out), "-q",
                                 "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Rainbow Defenders" not in (out / "executive-summary.md").read_text(encoding="utf-8")


# --- CSV quotes that swallow rows -----------------------------------------------------------

@pytest.mark.parametrize("name", ["unclosed-quote.csv", "swallowed-rows.csv",
                                  "swallowed-by-quote.csv"])
def test_a_swallowing_quote_fails_the_build_and_the_rows_are_read_again(runner, name, tmp_path):
    data = load([str(PRIVACY / name)], Config())
    assert codes(data.errors) in (["unclosed-quote"], ["swallowed-rows"])
    assert data.errors[0].location.row == 2
    assert "HTU" not in data.submissions  # the broken row itself is not read
    assert data.submissions["RDC"].confidential  # the swallowed rows are
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(PRIVACY / name), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize("code", ["htu", "Htu", "hTu2"])
def test_a_quote_swallowing_rows_with_lower_case_codes_fails(write, code):
    """Codes in lower case, on a sheet of five columns: the swallowed lines are still
    seen as rows (the confidential one among them is read, and its flag kept)."""
    path = write("s.csv", "submission,organization,issue_area,finding,confidential\n"
                 f'{code},Harbour Tenants Union,Housing,"Evictions rose.,no\n'
                 "rdc,Rainbow Defenders Collective,Housing,Raids on the office.,yes\n"
                 'abc,Another Body,Housing,"Rents rose.",no\n')
    data = load([path], Config())
    assert codes(data.errors) == ["swallowed-rows"]
    assert data.submissions["rdc"].confidential


def test_a_list_in_prose_inside_a_cell_is_not_a_row(write):
    path = write("s.csv", "submission,organization,issue_area,finding,confidential\n"
                 'htu,Harbour Tenants Union,Housing,"Evictions rose.\nWater, food, housing, '
                 'health\nand schools.",no\n')
    data = load([path], Config())
    assert not data.errors and "Water, food" in data.findings[0].text


def test_rows_keep_their_numbers_after_a_broken_quote():
    problems: list = []
    text = 'a,b,c\n1,"x,y\n2,3,4\n5,6,7\n'
    assert list(_rows(text, ",", "f.csv", problems)) == [
        (1, ["a", "b", "c"]), (3, ["2", "3", "4"]), (4, ["5", "6", "7"])]
    assert codes(problems) == ["unclosed-quote"] and problems[0].location.row == 2


def test_legitimate_multiline_cells_and_loose_quotes_are_read():
    problems: list = []
    text = ('a,b,c,d\n1,"line one, with commas, here,\nline two, and, more, of them",3,4\n'
            '2,"x" ,y,z\n3,"He said ""hi""",y,z\n')
    rows = list(_rows(text, ",", "f.csv", problems))
    assert problems == [] and [n for n, _ in rows] == [1, 2, 3, 4]
    assert rows[2][1] == ["2", "x ", "y", "z"]


@pytest.mark.parametrize("line,width,row", [
    ("C1,Secret Org,Housing,x", 4, True), ("RDC,Rainbow,Trans tenants", 6, True),
    ("JS12;Org;Housing", 4, False), ("rdc,a,b,c,d,e", 6, True), ("rdc,a,b", 4, False),
    ("UN, WHO, and UNICEF said so.", 4, False), ("Furthermore, water, food, housing", 4, False),
    ("In 2024, rents, prices, all rose.", 4, False), ("HRW", 4, False),
])
def test_row_shaped_lines(line, width, row):
    from upr_summary.load.csvfile import _looks_like_row

    assert _looks_like_row(line, ",", width) is row


def test_reading_stops_after_many_broken_quotes():
    problems: list = []
    # Each quote swallows a row-shaped line and closes inside the next line.
    text = "a,b,c\n" + "".join(f'A{i},"open\nB{i},c,d\nC{i},close",x\n' for i in range(30))
    rows = list(_rows(text, ",", "f.csv", problems))
    assert len(rows) == 1 + 2 * 10
    assert codes(problems) == ["swallowed-rows"] * 11 and "NOT read" in problems[-1].message


# --- no internal error while reading --------------------------------------------------------

@pytest.mark.parametrize("encoding", ["klingon", "base64", "rot13", "undefined", "hex", "zlib",
                                      ""])
def test_unknown_encodings_are_refused_in_the_project_file(encoding, runner, tmp_path):
    if not encoding:
        assert parse_config("encoding: ''\n").encoding is None  # detect
        return
    with pytest.raises(ConfigError, match="unknown text encoding"):
        parse_config(f"encoding: {encoding}\n")
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "a.csv").write_text(f"{HEADER.rstrip(',')}\nA1,Org,Housing,Rents rose.\n")
    (folder / "upr-summary.yaml").write_text(f"encoding: {encoding}\n")
    for command in (["validate", str(folder)], ["build", str(folder), "-o", str(tmp_path / "o")]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2
        assert "unknown text encoding" in result.stderr and "Internal error" not in result.output


def test_known_encodings_are_normalised():
    assert parse_config("encoding: Latin1\n").encoding == "iso8859-1"
    assert parse_config("encoding: UTF8\n").encoding == "utf-8"


@pytest.mark.parametrize("action", ["²", "⑤", "1.5", "six", "٣", "0", "6"])
def test_odd_action_categories_are_warnings(action, write):
    path = write("recs.csv", "recommendation,recommending_state,response,issue_area,cycle,"
                 f"action_category\nEnd detention,Norland,Supported,Migrants,session ²,{action}\n")
    recs = load_recommendations(path, None)
    assert codes(recs.problems) == ["invalid-value"]
    assert recs.items[0].action is None and recs.items[0].cycle == "session ²"


@pytest.mark.parametrize("code,ok", [
    ("JS1", True), ("ÉCO-2", True), ("JS 3", True), ("A.B_C/1", True), ("Ωμέγα", True),
    ("Cote d'Ivoire", True), ("Trinidad & Tobago", True), ("&#40;Unknown&#41;", True),
    ("JS\u20131", True), ("١٢", True),
    ("JS1²", False), ("ＪＳ1", False), ("A\u200b1", False), ("B1\u202e", False),
    ("HTU\U0001f642", False), ("J\ufb01", False), ("A\x00", False), ("JS\u00a01", False),
    ("A\u2028B", False), ("X\u2167", False), ("X\u2460", False), ("A\ue000", False),
])
def test_codes(code, ok):
    assert (code_problem(code) is None) is ok


def test_code_in_nfd_is_read_as_nfc(write):
    data = load([write("a.csv", f"{HEADER.rstrip(',')}\nE\u0301CO,Org,Housing,x\n")], Config())
    assert data.errors == [] and list(data.submissions) == ["\u00c9CO"]


def test_odd_codes_never_crash_the_build(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(BAD / "reading" / "odd-codes.csv"), "-o",
                                 str(tmp_path / "o")])
    assert result.exit_code == 1 and "invalid-code" in result.stderr
    assert "Internal error" not in result.output


@pytest.fixture
def undecodable(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"r\xe9sum\xff.csv")
    try:
        with open(name, "wb") as f:
            f.write(f"{HEADER.rstrip(',')}\nA1,Org A,Housing,Rents rose.\nA2,Org B,Zzyzx area,x\n".encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses undecodable names")
    return folder


def test_undecodable_file_names_are_shown_escaped(runner, undecodable, tmp_path):
    data = load([str(undecodable)], Config())
    assert data.files == [str(undecodable / "r\\xe9sum\\xff.csv")]
    assert data.warnings[0].location.file == data.files[0]
    for command in (["validate", str(undecodable)], ["validate", "--json", str(undecodable)],
                    ["build", str(undecodable), "-o", str(tmp_path / "o"), "-q"],
                    ["classify", str(undecodable), "-o", str(tmp_path / "c.csv")],
                    ["stats", str(undecodable)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, (command, result.output)
        assert "Internal error" not in result.output
    assert "sum\\xff.csv" in runner.invoke(cli, ["validate", str(undecodable)]).output


def test_an_undecodable_file_named_on_the_command_line_is_read(undecodable):
    [path] = os.listdir(os.fsencode(undecodable))
    data = load([os.fsdecode(os.path.join(os.fsencode(undecodable), path))], Config())
    assert len(data.findings) == 2 and data.files[0].endswith("r\\xe9sum\\xff.csv")


def test_a_very_long_file_name_is_a_problem(runner, tmp_path):
    name = str(tmp_path / ("x" * 5000 + ".csv"))
    for command in (["validate", name], ["build", name, "-o", str(tmp_path / "o")]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1
        assert "unreadable-file" in result.output or "cannot be used" in result.output
        assert "Internal error" not in result.output
    problems: list = []
    assert discover([name], problems) == []
    assert codes(problems) == ["unreadable-file"] and len(problems[0].location.file) < 500


def test_shown_path():
    assert shown_path("a/b.csv") == "a/b.csv"
    assert shown_path(os.fsdecode(b"a/\xff.csv")) == "a/\\xff.csv"
    long = shown_path("y" * 5000)
    assert len(long) < 500 and long.startswith("yyy") and "…" in long


def test_a_file_that_vanishes_or_cannot_be_read(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "a.csv").write_text(f"{HEADER.rstrip(',')}\nA1,Org,Housing,x\n")
    (folder / "b.yaml").write_text("submission: B1\n")
    problems: list = []
    files = discover([str(folder)], problems)
    assert len(files) == 2
    (folder / "a.csv").unlink()
    (folder / "b.yaml").unlink()
    (folder / "b.yaml").mkdir()  # now a folder where the file was
    for path, reader in files:
        assert read_file(path, reader, Config(), problems) == []
    assert codes(problems) == ["unreadable-file", "unreadable-file"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root reads every file")
def test_a_file_without_permission(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER.rstrip(',')}\nA1,Org,Housing,x\n")
    path.chmod(0)
    try:
        data = load([str(path)], Config())
    finally:
        path.chmod(0o644)
    assert codes(data.errors) == ["unreadable-file"]


def test_a_file_refused_by_the_system_while_reading(tmp_path, monkeypatch):
    """Permission denied (or any other refusal) when the file is opened: a problem."""
    import upr_summary.load as loader

    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER.rstrip(',')}\nA1,Org,Housing,x\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader, "open", refuse, raising=False)
    data = load([str(path)], Config())
    assert codes(data.errors) == ["unreadable-file"]
    assert "Permission denied" in data.errors[0].message


def test_every_new_problem_code_is_in_the_readme():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ("unrecognised-confidential-column", "duplicate-confidential-column",
                 "invalid-code", "unclosed-quote", "swallowed-rows", "symlink-outside"):
        assert f"`{code}`" in readme


# --- symlinks -------------------------------------------------------------------------------

def _sample(path: Path, code: str) -> None:
    path.write_text(f"{HEADER.rstrip(',')}\n{code},Org {code},Housing,Finding of {code}.\n")


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    _sample(outside / "secret.csv", "OUT")
    folder = tmp_path / "subs"
    (folder / "inner").mkdir(parents=True)
    _sample(folder / "a.csv", "IN")
    _sample(folder / "inner" / "b.csv", "IN2")
    (folder / "link.csv").symlink_to(outside / "secret.csv")
    (folder / "dir").symlink_to(outside)
    (folder / "root").symlink_to("/")
    (folder / "inside.csv").symlink_to(folder / "inner" / "b.csv")  # read once, as inner/b
    (folder / "inner-link").symlink_to(folder / "inner")
    (folder / "up").symlink_to(tmp_path)
    data = load([str(folder)], Config())
    assert sorted(data.submissions) == ["IN", "IN2"]
    got = sorted((p.code, Path(p.location.file).name) for p in data.problems)
    assert got == [("symlink-loop", "inner-link"), ("symlink-loop", "root"),
                   ("symlink-loop", "up"), ("symlink-outside", "dir"),
                   ("symlink-outside", "link.csv")]
    assert all(p.severity == "warning" for p in data.problems)


def test_a_symlink_named_on_the_command_line_is_followed(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    _sample(real / "a.csv", "A1")
    (tmp_path / "linked").symlink_to(real)
    (tmp_path / "one.csv").symlink_to(real / "a.csv")
    assert list(load([str(tmp_path / "linked")], Config()).submissions) == ["A1"]
    assert list(load([str(tmp_path / "one.csv")], Config()).submissions) == ["A1"]


def test_a_broken_symlink_on_the_command_line_is_missing(tmp_path):
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    problems: list = []
    assert discover([str(tmp_path / "gone.csv")], problems) == []
    assert codes(problems) == ["missing-file"]


def test_bad_input_folders_hold_no_symlinks_leading_out():
    """Symlink cases that lead out of tests/bad_inputs are built by the tests above:
    committed ones would lead pytest astray. Links within it (the template cases) are fine."""
    root = BAD.resolve()
    assert not [p for p in BAD.rglob("*") if p.is_symlink() and not p.resolve().is_relative_to(root)]


# --- confidentiality said outside the flag column ------------------------------------------

@pytest.mark.parametrize("title", ["CONFIDENTIAL - internal draft", "Do not publish our name",
                                   "Anonyme"])
def test_a_title_above_the_header_asking_for_confidentiality_fails(write, title):
    path = write("s.csv", f"{title},,,\nsubmission,organization,issue_area,finding\n"
                 "HTU,Harbour Tenants Union,Housing,Rents rose.\n")
    data = load([path], Config())
    assert [(p.code, p.location.row) for p in data.errors] == [("confidential-elsewhere", 1)]


def test_a_note_asking_for_confidentiality_fails_unless_ignored(write, tmp_path):
    text = ("submission,organization,issue_area,finding,Notes\n"
            "HTU,Harbour Tenants Union,Housing,Rents rose.,Confidential - do not name us\n"
            "ABC,A Body,Housing,Rents.,checked by Ana; public hearing held\n")
    path = write("s.csv", text)
    data = load([path], Config())
    assert [(p.code, p.location.row, p.location.field) for p in data.errors] == [
        ("confidential-elsewhere", 2, "Notes")]
    assert not load([path], Config(ignore_columns=["Notes"])).errors


def test_a_long_note_asking_for_confidentiality_at_its_end_fails_too(write):
    """Hostile trial: a note of 334 characters that ended "Please keep our submission
    confidential." was not read (only notes of up to 300 were), and the name published."""
    long = ("We met the housing ministry twice this year and shared our figures on evictions "
            "in the capital region with the rapporteur's office. ") * 3
    text = ("submission,organization,issue_area,finding,Notes\n"
            f"HTU,Harbour Tenants Union,Housing,Rents rose.,\"{long}Please keep our "
            "submission confidential.\"\n"
            f"ABC,A Body,Housing,Rents.,\"{long}\"\n")
    assert len(long) > 300
    data = load([write("s.csv", text)], Config())
    assert [(p.code, p.location.row, p.location.field) for p in data.errors] == [
        ("confidential-elsewhere", 2, "Notes")]


@pytest.mark.parametrize("note", [
    "we visited centres, " * 16 + "please keep our submission confidential",
    "We visited centres." * 20 + "Please keep our submission confidential.",
    "Ok. " * 2001 + "Please keep our submission confidential.",
    "We visited centres \u2026 " * 20 + "please keep our submission confidential",
    "We visited centres - " * 20 + "please keep our submission confidential"])
def test_a_run_on_note_asking_for_confidentiality_fails_too(note):
    """Second hostile trial: a long note with no sentence stops (commas, dashes, stops
    without a space, more than 2,000 sentences) was not read."""
    from upr_summary.load.records import says_confidential

    assert says_confidential(note)
    assert not says_confidential("We visited centres in the north and met officials. " * 10)


@pytest.mark.parametrize("note", [
    "The private sector was also involved in the evictions.",
    "Private security companies guard the camps; " * 12,
    "Meetings with the ministry and the private sector. " * 10])
def test_a_note_about_the_private_sector_asks_for_nothing(note):
    """Second hostile trial: a note that spoke of "the private sector" stopped the build
    as a request for confidentiality."""
    from upr_summary.load.records import says_confidential

    assert not says_confidential(note)
    assert says_confidential(note + " Please keep our submission private.")


@pytest.mark.parametrize("finding, asks", [
    ("CONFIDENTIAL: please do not publish our name. Police raided the shelter.", True),
    ("[Private] Police raided the shelter.", True),
    ("Please do not publish our name - police raided the shelter.", True),
    ("(confidencial) La policía allanó el refugio.", True),
    ("Secret detention: 14 people were held without charge.", False),
    ("Anonymous complaints doubled in 2024.", False),
    ("Private prisons: cells held twice their capacity.", False)])
def test_a_request_at_the_head_of_a_finding_fails_closed(write, finding, asks):
    """Hostile trial: a finding that itself began "CONFIDENTIAL: please do not publish our
    name" was published with the name. A topic set off the same way is no request."""
    path = write("s.csv", "submission,organization,issue_area,finding\n"
                 f"HTU,Harbour Tenants Union,Housing,\"{finding}\"\n")
    errors = [(p.code, p.location.field) for p in load([path], Config()).errors]
    assert errors == ([("confidential-elsewhere", "finding")] if asks else [])


def test_a_request_at_the_head_of_a_yaml_finding_fails_closed(tmp_path):
    path = tmp_path / "htu.yaml"
    path.write_text("submission: HTU\norganization: Harbour Tenants Union\nfindings:\n"
                    "  - text: \"CONFIDENTIAL: do not name us. Rents rose.\"\n"
                    "    issue_area: Housing\n", encoding="utf-8")
    assert [p.code for p in load([path], Config()).errors] == ["confidential-elsewhere"]
