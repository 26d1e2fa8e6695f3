"""The web, feeds, networks and dataframes extras: the core install (``requirements/runtime.txt``)
lacks their packages, and each feature that needs one stops with E130 naming the extra to install
(the packages are hidden here as if not installed; tests/test_install.py checks a real core venv)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancegraph.errors import MissingExtraError
from stancegraph.records import ArticleAnalysis
from stancegraph.sources import ReadOptions
from stancegraph.sources.feeds import html_to_text, read_feed_file
from stancegraph.store import open_store, write_analyses
from stancegraph.store.corpus import Corpus

FEED = """<rss version="2.0"><channel><title>Daily</title><item><title>Talks</title>
<link>https://daily.example/talks</link><description>Merkel spoke with Macron.</description></item></channel></rss>"""


def hide(monkeypatch: pytest.MonkeyPatch, *packages: str) -> None:
    """Make ``import package`` (and its submodules) fail as if the package were not installed."""
    for name in [m for m in sys.modules if m.split(".")[0] in packages] + list(packages):
        monkeypatch.setitem(sys.modules, name, None)


def test_a_feed_without_feedparser_names_the_feeds_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = tmp_path / "daily.rss"
    feed.write_text(FEED, encoding="utf-8")
    [(_, article)] = read_feed_file(feed, "daily", ReadOptions())
    assert article.text == "Merkel spoke with Macron."
    hide(monkeypatch, "feedparser")
    with pytest.raises(MissingExtraError, match=r"\[E130\] reading an RSS or Atom feed needs the package "
                                                r"'feedparser'.*pip install 'stancegraph\[feeds\]'"):
        list(read_feed_file(feed, "daily", ReadOptions()))


def test_analyze_of_a_feed_without_feedparser_says_which_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stancegraph.cli.main import app

    feed = tmp_path / "daily.rss"
    feed.write_text(FEED, encoding="utf-8")
    hide(monkeypatch, "feedparser")
    result = CliRunner().invoke(app, ["analyze", str(feed)])
    assert result.exit_code == 1 and not isinstance(result.exception, MissingExtraError)  # a message, no traceback
    assert "error: [E130] reading an RSS or Atom feed needs the package 'feedparser'" in result.output
    assert "pip install 'stancegraph[feeds]'" in result.output


def test_feed_html_without_lxml_names_the_feeds_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    assert html_to_text("<p>Merkel spoke.</p><p>Macron listened.</p>") == "Merkel spoke.\nMacron listened."
    hide(monkeypatch, "lxml")
    assert html_to_text("Merkel &amp; Macron") == "Merkel & Macron"  # no markup: no lxml needed
    with pytest.raises(MissingExtraError, match=r"needs the package 'lxml'.*stancegraph\[feeds\]"):
        html_to_text("<p>Merkel spoke.</p>")


def test_corpus_dataframes_without_pandas_name_the_dataframes_extra(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "corpus.duckdb"
    con = open_store(path)
    write_analyses(con, [ArticleAnalysis("a1", "Talks", "2024-03-01", "Daily", "Macron spoke.")])
    con.close()
    hide(monkeypatch, "pandas")
    with Corpus(path) as corpus:
        assert len(corpus) == 1 and corpus.analysis("a1").title == "Talks"  # no DataFrame: no pandas
        for read in (lambda: corpus.articles, lambda: corpus.query("SELECT id FROM articles")):
            with pytest.raises(MissingExtraError, match=r"\[E130\] a stancegraph.Corpus DataFrame needs the package 'pandas'.*"
                                                        r"pip install 'stancegraph\[dataframes\]'"):
                read()


def test_serve_without_fastapi_names_the_web_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stancegraph.cli.main import app

    hide(monkeypatch, "fastapi")
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "corpus.duckdb")])
    assert result.exit_code == 1
    assert "[E130] stancegraph serve needs the package 'fastapi'" in result.output
    assert "pip install 'stancegraph[web]'" in result.output


@pytest.mark.parametrize("package", ["pandas", "networkx"])
def test_networks_without_pandas_or_networkx_name_the_networks_extra(package: str) -> None:
    script = (f"import sys; sys.modules[{package!r}] = None\n"
              "from stancegraph.errors import MissingExtraError\n"
              "try:\n"
              "    from stancegraph.networks import build_network\n"
              "except MissingExtraError as error:\n"
              "    print(error)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.startswith(f"[E130] discourse networks and concepts (stancegraph.networks) needs the "
                                  f"package '{package}'")
    assert "pip install 'stancegraph[networks]'" in done.stdout
