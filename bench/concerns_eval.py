"""Evaluate grouping by meaning (issue 12) on real text: the UPR Info database.

Each theme is the recommendations made to one State under review in one session that share
their first UPR Info issue label; each recommending State plays a member organization.
Gold concerns come from unambiguous patterns (the same treaty to ratify, the same ask);
only recommendations that match exactly one pattern are scored, but every recommendation
of the theme is grouped (the others make the task realistic). The methods never see the
patterns. Scores are pairwise precision, recall and F1 over the scored recommendations of
each theme, for:

  (a) near-identical merging (similar.group_similar) alone;
  (b) TF-IDF (words, fitted per theme) + agglomerative average linkage (scikit-learn);
  (c) concerns.py's fallback (tf-idf character n-grams), after (a);
  (d) concerns.py's method (wordllama, words weighted by their rarity in the review), after (a);
  and variants of (d), to show what each part of the method does.

Thresholds are chosen on sessions 1-9 (the highest F1 among thresholds with precision >=
0.95, else the highest precision) and scored on sessions 10-13.

    python bench/concerns_eval.py [--data ../shared/data/upr-info] [--json bench/concerns_eval.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from upr_summary import concerns  # noqa: E402
from upr_summary.similar import group_similar  # noqa: E402

FILES = ["upr_info_sessions_1-5.csv", "upr_info_sessions_6-9.csv", "upr_info_sessions_10-13.csv"]
DEV_SESSIONS = set(range(1, 10))
SETTINGS = ("review", "pooled")

#: Gold concerns: a recommendation matching exactly one of these is scored.
PATTERNS = {
    "ratify OPCAT": r"optional protocol (to|of) the convention against torture|\bop-?cat\b",
    "ratify CRPD": r"rights of persons with disabilities|\bcrpd\b",
    "Rome Statute / ICC": r"rome statute|international criminal court|\bicc\b",
    "enforced disappearance convention": r"from enforced disappearance|\bicpped\b|\bcped\b",
    "migrant workers convention": r"all migrant workers|\bicrmw\b|\bicprmw\b",
    "OP-CEDAW": r"optional protocol (to|of) (the )?(cedaw|convention on the elimination of all forms of "
                r"discrimination against women)|op-cedaw",
    "OP-ICESCR": r"optional protocol (to|of) the international covenant on economic|op-icescr",
    "OPSC (sale of children)": r"sale of children",
    "OPAC (children in armed conflict)": r"involvement of children in armed conflict|child soldier",
    "refugee convention": r"status of refugees|1951 (refugee )?convention",
    "statelessness": r"stateless",
    "ILO 169": r"\bilo\b.{0,20}169|indigenous and tribal peoples",
    # The second optional protocol to the ICCPR is the one aiming at abolishing the death
    # penalty: acceding to it is the same ask.
    "death penalty": r"death penalty|capital punishment|moratorium on (the )?executions?|second optional protocol",
    "standing invitation": r"standing invitation",
    "NHRI (Paris Principles)": r"paris principles|national human rights institution",
    "domestic violence": r"domestic violence",
    "FGM": r"genital mutilation|genital cutting|\bfgm\b",
    "birth registration": r"birth registration|registration of (all )?births|register (all )?births",
    "corporal punishment": r"corporal punishment",
    "journalists": r"journalist",
    "defamation": r"defamation",
    "human rights defenders": r"human rights defenders",
    "child labour": r"child labou?r",
    "trafficking": r"traffick",
    "juvenile justice": r"juvenile justice",
    "sexual orientation": r"sexual orientation|same[- ]sex|homosexual|\blgbt",
    "child marriage": r"early marriage|child marriage|forced marriage|(minimum|legal) age (of|for) marriage",
    "prison overcrowding": r"overcrowd",
    "freedom of religion": r"freedom of religion|religious freedom",
    "HIV/AIDS": r"\bhiv\b|\baids\b",
    "judicial independence": r"independence of the judiciary|judicial independence|independent judiciary",
    "pre-trial detention": r"pre-?trial detention",
    "peaceful assembly": r"peaceful assembly|freedom of assembly",
    "Roma": r"\broma\b",
    "extrajudicial killings": r"extrajudicial",
    "human rights education": r"human rights education",
}
_COMPILED = {name: re.compile(p, re.I) for name, p in PATTERNS.items()}


def default_data() -> Path:
    """../shared/data/upr-info next to the project (or next to the folder holding its
    worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "data" / "upr-info").is_dir():
            return base / "shared" / "data" / "upr-info"
    return ROOT.parent / "shared" / "data" / "upr-info"


def gold_label(text: str) -> str | None:
    hits = [name for name, p in _COMPILED.items() if p.search(text)]
    return hits[0] if len(hits) == 1 else None


def read(data: Path):
    import pandas as pd

    frames = [pd.read_csv(data / name, encoding="mac_roman", lineterminator="\r", dtype=str,
                          keep_default_na=False) for name in FILES]
    frame = pd.concat(frames, ignore_index=True)
    themes = defaultdict(list)  # (session, State, issue) -> [(text, gold)]
    for to, text, issue, session in zip(frame["To"], frame["Text"], frame["Issue"], frame["Session"]):
        text = text.strip()
        first = issue.split(",")[0].strip()
        if not text or not first or not session.strip().isdigit():
            continue
        themes[(int(session), to.strip(), first)].append((text, gold_label(text)))
    return themes


def pair_counts(gold: list[str | None], pred: list[int]) -> tuple[int, int, int]:
    """(true positive, predicted, gold) pairs among the scored items of one theme."""
    scored = [(g, p) for g, p in zip(gold, pred) if g is not None]
    tp = npred = ngold = 0
    for x in range(len(scored)):
        for y in range(x + 1, len(scored)):
            same_gold = scored[x][0] == scored[y][0]
            same_pred = scored[x][1] == scored[y][1]
            tp += same_gold and same_pred
            npred += same_pred
            ngold += same_gold
    return tp, npred, ngold


def scores(counts) -> dict:
    tp, npred, ngold = (sum(c[k] for c in counts) for k in range(3))
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold_pairs": ngold, "predicted_pairs": npred}


def labels_from(groups, n):
    out = [0] * n
    for k, group in enumerate(groups):
        for i in group:
            out[i] = k
    return out


class Theme:
    """One theme: its texts, gold labels, near-identical groups and their representatives."""

    def __init__(self, key, items):
        self.key = key
        self.texts = [t for t, _ in items]
        self.gold = [g for _, g in items]
        self.near = group_similar(self.texts)
        self.reps = [self.texts[g[0]] for g in self.near]
        self.near_labels = labels_from(self.near, len(self.texts))
        self.cache = {}

    def expand(self, rep_groups) -> list[int]:
        """Labels of the texts from groups of representatives."""
        rep_label = labels_from(rep_groups, len(self.reps))
        return [rep_label[self.near_labels[i]] for i in range(len(self.texts))]


def choose(curves: dict[str, dict[float, dict]]) -> float:
    """The threshold with the highest mean F1 over the settings among those whose precision
    is at least 0.95 in every setting (else the one with the highest lowest precision)."""
    thresholds = sorted(next(iter(curves.values())))
    ok = [t for t in thresholds if all(c[t]["precision"] >= 0.95 for c in curves.values())]
    if ok:
        return max(ok, key=lambda t: (sum(c[t]["f1"] for c in curves.values()), t))
    return max(thresholds, key=lambda t: (min(c[t]["precision"] for c in curves.values()), t))


def rarities(themes, scope):
    """The WordRarity each theme's grouping uses: from every recommendation of its build
    (the review, or the session for pooled themes), of the whole part, of the theme alone,
    or none."""
    if scope == "none":
        return {th.key: None for th in themes}
    if scope == "theme":
        return {th.key: concerns.WordRarity(th.texts) for th in themes}
    if scope == "part":
        one = concerns.WordRarity([t for th in themes for t in th.texts])
        return {th.key: one for th in themes}
    by_review = defaultdict(list)
    for th in themes:
        by_review[th.key[:2]].extend(th.texts)
    built = {k: concerns.WordRarity(v) for k, v in by_review.items()}
    return {th.key: built[th.key[:2]] for th in themes}


def run_ours(themes, method, thresholds, variant="", scope="review"):
    """Counts per threshold for concerns.cluster on the method's vectors."""
    import numpy as np

    out = {t: [] for t in thresholds}
    rarity = rarities(themes, scope)
    for th in themes:
        n = len(th.reps)
        vectors = concerns.embed(th.reps, method, rarity[th.key] if method == "wordllama" else None)
        if variant == "nonegation":
            blocks = np.zeros(n, dtype=np.int64)
        else:
            keys = {}
            blocks = np.array([keys.setdefault(concerns.negation_key(t), len(keys)) for t in th.reps])
        for t in thresholds:
            turns = None if variant == "nonegation" else [concerns.turning_poles(x) for x in th.reps]
            groups = concerns.cluster(vectors, t, blocks, 0.10 if variant == "floor" else None,
                                      turns=turns)
            out[t].append(pair_counts(th.gold, th.expand(groups)))
    return out


def run_tfidf(themes, thresholds):
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = {t: [] for t in thresholds}
    for th in themes:
        n = len(th.texts)
        if n < 2:
            for t in thresholds:
                out[t].append(pair_counts(th.gold, [0] * n))
            continue
        x = TfidfVectorizer(sublinear_tf=True).fit_transform(th.texts).toarray()
        zero = ~np.any(x, axis=1)
        x[zero, 0] = 1.0  # keep sklearn's cosine defined; such rows are rare
        for t in thresholds:
            model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                            distance_threshold=1 - t)
            out[t].append(pair_counts(th.gold, model.fit_predict(x).tolist()))
    return out


def evaluate(name, counts, fixed=None):
    """counts[setting][part] = {threshold: per-theme counts}: the threshold chosen on the dev
    parts of every setting, its scores on dev and held-out, and the dev curves."""
    curves = {setting: {t: scores(c) for t, c in parts["dev"].items()} for setting, parts in counts.items()}
    t = fixed if fixed is not None else choose(curves)
    out = {"method": name, "threshold": t}
    for setting, parts in counts.items():
        out[setting] = {"dev": scores(parts["dev"][t]), "held_out": scores(parts["held_out"][t])}
    out["dev_curves"] = {setting: {f"{k:.2f}": v for k, v in sorted(c.items())}
                         for setting, c in curves.items()}
    return out


def show(r):
    cells = []
    for setting in SETTINGS:
        if setting in r:
            d, h = r[setting]["dev"], r[setting]["held_out"]
            cells.append(f"{setting}: dev P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}"
                         f" | held-out P {h['precision']:.3f} R {h['recall']:.3f} F1 {h['f1']:.3f}")
    print(r["method"], "threshold", r["threshold"], "\n   " + "\n   ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(default_data()))
    parser.add_argument("--json", default=str(ROOT / "bench" / "concerns_eval.json"))
    parser.add_argument("--quick", action="store_true", help="methods (a) and (d) only")
    args = parser.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        print(f"{data} not found: this evaluation needs the UPR Info files (see its README).")
        sys.exit(0)
    started = time.perf_counter()
    raw = read(data)
    # Two settings: themes of one review (one State, one session: a network of ~10-40
    # members), and themes pooling every State reviewed in a session (a large network:
    # themes of up to ~200 findings, more chances of a wrong merge).
    pooled = defaultdict(list)
    for (session, _, issue), items in raw.items():
        pooled[(session, "*", issue)].extend(items)
    sets = {"review": [Theme(k, v) for k, v in sorted(raw.items())],
            "pooled": [Theme(k, v) for k, v in sorted(pooled.items())]}
    split = {setting: {"dev": [th for th in themes if th.key[0] in DEV_SESSIONS],
                       "held_out": [th for th in themes if th.key[0] not in DEV_SESSIONS]}
             for setting, themes in sets.items()}
    themes = sets["review"]
    dev, test = split["review"]["dev"], split["review"]["held_out"]

    # How much grouping within an issue area can reach: gold pairs of one State and session
    # that share their first issue label, over all gold pairs of one State and session.
    def reachable(part):
        by_review = defaultdict(list)
        for th in part:
            by_review[th.key[:2]].extend(g for g in th.gold if g)
        total = sum(sum(1 for x in range(len(v)) for y in range(x + 1, len(v)) if v[x] == v[y])
                    for v in by_review.values())
        within = sum(pair_counts(th.gold, [0] * len(th.gold))[2] for th in part)
        return within, total

    summary = {"themes": {s: {p: len(v) for p, v in parts.items()} for s, parts in split.items()},
               "largest_theme": {s: max(len(th.texts) for th in v) for s, v in sets.items()},
               "recommendations": {"dev": sum(len(t.texts) for t in dev),
                                   "held_out": sum(len(t.texts) for t in test)},
               "scored": {"dev": sum(1 for t in dev for g in t.gold if g),
                          "held_out": sum(1 for t in test for g in t.gold if g)},
               "patterns": len(PATTERNS)}
    for part, items in (("dev", dev), ("held_out", test)):
        within, total = reachable(items)
        summary.setdefault("gold_pairs_within_issue_area", {})[part] = within
        summary.setdefault("gold_pairs_within_review", {})[part] = total
    labels = defaultdict(int)
    for th in themes:
        for g in th.gold:
            if g:
                labels[g] += 1
    summary["scored_per_pattern"] = dict(sorted(labels.items(), key=lambda kv: -kv[1]))

    def each(fn):
        return {setting: {part: fn(items) for part, items in parts.items()} for setting, parts in split.items()}

    results = []
    r = evaluate("(a) near-identical merge (similar.group_similar)",
                 each(lambda items: {0: [pair_counts(th.gold, th.near_labels) for th in items]}), fixed=0)
    r["threshold"] = "Jaccard >= 0.75"
    results.append(r)
    show(r)

    grid = [round(0.20 + 0.02 * k, 2) for k in range(16)]
    runs = [("(d) wordllama-256, words weighted by their rarity in the build, average linkage (concerns.py)",
             "wordllama", "", "review", grid)]
    if not args.quick:
        tgrid = [round(0.10 + 0.05 * k, 2) for k in range(15)]
        runs += [
            ("(c) fallback: tf-idf char 3-5-grams, average linkage (concerns.py)", "tfidf", "", "", tgrid),
            ("(d0) as (d), plain mean (words not weighted)", "wordllama", "", "none", grid),
            ("(d1) as (d), rarity from the theme alone (what group_by_meaning does without rarity=)",
             "wordllama", "", "theme", grid),
            ("(d2) as (d), rarity from every recommendation of the part (a very large network)",
             "wordllama", "", "part", grid),
            ("(d3) as (d) without the negation rule", "wordllama", "nonegation", "review", grid),
            ("(d4) as (d) with a floor: no two members of a concern below cosine 0.10 (FRONTIER check)",
             "wordllama", "floor", "review", grid),
        ]
    for name, method, variant, scope, g in runs:
        t0 = time.perf_counter()
        r = evaluate(name, each(lambda items, m=method, g=g, v=variant, s=scope: run_ours(items, m, g, v, s)))
        r["seconds"] = round(time.perf_counter() - t0, 1)
        results.append(r)
        show(r)
    if not args.quick:
        g = [round(0.10 + 0.05 * k, 2) for k in range(15)]
        r = evaluate("(b) TF-IDF words + agglomerative average linkage (scikit-learn)",
                     each(lambda items: run_tfidf(items, g)))
        results.insert(1, r)
        show(r)
    summary["results"] = results
    summary["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.json).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"written {args.json} in {summary['seconds']} s")


if __name__ == "__main__":
    main()
