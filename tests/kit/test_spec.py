"""Challenge specs: every bad field gives its own message naming the field and the value."""

import pytest

from kit.challenge.spec import parse_spec
from kit.errors import SpecError

GOOD = """
slug = "digits-week-1"
title = "Digits"
metric = "accuracy"
opens = 2026-12-01T00:00:00Z
closes = 2026-12-08T00:00:00Z

[data]
source = "sklearn:digits"
"""


def test_a_good_spec_gets_the_defaults():
    spec = parse_spec(GOOD)
    assert spec.slug == "digits-week-1"
    assert spec.data.public_fraction == 0.3
    assert spec.daily_limit == 5
    assert spec.final_selections == 2
    assert spec.data.id_name == "id"
    assert spec.opens.tzinfo is not None


def _error(text: str) -> str:
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    return str(caught.value)


@pytest.mark.parametrize(
    "old, new, field, expected",
    [
        ('slug = "digits-week-1"', 'slug = "Digits Week!"', "slug", "Digits Week!"),
        ('title = "Digits"', 'title = ""', "title", "at least 3 characters"),
        ('metric = "accuracy"', 'metric = "acuracy"', "metric", "accuracy"),
        ('source = "sklearn:digits"', 'source = "sklearn:mnist"', "data.source", "sklearn:digits"),
        ('source = "sklearn:digits"', 'source = "csv:../../etc/passwd"', "data.source", "inside"),
        ('closes = 2026-12-08T00:00:00Z', 'closes = 2026-11-01T00:00:00Z', "spec", "closes must be after opens"),
        ('opens = 2026-12-01T00:00:00Z', 'opens = 2026-12-01T00:00:00', "opens", "time zone"),
        ('[data]', 'daily_limit = 0\n[data]', "daily_limit", "greater than or equal to 1"),
        ('[data]', 'final_selections = "two"\n[data]', "final_selections", "'two'"),
        ('[data]', 'max_file_size = "lots"\n[data]', "max_file_size", "10 MB"),
        ('[data]', 'colour = "red"\n[data]', "colour", "unknown field"),
        ('source = "sklearn:digits"', 'source = "sklearn:digits"\ntest_fraction = 1.5', "data.test_fraction", "1.5"),
        ('source = "sklearn:digits"', 'source = "sklearn:digits"\npublic_fraction = 0', "data.public_fraction", "greater than 0"),
        ('source = "sklearn:digits"', 'source = "sklearn:digits"\nseed = -1', "data.seed", "-1"),
    ],
)
def test_each_bad_field_names_itself(old, new, field, expected):
    message = _error(GOOD.replace(old, new))
    line = next((line for line in message.splitlines() if line.strip().startswith(f"- {field}:")), None)
    assert line is not None, message
    assert expected in line


def test_a_missing_field_says_it_is_required():
    message = _error(GOOD.replace('metric = "accuracy"\n', ""))
    assert "- metric: is required" in message


def test_several_errors_are_all_listed():
    message = _error(GOOD.replace('metric = "accuracy"', 'metric = "nope"').replace('title = "Digits"', 'title = "x"'))
    assert "- metric:" in message and "- title:" in message


def test_dates_may_come_from_the_season_week():
    spec = parse_spec(GOOD.replace("opens = 2026-12-01T00:00:00Z\ncloses = 2026-12-08T00:00:00Z\n",
                                   'season = "s-one"\nweek = 2\n'))
    assert spec.opens is None and spec.week == 2


def test_without_dates_or_week_it_is_refused():
    message = _error(GOOD.replace("opens = 2026-12-01T00:00:00Z\ncloses = 2026-12-08T00:00:00Z\n", ""))
    assert "opens and closes are required" in message


def test_broken_toml_is_reported_as_such():
    assert "not valid TOML" in _error("slug = ")


def test_sizes_take_units():
    spec = parse_spec(GOOD.replace("[data]", 'max_file_size = "2 MB"\n[data]'))
    assert spec.max_file_size == 2 * 1024 * 1024
