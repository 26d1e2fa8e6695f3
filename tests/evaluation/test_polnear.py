"""The PolNeAR reader and scorer on tiny brat files written here, and the report end to end."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.polnear import (
    Counts,
    GoldAttribution,
    PredictedAttribution,
    attributions_of,
    evaluate,
    jaccard,
    kind_of,
    main,
    match,
    predict_textacy,
    read_annotations,
    read_split,
    score_article,
    summarize,
)
from stancegraph.records import Quote, Span

TEXT = (
    "Mayor Anna Berg said the bridge will reopen in May.\n"
    "“We are ready,” she added. “The work is done.”\n"
    "The council was told that costs had doubled.\n"
)


def offsets(part: str, text: str = TEXT) -> str:
    start = text.index(part)
    return f"{start} {start + len(part)}"


def ann_file() -> str:
    """Three attributions: a plain one, a discontinuous direct quote, one without a source."""
    quote_one, quote_two = "“We are ready,”", "“The work is done.”"
    return "\n".join([
        f"T1\tSource {offsets('Mayor Anna Berg')}\tMayor Anna Berg",
        f"T2\tCue {offsets('said')}\tsaid",
        f"T3\tContent {offsets('the bridge will reopen in May')}\tthe bridge will reopen in May",
        f"T4\tAttribution {offsets('said')}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {offsets('she')}\tshe",
        f"T6\tCue {offsets('added')}\tadded",
        f"T7\tContent {offsets(quote_one)};{offsets(quote_two)}\t{quote_one} {quote_two}",
        f"T8\tAttribution {offsets('added')}\tadded",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        f"T9\tCue {offsets('was told')}\twas told",
        f"T10\tContent {offsets('that costs had doubled')}\tthat costs\nhad doubled",  # span text over two lines
        f"T11\tAttribution-no-source {offsets('was told')}\twas told",
        "E3\tAttribution-no-source:T11 Content:T10 Cue:T9",
        f"T12\tDiscuss {offsets('The council')}\tThe council",
        "#1\tAnnotatorNotes T12\tcheck this",
        "",
    ])


def ranges(part: str, text: str = TEXT) -> tuple[tuple[int, int], ...]:
    start = text.index(part)
    return ((start, start + len(part)),)


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """A split of two articles; the first has two annotators, the second annotator disagrees."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a-article.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "a-article_11aa.ann").write_text(ann_file(), encoding="utf-8")
    (tmp_path / "attributions" / "a-article_99zz.ann").write_text("", encoding="utf-8")
    other = "Officials said the road is closed.\n"
    (tmp_path / "text" / "b-article.txt").write_text(other, encoding="utf-8")
    (tmp_path / "attributions" / "b-article_22bb.ann").write_text(
        f"T1\tCue {offsets('said', other)}\tsaid\nT2\tContent {offsets('the road is closed', other)}\tx\n"
        f"T3\tAttribution {offsets('said', other)}\tsaid\nE1\tAttribution:T3 Content:T2 Cue:T1\n",
        encoding="utf-8",
    )
    return tmp_path


def test_read_annotations_spans_discontinuous_and_without_source() -> None:
    found = read_annotations(ann_file())
    assert len(found) == 3  # the Discuss span and the note are not attributions
    plain, quote, no_source = found
    assert plain.source == ranges("Mayor Anna Berg") and plain.cue == ranges("said")
    assert quote.content == ranges("“We are ready,”") + ranges("“The work is done.”")
    assert no_source.source == () and no_source.content == ranges("that costs had doubled")


def test_read_split_takes_the_first_annotator_and_the_limit(split: Path) -> None:
    articles = read_split(split)
    assert [(a.name, a.annotator, len(a.attributions)) for a in articles] == [
        ("a-article", "11aa", 3), ("b-article", "22bb", 1)]
    assert [a.name for a in read_split(split, limit=1)] == ["a-article"]


def test_read_split_refuses_a_folder_without_the_split_layout(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as error:
        read_split(tmp_path)
    assert error.value.code == "E505"


def test_jaccard_counts_characters_of_all_pieces() -> None:
    assert jaccard([(0, 10)], [(0, 10)]) == 1.0
    assert jaccard([(0, 10)], [(10, 20)]) == 0.0
    assert jaccard([(0, 10)], [(5, 15)]) == pytest.approx(5 / 15)
    assert jaccard([(0, 4), (6, 10)], [(0, 10)]) == pytest.approx(8 / 10)
    assert jaccard([], []) == 0.0


def test_match_is_one_to_one_from_the_best_pair() -> None:
    gold = [((0, 10),), ((20, 30),)]
    predicted = [((0, 9),), ((0, 10),), ((25, 40),)]
    assert match(gold, predicted) == [(0, 1)]  # (25, 40) has Jaccard 1/3 with (20, 30)
    assert match(gold, predicted, threshold=None) == [(0, 1), (1, 2)]


def test_score_article_speaker_accuracy_over_matched_quotes_with_a_source() -> None:
    gold = [
        GoldAttribution(content=((0, 10),), cue=(), source=((50, 55),)),
        GoldAttribution(content=((20, 30),), cue=(), source=((60, 65),)),
        GoldAttribution(content=((40, 45),), cue=(), source=()),
        GoldAttribution(content=((70, 80),), cue=(), source=((90, 95),)),
    ]
    predicted = [
        PredictedAttribution(((0, 10),), (52, 53)),  # right speaker
        PredictedAttribution(((20, 29),), (66, 70)),  # wrong speaker
        PredictedAttribution(((40, 45),), None),  # no gold source: not counted
        PredictedAttribution(((70, 80),), None),  # no speaker: wrong
        PredictedAttribution(((100, 110),), (90, 95)),  # matches nothing
    ]
    counts = score_article(gold, predicted)
    assert counts == Counts(articles=1, gold=4, predicted=5, matched=4, matched_overlap=4,
                            speaker_total=3, speaker_correct=1)
    scores = summarize(counts)
    assert scores.precision == pytest.approx(4 / 5) and scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * 0.8 / 1.8)
    assert scores.speaker_accuracy == pytest.approx(1 / 3)


def test_summarize_without_predictions_is_zero_not_an_error() -> None:
    scores = summarize(Counts(articles=1, gold=3))
    assert (scores.precision, scores.recall, scores.f1, scores.speaker_accuracy) == (0.0, 0.0, 0.0, 0.0)


def test_quotes_sharing_a_cue_are_one_attribution() -> None:
    text = "“A b,” he said. “C d.” Then “E f,” she said."
    said, she_said = text.index("said"), text.rindex("said")

    def quote(part: str, cue_at: int, speaker: str) -> Quote:
        start = text.index(part)
        return Quote("direct", Span.of(text, start, start + len(part)), Span.of(text, cue_at, cue_at + 4),
                     Span.of(text, text.index(speaker), text.index(speaker) + len(speaker)), None, 0.9)

    found = attributions_of([quote("A b", said, "he"), quote("C d.", said, "he"), quote("E f", she_said, "she")])
    assert [a.content for a in found] == [
        ((text.index("A b"), text.index("A b") + 3), (text.index("C d."), text.index("C d.") + 4)),
        ((text.index("E f"), text.index("E f") + 3),),
    ]
    assert found[0].speaker == (text.index("he"), text.index("he") + 2)


def test_main_scores_the_real_pipeline_as_a_table_and_as_json(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(split, limit=0, format="json")
    report = json.loads(capsys.readouterr().out)
    assert report["system"] == "stancegraph"
    assert report["counts"]["articles"] == 2 and report["counts"]["gold"] == 4
    assert report["counts"]["matched"] >= 3  # the reported clause and the two quoted sentences at least
    assert report["speaker_accuracy"] == 1.0
    main(split, limit=1, format="table")
    table = capsys.readouterr().out
    assert "1 articles, 3 gold" in table and "Jaccard >= 0.5" in table and "speaker accuracy" in table


@pytest.mark.parametrize(("options", "code"), [
    ({"format": "xml"}, "E507"),
    ({"format": "table", "system": "x"}, "E511"),
    ({"format": "table", "taggers": ("bert",)}, "E552"),
])
def test_main_refuses_unknown_options(split: Path, options: dict[str, str], code: str) -> None:
    with pytest.raises(ModelError) as error:
        main(split, limit=0, **options)
    assert error.value.code == code


def test_textacy_missing_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)
    with pytest.raises(ModelError) as error:
        list(predict_textacy(["“Yes,” he said."]))
    assert error.value.code == "E510"


def test_textacy_refusing_an_article_is_retried_paragraph_by_paragraph(
        split: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """textacy bails out on an odd number of quote marks; the other paragraphs still count."""

    def direct_quotations(doc):  # a stand-in with textacy's contract
        marks = [token for token in doc if token.is_quote]
        if len(marks) % 2:
            raise ValueError("unclosed quotation")
        for opening, closing in zip(marks[::2], marks[1::2]):
            yield types.SimpleNamespace(speaker=[doc[closing.i + 1]], content=doc[opening.i:closing.i + 1])

    fake = types.ModuleType("textacy.extract.triples")
    fake.direct_quotations = direct_quotations
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", fake)
    text = "He said “no.\n“Yes,” she said.\n"
    [found] = list(predict_textacy([text]))
    assert found == [PredictedAttribution(((text.index("“Yes"), text.index(" she")),),
                                          (text.index("she"), text.index("she") + 3))]
    assert evaluate(split, system="textacy").counts.articles == 2


@pytest.mark.slow
def test_dev_subset_scores_stay_above_the_targets() -> None:
    """The first 20 PolNeAR dev articles, read from ../shared/data (never copied here)."""
    dev = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear" / "data" / "dev"
    scores = evaluate(dev, limit=20)
    assert scores.counts.articles == 20
    assert scores.f1 >= 0.6
    assert scores.speaker_accuracy >= 0.88


def test_the_eval_polnear_command_passes_its_options(split: Path) -> None:
    from typer.testing import CliRunner

    from stancegraph.cli.main import app

    result = CliRunner().invoke(app, ["eval", "polnear", str(split), "--limit", "1", "--format", "json",
                                      "--system", "stancegraph"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["system"] == "stancegraph" and report["counts"]["articles"] == 1
    result = CliRunner().invoke(app, ["eval", "polnear", str(split), "--format", "json", "--tagger", "crf"])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.output)["taggers"]) == ["crf"]


def test_kind_of_reads_the_share_inside_marks_over_all_pieces() -> None:
    from stancegraph.extract.quotemarks import quoted_passages

    text = "“We are ready,” she added, “and the work is done.” He said they “tried” hard."
    regions = quoted_passages(text)
    pieces = (ranges("“We are ready,”", text)[0], ranges("“and the work is done.”", text)[0])
    assert kind_of(text, pieces, regions) == "direct"
    assert kind_of(text, ranges("they “tried” hard", text), regions) == "partial"
    assert kind_of(text, ranges("she added", text), regions) == "indirect"


def test_main_reports_both_taggers_and_each_kind(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(split, limit=0, format="json")
    report = json.loads(capsys.readouterr().out)
    assert report["tagger"] == "transformer" and set(report["taggers"]) == {"transformer", "crf"}
    for scores in report["taggers"].values():
        kinds = scores["kinds"]
        assert set(kinds) == {"direct", "partial", "indirect"}
        # the gold: one direct quote in two pieces, three reported clauses
        assert (kinds["direct"]["counts"]["gold"], kinds["indirect"]["counts"]["gold"]) == (1, 3)
        assert sum(k["counts"]["gold"] for k in kinds.values()) == scores["counts"]["gold"]
    main(split, limit=0, format="table", taggers=("crf",))
    table = capsys.readouterr().out
    assert "crf" in table and "transformer" not in table and "indirect" in table
