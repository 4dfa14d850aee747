"""Evaluate `classify` on real data: the UPR Info database in ../shared/data/upr-info/.

Learn from sessions 1-9, score sessions 10-13 with their labels hidden, and report micro-
and macro-F1 over the 54 UPR Info issues for: a standard baseline (TF-IDF + LinearSVC,
one-vs-rest, default settings), our learning mode, our keyword mode (the upr-info
codebook alone, no labelled data) and auto (learning, falling back on keywords where the
model is unsure). Then time `classify` on 10,000 findings, fitting included.

    python bench/classify_eval.py [--data ../shared/data/upr-info] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from upr_summary.classify import KeywordClassifier, LearnedClassifier, classify  # noqa: E402
from upr_summary.codebook import load_codebook  # noqa: E402
from upr_summary.config import parse_config  # noqa: E402
from upr_summary.load import load  # noqa: E402
from upr_summary.model import Dataset  # noqa: E402

CONFIG = parse_config("columns:\n  submission: From\n  organization: From\n  finding: Text\n"
                      "  issue_area: Issue\nseparators:\n  issue_area: ','\n")


def f1(y_true, y_pred):
    from sklearn.metrics import f1_score

    return (f1_score(y_true, y_pred, average="micro", zero_division=0),
            f1_score(y_true, y_pred, average="macro", zero_division=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "upr-info"))
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (median reported)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        sys.exit(f"{data} not found: this evaluation needs the UPR Info files.")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    train = load([data / "upr_info_sessions_1-5.csv", data / "upr_info_sessions_6-9.csv"],
                 CONFIG, codebook="upr-info")
    test = load([data / "upr_info_sessions_10-13.csv"], CONFIG, codebook="upr-info")
    tr = [f for f in train.findings if f.issue_areas]
    te = [f for f in test.findings if f.issue_areas]
    x_tr, y_tr = [f.text for f in tr], [f.issue_areas for f in tr]
    x_te, y_te = [f.text for f in te], [f.issue_areas for f in te]
    mlb = MultiLabelBinarizer(classes=sorted({a for y in y_tr + y_te for a in y}))
    Y_tr, Y_te = mlb.fit_transform(y_tr), mlb.transform(y_te)
    results = {"train": len(tr), "test": len(te), "labels": len(mlb.classes_)}

    def timed(fn):
        start = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - start

    def baseline():
        vec = TfidfVectorizer()
        clf = OneVsRestClassifier(LinearSVC()).fit(vec.fit_transform(x_tr), Y_tr)
        return clf.predict(vec.transform(x_te))

    pred, seconds = timed(baseline)
    results["baseline"] = (*f1(Y_te, pred), seconds)

    def learning():
        model = LearnedClassifier().fit(x_tr, y_tr)
        return model, model.predict(x_te)

    (model, learnt), seconds = timed(learning)
    results["learning"] = (*f1(Y_te, mlb.transform([s[0] for s in learnt])), seconds)
    results["learning_threshold"] = model.threshold

    kw = KeywordClassifier(load_codebook("upr-info"))
    keyword, seconds = timed(lambda: [kw.suggest(t) for t in x_te])
    results["keywords"] = (*f1(Y_te, mlb.transform([s[0] for s in keyword])), seconds)

    # A hybrid we tried and did not adopt: learning, keywords where the model is unsure.
    hybrid = [k[0] if (s[1] < 0.5 and k[0]) else s[0] for s, k in zip(learnt, keyword)]
    results["hybrid"] = (*f1(Y_te, mlb.transform(hybrid)), None)

    # Learning curve: how many tagged findings learning needs to beat the keywords (this
    # sets AUTO_LEARNING_MIN). Random subsets of sessions 1-9, scored on sessions 10-13.
    import random

    rng = random.Random(0)
    order = list(range(len(x_tr)))
    rng.shuffle(order)
    curve = {}
    for n in (100, 200, 400, 800, 1600, 3200):
        subset = order[:n]
        small = LearnedClassifier().fit([x_tr[i] for i in subset], [y_tr[i] for i in subset])
        curve[n] = f1(Y_te, mlb.transform([p[0] for p in small.predict(x_te)]))[0]
    results["curve"] = curve

    # Speed: classify 10,000 findings (7,000 tagged, 3,000 untagged), fitting included.
    sample = (train.findings + test.findings)[:10_000]
    from dataclasses import replace

    findings = [f if i % 10 < 7 else replace(f, issue_areas=()) for i, f in enumerate(sample)]
    dataset = Dataset(submissions=train.submissions | test.submissions, findings=findings,
                      codebook=train.codebook)
    runs = []
    for _ in range(args.repeat):
        _, seconds = timed(lambda: classify(dataset, "learning"))
        runs.append(seconds)
    results["speed_10k_learning_s"] = statistics.median(runs)
    runs = []
    for _ in range(args.repeat):
        _, seconds = timed(lambda: classify(dataset, "keywords", all_rows=True))
        runs.append(seconds)
    results["speed_10k_keywords_s"] = statistics.median(runs)

    print(f"UPR Info: learn from sessions 1-9 ({results['train']:,} recommendations), score "
          f"sessions 10-13 ({results['test']:,}), {results['labels']} issues\n")
    print("| model | micro-F1 | macro-F1 | time (fit + predict) |")
    print("| --- | ---: | ---: | ---: |")
    names = {"baseline": "baseline: TF-IDF + LinearSVC, one-vs-rest, defaults",
             "learning": "learning mode (`--mode learning`)",
             "keywords": "keyword mode (`--mode keywords`, upr-info codebook)",
             "hybrid": "not adopted: learning, keywords where the model is unsure"}
    for key, label in names.items():
        micro, macro, seconds = results[key]
        shown = f"{seconds:.1f} s" if seconds is not None else "-"
        print(f"| {label} | {micro:.3f} | {macro:.3f} | {shown} |")
    print("\nlearning curve (micro-F1 on sessions 10-13 by number of training findings): " +
          ", ".join(f"{n:,}: {v:.3f}" for n, v in results["curve"].items()))
    print(f"learning mode threshold chosen on held-out training data: "
          f"{results['learning_threshold']:+.2f}")
    print(f"classify 10,000 findings (7,000 tagged, 3,000 untagged), learning mode, fitting "
          f"included: {results['speed_10k_learning_s']:.1f} s (median of {args.repeat})")
    print(f"classify 10,000 findings, keyword mode, every row: "
          f"{results['speed_10k_keywords_s']:.1f} s (median of {args.repeat})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
