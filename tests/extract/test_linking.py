"""The linking of tagged runs into attributions (:func:`stancegraph.extract.attribution.link`),
on hand-written text with hand-set labels, so that each rule is tested apart from any model."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from stancegraph.extract.attribution import link


def labelled(doc: Doc, **roles: str) -> list[str]:
    """BIO labels with each role (``Source``, ``Cue``, ``Content``) on the tokens of the first
    occurrence of its text."""
    labels = ["O"] * len(doc)
    for role, words in roles.items():
        start = doc.text.index(words)
        span = doc.char_span(start, start + len(words), alignment_mode="expand")
        assert span is not None
        for i in range(span.start, span.end):
            labels[i] = ("B-" if i == span.start else "I-") + role
    return labels


def test_a_quotation_after_a_paragraph_break_takes_the_cue_that_ends_in_a_colon(nlp: Language) -> None:
    text = ("The council met in Brisk on Monday. In a long speech, Mayor Anna Berg declared:\n\n"
            "“The bridge will reopen in May. The trams will follow in June.”\n\nThe meeting ended at noon.")
    doc = nlp(text)
    labels = labelled(doc, Source="Mayor Anna Berg", Cue="declared:",
                      Content="“The bridge will reopen in May. The trams will follow in June.”")
    [found] = link(doc, labels, [0.9] * len(doc))
    assert found.cue is not None and doc[slice(*found.cue)].text == "declared:"
    assert found.source is not None and doc[slice(*found.source)].text == "Mayor Anna Berg"


def test_a_paragraph_without_a_colon_lends_no_cue_to_the_quotation_after_it(nlp: Language) -> None:
    text = ("In a long speech, Mayor Anna Berg declared victory.\n\n"
            "“The bridge will reopen in May. The trams will follow in June.”\n\nThe meeting ended at noon.")
    doc = nlp(text)
    labels = labelled(doc, Source="Mayor Anna Berg", Cue="declared",
                      Content="“The bridge will reopen in May. The trams will follow in June.”")
    quotation = [a for a in link(doc, labels, [0.9] * len(doc)) if doc[a.content[0]].text == "“"]
    assert [a.cue for a in quotation] == [None]


def test_a_quotation_after_a_colon_without_a_tagged_cue_takes_the_verb_that_introduces_it(nlp: Language) -> None:
    text = ("The council met in Brisk on Monday. Mayor Anna Berg issued the following statement:\n\n"
            "“The bridge will reopen in May. The trams will follow in June.”")
    doc = nlp(text)
    labels = labelled(doc, Content="“The bridge will reopen in May. The trams will follow in June.”")
    [found] = link(doc, labels, [0.9] * len(doc))
    assert found.cue is not None and doc[slice(*found.cue)].text == "issued"
    assert found.source is not None and doc[slice(*found.source)].text == "Mayor Anna Berg"
