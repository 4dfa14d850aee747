"""Group texts that say the same thing: identical once normalised, or near-identical wording.

Two texts are near-identical when they carry the same figures and their content words
overlap by at least :data:`THRESHOLD` (Jaccard). Candidates are found without comparing
every pair: texts are blocked by their figures, then by MinHash locality-sensitive
hashing (bands of a signature built with a stable hash), and only candidates are compared.

>>> groups = group_similar([
...     "Police are not required to wear visible identification numbers during operations.",
...     "Police are not required to wear visible identification numbers in operations.",
...     "Rents rose by 38 per cent.",
... ])
>>> groups
[[0, 1], [2]]
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence

#: Content-word overlap above which two texts with the same figures are merged.
THRESHOLD = 0.75
_BANDS, _ROWS = 10, 5
_PRIME = (1 << 61) - 1

STOPWORDS = frozenset("""
a an the and or but nor of to in on at by for from with without into onto over under about
as is are was were be been being has have had do does did this that these those it its their
there which who whom whose what when where while than then so such also still yet only very
not no any all some each every more most less least other others same own both either neither
can could may might must shall should will would per cent percent
""".split())

_WORD = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    """Lower-case words without accents and without stop words."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [w for w in _WORD.findall(folded) if w not in STOPWORDS]


def exact_key(text: str) -> str:
    """Texts with the same key are the same finding (case, punctuation, stop words aside)."""
    return " ".join(content_words(text))


def _figures(words: list[str]) -> frozenset[str]:
    return frozenset(w for w in words if any(ch.isdigit() for ch in w))


def _signature(tokens: frozenset[str], coefficients: list[tuple[int, int]]) -> tuple[int, ...]:
    hashes = [zlib.crc32(t.encode()) for t in tokens] or [0]
    return tuple(min((a * h + b) % _PRIME for h in hashes) for a, b in coefficients)


def _coefficients() -> list[tuple[int, int]]:
    # Fixed, so that the same input always groups the same way.
    out, state = [], 0x9E3779B97F4A7C15
    for _ in range(_BANDS * _ROWS):
        state = (state * 6364136223846793005 + 1442695040888963407) & ((1 << 64) - 1)
        a = (state >> 3) % (_PRIME - 1) + 1
        state = (state * 6364136223846793005 + 1442695040888963407) & ((1 << 64) - 1)
        out.append((a, (state >> 3) % _PRIME))
    return out


_COEFFICIENTS = _coefficients()


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def group_similar(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Indices of ``texts`` grouped by meaning, each group in input order, groups ordered by
    their first member."""
    n = len(texts)
    uf = _UnionFind(n)
    words = [content_words(t) for t in texts]
    first_by_key: dict[str, int] = {}
    for i, w in enumerate(words):
        key = " ".join(w)
        if key in first_by_key:
            uf.union(first_by_key[key], i)
        else:
            first_by_key[key] = i
    # Near-identical: among the distinct texts, blocked by their figures, then by LSH bands.
    representatives = list(first_by_key.values())
    blocks: dict[frozenset[str], list[int]] = defaultdict(list)
    for i in representatives:
        blocks[_figures(words[i])].append(i)
    sets = {i: frozenset(words[i]) for i in representatives}
    for members in blocks.values():
        if len(members) < 2:
            continue
        buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
        for i in members:
            if not sets[i]:
                continue
            sig = _signature(sets[i], _COEFFICIENTS)
            for band in range(_BANDS):
                buckets[(band, sig[band * _ROWS:(band + 1) * _ROWS])].append(i)
        checked: set[tuple[int, int]] = set()
        for bucket in buckets.values():
            for x in range(len(bucket)):
                for y in range(x + 1, len(bucket)):
                    i, j = bucket[x], bucket[y]
                    if (i, j) in checked or uf.find(i) == uf.find(j):
                        continue
                    checked.add((i, j))
                    a, b = sets[i], sets[j]
                    if len(a & b) / len(a | b) >= threshold:
                        uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    return sorted(groups.values(), key=lambda g: g[0])
