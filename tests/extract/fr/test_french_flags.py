"""French flags: the English time, figure, stance and out-of-office checks on French claims and roles."""

from __future__ import annotations

from stancegraph.pipeline import analyze


def _kinds(text: str, date: str | None = None) -> list[tuple[str, str | None]]:
    return [(f.kind, f.actor) for f in analyze(text, lang="fr", date=date).flags]


def test_a_duration_that_does_not_fit_the_stated_start_and_the_date() -> None:
    text = "Le blocus de Port-Aven a commencé en février 2022. Selon le maire Hugo Battaglia, le blocus dure depuis 14 mois."
    assert ("time_conflict", None) in _kinds(text, date="2025-03-01")
    assert _kinds(text, date="2023-04-10") == []  # 14 months after February 2022: it fits


def test_parts_over_their_total_and_one_quantity_given_two_values() -> None:
    parts = "Sur les 400 personnes évacuées, 300 étaient des enfants et 150 des adultes."
    assert ("figure_conflict", None) in _kinds(parts)
    assert _kinds("Sur les 400 personnes évacuées, 300 étaient des enfants et 100 des adultes.") == []
    twice = ("La scierie Dorval emploie 1 200 salariés, selon la direction. Plus loin, la direction affirme que "
             "la scierie emploie 800 salariés.")
    assert ("figure_conflict", None) in _kinds(twice)


def test_a_change_or_two_years_is_not_a_figure_conflict() -> None:
    text = ("Le chômage touchait 900 salariés du canton en 2023, selon l'Insee. Selon l'Insee, le chômage "
            "touche 1 400 salariés du canton en 2025.")
    assert [k for k, _ in _kinds(text)] == []


def test_a_speaker_out_of_office_in_their_own_words() -> None:
    text = "« Quand je reviendrai à l'Élysée, tout changera », a déclaré le président Paul Verdier."
    assert _kinds(text) == [("role_conflict", "paul-verdier")]


def test_one_actor_for_and_against_one_target() -> None:
    text = "Lucie Harel soutient la réforme du rail. Mais Lucie Harel rejette la réforme du rail."
    assert ("stance_conflict", "lucie-harel") in _kinds(text)


def test_ages_read_and_checked_against_each_other_and_a_birth_date() -> None:
    claims = analyze("Armand Le Bihan, 81 ans, a dénoncé la réforme. La guerre dure depuis trois ans.", lang="fr").claims
    assert [(c.span.text, c.subject) for c in claims] == [("81 ans", "age"), ("trois ans", "guerre")]
    twice = "Armand Le Bihan, 81 ans, a dénoncé la réforme. Plus tard, Armand Le Bihan, âgé de 75 ans, a voté."
    assert ("time_conflict", "armand-le-bihan") in _kinds(twice)
    born = "Armand Le Bihan, né en 1950, a dénoncé la réforme. Armand Le Bihan, 81 ans, a voté contre."
    assert ("time_conflict", "armand-le-bihan") in _kinds(born, date="2024-05-01")
    assert _kinds(born.replace("81 ans", "74 ans"), date="2024-05-01") == []
