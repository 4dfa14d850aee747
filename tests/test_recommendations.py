"""Earlier UPR recommendations: both file formats, per-theme counts, the report, gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from upr_summary.cli import cli
from upr_summary.codebook import load_codebook
from upr_summary.errors import ConfigError
from upr_summary.recommendations import load_recommendations, normalise_response, per_theme

from .conftest import ROOT, SAMPLE, UPR_INFO

DATA = Path(__file__).parent / "data" / "recommendations"
UPR_FORMAT = DATA / "upr-info-format.csv"
PLAIN = DATA / "plain.csv"
PREVIOUS = ROOT / "data" / "previous-recommendations.csv"


@pytest.mark.parametrize("raw,expected", [
    ("Accepted", "supported"), ("Supported", "supported"), ("accepted ", "supported"),
    ("Noted", "noted"), ("Rejected", "noted"), ("Takes note", "noted"),
    ("Pending", "pending"), ("", "pending"), ("Partially accepted", "other"), ("Hmm", "other"),
])
def test_responses(raw, expected):
    assert normalise_response(raw) == expected


def test_upr_info_format_picks_the_state_and_maps_labels_to_ohchr():
    recs = load_recommendations(UPR_FORMAT, load_codebook("ohchr"), state="arvenia")
    assert recs.state_under_review == "Arvenia"
    assert [(p.code, p.location.row, p.location.field) for p in recs.problems] == [
        ("legacy-encoding", None, None), ("unknown-response", 8, "response"),
        ("invalid-value", 8, "action"), ("missing-value", 9, "text")]
    assert len(recs.items) == 7
    themes = per_theme(recs)
    housing = themes["Housing"]  # "Right to housing" through the upr-info -> ohchr mapping
    assert (housing.total, housing.supported, housing.other, housing.by_action[5]) == (2, 1, 1, 1)
    assert set(themes) >= {"Children", "Minorities", "Education", "Indigenous Peoples",
                           "Administration of justice and fair trial", "Death penalty",
                           "Cooperation with human rights mechanisms"}
    assert themes["Cooperation with human rights mechanisms"].pending == 1
    assert "Sámi" in recs.items[4].text  # Mac Roman read as such
    assert recs.cycles == ["session 9"]


def test_upr_info_format_needs_a_state_and_suggests_close_names():
    with pytest.raises(ConfigError, match="holds recommendations to 3 States; choose one with --state"):
        load_recommendations(UPR_FORMAT, load_codebook("ohchr"))
    with pytest.raises(ConfigError, match="No recommendations to 'Estovia'.*Close names: Republic of Estovia"):
        load_recommendations(UPR_FORMAT, load_codebook("ohchr"), state="Estovia")


def test_plain_format_with_bad_rows():
    recs = load_recommendations(PLAIN, load_codebook("ohchr"))
    assert [(p.code, p.location.row) for p in recs.problems] == [
        ("missing-value", 5), ("unknown-response", 6), ("invalid-value", 6)]
    themes = per_theme(recs)
    assert (themes["Migrants"].total, themes["Migrants"].supported, themes["Migrants"].noted) == (3, 2, 1)
    assert themes["Children"].total == 1 and themes["Violence against women"].other == 1
    assert [h.text for h in themes["Migrants"].highlights()] == [
        "End the detention of migrant children",
        "Establish a maximum period for immigration detention",
        "Continue to protect migrants"]


def test_the_same_recommendation_by_the_same_state_twice_is_warned_and_counted_as_given(tmp_path):
    path = tmp_path / "recs.csv"
    path.write_text("recommendation,recommending_state,response,issue_area,cycle\n"
                    "Ratify the convention,Kelland,noted,Housing,3\n"
                    "Ratify the convention,Kelland,supported,Housing,3\n"
                    "Ratify the convention.,kelland,noted,Housing,3\n"
                    "Ratify the convention,Tervia,noted,Housing,3\n"
                    "Ratify the convention,Kelland,noted,Housing,4\n", encoding="utf-8")
    recs = load_recommendations(path, load_codebook("ohchr"))
    found = [(p.code, p.severity, p.location.row, p.message) for p in recs.problems]
    assert [f[:3] for f in found] == [("duplicate-recommendation", "warning", 3),
                                      ("duplicate-recommendation", "warning", 4)]
    assert "at row 2 (answered noted there, supported here)" in found[0][3]
    assert "at row 2;" in found[1][3]  # the same answer: nothing to reconcile
    assert per_theme(recs)["Housing"].total == 5  # nothing dropped: the source's count stands


def test_stats_with_recommendations_cli(runner):
    result = runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json", "-q",
                                 "--recommendations", str(PREVIOUS)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(list(r)[-3:] == ["previous_recommendations", "supported", "noted"] for r in rows)
    housing = next(r for r in rows if r["issue_area"] == "Housing")
    assert (housing["previous_recommendations"], housing["supported"], housing["noted"]) == (5, 3, 2)
    only_earlier = [r for r in rows if r["findings"] == 0]
    assert only_earlier and all(r["previous_recommendations"] > 0 for r in only_earlier)
    total = sum(len(r.issue_areas) for r in load_recommendations(PREVIOUS, load_codebook("ohchr")).items)
    assert sum(r["previous_recommendations"] for r in rows) == total


def test_stats_gaps_cli(runner):
    result = runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json", "-q", "--gaps",
                                 "--recommendations", str(PREVIOUS)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    raised = [r["issue_area"] for r in rows if r["previous_recommendations"] == 0]
    assert raised == ["COVID-19", "Food", "Sex workers"]
    assert {"International instruments", "Women's rights"} <= {
        r["issue_area"] for r in rows if r["findings"] == 0}
    missing = runner.invoke(cli, ["stats", str(SAMPLE), "--gaps", "--config", str(ROOT / "tests" / "data" / "empty-config.yaml")])
    assert missing.exit_code == 2 and "--gaps needs earlier recommendations" in missing.stderr


def test_stats_upr_info_format_cli_and_bad_state(runner, tmp_path):
    bad_row = runner.invoke(cli, ["stats", str(SAMPLE), "--recommendations", str(UPR_FORMAT),
                                  "--state", "Arvenia"])
    assert bad_row.exit_code == 1
    assert f"{UPR_FORMAT}:9:text: error [missing-value]" in bad_row.stderr
    clean = tmp_path / "clean.csv"
    lines = UPR_FORMAT.read_bytes().split(b"\r")
    clean.write_bytes(b"\r".join(line for i, line in enumerate(lines, 1) if i != 9))
    ok = runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json", "-q",
                             "--recommendations", str(clean), "--state", "Arvenia"])
    assert ok.exit_code == 0, ok.output
    assert next(r for r in json.loads(ok.stdout) if r["issue_area"] == "Housing")[
        "previous_recommendations"] == 2
    bad = runner.invoke(cli, ["stats", str(SAMPLE), "--recommendations", str(UPR_FORMAT),
                              "--state", "Estovia"])
    assert bad.exit_code == 2 and "Close names: Republic of Estovia" in bad.stderr
    assert "Traceback" not in bad.output


def test_bad_recommendation_files_exit_1_a_missing_one_2(runner, write):
    path = write("recs.csv", "recommendation,response\nDo this,Accepted\n")
    result = runner.invoke(cli, ["stats", str(SAMPLE), "--recommendations", path])
    assert result.exit_code == 1
    assert f"{path}:1:state: error [missing-column]" in result.stderr
    missing = runner.invoke(cli, ["build", str(SAMPLE), "-o", "never", "--recommendations",
                                  "nope.csv"])
    assert missing.exit_code == 2 and "Recommendations file not found: nope.csv" in missing.stderr


def test_sample_report_shows_earlier_recommendations(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(tmp_path), "--format", "md,docx,compilation", "-q"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "executive-summary.md").read_text()
    assert ("In its previous review, the Republic of Arvenia received 5 recommendations on "
            "the theme “housing”; it supported 3 and noted 2.") in md
    compilation = (tmp_path / "compilation.md").read_text()
    assert ("- *“Adopt a national housing strategy that guarantees the right to adequate housing"
            in compilation)
    assert "## Annex: Previous recommendations" in md and "## Annex: Gaps" in md
    from docx import Document

    doc = Document(str(tmp_path / "executive-summary.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Annex: Previous recommendations" in texts and "Annex: Gaps" in texts
    assert any(t.startswith("In its previous review, the Republic of Arvenia received") for t in texts)
    assert len(doc.tables) == 2 and doc.tables[1].rows[0].cells[1].text == "Total"


@pytest.mark.skipif(not UPR_INFO.is_dir(), reason="../shared/data/upr-info is absent")
def test_united_states_first_review_counts_match_pandas():
    import pandas as pd

    path = UPR_INFO / "upr_info_sessions_6-9.csv"
    recs = load_recommendations(path, None, state="United States")
    assert len(recs.items) == 280 and recs.cycles == ["session 9"]
    frame = pd.read_csv(path, encoding="mac_roman", lineterminator="\r", dtype=str,
                        keep_default_na=False)
    us = frame[frame["To"] == "United States"]
    assert len(us) == 280
    exploded = us.assign(issue=us["Issue"].str.split(",")).explode("issue")
    exploded["issue"] = exploded["issue"].str.strip()
    direct = exploded.groupby("issue")["Response"].value_counts().unstack(fill_value=0)
    themes = per_theme(recs)
    assert set(themes) == set(direct.index)
    for issue, row in direct.iterrows():
        t = themes[issue]
        assert t.total == int(row.sum()), issue
        assert t.supported == int(row.get("Accepted", 0)), issue
        assert t.noted == int(row.get("Noted", 0)), issue
    responses = us["Response"].value_counts()
    assert sum(r.response == "supported" for r in recs.items) == responses["Accepted"]
    assert sum(r.response == "noted" for r in recs.items) == responses["Noted"]
    # And through the ohchr codebook: nothing lost, every label placed.
    mapped = per_theme(load_recommendations(path, load_codebook("ohchr"), state="United States"))
    assert sum(t.total for t in mapped.values()) >= 280


def test_a_quoted_recommendation_cites_each_state_with_its_own_answer(tmp_path):
    """Issue 14, point 4: "Oristan, Valmont (noted); Tervia (supported)", never the States
    in one list and the answers in another."""
    from upr_summary.build import build
    from upr_summary.config import parse_config

    recs = tmp_path / "recs.csv"
    recs.write_text("recommendation,recommending_state,response,issue_area,action_category\n"
                    "Reduce emissions in line with the Paris Agreement,Oristan,Noted,Housing,5\n"
                    "Reduce emissions in line with the Paris Agreement,Tervia,Supported,"
                    "Housing,5\n"
                    "Reduce emissions in line with the Paris Agreement,Valmont,Noted,Housing,5\n",
                    encoding="utf-8")
    (tmp_path / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                    "A1,Org,Housing,Rents rose by 30 per cent.\n",
                                    encoding="utf-8")
    config = parse_config(f"recommendations: {recs.as_posix()}\n",
                          str(tmp_path / "upr-summary.yaml"))
    for language, said in (("en", "— Oristan, Valmont (noted); Tervia (supported)"),
                           ("fr", "— Oristan, Valmont (notée)\u00a0; Tervia (acceptée)")):
        out = tmp_path / f"out-{language}"
        build([str(tmp_path / "s.csv")], out, config, formats=["md", "compilation"],
              language=language)
        text = (out / "compilation.md").read_text(encoding="utf-8")
        assert said in text, [line for line in text.splitlines() if "Paris" in line]
