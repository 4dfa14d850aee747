"""Redaction speed: 500 confidential names (and their codes) over 100,000 findings.

    python bench/redaction.py

Prints seconds for ASCII findings and for findings with accented letters (the slower
normalising path), median of three runs. Not a test: figures go in bench/README.md.
"""

from __future__ import annotations

import random
import statistics
import time

from upr_summary.model import Location, Submission
from upr_summary.privacy import Publisher

WORDS = ("rights housing water police children evictions families shelter arrests prison "
         "report state government women migrants detention courts").split()
NAME_WORDS = ("Alliance Network Rainbow Defenders Collective Centre Union Voice Hope Action "
              "Justice Forum").split()


def main(names: int = 500, findings: int = 100_000, repeat: int = 3) -> None:
    rng = random.Random(1)
    subs = [Submission(f"CF{i}", "individual",
                       " ".join(rng.sample(NAME_WORDS, 3)) + f" {i}", (), Location("x.csv", i),
                       confidential=True) for i in range(names)]
    texts = [" ".join(rng.choice(WORDS) for _ in range(35)) + f" row {i}"
             + (f" {subs[i % names].organization}" if i % 50 == 0 else "")
             for i in range(findings)]
    accented = [t.replace("housing", "logement é") for t in texts]
    for label, data in (("ASCII", texts), ("accented", accented)):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            publisher = Publisher(subs)  # compile included; a fresh cache each run
            withheld = sum("[name withheld]" in publisher.text(t) for t in data)
            times.append(time.perf_counter() - start)
        print(f"{label}: {names} names over {findings:,} findings: "
              f"{statistics.median(times):.1f} s ({withheld:,} findings with a name withheld)")


if __name__ == "__main__":
    main()
