"""Read YAML safely, keeping the line number of every value.

PyYAML's safe composer builds the node graph; we turn it into plain containers
ourselves, so that no tag ever constructs an object, aliases cannot blow up
("billion laughs"), and every scalar keeps its original text (``NO`` stays the
string ``"NO"``, never ``False``; the schema decides what a value means).

>>> tree = parse_yaml("code: NO\\nfindings:\\n  - text: Water is unsafe\\n", "a.yaml")
>>> tree["code"], tree["code"].line
('NO', 1)
>>> tree["findings"][0]["text"].line
3
"""

from __future__ import annotations

import yaml

from .errors import UprSummaryError

#: Values a document may hold before we call it an alias bomb.
MAX_NODES = 200_000

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


class YamlProblem(UprSummaryError):
    """The YAML cannot be used; ``code`` and ``line`` say why and where."""

    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


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
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "not valid YAML"
        raise YamlProblem(
            "yaml-syntax",
            f"YAML syntax error: {what}. Check indentation, colons and quotes near this line.",
            line,
        ) from None
    except yaml.YAMLError as exc:
        # ComposerError for several documents, reader errors for forbidden characters.
        raise YamlProblem("yaml-syntax", f"YAML cannot be read: {exc}", None) from None
    if node is None:
        return None
    return _Builder().build(node)


class _Builder:
    def __init__(self) -> None:
        self.count = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node) -> YValue:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                "yaml-too-large",
                f"The YAML expands to more than {MAX_NODES:,} values (aliases repeated many "
                "times?). Write the values out instead of using anchors and aliases.",
                line,
            )
        if node.tag not in _STANDARD_TAGS:
            raise YamlProblem(
                "yaml-unsafe-tag",
                f"The tag {node.tag!r} is not allowed: submissions hold plain text, lists "
                "and mappings only. Remove the tag.",
                line,
            )
        if id(node) in self.active:
            raise YamlProblem(
                "yaml-recursive", "An alias refers to itself; write the values out.", line
            )
        if isinstance(node, yaml.ScalarNode):
            scalar = YScalar(node.value)
            scalar.line = line
            scalar.quoted = node.style in ("'", '"', "|", ">")
            scalar.tag = node.tag
            return scalar
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                seq = YList(self.build(item) for item in node.value)
                seq.line = line
                return seq
            mapping = YMap()
            mapping.line = line
            mapping.key_lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem(
                        "yaml-bad-key", "A key must be plain text.", key_node.start_mark.line + 1
                    )
                key = str(key_node.value)
                if key in mapping:
                    raise YamlProblem(
                        "yaml-duplicate-key",
                        f"The key '{key}' appears twice in the same mapping; keep one.",
                        key_node.start_mark.line + 1,
                    )
                mapping[key] = self.build(value_node)
                mapping.key_lines[key] = key_node.start_mark.line + 1
            return mapping
        finally:
            self.active.discard(id(node))


def line_of(value: object, default: int | None = None) -> int | None:
    """The line a parsed value starts on, if it has one."""
    return getattr(value, "line", default)
