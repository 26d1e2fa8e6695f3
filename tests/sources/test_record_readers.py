"""JSON lines, CSV, HTML and feed readers on hand-written files, good and malformed."""

from __future__ import annotations

import pytest

from stancegraph.errors import InputError
from stancegraph.records import Article
from stancegraph.sources import FieldMap, ReadOptions, read_records
from stancegraph.sources.dates import iso_date
from stancegraph.sources.feeds import html_to_text, read_feed_file
from stancegraph.sources.html import read_html_file
from stancegraph.sources.tabular import read_csv_file, read_json_file

BODY = "The finance minister said on Monday that the budget would not change, despite pressure. "


def outcomes(records):
    """(input name without its folder, article id or error code) for each record."""
    return [(name.rsplit("/", 1)[-1], item.id if isinstance(item, Article) else item.code) for name, item in records]


# --- dates ---


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-01", "2024-03-01"),
    ("2024-03-01T23:30:00-05:00", "2024-03-01"),
    ("2024-03-01T10:00:00Z", "2024-03-01"),
    ("Fri, 01 Mar 2024 09:30:00 GMT", "2024-03-01"),
    ("1 March 2024", "2024-03-01"),
    ("March 1, 2024", "2024-03-01"),
    ("March 1st, 2024", "2024-03-01"),
    ("01.03.2024", "2024-01-03"),
    ("Tuesday, 5 March 2024 23:30 EST", "2024-03-05"),
    ("5 September 2024 – 10:32 BST", "2024-09-05"),
    ("", None),
    (None, None),
])
def test_dates_are_normalised_to_iso(value, expected):
    assert iso_date(value, input="x") == expected


@pytest.mark.parametrize("value", ["2024-13-45", "soon", "March 2024", "2024", "12", "yesterday", "1 Marc 2024"])
def test_a_value_that_is_not_a_full_date_is_e113(value):
    with pytest.raises(InputError) as err:
        iso_date(value, input="a.csv:3")
    assert err.value.code == "E113" and str(err.value).startswith("a.csv:3: [E113]")


# --- JSON lines ---


def test_jsonl_records_become_articles_and_bad_lines_name_their_line(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(
        '{"text": "Merkel spoke.", "id": "m1", "title": "Talks", "date": "2 March 2024", "source": "Daily",'
        ' "url": "https://d.example/1"}\n'
        "\n"
        '{"text": "Macron spoke.", "id": 7}\n'
        '{"text": "broken\n'
        '{"title": "no text here"}\n'
        '["not", "an", "object"]\n'
        '{"text": "Scholz spoke.", "date": "someday"}\n'
        '{"text": "Sunak spoke."}\n',
        encoding="utf-8",
    )
    records = list(read_json_file(path, "news", ReadOptions()))
    assert outcomes(records) == [
        ("news.jsonl:1", "m1"), ("news.jsonl:3", "7"), ("news.jsonl:4", "E105"), ("news.jsonl:5", "E106"),
        ("news.jsonl:6", "E105"), ("news.jsonl:7", "E113"), ("news.jsonl:8", None),
    ]
    first = records[0][1]
    assert (first.title, first.date, first.source, first.url) == ("Talks", "2024-03-02", "Daily", "https://d.example/1")
    assert "line 4" in str(records[2][1]) and str(records[2][1]).startswith(f"{path}:4: [E105]")


def test_jsonl_fields_can_be_mapped(tmp_path):
    path = tmp_path / "mapped.json"
    path.write_text('{"body": "Merkel spoke.", "headline": "Talks", "published": "2024-03-01"}\n', encoding="utf-8")
    fields = FieldMap(text="body", title="headline", date="published")
    ((_, article),) = read_json_file(path, "mapped", ReadOptions(fields=fields))
    assert (article.text, article.title, article.date) == ("Merkel spoke.", "Talks", "2024-03-01")
    ((_, error),) = read_json_file(path, "mapped", ReadOptions())
    assert error.code == "E106" and "'text'" in str(error)


def test_invalid_utf8_in_one_line_does_not_stop_the_file(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "Merkel spoke.", "id": "ok"}\n')
    assert outcomes(read_json_file(path, "mixed", ReadOptions())) == [("mixed.jsonl:1", "E103"), ("mixed.jsonl:2", "ok")]


# --- CSV ---


def test_csv_rows_become_articles_and_bad_rows_name_their_line(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        "id,title,body,date\n"
        'a1,Talks,"Merkel spoke.\nThen she left.",2024-03-01\n'
        "a2,Empty,,2024-03-02\n"
        "a3,Too many,Macron spoke.,2024-03-03,extra\n"
        "a4,Bad date,Scholz spoke.,the day after\n"
        "a5,Fine,Sunak spoke.,03/04/2024\n",
        encoding="utf-8",
    )
    records = list(read_csv_file(path, "news", ReadOptions(fields=FieldMap(text="body"))))
    assert outcomes(records) == [("news.csv:2", "a1"), ("news.csv:4", "E106"), ("news.csv:5", "E107"),
                                 ("news.csv:6", "E113"), ("news.csv:7", "a5")]
    assert records[0][1].text == "Merkel spoke.\nThen she left."
    assert records[0][1].date == "2024-03-01"
    assert "line 4" in str(records[1][1])


def test_csv_without_the_text_column_is_one_clear_error(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("id,content\n1,Merkel spoke.\n", encoding="utf-8")
    ((_name, error),) = read_csv_file(path, "wrong", ReadOptions())
    assert error.code == "E107" and "no 'text' column (columns: id, content)" in str(error)


def test_csv_with_an_unterminated_quote_names_the_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('text\n"Merkel spoke.\n', encoding="utf-8")
    records = list(read_csv_file(path, "quote", ReadOptions()))
    assert [item.code for _, item in records if isinstance(item, InputError)] == ["E107"]


# --- HTML ---


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><nav>Home | World | Sport</nav>{body}<footer>(c) Daily</footer></body></html>"


def test_html_gives_main_text_title_date_source_and_url(tmp_path):
    head = ('<title>Budget row deepens | The Daily</title><meta property="og:site_name" content="The Daily">'
            '<meta property="og:url" content="https://daily.example/budget">'
            '<meta property="article:published_time" content="2024-03-01T08:00:00Z">')
    body = f"<article><h1>Budget row deepens</h1><p>{BODY * 3}</p><p>Opposition leaders called it reckless.</p></article>"
    path = tmp_path / "world" / "budget.html"
    path.parent.mkdir()
    path.write_text(page(body, head), encoding="utf-8")
    ((_, article),) = read_html_file(path, "world/budget", ReadOptions())
    assert article.id == "world/budget"
    assert article.title == "Budget row deepens"
    assert article.date == "2024-03-01"
    assert article.source == "The Daily"
    assert article.url == "https://daily.example/budget"
    assert "The finance minister said on Monday" in article.text and "Opposition leaders" in article.text
    assert "Home | World" not in article.text and "(c) Daily" not in article.text


def test_html_declared_in_another_encoding_is_decoded(tmp_path):
    path = tmp_path / "latin.htm"
    html = page(f"<p>{BODY * 3} Caf\u00e9 owners agreed.</p>", '<meta charset="iso-8859-1"><title>Caf\u00e9</title>')
    path.write_bytes(html.encode("iso-8859-1"))
    ((_, article),) = read_html_file(path, "latin", ReadOptions())
    assert "Caf\u00e9 owners agreed." in article.text


@pytest.mark.parametrize(("data", "code"), [
    (b"<html><head><title>Nothing</title></head><body></body></html>", "E108"),
    (b"<html>\x00\x01\x02 binary</html>", "E102"),
    (b"", "E108"),
])
def test_html_without_main_text_is_an_error(tmp_path, data, code):
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    ((name, error),) = read_html_file(path, "bad", ReadOptions())
    assert isinstance(error, InputError) and error.code == code and name == str(path)


# --- feeds ---

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Daily Politics</title><link>https://daily.example</link>
<item><title>Talks</title><link>https://daily.example/talks</link><guid>g1</guid>
<pubDate>Fri, 01 Mar 2024 09:30:00 GMT</pubDate>
<description>&lt;p&gt;Merkel spoke.&lt;/p&gt;&lt;p&gt;Macron &amp;amp; Scholz listened.&lt;/p&gt;</description></item>
<item><title>Only a guid</title><guid isPermaLink="false">urn:daily:2</guid><description>Sunak spoke.</description></item>
<item><title>Nothing to read</title><link>https://daily.example/empty</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title>
<entry><title>Vote</title><id>urn:atom:1</id><link href="https://atom.example/vote"/>
<updated>2024-03-02T10:00:00Z</updated><summary>Short summary.</summary>
<content type="html">&lt;p&gt;The full story of the vote.&lt;/p&gt;</content></entry>
</feed>
"""


def test_rss_items_become_articles(tmp_path):
    path = tmp_path / "politics.rss"
    path.write_text(RSS, encoding="utf-8")
    records = list(read_feed_file(path, "politics", ReadOptions()))
    assert outcomes(records) == [("politics.rss#1", "https://daily.example/talks"), ("politics.rss#2", "urn:daily:2"),
                                 ("politics.rss#3", "E115")]
    first = records[0][1]
    assert first.text == "Merkel spoke.\nMacron & Scholz listened."
    assert (first.title, first.date, first.source, first.url) == ("Talks", "2024-03-01", "Daily Politics",
                                                                   "https://daily.example/talks")


def test_atom_entries_prefer_full_content_to_the_summary(tmp_path):
    path = tmp_path / "daily.atom"
    path.write_text(ATOM, encoding="utf-8")
    ((_, article),) = read_feed_file(path, "daily", ReadOptions())
    assert article.text == "The full story of the vote."
    assert (article.id, article.date, article.source) == ("https://atom.example/vote", "2024-03-02", "Atom Daily")


def test_a_broken_feed_names_the_line_and_keeps_what_it_can(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text('<rss version="2.0"><channel><title>T</title>\n<item><title>A</title>'
                    "<description>Merkel spoke.</description></item>\n<item><title>B</channel></rss>",
                    encoding="utf-8")
    records = list(read_feed_file(path, "broken", ReadOptions()))
    errors = [item for _, item in records if isinstance(item, InputError)]
    assert errors and errors[0].code == "E109" and ":3" in errors[0].input
    assert any(isinstance(item, Article) and item.text == "Merkel spoke." for _, item in records)


def test_a_file_that_is_not_a_feed_is_e109(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("just some words", encoding="utf-8")
    ((_, error),) = read_feed_file(path, "notes", ReadOptions())
    assert error.code == "E109"


def test_html_fragments_become_lines_of_text():
    assert html_to_text("<p>One <b>two</b></p><p>Three<br>four</p>") == "One two\nThree\nfour"


# --- walking inputs ---


def test_ids_are_paths_relative_to_the_directory_given(tmp_path):
    for section in ("politics", "business"):
        (tmp_path / "bbc" / section).mkdir(parents=True)
        (tmp_path / "bbc" / section / "001.txt").write_text(f"{section.title()} news\n\nMerkel spoke.", encoding="utf-8")
    ids = [item.id for _, item in read_records([str(tmp_path / "bbc")])]
    assert ids == ["business/001", "politics/001"]
    assert [item.id for _, item in read_records([str(tmp_path / "bbc" / "politics")])] == ["001"]
    assert [item.id for _, item in read_records([str(tmp_path / "bbc" / "*" / "*.txt")])] == ["business/001",
                                                                                            "politics/001"]


def test_every_reader_is_reached_through_read_records(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "Merkel spoke.", "id": "j1"}\n', encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,text\nc1,Macron spoke.\n", encoding="utf-8")
    (tmp_path / "c.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "d.html").write_text(page(f"<p>{BODY * 3}</p>"), encoding="utf-8")
    ids = [item.id if isinstance(item, Article) else item.code for _, item in read_records([str(tmp_path)])]
    assert ids == ["j1", "c1", "https://daily.example/talks", "urn:daily:2", "E115", "d"]
