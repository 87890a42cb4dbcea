"""Hostile challenge specs and dataset CSVs: only SpecError/DatasetError, and the workspace unchanged."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.challenge.spec import parse_spec
from kit.errors import SpecError

VALID = """slug = "fuzzed"
title = "Fuzzed spec"
metric = "accuracy"
opens = 2026-01-01T00:00:00Z
closes = 2026-02-01T00:00:00Z
daily_limit = 5
max_file_size = "5 MB"

[data]
source = "csv:data.csv"
target = "label"
id_column = "id"
seed = 7
"""

KEYS = st.sampled_from(["slug", "title", "metric", "opens", "closes", "daily_limit", "max_file_size", "week",
                        "season", "final_selections", "description", "nonsense", "data", "source", "target",
                        "test_fraction", "public_fraction", "seed", "max_rows", "task", "id_column"])
VALUES = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f).replace("inf", "inf").replace("nan", "nan")),
    st.text(max_size=30).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["true", "[]", "[1, 2]", "{}", "{ a = 1 }", "2026-01-01", "2026-01-01T00:00:00",
                     "2026-13-45T00:00:00Z", '"../x.csv"', '"csv:/etc/passwd"', '"csv:"', '"sklearn:nope"',
                     '"10 TB"', '"-5 MB"', '"1e3 KB"', "1e400", '"roc_auc"', '"map@0"', '"map@-1"']),
)
LINES = st.builds(lambda key, value: f"{key} = {value}", KEYS, VALUES)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_spec_errors(text: str) -> None:
    try:
        parse_spec(text)
    except SpecError as error:
        assert str(error) and "Traceback" not in str(error)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_is_a_spec_error(text):
    only_spec_errors(text)


@FUZZ
@given(lines=st.lists(LINES, max_size=8), cut=st.integers(min_value=0, max_value=len(VALID)))
def test_a_mutated_valid_spec_is_parsed_or_a_spec_error(lines, cut):
    # Lines appended to the top level or into [data], or the valid text cut short anywhere.
    only_spec_errors(VALID + "\n".join(lines))
    only_spec_errors("\n".join(lines) + "\n" + VALID)
    only_spec_errors(VALID[:cut])


@FUZZ
@given(key=KEYS, value=VALUES)
def test_each_field_replaced_by_any_value_is_parsed_or_a_spec_error(key, value):
    lines = [line for line in VALID.splitlines() if not line.startswith(f"{key} =")]
    at = lines.index("[data]") if key in ("source", "target", "test_fraction", "public_fraction", "seed",
                                         "max_rows", "task", "id_column") else 1
    lines.insert(at + 1 if at > 1 else at, f"{key} = {value}")
    only_spec_errors("\n".join(lines))


# -- hostile dataset CSVs given to `kit challenge add` ------------------------------------------------------


def _rows(n: int) -> str:
    return "".join(f"{i},{i % 5},{i % 2}\n" for i in range(1, n + 1))


HOSTILE_DATA = {
    "latin1": (("id,x,label\n" + _rows(40)).replace("1,1,1", "1,é,1").encode("latin-1"), "UTF-8"),
    "utf16": (("id,x,label\n" + _rows(40)).encode("utf-16"), "UTF-8|target column|no target"),
    "empty": (b"", "not a readable UTF-8 CSV"),
    "header_only": (b"id,x,label\n", "0 rows"),
    "one_row": (b"id,x,label\n1,2,1\n", "1 rows"),
    "ragged": (("id,x,label\n" + _rows(40) + "41,1,0,9,9\n").encode(), "not a readable UTF-8 CSV"),
    "target_all_empty": (("id,x,label\n" + "".join(f"{i},{i % 5},\n" for i in range(1, 41))).encode(),
                         "target column 'label' is empty"),
    "target_some_empty": (("id,x,label\n" + _rows(40) + "41,3,\n").encode(), "empty on 1 of 41 rows of 'target_some_empty.csv' (line 42)"),
    "duplicate_ids": (("id,x,label\n" + _rows(40) + "7,1,1\n").encode(), "must be unique"),
    "empty_id": (("id,x,label\n" + _rows(40) + ",1,1\n").encode(), "must be unique and non-empty"),
    "no_target_column": (("id,x,y\n" + _rows(40)).encode(), "no target column 'label'"),
    "no_id_column": (("key,x,label\n" + _rows(40)).encode(), "no id column 'id'"),
    "binary": (bytes(range(256)) * 20, "not a readable UTF-8 CSV|no target"),
}

SPEC = """slug = "{slug}"
title = "Hostile data"
metric = "accuracy"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z

[data]
source = "csv:data/{name}.csv"
target = "label"
id_column = "id"
"""


@pytest.fixture
def workspace_with_one_challenge(kit, write_spec):
    assert kit("challenge", "add", str(write_spec(slug="iris"))).exit_code == 0
    return kit


def test_hostile_dataset_csvs_are_refused_and_change_nothing(workspace_with_one_challenge, tmp_path):
    import re

    kit = workspace_with_one_challenge
    before = kit("challenge", "list", "--json").output
    (tmp_path / "data").mkdir()
    for n, (name, (data, phrase)) in enumerate(HOSTILE_DATA.items()):
        (tmp_path / "data" / f"{name}.csv").write_bytes(data)
        spec = tmp_path / f"{name}.toml"
        spec.write_text(SPEC.format(slug=f"hostile-{n:02d}", name=name))
        result = kit("challenge", "add", str(spec))
        assert result.exit_code == 1, (name, result.output)
        assert result.output.startswith("Error:") and "Traceback" not in result.output, (name, result.output)
        assert re.search(phrase if "|" in phrase else re.escape(phrase), result.output), (name, result.output)
        assert kit("challenge", "list", "--json").output == before, name
