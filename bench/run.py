"""Wall time and peak memory of every command at several sizes, with pandoc's conversion of
our own Markdown to DOCX as the reference.

    python bench/run.py --sizes 100,1000,10000,100000 [--repeat 3] [--json results.json]
    python bench/run.py --speed [--repeat 5] [--large 100000] [--json bench/speed.json]

``--speed`` measures, in one run, the issue-15 ratios: the import baseline (Python importing
the libraries a build needs), the sample's build cold (an empty cache), warm (nothing
changed) and after one file changed, with and without LibreOffice on the PATH; and at
``--large`` findings the streaming floor (``bench/floor.py``), the same builds, and pandoc.

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


REPO = HERE.parent
BASELINE = [sys.executable, "-c", "import docx, jinja2, yaml, click, rich"]


class Toggle:
    """One submissions file with two versions that differ in one finding (a member's
    correction, with a new word): each call switches to the other, so that every build
    after it has exactly one file changed."""

    def __init__(self, path: Path, old: str, new: str) -> None:
        self.path = path
        self.versions = [path.read_bytes()]
        text = self.versions[0].decode("utf-8")
        assert old in text, (path, old)
        self.versions.append(text.replace(old, new, 1).encode("utf-8"))
        self.current = 0

    def __call__(self) -> None:
        self.current = 1 - self.current
        self.path.write_bytes(self.versions[self.current])


def builds(tool: str, data: Path, out: Path, cache: Path, env: dict[str, str], repeat: int,
           toggle: Toggle, extra: list[str]) -> dict[str, dict[str, float]]:
    """Cold (an empty cache each time), warm (nothing changed) and one-file-changed builds:
    median seconds and largest peak."""
    command = [tool, "build", str(data), "-o", str(out), "--cache", str(cache), "-q", *extra]
    found: dict[str, list[tuple[float, int, int]]] = {"cold": [], "warm": [], "one file changed": []}
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        found["cold"].append(measure(command, env))
        found["warm"].append(measure(command, env))
        toggle()
        found["one file changed"].append(measure(command, env))
    for name, runs in found.items():
        if any(code not in (0, 1) for _, _, code in runs):
            sys.exit(f"build ({name}) failed: exit {runs[0][2]} ({' '.join(command)})")
    return {name: {"seconds": statistics.median(r[0] for r in runs),
                   "peak_mb": max(r[1] for r in runs) / 2**20} for name, runs in found.items()}


def speed(args: argparse.Namespace, tool: str, env: dict[str, str]) -> None:
    pandoc = shutil.which("pandoc")
    rows: dict[str, dict[str, float]] = {}

    def note(name: str, value: dict[str, float], ratio_to: str | None = None) -> None:
        rows[name] = value
        ratio = f"  x{value['seconds'] / rows[ratio_to]['seconds']:.1f}" if ratio_to else ""
        print(f"{name:<48} {value['seconds']:7.2f} s {value['peak_mb']:7.0f} MB{ratio}",
              flush=True)

    def runs(command: list[str], repeat: int, environ: dict[str, str] | None = None
             ) -> dict[str, float]:
        found = [measure(command, environ or env) for _ in range(repeat)]
        return {"seconds": statistics.median(r[0] for r in found),
                "peak_mb": max(r[1] for r in found) / 2**20}

    no_office = tempfile.mkdtemp(prefix="upr-bench-path-")  # a PATH without soffice
    bare = dict(env, PATH=no_office)
    with tempfile.TemporaryDirectory(prefix="upr-bench-") as tmp:
        root = Path(tmp)
        note("import baseline", runs(BASELINE, max(args.repeat, 9)))
        # The sample as a coordinator has it: its project file, templates and files.
        shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns(
            ".upr-summary-cache", "__pycache__"))
        shutil.copytree(REPO / "templates", root / "templates")
        sample = root / "data" / "submissions"
        # (a finding the summary and the compilation both state: both Word files change)
        toggle = Toggle(sample / "joint-submissions.csv", "banned for up to 14 months",
                        "banned for up to 14 months, without exception")
        for label, environ in (("with LibreOffice", env), ("without LibreOffice", bare)):
            if label == "with LibreOffice" and not shutil.which("soffice"):
                continue
            found = builds(tool, sample, root / "out", root / "cache", environ, args.repeat,
                           toggle, [])
            for name, value in found.items():
                note(f"sample build {name}, {label}", value, "import baseline")
        size = args.large
        data = root / f"data-{size}"
        generate(size, data)
        out = root / f"out-{size}"
        note(f"{size:,}: streaming floor", runs([sys.executable, str(HERE / "floor.py"), str(data),
                                                 str(root / "floor.docx")], max(args.repeat, 5)))
        toggle = Toggle(data / "part-000.csv", " rose ", " rose unchecked ")
        # The default formats: the summary and the compilation (one footnote per source, as
        # the floor's), Word and Markdown.
        found = builds(tool, data, out, root / f"cache-{size}", bare, args.repeat, toggle, [])
        for name, value in found.items():
            note(f"{size:,}: build {name}", value, f"{size:,}: streaming floor")
        if pandoc:
            note(f"{size:,}: pandoc compilation.md -> docx", runs(
                [pandoc, str(out / "compilation.md"), "-o", str(root / "pandoc.docx")], 1),
                f"{size:,}: streaming floor")
    print("\n| measure | time | peak memory | ratio |\n| --- | ---: | ---: | ---: |")
    for name, value in rows.items():
        base = ("import baseline" if name.startswith("sample") else
                f"{args.large:,}: streaming floor" if name.startswith(f"{args.large:,}: ")
                and "floor" not in name else None)
        ratio = f"{value['seconds'] / rows[base]['seconds']:.1f}x" if base else "-"
        print(f"| {name} | {value['seconds']:.2f} s | {value['peak_mb']:.0f} MB | {ratio} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true", help="the issue-15 ratios (see above)")
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    tool = shutil.which("upr-summary") or str(Path(sys.executable).parent / "upr-summary")
    env = dict(os.environ, CI="1")  # no progress bars
    # As on a user's machine, Python keeps the bytecode of what it imports (an installed
    # package has it from pip; an editable one writes it on first use), also where the
    # environment says not to: else every measured run compiles our modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import compileall, upr_summary, sys; "
                    "sys.exit(not compileall.compile_dir(upr_summary.__path__[0], quiet=1))"],
                   env=env, check=True)
    if args.speed:
        speed(args, tool, env)
        return
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
