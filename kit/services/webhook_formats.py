"""What a webhook receives: an event rendered as a Discord message, a Slack message or plain JSON.

Chat messages never ping anyone: Discord's allowed_mentions is empty and names are
participants' own (letters, digits, spaces, '_', '-', '.').
"""

from __future__ import annotations

from datetime import datetime

DISCORD_MAX_CHARS = 2000


def _score(value: float) -> str:
    return f"{value:.5f}"


def _arrow(payload: dict) -> str:
    return "↑" if payload.get("higher_is_better") else "↓"


def render_text(kind: str, payload: dict) -> str:
    """One short message for a person in a chat channel."""
    if kind == "challenge_opened":
        return (f"📣 Week {payload['week'] or '–'}: **{payload['title']}** ({payload['challenge']}) is open! "
                f"Metric: {payload['metric']} {_arrow(payload)}, {payload['daily_limit']} submissions a day, "
                f"closes {payload['closes_at'][:16].replace('T', ' ')} UTC.")
    if kind == "new_leader":
        was = f" (overtaking {payload['previous_leader']})" if payload.get("previous_leader") else ""
        return (f"🏁 New leader on {payload['title']}: **{payload['leader']}**{was} with public "
                f"{payload['metric']} {_score(payload['public_score'])} {_arrow(payload)}.")
    if kind == "challenge_closed":
        lines = [f"🔒 {payload['title']} ({payload['challenge']}) is closed. Private leaderboard top three:"]
        lines += [f"{row['place']}. **{row['name']}** — {payload['metric']} {_score(row['private_score'])}"
                  for row in payload["top"]] or ["Nobody was ranked."]
        return "\n".join(lines)
    if kind == "weekly_winners":
        lines = [f"🏆 Week {payload['week']} winners of {payload['season']}:"]
        for row in payload["winners"]:
            award = f" — {row['award']}" if row.get("award") else ""
            lines.append(f"{row['place']}. **{row['name']}** on {row['challenge']} "
                         f"({_score(row['private_score'])}){award}")
        return "\n".join(lines)
    if kind == "streak_at_risk":
        names = ", ".join(f"{r['name']} ({r['streak']} days)" for r in payload["at_risk"])
        more = f" and {payload['more']} more" if payload.get("more") else ""
        tag = f" {payload['hashtag']}" if payload.get("hashtag") else ""
        return (f"🔥 Day {payload['day']} of {payload['days']}: these streaks end at midnight unless you submit "
                f"or `kit log` today: {names}{more}.{tag}")
    return f"{kind}: {payload}"


def render_body(fmt: str, kind: str, season: str, payload: dict, occurred_at: datetime) -> dict:
    """The JSON body posted to a webhook of this format."""
    if fmt == "discord":
        text = render_text(kind, payload)
        if len(text) > DISCORD_MAX_CHARS:
            text = text[:DISCORD_MAX_CHARS - 1] + "…"
        return {"content": text, "username": "challenge-kit", "allowed_mentions": {"parse": []}}
    if fmt == "slack":  # Slack's mrkdwn: *bold*, and &, <, > escaped
        text = render_text(kind, payload).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return {"text": text.replace("**", "*")}
    return {"event": kind, "season": season, "occurred_at": occurred_at.isoformat(), "data": payload}
