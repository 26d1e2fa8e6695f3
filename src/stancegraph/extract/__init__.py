"""The extraction steps, one module each, run in this order by :mod:`stancegraph.pipeline`:
actors -> quotes -> stances (and relations) -> claims -> consistency flags."""

TAGGER_VARIABLE = "STANCEGRAPH_QUOTE_TAGGER"
"""The environment variable that picks the default quote tagger: ``transformer``, ``crf``, or
``auto`` (unset: the one that scored better). Being in the environment, it reaches every
worker process of an ingest; ``--fast`` takes the CRF whatever it says. It lives here, not in
:mod:`~stancegraph.extract.span_tagger`, so that an ingest's main process can read it without
loading spaCy and onnxruntime."""
