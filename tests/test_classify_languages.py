"""classify in keywords mode on French and Spanish findings: the codebooks' French and
Spanish keywords and names suggest the right theme, whatever the case and accents."""

from __future__ import annotations

import pytest

from upr_summary.classify import KeywordClassifier
from upr_summary.codebook import load_codebook
from upr_summary.textutil import fold

# Fictional findings, as member organizations write them, with the ohchr theme expected first.
FR = [
 ("Les expulsions locatives ont augmenté de 30 % et les loyers ont doublé à Port-Louis.", "Housing"),
 ("Plus de 40 % des détenus dorment à même le sol en raison de la surpopulation carcérale.", "Detention conditions"),
 ("Les forces de l'ordre ont fait un usage excessif de la force contre des manifestants pacifiques, avec des gaz lacrymogènes et des balles en caoutchouc.", "Police violence"),
 ("Les féminicides ont augmenté : 118 femmes ont été tuées par leur conjoint en 2024, et les ordonnances de protection restent rares.", "Violence against women"),
 ("Dans les zones rurales, un foyer sur trois n'a pas accès à l'eau potable ni à un assainissement de base.", "Water and sanitation"),
 ("Les enfants handicapés sont exclus des écoles ordinaires faute d'aménagement raisonnable et d'accessibilité.", "Persons with disabilities"),
 ("Des journalistes ont été poursuivis pour diffamation après avoir enquêté sur la censure des médias.", "Fundamental freedoms"),
 ("Le pays n'a toujours pas ratifié le Protocole facultatif se rapportant au Pacte international relatif aux droits économiques, sociaux et culturels.", "International instruments"),
 ("Les demandeurs d'asile sont renvoyés à la frontière sans examen de leur demande, en violation du principe de non-refoulement.", "Refugees and asylum seekers"),
 ("Les peuples autochtones n'ont pas été consultés avant l'octroi de concessions sur leurs territoires ancestraux.", "Indigenous Peoples"),
 ("La faim touche une famille sur cinq ; la malnutrition chronique des moins de cinq ans atteint 22 %.", "Food"),
 ("Les personnes lesbiennes, gays, bisexuelles et transgenres subissent des agressions homophobes sans que la police n'enquête.", "LGBTI persons"),
 ("La peine de mort est toujours prévue par le code pénal et aucun moratoire n'a été adopté.", "Death penalty"),
]
ES = [
 ("Los desalojos forzosos aumentaron un 40 % y los alquileres se duplicaron en la capital.", "Housing"),
 ("El hacinamiento en las cárceles supera el 300 % y las personas privadas de libertad carecen de atención médica.", "Detention conditions"),
 ("Carabineros dispararon perdigones y gases lacrimógenos contra manifestantes; cientos sufrieron lesiones oculares por el uso excesivo de la fuerza policial.", "Police violence"),
 ("Los feminicidios aumentaron en 2024 y las órdenes de protección no se cumplen.", "Violence against women"),
 ("Una de cada tres comunidades rurales no tiene acceso a agua potable ni a saneamiento básico.", "Water and sanitation"),
 ("Las personas con discapacidad no pueden votar porque los centros de votación carecen de accesibilidad y rampas para sillas de ruedas.", "Persons with disabilities"),
 ("Periodistas que denunciaron la censura fueron procesados por difamación.", "Fundamental freedoms"),
 ("El Estado no ha ratificado el Protocolo Facultativo del Pacto Internacional de Derechos Económicos, Sociales y Culturales.", "International instruments"),
 ("Los solicitantes de asilo son devueltos en la frontera sin evaluar su necesidad de protección internacional.", "Refugees and asylum seekers"),
 ("No se realizó la consulta previa a los pueblos indígenas antes de otorgar concesiones mineras en sus territorios ancestrales.", "Indigenous Peoples"),
 ("El hambre afecta a una de cada cinco familias y la desnutrición crónica infantil alcanza el 22 %.", "Food"),
 ("Las personas trans y las lesbianas sufren agresiones por su orientación sexual e identidad de género sin investigación.", "LGBTI persons"),
 ("Los defensores de derechos humanos y activistas ambientales sufren hostigamiento y represalias.", "Human rights defenders"),
]


@pytest.fixture(scope="module")
def ohchr():
    return KeywordClassifier(load_codebook("ohchr"))


@pytest.fixture(scope="module")
def upr_info():
    return load_codebook("upr-info"), KeywordClassifier(load_codebook("upr-info"))


@pytest.mark.parametrize("text,theme", FR + ES)
def test_french_and_spanish_findings_get_the_right_theme(ohchr, text, theme):
    areas, confidence, reason = ohchr.suggest(text)
    assert areas[0] == theme, reason
    assert confidence >= 0.5


@pytest.mark.parametrize("text,theme", FR + ES)
def test_case_and_accents_do_not_matter(ohchr, text, theme):
    suggestion = ohchr.suggest(text)
    assert ohchr.suggest(text.upper()) == suggestion
    assert ohchr.suggest(fold(text)) == suggestion  # typed without accents


@pytest.mark.parametrize("text,theme", FR + ES)
def test_upr_info_suggests_the_issue_that_maps_onto_the_theme(upr_info, text, theme):
    book, classifier = upr_info
    expected = load_codebook("ohchr").lookup(theme).id
    areas = classifier.suggest(text)[0]
    mapped = [book.lookup(a).maps_to("ohchr") for a in areas]
    # UPR Info has no issue of its own for violence against women: women's rights
    assert expected in mapped or (expected == "violence-against-women" and "women" in mapped)


@pytest.mark.parametrize("name", ["ohchr", "upr-info"])
def test_every_theme_has_french_and_spanish_words(name):
    """Each theme's French and Spanish names suggest it (but Other and General, whose names
    are no evidence in any language)."""
    book = load_codebook(name)
    classifier = KeywordClassifier(book)
    for theme in book.themes:
        if theme.name in ("Other", "General"):
            continue
        names = dict(theme.names)
        for language in ("fr", "es"):
            assert theme.name in classifier.suggest(names[language])[0], (theme.name, language)


def test_generic_names_in_any_language_are_no_evidence():
    classifier = KeywordClassifier(load_codebook("upr-info"))
    assert classifier.suggest("Autres questions, et d'autres encore.")[0] == ()
    assert classifier.suggest("Otros temas y otras cuestiones.")[0] == ()


def test_spanish_words_that_are_also_common_words_are_not_keywords(ohchr):
    """'trata' (trafficking) is also 'se trata de'; 'ejecución' also means carrying out a
    plan; 'violación' also means any violation: none of them suggests a theme alone."""
    assert ohchr.suggest("Se trata de la ejecución del plan.")[0] == ()
    assert "Violence against women" not in ohchr.suggest(
        "Hubo violaciones del debido proceso.")[0]
    assert "Violence against women" not in ohchr.suggest("Violation of due process.")[0]
