"""Read one submission from a YAML file (schema in the README), with a line for every problem.

>>> text = '''
... submission: JS2
... members: [Harbour Tenants Union, Eastside Legal Aid]
... issue_areas: Housing
... findings:
...   - Evictions doubled after the moratorium ended.
...   - finding: Shelters turn families away.
...     recommendations: [Fund family shelters.]
... '''
>>> problems = []
>>> recs = read_yaml(text.encode(), "js2.yaml", Config(), problems)
>>> [(r.finding, r.issue_areas, r.location.row) for r in recs]
[('Evictions doubled after the moratorium ended.', ['Housing'], 6), ('Shelters turn families away.', ['Housing'], 7)]
"""

from __future__ import annotations

import difflib

from ..config import Config
from ..limits import MAX_CELL_CHARS, MAX_VALUES_PER_CELL, MAX_YAML_FINDINGS
from ..model import Location, Problem
from ..problems import CONFIDENTIAL_VALUES, problem
from ..textutil import clean_cell, match_key, shorten, split_list
from ..yamltree import YamlProblem, YList, YMap, YScalar, YValue, parse_yaml
from .columns import EXTRA_FIELDS, SYNONYMS, confidentiality_header
from .encoding import decode_reporting, looks_binary
from .records import (
    Record,
    asks_in_words,
    cleaning_problems,
    named_confidential,
    says_confidential,
)

_SUBMISSION_KEYS = {
    "submission": "submission", "code": "submission",
    "organization": "organization", "organisation": "organization",
    "members": "members", "memberorganizations": "members", "memberorganisations": "members",
    "type": "type",
    "city": "city",
    "issueareas": "issue_area", "issuearea": "issue_area",
    "confidential": "confidential",
    "contactemail": "contact_email", "email": "contact_email", "contact": "contact_email",
    "url": "url", "link": "url",
    "findings": "findings", "keyfindings": "findings",
    # French and Spanish (the rest comes from the spreadsheet synonyms below)
    "membres": "members", "organisationsmembres": "members", "miembros": "members",
    "organizacionesmiembros": "members",
    "constats": "findings", "constatsprincipaux": "findings", "principauxconstats": "findings",
    "hallazgos": "findings", "hallazgosprincipales": "findings",
    "principaleshallazgos": "findings",
}
_FINDING_KEYS = {
    "finding": "finding", "text": "finding", "keyfinding": "finding",
    "texte": "finding", "texto": "finding",
    "issueareas": "issue_area", "issuearea": "issue_area",
    "recommendation": "recommendation", "recommendations": "recommendation",
    "quote": "quote", "quoteby": "quote_by", "quotedby": "quote_by",
    "url": "url", "link": "url",
}
for _field, _keys in SYNONYMS.items():
    for _key in _keys:
        if _field in ("organization", "city", "type", "confidential", "contact_email",
                      "submission"):
            _SUBMISSION_KEYS.setdefault(_key, _field)
        if _field in ("finding", "recommendation", "quote", "quote_by"):
            _FINDING_KEYS.setdefault(_key, _field)
        if _field == "issue_area":
            _SUBMISSION_KEYS.setdefault(_key, _field)
            _FINDING_KEYS.setdefault(_key, _field)
# A contact person ("name:", "submitted_by:"): private, read so as never to be published.
for _key in EXTRA_FIELDS["contact_name"]:
    _SUBMISSION_KEYS.setdefault(_key, "contact_name")


#: Unknown keys reported one by one (each with a "did you mean"); the rest in one warning.
_UNKNOWN_KEYS = 50

#: How a YAML submission writes its confidentiality flag, as a message tells it.
_YAML_FLAG = ("'confidential: yes' (keep the organization's name out of the report) or "
              "'confidential: no', at the top of the file (it applies to the whole submission)")

_SUBMISSION_TEXT = ("submission", "organization", "city", "type", "contact_email", "url",
                    "confidential", "contact_name")


def _nested_flag(value: YValue) -> tuple[str, int] | None:
    """The first key under ``value`` (mappings and lists, at any depth) that speaks of
    confidentiality or publication, with its line; None where there is none."""
    stack: list[YValue] = [value]
    seen = 0
    while stack and seen < 10_000:
        item = stack.pop()
        seen += 1
        if isinstance(item, YMap):
            for key, inner in item.items():
                if match_key(key) in ("confidential", "confidentiality") or \
                        confidentiality_header(key) is not None:
                    return key, item.key_lines[key]
                stack.append(inner)
        elif isinstance(item, YList):
            stack.extend(item)
    return None


class _Reader:
    def __init__(self, file: str, config: Config, problems: list[Problem]) -> None:
        self.file = file
        self.config = config
        self.problems = problems
        self.unknown = 0  # unknown keys seen; past _UNKNOWN_KEYS they are counted only
        self.unknown_line: int | None = None

    def report(self, code: str, line: int | None, at: str | None = None, /,
               **fields: object) -> None:
        """The problem ``code`` at ``line`` (and the field ``at``) of this file."""
        self.problems.append(problem(code, Location(self.file, line, at), **fields))

    def text(self, value: YValue, field: str) -> str | None:
        """A single text value; lists and mappings are reported."""
        if isinstance(value, YScalar):
            if value.is_null:
                return None
            if len(value) > MAX_CELL_CHARS:
                self.report("cell-too-large", value.line, field, what="value", count=len(value))
                return None
            text, removed, bidi = clean_cell(str(value))
            self.problems += cleaning_problems(removed, bidi,
                                               Location(self.file, value.line, field))
            return text or None
        self.report("invalid-value", value.line, field, what=f"'{field}'",
                    value="a list" if isinstance(value, YList) else "a mapping",
                    expected="write a single text value")
        return None

    def texts(self, value: YValue, field: str, separator: str | None) -> list[str]:
        """A list of texts, or one text (split on ``separator`` when given)."""
        if isinstance(value, YList):
            out: list[str] = []
            for item in value:
                text = self.text(item, field)
                if text:
                    out.append(text)
            return out
        text = self.text(value, field)
        if not text:
            return []
        return split_list(text, separator) if separator else [text]

    def too_many(self, values: list[str], field: str, line: int) -> bool:
        """The per-cell limit of spreadsheets holds on a YAML submission and finding too."""
        if len(values) <= MAX_VALUES_PER_CELL:
            return False
        what = "issue areas" if field == "issue_area" else "member organizations"
        self.report("too-many-values", line, field, count=len(values), what=what)
        return True

    def keys(self, mapping: YMap, known: dict[str, str], where: str) -> dict[str, tuple[str, YValue]]:
        out: dict[str, tuple[str, YValue]] = {}
        for key, value in mapping.items():
            name = known.get(match_key(key))
            if name is None:
                flag = confidentiality_header(key)
                if flag == "flag" and "confidential" in known.values():
                    name = "confidential"  # keep_private: yes
                elif flag is not None:
                    where_flag = "a finding" if "confidential" not in known.values() else where
                    self.report(
                        "unrecognised-confidential-column", mapping.key_lines[key], key,
                        what=f"'{key}' in {where_flag}", why="cannot be read safely",
                        flag=_YAML_FLAG)
                    continue
            if name is None and isinstance(value, (YMap, YList)):
                # "<<: {confidential: yes}", "submitter: {confidential: yes}": a flag under a
                # key we do not read would be ignored, so the submission is not read.
                nested = _nested_flag(value)
                if nested is not None:
                    self.report(
                        "unrecognised-confidential-column", nested[1], nested[0],
                        what=f"'{nested[0]}' under '{key}' in {where}",
                        why="is not read there", flag=_YAML_FLAG)
                    continue
            if name is None and isinstance(value, YScalar) and says_confidential(str(value)):
                # "status: confidential", "notes: please keep us anonymous": never a warning.
                self.report("confidential-elsewhere", mapping.key_lines[key], key,
                            what=f"'{key}' says {shorten(str(value), 80)!r}", where=_YAML_FLAG)
                continue
            if name is None:
                self.unknown += 1
                if self.unknown > _UNKNOWN_KEYS:
                    self.unknown_line = self.unknown_line or mapping.key_lines[key]
                    continue
                close = difflib.get_close_matches(match_key(key), list(known), n=1, cutoff=0.75)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.report("unknown-key", mapping.key_lines[key], key,
                            what=f"Unknown key '{key}' in {where}", hint=hint)
                continue
            if name in out and name == "confidential":
                self.report("duplicate-confidential-column", mapping.key_lines[key], name,
                            names=f"'{key}' and '{out[name][0]}'", flag=_YAML_FLAG)
                continue
            if name in out:
                self.report("duplicate-key", mapping.key_lines[key], name, key=key,
                            first=out[name][0])
                continue
            out[name] = (key, value)
        return out

    def read(self, tree: YValue | None) -> list[Record]:
        if tree is None:
            self.report("empty-file", None, what="The YAML file",
                        content="one submission (see the README for the layout)")
            return []
        if not isinstance(tree, YMap):
            kind = "a list" if isinstance(tree, YList) else "a single value"
            self.report("yaml-not-mapping", tree.line, kind=kind)
            return []
        fields = self.keys(tree, _SUBMISSION_KEYS, "the submission")
        line = {name: tree.key_lines[key] for name, (key, _) in fields.items()}
        sep = self.config.separators
        base = Record(location=Location(self.file, tree.line))
        base.lines = dict(line)
        for name in _SUBMISSION_TEXT:
            if name in fields:
                setattr(base, name, self.text(fields[name][1], name))
        if "confidential" in fields:
            flag = fields["confidential"][1]
            if isinstance(flag, YScalar) and (flag.is_null or not str(flag).strip()):
                # Written but empty: not a clear no. (A wrong value is reported when the
                # submissions are put together; a list or mapping by text() above.)
                self.report("invalid-value", line["confidential"], "confidential",
                            what="The confidential flag", value="empty",
                            expected=CONFIDENTIAL_VALUES)
        if "members" in fields:
            base.members = self.texts(fields["members"][1], "members", sep.get("organization", ";"))
            if self.too_many(base.members, "members", line["members"]):
                return []
        if "issue_area" in fields:
            base.issue_areas = self.texts(fields["issue_area"][1], "issue_area",
                                          sep.get("issue_area", ";"))
            if self.too_many(base.issue_areas, "issue_area", line["issue_area"]):
                return []
        if "findings" not in fields:
            self.report("missing-value", tree.line, "finding", row="file",
                        what="No findings: a submission needs a 'findings:' list with at "
                        "least one finding")
            return []
        findings = fields["findings"][1]
        if isinstance(findings, YScalar) and findings.is_null or \
                isinstance(findings, YList) and not findings:
            self.report("missing-value", line["findings"], "finding", row="file",
                        what="The 'findings:' list is empty: a submission needs at least one "
                        "finding")
            return []
        if not isinstance(findings, YList):
            findings_list = YList([findings])
            findings_list.line = findings.line
            findings = findings_list
        if len(findings) > MAX_YAML_FINDINGS:
            self.report("too-many-findings", line["findings"], "finding", count=len(findings))
            return []
        records = []
        for item in findings:
            rec = Record(location=Location(self.file, item.line), lines=dict(base.lines))
            for name in _SUBMISSION_TEXT:
                setattr(rec, name, getattr(base, name))
            rec.members = list(base.members)
            rec.issue_areas = list(base.issue_areas)
            rec.lines["finding"] = item.line
            skip = False
            if isinstance(item, YMap):
                own = self.keys(item, _FINDING_KEYS, "a finding")
                for name, (key, value) in own.items():
                    rec.lines[name] = item.key_lines[key]
                    if name == "issue_area":
                        rec.issue_areas = self.texts(value, name, sep.get("issue_area", ";"))
                        if self.too_many(rec.issue_areas, name, rec.lines[name]):
                            skip = True
                    elif name == "recommendation":
                        rec.recommendations = self.texts(value, name, None)
                    else:
                        setattr(rec, name, self.text(value, name))
                rec.lines.setdefault("finding", item.line)
            else:
                rec.finding = self.text(item, "finding")
            if not skip:
                records.append(rec)
        if self.unknown > _UNKNOWN_KEYS:
            self.report("unknown-key", self.unknown_line,
                        what=f"{self.unknown - _UNKNOWN_KEYS:,} more unknown keys, from this "
                        "line on")
        return records


def read_yaml(data: bytes, file: str, config: Config, problems: list[Problem]) -> list[Record]:
    """Records (one per finding) from the bytes of one YAML submission file."""
    if looks_binary(data):
        problems.append(problem("unreadable-file", Location(file), what="This file",
                                why="it is not text (it holds binary data), and a YAML "
                                "submission is plain text"))
        return []
    decoded = decode_reporting(data, file, config.encoding, problems)
    if decoded.invalid_bytes:
        problems.append(problem("undecodable-text", Location(file),
                                what=f"{decoded.invalid_bytes} byte(s) are"))
        return []
    try:
        tree = parse_yaml(decoded.text, file)
    except YamlProblem as exc:
        problems.append(exc.problem(file))
        return []
    # "# CONFIDENTIAL - please do not publish our name": a comment the flag does not carry.
    for number, line in enumerate(decoded.text.splitlines()[:10_000], 1):
        comment = line.lstrip()
        # (a request or a marking, not a remark about the flag: "# the flag is unclear")
        if comment.startswith("#") and asks_in_words(comment) and \
                says_confidential(comment.lstrip("#").strip()):
            problems.append(problem("confidential-elsewhere", Location(file, number),
                                    what=f"The comment says {shorten(comment, 80)!r}",
                                    where=_YAML_FLAG))
            break
    records = _Reader(file, config, problems).read(tree)
    problems += named_confidential(records, file)
    return records
