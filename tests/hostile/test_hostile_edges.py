"""Round two of the hostile corpus (issue 17): numbers at the edge, user text that reads as markup,
bytes that are not UTF-8, metrics that could be undefined on the hidden rows, AUC scores.

Each file is refused with its own code and a message quoting what the participant wrote
(verbatim, markup included), or scored with finite numbers; no message names a hidden label.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

import grader

_spec = importlib.util.spec_from_file_location("hostile_corpus", Path(__file__).with_name("corpus.py"))
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

SOLUTIONS = {
    "labels": grader.read_solution(corpus.SOLUTION),
    "prices": grader.read_solution(corpus.PRICES_SOLUTION),
    "kappa": grader.read_solution(corpus.KAPPA_SOLUTION),
    "classes3": grader.read_solution(corpus.CLASSES3_SOLUTION),
}


def test_the_corpus_has_at_least_120_files():
    assert len(corpus.CORPUS) + len(corpus.EDGE_CORPUS) >= 120


@pytest.mark.parametrize("name", sorted(corpus.EDGE_CORPUS))
def test_each_edge_file_is_refused_clearly_or_scored_finite(name):
    data, filename, solution, metric, expected, phrase = corpus.EDGE_CORPUS[name]
    try:
        result = grader.grade(SOLUTIONS[solution], data, metric, filename=filename, max_bytes=1 << 20)
    except grader.SubmissionError as error:
        assert expected != corpus.SCORED_, f"{name} was refused: {error!r}"
        assert error.code == expected, repr(error)
        assert phrase in error.message, repr(error)
        assert "Traceback" not in error.message and len(error.message) < 600
        if solution == "kappa":  # the hidden Private rows are all class 0: nothing may say so
            assert "class" not in error.message and "0" not in error.message, error.message
        return
    assert expected == corpus.SCORED_, f"{name} was scored: {result}"
    assert all(math.isfinite(score) for score in (result.public_score, result.private_score)), result
    json.dumps([result.public_score, result.private_score], allow_nan=False)
