"""Uploading files from the articles page in headless Chromium: progress from the server, an error per bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from webserver import build_store, start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GOOD = "Harbour plan\n\nEva Falk said on Tuesday that the harbour plan is a good idea."
RECORDS = [{"id": "page-1", "title": "Tolls", "text": "Carl Dorn said the road tolls must go."},
           {"id": "page-2", "title": "Wind", "text": "Anna Berg said the wind farms will help."}]


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory) -> Iterator:
    folder = tmp_path_factory.mktemp("web-upload-page")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def test_upload_from_the_page_shows_progress_and_errors(open_page, upload_server, artifacts, tmp_path):
    (tmp_path / "harbour.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    page = open_page(upload_server.url, (1280, 900))
    page.open("/articles")
    page.page.evaluate("""() => { window.progressSeen = [];
        new MutationObserver(() => { const bar = document.querySelector('#upload-progress');
            if (bar.hasAttribute('value')) window.progressSeen.push([bar.value, bar.max]); })
          .observe(document.querySelector('#upload-state'), {attributes: true, subtree: true, childList: true}); }""")
    page.page.set_input_files("#upload-files", [str(tmp_path / n) for n in ("harbour.txt", "wire.jsonl", "photo.txt")])
    page.page.click("#upload-form button")
    page.page.wait_for_selector("#upload-state[data-status=done]", timeout=600000)
    assert page.page.get_attribute("#upload-progress", "value") == "4"
    assert page.page.evaluate("() => document.querySelector('#upload-progress').max") == 4
    seen = page.page.evaluate("() => window.progressSeen")
    assert seen and [v for v, _ in seen] == sorted(v for v, _ in seen)  # the bar only moves forward
    assert "4 of 4 articles analysed · 3 stored · 1 failed" in page.page.inner_text("#upload-status")
    failed = page.page.inner_text("#upload-inputs li[data-status=failed]")
    assert "photo.txt" in failed and "E102" in failed
    stored = page.page.eval_on_selector_all("#upload-inputs li[data-status=stored] a",
                                            "links => links.map(a => a.getAttribute('href'))")
    assert sorted(stored) == ["/articles/harbour", "/articles/page-1", "/articles/page-2"]
    page.page.screenshot(path=str(artifacts / "upload.png"), full_page=True)
    page.page.click("#upload-inputs li[data-status=stored] a >> nth=0")
    page.page.wait_for_selector("#article-title")
    assert page.page.inner_text("#article-title") == "Harbour plan"
    page.assert_clean()
