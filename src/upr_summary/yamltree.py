"""Read YAML safely, keeping the line number of every value.

The tree is built from PyYAML's event stream with an explicit stack (never recursion), so
that no tag ever constructs an object, every scalar keeps its original text (``NO`` stays
the string ``"NO"``, never ``False``; the schema decides what a value means), and every
limit of :mod:`upr_summary.limits` is checked *before* anything is built: nesting depth,
values and characters counted with aliases expanded (a "billion laughs" is refused at the
alias that crosses the limit, in constant time per alias, without expanding anything),
key length, one document per file.

>>> tree = parse_yaml("code: NO\\nfindings:\\n  - text: Water is unsafe\\n", "a.yaml")
>>> tree["code"], tree["code"].line
('NO', 1)
>>> tree["findings"][0]["text"].line
3
>>> try:
...     parse_yaml("[" * 400 + "]" * 400)
... except YamlProblem as exc:
...     print(exc.code, exc.line)
yaml-too-deep 1
"""

from __future__ import annotations

import re

import yaml
import yaml.resolver

from .errors import UprSummaryError
from .limits import MAX_DEPTH, MAX_KEY_CHARS, MAX_YAML_CHARS, MAX_YAML_VALUES
from .model import Location, Problem
from .problems import message, problem

#: Values a document may hold, aliases expanded, before we call it an alias bomb.
MAX_NODES = MAX_YAML_VALUES

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}
_RESOLVER = yaml.resolver.Resolver()
#: PyYAML's own parser, not libyaml's (several times faster, but it accepts tabs that PyYAML
#: refuses): a file must read the same on every installation.
_LOADER = yaml.SafeLoader
#: More brackets opened in a row than the depth allows. PyYAML's scanner looks up to 1,024
#: characters ahead for a possible key at every bracket level (about two seconds for a line
#: of brackets): this shape is refused before it starts.
_OPENERS = re.compile(r"(?:[\[{][ \t\r\n]*)" + f"{{{MAX_DEPTH + 1}}}")


class YamlProblem(UprSummaryError):
    """The YAML cannot be used; ``code`` and ``line`` say why and where, ``fields`` fill in
    the catalogue's message (:mod:`upr_summary.problems`)."""

    def __init__(self, code: str, line: int | None, /, **fields: object) -> None:
        self.code = code
        self.fields = fields
        self.message = message(code, **fields)
        self.line = line
        super().__init__(self.message)

    def problem(self, file: str) -> Problem:
        """The problem as a submission file reports it."""
        return problem(self.code, Location(file, self.line), **self.fields)


class YScalar(str):
    """A scalar's text as written, with its line and whether it was quoted."""

    line: int
    quoted: bool
    tag: str

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.tag.endswith(":null")


class YList(list["YValue"]):
    line: int


class YMap(dict[str, "YValue"]):
    line: int
    key_lines: dict[str, int]


YValue = YScalar | YList | YMap


def parse_yaml(text: str, name: str = "<yaml>") -> YValue | None:
    """Parse one YAML document into YMap / YList / YScalar, raising YamlProblem on misuse."""
    if len(text) > MAX_YAML_CHARS:
        raise _too_much_text(None)
    run = _OPENERS.search(text)
    if run is not None:
        raise _too_deep(text.count("\n", 0, run.start()) + 1)
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "not valid YAML"
        raise YamlProblem("yaml-syntax", line, what=what) from None
    except yaml.YAMLError as exc:
        # Reader errors for forbidden characters.
        raise YamlProblem("yaml-syntax", None, what=str(exc)) from None
    if builder.problem is not None:
        raise builder.problem
    return builder.root


def _too_much_text(line: int | None) -> YamlProblem:
    return YamlProblem("yaml-too-much-text", line)


class _Open:
    """A list or mapping being built, with what it has cost so far."""

    __slots__ = ("value", "anchor", "values", "chars", "height", "key", "key_line")

    def __init__(self, value: YList | YMap, anchor: str | None, values: int, chars: int) -> None:
        self.value = value
        self.anchor = anchor
        self.values = values  # the document's totals when this node opened
        self.chars = chars
        self.height = 1
        self.key: str | None = None  # in a mapping: the key waiting for its value
        self.key_line = 0


_SKIP = "\0skip"  # a key that was refused: its value is read and dropped


class _Builder:
    """Feeds on parser events; keeps totals so that an alias costs its expanded size."""

    def __init__(self) -> None:
        self.root: YValue | None = None
        self.stack: list[_Open] = []
        #: anchor -> (value, values, characters, height) of the finished node.
        self.anchors: dict[str, tuple[YValue, int, int, int]] = {}
        self.opened: set[str] = set()
        self.values = 0
        self.chars = 0
        self.documents = 0
        self.problem: YamlProblem | None = None  # the first one; reported after the parse

    def note(self, code: str, line: int, /, **fields: object) -> None:
        if self.problem is None:
            self.problem = YamlProblem(code, line, **fields)

    def spend(self, values: int, chars: int, line: int) -> None:
        self.values += values
        self.chars += chars
        if self.values > MAX_YAML_VALUES:
            raise YamlProblem("yaml-too-large", line)
        if self.chars > MAX_YAML_CHARS:
            raise _too_much_text(line)

    def tag(self, event: yaml.NodeEvent, kind: type, line: int) -> str:
        tag = getattr(event, "tag", None)
        if tag is None or tag == "!":
            value = event.value if isinstance(event, yaml.ScalarEvent) else None
            tag = _RESOLVER.resolve(kind, value, event.implicit)
        if tag not in _STANDARD_TAGS:
            self.note("yaml-unsafe-tag", line, tag=tag)
        return str(tag)

    def anchor(self, anchor: str | None, line: int) -> None:
        if anchor is not None and (anchor in self.anchors or anchor in self.opened):
            raise YamlProblem("yaml-syntax", line,
                              what=f"the anchor &{anchor} is defined twice (rename one)")

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.ScalarEvent):
            self.anchor(event.anchor, line)
            scalar = YScalar(event.value)
            scalar.line = line
            scalar.quoted = event.style in ("'", '"', "|", ">")
            scalar.tag = self.tag(event, yaml.ScalarNode, line)
            self.spend(1, len(event.value), line)
            if event.anchor is not None:
                self.anchors[event.anchor] = (scalar, 1, len(event.value), 0)
            self.attach(scalar, 0, line)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in self.opened:
                self.note("yaml-recursive", line)
                self.attach(_null(line), 0, line)
                return
            if event.anchor not in self.anchors:
                raise YamlProblem("yaml-syntax", line,
                                  what=f"found undefined alias *{event.anchor} (define the "
                                  f"anchor &{event.anchor} first)")
            value, values, chars, height = self.anchors[event.anchor]
            if len(self.stack) + height > MAX_DEPTH:
                raise _too_deep(line)
            self.spend(values, chars, line)
            self.attach(value, height, line)  # shared, never copied: its cost is counted
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                raise _too_deep(line)
            self.anchor(event.anchor, line)
            container: YList | YMap
            if isinstance(event, yaml.SequenceStartEvent):
                self.tag(event, yaml.SequenceNode, line)
                container = YList()
            else:
                self.tag(event, yaml.MappingNode, line)
                container = YMap()
                container.key_lines = {}
            container.line = line
            self.spend(1, 0, line)
            if event.anchor is not None:
                self.opened.add(event.anchor)
            self.stack.append(_Open(container, event.anchor, self.values - 1, self.chars))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            done = self.stack.pop()
            if done.anchor is not None:
                self.opened.discard(done.anchor)
                self.anchors[done.anchor] = (done.value, self.values - done.values,
                                             self.chars - done.chars, done.height)
            self.attach(done.value, done.height, done.value.line)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem("yaml-syntax", line,
                                  what="the file holds more than one document (a second "
                                  "'---'; keep one submission per file)")

    def attach(self, value: YValue, height: int, line: int) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        parent.height = max(parent.height, height + 1)
        if isinstance(parent.value, YList):
            parent.value.append(value)
            return
        if parent.key is None:  # this value is a key
            if not isinstance(value, YScalar):
                self.note("yaml-bad-key", line)
                parent.key = _SKIP
                return
            if len(value) > MAX_KEY_CHARS:
                raise YamlProblem("yaml-key-too-long", line, count=len(value))
            parent.key, parent.key_line = str(value), line
            return
        key, parent.key = parent.key, None
        if key is _SKIP:
            return
        if key in parent.value:
            self.note("yaml-duplicate-key", parent.key_line, key=key)
            return
        parent.value[key] = value
        parent.value.key_lines[key] = parent.key_line


def _null(line: int) -> YScalar:
    scalar = YScalar("")
    scalar.line, scalar.quoted, scalar.tag = line, False, "tag:yaml.org,2002:null"
    return scalar


def _too_deep(line: int) -> YamlProblem:
    return YamlProblem("yaml-too-deep", line)
