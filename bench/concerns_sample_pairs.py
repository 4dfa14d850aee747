"""The most similar pairs of findings within each theme of the sample (data/submissions), by
the build's grouping vectors: what the build's thresholds for findings were set above.

    python bench/concerns_sample_pairs.py [wordllama|tfidf]
"""

from __future__ import annotations

import sys
from collections import defaultdict

from upr_summary.concerns import WordRarity, embed
from upr_summary.project import Project


def main() -> None:
    method = sys.argv[1] if len(sys.argv) > 1 else "wordllama"
    data = Project(["data/submissions"], "data/upr-summary.yaml").load()
    rarity = WordRarity([f.text for f in data.findings])
    by_theme: dict[str, list[str]] = defaultdict(list)
    for f in data.findings:
        if f.issue_areas:
            by_theme[f.issue_areas[0]].append(f.text)
    pairs = []
    for theme, texts in by_theme.items():
        texts = list(dict.fromkeys(texts))
        if len(texts) < 2:
            continue
        v = embed(texts, method, rarity) if method == "wordllama" else embed(texts, method)
        sim = v @ v.T
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                pairs.append((float(sim[i, j]), theme, texts[i], texts[j]))
    pairs.sort(reverse=True)
    for cosine, theme, a, b in pairs[:20]:
        print(f"{cosine:.3f} [{theme}] {a[:80]} || {b[:80]}")


if __name__ == "__main__":
    main()
