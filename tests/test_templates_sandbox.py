"""User templates (--templates) run in a bounded sandbox: no file outside the templates
folder, a clear error for a template that is not UTF-8, and a time, output and value limit
that hold in a thread too (no signal)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from upr_summary.cli import cli
from upr_summary.compose import MAIN_TEMPLATE, compose
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.render import markdown as _markdown
from upr_summary.render import templating
from upr_summary.render.templating import TemplateError
from upr_summary.summarize import summarize

from .conftest import SAMPLE


def render_markdown(summary, folder=None):
    """The Markdown report of ``summary``, worded by the templates in ``folder``."""
    return _markdown.render_markdown(compose(summary, folder))


@pytest.fixture(scope="module")
def report():
    return summarize(load([SAMPLE]), Config())


def _render(report, folder, body: str | bytes, name: str = MAIN_TEMPLATE) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    return render_markdown(report, folder)


def _fails(report, folder, body, *words: str) -> str:
    with pytest.raises(TemplateError) as info:
        _render(report, folder, body)
    message = str(info.value)
    for word in words:
        assert word in message, message
    return message


# --- files -----------------------------------------------------------------------------

def test_symlink_inside_the_folder_cannot_reach_outside(report, tmp_path):
    mine = tmp_path / "tpl"
    mine.mkdir()
    os.symlink("/", mine / "root")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    os.symlink(secret, mine / "secret.j2")
    os.symlink(tmp_path, mine / "up")
    for body in ("{% include 'root/etc/passwd' %}", "{% include 'secret.j2' %}",
                 "{% include 'up/secret.txt' %}", "{% include 'root/' ~ 'etc/hostname' %}",
                 "{% import 'up/secret.txt' as s %}", "{% extends 'up/secret.txt' %}",
                 "{% include '../secret.txt' %}", "{% include '/etc/passwd' %}",
                 "{% include 'sub/../../secret.txt' %}", "{% include './../secret.txt' %}"):
        message = _fails(report, mine, "line one\n" + body + "\n", MAIN_TEMPLATE + ":2:")
        assert "TOP SECRET" not in message and "root:" not in message


def test_only_templates_are_read_from_the_folder(report, tmp_path):
    """A templates folder that also holds the data (``templates: .``) cannot pull a
    submissions file, or any file that is not a template, into the report."""
    mine = tmp_path / "project"
    (mine / "subs").mkdir(parents=True)
    (mine / "subs" / "a.csv").write_text("submission,organization,finding,confidential\n"
                                         "HID,Hidden Defenders,x,yes\n")
    (mine / "notes.txt").write_text("jane@example.org")
    for body in ("{% include 'subs/a.csv' %}", "{% include 'notes.txt' %}",
                 "{% import 'subs/a.csv' as s %}", "{% extends 'SUBS/A.CSV' %}"):
        message = _fails(report, mine, "line one\n" + body + "\n", "is not a template")
        assert "Hidden Defenders" not in message and "jane@" not in message


def test_a_main_template_linking_outside_is_refused(report, tmp_path):
    mine = tmp_path / "tpl"
    mine.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET {{ summary.title }}")
    os.symlink(secret, mine / MAIN_TEMPLATE)
    with pytest.raises(TemplateError, match="outside the templates folder"):
        render_markdown(report, mine)


def test_links_inside_the_folder_work(report, tmp_path):
    mine = tmp_path / "tpl"
    (mine / "parts").mkdir(parents=True)
    (mine / "parts" / "title.j2").write_text("# Read: {{ summary.counts.read }}")
    os.symlink(mine / "parts", mine / "alias")
    text = _render(report, mine, "{% include 'alias/title.j2' %}\n")
    assert text.startswith("# Read: 307")


def test_a_template_that_is_not_utf8(report, tmp_path):
    mine = tmp_path / "tpl"
    mine.mkdir()
    _fails(report, mine, "# Résumé\n".encode("latin-1"), MAIN_TEMPLATE + ":1:", "UTF-8")
    (mine / "part.j2").write_bytes(b"ok\n\xff\xfe\n")
    (mine / MAIN_TEMPLATE).write_text("{% include 'part.j2' %}\n")
    with pytest.raises(TemplateError, match=r"part\.j2:2: .*UTF-8"):
        render_markdown(report, mine)


def test_cli_reports_template_problems_without_traceback(tmp_path, runner):
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_bytes(b"\xff{{ summary.title }}\n")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(SAMPLE), "-o", str(out), "--format", "md",
                                 "--templates", str(mine)])
    assert result.exit_code == 1 and "UTF-8" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


# --- cost ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "{{ 'a' * 10**9 }}",
    "{{ 10**9 * 'a' }}",
    "{{ [1] * 10**9 }}",
    "{{ lipsum(10**7) }}",
    "{{ lipsum(5, max=10**7) }}",
    "{{ range(10**9) | list }}",
    "{{ 'a'.center(10**9) }}",
    "{{ 'a' | center(10**9) }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ 'a' | indent(10**9) }}",
    "{{ ('\t' * 1000000).expandtabs(1000) }}",
    "{{ '%999999999s' % 'a' }}",
    "{{ '%*s' % (10**9, 'a') }}",
    "{{ '%999999999s' | format('a') }}",
    "{{ '{:>999999999}'.format('a') }}",
    "{{ '{:>{}}'.format('a', 10**9) }}",
    "{{ ('a' * 1000000).replace('', 'b' * 100) }}",
    "{{ ('a' * 1000000) | replace('a', 'b' * 100) }}",
    "{{ ('a' * 9000000).join(['x'] * 100) }}",
    "{{ (['a' * 9000000] * 2) | join }}",
    "{{ 10 ** (10 ** 10) }}",
    "{{ [1, 2] | slice(10**9) | list }}",
    "{{ [1, 2] | batch(10**9, 0) | list }}",
    "{{ (['a'] * 1000000) | map('list') | sum(start=[]) }}",
    "{{ ('a ' * 4000000).split() | length }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s | length }}",
    "{% macro grow(s, n) %}{% if n %}{{ grow(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
    "{{ grow('ab', 40) }}",
])
def test_values_that_would_take_the_machine_down_are_refused(composer, tmp_path, body):
    """Each in a child process capped at 2 GB, so that a guard that fails fails the test
    and not the machine."""
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text("line one\n" + body + "\n")
    start = time.monotonic()
    outcome = composer(str(mine))
    assert outcome["signal"] is None and outcome["error"] is None, outcome
    assert MAIN_TEMPLATE + ":2:" in outcome["message"], outcome
    assert "template-value-too-large" in outcome["message"], outcome
    assert time.monotonic() - start < 60


# The sample summarised once; each job (a templates folder, one line on stdin) composed in a
# forked child capped at 2 GB of address space; one JSON line back per job.
_COMPOSER = textwrap.dedent("""
    import json, os, resource, sys
    sys.path.insert(0, sys.argv[2])
    from limited import in_child
    from upr_summary.compose import compose
    from upr_summary.config import Config
    from upr_summary.load import load
    from upr_summary.render.templating import TemplateError
    from upr_summary.summarize import summarize

    report = summarize(load([sys.argv[1]]), Config())

    def work(folder, write):
        outcome = {"message": "", "error": None}
        try:
            resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
            compose(report, folder)
        except TemplateError as exc:
            outcome["message"] = str(exc)
        except BaseException as exc:
            outcome["error"] = repr(exc)
        os.write(write, json.dumps(outcome).encode())

    for line in sys.stdin:
        body, signalled, _ = in_child(lambda write: work(line.strip(), write))
        found = json.loads(body or b'{"message": "", "error": "no answer"}')
        found["signal"] = signalled
        print(json.dumps(found), flush=True)
""")



@pytest.fixture(scope="module")
def composer():
    if not hasattr(os, "fork"):
        pytest.skip("needs fork (POSIX)")
    proc = subprocess.Popen([sys.executable, "-c", _COMPOSER, str(SAMPLE),
                             str(Path(__file__).resolve().parent)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(folder: str) -> dict:
        proc.stdin.write(folder + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield run
    proc.stdin.close()
    proc.wait(timeout=60)


def test_time_limit_stops_nested_loops(report, tmp_path, monkeypatch):
    monkeypatch.setattr(templating, "MAX_RENDER_SECONDS", 0.5)
    mine = tmp_path / "tpl"
    mine.mkdir()
    for body in ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
                 "{% endfor %}",
                 "{% for i in range(99999) %}{% for j in range(99999) %}{{ j }}{% endfor %}"
                 "{% endfor %}",
                 "{% set s = 'a' * 100000 %}{% for i in s %}{% for j in s %}{% endfor %}"
                 "{% endfor %}",
                 "{% for i in summary.sections * 10000 %}{% for j in summary.sections * 10000 %}"
                 "{% endfor %}{% endfor %}"):
        start = time.monotonic()
        _fails(report, mine, "line one\n" + body + "\n", "template-too-slow",
               MAIN_TEMPLATE + ":2:")
        assert time.monotonic() - start < 15


def test_output_limit(report, tmp_path, monkeypatch):
    monkeypatch.setattr(templating, "MAX_RENDER_CHARS", 100_000)
    mine = tmp_path / "tpl"
    mine.mkdir()
    _fails(report, mine, "line one\n{% for i in range(99999) %}{{ 'x' * 1000 }}\n{% endfor %}",
           "template-output-too-large", MAIN_TEMPLATE + ":2:")


def test_limits_hold_in_a_thread(report, tmp_path, monkeypatch):
    monkeypatch.setattr(templating, "MAX_RENDER_SECONDS", 0.5)
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text(
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
    caught: list[BaseException] = []

    def work() -> None:
        try:
            render_markdown(report, mine)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert len(caught) == 1 and isinstance(caught[0], TemplateError)
    assert "template-too-slow" in str(caught[0])


def test_the_built_in_template_is_untouched_by_the_limits(report):
    text = render_markdown(report)
    assert text.startswith("# Executive summary")
