"""Small hand-built articles for the web tests (their own text; nothing is parsed to build them)."""

from __future__ import annotations

from stancegraph.records import Actor, ArticleAnalysis, Flag, Quote, Relation, Span, Stance

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_SOURCE = '<script>alert("source")</script>'
XSS_ACTOR = "Mallory <svg onload=alert(5)>"
XSS_TEXT = ('Mallory <b onmouseover="alert(3)">Trent</b> said <script>alert(2)</script> the carbon tax is '
            '<img src=x onerror=alert(4)> wrong.')


def _article(article_id, title, date, source, text, actors=(), quotes=(), stances=(), relations=(), flags=()):
    """An analysis whose spans are found in ``text`` by their words (``"words"`` or ``("words", nth)``)."""

    def span(part):
        words, nth = (part, 0) if isinstance(part, str) else part
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return Span(start, start + len(words), words)

    return ArticleAnalysis(
        id=article_id, title=title, date=date, source=source, text=text,
        actors=[Actor(local, name, kind, aliases=[], mentions=[span(m) for m in mentions])
                for local, name, kind, mentions in actors],
        quotes=[Quote(kind, span(content), span(cue) if cue else None, span(speaker) if speaker else None, actor, 0.9)
                for content, cue, speaker, actor, kind in quotes],
        stances=[Stance(actor, target, target_kind, polarity, span(evidence), 0.8)
                 for actor, target, target_kind, polarity, evidence in stances],
        relations=[Relation(*r) for r in relations],
        flags=[Flag(kind, actor, message, [span(e) for e in evidence]) for kind, actor, message, evidence in flags],
    )


def corpus() -> list[ArticleAnalysis]:
    """Five articles: Berg and Dorn back a carbon tax that Falk opposes; one article is an XSS attempt."""
    tax_day = ("Anna Berg said the carbon tax is fair. Carl Dorn said the carbon tax will help. "
               "Eva Falk said the carbon tax is a mistake.")
    attack = ("Falk attacks Berg\n\nEva Falk criticised Anna Berg on Tuesday. \"Berg has no plan,\" Falk said. "
              "Carl Dorn said again that the carbon tax will work. Falk said the carbon tax is needed, then said it is not.")
    turn = "Anna Berg said the carbon tax must stay. Carl Dorn said the carbon tax should go."
    return [
        _article(
            "a1", "Berg and Dorn back the carbon tax", "2024-01-10", "Daily Test", tax_day,
            actors=[("berg", "Anna Berg", "person", ["Anna Berg"]), ("dorn", "Carl Dorn", "person", ["Carl Dorn"]),
                    ("falk", "Eva Falk", "person", ["Eva Falk"])],
            quotes=[("the carbon tax is fair", "said", "Anna Berg", "berg", "indirect"),
                    ("the carbon tax will help", ("said", 1), "Carl Dorn", "dorn", "indirect"),
                    ("the carbon tax is a mistake", ("said", 2), "Eva Falk", "falk", "indirect")],
            stances=[("berg", "carbon tax", "issue", 1, "Anna Berg said the carbon tax is fair"),
                     ("dorn", "carbon tax", "issue", 1, "Carl Dorn said the carbon tax will help"),
                     ("falk", "carbon tax", "issue", -1, "Eva Falk said the carbon tax is a mistake")],
            relations=[("berg", "dorn", "agree", "carbon tax"), ("berg", "falk", "conflict", "carbon tax")],
        ),
        _article(
            "politics/a2", "Falk attacks Berg", "2024-02-20", "Evening Test", attack,
            actors=[("falk", "Eva Falk", "person", ["Eva Falk", ("Falk", 1), ("Falk", 2), ("Falk", 3)]),
                    ("berg", "Anna Berg", "person", ["Anna Berg", ("Berg", 1), ("Berg", 2)]),
                    ("dorn", "Carl Dorn", "person", ["Carl Dorn"])],
            quotes=[("Berg has no plan,", "said", ("Falk", 2), "falk", "direct"),
                    ("the carbon tax will work", ("said", 1), "Carl Dorn", "dorn", "indirect")],
            stances=[("falk", "berg", "actor", -1, "Eva Falk criticised Anna Berg"),
                     ("dorn", "carbon tax", "issue", 1, "Carl Dorn said again that the carbon tax will work")],
            flags=[("contradiction", "falk", "Falk says the carbon tax is needed and that it is not.",
                    ["the carbon tax is needed", "said it is not"])],
        ),
        _article(
            "a3", "Berg holds, Dorn turns", "2024-03-15", "Daily Test", turn,
            actors=[("berg", "Anna Berg", "person", ["Anna Berg"]), ("dorn", "Carl Dorn", "person", ["Carl Dorn"])],
            quotes=[("the carbon tax must stay", "said", "Anna Berg", "berg", "indirect"),
                    ("the carbon tax should go", ("said", 1), "Carl Dorn", "dorn", "indirect")],
            stances=[("berg", "carbon tax", "issue", 1, "Anna Berg said the carbon tax must stay"),
                     ("dorn", "carbon tax", "issue", -1, "Carl Dorn said the carbon tax should go")],
        ),
        _article(
            "xss", XSS_TITLE, "2024-03-01", XSS_SOURCE, XSS_TEXT,
            actors=[("mallory", XSS_ACTOR, "person", ["Mallory"])],
            quotes=[("<script>alert(2)</script> the carbon tax is <img src=x onerror=alert(4)> wrong", "said",
                     "Mallory", "mallory", "indirect")],
            stances=[("mallory", "carbon tax", "issue", -1, XSS_TEXT[:-1])],
            flags=[("contradiction", "mallory", "<b>bold</b> claim <script>alert(6)</script>", ["<script>alert(2)</script>"])],
        ),
        _article("plain", None, None, None, "A short note without anyone in it."),
    ]
