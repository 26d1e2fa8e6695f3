"""Shared fixtures: the spaCy pipeline (loaded once per test session) and small helpers."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancegraph.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()
