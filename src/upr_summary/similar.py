"""Group texts that say the same thing: identical once normalised, or near-identical wording.

Two texts are near-identical when they carry the same figures, the same negations and
comparisons ("not", "without", "more"), and their content words
overlap by at least :data:`THRESHOLD` (Jaccard). Candidates are found without comparing
every pair: texts are blocked by their figures, then by MinHash locality-sensitive
hashing (bands of a signature built with a stable hash), and only candidates are compared.

Nothing is quadratic in the number of texts: a bucket of a band (texts whose signatures
agree on that band) with up to :data:`BUCKET_ALL_PAIRS` texts has every pair compared; in a
larger bucket, which only many near-copies of one text produce, each text is compared with
the :data:`BUCKET_WINDOW` texts before it, so that a chain of near-copies still ends in one
group, at a cost that grows linearly.

>>> groups = group_similar([
...     "Police are not required to wear visible identification numbers during operations.",
...     "Police are not required to wear visible identification numbers in operations.",
...     "Rents rose by 38 per cent.",
... ])
>>> groups
[[0, 1], [2]]
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from .textutil import fold, polarity

#: Content-word overlap above which two texts with the same figures are merged.
THRESHOLD = 0.75
_BANDS, _ROWS = 10, 5
#: MinHash arithmetic stays inside 64 bits: a < 2^31, crc32 < 2^32.
_PRIME = (1 << 31) - 1
#: How many token hashes one numpy batch may hold (bounds memory: 50 x this x 8 bytes).
_BATCH_TOKENS = 50_000
#: Buckets up to this size have every pair compared (as many as ordinary data ever has).
BUCKET_ALL_PAIRS = 64
#: In a larger bucket, each text is compared with this many texts before it.
BUCKET_WINDOW = 8

#: Words that do not change what a finding says. Negations and comparisons ("not",
#: "without", "more", "less") are kept: "is not prohibited" never merges with "is prohibited".
STOPWORDS = frozenset("""
a an the and or but of to in on at by for from with into onto over under about
as is are was were be been being has have had do does did this that these those it its their
there which who whom whose what when where while then so such also still yet only very
any all some each every other others same own both either
can could may might must shall should will would per cent percent
""".split())

#: Near-identical texts must share these exactly, like their figures.
MEANING_WORDS = frozenset("""
not no nor never without neither none cannot nobody nothing more less fewer most least
""".split())

_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1 << 18)
def content_words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents and without stop words."""
    return tuple(w for w in _WORD.findall(fold(text)) if w not in STOPWORDS)


@functools.lru_cache(maxsize=1 << 18)
def _analyse(text: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """(exact key, content words, figures and negations) of a text, once per distinct text."""
    words = content_words(text)
    # figures, negations and comparisons, and the words that turn a claim around or say
    # where ("rose" / "fell", "abolished" / "reinstated", "in Northgate" / "in Saltmarsh")
    return " ".join(words), words, frozenset(w for w in words
                                             if not w.isalpha() or w in MEANING_WORDS) \
        | polarity(text)


def exact_key(text: str) -> str:
    """Texts with the same key are the same finding (case, punctuation, stop words aside)."""
    return " ".join(content_words(text))


def _coefficients() -> tuple[Any, Any]:
    import numpy as np

    # Fixed, so that the same input always groups the same way.
    rng = np.random.default_rng(20261126)
    a = rng.integers(1, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
    return a, b


def _signatures(token_sets: list[frozenset[str]]) -> Any:
    """The MinHash signatures, one column per text: (bands x rows, texts)."""
    import numpy as np

    a, b = _coefficients()
    crc: dict[str, int] = {}
    signatures = []
    start = 0
    while start < len(token_sets):
        hashes: list[int] = []
        offsets: list[int] = []
        stop = start
        while stop < len(token_sets) and (len(hashes) < _BATCH_TOKENS or stop == start):
            offsets.append(len(hashes))
            for token in token_sets[stop] or {""}:
                h = crc.get(token)
                if h is None:
                    h = crc[token] = zlib.crc32(token.encode())
                hashes.append(h)
            stop += 1
        values = (a[:, None] * np.asarray(hashes, dtype=np.uint64)[None, :] + b[:, None]) % _PRIME
        signatures.append(np.minimum.reduceat(values, np.asarray(offsets), axis=1))
        start = stop
    return np.concatenate(signatures, axis=1)


def _band_buckets(token_sets: list[frozenset[str]]) -> Iterator[list[int]]:
    """For each band, the groups (in index order) of texts whose signatures agree on it."""
    import numpy as np

    sig = _signatures(token_sets)
    weights = np.arange(1, _ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B1)
    for band in range(_BANDS):
        keys = (sig[band * _ROWS:(band + 1) * _ROWS] * weights[:, None]).sum(axis=0)
        order = np.argsort(keys, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(keys[order]) != 0])
        ends = np.r_[starts[1:], len(order)]
        shared = ends - starts > 1
        for start, end in zip(starts[shared].tolist(), ends[shared].tolist()):
            yield sorted(order[start:end].tolist())


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


def _join_bucket(bucket: list[int], members: list[int], member_sets: list[frozenset[str]],
                 uf: _UnionFind, threshold: float) -> None:
    """Join the texts of one bucket whose overlap is high enough: every pair of a small
    bucket, each text with the :data:`BUCKET_WINDOW` before it in a large one."""
    find = uf.find
    large = len(bucket) > BUCKET_ALL_PAIRS
    if large and len({find(members[x]) for x in bucket}) == 1:
        return  # already one group (another band found it): nothing to compare
    width = BUCKET_WINDOW if large else len(bucket)
    for pos in range(1, len(bucket)):
        y = bucket[pos]
        j = members[y]
        root = find(j)
        b = member_sets[y]
        size_b = len(b)
        if not size_b:
            continue
        for x in bucket[max(0, pos - width):pos]:
            i = members[x]
            if find(i) == root:
                continue
            a = member_sets[x]
            size_a = len(a)
            # Jaccard = |a & b| / |a | b|, which is at most the smaller size over the larger.
            if not size_a or min(size_a, size_b) < threshold * max(size_a, size_b):
                continue
            shared = len(a & b)
            if shared / (size_a + size_b - shared) >= threshold:
                uf.union(i, j)
                root = find(j)


def group_similar(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Indices of ``texts`` grouped by meaning, each group in input order, groups ordered by
    their first member."""
    n = len(texts)
    uf = _UnionFind(n)
    first_by_key: dict[str, int] = {}
    words_of: dict[int, tuple[str, ...]] = {}
    blocks: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        key, words, figures = _analyse(text)
        if not key:  # no word at all ("**", "!!!", an invisible space): nothing to merge on
            continue
        first = first_by_key.get(key)
        if first is not None:
            uf.union(first, i)
        else:
            first_by_key[key] = i
            words_of[i] = words
            blocks[figures].append(i)
    # Near-identical: among the distinct texts, blocked by their figures, then LSH bands.
    for members in blocks.values():
        if len(members) < 2:
            continue
        member_sets = [frozenset(words_of[i]) for i in members]
        # Which pairs are compared, and in what order, never changes the groups: a pair
        # joins when its own overlap is high enough, and groups are the connected sets.
        buckets: Iterator[list[int]]
        if len(members) <= 12:  # small blocks: compare every pair directly
            buckets = iter([list(range(len(members)))])
        else:
            buckets = _band_buckets(member_sets)
        for bucket in buckets:
            _join_bucket(bucket, members, member_sets, uf, threshold)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    return sorted(groups.values(), key=lambda g: g[0])
