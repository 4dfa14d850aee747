"""Wall time and peak memory of every command at several sizes, with pandoc's conversion of
our own Markdown to DOCX as the reference.

    python bench/run.py --sizes 100,1000,10000,100000 [--repeat 3] [--json results.json]

Each measurement runs the installed command in a fresh process (as a user would) and reads
its peak resident memory from the operating system (wait4). Times are medians of
--repeat runs; memory is the largest peak seen.
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


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in bytes, exit code) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss * 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    tool = shutil.which("upr-summary") or str(Path(sys.executable).parent / "upr-summary")
    env = dict(os.environ, CI="1")  # no progress bars
    pandoc = shutil.which("pandoc")
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="upr-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"data-{size}"
            generate(size, data)
            out = Path(tmp) / f"out-{size}"
            commands = {
                "validate": [tool, "validate", str(data)],
                "stats": [tool, "stats", str(data), "--format", "json", "-q"],
                "build docx": [tool, "build", str(data), "-o", str(out), "--format", "docx", "-q"],
                "build md": [tool, "build", str(data), "-o", str(out), "--format", "md", "-q"],
                "build docx+md": [tool, "build", str(data), "-o", str(out), "-q"],
                # classify's working file never goes into the report's folder (issue 10).
                "classify": [tool, "classify", str(data), "-o",
                             str(Path(tmp) / f"suggested-{size}.csv"), "-q"],
            }
            row: dict[str, dict[str, float]] = {}
            for name, command in commands.items():
                runs = [measure(command, env) for _ in range(args.repeat)]
                if any(code not in (0, 1) for _, _, code in runs):
                    sys.exit(f"{name} at {size} failed: exit {runs[0][2]}")
                row[name] = {"seconds": statistics.median(r[0] for r in runs),
                             "peak_mb": max(r[1] for r in runs) / 2**20}
                print(f"{size:>7,} {name:<14} {row[name]['seconds']:7.2f} s "
                      f"{row[name]['peak_mb']:7.0f} MB", flush=True)
            if pandoc:
                md = out / "executive-summary.md"
                runs = [measure([pandoc, str(md), "-o", str(out / "pandoc.docx")], env)
                        for _ in range(1 if size >= 100_000 else args.repeat)]
                row["pandoc md->docx"] = {"seconds": statistics.median(r[0] for r in runs),
                                          "peak_mb": max(r[1] for r in runs) / 2**20}
                print(f"{size:>7,} {'pandoc md->docx':<14} {row['pandoc md->docx']['seconds']:7.2f} s "
                      f"{row['pandoc md->docx']['peak_mb']:7.0f} MB", flush=True)
            results[str(size)] = row
    sizes = list(results)
    names = list(next(iter(results.values())))
    print("\n| command | " + " | ".join(f"{int(s):,} findings" for s in sizes) + " |")
    print("| --- |" + " ---: |" * len(sizes))
    for name in names:
        cells = [f"{results[s][name]['seconds']:.2f} s, {results[s][name]['peak_mb']:.0f} MB"
                 if name in results[s] else "-" for s in sizes]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if pandoc and "build docx" in names:
        print("\n| size | our DOCX build / pandoc (time) | our DOCX build / pandoc (memory) |")
        print("| ---: | ---: | ---: |")
        for s in sizes:
            ours, ref = results[s]["build docx"], results[s].get("pandoc md->docx")
            if ref:
                print(f"| {int(s):,} | {ours['seconds'] / ref['seconds']:.2f} | "
                      f"{ours['peak_mb'] / ref['peak_mb']:.2f} |")
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        for name in ("build docx", "build md", "build docx+md"):
            print(f"{name}: time at {int(b):,} / time at {int(a):,} = "
                  f"{results[b][name]['seconds'] / results[a][name]['seconds']:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
