"""What grouping by meaning costs (issue 12, point 7): wall time, CPU time and peak memory of
concerns.group_by_meaning on 100 to 100,000 findings split into themes like a real build
(bench/generate.py's sentences over its 20 issue areas, each finding in its first area), and
on one theme of 10,000 findings. Each size runs in a fresh process, several times; the
median is reported. Also: the time to import wordllama and to load its model.

    python bench/concerns_cost.py [--sizes 100 1000 10000 100000] [--repeat 3] [--method wordllama]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, random, resource, sys, time
sys.path.insert(0, {src!r}); sys.path.insert(0, {bench!r})
from generate import AREAS, sentence
n, one_theme, method = {n}, {one_theme}, {method!r}
rng = random.Random(2026)
themes = {{}}
for i in range(n):
    area = AREAS[0] if one_theme else rng.choice(AREAS)
    themes.setdefault(area, []).append(sentence(rng))
# The grouping receives each theme's distinct texts (after the near-identical merge).
themes = {{k: list(dict.fromkeys(v)) for k, v in themes.items()}}
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0, c0 = time.perf_counter(), time.process_time()
from upr_summary import concerns
rarity = concerns.WordRarity([t for v in themes.values() for t in v])
groups = 0
for area in sorted(themes):
    g = concerns.group_by_meaning(themes[area], method=method, rarity=rarity)
    groups += len(g.groups)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({{"wall": wall, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_before_mb": rss0 / 1024, "themes": len(themes),
                  "texts": sum(map(len, themes.values())), "groups": groups, "method": g.method}}))
"""

LOAD = r"""
import json, sys, time
sys.path.insert(0, {src!r})
t0 = time.perf_counter()
from upr_summary import concerns
root = concerns._wordllama_files()
import wordllama
t1 = time.perf_counter()
concerns._load_wordllama()
t2 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1}}))
"""


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", default="wordllama", choices=["wordllama", "tfidf"])
    parser.add_argument("--json", default=str(ROOT / "bench" / "concerns_cost.json"))
    args = parser.parse_args()
    src, bench = str(ROOT / "src"), str(ROOT / "bench")
    results: dict = {"method": args.method, "runs": []}
    if args.method == "wordllama":
        loads = [run(LOAD.format(src=src)) for _ in range(args.repeat)]
        results["wordllama_import_s"] = round(statistics.median(x["import_s"] for x in loads), 3)
        results["wordllama_load_s"] = round(statistics.median(x["load_s"] for x in loads), 3)
        print(f"import wordllama {results['wordllama_import_s']} s, load model {results['wordllama_load_s']} s")
    cases = [(n, False) for n in args.sizes] + [(10_000, True)]
    for n, one in cases:
        runs = [run(CHILD.format(src=src, bench=bench, n=n, one_theme=one, method=args.method))
                for _ in range(args.repeat)]
        row = {"findings": n, "one_theme": one, "themes": runs[0]["themes"], "texts": runs[0]["texts"],
               "groups": runs[0]["groups"], "method": runs[0]["method"]}
        for key in ("wall", "cpu", "rss_mb"):
            row[key] = round(statistics.median(r[key] for r in runs), 2)
        results["runs"].append(row)
        print(row, flush=True)
    Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
