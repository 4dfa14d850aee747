"""Scores of grouping by meaning at fixed thresholds on the UPR Info text (dev = sessions 1-9,
held-out = 10-13, review themes): what the build's findings thresholds cost in recall.

    python bench/concerns_thresholds.py     # ~10 min; needs ../shared/data/upr-info/
"""
import json
import sys

sys.path.insert(0, "bench")

import concerns_eval as ce

if not ce.default_data().is_dir():
    sys.exit(f"{ce.default_data()} not found: this evaluation needs the UPR Info files.")
raw = ce.read(ce.default_data())
themes = [ce.Theme(k, v) for k, v in sorted(raw.items())]
parts = {"dev": [t for t in themes if t.key[0] in ce.DEV_SESSIONS],
         "held_out": [t for t in themes if t.key[0] not in ce.DEV_SESSIONS]}
out = {}
for method, ths in (("wordllama", [0.30, 0.32, 0.34, 0.36, 0.38, 0.5, 0.6, 0.62]), ("tfidf", [0.2, 0.25, 0.3, 0.4])):
    for part, items in parts.items():
        res = ce.run_ours(items, method, ths)
        for t in ths:
            s = ce.scores(res[t])
            out[f"{method} {t} {part}"] = s
            print(method, t, part, s["precision"], s["recall"], s["f1"], flush=True)
json.dump(out, open("bench/concerns_thresholds.json", "w"), indent=1)
