"""Typer's coercion of plain command-line values, without importing pydantic.

Recent Typer (0.29 here) turns every value a command receives into its Python type through a
pydantic `TypeAdapter` built on first use, even a flag left at its default. Importing pydantic
and building the adapters costs ≈ 80 ms: a quarter of a remote `kit leaderboard`, a sixth of
`kit grade` (issue 12). The values the kit's commands take mostly need no pydantic: a `str` or
a `bool` flag is itself, an `int` written in a few ASCII digits is `int(text)`, a path in its
normal form is `Path(text)` checked by Typer's own `coerce_cli_path`, a list of such is a list.
Anything else (an enum, "1_000" or "x" for an int, a range, a custom parser, a path typed as
"x/") goes through Typer's own coercion, built only then, so every result and every error
message stays Typer's; tests/kit/test_cli_coercion.py compares the two on odd values.

With a Typer that has no such layer (older ones use Click's types) nothing is changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

try:
    import typer.core
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # an older Typer: Click's types coerce, no pydantic involved
    RuntimeParam = None  # type: ignore[assignment,misc]

# Longer digit strings go to pydantic, which has its own rules for huge numbers.
_MAX_PLAIN_DIGITS = 18
_NOT_PLAIN = object()


def install() -> None:
    """Have Typer give plain parameters the plain coercion (once per process; every Typer app in it)."""
    if RuntimeParam is not None and getattr(typer.core, "build_runtime_param", None) is build_runtime_param:
        typer.core.build_runtime_param = _runtime_param


def _runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    if _is_plain(descriptor):
        return PlainRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                                 descriptor=descriptor)
    return build_runtime_param(descriptor)


def _is_plain(descriptor: Any) -> bool:
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.is_file or descriptor.is_choice or descriptor.is_ranged:
        return False
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        return get_args(annotation) in ((str,), (int,))
    return annotation in (str, bool, int) or (descriptor.is_path and (info.path_type or annotation) is Path)


def plain_value(annotation: Any, info: Any, value: Any, param: Any = None, ctx: Any = None) -> Any:
    """The value Typer's own coercion gives `value` (not None), or _NOT_PLAIN when only it can say."""
    if annotation in (str, bool):
        return value if type(value) is annotation else _NOT_PLAIN
    if annotation is int:
        if type(value) is int:  # a default
            return value
        plain = type(value) is str and value.isascii() and value.isdigit() and len(value) <= _MAX_PLAIN_DIGITS
        return int(value) if plain else _NOT_PLAIN
    if get_origin(annotation) is list:  # Click hands over a tuple: a list of its items, each coerced
        if not isinstance(value, (list, tuple)):
            return _NOT_PLAIN
        items = [plain_value(get_args(annotation)[0], info, item, param, ctx) for item in value]
        return _NOT_PLAIN if any(item is _NOT_PLAIN for item in items) else items
    # A path: pydantic makes text Path(text), then Typer checks it. Only text in normal form
    # ("x/" is Path("x")), so that a message quoting the value quotes what was typed.
    if type(value) is str and os.fspath(Path(value)) == value:
        value = Path(value)
    if not isinstance(value, Path):
        return _NOT_PLAIN
    try:
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    except ValueError:  # pydantic turns this into a message of Typer's: let Typer's coercion say it
        return _NOT_PLAIN


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        """A `str`, `bool`, `int`, `Path` or list parameter: plain values here, the rest by Typer's own coercion."""

        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = plain_value(self.annotation, self.parameter_info, value, param, ctx)
            if plain is not _NOT_PLAIN:
                return plain
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
