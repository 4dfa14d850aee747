"""Compare the build of two versions of the code on the same data, in one run: the runs
alternate (A, B, A, B ...) so that a busy shared machine slows both alike; medians.

    python bench/ab.py --old ebcfa55 [--new HEAD] --sizes 10000,100000 --repeat 5

The old version is checked out with ``git worktree`` into a temporary folder and run from
its ``src/`` with this interpreter (same libraries); the new one is this checkout, or the
revision given with --new (checked out the same way, so that edits during the run do not
count).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in bytes, exit code) of one run. CPU time
    (user + system, the child's own) is what a busy shared machine disturbs least."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
            os.waitstatus_to_exitcode(status))

RUN = "import sys; from upr_summary.cli import main; sys.argv[0] = 'upr-summary'; main()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="git revision to compare with")
    parser.add_argument("--new", help="git revision to measure (default: this checkout)")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--formats", default="docx,md")
    args = parser.parse_args()
    root = HERE.parent
    with tempfile.TemporaryDirectory(prefix="upr-ab-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(old), args.old],
                       check=True, capture_output=True)
        new = root
        if args.new:
            new = Path(tmp) / "new"
            subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(new),
                            args.new], check=True, capture_output=True)
        try:
            trees = {"old": old / "src", "new": new / "src"}
            for size in (int(s) for s in args.sizes.split(",")):
                data = Path(tmp) / f"data-{size}"
                generate(size, data)
                times: dict[str, list[float]] = {"old": [], "new": []}
                cpu: dict[str, list[float]] = {"old": [], "new": []}
                memory: dict[str, int] = {"old": 0, "new": 0}
                for _ in range(args.repeat):
                    for name, src in trees.items():
                        env = dict(os.environ, CI="1", PYTHONPATH=str(src))
                        out = Path(tmp) / f"out-{name}"
                        seconds, used, rss, code = measure(
                            [sys.executable, "-c", RUN, "build", str(data), "-o", str(out),
                             "--format", args.formats, "-q"], env)
                        if code != 0:
                            raise SystemExit(f"{name} build failed with exit code {code}")
                        times[name].append(seconds)
                        cpu[name].append(used)
                        memory[name] = max(memory[name], rss)
                a, b = statistics.median(times["old"]), statistics.median(times["new"])
                ca, cb = statistics.median(cpu["old"]), statistics.median(cpu["new"])
                print(f"{size:>7,} findings, {args.formats}: wall old {a:.2f} s, new {b:.2f} s "
                      f"(new/old {b / a:.3f}); CPU old {ca:.2f} s, new {cb:.2f} s (new/old "
                      f"{cb / ca:.3f}); memory old {memory['old'] / 2**20:,.0f} MB, new "
                      f"{memory['new'] / 2**20:,.0f} MB. CPU runs: old "
                      f"{', '.join(f'{t:.2f}' for t in cpu['old'])}; new "
                      f"{', '.join(f'{t:.2f}' for t in cpu['new'])}", flush=True)
        finally:
            for tree in {old, new} - {root}:
                subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force",
                                str(tree)], capture_output=True)


if __name__ == "__main__":
    main()
