"""Altair charts: the leaders' best score over time, one participant's scores, season calendars."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd

from kit.ranking import BoardRow
from kit.score_history import HistoryPoint
from leaderboard.views import MetricView, day_states


def _local(moments, zone: ZoneInfo) -> pd.Series:
    return pd.Series([m.astimezone(zone).replace(tzinfo=None) for m in moments], dtype="datetime64[ns]")


TIME_AXIS = alt.Axis(format="%b %d %H:%M", labelAngle=0, tickCount=6, title=None)


def _score_format(metric: MetricView) -> str:
    return f".{metric.decimals}f"


def leaders_chart(history: list[HistoryPoint], baselines: list[BoardRow], metric: MetricView,
                  zone: ZoneInfo) -> alt.Chart | None:
    """A step line per top participant; baselines as dashed reference lines."""
    if not history:
        return None
    frame = pd.DataFrame({
        "participant": [p.participant for p in history],
        "when": _local([p.submitted_at for p in history], zone),
        "best": [p.best_score for p in history],
    })
    y_title = f"best public {metric.label}"
    lines = alt.Chart(frame).mark_line(interpolate="step-after", point=alt.OverlayMarkDef(size=40)).encode(
        x=alt.X("when:T", axis=TIME_AXIS),
        y=alt.Y("best:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=_score_format(metric))),
        color=alt.Color("participant:N", title=None, legend=alt.Legend(orient="bottom", columns=4)),
        tooltip=[alt.Tooltip("participant:N"), alt.Tooltip("when:T", format="%Y-%m-%d %H:%M", title="submitted"),
                 alt.Tooltip("best:Q", format=_score_format(metric), title=metric.label)],
    )
    layers = [lines]
    if baselines:
        rules = pd.DataFrame({"baseline": [b.participant for b in baselines], "score": [b.score for b in baselines]})
        rule = alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#8a8f98").encode(
            y="score:Q", tooltip=[alt.Tooltip("baseline:N"), alt.Tooltip("score:Q", format=_score_format(metric))])
        label = alt.Chart(rules).mark_text(align="left", dx=4, dy=-6, color="#8a8f98", fontSize=11).encode(
            y="score:Q", text="baseline:N", x=alt.value(0))
        layers += [rule, label]
    return alt.layer(*layers).properties(height=320)


def my_scores_chart(rows: list[tuple], metric: MetricView, zone: ZoneInfo) -> alt.Chart | None:
    """rows: (submission id, submitted_at, public score, selected)."""
    if not rows:
        return None
    frame = pd.DataFrame({
        "submission": [r[0] for r in rows],
        "when": _local([r[1] for r in rows], zone),
        "score": [r[2] for r in rows],
        "final": ["final" if r[3] else "not final" for r in rows],
    })
    base = alt.Chart(frame).encode(
        x=alt.X("when:T", axis=TIME_AXIS),
        y=alt.Y("score:Q", title=f"public {metric.label}", scale=alt.Scale(zero=False),
                axis=alt.Axis(format=_score_format(metric))),
    )
    line = base.mark_line(color="#9aa5b1", strokeWidth=1.5)
    points = base.mark_circle(size=90).encode(
        color=alt.Color("final:N", title=None, scale=alt.Scale(domain=["final", "not final"],
                                                               range=["#e4572e", "#4c78a8"])),
        tooltip=[alt.Tooltip("submission:Q", title="submission"),
                 alt.Tooltip("when:T", format="%Y-%m-%d %H:%M", title="submitted"),
                 alt.Tooltip("score:Q", format=_score_format(metric), title=metric.label)],
    )
    return (line + points).properties(height=280)


DAY_STATES = ["active", "missed", "to come"]
DAY_COLOURS = alt.Scale(domain=DAY_STATES, range=["#2e9e5b", "#f3c6c0", "#eef0f3"])


def streak_calendar(days: tuple[bool, ...], over: int, today: int | None) -> alt.Chart:
    """One participant's season as a calendar: a cell per day, a row per week, today outlined."""
    frame = pd.DataFrame({
        "day": range(1, len(days) + 1),
        "state": day_states(days, over),
    })
    frame["week"] = [f"week {(d - 1) // 7 + 1}" for d in frame["day"]]
    frame["weekday"] = [(d - 1) % 7 + 1 for d in frame["day"]]
    frame["today"] = frame["day"] == (today or 0)
    base = alt.Chart(frame).encode(
        x=alt.X("weekday:O", axis=None),
        y=alt.Y("week:O", title=None, axis=alt.Axis(labelFontSize=11, ticks=False, domain=False)),
    )
    cells = base.mark_rect(cornerRadius=4, stroke="white", strokeWidth=3).encode(
        color=alt.Color("state:N", scale=DAY_COLOURS, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("day:Q", title="day"), alt.Tooltip("state:N", title="")],
    )
    outline = base.transform_filter(alt.datum.today).mark_rect(cornerRadius=4, fill=None, stroke="#1f2933",
                                                               strokeWidth=2)
    labels = base.mark_text(fontSize=11).encode(
        text="day:Q",
        color=alt.condition(alt.datum.state == "active", alt.value("white"), alt.value("#52606d")),
    )
    return (cells + outline + labels).properties(height=4 * 34 + 20)


def standings_calendar(rows: list[tuple[str, tuple[bool, ...]]], over: int) -> alt.Chart | None:
    """The leaders' days as a heatmap: a row per participant (in standings order), a column per day."""
    if not rows:
        return None
    records = [{"participant": name, "day": day, "state": state}
               for name, days in rows for day, state in enumerate(day_states(days, over), start=1)]
    order = [name for name, _ in rows]
    return alt.Chart(pd.DataFrame(records)).mark_rect(cornerRadius=2, stroke="white", strokeWidth=1.5).encode(
        x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=10, orient="top")),
        y=alt.Y("participant:N", sort=order, title=None),
        color=alt.Color("state:N", scale=DAY_COLOURS, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("participant:N"), alt.Tooltip("day:Q"), alt.Tooltip("state:N", title="")],
    ).properties(height=30 * len(rows) + 110)  # the rows, the day axis and the legend
