"""Recognise the columns of a submissions sheet, whatever members called them.

Headers are compared without case, accents, spaces or punctuation; common synonyms
are known; the project file's ``columns:`` mapping names anything else.

>>> m = match_header(["Organisation", "Issue area(s)", "Key findings", "Code"], {})
>>> m.fields
{'organization': [0], 'issue_area': [1], 'finding': [2], 'submission': [3]}
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..model import FIELDS
from ..textutil import match_key

SYNONYMS: dict[str, tuple[str, ...]] = {
    "submission": (
        "submission", "submissioncode", "submissionid", "submissionref", "code", "id",
        "acronym", "shortcode", "ref", "reference", "submittercode", "sigle", "codigo",
    ),
    "organization": (
        "organization", "organisation", "organizations", "organisations", "org", "orgs",
        "organizationname", "organisationname", "organizationnames", "organisationnames",
        "fullname", "name", "submitter", "submittedby", "members", "memberorganizations",
        "memberorganisations", "author", "authors", "organizacion", "organisme",
    ),
    "city": ("city", "town", "location", "basedin", "ciudad", "ville"),
    "type": ("type", "submissiontype", "kind", "typeofsubmission"),
    "issue_area": (
        "issuearea", "issueareas", "issue", "issues", "theme", "themes", "topic", "topics",
        "thematicarea", "thematicareas", "area", "areas", "tags", "tag", "category",
        "categories", "tema", "temas", "theme", "thematique",
    ),
    "finding": (
        "finding", "findings", "keyfinding", "keyfindings", "concern", "concerns",
        "keyconcern", "keyconcerns", "observation", "observations", "hallazgo", "constat",
    ),
    "recommendation": (
        "recommendation", "recommendations", "keyrecommendation", "keyrecommendations",
        "rec", "recs", "recommendedaction", "recomendacion", "recommandation",
    ),
    "quote": ("quote", "quotes", "quotation", "quotations", "testimony", "testimonial"),
    "quote_by": (
        "quoteby", "quotedby", "quoteattribution", "attribution", "quotesource",
        "quoteauthor", "speaker", "quotefrom",
    ),
    "url": ("url", "link", "links", "website", "web", "sourceurl", "documenturl", "href"),
    "contact_email": (
        "contactemail", "email", "emailaddress", "contact", "contactmail", "mail", "courriel",
        "correo",
    ),
    "confidential": (
        "confidential", "confidentiality", "private", "anonymous", "anonymise", "anonymize",
        "donotname", "withholdname", "confidencial", "confidentiel",
    ),
}

#: Columns that `classify` writes: read back, but not part of the intake sheet.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "suggested_issue_area": ("suggestedissuearea", "suggestedissueareas", "suggestion",
                             "suggestions", "suggestedtheme"),
    "confidence": ("confidence",),
    "reason": ("reason", "suggestionreason"),
    "source": ("source", "sourcefile", "sourcerow"),
}

_LOOKUP: dict[str, str] = {key: name for name, keys in (*SYNONYMS.items(), *EXTRA_FIELDS.items())
                           for key in keys}


@dataclass
class HeaderMatch:
    """Which column(s) feed each field; columns nobody claimed; clashes."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    unknown: list[int] = field(default_factory=list)

    @property
    def recognised(self) -> int:
        return len(self.fields)

    @property
    def is_header(self) -> bool:
        """Two known columns, one of them required: a header row, not a title or a list."""
        return self.recognised >= 2 and any(
            f in self.fields for f in ("submission", "organization", "finding"))


def match_header(cells: list[str], mapping: dict[str, str]) -> HeaderMatch:
    """Match header cells to fields; ``mapping`` (field -> header) wins over synonyms."""
    result = HeaderMatch()
    keys = [match_key(c) for c in cells]
    claimed: set[int] = set()
    for fname, header in mapping.items():
        wanted = match_key(header)
        for i, key in enumerate(keys):
            if key and key == wanted:
                result.fields.setdefault(fname, []).append(i)
                claimed.add(i)
    for i, key in enumerate(keys):
        if i in claimed or not key:
            continue
        known = _LOOKUP.get(key)
        if known is None and key.endswith("s") and key[:-1] in _LOOKUP:
            known = _LOOKUP[key[:-1]]
        if known and known not in mapping:
            result.fields.setdefault(known, []).append(i)
        else:
            result.unknown.append(i)
    return result


def suggest_field(header: str) -> str | None:
    """For an unrecognised header, the field it probably means ('Reccomendation')."""
    key = match_key(header)
    if not key:
        return None
    close = difflib.get_close_matches(key, list(_LOOKUP), n=1, cutoff=0.82)
    return _LOOKUP[close[0]] if close else None


assert set(SYNONYMS) == set(FIELDS)
assert not set(EXTRA_FIELDS) & set(FIELDS)
