"""Adding a challenge from uploaded bytes (the Organizer page, the API): a spec, and the CSV it reads."""

from __future__ import annotations

import tempfile
from pathlib import Path

from kit.challenge.spec import parse_spec
from kit.errors import InvalidInputError
from kit.services.challenges import add_challenge_to
from kit.store.organizer_token import require_organizer

MAX_SPEC_BYTES = 256 * 1024
MAX_DATA_BYTES = 200 * 1024 * 1024


def add_challenge_from_upload(ws, *, organizer_token: str | None, spec_bytes: bytes,
                              data_bytes: bytes | None = None) -> str:
    """Add a challenge from an uploaded spec (and the CSV a `csv:` source names); returns its slug."""
    with ws.session() as session:
        require_organizer(session, organizer_token)
    if len(spec_bytes) > MAX_SPEC_BYTES:
        raise InvalidInputError(f"The spec is {len(spec_bytes):,} bytes; a spec file is at most {MAX_SPEC_BYTES:,}.")
    try:
        text = spec_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("The spec is not UTF-8 text.") from None
    spec = parse_spec(text, origin="the uploaded spec")
    with tempfile.TemporaryDirectory(prefix="kit-spec-") as folder:
        base = Path(folder)
        if spec.data.source.startswith("csv:"):
            relative = spec.data.source[4:]
            if data_bytes is None:
                raise InvalidInputError(f"The spec reads {relative!r}: upload that CSV file too.")
            if len(data_bytes) > MAX_DATA_BYTES:
                raise InvalidInputError(f"The data file is {len(data_bytes):,} bytes; the most is {MAX_DATA_BYTES:,}.")
            target = base / relative  # parse_spec refused absolute paths and '..'
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data_bytes)
        challenge = add_challenge_to(ws, spec, text, organizer_token=organizer_token, base_dir=base,
                                     cache_dir=ws.settings.cache_dir, progress=False)
        return challenge.slug
