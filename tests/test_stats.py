"""Counts on small hand-made data, checked by hand."""

from __future__ import annotations

from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.stats import UNTAGGED, cooccurrence, count_by_issue_area, count_by_type, totals

DATA = """submission,organization,type,issue_area,finding,recommendation
JS1,Org A; Org B,,Housing; Children,Families wait 14 months in motels.,Build family housing.
JS1,,,Housing,Evictions doubled.,
HTU,Org A,,housing,Rents rose.,Cap rents.
NHRI,Commission,nhri,Children,Children held in police cells.,
NHRI,Commission,nhri,,Legal aid refused.,
"""


def _data(write):
    return load([write("s.csv", DATA)], Config())


def test_count_by_issue_area(write):
    rows = count_by_issue_area(_data(write))
    assert rows == [
        # 'housing' is counted with 'Housing' (the most used spelling); Org A counted once.
        {"issue_area": "Housing", "group": "Economic, social and cultural rights",
         "submissions": 2, "organizations": 2, "findings": 3, "recommendations": 2},
        {"issue_area": "Children", "group": "Rights of specific persons or groups",
         "submissions": 2, "organizations": 3, "findings": 2, "recommendations": 1},
        {"issue_area": UNTAGGED, "group": None, "submissions": 1, "organizations": 1,
         "findings": 1, "recommendations": 0},
    ]


def test_count_by_type_and_totals(write):
    data = _data(write)
    assert count_by_type(data) == [
        {"type": "joint", "submissions": 1, "organizations": 2, "findings": 2, "recommendations": 1},
        {"type": "nhri", "submissions": 1, "organizations": 1, "findings": 2, "recommendations": 0},
        {"type": "individual", "submissions": 1, "organizations": 1, "findings": 1,
         "recommendations": 1},
    ]
    assert totals(data) == {"submissions": 3, "organizations": 3, "findings": 5,
                            "recommendations": 2}


def test_cooccurrence(write):
    assert cooccurrence(_data(write)) == [
        {"issue_area": "Housing", "Housing": 3, "Children": 1},
        {"issue_area": "Children", "Housing": 1, "Children": 2},
    ]


def test_empty_data_counts_nothing():
    from upr_summary.model import Dataset

    assert count_by_issue_area(Dataset()) == [] and cooccurrence(Dataset()) == []
