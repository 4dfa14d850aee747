"""Merge the records of all files into submissions and findings, checking they agree.

Rows of one submission may be spread over rows, sheets and files; a code with two
different organizations, or two types, is an error reported where it first differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..checks import area_name_problems, contact_email_problems, submission_problems
from ..config import Config
from ..limits import MAX_FUZZY_LABELS, MAX_ISSUE_AREAS
from ..model import Dataset, Finding, Location, Problem, Submission, SubmissionType
from ..problems import CONFIDENTIAL_VALUES, problem
from ..similar import exact_key
from ..textutil import fold, match_key, shorten, split_list
from .columns import asks_only
from .records import Record, asides, says_confidential

if TYPE_CHECKING:
    from ..codebook import Codebook

_TYPES: dict[str, SubmissionType] = {}
# The words of each type (as match keys): English, French, Spanish. The intake sheet's
# dropdown offers individual/joint/nhri/other, individuelle/conjointe/INDH/autre and
# individual/conjunta/INDH/otra.
for _name, _words in {
    "individual": ("individual", "ind", "single", "individualsubmission", "organisation",
                   "organization", "ngo", "stakeholder",
                   "individuelle", "individuel", "communicationindividuelle", "ong",
                   "individuales", "comunicacionindividual", "organizacion"),
    "joint": ("joint", "js", "jointsubmission", "coalition", "collective", "network",
              "conjointe", "conjoint", "communicationconjointe", "commune",
              "communicationcommune", "collectif", "reseau",
              "conjunta", "conjunto", "comunicacionconjunta", "colectiva", "colectivo",
              "coalicion", "red"),
    "nhri": ("nhri", "nationalhumanrightsinstitution", "nationalinstitution", "ombudsman",
             "ombudsperson", "ombudsoffice", "humanrightscommission", "inddh",
             "indh", "institutionnationaledesdroitsdelhomme",
             "institutionnationaledesdroitshumains", "institutionnationale", "mediateur",
             "protecteurducitoyen", "defenseurdesdroits", "commissionnationaledesdroitsdelhomme",
             "institucionnacionaldederechoshumanos", "institucionnacional", "defensoria",
             "defensoriadelpueblo", "defensordelpueblo", "procuraduriadederechoshumanos",
             "comisionnacionaldederechoshumanos"),
    "other": ("other", "regional", "regionalorganization", "regionalorganisation", "un",
              "academic", "intergovernmental",
              "autre", "autres", "organisationregionale", "regionale", "universitaire",
              "intergouvernementale", "onu",
              "otra", "otro", "otras", "otros", "organizacionregional", "academica",
              "academico", "intergubernamental"),
}.items():
    for _word in _words:
        assert _TYPES.get(_word, _name) == _name, _word  # a word names one type only
        _TYPES[_word] = _name  # type: ignore[assignment]

# A confidentiality flag is read only when it is one of these words (folded: no case or
# accents), in English, French or Spanish; anything else ("maybe", "peut-être", "quizás",
# "yes?", "N/A", "non confidentiel", a formula) is an error, and the submission is kept
# confidential meanwhile.
_TRUE = {"yes", "y", "true", "1", "x", "confidential", "private",
         "oui", "vrai", "confidentiel", "confidentielle", "prive", "privee",
         "si", "verdadero", "confidencial", "privado", "privada",
         "ja", "\u2713", "\u2714", "\u2611"}
_FALSE = {"no", "n", "false", "0", "public",
          "non", "faux", "publique",
          "falso", "publico", "publica",
          "nein"}
assert not _TRUE & _FALSE
_JOINT_CODE = re.compile(r"^js\d*$", re.IGNORECASE)
EXAMPLE_CODES = {"example", "exemple", "ejemplo"}


def read_flag(value: str) -> bool | None:
    """A confidentiality flag: True, False, or None when it is not a clear yes or no.

    >>> read_flag(" Yes "), read_flag("Non."), read_flag("yes?"), read_flag("N/A")
    (True, False, None, None)
    """
    word = " ".join(fold(unicodedata.normalize("NFKC", value)).split())
    if word.endswith(".") and word[:-1] in _TRUE | _FALSE:
        word = word[:-1]  # "No."
    return True if word in _TRUE else False if word in _FALSE else None


def _odd_in_code(ch: str) -> bool:
    """Invisible characters (controls, zero-width and bidi marks), separators other than a
    space, numbers other than digits (² ⑤), emoji and other pictographs."""
    category = unicodedata.category(ch)
    return category[0] == "C" or (category[0] == "Z" and ch != " ") or \
        (category[0] == "N" and category != "Nd") or category == "So"


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a submission code, or None.

    A code is what the report cites: ``JS1``, ``ÉCO-2``, even a State's name as UPR Info
    writes it (``Cote d'Ivoire``, ``Trinidad & Tobago``). It must be written in its plain
    form (unchanged by NFKC normalisation, so ``JS1²`` or a full-width ``ＪＳ1`` is refused,
    never silently read as another code), with no invisible character (a zero-width space,
    a right-to-left override), no other number than digits, and no emoji.

    >>> code_problem("JS1"), code_problem("Cote d'Ivoire"), code_problem("ÉCO-2")
    (None, None, None)
    >>> code_problem("JS1²")
    "'JS1²' is written with special forms of characters; type it plainly (e.g. 'JS12')"
    """
    plain = unicodedata.normalize("NFKC", code)
    if plain != code:
        return (f"{code!r} is written with special forms of characters; type it plainly "
                f"(e.g. {plain!r})")
    odd = [ch for ch in code if _odd_in_code(ch)]
    if odd:
        names = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(odd))
        return (f"{ascii(code)} holds invisible or special characters ({names}): type it "
                "with letters, digits and ordinary punctuation only")
    return None


def default_type(code: str) -> SubmissionType:
    """``joint`` for codes such as JS1, else ``individual``."""
    return "joint" if _JOINT_CODE.match(code.replace(" ", "")) else "individual"


@dataclass
class _Pending:
    code: str
    first: Record
    organization: tuple[Record, str | None, tuple[str, ...], object] | None = None
    type: tuple[Record, SubmissionType] | None = None
    confidential: bool | None = None
    contact_email: str | None = None
    contact_names: dict[str, None] = field(default_factory=dict)
    url: str | None = None
    city: str | None = None
    records: list[Record] = field(default_factory=list)


def assemble(records: list[Record], config: Config, problems: list[Problem],
             files: list[str], codebook: Codebook | None = None) -> Dataset:
    """Build the data set from every record read, appending problems as they are found."""
    pending: dict[str, _Pending] = {}
    for rec in records:
        if not rec.submission:
            if rec.finding or rec.organization:
                problems.append(problem(
                    "missing-value", rec.at("submission"), what="No submission code (the "
                    "short code the report cites, e.g. JS1 or the organization's acronym)"))
            continue
        rec.submission = unicodedata.normalize("NFC", rec.submission)
        why = code_problem(rec.submission)
        if why:
            problems.append(problem("invalid-code", rec.at("submission"), why=why))
            continue
        key = match_key(rec.submission) or rec.submission
        if key in EXAMPLE_CODES:
            problems.append(problem("example-row", rec.at("submission")))
            continue
        sub = pending.get(key)
        if sub is None:
            sub = pending[key] = _Pending(rec.submission, rec)
        _merge(sub, rec, config, problems)

    dataset = Dataset(files=files, problems=problems, codebook=codebook)
    areas = _area_names(pending, config, codebook, problems)
    copies: dict[tuple[str, str, frozenset[str]], int] = {}
    for sub in pending.values():
        stype = sub.type[1] if sub.type else default_type(sub.code)
        organization: str | None = None
        members: tuple[str, ...] = ()
        if sub.organization:
            _, organization, members, _ = sub.organization
            if stype == "joint" and not members and organization and \
                    len(split_list(organization, config.separators["organization"])) > 1:
                members = tuple(split_list(organization, config.separators["organization"]))
                organization = None
        if not organization and not members:
            problems.append(problem(
                "missing-value", sub.first.at("organization"),
                what=f"Submission {sub.code} names no organization: 'organization' is empty "
                "on every one of its rows"))
            continue
        problems += submission_problems(sub.code, stype, organization, members,
                                        config.separators["organization"],
                                        sub.first.at("organization"))
        submission = Submission(
            code=sub.code, type=stype, organization=organization, members=members,
            location=sub.first.location, confidential=bool(sub.confidential),
            contact_email=sub.contact_email, url=sub.url, city=sub.city,
            contact_names=tuple(sub.contact_names))
        dataset.submissions[sub.code] = submission
        for rec in sub.records:
            if not rec.finding:
                problems.append(problem("missing-value", rec.at("finding"),
                                        what="The finding is empty"))
                continue
            labels, tagged_by = rec.issue_areas, "input"
            if not labels and rec.suggested:
                labels, tagged_by = rec.suggested, "suggested"
            issue_areas = tuple(dict.fromkeys(areas[match_key(a) or a] for a in labels))
            same = (sub.code, exact_key(rec.finding), frozenset(issue_areas))
            duplicate_of = copies.setdefault(same, len(dataset.findings) + 1)
            dataset.findings.append(Finding(
                id=len(dataset.findings) + 1,
                submission=sub.code,
                text=rec.finding,
                issue_areas=issue_areas,
                tagged_by=tagged_by,
                location=rec.at("finding"),
                recommendations=tuple(rec.recommendations),
                quote=rec.quote,
                quote_by=rec.quote_by,
                url=rec.url,
                ref=rec.finding_id,
                extra=tuple(rec.extra.items()),
                duplicate_of=None if duplicate_of == len(dataset.findings) + 1 else duplicate_of,
            ))
    return dataset


#: The head of a text set off from it: in brackets, or before a colon or a dash, or its
#: first sentence when short ("Confidential. Police raided ...").
_LEAD = re.compile(r"\s*(?:[\[(]([^\])\n]{1,80})[\])]|([^:\n]{1,80}?)\s*(?::|\s[-\u2013\u2014]\s)"
                   r"|([^.!?\n]{1,80}[.!?])\s)")
# (a topic set off the same way, "Secret detention: ...", is no request: see asks_only)


def _lead(text: str) -> str | None:
    """What a text begins with, set off from the rest (see :data:`_LEAD`), or None.

    >>> _lead("CONFIDENTIAL: please do not publish our name. Police raided ...")
    'CONFIDENTIAL'
    >>> _lead("[Private] Police raided ..."), _lead("Police raided the shelter")
    ('Private', None)
    """
    found = _LEAD.match(text)
    if found is None:
        return None
    return next(g for g in found.groups() if g is not None)


def _merge(sub: _Pending, rec: Record, config: Config, problems: list[Problem]) -> None:
    sub.records.append(rec)
    sep = config.separators["organization"]
    # "Rainbow Defenders (CONFIDENTIAL - do not publish)", a city "Confidential - do not
    # name us": a request the flag does not carry, never published as a name.
    for field_name, values in (("organization", [rec.organization, *rec.members]),
                               ("city", [rec.city])):
        said = next((part for v in values if v for part in asides(v, field_name == "city")
                     if says_confidential(part)), None)
        if said is not None:
            problems.append(problem("confidential-elsewhere", rec.at(field_name),
                                    what=f"The {field_name} says {shorten(said, 80)!r}",
                                    where="in the Confidential column of this row"))
    # "CONFIDENTIAL: please do not publish our name. Police raided ...", "[Private] ...":
    # a request written at the head of the text itself.
    for field_name in ("finding", "quote"):
        lead = _lead(getattr(rec, field_name) or "")
        if lead is not None and asks_only(lead) and says_confidential(lead):
            problems.append(problem("confidential-elsewhere", rec.at(field_name),
                                    what=f"The {field_name} begins {shorten(lead, 80)!r}",
                                    where="in the Confidential column of this row"))
    if rec.organization or rec.members:
        members = tuple(rec.members)
        identity: object
        if members:
            identity = frozenset(match_key(m) for m in members)
        else:
            parts = split_list(rec.organization or "", sep)
            identity = frozenset(match_key(p) for p in parts) if len(parts) > 1 \
                else match_key(rec.organization or "")
        if sub.organization is None:
            sub.organization = (rec, rec.organization, members, identity)
        elif sub.organization[3] != identity:
            prior = sub.organization[0].at("organization")
            problems.append(problem("conflicting-organization", rec.at("organization"),
                                    code=sub.code, prior=prior))
    if rec.type:
        stype = _TYPES.get(match_key(rec.type))
        if stype is None:
            problems.append(problem("invalid-value", rec.at("type"), what="The submission type",
                                    value=repr(shorten(rec.type)),
                                    expected="use individual, joint, nhri or other"))
        elif sub.type is None:
            sub.type = (rec, stype)
        elif sub.type[1] != stype:
            problems.append(problem("conflicting-type", rec.at("type"), code=sub.code,
                                    first=sub.type[1], prior=sub.type[0].at("type"), type=stype))
    if rec.confidential:
        value = read_flag(rec.confidential)
        if value is None:
            problems.append(problem("invalid-value", rec.at("confidential"),
                                    what="The confidential flag",
                                    value=repr(shorten(rec.confidential)),
                                    expected=CONFIDENTIAL_VALUES))
            value = True  # when in doubt, protect the organization
        if sub.confidential is not None and sub.confidential != value:
            problems.append(problem("conflicting-confidential", rec.at("confidential"),
                                    code=sub.code))
        sub.confidential = bool(sub.confidential) or value
    if rec.contact_email:
        problems += contact_email_problems(rec.contact_email, rec.at("contact_email"))
        sub.contact_email = sub.contact_email or rec.contact_email
    if rec.contact_name and len(sub.contact_names) < 20:
        sub.contact_names.setdefault(rec.contact_name, None)
    if rec.url and not sub.url:
        sub.url = rec.url
    if rec.city and not sub.city:
        sub.city = rec.city


def _area_names(pending: dict[str, _Pending], config: Config, codebook: Codebook | None,
                problems: list[Problem]) -> dict[str, str]:
    """Match key -> the name the report uses: the codebook theme it matches, else the most
    used spelling. Close spellings and unknown areas are reported once each, where first
    used, with how often."""
    counts: dict[str, Counter[str]] = {}
    first: dict[str, Location] = {}
    for sub in pending.values():
        for rec in sub.records:
            for area in rec.issue_areas or rec.suggested:
                key = match_key(area) or area
                counts.setdefault(key, Counter())[area] += 1
                first.setdefault(key, rec.at("issue_area"))
    names: dict[str, str] = {}
    skipped_at: Location | None = None  # the first area not compared for a close spelling
    not_compared = 0
    if len(counts) > MAX_ISSUE_AREAS:
        # Matching each name to the codebook, a section each: refused before any of it.
        over = list(first)[MAX_ISSUE_AREAS]
        problems.append(problem("too-many-issue-areas", first[over], count=len(counts)))
        return {key: counter.most_common(1)[0][0] for key, counter in counts.items()}
    for key, counter in counts.items():
        spelling = counter.most_common(1)[0][0]
        names[key] = spelling
        if codebook is None:
            continue
        skipped = codebook.fuzzy_skipped
        found = codebook.resolve(spelling)
        if codebook.fuzzy_skipped > skipped:
            not_compared += 1
            skipped_at = skipped_at or first[key]
        if found.theme is not None:
            names[key] = found.theme.name
        problems += area_name_problems(spelling, sum(counter.values()), found, codebook,
                                       first[key], language=config.language)
    if codebook is not None and not_compared:
        problems.append(problem("fuzzy-matching-skipped", skipped_at or Location(""),
                                codebook=codebook.name, count=not_compared,
                                limit=MAX_FUZZY_LABELS))
    return names

