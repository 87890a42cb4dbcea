"""Altair charts: the leaders' best score over time, one participant's scores, season calendars."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd

from kit.challenge.ranking import BoardRow
from kit.challenge.score_history import HistoryPoint
from leaderboard.views import MetricView, day_states


def _local(moments, zone: ZoneInfo) -> pd.Series:
    return pd.Series([m.astimezone(zone).replace(tzinfo=None) for m in moments], dtype="datetime64[ns]")


MAX_LISTED_TICKS = 8


def time_axis(times: pd.Series) -> alt.Axis:
    """One tick per distinct time when there are few (never the same label twice), else one a day.

    The format follows the span, so labels stay short and do not overlap.
    """
    distinct = sorted(set(times))
    span = (distinct[-1] - distinct[0]) if distinct else pd.Timedelta(0)
    if span >= pd.Timedelta(days=2):
        days = sorted({t.normalize() for t in distinct})
        values = days if len(days) <= MAX_LISTED_TICKS else None
        return alt.Axis(format="%b %d", labelAngle=0, labelOverlap="greedy", title=None,
                        values=[_vega_time(d) for d in values] if values else alt.Undefined,
                        tickCount=alt.Undefined if values else {"interval": "day", "step": 1})
    fmt = "%H:%M" if distinct and distinct[0].date() == distinct[-1].date() else "%b %d %H:%M"
    values = distinct if len(distinct) <= MAX_LISTED_TICKS else None
    return alt.Axis(format=fmt, labelAngle=0, labelOverlap="greedy", title=None,
                    values=[_vega_time(t) for t in values] if values else alt.Undefined,
                    tickCount=alt.Undefined if values else 6)


def _vega_time(moment: pd.Timestamp) -> alt.DateTime:
    """A tick position in the chart's local time (the frame holds naive local times)."""
    return alt.DateTime(year=moment.year, month=moment.month, date=moment.day, hours=moment.hour,
                        minutes=moment.minute, seconds=moment.second)


def _score_format(metric: MetricView) -> str:
    return f".{metric.decimals}f"


def score_domain(scores: list[float], baselines: list[BoardRow]) -> tuple[tuple[float, float], list[BoardRow]]:
    """The y range for participants' scores, and the baselines worth drawing in it.

    A baseline within one score-span of the participants widens the range to include it; one far
    away (the sample submission, usually) is left out instead of squashing every line flat.
    """
    low, high = min(scores), max(scores)
    span = (high - low) or abs(high) * 0.1 or 1.0
    near = [b for b in baselines if low - span <= b.score <= high + span]
    low, high = min([low, *(b.score for b in near)]), max([high, *(b.score for b in near)])
    pad = ((high - low) or span) * 0.08
    return (low - pad, high + pad), near


def leaders_chart(history: list[HistoryPoint], baselines: list[BoardRow], metric: MetricView,
                  zone: ZoneInfo) -> alt.Chart | None:
    """A step line per top participant; nearby baselines as dashed reference lines in the legend."""
    if not history:
        return None
    frame = pd.DataFrame({
        "participant": [p.participant for p in history],
        "when": _local([p.submitted_at for p in history], zone),
        "best": [p.best_score for p in history],
    })
    domain, near = score_domain(list(frame["best"]), baselines)
    y_scale = alt.Scale(domain=list(domain), zero=False, nice=False)
    y_title = f"best public {metric.label}"
    lines = alt.Chart(frame).mark_line(interpolate="step-after", point=alt.OverlayMarkDef(size=40), clip=True).encode(
        x=alt.X("when:T", axis=time_axis(frame["when"])),
        y=alt.Y("best:Q", title=y_title, scale=y_scale, axis=alt.Axis(format=_score_format(metric))),
        color=alt.Color("participant:N", title=None, legend=alt.Legend(orient="bottom", columns=3, labelLimit=180)),
        tooltip=[alt.Tooltip("participant:N"), alt.Tooltip("when:T", format="%Y-%m-%d %H:%M", title="submitted"),
                 alt.Tooltip("best:Q", format=_score_format(metric), title=metric.label)],
    )
    layers = [lines]
    if near:
        rules = pd.DataFrame({"baseline": [b.participant for b in near], "score": [b.score for b in near]})
        # Named in a legend of their own rather than by text on the plot, where labels overlapped.
        rule = alt.Chart(rules).mark_rule(strokeWidth=1.5, color="#8a8f98").encode(
            y=alt.Y("score:Q", scale=y_scale),
            strokeDash=alt.StrokeDash("baseline:N", title="baselines",
                                      scale=alt.Scale(range=[[6, 4], [2, 2], [10, 3, 2, 3], [1, 4]]),
                                      legend=alt.Legend(orient="top", symbolStrokeColor="#8a8f98",
                                                        labelLimit=180)),
            tooltip=[alt.Tooltip("baseline:N"), alt.Tooltip("score:Q", format=_score_format(metric))])
        layers.append(rule)
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
        x=alt.X("when:T", axis=time_axis(frame["when"])),
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


DAY_STATES = ["active", "missed", "to come", "before joining"]
DAY_COLOURS = alt.Scale(domain=DAY_STATES, range=["#2e9e5b", "#f3c6c0", "#eef0f3", "#fafbfc"])


def streak_calendar(days: tuple[bool, ...], over: int, today: int | None, joined: int = 1) -> alt.Chart:
    """One participant's season as a calendar: a cell per day, a row per week, today outlined."""
    frame = pd.DataFrame({
        "day": range(1, len(days) + 1),
        "state": day_states(days, over, joined),
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


def standings_calendar(rows: list[tuple[str, tuple[bool, ...], int]], over: int) -> alt.Chart | None:
    """The leaders' days as a heatmap: a row per participant (in standings order), a column per day.

    rows: (participant, active days, the day they joined).
    """
    if not rows:
        return None
    records = [{"participant": name, "day": day, "state": state}
               for name, days, joined in rows for day, state in enumerate(day_states(days, over, joined), start=1)]
    order = [name for name, _, _ in rows]
    return alt.Chart(pd.DataFrame(records)).mark_rect(cornerRadius=2, stroke="white", strokeWidth=1.5).encode(
        x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=10, orient="top")),
        y=alt.Y("participant:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("state:N", scale=DAY_COLOURS, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("participant:N"), alt.Tooltip("day:Q"), alt.Tooltip("state:N", title="")],
    ).properties(height=30 * len(rows) + 110)  # the rows, the day axis and the legend
