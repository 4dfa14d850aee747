"""Bounded cost (issue 10): YAML, codebooks, near-duplicate grouping and the chart refuse or
bound what a small hostile file would make them build. Each test asserts the problem code
or the bounded result, never a timing; every case is cheap once the limits hold.
The submission-file variants are bad-input cases in tests/bad_inputs/cost/."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from upr_summary import limits, yamltree
from upr_summary.cli import cli
from upr_summary.codebook import FUZZY_CANDIDATES, QDC_NS, from_qdc, from_yaml, load_codebook
from upr_summary.config import Config, parse_config
from upr_summary.errors import ConfigError
from upr_summary.load.yamlfile import read_yaml
from upr_summary.render.chart import render_chart, shown
from upr_summary.similar import BUCKET_ALL_PAIRS, group_similar
from upr_summary.yamltree import YamlProblem, parse_yaml

SUBMISSION = "submission: HTU\norganization: Harbour Tenants Union\nissue_areas: Housing\n" \
             "findings:\n  - Rents rose.\n"


def _yaml_code(text: str) -> tuple[str, int | None]:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    return info.value.code, info.value.line


# --- YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "[" * 400 + "]" * 400,
    "{a: " * 400 + "1" + "}" * 400,
    "".join("  " * d + f"k{d}:\n" for d in range(60)) + "  " * 60 + "end\n",
    "".join("  " * d + "-\n" for d in range(60)) + "  " * 60 + "- end\n",
    "[" * 10_000,  # never closed: refused before the parser reaches the end
], ids=["flow-lists", "flow-maps", "block-maps", "block-lists", "unclosed"])
def test_nesting_is_refused_before_recursion(text):
    assert _yaml_code(text)[0] == "yaml-too-deep"


def test_nesting_up_to_the_limit_is_read():
    depth = limits.MAX_DEPTH
    tree = parse_yaml("[" * depth + "x" + "]" * depth)
    for _ in range(depth - 1):
        tree = tree[0]
    assert tree == ["x"]


def test_depth_counts_what_an_alias_brings():
    text = "a: &a " + "[" * 30 + "x" + "]" * 30 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    assert _yaml_code(text) == ("yaml-too-deep", 2)


def test_alias_characters_are_counted_without_expanding(monkeypatch):
    # 32,000 characters aliased 150,000 times (issue 10) ran out of memory: now refused at
    # the alias that crosses the character limit, long before 150,000.
    text = "a: &a '" + "x" * 32_000 + "'\nb:\n" + "".join("  - *a\n" for _ in range(150_000))
    code, line = _yaml_code(text)
    assert code == "yaml-too-much-text"
    assert 3 <= line <= 3 + limits.MAX_YAML_CHARS // 32_000


def test_nested_aliases_are_refused_at_the_alias():
    levels = ["a: &a '" + "lol " * 250 + "'"]
    for k, name in enumerate("bcdefg"):
        levels.append(f"{name}: &{name} [" + ", ".join(["*" + "abcdefg"[k]] * 10) + "]")
    assert _yaml_code("\n".join(levels)) == ("yaml-too-much-text", 6)


def test_alias_values_are_counted():
    levels = ["a: &a [" + ", ".join(["x"] * 9) + "]"]
    for k, name in enumerate("bcdefgh"):
        levels.append(f"{name}: &{name} [" + ", ".join(["*" + "abcdefgh"[k]] * 9) + "]")
    assert _yaml_code("\n".join(levels))[0] == "yaml-too-large"


def test_aliases_are_shared_not_copied():
    tree = parse_yaml("a: &a [x, y]\nb: *a\nc: *a\n")
    assert tree["b"] is tree["a"] and tree["c"] == ["x", "y"]


def test_a_long_text_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(yamltree, "MAX_YAML_CHARS", 1_000)
    assert _yaml_code("a: " + "x" * 2_000) == ("yaml-too-much-text", None)


@pytest.mark.parametrize("text,expected", [
    ("? " + "k" * 600 + "\n: v\n", ("yaml-key-too-long", 1)),
    ("a: 1\n" + "---\n" * 10_000, ("yaml-syntax", 2)),
    ("a: &x 1\nb: &x 2\n", ("yaml-syntax", 2)),
    ("a: *nowhere\n", ("yaml-syntax", 1)),
    ("a: &a [*a]\n", ("yaml-recursive", 1)),
    ("a: 1\na: 2\n", ("yaml-duplicate-key", 2)),
    ("[a]: 1\n", ("yaml-bad-key", 1)),
    ("a: !!python/name:os.system x\n", ("yaml-unsafe-tag", 1)),
    ("a: 1\na: 2\nb: [\n", ("yaml-syntax", 4)),  # a syntax error is reported first
], ids=["long-key", "documents", "duplicate-anchor", "undefined-alias", "recursive",
        "duplicate-key", "bad-key", "tag", "syntax-first"])
def test_other_refusals(text, expected):
    assert _yaml_code(text) == expected


def test_scalars_keep_their_text_and_tags():
    tree = parse_yaml("a: NO\nb: 'NO'\nc:\nd: ~\ne: 3\n")
    assert [tree[k] for k in "ab"] == ["NO", "NO"]
    assert tree["c"].is_null and tree["d"].is_null and not tree["b"].is_null
    assert tree["e"].tag.endswith(":int") and tree["b"].quoted
    assert parse_yaml("") is None and parse_yaml("---\n").is_null


def _read(text: str):
    problems = []
    records = read_yaml(text.encode(), "x.yaml", Config(), problems)
    return records, [(p.code, p.location.row, p.location.field) for p in problems]


def test_many_issue_areas_on_one_finding():
    areas = ", ".join(f"Area {i}" for i in range(5_000))
    records, problems = _read(SUBMISSION + f"  - finding: Fees doubled.\n    issue_areas: [{areas}]\n")
    assert problems == [("too-many-values", 7, "issue_area")]
    assert [r.finding for r in records] == ["Rents rose."]


def test_values_per_finding_up_to_the_limit_are_read():
    areas = ", ".join(f"Area {i}" for i in range(limits.MAX_VALUES_PER_CELL))
    records, problems = _read(SUBMISSION.replace("Housing", f"[{areas}]"))
    assert problems == [] and len(records[0].issue_areas) == limits.MAX_VALUES_PER_CELL


def test_many_findings(monkeypatch):
    monkeypatch.setattr("upr_summary.load.yamlfile.MAX_YAML_FINDINGS", 5)
    records, problems = _read(SUBMISSION + "  - b\n" * 5)
    assert problems == [("too-many-findings", 4, "finding")] and records == []


# --- project file and codebooks (they stop a run with an error, not a problem list) ---------


def _config_error(func, *args) -> str:
    with pytest.raises(ConfigError) as info:
        func(*args)
    return info.value.code  # type: ignore[attr-defined]


def test_project_file_nesting():
    assert _config_error(parse_config, "title: " + "[" * 400 + "]" * 400) == "yaml-too-deep"
    assert _config_error(parse_config, "issue_areas:\n  - " + "{a: " * 80 + "b" + "}" * 80) \
        == "yaml-too-deep"


def test_project_file_nesting_through_the_cli(runner, tmp_path):
    (tmp_path / "upr-summary.yaml").write_text("title: " + "[" * 400 + "]" * 400)
    (tmp_path / "s.yaml").write_text(SUBMISSION)
    for command in (["validate", "--json"], ["build", "-o", str(tmp_path / "out")]):
        result = runner.invoke(cli, [*command, str(tmp_path)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "50 deep" in result.stderr
    assert not (tmp_path / "out").exists()


def test_codebook_yaml_nesting_and_size(monkeypatch):
    assert _config_error(from_yaml, "themes: " + "[" * 400 + "]" * 400) == "yaml-too-deep"
    monkeypatch.setattr("upr_summary.codebook.MAX_CODEBOOK_CODES", 3)
    themes = "".join(f"  - name: Theme {i}\n" for i in range(4))
    assert _config_error(from_yaml, "themes:\n" + themes) == "codebook-too-large"


def _qdc(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{prolog}<CodeBook xmlns="{QDC_NS}"><Codes>{body}'
            "</Codes></CodeBook>").encode()


def test_qdc_nesting_is_refused_without_recursion():
    body = "".join(f'<Code guid="g{i}" name="c{i}">' for i in range(990)) + "</Code>" * 990
    assert _config_error(from_qdc, _qdc(body)) == "codebook-too-deep"


def test_qdc_nesting_up_to_the_limit_is_read():
    depth = limits.MAX_DEPTH
    body = "".join(f'<Code guid="g{i}" name="c{i}">' for i in range(depth)) + "</Code>" * depth
    book = from_qdc(_qdc(body))
    assert len(book.themes) == depth and book.groups == ["c0"]


def test_qdc_codes_are_capped():
    body = '<Code guid="g" name="Housing" isCodable="true"/>' * (limits.MAX_CODEBOOK_CODES + 1)
    assert _config_error(from_qdc, _qdc(body)) == "codebook-too-large"


def test_qdc_codes_with_one_name_get_distinct_ids_in_linear_time():
    body = '<Code guid="g" name="Housing" isCodable="true"/>' * 5_000
    book = from_qdc(_qdc(body))
    ids = [t.id for t in book.themes]
    assert ids[:3] == ["housing", "housing-2", "housing-3"] and len(set(ids)) == 5_000
    assert book.resolve("Housing").theme.id == "housing"
    assert len(book._names.candidates("housnig")) <= FUZZY_CANDIDATES


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE CodeBook SYSTEM "file:///etc/passwd">',
    '<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
], ids=["laughs", "external-dtd", "external-entity"])
def test_qdc_refuses_dtds(prolog):
    body = '<Code guid="g" name="&b;"/>' if "&a;" in prolog else '<Code guid="g" name="x"/>'
    assert _config_error(from_qdc, _qdc(body, prolog)) == "codebook-unsafe-xml"


def test_codebook_errors_through_the_cli(runner, tmp_path):
    (tmp_path / "s.yaml").write_text(SUBMISSION)
    deep = tmp_path / "deep.qdc"
    deep.write_bytes(_qdc('<Code guid="g" name="c">' * 990 + "</Code>" * 990))
    nested = tmp_path / "nested.yaml"
    nested.write_text("themes: " + "[" * 400 + "]" * 400)
    for book in (deep, nested):
        result = runner.invoke(cli, ["validate", "--codebook", str(book), str(tmp_path / "s.yaml")])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "50 deep" in result.stderr


def test_fuzzy_matching_looks_at_a_bounded_number_of_names():
    themes = "".join(f"  - name: Theme number {i}\n" for i in range(1_000))
    book = from_yaml("themes:\n" + themes)
    assert len(book._names.candidates("theme nmuber 734")) <= FUZZY_CANDIDATES
    assert book.resolve("Theme nmuber 734").theme.name == "Theme number 734"
    assert load_codebook("ohchr").resolve("Housnig").theme.name == "Housing"


# --- near-duplicate grouping --------------------------------------------------------------


def test_near_copies_in_one_bucket_chain_into_one_group():
    random.seed(3)
    words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
             for _ in range(5_000)]
    base = "Police used excessive force against peaceful protesters in the capital during"
    texts = [f"{base} {w} demonstrations." for w in words]
    groups = group_similar(texts)
    assert max(map(len, groups)) > 0.95 * len(texts)  # bucket far above BUCKET_ALL_PAIRS
    assert len(texts) > 10 * BUCKET_ALL_PAIRS


def test_different_findings_stay_apart():
    texts = ["Rents rose sharply in the capital.", "Police are not required to wear numbers.",
             "Rents rose sharply in the capital city.", "Police are required to wear numbers."]
    assert group_similar(texts) == [[0, 2], [1], [3]]


# --- the chart ----------------------------------------------------------------------------


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def test_chart_height_is_bounded():
    rows = [{"issue_area": f"Area {i}", "findings": i % 7, "submissions": 1, "organizations": 1}
            for i in range(1_000)]
    kept, left_out = shown(rows)
    assert len(kept) == limits.MAX_CHART_AREAS and left_out == 1_000 - limits.MAX_CHART_AREAS
    assert all(r["findings"] == 6 for r in kept)
    assert shown(rows[:3]) == (rows[2::-1], 0)   # most findings first
    dpi = 20
    height = _png_size(render_chart(rows, dpi=dpi))[1]
    assert height <= 4.7 * dpi + 2   # half an A4 page of text at most


def test_limits_table_lists_every_new_code():
    doc = limits.__doc__ or ""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in ("yaml-too-much-text", "yaml-too-deep", "yaml-key-too-long", "too-many-findings",
                 "codebook-too-large", "codebook-too-deep", "codebook-unsafe-xml"):
        assert code in doc and f"`{code}`" in readme


def test_project_issue_areas_are_capped(monkeypatch):
    book = load_codebook("ohchr")
    monkeypatch.setattr("upr_summary.codebook.MAX_CODEBOOK_CODES", 3)
    assert book.customised(["Housing", "Water"], {}).themes[0].name == "Housing"
    assert _config_error(book.customised, ["a", "b", "c", "d"], {}) == "codebook-too-large"


def test_unknown_keys_past_fifty_are_counted_in_one_warning():
    keys = "".join(f"    kex{i}: v\n" for i in range(200))
    records, problems = _read(SUBMISSION + "  - finding: Fees doubled.\n" + keys)
    assert [c for c, _, _ in problems] == ["unknown-key"] * 51
    assert problems[-1][1] == 7 + 50 and len(records) == 2  # the 51st key's line
