"""Headless Chromium for the page tests: Debian's browser, and a page that records what would betray
injected script or a broken page."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def launch(playwright):
    """Debian's Chromium, headless, started by Playwright."""
    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed (make test-deps installs it)"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


class Watched:
    """A page with everything that would betray injected script or a broken page recorded."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base.rstrip("/")
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.errors == [], self.errors
        injected = self.page.evaluate("""() => [...document.querySelectorAll('*')].filter(e =>
            [...e.attributes].some(a => a.name.startsWith('on')) || (e.tagName === 'IMG' && e.getAttribute('src') === 'x')
            || e.tagName === 'svg' && e.closest('main') || (e.tagName === 'SCRIPT' && !e.src)).map(e => e.outerHTML)""")
        assert injected == []

