"""Reviewing from the article page in Chromium: an actor mention given another actor (keyboard)
or accepted (click), and an undated article's date set through its form, also with a token
server where the page's write needs the cookie and the CSRF token."""

from __future__ import annotations

import pytest
from browsing import Watched
from webserver import TOKEN, build_store, start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("article-review")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def _mentions(http, article: str) -> dict[str, set[tuple[int, int]]]:
    """Each actor of the article with the offsets of its mentions, as the API gives them."""
    payload = http.get(f"/api/articles/{article}").json()
    return {a["id"]: {(m["start"], m["end"]) for m in a["mentions"]} for a in payload["actors"]}


def test_edit_a_mentions_actor_with_the_keyboard(open_page, served):
    view = open_page(served.url)
    view.open("/articles/a1")
    with served.client() as http:
        before = _mentions(http, "a1")
    dorn = next(iter(before["carl-dorn"]))
    piece = view.page.locator(f'#article-text span[data-mention="{dorn[0]}-{dorn[1]}"]')
    assert piece.inner_text() == "Carl Dorn" and piece.get_attribute("tabindex") == "0"
    piece.focus()
    view.page.keyboard.press("e")
    form = view.page.locator("#article-text .mention-review form.review-edit")
    assert "names Carl Dorn" in view.page.inner_text("#article-text .mention-review")
    assert form.locator("input").evaluate("node => node === document.activeElement")
    form.locator("input").fill("eva-falk")
    with view.page.expect_navigation():
        form.locator("input").press("Enter")
    view.page.wait_for_load_state("networkidle")
    with served.client() as http:
        after = _mentions(http, "a1")
        assert dorn in after["eva-falk"] and dorn not in after.get("carl-dorn", set())
        review = http.get("/api/reviews", params={"target": "mention"}).json()["reviews"][0]
        assert review["verdict"] == "edit" and review["changes"] == {"actor": "eva-falk"}
    # the reloaded page shows the mention as Falk's
    shown = view.page.locator(f'#article-text span[data-mention="{dorn[0]}-{dorn[1]}"]')
    assert "Eva Falk" in shown.get_attribute("title")
    view.assert_clean()


def test_accept_a_mention_with_a_click(open_page, served):
    view = open_page(served.url)
    view.open("/articles/a3")
    with served.client() as http:
        berg = next(iter(_mentions(http, "a3")["anna-berg"]))
    view.page.locator(f'#article-text span[data-mention="{berg[0]}-{berg[1]}"]').click()
    panel = view.page.locator("#article-text .mention-review")
    assert panel.locator("button.reject").count() == 0
    with view.page.expect_navigation():
        panel.locator("button.accept").click()
    with served.client() as http:
        reviews = http.get("/api/reviews", params={"target": "mention"}).json()["reviews"]
        assert [(r["item"], r["verdict"]) for r in reviews if r["article_id"] == "a3"] == [(f"a3@{berg[0]}-{berg[1]}", "accept")]
        assert _mentions(http, "a3")["anna-berg"] == {berg}
    view.assert_clean()


def _set_date(view: Watched, value: str) -> str:
    view.page.fill("#date-form input[name=date]", value)
    view.page.click("#date-form button[type=submit]")
    view.page.wait_for_function("() => !/saving/.test(document.querySelector('#date-status').textContent) "
                                "&& document.querySelector('#date-status').textContent !== ''")
    return view.page.inner_text("#date-status")


def test_set_an_undated_articles_date(open_page, served):
    view = open_page(served.url)
    view.open("/articles/plain")
    assert view.page.inner_text("#article-date") == "undated"
    assert _set_date(view, "2024-05-06") == "saved: 2024-05-06"
    assert view.page.inner_text("#article-date") == "2024-05-06"
    with served.client() as http:
        assert http.get("/api/articles/plain").json()["date"] == "2024-05-06"
    view.assert_clean()
    # a date the server refuses: its error code is shown, the stored date stays
    status = _set_date(view, "1500-01-01")
    assert status.startswith("[E") and "1678" in status
    view.errors.clear()  # the refused PATCH's 422, expected
    view.open("/articles/plain")
    assert view.page.input_value("#date-form input[name=date]") == "2024-05-06"
    assert _set_date(view, "") == "saved: undated"  # emptied: the article is undated again
    with served.client() as http:
        assert http.get("/api/articles/plain").json()["date"] is None
    view.assert_clean()


def test_the_date_form_writes_with_a_cookie_and_the_csrf_token(open_page, tmp_path):
    server = start_server(build_store(tmp_path / "corpus.duckdb"), tmp_path / "server.log", "--no-embeddings",
                          token=TOKEN)
    try:
        view = open_page(server.url)
        view.open(f"/login?token={TOKEN}")
        view.open("/articles/plain")
        assert _set_date(view, "2023-11-30") == "saved: 2023-11-30"
        with server.client() as http:
            assert http.get("/api/articles/plain").json()["date"] == "2023-11-30"
        view.assert_clean()
        # the same write with only the cookie is refused
        status = view.page.evaluate("""() => fetch('/api/articles/plain', {method: 'PATCH', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify({date: null})}).then(r => r.status)""")
        assert status == 401
        with server.client() as http:
            assert http.get("/api/articles/plain").json()["date"] == "2023-11-30"
    finally:
        server.stop()
