"""No single filter call or operation in a template runs long or takes gigabytes: the
costly filters are bounded by their input, whole numbers by their size (issue 10,
bounded cost). The clock is only looked at between calls, so each call must be short."""

from __future__ import annotations

import pytest

from upr_summary import limits
from upr_summary.compose import MAIN_TEMPLATE, compose
from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.render import markdown as _markdown
from upr_summary.render import templating
from upr_summary.render.templating import TemplateError
from upr_summary.summarize import summarize

from .conftest import SAMPLE


def _render(source: str) -> str:
    return templating.render_bounded(templating.sandbox().from_string(source))


def _refused(source: str) -> str:
    with pytest.raises(Exception) as info:
        _render(source)
    assert "[template-value-too-large]" in str(info.value), str(info.value)
    return str(info.value)


@pytest.mark.parametrize("source", [
    "{{ ('a' * 2000000) | wordwrap(1) | length }}",
    "{{ ('a ' * 60000) | wordwrap(1) | length }}",
    "{{ ('a ' * 600000) | urlize | length }}",
    "{{ ('ab' * 5000000) | list | sort | length }}",
    "{{ ('ab' * 5000000) | sort | length }}",
    "{{ ('ab' * 5000000) | list | unique | list | length }}",
    "{{ ('ab' * 5000000) | list | groupby('real') | length }}",
    "{{ ('ab' * 5000000) | list | map('upper') | list | length }}",
    "{{ ('ab' * 5000000) | list | select('eq', 'a') | list | length }}",
    "{{ ('ab' * 5000000) | list | reject('eq', 'a') | list | length }}",
    "{{ ('ab' * 5000000) | list | selectattr('real') | list | length }}",
    "{{ ('ab' * 5000000) | list | sum(start=0) }}",
    "{{ ('ab' * 5000000) | list | max }}",
    "{{ ('ab' * 5000000) | list | join(',') | length }}",
    "{{ ('ab' * 5000000) | list | pprint | length }}",
    "{{ ('ab' * 5000000) | list | tojson | length }}",
    "{{ ('ab' * 5000000) | list | batch(3) | list | length }}",
    "{{ ('ab' * 5000000) | list | map('upper') | map('lower') | list | length }}",
])
def test_costly_filters_refuse_inputs_over_their_bound(source):
    _refused(source)


@pytest.mark.parametrize("source, expected", [
    ("{{ ('a' * 1000) | wordwrap(10) | length }}", "1099"),
    ("{{ 'see https://example.org now' | urlize | length > 0 }}", "True"),
    ("{{ ['b', 'a', 'c'] | sort | join }}", "abc"),
    ("{{ ['b', 'a', 'b'] | unique | list | length }}", "2"),
    ("{{ range(100000) | map('string') | map('upper') | join(',') | length }}", "588889"),
    ("{{ range(100000) | list | sum }}", "4999950000"),
    ("{{ {'b': 1, 'a': 2} | dictsort | first | first }}", "a"),
    ("{{ ('ab' * 5000000) | list | length }}", "10000000"),
    ("{{ ('ab' * 5000000) | list | first }}", "a"),
])
def test_filters_within_their_bounds_work(source, expected):
    assert _render(source) == expected


def test_a_generator_is_counted_as_its_items_come(monkeypatch):
    monkeypatch.setattr(templating, "MAX_TEMPLATE_ITEMS", 1000)
    assert _render("{{ range(1000) | map('string') | list | length }}") == "1000"
    _refused("{{ range(1001) | map('string') | list | length }}")
    _refused("{{ range(1001) | map('string') | sort | length }}")


@pytest.mark.parametrize("source", [
    "{% set ns = namespace(x=2**2000) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
    "{% endfor %}{{ ns.x % 7 }}",
    "{{ 2 ** 20000 }}",
    "{{ 3 ** 9000 }}",
    "{{ (2 ** 6000) * (2 ** 6000) }}",
    "{{ ('f' * 5000000) | int(base=16) % 7 }}",
    "{{ ('1' * 20000) | int(base=2) }}",
    "{{ (1).to_bytes(10**9, 'big') | length }}",
    "{% set ns = namespace(x=3) %}{% for i in range(20) %}{% set ns.x = ns.x ** 3 %}"
    "{% endfor %}{{ ns.x }}",
])
def test_whole_numbers_over_the_bit_limit_are_refused(source):
    message = _refused(source)
    assert "template-value-too-large" in message


def test_whole_numbers_within_the_limit_work():
    assert _render("{{ 2 ** 5000 % 7 }}") == str(2 ** 5000 % 7)
    assert _render("{{ (2 ** 4000) * (2 ** 4000) % 1000 }}") == str(2 ** 8000 % 1000)
    assert _render("{{ ('f' * 100) | int(base=16) % 7 }}") == str(int("f" * 100, 16) % 7)
    assert limits.MAX_TEMPLATE_INT_BITS == 10_000


def test_a_slow_sort_by_attribute_looks_at_the_clock(monkeypatch):
    monkeypatch.setattr(templating, "MAX_RENDER_SECONDS", 0.2)
    monkeypatch.setattr(templating, "_CHECK_EVERY", 16)
    with pytest.raises(Exception) as info:
        _render("{% for i in range(50) %}{{ (range(100000) | list) | sort(attribute='real') "
                "| length }}{% endfor %}")
    assert "[template-too-slow]" in str(info.value)


def render_markdown(summary, folder=None):
    """The Markdown report of ``summary``, worded by the templates in ``folder``."""
    return _markdown.render_markdown(compose(summary, folder))


@pytest.fixture(scope="module")
def report():
    return summarize(load([SAMPLE]), Config())


@pytest.mark.parametrize("error", [MemoryError(), ValueError(""), RecursionError()])
def test_an_error_without_a_message_still_says_what_and_where(report, tmp_path, monkeypatch,
                                                                error):
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / MAIN_TEMPLATE).write_text("{{ summary.title }}\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise error

    from upr_summary import compose as compose_module

    monkeypatch.setattr(compose_module, "render_bounded", fail)
    with pytest.raises(TemplateError) as info:
        render_markdown(report, mine)
    message = str(info.value)
    assert MAIN_TEMPLATE in message
    assert not message.rstrip().endswith("template error:"), message
    assert len(message.split("template error:", 1)[1].strip()) > 10, message
