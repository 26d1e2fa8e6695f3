"""The corpus every ingest test starts from."""

from __future__ import annotations

import pytest
from corpora import write_corpus


@pytest.fixture
def corpus_dir(tmp_path):
    return write_corpus(tmp_path / "news", 12)
