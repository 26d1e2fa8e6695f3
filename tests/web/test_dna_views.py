"""The backbone and polarisation-over-time views: their API, and the pages in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


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


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed (make test-deps installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_backbone_and_polarisation_pages_draw(chromium, server, artifacts):
    context = chromium.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
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
    context.close()
    assert errors == []
