"""Suggest issue areas for findings: from the codebook's keywords, or learnt from the
findings that are already tagged (TF-IDF and a linear SVM, one-vs-rest).

Each suggestion has one or more issue areas, a confidence between 0 and 1 and a short
reason. scikit-learn is imported only for the learning mode; the model is fitted in the
run and nothing is downloaded.

>>> from upr_summary.codebook import load_codebook
>>> kw = KeywordClassifier(load_codebook("ohchr"))
>>> areas, confidence, reason = kw.suggest("Evictions of tenants rose as rents doubled.")
>>> areas, reason
(('Housing',), 'keywords: evictions, rents, tenants')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .codebook import Codebook
from .errors import UprSummaryError
from .model import Dataset, Finding
from .textutil import fold

#: At least this many tagged findings, and two issue areas with five each, to learn from.
MIN_TRAINING = 50
#: ``auto`` learns from this many tagged findings on; below, keywords do better (on UPR Info,
#: learning reached the keyword mode's micro-F1 of 0.76 at about 800 training findings).
AUTO_LEARNING_MIN = 800
#: At most this many tagged findings are learnt from (an even sample beyond): the learning
#: curve is flat long before, and fitting time grows with every row.
MAX_TRAINING = 20_000
MIN_PER_LABEL = 2
MAX_AREAS = 3
#: The learning mode suggests as many areas as the model finds (UPR Info tags up to six).
MAX_LEARNED_AREAS = 6


class ClassifyError(UprSummaryError):
    """Classification cannot run (no codebook for keywords, too little tagged data)."""


@dataclass(frozen=True)
class Suggestion:
    finding_id: int
    issue_areas: tuple[str, ...]
    confidence: float
    reason: str


@dataclass
class Classification:
    mode: str
    suggestions: dict[int, Suggestion] = field(default_factory=dict)
    trained_on: int = 0
    #: Why the tagged files given to learn from were not used, when they were not.
    unused_learning: str | None = None


_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w*]+", " ", fold(text)).split())


#: Theme names too common as words to count as evidence ("other", "general"), in English,
#: French and Spanish.
_GENERIC = frozenset({"other", "others", "general", "miscellaneous", "misc",
                      "autre", "autres", "divers", "generales", "questions generales",
                      "otro", "otros", "otra", "otras", "varios", "cuestiones generales"})


def _pattern(term: str) -> str | None:
    folded = _fold(term)
    if not folded.strip("* ") or folded in _GENERIC:
        return None
    words = folded.split()
    parts = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if word.endswith("*"):
            parts.append(re.escape(word.rstrip("*")) + r"\w*")
        else:
            parts.append(re.escape(word) + (r"(?:s|es)?" if last else ""))
    return r"\b" + r"\s+".join(parts) + r"\b"


class KeywordClassifier:
    """Scores each theme by the names (in every language of the codebook), aliases (2
    points) and keywords (1 point) found in a text; suggests the best themes, at most three,
    at least half the best score. Case and accents do not count: "LOGEMENT" and "logement"
    match the keyword "logement*" alike, "salud" matches "Salud".

    >>> from upr_summary.codebook import load_codebook
    >>> kw = KeywordClassifier(load_codebook("ohchr"))
    >>> kw.suggest("Les expulsions de locataires ont doublé ; les loyers explosent.")[0]
    ('Housing',)
    """

    def __init__(self, codebook: Codebook) -> None:
        self.rules: list[tuple[str, re.Pattern[str], dict[str, int]]] = []
        # The first word of every term, without its '*': a theme's rule can match only a
        # text with a word that begins so. Looking these up word by word first leaves the
        # few themes worth scanning (a codebook in three languages has thousands of terms).
        self._stems: dict[str, set[int]] = {}
        self._always: set[int] = set()
        for theme in codebook.themes:
            weights: dict[str, int] = {}
            first: set[str] = set()
            for term in (theme.name, *(other for _, other in theme.names), *theme.aliases):
                if (p := _pattern(term)) is not None:
                    weights.setdefault(p, 2)
                    first.add(_fold(term).split()[0])
            for term in theme.keywords:
                if (p := _pattern(term)) is not None:
                    weights.setdefault(p, 1)
                    first.add(_fold(term).split()[0])
            if weights:
                alternation = "|".join(f"(?:{p})" for p in sorted(weights, key=len, reverse=True))
                index = len(self.rules)
                self.rules.append((theme.name, re.compile(alternation), weights))
                for word in first:
                    stem = word.rstrip("*")
                    if not stem or "*" in stem:
                        self._always.add(index)
                    else:
                        self._stems.setdefault(stem, set()).add(index)
        self._lengths = sorted({len(stem) for stem in self._stems})
        #: Each term's own pattern, compiled when a text first holds a word that may match.
        self._compiled: dict[str, re.Pattern[str]] = {}

    def _candidates(self, folded: str) -> list[int]:
        """The rules that may match ``folded``: those with a term whose first word begins
        a word of the text (in codebook order)."""
        found = set(self._always)
        stems = self._stems
        for word in set(_WORD.findall(folded)):
            for n in self._lengths:
                if n > len(word):
                    break
                hit = stems.get(word[:n])
                if hit is not None:
                    found |= hit
        return sorted(found)

    def scores(self, text: str) -> list[tuple[str, int, list[str]]]:
        folded = _fold(text)
        out = []
        for index in self._candidates(folded):
            name, combined, weights = self.rules[index]
            found = {m.group(0) for m in combined.finditer(folded)}
            if not found:
                continue
            score = 0
            for pattern, weight in weights.items():
                compiled = self._compiled.get(pattern)
                if compiled is None:
                    compiled = self._compiled[pattern] = re.compile(pattern)
                if any(compiled.fullmatch(word) for word in found):
                    score += weight
            out.append((name, score, sorted(found)))
        out.sort(key=lambda x: -x[1])
        return out

    def suggest(self, text: str) -> tuple[tuple[str, ...], float, str]:
        scores = self.scores(text)
        if not scores:
            return (), 0.0, "no keyword of the codebook found"
        top = scores[0][1]
        chosen = [s for s in scores if s[1] >= max(1, top / 2)][:MAX_AREAS]
        confidence = round(1 - 0.5 ** top, 2)
        words = sorted({w for s in chosen for w in s[2]})
        return tuple(s[0] for s in chosen), confidence, "keywords: " + ", ".join(words[:6])


class LearnedClassifier:
    """TF-IDF of words and word pairs, one linear SVM per issue area. The decision threshold
    is chosen on a held-out fifth of the training data, then the model is refitted on all of
    it; a finding always gets at least its best issue area."""

    def __init__(self, c: float = 0.5) -> None:
        self.c = c
        self.threshold = 0.0

    def _model(self) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.svm import LinearSVC

        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                                     strip_accents="unicode")
        # A bounded number of iterations: on data with little signal (random tags) liblinear
        # otherwise spends minutes failing to converge, for no better suggestion.
        return vectorizer, OneVsRestClassifier(LinearSVC(C=self.c, max_iter=100))

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> LearnedClassifier:
        import numpy as np
        from sklearn.metrics import f1_score
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import MultiLabelBinarizer

        self.binarizer = MultiLabelBinarizer()
        y = self.binarizer.fit_transform(labels)
        if len(texts) >= 100:
            xa, xb, ya, yb = train_test_split(list(texts), y, test_size=0.2, random_state=0)
            keep = ya.sum(axis=0) > 0
            if keep.sum() >= 2 and (ya[:, keep].sum(axis=0) < len(ya)).all():
                vec, clf = self._model()
                clf.fit(vec.fit_transform(xa), ya[:, keep])
                d = clf.decision_function(vec.transform(xb))
                grid = np.round(np.arange(-0.6, 0.21, 0.05), 2)
                self.threshold = float(max(grid, key=lambda t: f1_score(
                    yb[:, keep], self._pick(d, t), average="micro", zero_division=0)))
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        self.vectorizer, self.model = self._model()
        matrix = self.vectorizer.fit_transform(texts)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model.fit(matrix, y)
        # For the reasons: each area's weights, and in how many tagged findings of that
        # area each word occurs.
        self.coef = np.vstack([e.coef_.ravel() if hasattr(e, "coef_") else
                               np.zeros(matrix.shape[1]) for e in self.model.estimators_])
        present = (matrix > 0).astype(np.int32)
        self.label_df = np.asarray((present.T @ y).T)
        self.words = self.vectorizer.get_feature_names_out()
        return self

    @staticmethod
    def _pick(d: Any, threshold: float) -> Any:
        pred = (d > threshold).astype(int)
        none = pred.sum(axis=1) == 0
        pred[none, d[none].argmax(axis=1)] = 1
        return pred

    def predict(self, texts: Sequence[str]) -> list[tuple[tuple[str, ...], float, str]]:
        import numpy as np

        matrix = self.vectorizer.transform(texts)
        d = np.atleast_2d(self.model.decision_function(matrix))
        if d.shape[0] != len(texts):  # a single issue area: sklearn returns one column
            d = d.T
        pred = self._pick(d, self.threshold)
        classes = self.binarizer.classes_
        matrix = matrix.tocsr()
        out = []
        for i in range(len(texts)):
            chosen = [j for j in np.argsort(-d[i]) if pred[i, j]][:MAX_LEARNED_AREAS]
            areas = tuple(str(classes[j]) for j in chosen)
            margin = float(d[i, chosen[0]] - self.threshold) if chosen else 0.0
            confidence = round(1 / (1 + math.exp(-4 * margin)), 2)
            reason = self._reason(matrix, i, chosen[0]) if chosen else "learnt from the tagged findings"
            out.append((areas, confidence, reason))
        return out

    def _reason(self, matrix: Any, i: int, label: int) -> str:
        """'similar to 12 tagged findings (words: evictions, rent)': the words that weigh
        most for the area in this finding, and how many tagged findings of the area have
        the strongest of them."""
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        idx, values = matrix.indices[start:end], matrix.data[start:end]
        weight = values * self.coef[label, idx]
        order = [k for k in (-weight).argsort()[:3] if weight[k] > 0]
        if not order:
            return "learnt from the tagged findings"
        top = idx[order]
        similar = int(self.label_df[label, top[0]])
        words = ", ".join(str(self.words[t]) for t in top)
        return f"similar to {similar} tagged finding{'s' * (similar != 1)} (words: {words})"


def _training(dataset: Dataset, learn_from: Dataset | None) -> tuple[list[str], list[tuple[str, ...]]]:
    pool = [f for f in dataset.findings if f.issue_areas and f.tagged_by == "input"]
    if learn_from is not None:
        pool += [f for f in learn_from.findings if f.issue_areas]
    counts: dict[str, int] = {}
    for f in pool:
        for a in f.issue_areas:
            counts[a] = counts.get(a, 0) + 1
    texts, labels = [], []
    for f in pool:
        kept = tuple(a for a in f.issue_areas if counts[a] >= MIN_PER_LABEL)
        if kept:
            texts.append(f.text)
            labels.append(kept)
    if len(texts) > MAX_TRAINING:  # an even sample: more adds little and costs much
        step = len(texts) / MAX_TRAINING
        keep = [int(i * step) for i in range(MAX_TRAINING)]
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    return texts, labels


def can_learn(labels: Sequence[Sequence[str]]) -> bool:
    counts: dict[str, int] = {}
    for areas in labels:
        for a in areas:
            counts[a] = counts.get(a, 0) + 1
    return len(labels) >= MIN_TRAINING and sum(1 for n in counts.values() if n >= 5) >= 2


def classify(dataset: Dataset, mode: str = "auto", learn_from: Dataset | None = None,
             all_rows: bool = False) -> Classification:
    """Suggestions for the untagged findings (or, with ``all_rows``, for every finding; the
    tagged ones are then scored by models that did not see them: five folds)."""
    targets = [f for f in dataset.findings if all_rows or not f.issue_areas]
    texts, labels = _training(dataset, learn_from)
    why_not = None
    if mode == "auto":
        enough = len(labels) >= AUTO_LEARNING_MIN or dataset.codebook is None
        mode = "learning" if enough and can_learn(labels) else "keywords"
        if mode == "keywords" and learn_from is not None:
            given = sum(1 for f in learn_from.findings if f.issue_areas)
            why_not = (f"--learn-from was not used: the auto mode learns from "
                       f"{AUTO_LEARNING_MIN} tagged findings on, and {len(labels)} can be used "
                       f"({given} in the files to learn from), so the codebook's keywords "
                       f"were used. To learn from them anyway, add --mode learning (it needs "
                       f"at least {MIN_TRAINING}).")
    result = Classification(mode, unused_learning=why_not)
    if not targets:
        return result
    if mode == "keywords":
        if dataset.codebook is None:
            raise ClassifyError("The keyword mode needs a codebook (--codebook ohchr, upr-info or "
                                "a file); --codebook none has no keywords.")
        kw = KeywordClassifier(dataset.codebook)
        for f in targets:
            result.suggestions[f.id] = Suggestion(f.id, *kw.suggest(f.text))
        return result
    if mode != "learning":
        raise ClassifyError(f"Unknown mode {mode!r}: use keywords, learning or auto.")
    if not can_learn(labels):
        raise ClassifyError(
            f"The learning mode needs at least {MIN_TRAINING} tagged findings, with at least two "
            f"issue areas tagged five times or more; there are {len(labels)}. Tag more findings, "
            "add --learn-from a tagged file of an earlier cycle, or use --mode keywords.")
    result.trained_on = len(texts)
    untagged = [f for f in targets if not f.issue_areas or f.tagged_by != "input"]
    if untagged:
        model = LearnedClassifier().fit(texts, labels)
        for f, s in zip(untagged, model.predict([f.text for f in untagged])):
            result.suggestions[f.id] = Suggestion(f.id, *s)
    tagged = [f for f in targets if f.issue_areas and f.tagged_by == "input"]
    if tagged:
        _cross_score(dataset, tagged, learn_from, result)
    return result


def _cross_score(dataset: Dataset, tagged: list[Finding], learn_from: Dataset | None,
                 result: Classification) -> None:
    """Score tagged findings with models that never saw them (five folds)."""
    folds = 5
    extra_texts, extra_labels = _training(Dataset(), learn_from) if learn_from else ([], [])
    for k in range(folds):
        held = [f for i, f in enumerate(tagged) if i % folds == k]
        held_ids = {f.id for f in held}
        rest = [f for f in dataset.findings
                if f.issue_areas and f.tagged_by == "input" and f.id not in held_ids]
        texts = [f.text for f in rest] + extra_texts
        labels = [f.issue_areas for f in rest] + extra_labels
        if not held or not can_learn(labels):
            continue
        model = LearnedClassifier().fit(texts, labels)
        for f, s in zip(held, model.predict([f.text for f in held])):
            result.suggestions[f.id] = Suggestion(f.id, *s)


def apply_suggestions(dataset: Dataset, result: Classification) -> int:
    """Tag the untagged findings with their suggestions (``build --auto-tag``); returns how
    many were tagged."""
    tagged = 0
    for i, f in enumerate(dataset.findings):
        s = result.suggestions.get(f.id)
        if not f.issue_areas and s is not None and s.issue_areas:
            dataset.findings[i] = replace(f, issue_areas=s.issue_areas, tagged_by="auto")
            tagged += 1
    return tagged


OUTPUT_COLUMNS = ("submission", "organization", "city", "type", "issue_area", "finding",
                  "recommendation", "quote", "quote_by", "url", "confidential",
                  "suggested_issue_area", "confidence", "reason", "source")


def output_columns(dataset: Dataset) -> list[str]:
    """The working file's columns: ours, then the inputs' own (in the order first met,
    none that would take one of ours), then the suggestion's."""
    ours = list(OUTPUT_COLUMNS)
    own = dict.fromkeys(name for f in dataset.findings for name, _ in f.extra
                        if name not in ours)
    at = ours.index("suggested_issue_area")
    return ours[:at] + list(own) + ours[at:]


def suggestion_rows(dataset: Dataset, result: Classification) -> list[dict[str, Any]]:
    """One row per finding, in the input's columns, with the suggestion beside it. Contact
    e-mails are left out. A confidential organization keeps its name, with its flag: a
    build from this file must know the name to withhold it where another member's text
    mentions it (the file is a working file, as private as the submissions)."""
    rows = []
    for f in dataset.findings:
        sub = dataset.submissions[f.submission]
        organization = "; ".join(sub.members) if sub.members else (sub.organization or "")
        s = result.suggestions.get(f.id)
        loc = f.location
        rows.append({
            "submission": sub.code, "organization": organization,
            "city": sub.city or "", "type": sub.type,
            "issue_area": "; ".join(f.issue_areas),
            "finding": f.text, "recommendation": "\n".join(f.recommendations),
            "quote": f.quote or "", "quote_by": f.quote_by or "", "url": f.url or "",
            "confidential": "yes" if sub.confidential else "no",
            "suggested_issue_area": "; ".join(s.issue_areas) if s else "",
            "confidence": f"{s.confidence:.2f}" if s else "",
            "reason": s.reason if s else "",
            "source": f"{loc.file}{f'[{loc.sheet}]' if loc.sheet else ''}:{loc.row}",
            **{name: value for name, value in f.extra if name not in OUTPUT_COLUMNS},
        })
    return rows
