"""Group findings that express the same concern in other words ("grouping by meaning").

Texts arrive already merged when identical or near-identical (:func:`similar.group_similar`),
within one theme. Each text becomes a unit vector; texts are joined by average linkage:
two groups merge only when the mean cosine similarity over all their pairs of members is at
least the method's threshold. Wrong merges are worse than missed ones (a wrongly merged
finding is attributed to an organization that never said it), so the thresholds were
chosen for precision first on real text (``bench/concerns_eval.py``, ``bench/README.md``).

Methods, best first:

- ``wordllama``: the mean of the WordLlama vectors of the text's tokens (the model, 256
  dimensions, ships inside the ``wordllama`` wheel and runs on numpy), each word weighted
  by its rarity (:class:`WordRarity`, best built once from every finding of the build and
  passed to each theme's call: on real held-out text, recall 0.78 against 0.58 with the
  theme's own texts, at the same precision) and figures left out. It is loaded from the installed package only:
  downloads are disabled and nothing reaches the network.
- ``tfidf`` (the fallback, when wordllama is not installed or fails to load): TF-IDF
  of character 3-5-grams within words, fitted on the theme's own texts (projected to
  :data:`PROJECTED_DIMENSIONS` dimensions in a large theme). Needs only scikit-learn.

Two texts whose negations differ ("not", "no", "without" ...) never join: averaged vectors
barely see a negation, and "detain children" is not "do not detain children".

Nothing is quadratic in a theme's size: themes up to :data:`EXACT_MAX` texts have every
pair compared (a constant bound); larger ones compare each text only with its
:data:`WINDOW` neighbours in each of :data:`TABLES` orders given by random-hyperplane hashes
of the vectors (a fixed seed: the same input always gives the same groups), so that at most
``TABLES x WINDOW`` pairs per text are compared. Linkage is then checked among those
candidates only, most similar first.

>>> g = group_by_meaning(["Rents rose by 38 per cent."])
>>> g.groups, g.central
([[0]], [0])
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .textutil import fold, poles

#: Average-linkage thresholds (mean cosine between the members of two groups) on UPR
#: recommendations: chosen on sessions 1-9, checked on sessions 10-13 (bench/concerns_eval.py).
RECOMMENDATION_THRESHOLDS = {"wordllama": 0.34, "tfidf": 0.25}
#: The thresholds a build uses on findings. Findings are not recommendations: they are
#: longer, carry figures and share a theme's vocabulary, and their averaged vectors are
#: close even when they say different things. At the recommendation thresholds, every one
#: of the 8 groups by meaning made in the sample's 292 findings joined different concerns
#: (pre-trial detention with mandatory minimum sentences, the prison population's growth
#: with its racial make-up ...); the highest cosine between two findings of the sample that
#: say different things is 0.598 (wordllama) and 0.360 (tf-idf). Wrong merges are worse
#: than missed ones, so a build groups above those (bench/README.md has what this costs in
#: recall on the UPR text).
THRESHOLDS = {"wordllama": 0.62, "tfidf": 0.40}
#: With cluster(floor=...): the members of a group (those farthest from its mean) checked
#: against the floor in a merge. Not used by default: on real text the floor lost recall
#: and gained no precision (bench/README.md).
FRONTIER = 32
#: Methods in order of preference.
METHODS = ("wordllama", "tfidf")
#: Characters of a text that are embedded (the rest rarely changes what it is about, and
#: a 200,000-character cell must not cost more than a sentence).
MAX_EMBED_CHARS = 2_000
#: Words of a text that are embedded (after the character cut).
MAX_EMBED_WORDS = 400
#: Themes up to this size have every pair compared (at most ~0.5 million pairs).
EXACT_MAX = 1_000
#: Larger themes: this many random-hyperplane orders ...
TABLES = 10
#: ... in each of which a text is compared with this many texts after it.
WINDOW = 6
#: Candidate pairs kept per text (its most similar ones) for the linkage check.
NEIGHBOURS = 16
#: Bits per random-hyperplane key.
BITS = 16
#: Dimensions the fallback's TF-IDF vectors are projected to in themes larger than
#: :data:`EXACT_MAX` (smaller themes keep their exact cosines).
PROJECTED_DIMENSIONS = 512
_SEED = 20261127

#: Words that reverse what a text says; texts that differ in them never join.
NEGATIONS = frozenset("""
not no nor never without neither none cannot nobody nothing
ne pas jamais sans aucun aucune ni
sin nunca ningun ninguna tampoco
nicht kein keine keinen ohne nie niemals
nao nem sem nunca
""".split())
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")

#: A hook for tests: called with the number of pairs whose similarity was computed.
pair_counter: Callable[[int], None] | None = None

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grouping:
    """Groups of input indices (each index in exactly one group, members ascending, groups
    ordered by their first member), the most representative member of each group, the
    method that ran and the unit vectors it used."""

    groups: list[list[int]]
    central: list[int]
    method: str
    vectors: Any  # numpy.ndarray | None


def _word_key(word: str) -> str:
    return "".join(_WORD.findall(fold(word)))


class WordRarity:
    """How rare each word is in a body of texts: its inverse document frequency,
    ``log((n + 1) / (df + 1)) + 1``. A text's vector weighs each word by it, so that what all
    findings say ("Take measures to ensure that ...") counts less than what sets one apart
    (the treaty, the group, the place). Build it once from every finding of a build and pass
    it to each theme's :func:`group_by_meaning`; by default each call uses its own texts.

    >>> rarity = WordRarity(["Ratify the Rome Statute.", "Ratify OPCAT."])
    >>> rarity("ratify") < rarity("Rome")
    True
    """

    def __init__(self, texts: Sequence[str]) -> None:
        df: dict[str, int] = {}
        keys: dict[str, str] = {}  # a word as written -> its key (words repeat)
        for text in texts:
            seen = set()
            for word in set(text[:MAX_EMBED_CHARS].split()[:MAX_EMBED_WORDS]):
                key = keys.get(word)
                if key is None:
                    if len(keys) >= 200_000:
                        keys.clear()  # (bounded: text of random words)
                    key = keys[word] = _word_key(word)
                seen.add(key)
            for key in seen:
                df[key] = df.get(key, 0) + 1
        self.texts = len(texts)
        self._df = df

    def __call__(self, word: str) -> float:
        return math.log((self.texts + 1) / (self._df.get(_word_key(word), 0) + 1)) + 1


def _describe(method: str, threshold: float) -> str:
    name = ("wordllama-256, words weighted by rarity" if method == "wordllama"
            else "tf-idf character 3-5-grams")
    return f"{name} (cosine >= {threshold:.2f}, average linkage)"


#: The model's files inside the wordllama package.
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


@functools.lru_cache(maxsize=1)
def _wordllama_files() -> Path | None:
    """The folder of the installed wordllama package, if it holds the model files."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    if (root / WEIGHTS).is_file() and (root / TOKENIZER).is_file():
        return root
    return None


def tokenizer_key() -> list[object] | None:
    """What identifies the tokenizer whose token ids a cache may hold: its file's path, size
    and modification time (a reinstalled or changed model gives another key); None without
    the model."""
    root = _wordllama_files()
    if root is None:
        return None
    try:
        info = (root / TOKENIZER).stat()
    except OSError:
        return None
    return [str(root / TOKENIZER), info.st_size, info.st_mtime_ns]


def method_name() -> str:
    """The method a build would use here (found without loading the model)."""
    method = "wordllama" if _wordllama_files() is not None else "tfidf"
    return _describe(method, THRESHOLDS[method])


@functools.lru_cache(maxsize=1)
def _load_wordllama() -> Any:
    """The WordLlama model from the installed package, never from the network.

    wordllama 0.4.0 looks for its bundled tokenizer in ``<package>/tokenizer/`` (a folder
    that does not exist) and then in ``<cache_dir>/tokenizers/``: with the package folder as
    ``cache_dir`` the second look finds it, and ``disable_download`` makes a missing file an
    error instead of a download. Importing wordllama configures the root logger
    (``logging.basicConfig``): that is undone.
    """
    root = _wordllama_files()
    if root is None:
        raise ImportError("wordllama is not installed with its model files")
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    try:
        import wordllama
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
    model = wordllama.WordLlama.load(config="l2_supercat", dim=256, cache_dir=root,
                                     disable_download=True)
    model.tokenizer.no_padding()
    return model


@functools.lru_cache(maxsize=1)
def _embedding_table() -> Any:
    """The model's token vectors (32,000 x 256, as float32, the array the loaded model
    holds), read straight from the installed package's safetensors file (an 8-byte header
    length, a JSON header, the raw half-precision numbers), so that a build whose words are
    all in the cache never imports wordllama or its tokenizer."""
    import numpy as np

    root = _wordllama_files()
    if root is None:
        raise ImportError("wordllama is not installed with its model files")
    with open(root / WEIGHTS, "rb") as stream:
        size = int.from_bytes(stream.read(8), "little")
        if not 0 < size <= 1 << 20:
            raise ValueError(f"{root / WEIGHTS} is not a safetensors file")
        info = json.loads(stream.read(size))["embedding.weight"]
        rows, dims = (int(n) for n in info["shape"])
        start, end = (int(n) for n in info["data_offsets"])
        if info["dtype"] != "F16" or end - start != rows * dims * 2 or rows < 1 or dims < 1:
            raise ValueError(f"{root / WEIGHTS}: unexpected embedding {info!r}")
        stream.seek(8 + size + start)
        data = stream.read(end - start)
    if len(data) != end - start:
        raise ValueError(f"{root / WEIGHTS} is truncated")
    half = np.frombuffer(data, dtype="<f2").reshape(rows, dims)
    return np.ascontiguousarray(half.astype(np.float32))


class WordTokens:
    """The model's token ids of each word (the tokenizer never joins two words separated by
    a space, so a text's tokens are its words' tokens): ``known`` from the project cache or
    tokenized in this build; ``tokenized`` lists the words the tokenizer ran on here (what
    the tests count), ``used`` every word asked for. One build shares one table across its
    themes; :meth:`entry` is what the cache keeps, the words this build used and no other.

    >>> words = WordTokens({"rents": [1, 2]})
    >>> words.ids(["rents"]), words.tokenized
    ([[1, 2]], [])
    """

    def __init__(self, known: dict[str, list[int]] | None = None) -> None:
        self.known: dict[str, list[int]] = dict(known or {})
        self.tokenized: list[str] = []
        self.used: set[str] = set()

    def ids(self, words: Sequence[str]) -> list[list[int]]:
        missing = [w for w in dict.fromkeys(words) if w not in self.known]
        if missing:
            tokenizer = _load_wordllama().tokenizer
            step = 20_000  # words tokenized at once (bounds memory)
            for start in range(0, len(missing), step):
                chunk = missing[start:start + step]
                for word, encoded in zip(chunk, tokenizer.encode_batch(
                        chunk, add_special_tokens=False)):
                    self.known[word] = [int(i) for i in encoded.ids]
            self.tokenized += missing
        self.used.update(words)
        return [self.known[w] for w in words]

    def entry(self) -> dict[str, list[int]]:
        """The token ids of the words used, for the cache."""
        return {w: self.known[w] for w in sorted(self.used)}

    @staticmethod
    def from_entry(value: Any) -> WordTokens | None:
        """The table a cache entry holds, or None when it is not one (damaged, edited)."""
        if not isinstance(value, dict):
            return None
        for word, ids in value.items():
            if not (isinstance(word, str) and isinstance(ids, list)
                    and len(ids) <= 4 * len(word) + 4  # (a token per byte at most)
                    and all(type(i) is int and 0 <= i < 1 << 31 for i in ids)):
                return None
        return WordTokens(value)


def _wordllama_vectors(texts: Sequence[str], weigh: Callable[[str], float] | None = None,
                       known: WordTokens | None = None) -> Any:
    """Mean word vector of each text's tokens (zero for a text without tokens), unnormalised,
    each word weighted by ``weigh`` (a word without a letter: not at all).

    The tokenizer never joins two words separated by a space into one token, so each
    distinct word is tokenized once (words repeat: this is several times faster than
    tokenizing every text; ``known`` holds those already tokenized), and a text's vector is
    the sum of its words' token vectors over its number of tokens."""
    import numpy as np
    from scipy.sparse import csc_matrix

    known = known if known is not None else WordTokens()
    table = _embedding_table()
    index: dict[str, int] = {}
    columns: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        words = text[:MAX_EMBED_CHARS].split()[:MAX_EMBED_WORDS]
        lengths[row] = len(words)
        columns.extend(index.setdefault(w, len(index)) for w in words)
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float64)
    # Figures ("43,120", "2019") are left out: their tokens are digits that every figure
    # shares, and what a finding is about does not change with them.
    all_words = list(index)
    weight = np.array([(weigh(w) if weigh is not None else 1.0) if _LETTER.search(w) else 0.0
                       for w in all_words], dtype=np.float64)
    kept = np.flatnonzero(weight > 0)
    if not len(kept):
        return out.astype(np.float32)
    # Columns of the kept words only, numbered 0..len(kept)-1.
    renumber = np.full(len(all_words), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    cols = renumber[np.asarray(columns, dtype=np.int64)]
    rows = np.repeat(np.arange(len(texts)), lengths)
    used = cols >= 0
    counts = csc_matrix((weight[kept][cols[used]], (rows[used], cols[used])),
                        shape=(len(texts), len(kept)))
    vocabulary = [all_words[k] for k in kept.tolist()]
    tokens = np.zeros(len(texts), dtype=np.float64)
    step = 20_000  # words tokenized and held at once (bounds memory)
    for start in range(0, len(vocabulary), step):
        chunk = vocabulary[start:start + step]
        ids = known.ids(chunk)
        sizes = np.array([len(x) for x in ids], dtype=np.int64)
        word_sum = np.zeros((len(chunk), table.shape[1]), dtype=np.float64)
        have = sizes > 0
        if have.any():
            flat = np.clip(np.fromiter((i for x in ids for i in x), dtype=np.int64,
                                       count=int(sizes.sum())), 0, table.shape[0] - 1)
            offsets = np.r_[0, np.cumsum(sizes)[:-1]]
            word_sum[have] = np.add.reduceat(table[flat], offsets[have], axis=0)
        part = counts[:, start:start + len(chunk)]
        out += part @ word_sum
        tokens += part @ sizes.astype(np.float64)
    return (out / np.maximum(tokens, 1)[:, None]).astype(np.float32)


def _tfidf_vectors(texts: Sequence[str]) -> Any:
    """TF-IDF of character 3-5-grams within words, fitted on these texts, as dense vectors
    with the same cosines (projected to :data:`PROJECTED_DIMENSIONS` in a large theme)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [fold(t[:MAX_EMBED_CHARS]) for t in texts]
    if not any(_WORD.search(d) for d in docs):
        return np.zeros((len(texts), 1), dtype=np.float32)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                 dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no n-gram at all
        return np.zeros((len(texts), 1), dtype=np.float32)
    if matrix.shape[1] <= PROJECTED_DIMENSIONS:
        return np.asarray(matrix.todense(), dtype=np.float32)
    if matrix.shape[0] <= EXACT_MAX:
        # Vectors with exactly the same cosines, from the Gram matrix's eigenvectors.
        gram = (matrix @ matrix.T).toarray().astype(np.float64)
        values, vectors = np.linalg.eigh(gram)
        values = np.clip(values, 0, None)
        return (vectors * np.sqrt(values)[None, :])[:, ::-1].astype(np.float32)
    # Large themes: a sparse random projection (fixed seed) keeps cosines within ~0.05.
    from sklearn.random_projection import SparseRandomProjection

    projection = SparseRandomProjection(n_components=PROJECTED_DIMENSIONS, random_state=_SEED,
                                        dense_output=True)
    return np.asarray(projection.fit_transform(matrix), dtype=np.float32)


def embed(texts: Sequence[str], method: str, rarity: WordRarity | None = None,
          words: WordTokens | None = None) -> Any:
    """Unit vectors (n, d) of ``texts`` by ``method``; a text with no word at all gets a zero
    vector (it joins nothing). ``rarity`` weighs wordllama's words (None: not weighted);
    ``words``: the words' token ids known so far (see :class:`WordTokens`)."""
    import numpy as np

    raw = (_wordllama_vectors(texts, rarity, words) if method == "wordllama"
           else _tfidf_vectors(texts))
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    has_words = np.array([bool(_WORD.search(t[:MAX_EMBED_CHARS])) for t in texts], dtype=bool)
    ok = (norms[:, 0] > 1e-12) & has_words
    out = np.zeros_like(raw, dtype=np.float32)
    out[ok] = raw[ok] / norms[ok]
    return out


#: Poles that say who or where rather than which way: two findings about women and about
#: men, or the north and the south, may still be one concern (its facts then follow it);
#: only the near-identical merge, which keeps one wording, must keep them apart.
_WHO_WHERE = frozenset({"women", "men", "north", "south", "east", "west", "urban", "rural"})


def negation_key(text: str) -> frozenset[str]:
    """The negation words of a text: texts join only when these are the same ("No." before
    a number is not one: "ILO Convention No. 169")."""
    words = _WORD.findall(fold(text[:MAX_EMBED_CHARS]))
    return frozenset(w for k, w in enumerate(words) if w in NEGATIONS
                     and not (w == "no" and k + 1 < len(words) and words[k + 1].isdigit()))


#: Poles that turn a claim around, each with its opposite.
OPPOSITE = {"up": "down", "down": "up", "end": "start", "start": "end", "better": "worse",
            "worse": "better", "open": "closed", "closed": "open", "accepted": "rejected",
            "rejected": "accepted"}


def turning_poles(text: str) -> frozenset[str]:
    """The poles of a text that say which way something goes ("rose", "abolished" ...), not
    who or where: averaged vectors barely see them, so they are checked apart."""
    return frozenset(p for p in poles(text[:MAX_EMBED_CHARS]) if p not in _WHO_WHERE)


def conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one side says what the other says the opposite of: a pole of ``a`` whose
    opposite only ``b`` has ("rose" / "fell", "abolished" / "reinstated"). A side with no
    pole, or the same poles, is no conflict ("Strengthen the ombudsperson" and "Ensure the
    ombudsperson is independent" may be one concern).

    >>> conflict(frozenset({"end"}), frozenset({"start"})), conflict(frozenset({"up"}), frozenset())
    (True, False)
    """
    return any(OPPOSITE.get(p) in b - a for p in a - b)


def _count(pairs: int) -> None:
    if pair_counter is not None:
        pair_counter(pairs)


def candidate_pairs(vectors: Any, threshold: float, blocks: Any) -> tuple[Any, Any, Any]:
    """Pairs (i < j, same block) whose cosine is at least ``threshold``, with their cosine;
    every pair compared in a small theme, a bounded number per text in a large one."""
    import numpy as np

    n = len(vectors)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if n < 2:
        return empty
    if n <= EXACT_MAX:
        sims = vectors @ vectors.T
        _count(n * (n - 1) // 2)
        upper = np.triu(np.ones((n, n), dtype=bool), k=1)
        keep = upper & (sims >= threshold) & (blocks[:, None] == blocks[None, :])
        i, j = np.nonzero(keep)
        sims = None  # recomputed pair by pair: the same numbers whichever path found them
    else:
        rng = np.random.default_rng(_SEED)
        planes = rng.standard_normal((vectors.shape[1], TABLES * BITS)).astype(np.float32)
        weights = (1 << np.arange(BITS, dtype=np.int64))
        found, cosines = [], []
        compared = 0
        for table in range(TABLES):
            bits = (vectors @ planes[:, table * BITS:(table + 1) * BITS]) > 0
            keys = bits.astype(np.int64) @ weights
            # Blocks first, then the hash, then the index: a deterministic order.
            order = np.lexsort((np.arange(n), keys, blocks))
            ordered = vectors[order]
            for step in range(1, WINDOW + 1):
                a, b = order[:-step], order[step:]
                cos = np.einsum("ij,ij->i", ordered[:-step], ordered[step:])
                compared += len(cos)
                keep = (blocks[a] == blocks[b]) & (cos >= threshold)
                a, b = a[keep], b[keep]
                found.append(np.minimum(a, b) * n + np.maximum(a, b))
                cosines.append(cos[keep])
        _count(compared)
        pairs, cos = np.concatenate(found), np.concatenate(cosines)
        order = np.argsort(pairs, kind="stable")
        pairs, cos = pairs[order], cos[order]
        first = np.r_[True, pairs[1:] != pairs[:-1]]
        pairs, sims = pairs[first], cos[first]
        i, j = pairs // n, pairs % n
    if sims is None:
        sims = _pair_cosines(vectors, i, j)
    keep = sims >= threshold
    i, j, sim = i[keep].astype(np.int64), j[keep].astype(np.int64), sims[keep].astype(np.float32)
    # Each text keeps its NEIGHBOURS most similar pairs (a pair stays when it is among
    # either end's): linkage is then checked at most NEIGHBOURS x n times.
    if len(i) > NEIGHBOURS * n:
        keep = np.zeros(len(i), dtype=bool)
        for end in (i, j):
            order = np.lexsort((i, j, -sim, end))
            ranked = end[order]
            first = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            keep[order[rank < NEIGHBOURS]] = True
        i, j, sim = i[keep], j[keep], sim[keep]
    return i, j, sim


def _pair_cosines(vectors: Any, i: Any, j: Any) -> Any:
    """dot(vectors[i], vectors[j]) for each pair, a bounded number of pairs at a time."""
    import numpy as np

    out = np.empty(len(i), dtype=np.float32)
    step = 32_768
    for start in range(0, len(i), step):
        a, b = i[start:start + step], j[start:start + step]
        out[start:start + step] = np.einsum("ij,ij->i", vectors[a], vectors[b])
    return out


def cluster(vectors: Any, threshold: float, blocks: Any = None,
            floor: float | None = None,
            turns: Sequence[frozenset[str]] | None = None) -> list[list[int]]:
    """Average-linkage groups among candidate pairs: pairs are taken most similar first
    (ties by index), and the groups of a pair merge when the mean cosine over all pairs of
    their members, dot(sum A, sum B) / (|A| |B|), is at least ``threshold`` and (when
    ``floor`` is given) no pair of their members is less similar than ``floor`` and (when
    ``turns`` is given: each text's :func:`turning_poles`) the poles of one group do not
    :func:`conflict` with the other's."""
    import numpy as np

    n = len(vectors)
    if blocks is None:
        blocks = np.zeros(n, dtype=np.int64)
    zero = ~np.any(vectors != 0, axis=1)
    blocks = np.where(zero, -1 - np.arange(n), blocks)  # a zero vector joins nothing
    i, j, sim = candidate_pairs(vectors, threshold, blocks)
    order = np.lexsort((j, i, -sim))
    parent = list(range(n))
    size = [1] * n
    sums: dict[int, Any] = {}
    frontier: dict[int, list[int]] = {}
    vec64 = vectors.astype(np.float64)
    turned: dict[int, frozenset[str]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(i[order].tolist(), j[order].tolist()):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        sa = sums.get(ra, vec64[ra])
        sb = sums.get(rb, vec64[rb])
        if float(sa @ sb) < threshold * size[ra] * size[rb]:
            continue
        if turns is not None:
            ta, tb = turned.get(ra, turns[ra]), turned.get(rb, turns[rb])
            if conflict(ta, tb):
                continue
        if floor is not None:
            # No two members may be far apart (a chain of close neighbours is not one
            # concern): checked on each group's FRONTIER members farthest from its mean,
            # so that a merge costs a bounded number of comparisons.
            fa, fb = frontier.get(ra, [ra]), frontier.get(rb, [rb])
            if len(fa) * len(fb) > 1 and float((vectors[fa] @ vectors[fb].T).min()) < floor:
                continue
        root, other = min(ra, rb), max(ra, rb)
        parent[other] = root
        size[root] += size[other]
        sums[root] = sa + sb
        sums.pop(other, None)
        if turns is not None:
            turned[root] = turned.pop(ra, turns[ra]) | turned.pop(rb, turns[rb])
        if floor is not None:
            both = frontier.pop(ra, [ra]) + frontier.pop(rb, [rb])
            if len(both) > FRONTIER:
                closeness = np.round(vec64[both] @ sums[root], 9)
                keep = np.lexsort((np.asarray(both), closeness))[:FRONTIER]
                both = sorted(np.asarray(both)[keep].tolist())
            frontier[root] = both
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), []).append(x)
    return sorted(groups.values(), key=lambda g: g[0])


def central_members(vectors: Any, groups: list[list[int]]) -> list[int]:
    """Per group, the member closest to the group's mean vector (ties: the first)."""
    import numpy as np

    central = []
    for group in groups:
        if len(group) == 1:
            central.append(group[0])
            continue
        members = vectors[group].astype(np.float64)
        scores = members @ members.sum(axis=0)
        central.append(group[int(np.argmax(np.round(scores, 9)))])
    return central


def group_by_meaning(texts: Sequence[str], *, method: str | None = None,
                     rarity: WordRarity | None = None,
                     words: WordTokens | None = None) -> Grouping:
    """Group ``texts`` (one theme's findings, already merged when near-identical) by meaning.

    ``method`` is ``"wordllama"``, ``"tfidf"`` or None (the best available: wordllama,
    else the fallback, which also runs when wordllama fails to load). ``rarity``: how rare
    words are, from every finding of the build (:class:`WordRarity`); None: from ``texts``.
    ``words``: the token ids of words known already (:class:`WordTokens`, shared by a
    build's themes and kept in the project cache)."""
    import numpy as np

    texts = [t if isinstance(t, str) else str(t) for t in texts]
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown grouping method {method!r}; choose one of {', '.join(METHODS)}")
    chosen = method or ("wordllama" if _wordllama_files() is not None else "tfidf")
    if not texts:
        return Grouping([], [], _describe(chosen, THRESHOLDS[chosen]), None)
    vectors = None
    if chosen == "wordllama":
        try:
            vectors = embed(texts, "wordllama", rarity or WordRarity(texts), words)
        except Exception as error:  # noqa: BLE001 - any failure to load means the fallback
            if method == "wordllama":
                raise
            _log.warning("wordllama could not be used (%s); grouping with the fallback", error)
            chosen = "tfidf"
    if vectors is None:
        vectors = embed(texts, "tfidf")
    threshold = THRESHOLDS[chosen]
    keys: dict[frozenset[str], int] = {}
    blocks = np.array([keys.setdefault(negation_key(t), len(keys)) for t in texts], dtype=np.int64)
    groups = cluster(vectors, threshold, blocks, turns=[turning_poles(t) for t in texts])
    return Grouping(groups, central_members(vectors, groups), _describe(chosen, threshold), vectors)
