"""Recognise the columns of a submissions sheet, whatever members called them.

Headers are compared without case, accents, spaces or punctuation; common synonyms
are known; the project file's ``columns:`` mapping names anything else.

>>> m = match_header(["Organisation", "Issue area(s)", "Key findings", "Code"], {})
>>> m.fields
{'organization': [0], 'issue_area': [1], 'finding': [2], 'submission': [3]}
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..model import FIELDS
from ..textutil import fold, match_key

SYNONYMS: dict[str, tuple[str, ...]] = {
    # Each group: English, then French, then Spanish, as members write them (compared as
    # match keys: no case, accents, spaces or punctuation; a final "s" is also dropped).
    "submission": (
        "submission", "submissioncode", "submissionid", "submissionref", "code", "id",
        "acronym", "shortcode", "ref", "reference", "submittercode",
        "communication", "codedelacommunication", "codecommunication", "sigle", "sigles",
        "acronyme",
        "comunicacion", "codigo", "codigodelacomunicacion", "sigla", "siglas", "acronimo",
        "referencia",
    ),
    "organization": (
        "organization", "organisation", "organizations", "organisations", "org", "orgs",
        "organizationname", "organisationname", "organizationnames", "organisationnames",
        "members", "memberorganizations", "memberorganisations",
        "nomdelorganisation", "nomdelorganisme", "nomdesorganisations", "organisme",
        "organismes", "membres", "organisationsmembres",
        "organizacion", "organizaciones", "nombredelaorganizacion",
        "nombredelasorganizaciones", "miembros", "organizacionesmiembros",
    ),
    "city": ("city", "town", "location", "basedin", "ville", "localite", "ciudad", "localidad",
             "municipio"),
    "type": ("type", "submissiontype", "kind", "typeofsubmission", "typedecommunication",
             "tipo", "tipodecomunicacion"),
    "issue_area": (
        "issuearea", "issueareas", "issue", "issues", "theme", "themes", "topic", "topics",
        "thematicarea", "thematicareas", "area", "areas", "tags", "tag", "category",
        "categories",
        "thematique", "thematiques", "domaine", "domaines", "domainethematique",
        "domainesthematiques", "categorie",
        "tema", "temas", "tematica", "tematicas", "areatematica", "areastematicas",
        "ambitotematico", "ambitostematicos", "ejetematico", "ejestematicos", "categoria",
        "categorias",
    ),
    "finding": (
        "finding", "findings", "keyfinding", "keyfindings", "concern", "concerns",
        "keyconcern", "keyconcerns", "observation", "observations",
        "constat", "constats", "constatprincipal", "constatsprincipaux", "principalconstat",
        "principauxconstats", "preoccupation", "preoccupations", "preoccupationprincipale",
        "preoccupationsprincipales",
        "hallazgo", "hallazgos", "hallazgoprincipal", "hallazgosprincipales",
        "principalhallazgo", "principaleshallazgos", "preocupacion", "preocupaciones",
        "preocupacionprincipal", "preocupacionesprincipales",
        "constatacion", "constataciones",
    ),
    "recommendation": (
        "recommendation", "recommendations", "keyrecommendation", "keyrecommendations",
        "rec", "recs", "recommendedaction",
        "recommandation", "recommandations", "recommandationprincipale",
        "recommandationsprincipales",
        "recomendacion", "recomendaciones", "recomendacionprincipal",
        "recomendacionesprincipales",
    ),
    "quote": ("quote", "quotes", "quotation", "quotations", "testimony", "testimonial",
              "citation", "citations", "temoignage", "temoignages",
              "cita", "citas", "testimonio", "testimonios"),
    "quote_by": (
        "quoteby", "quotedby", "quoteattribution", "attribution", "quotesource",
        "quoteauthor", "speaker", "quotefrom",
        "citationde", "citationsde", "citepar", "citeepar", "auteurdelacitation",
        "sourcedelacitation",
        "citade", "citasde", "citadopor", "citadapor", "autordelacita", "fuentedelacita",
        "atribucion",
    ),
    "url": ("url", "link", "links", "website", "web", "sourceurl", "documenturl", "href",
            "lien", "liens", "siteweb", "siteinternet",
            "enlace", "enlaces", "vinculo", "vinculos", "sitioweb", "paginaweb"),
    "contact_email": (
        "contactemail", "email", "emailaddress", "contact", "contactmail", "mail",
        "courriel", "courrieldecontact", "courrielcontact", "adresseelectronique",
        "adressecourriel", "adresseemail", "emaildecontact",
        "correo", "correodecontacto", "correoelectronico", "correoelectronicodecontacto",
        "emaildecontacto", "contacto",
    ),
    "confidential": (
        "confidential", "confidentiality", "private", "anonymous", "anonymise", "anonymize",
        "donotname", "withholdname", "confidentiel", "confidentielle", "confidentialite",
        "confidencial", "confidencialidad",
    ),
}

#: Columns that `classify` writes: read back, but not part of the intake sheet.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "suggested_issue_area": ("suggestedissuearea", "suggestedissueareas", "suggestion",
                             "suggestions", "suggestedtheme"),
    "confidence": ("confidence",),
    "reason": ("reason", "suggestionreason"),
    "source": ("source", "sourcefile", "sourcerow"),
    # A person, not the organization ("Name", "Submitted by", "Author", "Focal point"):
    # private contact data, read so that it is never taken for anything else, and never
    # output (a confidential submission's contact person is withheld from every text).
    "contact_name": ("contactname", "contactperson", "name", "names", "fullname", "submitter",
                     "submittedby", "author", "authors", "focalpoint", "firstname", "lastname",
                     "surname", "givenname", "familyname", "yourname", "phone", "telephone",
                     "tel", "mobile", "phonenumber", "telephonenumber",
                     "nom", "nomcomplet", "prenom", "nomdefamille", "auteur", "auteurs",
                     "personnecontact", "personnedecontact", "pointfocal", "soumispar",
                     "telephonedecontact", "portable",
                     "nombrecompleto", "apellido", "apellidos", "autor", "autores",
                     "personadecontacto", "puntofocal", "enviadopor", "presentadopor",
                     "telefono", "celular", "movil"),
    # The input's own ID of a finding (a row): carried to the JSON output as it is.
    "finding_id": ("findingid", "findingref", "findingreference", "findingnumber", "findingno",
                   "recordid", "rowid", "entryid"),
}

_LOOKUP: dict[str, str] = {key: name for name, keys in (*SYNONYMS.items(), *EXTRA_FIELDS.items())
                           for key in keys}
# A header never feeds two fields: every key belongs to one field only.
assert len(_LOOKUP) == sum(len(set(keys)) for keys in (*SYNONYMS.values(), *EXTRA_FIELDS.values()))


@dataclass
class HeaderMatch:
    """Which column(s) feed each field; columns nobody claimed; clashes."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    unknown: list[int] = field(default_factory=list)
    #: Columns that speak of confidentiality or publication in a way we cannot read
    #: safely ("Not confidential", "May we publish your name?"): an error, never ignored.
    unclear_confidential: list[int] = field(default_factory=list)

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
            continue
        flag = confidentiality_header(cells[i])
        if flag == "flag" and "confidential" not in mapping:
            # "Is this submission confidential?", "Keep our name private": the flag itself.
            result.fields.setdefault("confidential", []).append(i)
        elif flag is not None:
            result.unclear_confidential.append(i)
        else:
            result.unknown.append(i)
    return result


# Words that mark a column as a confidentiality flag (yes = keep the name out), in English,
# French and Spanish, compared on folded words ("Confidentialité" -> "confidentialite").
_FLAG_WORD = re.compile(
    r"^(?:confiden[ct]ial\w*|confidentiel\w*|confidencial\w*|priva(?:te|tely|cy|do|da|dos|das"
    r"|cidad|t)|prive|privee|prives|privees|anon[iy]m\w*|secret|secrets|secreto|secreta|secrete"
    r"|withh[eo]ld\w*|hide|hidden|undisclosed|reservado|reservada|sensitive|sensible"
    r"|masquer|masquee|cacher|ocultar|oculto|oculta|ocultos|ocultas|esconder"
    r"|restricted|restreint\w*|restringid\w*|embargo\w*|offrecord|unnamed|sinnombre)$")
# Words about publishing or naming: yes means *public* unless a negation comes before them
# ("Do not publish our name", "Ne pas publier", "No publicar").
_PUBLISH_WORD = re.compile(
    r"^(?:public|publish\w*|publier|publie|publiez|publicar|publique|publico|publica"
    r"|disclos\w*|divulg\w*|reveal\w*|cite|citer|citar|nommer|nombrar|mentionner|mencionar"
    r"|diffus\w*|difund\w*|difusion|appear|appears|aparecer|aparezca|aparezcan|figurer"
    r"|mentionne|mentionnee|mencionado|mencionada"
    # naming, crediting, consenting: "Do you want to be named?", "Credit our organisation?",
    # "May we mention you?", "Consent to be named", "¿Podemos nombrarlos?"
    r"|named|naming|nommer\w*|nomme|nommee|nommes|nommees|nombrar\w*|nombrado\w*"
    r"|nombrada\w*|credit\w*|mention|mentions|mentioned|mentioning|acknowledg\w*"
    r"|consent\w*|consentement|consentimiento|autoris\w*|autoriz\w*|permission\w*"
    r"|permiso\w*|identified|identify|identifiable|attribution|attributed|onrecord"
    r"|visible|visibility)$")
_PUBLIC = {"public", "publique", "publico", "publica"}
# "private" before these speaks of who owns or runs something, never of keeping a name out
# ("the private sector", "private security companies", "sector privado" reads the other way).
_PRIVATE = {"private", "prive", "privee", "prives", "privees", "privado", "privada",
            "privados", "privadas"}
_PRIVATE_THINGS = {"sector", "sectors", "company", "companies", "firm", "firms", "actor",
                   "actors", "security", "property", "properties", "prison", "prisons",
                   "hospital", "hospitals", "school", "schools", "clinic", "clinics",
                   "contractor", "contractors", "landlord", "landlords", "enterprise",
                   "enterprises", "business", "businesses", "investor", "investors",
                   "operator", "operators", "provider", "providers", "land", "lands",
                   "ownership", "entities", "entity", "partners", "partnership",
                   "partnerships", "militias", "employers", "employer"}
# "Public name", "Public submission?": still about whether the submission may be named.
_PUBLIC_OF = {"name", "names", "nom", "nombre", "submission", "submissions", "organization",
              "organisation", "organizacion", "org", "attribution", "or", "ou", "o"}
# "name" speaks of confidentiality only when negated: "do not name us".
_NAME_WORD = re.compile(r"^(?:name|named|naming|nom|nombre)$")
_NEGATION = {"not", "dont", "non", "no", "ne", "pas", "never", "nunca", "jamais", "sans", "sin",
             "without", "doesnt", "isnt", "shouldnt", "cannot", "cant", "nao", "nicht", "kein"}
# Answer lists inside a header: "(yes/no)", "Y/N", "oui ou non", "sí / no".
_ANSWERS = re.compile(
    r"\b(?:yes|y|oui|o|si|true|x)\s*(?:/|\\|\bor\b|\bou\b|\bo\b|-|,)\s*(?:no|n|non|false)\b")


def confidentiality_header(header: str) -> Literal["flag", "unclear"] | None:
    """Whether a header is a confidentiality flag: ``"flag"`` where *yes* clearly means
    "keep us confidential", ``"unclear"`` where it speaks of confidentiality or publication
    the other way round or negated ("Not confidential", "Publish our name?"), else None.

    >>> confidentiality_header("Is this submission confidential? (yes/no)")
    'flag'
    >>> confidentiality_header("Do not publish our name")
    'flag'
    >>> confidentiality_header("May we publish your name?")
    'unclear'
    >>> confidentiality_header("Non-confidential") , confidentiality_header("Contact name")
    ('unclear', None)

    Short texts, which repeat (a column's answers), are worked out once.
    """
    if len(header) <= 300:
        return _short_confidentiality(header)
    return _confidentiality(header)


@functools.lru_cache(maxsize=8192)
def _short_confidentiality(header: str) -> Literal["flag", "unclear"] | None:
    return _confidentiality(header)


def _confidentiality(header: str) -> Literal["flag", "unclear"] | None:
    """The answer of :func:`confidentiality_header`, worked out."""
    words = _header_words(header)
    if not words:
        return None
    positive = negative = False
    for i, word in enumerate(words):
        before = words[max(0, i - 3):i]
        negated = any(w in _NEGATION for w in before)
        if word.startswith("non") and _FLAG_WORD.match(word[3:]):
            negative = True  # "nonconfidential"
        elif _FLAG_WORD.match(word):
            follower = words[i + 1] if i + 1 < len(words) else None
            if word in _PRIVATE and follower in _PRIVATE_THINGS:
                continue  # "the private sector", "private security firms": not a request
            if negated:
                negative = True
            else:
                positive = True
        elif _PUBLISH_WORD.match(word) or _NAME_WORD.match(word) and negated:
            follower = words[i + 1] if i + 1 < len(words) else None
            if word in _PUBLIC and follower is not None and follower not in _PUBLIC_OF:
                continue  # "Public URL", "Public statement": an adjective, not a flag
            if negated:
                positive = True
            else:
                negative = True
    if negative:
        return "unclear"
    if positive:
        return "flag"
    # A misspelt flag ("Confidental", "Anonymus") is not guessed either way.
    if any(_misspelt_flag(w) for w in words):
        return "unclear"
    return None


@functools.lru_cache(maxsize=16384)
def _misspelt_flag(word: str) -> bool:
    """A word close to a flag's (a fuzzy match: the delimiter sniffer asks this of every
    word of a file's first rows, under each delimiter, so each word is matched once)."""
    return len(word) >= 6 and word not in _NOT_FLAGS and bool(
        difflib.get_close_matches(word, _FLAG_SPELLINGS, n=1, cutoff=0.8))


def _header_words(text: str) -> list[str]:
    """The folded words of a header or note, answer lists ("(yes/no)") left out."""
    # Invisible characters (a zero-width space, a soft hyphen) do not split words.
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _ANSWERS.sub(" ", fold(visible).replace("'", "").replace("\u2019", ""))
    # "Off the record", "On the record?": one word each.
    text = re.sub(r"\b(off|on)\s+the\s+record\b", r"\1record", text)
    return [w for w in re.split(r"[\W_]+", text) if w]


#: Words a request for confidentiality is made of besides the flag, publishing and naming
#: words and negations (English, French, Spanish).
_REQUEST_WORDS = {"please", "our", "us", "we", "name", "names", "organization", "organisation",
                  "submission", "this", "keep", "the", "it", "do", "be", "is", "to", "strictly",
                  "for", "internal", "use", "only", "notre", "nos", "nom", "nombre", "nuestro",
                  "nuestra", "por", "favor", "merci", "svp", "de", "la", "le", "el", "esta",
                  "cette", "ce", "garder", "mantener", "mantenga", "gardez", "que", "soumission",
                  "presentacion", "all", "and", "or", "et", "y", "note", "nb", "important"}


def asks_only(text: str) -> bool:
    """Whether every word of a short text belongs to a request for confidentiality
    ("CONFIDENTIAL", "Please do not publish our name", "Privado"), so that a topic set off
    the same way ("Secret detention: ...", "Anonymous complaints - ...") is not one.

    >>> asks_only("CONFIDENTIAL"), asks_only("Please do not publish our name")
    (True, True)
    >>> asks_only("Secret detention")
    False
    """
    words = _header_words(text)
    return bool(words) and all(
        w in _REQUEST_WORDS or w in _NEGATION or _FLAG_WORD.match(w) or _PUBLISH_WORD.match(w)
        or _NAME_WORD.match(w) for w in words)


_NOT_FLAGS = {"confidence", "confident", "confidences", "province", "provinces", "privilege"}
_FLAG_SPELLINGS = ["confidential", "confidentiality", "confidencial", "confidentiel",
                   "confidentielle", "confidentialite", "confidencialidad", "private", "privacy",
                   "anonymous", "anonyme", "anonimo", "withhold", "withheld", "undisclosed"]


def suggest_field(header: str) -> str | None:
    """For an unrecognised header, the field it probably means ('Reccomendation')."""
    key = match_key(header)
    if not key:
        return None
    close = difflib.get_close_matches(key, list(_LOOKUP), n=1, cutoff=0.82)
    return _LOOKUP[close[0]] if close else None


assert set(SYNONYMS) == set(FIELDS)
assert not set(EXTRA_FIELDS) & set(FIELDS)
