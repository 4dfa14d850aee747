"""The sandbox every template runs in: what it may read, and how much it may cost.

* **Files.** Templates are read from the user's folder (``--templates``), then from the
  built-in ones. A name is resolved to its real path (symbolic links followed) and refused
  unless that path lies inside the folder it was found in: ``{% include 'root/etc/shadow' %}``
  through a link to ``/``, a template that is itself a link to a file outside, ``..`` and
  absolute names all fail with the template's name and line. A template that is not UTF-8
  is a clear error naming the file.
* **Python.** Jinja2's immutable sandbox: no ``__class__``, ``__globals__``, no mutation of
  lists and dicts; a misspelt name is an error (StrictUndefined).
* **Cost.** A render stops with a clear error when it runs longer than
  ``MAX_RENDER_SECONDS``, prints more than ``MAX_RENDER_CHARS`` characters, or builds one
  value (a text or a list) longer than ``MAX_TEMPLATE_VALUE``: ``'a' * 10**9``,
  ``lipsum(10**7)``, ``'x'.center(10**9)``, ``'%999999999s' % x`` are refused before they are
  built; ``range()`` is capped at ``MAX_TEMPLATE_RANGE`` items; whole numbers at
  ``MAX_TEMPLATE_INT_BITS`` bits (a number squared in a loop); and the clock is checked on
  every call, attribute, loop step over a range and printed chunk, so nested loops stop at
  the time limit. No signal is used: the limits hold when a render runs in a thread.
  Since the clock is looked at between calls, no single call may run long: the filters
  whose work grows faster than their input or is slow per item take bounded inputs
  (``wordwrap`` ``MAX_TEMPLATE_WRAP`` characters, ``urlize`` ``MAX_TEMPLATE_URLIZE``, list
  filters such as ``sort``, ``map``, ``join`` ``MAX_TEMPLATE_ITEMS`` items).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import UprSummaryError
from ..limits import (
    MAX_RENDER_CHARS,
    MAX_RENDER_SECONDS,
    MAX_TEMPLATE_INT_BITS,
    MAX_TEMPLATE_ITEMS,
    MAX_TEMPLATE_RANGE,
    MAX_TEMPLATE_URLIZE,
    MAX_TEMPLATE_VALUE,
    MAX_TEMPLATE_WRAP,
)

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: How many sandbox operations between two looks at the clock.
_CHECK_EVERY = 256
_FORMAT_NUMBER = re.compile(r"\d+")


class TemplateError(UprSummaryError):
    """A template cannot be read or rendered; the message names the template and line."""


@functools.cache
def _limit_error() -> type:
    import jinja2

    class TemplateLimitError(jinja2.TemplateRuntimeError):
        """A render went over one of the limits (raised inside the template, so that the
        error carries the template's name and line)."""

    return TemplateLimitError


def _LimitError(message: str) -> Exception:  # noqa: N802 (used like a class)
    return _limit_error()(message)


class _Budget:
    """The limits of one render: a deadline, counted from the start of the render."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % _CHECK_EVERY == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _LimitError(
                f"[template-too-slow] the template ran for more than {self.seconds:g} s and "
                "was stopped. Look for loops inside loops over long ranges.")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "upr_summary_template_budget", default=None)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def _too_large(what: str, size: int | float) -> Exception:
    return _LimitError(
        f"[template-value-too-large] {what} would hold {size:,.0f} characters or items; a "
        f"template may build at most {MAX_TEMPLATE_VALUE:,}.")


def _check_value(value: Any) -> Any:
    """Refuse a text or list a template has built over MAX_TEMPLATE_VALUE, and a whole
    number over MAX_TEMPLATE_INT_BITS bits (squared again and again, it would take
    gigabytes)."""
    if isinstance(value, (str, list, tuple, bytes)) and len(value) > MAX_TEMPLATE_VALUE:
        raise _too_large("a value", len(value))
    if isinstance(value, int) and not isinstance(value, bool) and \
            value.bit_length() > MAX_TEMPLATE_INT_BITS:
        raise _too_large_number(f"a number of {value.bit_length():,} bits")
    return value


def _too_large_number(what: str) -> Exception:
    return _LimitError(
        f"[template-value-too-large] {what} is too large: a template's whole numbers may "
        f"have at most {MAX_TEMPLATE_INT_BITS:,} bits (about "
        f"{int(MAX_TEMPLATE_INT_BITS * 0.30103):,} digits).")


#: Filters whose work grows faster than their input (wordwrap: a long word is cut piece by
#: piece) or is slow per character (urlize): the longest text each takes. One call of any
#: other filter is linear in its input, which MAX_TEMPLATE_VALUE bounds.
_TEXT_BOUNDS = {"wordwrap": MAX_TEMPLATE_WRAP, "urlize": MAX_TEMPLATE_URLIZE}
#: Filters that do work for every item of a list (sort, compare, call, format): at most
#: MAX_TEMPLATE_ITEMS items each, counted as they come when the input is a generator.
_ITEM_FILTERS = frozenset({
    "sort", "unique", "groupby", "dictsort", "map", "select", "reject", "selectattr",
    "rejectattr", "sum", "min", "max", "join", "pprint", "tojson", "batch", "slice",
    "xmlattr", "items", "list", "reverse", "first", "last", "random", "urlencode"})
#: Of those, the ones whose work on a list or text already built is C-speed or constant.
_CHEAP_ON_SEQUENCES = frozenset({"list", "reverse", "first", "last", "random"})


def _check_filter_input(name: str, value: Any) -> Any:
    """Refuse the input of a costly filter over its bound; a generator is counted (and the
    clock looked at) as its items come. Returns the input to give the filter."""
    bound = _TEXT_BOUNDS.get(name)
    if bound is not None and isinstance(value, str) and len(value) > bound:
        raise _LimitError(
            f"[template-value-too-large] {name}() of a text of {len(value):,} characters; "
            f"it takes at most {bound:,}.")
    if name not in _ITEM_FILTERS:
        return value
    if isinstance(value, Iterator):
        return _counted(value, name)
    if name not in _CHEAP_ON_SEQUENCES and hasattr(value, "__len__") and \
            not isinstance(value, (str, bytes)) or name in ("sort", "unique", "groupby") and \
            isinstance(value, str):
        try:
            size = len(value)
        except TypeError:
            return value
        if size > MAX_TEMPLATE_ITEMS:
            raise _too_many_items(name, size)
    return value


def _too_many_items(name: str, size: int | None = None) -> Exception:
    count = f" of {size:,} items" if size is not None else f" of more than {MAX_TEMPLATE_ITEMS:,} items"
    return _LimitError(
        f"[template-value-too-large] {name}() of a list{count}; it takes at most "
        f"{MAX_TEMPLATE_ITEMS:,}.")


def _counted(items: Iterator[Any], name: str) -> Iterator[Any]:
    budget = _BUDGET.get()
    for count, item in enumerate(items, 1):
        if count > MAX_TEMPLATE_ITEMS:
            raise _too_many_items(name)
        if budget is not None and not count % _CHECK_EVERY:
            budget.check_time()
        yield item


def _check_size(what: str, size: int | float) -> None:
    if size > MAX_TEMPLATE_VALUE:
        raise _too_large(what, size)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[a-zA-Z%]")
_BRACE_FIELD = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")


def _check_format(fmt: Any, args: Iterable[Any], percent: bool) -> None:
    """A format's widths and precisions are sizes: '%999999999s', '{:>999999999}', and
    numbers given for them ('%*s' % (n, x), '{:>{}}'.format(x, n))."""
    if not isinstance(fmt, str):
        return
    if percent:
        specs = [n for m in _PERCENT_SPEC.finditer(fmt) for n in m.groups() if n]
    else:
        specs = [n for f in _BRACE_FIELD.findall(fmt) if ":" in f
                 for n in re.findall(r"\d+|\{", f.split(":", 1)[1])]
    for spec in specs:
        if spec in ("*", "{"):
            for arg in args:
                if isinstance(arg, int) and not isinstance(arg, bool):
                    _check_size("a format width", abs(arg))
        elif len(spec) > 9 or int(spec) > MAX_TEMPLATE_VALUE:
            raise _too_large("a format width", float(spec[:30]))


def _estimate(name: str, receiver: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse, before it runs, a text method or filter whose result would be too large."""
    values = list(args) + list(kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill", "expandtabs", "indent", "wordwrap",
                "truncate"):
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool):
                times = 1
                if isinstance(receiver, str) and name == "indent":
                    times = receiver.count("\n") + 1
                elif isinstance(receiver, str) and name == "expandtabs":
                    times = receiver.count("\t") + 1
                _check_size(f"{name}()", abs(value) * times + len(receiver or ""))
    elif name in ("format", "format_map"):
        args_and_values = [*values, *(v for d in values if isinstance(d, dict)
                                      for v in d.values())]
        _check_format(receiver, args_and_values, percent=False)
    elif name in ("split", "rsplit", "splitlines") and isinstance(receiver, str):
        # the pieces of a long text cost far more than its characters
        _check_size(f"{name}()", 10 * (receiver.count(str(values[0])) if values and
                                       values[0] else len(receiver) // 2))
    elif name == "replace" and isinstance(receiver, str) and len(values) >= 2:
        old, new = str(values[0]), str(values[1])
        count = receiver.count(old) if old else len(receiver) + 1
        _check_size("replace()", len(receiver) + count * max(len(new) - len(old), 0))
    elif name == "join":
        items = receiver if name == "join" and not isinstance(receiver, str) else (
            values[0] if values else ())
        if isinstance(items, (list, tuple)):
            _check_size("join()", sum(len(str(i)) if isinstance(i, str) else 1 for i in items)
                        + len(items) * (len(receiver) if isinstance(receiver, str) else 1))


def shorten_number(n: int) -> str:
    """A number as a message shows it: a long one by its size, not its digits."""
    return str(n) if n.bit_length() <= 64 else f"(a number of {n.bit_length():,} bits)"


def _bounded_range(*args: int) -> Iterator[int]:
    rng = range(*args)
    if len(rng) > MAX_TEMPLATE_RANGE:
        raise _LimitError(
            f"[template-value-too-large] range() of {len(rng):,} numbers; a template may "
            f"count at most {MAX_TEMPLATE_RANGE:,}.")
    return _ticking(rng)


def _ticking(items: Iterable[Any]) -> Iterator[Any]:
    budget = _BUDGET.get()
    if budget is None:
        yield from items
        return
    for count, item in enumerate(items, 1):
        if not count % _CHECK_EVERY:
            budget.check_time()
        yield item


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if n > 100 or max > 1000 or min > max:
        raise _LimitError(
            "[template-value-too-large] lipsum() makes at most 100 paragraphs of at most "
            "1,000 words.")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter wrapped: its arguments are checked before and its result after."""
    from jinja2.utils import _PassArg

    skip = 1 if _PassArg.from_obj(func) is not None else 0

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        value = args[skip] if len(args) > skip else None
        if len(args) > skip:
            checked = _check_filter_input(name, value)
            if checked is not value:
                args = (*args[:skip], checked, *args[skip + 1:])
        if name in ("center", "indent", "wordwrap", "truncate", "replace", "join"):
            _estimate(name, value, args[skip + 1:], kwargs)
        elif name in ("slice", "batch"):  # slice(10**9) makes 10**9 lists
            for arg in (*args[skip + 1:], *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool):
                    _check_size(f"{name}()", abs(arg) * (1000 if name == "slice" else 1))
        elif name == "sum":  # sum(start=[]) over many lists takes quadratic time
            start = kwargs.get("start", args[skip + 2] if len(args) > skip + 2 else 0)
            if not isinstance(start, (int, float)):
                raise _LimitError("[template-value-too-large] sum() adds numbers only.")
        elif name == "format":
            _check_format(value, list(args[skip + 1:]) + list(kwargs.values()), percent=True)
        return _check_value(func(*args, **kwargs))

    return bounded


def _bounded_namespace() -> type:
    from jinja2.utils import Namespace

    class BoundedNamespace(Namespace):
        def __setitem__(self, name: str, value: Any) -> None:
            _tick()
            super().__setitem__(name, _check_value(value))

    return BoundedNamespace


#: What a template's file name ends in: nothing else in a templates folder is ever read
#: (a submissions file that shares the folder cannot be pulled in by ``{% include %}``).
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")


def _loader(folders: list[str]) -> Any:
    import jinja2

    class FolderLoader(jinja2.BaseLoader):
        """Templates from folders, each name resolved and kept inside its folder."""

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = jinja2.loaders.split_template_path(template)  # refuses ".." pieces
            if template.startswith(("/", "\\")) or os.path.isabs(template) or any(
                    "\\" in p or ":" in p for p in pieces):
                raise jinja2.TemplateNotFound(template)
            if not template.lower().endswith(TEMPLATE_SUFFIXES):
                # Only templates are read: never a data file that shares the folder.
                raise jinja2.TemplateNotFound(
                    template, f"{template} is not a template (a template's name ends in "
                    f"{' or '.join(TEMPLATE_SUFFIXES)}); it is not read")
            for folder in folders:
                candidate = os.path.join(folder, *pieces)
                if not os.path.lexists(candidate):
                    continue
                real = os.path.realpath(candidate)
                root = os.path.realpath(folder)
                if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
                    raise jinja2.TemplateNotFound(
                        template, f"{template} leads outside the templates folder {folder} "
                        "(through a symbolic link?) or is not a file; it is not read")
                try:
                    data = Path(real).read_bytes()
                except OSError as exc:
                    raise TemplateError(f"{candidate}: cannot read the template "
                                        f"({exc.strerror}).") from None
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    line = data[:exc.start].count(b"\n") + 1
                    raise TemplateError(
                        f"{candidate}:{line}: the template is not UTF-8 text (byte "
                        f"0x{data[exc.start]:02x}). Save it as UTF-8 in your editor.") from None
                mtime = os.path.getmtime(real)
                return text, candidate, functools.partial(_unchanged, real, mtime)
            raise jinja2.TemplateNotFound(template)

    return FolderLoader()


def _unchanged(path: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


_COMPILED: Any = None
#: Compiled templates kept in memory (a build composes the summary a few times to fit its
#: budget, and the compilation once: each would compile the same templates again).
MAX_COMPILED_TEMPLATES = 64


def _compiled() -> Any:
    """The process's cache of compiled templates, keyed by template name and file, and
    checked against the source's checksum on every load (an edited template recompiles).
    While a build runs (:func:`compiled_in`), compiled templates are also kept in its
    project cache, so that the next build does not compile them again."""
    global _COMPILED
    if _COMPILED is None:
        import jinja2

        class MemoryCache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}
                self.disk: Any = None  # the running build's project cache

            def load_bytecode(self, bucket: Any) -> None:
                data = self.store.get(bucket.key)
                if data is None and self.disk:
                    data = self.disk.get_bytes("templates", _disk_key(bucket))
                elif data is not None and self.disk:
                    self.disk.keep_bytes("templates", _disk_key(bucket), data)
                if data is not None:
                    try:
                        bucket.bytecode_from_string(data)
                    except Exception:  # (an entry of another Python): compiled afresh
                        bucket.reset()

            def dump_bytecode(self, bucket: Any) -> None:
                if len(self.store) >= MAX_COMPILED_TEMPLATES:
                    self.store.clear()
                data = bucket.bytecode_to_string()
                self.store[bucket.key] = data
                if self.disk:
                    self.disk.put_bytes("templates", _disk_key(bucket), data)

        _COMPILED = MemoryCache()
    return _COMPILED


@contextlib.contextmanager
def compiled_in(cache: Any) -> Iterator[None]:
    """Keep the templates compiled meanwhile in ``cache`` (a project cache; its entries
    are sealed with the user's own key, so that no code is loaded that another wrote)."""
    store = _compiled()
    store.disk = cache
    try:
        yield
    finally:
        store.disk = None


def _disk_key(bucket: Any) -> str:
    """A compiled template's key in the project cache: its name and file, its source's
    checksum, and what compiles it (Jinja2 and Python; the cache's entries also hold the
    identity of our own code, which this module's sandbox changes)."""
    import sys

    from ..cache import digest, package_version

    return digest("template", bucket.key, bucket.checksum, package_version("jinja2"),
                  sys.version_info[:3], sys.implementation.cache_tag)


def sandbox(templates: str | Path | None = None, *, finalize: Callable[[Any], Any] | None = None,
            fast_types: frozenset[type] = frozenset(),
            macro_result: Callable[[str], Any] | None = None) -> Any:
    """The sandboxed Jinja2 environment: the user's templates folder first, then the
    built-in one; StrictUndefined; the cost limits above. ``fast_types``: plain data
    classes whose public attributes need no safety check (the report's model).
    ``macro_result``: what a macro's output is turned into (markup, where values printed
    inside the macro have already been through ``finalize``)."""
    import jinja2
    from jinja2.runtime import Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    folders = [str(PACKAGE_TEMPLATES)]
    if templates is not None:
        if not Path(templates).is_dir():
            raise TemplateError(f"Templates folder not found: {templates}")
        folders.insert(0, str(templates))

    class ReportSandbox(ImmutableSandboxedEnvironment):
        """The sandbox, with a fast path for the report's own plain data classes, and the
        cost limits."""

        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
            # Every {% for %} walks its items through _upr_loop, which looks at the clock:
            # nested loops over long lists stop at the time limit even when they print
            # nothing and call nothing.
            from jinja2 import nodes

            tree = super()._parse(source, name, filename)
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Call(nodes.Name("_upr_loop", "load"), [loop.iter], [], None,
                                       None, lineno=loop.iter.lineno)
            return tree

        def getattr(self, obj: Any, attribute: str) -> Any:
            _tick()  # sort(attribute=...) over a long list looks at the clock as it goes
            if type(obj) in fast_types and not attribute.startswith("_"):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            _tick()
            return super().getitem(obj, argument)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _tick()
            name = getattr(__obj, "__name__", "")
            receiver = getattr(__obj, "__self__", None)
            for arg in args:
                _check_value(arg)  # a macro called with s ~ s, again and again
            for arg in kwargs.values():
                _check_value(arg)
            if isinstance(receiver, str) or name == "join":
                _estimate(name, receiver, args, kwargs)
            elif name == "to_bytes" and isinstance(receiver, int):  # (1).to_bytes(10**9)
                for arg in (*args[:1], kwargs.get("length", 0)):
                    if isinstance(arg, int):
                        _check_size("to_bytes()", arg)
            result = _check_value(super().call(__context, __obj, *args, **kwargs))
            if macro_result is not None and isinstance(__obj, Macro):
                return macro_result(result)
            return result

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _tick()
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                        _check_size("a repeated text or list", len(seq) * max(times, 0))
                if isinstance(left, int) and isinstance(right, int) and \
                        left.bit_length() + right.bit_length() > MAX_TEMPLATE_INT_BITS + 1:
                    raise _too_large_number("the product of two numbers of "
                                            f"{left.bit_length():,} and "
                                            f"{right.bit_length():,} bits")
            elif operator == "**" and isinstance(left, int) and isinstance(right, int):
                if right > 0 and abs(left) > 1 and \
                        right * max(abs(left).bit_length() - 1, 1) > MAX_TEMPLATE_INT_BITS:
                    raise _too_large_number(f"{shorten_number(left)} ** {shorten_number(right)}")
            elif operator == "%" and isinstance(left, str):
                _check_format(left, right if isinstance(right, (tuple, list)) else [right],
                              percent=True)
            return _check_value(super().call_binop(context, operator, left, right))

    env = ReportSandbox(
        loader=_loader(folders),
        bytecode_cache=_compiled(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["range"] = _bounded_range
    env.globals["_upr_loop"] = _ticking
    env.globals["lipsum"] = _bounded_lipsum
    env.globals["namespace"] = _bounded_namespace()
    env.filters = {name: _bounded_filter(name, func) for name, func in env.filters.items()}
    return env


def render_bounded(template: Any, **context: Any) -> str:
    """Render within MAX_RENDER_SECONDS and MAX_RENDER_CHARS. Over a limit, a Jinja2
    TemplateRuntimeError is raised from inside the template (its traceback gives the
    template's line)."""
    budget = _Budget(MAX_RENDER_SECONDS)
    token = _BUDGET.set(budget)
    try:
        chunks: list[str] = []
        size = 0
        generator = template.generate(**context)
        for count, chunk in enumerate(generator, 1):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_RENDER_CHARS:
                generator.throw(_LimitError(
                    f"[template-output-too-large] the template printed more than "
                    f"{MAX_RENDER_CHARS:,} characters and was stopped."))
            if not count % _CHECK_EVERY:
                try:
                    budget.check_time()
                except Exception as exc:  # raised where the template is, for its line
                    generator.throw(exc)
        return "".join(chunks)
    finally:
        _BUDGET.reset(token)
