"""Write the sample network's submissions (data/submissions/) from sample_content.py.

    python data/generate_sample.py

The sample is fictional: the Republic of Arvenia and every organization in it are
invented. It is split across the formats members really send: an Excel intake workbook
with two sheets, a comma-separated CSV, a semicolon-separated CSV with a BOM (as a
European Excel saves it), and one YAML file per submission; and two members who write in
their own language: a French CSV (semicolons, BOM, French headers) and a Spanish intake
workbook (Spanish headers). The output is byte for byte the same at every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from sample_content import (  # noqa: E402
    CONFIDENTIAL,
    FRENCH,
    INDIVIDUAL,
    JOINT,
    NHRI,
    QUOTES,
    SPANISH,
    THEMES,
    UNTAGGED,
    VARIANTS,
)

OUT = Path(__file__).parent / "submissions"
HEADER = ["Submission", "Organization", "City", "Type", "Issue area(s)", "Key finding", "Recommendation",
          "Quote", "Quote by", "URL", "Contact e-mail", "Confidential"]
# The intake sheet's headers in French and Spanish (as `init --language fr|es` writes them;
# the Spanish workbook marks required columns with " *" as the English one does).
FR_HEADER = ["Communication", "Organisation", "Ville", "Type", "Thème(s)", "Constat principal",
             "Recommandation", "Citation", "Citation de", "URL", "Courriel de contact",
             "Confidentiel"]
ES_HEADER = ["Comunicación *", "Organización *", "Ciudad", "Tipo", "Tema(s)",
             "Hallazgo principal *", "Recomendación", "Cita", "Cita de", "URL",
             "Correo de contacto", "Confidencial"]
#: The date stamped in the workbooks (properties and archive entries): no run date.
STAMP = dt.datetime(2026, 2, 1)


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
    save_workbook(wb, path)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save ``wb`` with no trace of the day it was run: openpyxl stamps the save time in the
    document properties and in the archive's entries; both get STAMP instead."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


def member_rows(member: dict, every_row: bool, yes_no: tuple[str, str]) -> list[list[str]]:
    """The rows of a member writing in French or Spanish: its own words, as written."""
    org = "; ".join(member["members"]) if member.get("members") else member["name"]
    rows = []
    for i, (text, areas, recs, quote, quote_by) in enumerate(member["findings"]):
        first = i == 0
        rows.append([
            member["code"], org if first or every_row else "",
            member["city"] if first else "", member["type"] if first else "",
            "; ".join(areas), text, "\n".join(recs), quote or "", quote_by or "",
            member["url"] or "", member["email"] if first else "",
            yes_no[1] if first else "",
        ])
    return rows


def write_french_csv(path: Path, member: dict) -> None:
    """A French member's CSV: semicolons and a BOM, as French Excel saves "CSV UTF-8"."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FR_HEADER)
    writer.writerows(member_rows(member, every_row=True, yes_no=("oui", "non")))
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def write_spanish_xlsx(path: Path, member: dict) -> None:
    """A Spanish member's intake workbook, filled in (example row deleted)."""
    wb = Workbook()
    wb.properties.creator = "upr-summary"
    wb.properties.created = STAMP
    ws = wb.active
    ws.title = "Comunicaciones"
    ws.append(ES_HEADER)
    for row in member_rows(member, every_row=False, yes_no=("sí", "no")):
        ws.append(row)
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJKL", (14, 40, 16, 12, 28, 60, 50, 40, 24, 30, 28, 13)):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("Notas")
    notes.append(["Columna", "Obligatoria", "Qué escribir"])
    notes.append(["Comunicación", "sí", "El código corto que cita el informe (JS1, JS2 ... para "
                  "una comunicación conjunta)."])
    notes.append(["Hallazgo principal", "sí", "Un hallazgo por fila, con los datos que lo "
                  "sustentan."])
    save_workbook(wb, path)


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
    write_french_csv(OUT / "communication-dta.csv", FRENCH)
    write_spanish_xlsx(OUT / "comunicacion-js13.xlsx", SPANISH)
    n = sum(len(s["findings"]) for s in subs) + len(FRENCH["findings"]) + len(SPANISH["findings"])
    print(f"{len(subs) + 2} submissions, {n} findings written to {OUT}")


if __name__ == "__main__":
    main()
