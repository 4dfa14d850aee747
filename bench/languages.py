"""What a report in another language costs: the same build (10,000 generated findings,
docx+md+compilation) in English, French and Spanish, interleaved, each in a fresh process.

    python bench/languages.py [--size 10000] [--repeat 5] [--json bench/languages.json]

Reports the median wall time and CPU time (user + system, from wait4) per language and the
ratio to English measured in the same run; the issue's bar is at most 5% more.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

LANGUAGES = ("en", "fr", "es")


def run(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS bytes) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=str(HERE / "languages.json"))
    args = parser.parse_args()
    tool = shutil.which("upr-summary") or str(Path(sys.executable).parent / "upr-summary")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        generate(args.size, data)
        samples: dict[str, list[tuple[float, float, int]]] = {lang: [] for lang in LANGUAGES}
        run([tool, "build", str(data), "-o", str(Path(tmp) / "warm"), "-q"])  # warm the disk
        for _ in range(args.repeat):
            for lang in LANGUAGES:
                out = Path(tmp) / f"out-{lang}"
                samples[lang].append(run([tool, "build", str(data), "-o", str(out), "-q",
                                          "--language", lang]))
    results = {}
    for lang, runs in samples.items():
        results[lang] = {"wall_s": round(statistics.median(r[0] for r in runs), 2),
                         "cpu_s": round(statistics.median(r[1] for r in runs), 2),
                         "peak_mb": round(max(r[2] for r in runs) / 2**20)}
    base = results["en"]
    print(f"| language | wall (median of {args.repeat}) | CPU | peak memory | CPU / English |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for lang, r in results.items():
        r["cpu_ratio"] = round(r["cpu_s"] / base["cpu_s"], 3)
        r["wall_ratio"] = round(r["wall_s"] / base["wall_s"], 3)
        print(f"| {lang} | {r['wall_s']} s | {r['cpu_s']} s | {r['peak_mb']} MB | "
              f"{r['cpu_ratio']:.3f} |")
    Path(args.json).write_text(json.dumps({"size": args.size, "repeat": args.repeat,
                                           "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
