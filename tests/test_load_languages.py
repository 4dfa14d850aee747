"""Intake sheets in French and Spanish (issue 13): headers, type and confidential values,
YAML keys, helper sheets; and the sample's French and Spanish members."""

from __future__ import annotations

import csv
import importlib
import io

import pytest
from openpyxl import Workbook

from upr_summary.config import Config
from upr_summary.load import load
from upr_summary.load.columns import SYNONYMS, match_header

from .conftest import SAMPLE, codes

assemble_module = importlib.import_module("upr_summary.load.assemble")

FR_HEADER = ["Communication", "Organisation", "Ville", "Type", "Thème(s)", "Constat principal",
             "Recommandation", "Citation", "Citation de", "URL", "Courriel de contact",
             "Confidentiel"]
ES_HEADER = ["Comunicación", "Organización", "Ciudad", "Tipo", "Tema(s)", "Hallazgo principal",
             "Recomendación", "Cita", "Cita de", "URL", "Correo de contacto", "Confidencial"]
FIELDS_IN_ORDER = ["submission", "organization", "city", "type", "issue_area", "finding",
                   "recommendation", "quote", "quote_by", "url", "contact_email", "confidential"]


def _fields(header: list[str]) -> list[str | None]:
    """The field each header cell feeds (None: no field)."""
    match = match_header(header, {})
    owner = {col: name for name, cols in match.fields.items() for col in cols}
    return [owner.get(i) for i in range(len(header))]


@pytest.mark.parametrize("header", [FR_HEADER, ES_HEADER], ids=["fr", "es"])
@pytest.mark.parametrize("required_mark", ["", " *"])
def test_intake_headers_map_to_every_field(header, required_mark):
    # `init` marks required columns with " *"; members often delete the mark.
    cells = [h + required_mark if h in ("Communication", "Organisation", "Constat principal",
                                        "Comunicación", "Organización", "Hallazgo principal")
             else h for h in header]
    match = match_header(cells, {})
    assert _fields(cells) == FIELDS_IN_ORDER
    assert match.unknown == [] and match.unclear_confidential == []


@pytest.mark.parametrize(("header", "field"), [
    # submission
    ("Communication", "submission"), ("Code de la communication", "submission"),
    ("Sigle", "submission"), ("Code", "submission"), ("Código", "submission"),
    ("Codigo", "submission"), ("Comunicacion", "submission"), ("Sigla", "submission"),
    ("Référence", "submission"), ("Referencia", "submission"),
    # organization
    ("Nom de l'organisation", "organization"), ("Nom de l’organisme", "organization"),
    ("Organisations", "organization"), ("Organismes", "organization"),
    ("Organisations membres", "organization"), ("Membres", "organization"),
    ("Nombre de la organización", "organization"), ("Organizaciones", "organization"),
    ("Miembros", "organization"), ("Organizaciones miembros", "organization"),
    # city, type
    ("Villes", "city"), ("Localité", "city"), ("Localidad", "city"), ("Municipio", "city"),
    ("Type de communication", "type"), ("Tipo de comunicación", "type"), ("Tipos", "type"),
    # issue area
    ("Thème", "issue_area"), ("Thèmes", "issue_area"), ("Thématique(s)", "issue_area"),
    ("Thematiques", "issue_area"), ("Domaine thématique", "issue_area"),
    ("Tema", "issue_area"), ("Temas", "issue_area"), ("Área temática", "issue_area"),
    ("Áreas temáticas", "issue_area"), ("Temática", "issue_area"),
    # finding
    ("Constat", "finding"), ("Constats", "finding"), ("Constats principaux", "finding"),
    ("Principaux constats", "finding"), ("Préoccupations", "finding"),
    ("Hallazgo", "finding"), ("Hallazgos", "finding"), ("Hallazgos principales", "finding"),
    ("Principales hallazgos", "finding"), ("Preocupaciones", "finding"),
    # recommendation
    ("Recommandations", "recommendation"), ("Recommandation principale", "recommendation"),
    ("Recomendaciones", "recommendation"), ("Recomendacion", "recommendation"),
    # quote and who said it
    ("Citations", "quote"), ("Témoignage", "quote"), ("Citas", "quote"),
    ("Testimonio", "quote"),
    ("Cité par", "quote_by"), ("Citée par", "quote_by"), ("Auteur de la citation", "quote_by"),
    ("Citado por", "quote_by"), ("Citada por", "quote_by"), ("Autor de la cita", "quote_by"),
    # url, contact
    ("Lien", "url"), ("Site web", "url"), ("Enlace", "url"), ("Sitio web", "url"),
    ("Courriel", "contact_email"), ("Adresse électronique", "contact_email"),
    ("Correo electrónico", "contact_email"), ("Correo", "contact_email"),
    ("Correo electrónico de contacto", "contact_email"), ("Contacto", "contact_email"),
    # confidential, also as a question with its answers
    ("Confidentielle", "confidential"), ("Confidentialité", "confidential"),
    ("Confidencialidad", "confidential"), ("Confidentiel (oui/non)", "confidential"),
    ("¿Confidencial? (sí/no)", "confidential"), ("Ne pas publier notre nom", "confidential"),
    ("No publicar el nombre", "confidential"), ("Anonymat", "confidential"),
    ("¿Es confidencial?", "confidential"), ("Souhaitez-vous rester anonyme ?", "confidential"),
    ("¿Desea permanecer en el anonimato?", "confidential"),
    ("¿Desea que su nombre no aparezca?", "confidential"), ("Masquer le nom", "confidential"),
    ("Cacher notre nom (oui/non)", "confidential"), ("Ocultar el nombre", "confidential"),
    ("No difundir el nombre", "confidential"), ("Ne pas mentionner notre nom", "confidential"),
])
def test_french_and_spanish_variants(header, field):
    assert _fields([header]) == [field]


@pytest.mark.parametrize("header", ["Observaciones", "Comentarios", "Commentaires", "Remarques",
                                    "Notas", "Nombre", "Date", "Fecha"])
def test_remarks_and_other_columns_feed_no_field(header):
    # "Observaciones" is a sheet's remarks column in Spanish, never published as a finding;
    # "Nombre" is a number in French: neither is guessed.
    assert _fields([header]) == [None]


def test_communication_is_the_submission_code_not_a_finding():
    cells = ["Communication", "Organisation", "Constat principal"]
    assert _fields(cells) == ["submission", "organization", "finding"]
    assert match_header(cells, {}).is_header


def test_no_header_key_feeds_two_fields():
    seen: dict[str, str] = {}
    for name, keys in SYNONYMS.items():
        for key in keys:
            assert seen.setdefault(key, name) == name, key


@pytest.mark.parametrize("header", [
    "Autorisation de diffusion du nom", "Publier notre nom ?", "Nom public",
    "Non confidentiel", "Pas confidentiel", "¿Podemos publicar su nombre?",
    "¿Autoriza la difusión de su nombre?", "No confidencial", "Confidentiel ou public",
    "Notre nom peut-il figurer dans le rapport ?", "Nom mentionné ?", "Ne pas masquer",
    "Name to appear in the report", "Diffusion",
])
def test_unclear_confidentiality_headers_fail_closed(write, header):
    text = f"Communication;Organisation;Constat principal;{header}\r\nDTA;Droit au toit;Un constat.;non\r\n"
    loaded = load([write("fr.csv", "\ufeff" + text)], Config())
    assert "unrecognised-confidential-column" in codes(loaded.problems)


# --- values --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("individuelle", "individual"), ("Individuel", "individual"), ("conjointe", "joint"),
    ("Communication conjointe", "joint"), ("INDH", "nhri"), ("autre", "other"),
    ("individual", "individual"), ("conjunta", "joint"), ("Comunicación conjunta", "joint"),
    ("indh", "nhri"), ("otra", "other"), ("Otro", "other"), ("Defensoría del Pueblo", "nhri"),
])
def test_type_values(write, value, expected):
    text = ("Communication;Organisation;Type;Constat principal\r\n"
            f'ABC;"{"Org A; Org B" if expected == "joint" else "Org A"}";{value};Un constat.\r\n')
    loaded = load([write("t.csv", text)], Config())
    assert codes(loaded.problems) == []
    assert loaded.submissions["ABC"].type == expected


def test_unknown_type_value_is_an_error(write):
    text = "Comunicación;Organización;Tipo;Hallazgo principal\r\nABC;Org ABC;mixta;Un hallazgo.\r\n"
    loaded = load([write("t.csv", text)], Config())
    assert codes(loaded.problems) == ["invalid-value"]


@pytest.mark.parametrize(("value", "expected"), [
    ("oui", True), ("Oui", True), ("OUI.", True), ("non", False), ("Non", False),
    ("sí", True), ("Sí", True), ("si", True), ("SI", True), ("no", False), ("No.", False),
    ("vrai", True), ("FAUX", False), ("VERDADERO", True), ("falso", False),
    ("confidentiel", True), ("confidentielle", True), ("confidencial", True),
    ("privé", True), ("privada", True), ("publique", False), ("público", False),
])
def test_clear_confidential_values(value, expected):
    assert assemble_module.read_flag(value) is expected


UNCLEAR = ["peut-être", "Peut-être", "quizás", "quizá", "tal vez", "no sé", "ne sais pas",
           "non-confidentiel", "non confidentiel", "no confidencial", "pas confidentiel",
           "oui/non", "sí/no", "oui ?", "¿sí?", "¡Sí!", "à confirmer", "por confirmar", "o", "s",
           "sí, pero sin nombre", "non sauf le nom", "N/D", "S/O"]


@pytest.mark.parametrize("value", UNCLEAR)
def test_unclear_confidential_values_fail_closed(write, value):
    assert assemble_module.read_flag(value) is None
    rows = [["Communication", "Organisation", "Constat principal", "Confidentiel"],
            ["DTA", "Droit au toit", "Un constat.", value]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    loaded = load([write("c.csv", buffer.getvalue())], Config())
    assert codes(loaded.problems) == ["invalid-value"]
    assert loaded.problems[0].location.field == "confidential"
    assert loaded.submissions["DTA"].confidential  # in doubt, the name is withheld


# --- whole sheets ----------------------------------------------------------------------

FR_ROWS = [
    ["DTA", "Droit au toit Arvénie", "Eastmere", "individuelle", "Logement; Enfants",
     "Quelque 3 100 enfants vivaient à l'hôtel à la fin de 2024.",
     "Limiter à six semaines l'hébergement à l'hôtel.\nGarantir une place à l'école.",
     "Nous avons déménagé quatre fois en un an.", "une mère à Eastmere",
     "https://droitautoit.example.org/epu.pdf", "epu@droitautoit.example.org", "non"],
    ["DTA", "Droit au toit Arvénie", "", "", "Santé",
     "18 % des patients francophones ont renoncé à des soins.", "", "", "", "", "", ""],
    ["LDF", "Ligue des familles", "Granton", "autre", "Pauvreté",
     "Les allocations n'ont pas été revalorisées depuis 2019.", "", "", "", "", "", "oui"],
]


def test_french_csv_intake_sheet_loads_without_a_problem(write):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FR_HEADER)
    writer.writerows(FR_ROWS)
    path = write("communication.csv", b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    loaded = load([path], Config())
    assert loaded.problems == []
    dta, ldf = loaded.submissions["DTA"], loaded.submissions["LDF"]
    assert (dta.type, dta.confidential, dta.city, dta.contact_email) == (
        "individual", False, "Eastmere", "epu@droitautoit.example.org")
    assert (ldf.type, ldf.confidential) == ("other", True)
    first = loaded.findings[0]
    assert first.issue_areas == ("Housing", "Children")  # French names, codebook themes
    assert first.text == FR_ROWS[0][5]  # never translated
    assert first.recommendations == ("Limiter à six semaines l'hébergement à l'hôtel.",
                                     "Garantir une place à l'école.")
    assert (first.quote, first.quote_by) == ("Nous avons déménagé quatre fois en un an.",
                                             "une mère à Eastmere")
    assert [f.issue_areas for f in loaded.findings[1:]] == [("Health",), ("Poverty",)]


def _spanish_workbook(required_mark: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Comunicaciones"
    ws.append([h + required_mark if h in ("Comunicación", "Organización", "Hallazgo principal")
               else h for h in ES_HEADER])
    ws.append(["EJEMPLO", "Sindicato de Inquilinos; Asesoría Legal del Este", "Port Alder",
               "conjunta", "Vivienda; Niñez", "Los desalojos aumentaron un 40 %.", "", "", "",
               "", "", "no"])
    ws.append(["JS13", "Colectivo de Trabajadoras del Hogar; Mujeres Migrantes en Acción",
               "Granton", "conjunta", "Migrantes; Trabajo",
               "El 58 % de las trabajadoras del hogar trabaja más de 60 horas semanales.",
               "Ratificar el Convenio 189 de la OIT.", "Trabajé dos años sin un día libre.",
               "una trabajadora del hogar", "", "epu@colectivo.example.org", "sí"])
    ws.append(["JS13", None, None, None, "Salud",
               "El 23 % de las mujeres migrantes llegó al parto sin control previo.",
               None, None, None, None, None, None])
    ws.append(["AMA", "Asociación de Madres de Arvenia", "Eastmere", "individual", "Vivienda",
               "Las familias pagan alquileres un 30 % superiores a la media.", None, None,
               None, None, None, "No"])
    ws.append(["INDH", "Institución Nacional de Derechos Humanos de Arvenia", "Port Alder",
               "INDH", "Violencia de género", "Los refugios rechazaron a 1.200 mujeres.",
               None, None, None, None, None, None])
    notes = wb.create_sheet("Notas")
    notes.append(["Columna", "Obligatoria", "Qué escribir", "Ejemplo"])
    for header in ES_HEADER:
        notes.append([header, "sí", "…", "…"])
    lists = wb.create_sheet("Listas")
    lists.append(["Temas", "Tipos", "Confidencial"])
    for row in (["Vivienda", "individual", "no"], ["Salud", "conjunta", "sí"],
                ["Trabajo", "INDH", None], ["Migrantes", "otra", None]):
        lists.append(row)
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("required_mark", ["", " *"])
def test_spanish_xlsx_intake_sheet_loads_without_a_problem(write, required_mark):
    loaded = load([write("comunicacion.xlsx", _spanish_workbook(required_mark))], Config())
    # The example row ("EJEMPLO") is skipped with its warning; the notes and the hidden
    # lists are not data, and nothing else is said.
    assert codes(loaded.problems) == ["example-row"]
    js13, ama, indh = (loaded.submissions[c] for c in ("JS13", "AMA", "INDH"))
    assert (js13.type, js13.members, js13.confidential) == (
        "joint", ("Colectivo de Trabajadoras del Hogar", "Mujeres Migrantes en Acción"), True)
    assert (ama.type, ama.confidential) == ("individual", False)
    assert (indh.type, indh.confidential) == ("nhri", False)
    assert [f.issue_areas for f in loaded.findings] == [
        ("Migrants", "Work"), ("Health",), ("Housing",), ("Violence against women",)]
    assert loaded.findings[0].quote_by == "una trabajadora del hogar"
    assert all(f.location.sheet == "Comunicaciones" for f in loaded.findings)


@pytest.mark.parametrize("sheet", ["Notes", "Listes", "Aide", "Notas", "Listas", "Instrucciones",
                                   "Ayuda", "Léeme", "Lisez-moi", "Consignes"])
def test_helper_sheets_in_french_and_spanish_are_not_reported(write, sheet):
    wb = Workbook()
    wb.active.title = "Données"
    wb.active.append(FR_HEADER[:6])
    wb.active.append(["DTA", "Droit au toit", "", "", "Logement", "Un constat."])
    wb.create_sheet(sheet).append(["Colonne", "À écrire"])
    out = io.BytesIO()
    wb.save(out)
    loaded = load([write("w.xlsx", out.getvalue())], Config())
    assert loaded.problems == []


YAML_FR = """\
communication: DTA
organisation: Droit au toit Arvénie
ville: Eastmere
type: individuelle
confidentiel: non
courriel: epu@droitautoit.example.org
thèmes: [Logement]
constats:
  - Les expulsions ont augmenté de 77 % entre 2021 et 2024.
  - constat: Quelque 3 100 enfants vivaient à l'hôtel à la fin de 2024.
    thèmes: [Logement, Enfants]
    recommandations: [Limiter l'hébergement à l'hôtel à six semaines.]
    citation: Nous avons déménagé quatre fois en un an.
    cité par: une mère à Eastmere
"""

YAML_ES = """\
comunicación: JS13
miembros:
  - Colectivo de Trabajadoras del Hogar
  - Mujeres Migrantes en Acción
tipo: conjunta
confidencial: sí
correo electrónico: epu@colectivo.example.org
hallazgos:
  - texto: El 58 % de las trabajadoras del hogar trabaja más de 60 horas semanales.
    temas: [Migrantes, Trabajo]
    recomendaciones: [Ratificar el Convenio 189 de la OIT.]
    cita: Trabajé dos años sin un día libre.
    citado por: una trabajadora del hogar
"""


def test_yaml_submissions_with_french_and_spanish_keys(write):
    loaded = load([write("dta.yaml", YAML_FR), write("js13.yaml", YAML_ES)], Config())
    assert loaded.problems == []
    dta, js13 = loaded.submissions["DTA"], loaded.submissions["JS13"]
    assert (dta.organization, dta.type, dta.confidential, dta.city) == (
        "Droit au toit Arvénie", "individual", False, "Eastmere")
    assert (js13.members, js13.type, js13.confidential) == (
        ("Colectivo de Trabajadoras del Hogar", "Mujeres Migrantes en Acción"), "joint", True)
    assert [(f.submission, f.issue_areas, f.recommendations != (), f.quote_by)
            for f in loaded.findings] == [
        ("DTA", ("Housing",), False, None),
        ("DTA", ("Housing", "Children"), True, "une mère à Eastmere"),
        ("JS13", ("Migrants", "Work"), True, "una trabajadora del hogar"),
    ]


@pytest.mark.parametrize("value", ["peut-être", "quizás", "no sé", "non confidentiel"])
def test_yaml_unclear_confidential_fails_closed(write, value):
    text = YAML_FR.replace("confidentiel: non", f"confidentiel: {value}")
    loaded = load([write("dta.yaml", text)], Config())
    assert set(codes(loaded.problems)) == {"invalid-value"}  # said on each finding's record
    assert loaded.submissions["DTA"].confidential


# --- the sample ------------------------------------------------------------------------

def test_sample_has_a_french_and_a_spanish_member():
    data = load([SAMPLE])
    assert data.errors == []
    assert not [p for p in data.problems if "communication-dta" in p.location.file
                or "comunicacion-js13" in p.location.file]
    dta, js13 = data.submissions["DTA"], data.submissions["JS13"]
    assert (dta.organization, dta.type, dta.confidential) == (
        "Droit au toit Arvénie", "individual", False)
    assert (js13.type, len(js13.members), js13.confidential) == ("joint", 3, False)
    mine = {code: [f for f in data.findings if f.submission == code] for code in ("DTA", "JS13")}
    assert [len(found) for found in mine.values()] == [7, 6]
    # Issue areas written in French or Spanish resolve to the codebook's themes.
    themes = {t.name for t in data.codebook.themes} if data.codebook else set()
    for found in mine.values():
        assert all(area in themes for f in found for area in f.issue_areas)
        assert any(f.quote and f.quote_by for f in found)
        assert any(f.recommendations for f in found)
    assert mine["DTA"][0].text.startswith("Les expulsions pour impayés de loyer")
    assert mine["JS13"][0].text.startswith("De las 2.400 trabajadoras del hogar")
