"""Directed actor-to-actor stance: does p praise or blame q in this sentence, or q p, or neither?

The classifier is all-MiniLM-L6-v2 fine-tuned on the directed-sentiment news set of Park, Pan
and Joo (2021) (``training/train_directed_stance.py``), shipped as an int8 ONNX graph run by
onnxruntime and ``tokenizers``. Both actors are marked in the sentence (p by the target
model's markers, q by a second pair) and the model reads the mean of all token states beside
the mean of p's and of q's; :func:`encode_pair` builds that input for training and run time.

Example
-------
>>> classifier = load_directed_classifier()
>>> text = "Senator Vale blamed Governor Okafor for the flooding."
>>> classifier.predict_pairs([(text, (8, 12), (29, 35))])[0][0]
'p->q negative'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from stancegraph.errors import ModelError
from stancegraph.extract.target_stance import OnnxClassifier, Span, check_span
from stancegraph.onnxmodel import special_ids

__all__ = [
    "DIRECTED_LABELS",
    "DIRECTED_MODEL_DIR",
    "SWAPPED",
    "DirectedStanceClassifier",
    "PairEncoding",
    "PairFormat",
    "direction_and_polarity",
    "encode_pair",
    "load_directed_classifier",
    "log_probabilities",
]

DIRECTED_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "directed_stance"
DIRECTED_LABELS = ("neutral", "p->q positive", "q->p positive", "p->q negative", "q->p negative")
"""The five classes in output order (the DSA data's label numbers 0-4)."""
SWAPPED = (0, 2, 1, 4, 3)
"""The label of each class once p and q trade places."""


@dataclass(frozen=True)
class PairFormat:
    """Markers around p and q, and the window size in tokens."""

    max_length: int = 96
    p_open: str = "†"
    p_close: str = "‡"
    q_open: str = "§"
    q_close: str = "¶"

    @classmethod
    def from_config(cls, config: dict[str, object]) -> PairFormat:
        """Read the ``input_format`` entry of the model's ``config.json``."""
        entry = config["input_format"]
        assert isinstance(entry, dict)
        return cls(*(entry[name] for name in ("max_length", "p_open", "p_close", "q_open", "q_close")))


@dataclass(frozen=True)
class PairEncoding:
    """Model input of one pair: token ids with [CLS]/[SEP], 1 on p's tokens, 1 on q's."""

    input_ids: list[int]
    p_mask: list[int]
    q_mask: list[int]


def encode_pair(tokenizer: Tokenizer, text: str, p: Span, q: Span, pair_format: PairFormat) -> PairEncoding:
    """Mark p and q (non-overlapping spans) in ``text`` and tokenise, keeping a window around both.

    ``tokenizer`` must not truncate, pad or add special tokens. A sentence longer than the
    window keeps the tokens centred between the two actors.
    """
    if p[0] < q[1] and q[0] < p[1]:
        raise ModelError("E530", p=f"{p[0]}..{p[1]}", q=f"{q[0]}..{q[1]}")
    marks = sorted(
        [(p, pair_format.p_open, pair_format.p_close, "p"), (q, pair_format.q_open, pair_format.q_close, "q")]
    )
    pieces, cursor, regions = [], 0, {}
    for (start, end), opener, closer, name in marks:
        pieces.append(text[cursor:start])
        begin = sum(len(piece) for piece in pieces)
        pieces.append(f"{opener}{text[start:end]}{closer}")
        regions[name] = (begin, begin + len(pieces[-1]))
        cursor = end
    pieces.append(text[cursor:])
    encoding = tokenizer.encode("".join(pieces), add_special_tokens=False)
    ids = encoding.ids
    masks = {name: [int(a <= first < b) for first, _ in encoding.offsets] for name, (a, b) in regions.items()}
    width = pair_format.max_length - 2
    if len(ids) > width:
        marked = [i for i in range(len(ids)) if masks["p"][i] or masks["q"][i]]
        centre = (marked[0] + marked[-1]) // 2
        first = min(max(centre - width // 2, 0), len(ids) - width)
        ids = ids[first : first + width]
        masks = {name: mask[first : first + width] for name, mask in masks.items()}
    cls_id, sep_id = special_ids(tokenizer)
    return PairEncoding([cls_id, *ids, sep_id], [0, *masks["p"], 0], [0, *masks["q"], 0])


def log_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """Natural logs of class probabilities, a zero read as 1e-12 (the scale ``class_bias`` moves)."""
    return np.log(np.clip(probabilities, 1e-12, None))


def direction_and_polarity(label: str) -> tuple[str, int]:
    """``"p->q negative"`` -> ``("p->q", -1)``; ``"neutral"`` -> ``("", 0)``."""
    if label == "neutral":
        return "", 0
    direction, polarity = label.split()
    return direction, 1 if polarity == "positive" else -1


class DirectedStanceClassifier(OnnxClassifier):
    """The shipped directed stance model; load it once per process (:func:`load_directed_classifier`).

    Its decoding comes from ``config.json``, chosen on the selection split by the training
    script: ``class_bias`` adds a log-offset to each class (training saw far fewer neutral pairs
    than news holds, and the classes are reweighted), and with ``both_orders`` a pair is also
    read with p and q traded and the two mirrored answers are averaged. ``sure_probability``
    keeps that second reading for the unsure pairs: a first reading whose top class has at
    least this probability stands alone (None: every pair is read twice).
    """

    def __init__(self, model_dir: Path = DIRECTED_MODEL_DIR, *, threads: int = 1) -> None:
        super().__init__(model_dir, threads=threads, codes=("E531", "E532"))
        self.pair_format = PairFormat.from_config(self.config)
        decoding = self.config.get("decoding", {})
        self.class_bias = np.asarray(decoding.get("class_bias", [0.0] * len(DIRECTED_LABELS)), dtype=np.float64)
        self.both_orders = bool(decoding.get("both_orders", False))
        sure = decoding.get("sure_probability")
        self.sure_probability = None if sure is None else float(sure)

    def readings(self, items: Sequence[tuple[str, Span, Span]], *, traded: bool = False) -> np.ndarray:
        """Class probabilities of each (sentence, p, q) read once; ``traded``: read as q, p and mirrored back."""
        encode = functools.partial(encode_pair, self.tokenizer, pair_format=self.pair_format)
        if not traded:
            return self.probabilities([encode(text, p, q) for text, p, q in items])
        return self.probabilities([encode(text, q, p) for text, p, q in items])[:, list(SWAPPED)]

    def pair_probabilities(self, items: Sequence[tuple[str, Span, Span]]) -> np.ndarray:
        """Class probabilities of each (sentence, p, q): with ``both_orders``, the mean of the two
        readings for each pair whose first reading is unsure (every pair when ``sure_probability`` is None)."""
        probabilities = self.readings(items)
        if self.both_orders:
            unsure = [i for i, row in enumerate(probabilities)
                      if self.sure_probability is None or row.max() < self.sure_probability]
            if unsure:
                traded = self.readings([items[i] for i in unsure], traded=True)
                probabilities[unsure] = (probabilities[unsure] + traded) / 2
        return probabilities

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """The class of each row once each class's log-probability is moved by ``class_bias``."""
        return (log_probabilities(probabilities) + self.class_bias).argmax(axis=1)

    def predict_pairs(self, items: Sequence[tuple[str, Span, Span]]) -> list[tuple[str, float]]:
        """For each (sentence, p span, q span): the decided label of :data:`DIRECTED_LABELS` and its probability.

        All spans are checked first, so one bad span fails the whole call with :class:`ModelError`.
        """
        for text, p, q in items:
            check_span(text, p)
            check_span(text, q)
        if not items:
            return []
        probabilities = self.pair_probabilities(items)
        return [(DIRECTED_LABELS[label], float(row[label])) for row, label in zip(probabilities, self.decide(probabilities))]


@functools.cache
def load_directed_classifier() -> DirectedStanceClassifier:
    """The shared directed classifier of this process (loaded on first use)."""
    return DirectedStanceClassifier()
