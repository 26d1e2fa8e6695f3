"""French claims: French number formats, number words, units and qualifiers, read into the English Claim."""

from __future__ import annotations

import pytest

from stancegraph.pipeline import analyze

NBSP, NNBSP = "\u00a0", "\u202f"


def _claims(text: str) -> list[tuple[str, float, str, str | None]]:
    return [(c.span.text, c.value, c.unit, c.qualifier) for c in analyze(text, lang="fr").claims]


def test_french_formats_multipliers_and_units() -> None:
    text = (f"Plus de 14 millions de personnes ont quitté la région de Valmont. La coopérative Lavergne emploie "
            f"10 000 salariés et 2{NNBSP}500 saisonniers, et 1{NBSP}200 apprentis. Le taux de chômage atteint 3,5{NBSP}% "
            f"dans le canton. Le plan coûtera 1,2 milliard d'euros. La grève dure depuis 22 mois.")
    found = _claims(text)
    assert ("Plus de 14 millions de personnes", 14_000_000, "personnes", "over") in found
    assert ("10 000 salariés", 10_000, "salariés", None) in found
    assert (f"2{NNBSP}500 saisonniers", 2_500, "saisonniers", None) in found
    assert (f"1{NBSP}200 apprentis", 1_200, "apprentis", None) in found
    assert (f"3,5{NBSP}%", 3.5, "percent", None) in found
    assert ("1,2 milliard d'euros", 1_200_000_000, "EUR", None) in found
    assert ("22 mois", 22, "months", None) in found


def test_number_words_and_qualifiers() -> None:
    found = _claims("Deux millions de réfugiés sont arrivés à Corvelle. Environ trois cents familles attendent, "
                    "près de 40 postes ont disparu et moins de 5 % des logements sont vacants.")
    assert ("Deux millions de réfugiés", 2_000_000, "réfugiés", None) in found
    assert ("Environ trois cents familles", 300, "familles", "about") in found
    assert ("près de 40 postes", 40, "postes", "nearly") in found
    assert ("moins de 5 %", 5, "percent", "under") in found


def test_subjects_and_sources() -> None:
    text = ("« Nous avons créé 3 000 emplois industriels », a déclaré la ministre Odile Ferrand. Le chômage "
            "atteint 7 % selon l'Insee. 12 % des électeurs de Brissac hésitent encore.")
    claims = {c.span.text: c for c in analyze(text, lang="fr").claims}
    jobs = claims["3 000 emplois industriels"]
    assert (jobs.unit, jobs.source) == ("emplois industriels", "odile-ferrand")
    assert claims["7 %"].subject == "chômage" and claims["7 %"].source == "insee"
    assert claims["12 %"].subject.startswith("électeurs")


@pytest.mark.parametrize("text", [
    "La loi a été votée en 2024 par le Parlement.",  # a year
    "L'un des ministres a quitté la séance.",  # "un" of "l'un des"
    "Le 12 mars, la coalition de Gaspard Morel a tenu son congrès.",  # a date
    "Des millions de manifestants ont défilé à Corvelle.",  # a vague plural
    "Les deux dirigeants se sont serré la main.",  # a definite few
    "Il a répété trois fois la même phrase.",  # counts nothing
])
def test_not_figures(text: str) -> None:
    assert analyze(text, lang="fr").claims == []


def test_apres_alone_names_no_source_but_d_apres_does() -> None:
    claims = analyze("La grève des dockers de Port-Aven a duré trois semaines après les annonces du port. D'après "
                     "la préfecture, 4 000 conteneurs sont bloqués.", lang="fr").claims
    by_text = {c.span.text: c.source for c in claims}
    assert by_text["trois semaines"] is None
    assert by_text["4 000 conteneurs"] is not None and "préfecture" in by_text["4 000 conteneurs"]
