"""Polarisation, fault lines and side changers: tables that match the corpus, and PNG plots."""

from __future__ import annotations

import pandas as pd
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import (
    NetworkOptions,
    fault_lines,
    plot_fault_lines,
    plot_polarisation,
    plot_side_changers,
    polarisation,
    side_changers,
    statements_frame,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_two_camps_are_found_and_fully_polarised(statements):
    table = polarisation(statements, NetworkOptions())
    assert len(table) == 1
    row = table.iloc[0]
    assert row["camp_a"] == "Climate Alliance; Green Party; Greta Green"
    assert row["camp_b"] == "Coal Union; Frank Fossil"
    assert row["polarisation"] == pytest.approx(1.0)
    assert row["q_congruence"] == pytest.approx(0.32)  # 1 - (16/20)^2 - (4/20)^2
    assert row["q_conflict"] == pytest.approx(-0.5)


def test_polarisation_per_window(statements):
    table = polarisation(statements, NetworkOptions(window="1m"))
    assert [d.date().isoformat() for d in table["start"]] == ["2024-01-03", "2024-02-03"]
    assert table["statements"].tolist() == [8, 4]
    assert table.loc[1, "camp_a"] == "Coal Union; Frank Fossil" and table.loc[1, "camp_b"] == "Climate Alliance"
    assert table["polarisation"].round(6).tolist() == [1.0, 1.0]


def test_consensus_is_not_polarised():
    rows = [{"article_id": "a", "n": i, "actor_id": who, "actor": who, "target": "peace", "polarity": 1}
            for i, who in enumerate("ABCDE")]
    assert polarisation(statements_frame(rows), NetworkOptions()).loc[0, "polarisation"] <= 1e-9


def test_the_main_fault_line_is_the_coal_phase_out(statements):
    table = fault_lines(statements, NetworkOptions())
    first = table.iloc[0]
    assert first["concept"] == "coal phase-out"
    assert (first["supporters"], first["opponents"], first["divided_pairs"]) == (3, 2, 6)
    assert first["evenness"] == pytest.approx(0.96)
    assert first["against"] == "Coal Union; Frank Fossil"
    second = table.iloc[1]
    assert (second["concept"], second["divided_pairs"]) == ("carbon tax", 2)
    assert table.iloc[2]["divided_pairs"] == 0  # "Greta Green": one opponent, nobody for


def _turncoat():
    stances = [("2024-01-05", 1), ("2024-02-05", 1), ("2024-03-05", -1), ("2024-03-20", -1), ("2024-05-01", 1)]
    rows = [{"article_id": f"t{i}", "n": 0, "actor_id": "tc", "actor": "Tom Turner", "target": "tax",
             "polarity": p, "date": d} for i, (d, p) in enumerate(stances)]
    rows.append({"article_id": "s", "n": 0, "actor_id": "st", "actor": "Sue Steady", "target": "tax",
                 "polarity": 1, "date": "2024-01-05"})
    return statements_frame(rows)


def test_side_changers_are_dated_with_their_statements(statements):
    assert side_changers(statements, NetworkOptions()).empty
    table = side_changers(_turncoat(), NetworkOptions())
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["actor"], row["concept"], row["changes"]) == ("Tom Turner", "tax", 2)
    assert (row["from_polarity"], row["to_polarity"], row["final_polarity"]) == (1, -1, 1)
    assert row["last_before"].date().isoformat() == "2024-02-05"
    assert row["first_after"].date().isoformat() == "2024-03-05"
    assert row["before"] == ["t0#0", "t1#0"] and row["after"] == ["t2#0"]


def test_side_changes_by_period_compare_period_sums():
    frame = _turncoat()
    extra = statements_frame([{"article_id": "x", "n": 0, "actor_id": "tc", "actor": "Tom Turner", "target": "tax",
                               "polarity": 1, "date": "2024-03-10"},
                              {"article_id": "y", "n": 0, "actor_id": "tc", "actor": "Tom Turner", "target": "tax",
                               "polarity": 1, "date": "2024-03-11"}])
    combined = statements_frame(pd.concat([frame, extra]))
    by_statement = side_changers(combined, NetworkOptions())
    by_month = side_changers(combined, NetworkOptions(), period="month")
    assert by_statement.iloc[0]["changes"] == 4
    assert by_month.empty  # March sums to +1: Tom never leaves the "for" side month by month
    with pytest.raises(NetworkError, match="E302"):
        side_changers(combined, NetworkOptions(), period="decade")


def test_plots_are_png_files(statements, tmp_path):
    paths = [
        plot_polarisation(polarisation(statements, NetworkOptions(window="1m")), tmp_path / "p.png"),
        plot_fault_lines(fault_lines(statements, NetworkOptions()), tmp_path / "f.png"),
        plot_side_changers(side_changers(_turncoat(), NetworkOptions()), _turncoat(), tmp_path / "c.png"),
    ]
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5000
