"""Time the hostile inputs of issue 10 ("small files, huge costs") that the YAML reader,
the codebook readers, near-duplicate grouping and the chart must handle in bounded time.

    python bench/hostile.py                       # every case, against src/
    python bench/hostile.py --src OLD/src --only yaml-alias,qdc-same-name
    python bench/hostile.py --memory-mb 2000 --timeout 300

Each case runs in its own process, with an address-space limit (``--memory-mb``) so that
an old, unbounded version fails with MemoryError instead of taking the machine down, and
a wall-clock timeout. Printed: wall time, peak resident memory, and the outcome (the
problem code, or what was built). Figures are for the report, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: name -> Python code run in a child; it prints one line saying what happened.
CASES: dict[str, str] = {
    "yaml-alias": """
from upr_summary.config import Config
from upr_summary.load.yamlfile import read_yaml
text = ("submission: X\\norganization: Y\\nbig: &a '" + "x" * 32000 + "'\\nfindings:\\n"
        + "".join("  - *a\\n" for _ in range(150_000)))
problems = []
recs = read_yaml(text.encode(), "alias.yaml", Config(), problems)
print(len(recs), "findings", [p.code for p in problems][:3])
""",
    "yaml-5000-areas": """
from upr_summary.config import Config
from upr_summary.load.yamlfile import read_yaml
areas = ", ".join(f"Area {i}" for i in range(5000))
text = f"submission: X\\norganization: Y\\nfindings:\\n  - finding: Rents rose.\\n    issue_areas: [{areas}]\\n"
problems = []
recs = read_yaml(text.encode(), "areas.yaml", Config(), problems)
print(len(recs), "findings", [p.code for p in problems][:3])
""",
    "chart-5000-areas": """
from upr_summary.render.chart import render_chart
rows = [{"issue_area": f"Area {i}", "findings": 1 + i % 7, "submissions": 1,
         "organizations": 1} for i in range(5000)]
png = render_chart(rows)
import struct
w, h = struct.unpack(">II", png[16:24])
print(f"{w} x {h} pixels, {len(png):,} bytes")
""",
    "yaml-nested-400": """
from upr_summary.config import Config
from upr_summary.load.yamlfile import read_yaml
text = "submission: X\\norganization: Y\\nfindings: " + "[" * 400 + "]" * 400 + "\\n"
problems = []
read_yaml(text.encode(), "deep.yaml", Config(), problems)
print([p.code for p in problems])
""",
    "config-nested-400": """
from upr_summary.config import parse_config
try:
    parse_config("title: " + "[" * 400 + "]" * 400 + "\\n")
    print("accepted")
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "code", None))
""",
    "codebook-nested-400": """
from upr_summary.codebook import from_yaml
try:
    from_yaml("themes: " + "[" * 400 + "]" * 400 + "\\n")
    print("accepted")
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "code", None))
""",
    "qdc-nested-990": """
from upr_summary.codebook import from_qdc
ns = "urn:QDA-XML:codebook:1.0"
body = "".join(f'<Code guid="g{i}" name="c{i}" isCodable="true">' for i in range(990))
data = f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>{body}{"</Code>" * 990}</Codes></CodeBook>'
try:
    print(len(from_qdc(data.encode()).themes), "themes")
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "code", None))
""",
    "qdc-same-name": """
from upr_summary.codebook import from_qdc
ns = "urn:QDA-XML:codebook:1.0"
body = "".join(f'<Code guid="g{i}" name="Housing" isCodable="true"/>' for i in range(20000))
data = f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>{body}</Codes></CodeBook>'
try:
    print(len(from_qdc(data.encode()).themes), "themes")
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "code", None))
""",
    "qdc-same-name-9000": """
from upr_summary.codebook import from_qdc
ns = "urn:QDA-XML:codebook:1.0"
body = "".join(f'<Code guid="g{i}" name="Housing" isCodable="true"/>' for i in range(9000))
data = f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>{body}</Codes></CodeBook>'
book = from_qdc(data.encode())
labels = [f"Housnig {i}" for i in range(2000)]
print(len(book.themes), "themes;", sum(book.resolve(x).theme is not None for x in labels),
      "of 2,000 labels matched")
""",
}
for _n in (5_000, 10_000, 50_000):
    CASES[f"similar-{_n}"] = f"""
import random
from upr_summary.similar import group_similar
random.seed(1)
words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
         for _ in range(100_000)]
base = "Police used excessive force against peaceful protesters in the capital during"
texts = [f"{{base}} {{random.choice(words)}} demonstrations." for _ in range({_n})]
groups = group_similar(texts)
print(len(groups), "groups, largest", max(map(len, groups)))
"""


def run(name: str, code: str, src: Path, memory_mb: int, timeout: float) -> tuple[str, ...]:
    def limit() -> None:
        limit_bytes = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    prelude = f"import sys; sys.path.insert(0, {str(src)!r}); sys.setrecursionlimit(1000)\n"
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", prelude + code], stdout=out,
                                stderr=subprocess.STDOUT, preexec_fn=limit)
        status = None
        while time.perf_counter() - start < timeout:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
    timed_out = elapsed >= timeout
    outcome = "timeout" if timed_out else (lines[-1] if lines else "")
    if not timed_out and os.waitstatus_to_exitcode(status) != 0:
        outcome = "failed: " + (lines[-1] if lines else "")
    return name, f"{elapsed:.2f} s", f"{usage.ru_maxrss / 1024:.0f} MB", outcome[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the src/ folder of the version to time (default: this one)")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--memory-mb", type=int, default=3000)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(CASES)
    print(f"{'case':<22} {'time':>10} {'peak RSS':>10}  outcome")
    for name in names:
        case, elapsed, peak, outcome = run(name, CASES[name], args.src.resolve(),
                                           args.memory_mb, args.timeout)
        print(f"{case:<22} {elapsed:>10} {peak:>10}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
