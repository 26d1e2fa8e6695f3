"""Shared fixtures: the spaCy pipeline (loaded once per test session) and small helpers.

The suite reads quotes with the CRF tagger (``--fast``) unless a test asks for another: the
transformer, the default, costs a fifth of the suite's time on the many tests about other
steps. The tests of quote attribution, of the tagger choice and of the founding article ask
for the default (``STANCEGRAPH_QUOTE_TAGGER=auto``) or the transformer; worker processes and
budget children inherit the setting.
"""

from __future__ import annotations

import os

import pytest
from spacy.language import Language

from stancegraph.extract import TAGGER_VARIABLE
from stancegraph.nlp import load_pipeline

os.environ.setdefault(TAGGER_VARIABLE, "crf")


@pytest.fixture
def default_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test reads quotes with the default tagger (the one that scored better: ``auto``)."""
    monkeypatch.setenv(TAGGER_VARIABLE, "auto")


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()
