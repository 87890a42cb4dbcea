"""The score chart's axes: one tick per distinct time, short labels, a y range scaled to the
participants (a far-away sample submission does not stretch it), nearby baselines kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kit.challenge.ranking import BoardRow
from kit.challenge.score_history import HistoryPoint
from leaderboard.charts import leaders_chart, my_scores_chart
from leaderboard.views import metric_view

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def baseline(name: str, score: float) -> BoardRow:
    return BoardRow(None, f"baseline: {name}", True, 1, score, START, 1)


def spec_of(chart) -> dict:
    spec = chart.to_dict()
    return spec


def test_few_times_get_one_tick_each_with_a_short_label():
    # Five submissions within one hour: the axis once repeated one label five times.
    history = [HistoryPoint(name, START + timedelta(minutes=m), score)
               for name, m, score in (("ada", 0, 0.80), ("bob", 5, 0.82), ("ada", 20, 0.85), ("cy", 30, 0.83),
                                      ("bob", 55, 0.86))]
    spec = spec_of(leaders_chart(history, [], metric_view("accuracy"), ZoneInfo("UTC")))
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert len(axis["values"]) == 5 and len({str(v) for v in axis["values"]}) == 5
    assert axis["format"] == "%H:%M" and axis["labelAngle"] == 0 and axis["labelOverlap"] == "greedy"


def test_days_get_a_day_label_each():
    history = [HistoryPoint("ada", START + timedelta(days=d, hours=d), 0.7 + d / 100) for d in range(6)]
    axis = spec_of(leaders_chart(history, [], metric_view("accuracy"), ZoneInfo("UTC")))["layer"][0]["encoding"]["x"]["axis"]
    assert axis["format"] == "%b %d" and len(axis["values"]) == 6


def test_the_y_range_follows_the_participants_not_the_sample_submission():
    history = [HistoryPoint("ada", START, 0.90), HistoryPoint("bob", START + timedelta(hours=3), 0.95)]
    baselines = [baseline("sample", 0.10), baseline("logreg", 0.94), baseline("cnn", 0.98)]
    spec = spec_of(leaders_chart(history, baselines, metric_view("accuracy"), ZoneInfo("UTC")))
    low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert 0.85 < low < 0.90 and 0.98 < high < 1.0  # the CNN baseline near the leaders widens it a little
    drawn = [row["baseline"] for row in spec["datasets"][spec["layer"][1]["data"]["name"]]]
    assert drawn == ["baseline: logreg", "baseline: cnn"]  # the sample, far below, is left out
    assert "strokeDash" in spec["layer"][1]["encoding"]  # baselines named in a legend, not on the plot


def test_my_scores_use_the_same_time_axis():
    rows = [(1, START, 0.5, False), (2, START + timedelta(minutes=10), 0.6, True)]
    axis = spec_of(my_scores_chart(rows, metric_view("accuracy"), ZoneInfo("UTC")))["layer"][0]["encoding"]["x"]["axis"]
    assert len(axis["values"]) == 2 and axis["format"] == "%H:%M"
