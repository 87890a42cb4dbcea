"""One exception class per kind of failure, in kit/errors.py: each documented in a line, each with its own
code, answered by the API with that code and turned back into the same class by the client."""

from __future__ import annotations

import inspect

import pytest

from kit import errors
from kit.api.errors import status_of
from kit.client.errors import error_from_response

CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass)
           if issubclass(cls, errors.KitError) and cls.__module__ == errors.__name__]


def test_each_class_has_a_one_line_docstring_and_its_own_code():
    assert len(CLASSES) >= 20
    for cls in CLASSES:
        doc = cls.__dict__.get("__doc__") or ""
        assert doc.strip() and "\n" not in doc.strip(), cls
    codes = [cls.code for cls in CLASSES]
    assert len(codes) == len(set(codes)), sorted(codes)


def test_nothing_else_in_kit_defines_a_kit_error():
    """Subclasses of KitError live in kit/errors.py only (the one place)."""
    pending, found = [errors.KitError], []
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    strays = [f"{c.__module__}.{c.__name__}" for c in found
              if c.__module__ != errors.__name__ and c.__module__.startswith(("kit", "leaderboard"))]
    assert strays == []


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_refusal_survives_the_trip_through_http(cls):
    error = cls("what went wrong, for a person")
    status, code = status_of(error)
    assert code == cls.code and 400 <= status < 600
    if status >= 500:
        return  # the client reports a server failure as ServerError, with the server's words
    back = error_from_response(status, {"error": code, "message": str(error)}, "30")
    assert type(back) is cls and str(back) == str(error) and back.retry_after == 30


def test_pydantic_validation_error_is_not_shadowed():
    assert not hasattr(errors, "ValidationError") and not hasattr(errors, "SubmissionRefused")
