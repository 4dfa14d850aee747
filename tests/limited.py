"""Run CLI commands under a memory and CPU limit, one forked child per job.

Started once by the tests as ``python tests/limited.py``; each line on stdin is a job
``{"commands": [[arg, ...], ...], "memory": bytes, "cpu": seconds}`` (or ``"python"``:
code, for the harness's own test; ``"page_layout": false`` for builds whose Word files are
not laid out by LibreOffice for their contents' page numbers); each line on stdout
the outcome: how the child ended, its peak memory, and each command's exit code and output.
The libraries a build needs are imported once here, before any fork, so a job pays only
for its own work; the child's address space may grow by ``memory`` bytes beyond what it
inherits, and its CPU time (not wall time, which a shared machine makes noisy) is capped.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import signal
import sys


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


def _child(job: dict, out: int) -> None:
    from click.testing import CliRunner

    from upr_summary.cli import cli

    if not job.get("page_layout", True):
        # No LibreOffice layout of the Word file for its contents' page numbers (seconds of
        # a separate program, on our own DOCX rather than on the input; tests/conftest.py).
        import upr_summary.build

        upr_summary.build._with_page_numbers = lambda docx, *args, **kwargs: docx
    limit = _vm_size() + int(job["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (int(job["cpu"]), int(job["cpu"]) + 1))
    results = []
    if "python" in job:  # the harness's own test: code that must hit a limit
        try:
            exec(job["python"], {})
        except MemoryError as error:
            results.append({"exit": None, "stdout": "", "stderr": "", "exception": repr(error)})
    for args in job.get("commands", []):
        result = CliRunner().invoke(cli, args)
        error = result.exception
        results.append({
            "exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr,
            "exception": None if error is None or isinstance(error, SystemExit) else repr(error),
        })
    os.write(out, json.dumps(results).encode("utf-8"))


def main() -> None:
    import docx  # noqa: F401  (imported once, before the forks)
    import jinja2  # noqa: F401
    import matplotlib
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import yaml  # noqa: F401

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401

    import upr_summary.build  # noqa: F401
    import upr_summary.cli  # noqa: F401

    # What every build loads once per process, loaded before the forks too: the embedding
    # model (its tokenizer and vectors) and matplotlib's fonts (drawn once).
    from upr_summary import concerns
    from upr_summary.render.chart import render_chart

    try:
        concerns._load_wordllama()
        concerns._embedding_table()
    except Exception:  # noqa: BLE001 - not installed: the builds use the fallback
        pass
    render_chart([{"issue_area": "Housing", "findings": 2, "submissions": 1, "organizations": 1}])
    # ... and one small build, so that the templates are compiled once, not in every child.
    import tempfile

    from click.testing import CliRunner

    with tempfile.TemporaryDirectory(prefix="upr-limited-") as tmp:
        data = os.path.join(tmp, "warm.csv")
        with open(data, "w", encoding="utf-8") as stream:
            stream.write("submission,organization,issue_area,finding\n"
                         "A,Org A,Housing,Rents rose.\nB,Org B,Health,Clinics closed.\n")
        laid_out = upr_summary.build._with_page_numbers
        upr_summary.build._with_page_numbers = lambda docx, *args, **kwargs: docx
        CliRunner().invoke(upr_summary.cli.cli, ["build", "--no-cache", data, "-o",
                                                 os.path.join(tmp, "out"), "-q"])
        upr_summary.build._with_page_numbers = laid_out

    for line in sys.stdin:
        job = json.loads(line)
        body, signalled, usage = in_child(functools.partial(_child, job))
        print(json.dumps({
            "signal": signalled,
            "cpu": usage.ru_utime + usage.ru_stime,
            "max_rss": usage.ru_maxrss * 1024,
            "results": json.loads(body) if body else None,
        }), flush=True)


def in_child(work) -> tuple[bytes, str | None, object]:
    """Run ``work(fd)`` in a forked child, which writes its answer to ``fd``: the bytes it
    wrote, the signal that ended it (its name, or None) and its resource usage."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            work(write)
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    _, status, usage = os.wait4(pid, 0)
    signalled = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None
    return b"".join(chunks), signalled, usage


if __name__ == "__main__":
    main()
