"""The real UPR Info export (Mac Roman, bare CR line ends) loads, and stats agree with pandas."""

from __future__ import annotations

import pytest

from upr_summary.config import parse_config
from upr_summary.load import load
from upr_summary.stats import count_by_issue_area

from .conftest import UPR_INFO

pytestmark = pytest.mark.skipif(not UPR_INFO.is_dir(), reason="../shared/data/upr-info is absent")

CONFIG = """
columns:
  submission: From
  organization: From
  finding: Text
  issue_area: Issue
separators:
  issue_area: ","
"""
FILES = ["upr_info_sessions_1-5.csv", "upr_info_sessions_6-9.csv", "upr_info_sessions_10-13.csv"]


def _pandas(name):
    import pandas as pd

    return pd.read_csv(UPR_INFO / name, encoding="mac_roman", lineterminator="\r", dtype=str,
                       keep_default_na=False)


@pytest.mark.parametrize("name", FILES)
def test_upr_info_file_loads_completely(name):
    data = load([UPR_INFO / name], parse_config(CONFIG), codebook="upr-info")
    frame = _pandas(name)
    assert data.errors == []
    assert len(data.findings) == len(frame)
    assert [p.code for p in data.problems if p.location.row is None] == ["legacy-encoding"]
    assert "Mac Roman" in data.problems[0].message
    # Accented names survive (Mac Roman, not Windows-1252).
    texts = " ".join(f.text for f in data.findings)
    assert "Ã" not in texts and "Ž" not in texts


def test_stats_equal_a_direct_pandas_count():
    import pandas as pd

    data = load([UPR_INFO], parse_config(CONFIG), codebook="none")
    ours = {r["issue_area"]: r for r in count_by_issue_area(data)}
    frame = pd.concat([_pandas(name) for name in FILES], ignore_index=True)
    # A row given twice by one State, word for word with the same issues, is one finding
    # (the README: "a row pasted twice in one submission is one finding").
    issues = frame["Issue"].map(lambda v: ",".join(sorted({i.strip() for i in v.split(",")})))
    # (the same text: case, punctuation and small words aside, as the README says)
    from upr_summary.similar import exact_key

    text = frame["Text"].map(exact_key)
    frame = frame[~pd.DataFrame({"f": frame["From"], "t": text, "i": issues}).duplicated()]
    frame = frame.reset_index(drop=True)
    frame["row"] = range(len(frame))
    exploded = frame.assign(issue=frame["Issue"].str.split(",")).explode("issue")
    exploded["issue"] = exploded["issue"].str.strip()
    exploded = exploded[exploded["issue"] != ""].drop_duplicates(["row", "issue"])
    direct = exploded.groupby("issue").agg(findings=("row", "nunique"),
                                           submissions=("From", "nunique"))
    untagged = int((frame["Issue"].str.strip() == "").sum())
    assert len(ours) == len(direct) + (1 if untagged else 0)
    for issue, row in direct.iterrows():
        assert ours[issue]["findings"] == row["findings"], issue
        assert ours[issue]["submissions"] == row["submissions"], issue
        assert ours[issue]["organizations"] == row["submissions"], issue
    assert sum(r["findings"] for r in ours.values()) == len(exploded) + untagged
    assert len(ours) >= 54


def test_every_upr_info_label_is_in_the_upr_info_codebook():
    data = load([UPR_INFO], parse_config(CONFIG), codebook="upr-info")
    assert not [p for p in data.problems if p.code in ("unknown-issue-area", "issue-area-matched")]
    assert len({a for f in data.findings for a in f.issue_areas}) == 54
    # ...and onto the ohchr structure, with a warning only where a label has no counterpart.
    ohchr = load([UPR_INFO], parse_config(CONFIG))
    unknown = {p.message.split("'")[1] for p in ohchr.problems if p.code == "unknown-issue-area"}
    assert unknown <= {"CP rights - general", "ESC rights - general", "General", "Other",
                       "International humanitarian law", "Civil society"}


def test_us_first_review():
    data = load([UPR_INFO / "upr_info_sessions_6-9.csv"], parse_config(CONFIG), codebook="upr-info")
    frame = _pandas("upr_info_sessions_6-9.csv")
    us = frame[frame["To"] == "United States"]
    assert len(us) == 280
    assert sum(1 for f in data.findings if f.location.row - 2 in set(us.index)) == 280
