"""How issue areas not in the codebook are read: as a theme (a misspelling, or its words),
offered as "did you mean", or left alone; scored against the hand-labelled cases of
bench/suggest_cases.py.

    python bench/suggest_eval.py          # prints the table and every mistake

A wrong theme read is the worst mistake (a finding lands in the wrong section, with only
a warning); a wrong "did you mean" misleads; a missed one costs the coordinator a look.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggest_cases import CASES, HELD_OUT  # noqa: E402

from upr_summary.codebook import load_codebook  # noqa: E402


def outcome(book, label: str, expected: str | None) -> tuple[str, str | None, str | None]:
    r = book.resolve(label)
    if r.theme is not None:
        return ("right theme read" if r.theme.name == expected else "wrong theme read",
                r.theme.name, r.how)
    if r.suggestion is not None:
        return ("right suggestion" if r.suggestion.name == expected else "wrong suggestion",
                r.suggestion.name, None)
    return ("rightly nothing" if expected is None else "missed", None, None)


def score(books, cases) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    mistakes = []
    for name, label, expected in cases:
        kind, got, how = outcome(books[name], label, expected)
        counts[kind] += 1
        if kind in ("wrong theme read", "wrong suggestion", "missed"):
            mistakes.append(f"{kind:17} {name:8} {label!r:34} -> {got!r} (meant {expected!r})")
    return counts, mistakes


def main() -> None:
    books = {name: load_codebook(name) for name in ("ohchr", "upr-info")}
    sets = {"tuned on": CASES, "held out": HELD_OUT}
    results = {label: score(books, cases) for label, cases in sets.items()}
    print("| outcome | " + " | ".join(f"{k} ({len(sets[k])})" for k in sets) + " |")
    print("| --- | " + " | ".join("---:" for _ in sets) + " |")
    for kind in ("right theme read", "right suggestion", "rightly nothing", "missed",
                 "wrong suggestion", "wrong theme read"):
        print(f"| {kind} | " + " | ".join(str(results[k][0][kind]) for k in sets) + " |")
    for k in sets:
        for line in results[k][1]:
            print(f"{k}: {line}")


if __name__ == "__main__":
    main()
