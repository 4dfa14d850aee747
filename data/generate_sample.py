"""Write the sample network's submissions (data/submissions/) from sample_content.py.

    python data/generate_sample.py

The sample is fictional: the Republic of Arvenia and every organization in it are
invented. It is split across the formats members really send: an Excel intake workbook
with two sheets, a comma-separated CSV, a semicolon-separated CSV with a BOM (as a
European Excel saves it), and one YAML file per submission.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
from pathlib import Path

import yaml
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from sample_content import (  # noqa: E402
    CONFIDENTIAL,
    INDIVIDUAL,
    JOINT,
    NHRI,
    QUOTES,
    THEMES,
    UNTAGGED,
    VARIANTS,
)

OUT = Path(__file__).parent / "submissions"
HEADER = ["Submission", "Organization", "City", "Type", "Issue area(s)", "Key finding", "Recommendation",
          "Quote", "Quote by", "URL", "Contact e-mail", "Confidential"]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower().replace("arvenia", ""))[:18] or "org"


def build() -> list[dict]:
    rng = random.Random(2026)
    used: set[str] = set()
    quotes = {theme: (text, by) for theme, text, by in QUOTES}
    subs = []
    entries = [(c, n, None, "individual", t, city) for c, n, city, t in INDIVIDUAL]
    entries.append((CONFIDENTIAL[0], CONFIDENTIAL[1], None, "individual", CONFIDENTIAL[3], CONFIDENTIAL[2]))
    entries += [(c, name, members, "joint", t, None) for c, name, members, t in JOINT]
    entries.append((NHRI[0], NHRI[1], None, "nhri", NHRI[3], NHRI[2]))
    for code, name, members, stype, themes, city in entries:
        n = rng.randint(3, 6) if stype != "nhri" else 8
        pool = [(theme, f) for theme in themes for f in THEMES.get(theme, {"findings": []})["findings"]]
        fresh = [p for p in pool if p[1][0] not in used]
        rng.shuffle(fresh)
        reused = [p for p in pool if p[1][0] in used]
        rng.shuffle(reused)
        picks = fresh[:n]
        if reused and rng.random() < 0.45:  # a finding another submission made too
            picks = picks[: max(n - 1, 1)] + [reused.pop()]
        picks += reused[: n - len(picks)]  # the pool is used up: others said it first
        findings = []
        for theme, (text, second) in picks:
            if text in used and text in VARIANTS and rng.random() < 0.6:
                text_out = VARIANTS[text]
            else:
                text_out = text
            used.add(text)
            areas = [theme] + ([second] if second and rng.random() < 0.7 else [])
            rec = rng.choice(THEMES[theme]["recommendations"]) if rng.random() < 0.45 else None
            quote = quotes.pop(theme, None) if stype != "nhri" and rng.random() < 0.5 else None
            findings.append({"text": text_out, "areas": areas, "rec": rec,
                             "quote": quote[0] if quote else None,
                             "quote_by": quote[1] if quote else None})
        for ucode, utext in UNTAGGED:
            if ucode == code:
                findings.append({"text": utext, "areas": [], "rec": None, "quote": None, "quote_by": None})
        subs.append({
            "code": code, "name": name, "members": members, "type": stype, "themes": themes,
            "city": city, "findings": findings, "confidential": code == CONFIDENTIAL[0],
            "email": f"upr@{slug(members[0] if members else name)}.example.org",
            "url": f"https://ahrn.example.org/upr/2026/{code.lower()}.pdf" if rng.random() < 0.5 else None,
        })
    return subs


def rows_of(sub: dict, joint_as_members: bool = True) -> list[list[str]]:
    org = "; ".join(sub["members"]) if sub["members"] and joint_as_members else sub["name"]
    rows = []
    for i, f in enumerate(sub["findings"]):
        first = i == 0
        rows.append([
            sub["code"], org if first or i % 2 else "",  # members often fill it only once
            sub["city"] or "" if first else "",
            {"individual": "", "joint": "joint", "nhri": "nhri"}[sub["type"]] if first else "",
            "; ".join(f["areas"]), f["text"], f["rec"] or "", f["quote"] or "", f["quote_by"] or "",
            sub["url"] or "", sub["email"] if first else "",
            "yes" if sub["confidential"] else ("no" if first else ""),
        ])
    return rows


def write_csv(path: Path, subs: list[dict], delimiter: str, bom: bool) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for sub in subs:
        writer.writerows(rows_of(sub))
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))


def write_xlsx(path: Path, sheets: dict[str, list[dict]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Arvenian Human Rights Network"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 2, 1)
    for title, subs in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(["Arvenian Human Rights Network: UPR intake, fourth cycle"])  # a title row
        ws.append([])
        ws.append(HEADER)
        for sub in subs:
            for row in rows_of(sub):
                ws.append(row)
        for col, width in zip("ABCDEFGHIJKL", (12, 36, 14, 10, 30, 80, 60, 40, 30, 36, 30, 12)):
            ws.column_dimensions[col].width = width
    wb.save(path)


def write_yaml(path: Path, sub: dict) -> None:
    doc: dict = {"submission": sub["code"]}
    if sub["name"]:
        doc["organization"] = sub["name"]
    if sub["members"]:
        doc["members"] = sub["members"]
    doc["type"] = sub["type"]
    if sub["city"]:
        doc["city"] = sub["city"]
    doc["contact_email"] = sub["email"]
    if sub["url"]:
        doc["url"] = sub["url"]
    common = sub["themes"][0] if all(f["areas"] == [sub["themes"][0]] for f in sub["findings"]) else None
    if common:
        doc["issue_areas"] = [common]
    findings = []
    for f in sub["findings"]:
        item: dict = {"finding": f["text"]}
        if not common and f["areas"]:
            item["issue_areas"] = f["areas"]
        if f["rec"]:
            item["recommendations"] = [f["rec"]]
        if f["quote"]:
            item["quote"] = f["quote"]
            item["quote_by"] = f["quote_by"]
        findings.append(item)
    doc["findings"] = findings
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=96)
    path.write_text(f"# UPR submission of {sub['code']} (fictional sample data)\n" + text, encoding="utf-8")


def main() -> None:
    subs = build()
    by_code = {s["code"]: s for s in subs}
    individual = [by_code[c] for c, *_ in INDIVIDUAL]
    OUT.mkdir(exist_ok=True)
    for old in OUT.rglob("*"):
        if old.is_file():
            old.unlink()
    write_xlsx(OUT / "intake-2026.xlsx", {
        "Batch 1": individual[:15],
        "Batch 2": individual[15:25] + [by_code[CONFIDENTIAL[0]]],
    })
    write_csv(OUT / "late-submissions.csv", individual[25:35], ";", bom=True)
    csv_joint = [by_code[c] for c, name, *_ in JOINT if name is None]
    write_csv(OUT / "joint-submissions.csv", csv_joint, ",", bom=False)
    (OUT / "yaml").mkdir(exist_ok=True)
    for sub in individual[35:] + [by_code[c] for c, name, *_ in JOINT if name] + [by_code[NHRI[0]]]:
        write_yaml(OUT / "yaml" / f"{sub['code'].lower()}.yaml", sub)
    n = sum(len(s["findings"]) for s in subs)
    print(f"{len(subs)} submissions, {n} findings written to {OUT}")


if __name__ == "__main__":
    main()
