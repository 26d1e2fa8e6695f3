"""The backbone and polarisation-over-time views: their API, and the pages in headless Chromium."""

from __future__ import annotations

import pytest


def test_backbone_api_orders_the_concepts_and_marks_the_core(client):
    payload = client.get("/api/backbone").json()
    steps = payload["steps"]
    assert [s["iteration"] for s in steps] == list(range(1, len(steps) + 1))
    assert steps[-1]["statements"] == 0 and steps[-1]["backbone_loss"] == pytest.approx(1.0)
    nodes = {n["name"]: n for n in payload["network"]["nodes"]}
    assert {s["entity"] for s in steps} <= set(nodes)
    assert nodes[steps[-1]["entity"]]["backbone"] is True
    assert client.get("/api/backbone", params={"duplicates": "sometimes"}).status_code == 422


def test_polarisation_series_has_one_row_a_day_and_is_seeded(client):
    first = client.get("/api/polarisation-series", params={"seed": 3}).json()
    assert first == client.get("/api/polarisation-series", params={"seed": 3}).json()
    days = [w["middle"] for w in first["windows"]]
    assert days == sorted(days) and len(days) == len(set(days)) > 1
    assert all(0.0 <= w["polarisation"] <= 1.0 for w in first["windows"])
    assert client.get("/api/polarisation-series", params={"k": 1}).status_code == 422


@pytest.mark.browser
@pytest.mark.slow
def test_backbone_and_polarisation_pages_draw(open_page, server, artifacts):
    view = open_page(server.url)
    page = view.page
    base = server.url.rstrip("/")
    page.goto(base + "/backbone", wait_until="networkidle")
    page.wait_for_selector("[data-backbone][data-ready='true']", timeout=60_000)
    rows = page.locator("#backbone-steps tbody tr")
    assert rows.count() == int(page.get_attribute("[data-backbone]", "data-concepts"))
    assert "statements" in page.inner_text("#backbone-status")
    page.screenshot(path=str(artifacts / "backbone.png"), full_page=True)
    page.goto(base + "/polarisation-time", wait_until="networkidle")
    page.wait_for_selector("#polarisation-chart[data-ready='true']", timeout=60_000)
    points = int(page.get_attribute("#polarisation-chart", "data-points"))
    assert points > 1 and page.locator("#polarisation-table tbody tr").count() == points
    page.select_option("select[name=algorithm]", "genetic")
    page.click("#polarisation-filters button")
    page.wait_for_selector("#polarisation-status:has-text('genetic')", timeout=60_000)
    page.screenshot(path=str(artifacts / "polarisation-time.png"), full_page=True)
    assert view.errors == []
