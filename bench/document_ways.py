"""Two ways to make the document tree, measured on the same summary (issue 11):

- "markup": the template prints every finding, quote and recommendation as a line of
  markup (``{% for f in section.findings %}{{ f.text }}^[{{ f.citation }}]``) and the
  parser reads every line back;
- "nodes" (the shipped templates): filters (``| paragraphs``, ``| quotes``, ``| bullets``)
  build the nodes of the long lists directly; the templates print only the structure and
  the sentences, which the parser reads.

    python bench/document_ways.py 100000 [--repeat 3]

Times are medians of the compose step alone (render the templates, parse), with the
cyclic garbage collector off as in a build.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

LOOPS = {
    "{{ section.findings | paragraphs }}":
        "{% for f in section.findings %}\n{{ f.text }}^[{{ f.citation }}]\n\n{% endfor %}",
    "{{ section.quotes | quotes }}":
        "{% for q in section.quotes %}\n> {{ q.text }}{% if q.by %} — *{{ q.by }}*{% endif %}"
        "^[{{ q.citation }}]\n\n{% endfor %}",
    "{{ section.recommendations | bullets }}":
        "{% for r in section.recommendations %}\n- {{ r.text }}^[{{ r.citation }}]\n{% endfor %}",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from upr_summary.compose import MAIN_TEMPLATE, compose
    from upr_summary.config import Config
    from upr_summary.load import load
    from upr_summary.render.templating import PACKAGE_TEMPLATES
    from upr_summary.summarize import summarize

    with tempfile.TemporaryDirectory(prefix="upr-ways-") as tmp:
        data = Path(tmp) / "data"
        generate(args.size, data)
        summary = summarize(load([data], Config()), Config())
        markup = Path(tmp) / "markup"
        shutil.copytree(PACKAGE_TEMPLATES, markup)
        text = (markup / MAIN_TEMPLATE).read_text(encoding="utf-8")
        for filtered, loop in LOOPS.items():
            assert filtered in text, filtered
            text = text.replace(filtered, loop)
        (markup / MAIN_TEMPLATE).write_text(text, encoding="utf-8")
        times: dict[str, list[float]] = {"markup": [], "nodes": []}
        notes = {}
        gc.disable()
        for _ in range(args.repeat):
            for name, folder in (("markup", markup), ("nodes", None)):
                start = time.perf_counter()
                doc = compose(summary, folder)
                times[name].append(time.perf_counter() - start)
                notes[name] = len(doc.footnotes())
        gc.enable()
        assert notes["markup"] == notes["nodes"], notes
        for name, values in times.items():
            print(f"{args.size:,} findings, {name}: {statistics.median(values):.2f} s "
                  f"({notes[name]:,} footnotes; runs {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
