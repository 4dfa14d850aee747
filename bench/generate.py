"""Synthetic submissions for benchmarks: N findings over 20 issue areas, a fifth of the
submissions joint, realistic sentence lengths, some findings repeated by other
submissions (so merging has work to do), a tenth left untagged.

    python bench/generate.py 10000 /tmp/bench-10000
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

AREAS = ["Housing", "Water and sanitation", "Food", "Health", "Education", "Work",
         "Social security", "Police violence", "Mass incarceration", "Death penalty",
         "Detention conditions", "Voting rights", "Systemic racism", "Environment", "Migrants",
         "Refugees and asylum seekers", "Violence against women", "Children",
         "Persons with disabilities", "Indigenous Peoples"]
SUBJECTS = ["Evictions", "Waiting lists", "Deaths in custody", "Complaints", "School closures",
            "Hospital fees", "Detention periods", "Water disconnections", "Hate crimes",
            "Shelter places", "Pre-trial detainees", "Polling stations", "Benefit cuts",
            "Air pollution days", "Asylum refusals", "Forced evictions", "Child poverty rates"]
VERBS = ["rose", "fell", "doubled", "remained high", "increased sharply", "went unreported",
         "were ignored", "were concentrated"]
TAILS = ["in the capital region", "among low-income households", "in rural districts",
         "among women and girls", "for persons with disabilities", "in three of seven regions",
         "despite commitments made in the previous review", "without any independent oversight",
         "according to official statistics", "while funding was cut", "in the northern provinces",
         "among Indigenous communities", "for children in State care", "in immigration detention"]
ORG_WORDS = ["Rights", "Justice", "Action", "Network", "Centre", "Alliance", "Forum", "Watch",
             "Voices", "Coalition", "Legal", "Aid", "Union", "Council", "Platform", "Project"]


def sentence(rng: random.Random) -> str:
    a, b = rng.randint(1_000, 90_000), rng.randint(2010, 2025)
    parts = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} from {a:,} to {a + rng.randint(100, 9000):,}",
             f"between {b - rng.randint(1, 8)} and {b}", rng.choice(TAILS)]
    if rng.random() < 0.6:
        parts.append(f"and {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(TAILS)}")
    return " ".join(parts) + "."


def generate(n: int, folder: Path, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    subs = max(1, n // 5)
    names = [" ".join(rng.sample(ORG_WORDS, 3)) + f" {i}" for i in range(subs * 3)]
    written: list[Path] = []
    rows: list[list[str]] = []
    pool: list[str] = []
    for i in range(n):
        s = i * subs // n
        joint = s % 5 == 0
        code = f"JS{s}" if joint else f"ORG{s}"
        org = "; ".join(names[s * 3: s * 3 + 3]) if joint else names[s * 3]
        text = rng.choice(pool) if pool and rng.random() < 0.08 else sentence(rng)
        pool.append(text) if len(pool) < 5000 else None
        areas = "" if rng.random() < 0.1 else "; ".join(rng.sample(AREAS, rng.choice([1, 1, 1, 2])))
        rec = f"Adopt measures on {rng.choice(SUBJECTS).lower()} {rng.choice(TAILS)}." \
            if rng.random() < 0.3 else ""
        rows.append([code, org, areas, text, rec, f"c{s}@example.org"])
        if len(rows) == 5000 or i == n - 1:
            path = folder / f"part-{len(written):03d}.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["submission", "organization", "issue_area", "finding",
                                 "recommendation", "contact_email"])
                writer.writerows(rows)
            written.append(path)
            rows = []
    return written


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    files = generate(count, target)
    print(f"{count:,} findings in {len(files)} file(s) under {target}")
