"""The organizer's webhooks: add, list, remove, and the delivery log.

A chat webhook URL carries its own secret (Discord's and Slack's do), so it is stored for
sending but only ever shown masked: scheme and host, nothing of the path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kit.clock import utcnow
from kit.errors import InvalidInputError, NotFoundError
from kit.services.outbox import EVENT_KINDS, PENDING
from kit.store.models import OutboxEvent, Season, Webhook, WebhookDelivery

FORMATS = ("discord", "slack", "json")
MAX_URL_CHARS = 500
MAX_WEBHOOKS_PER_SEASON = 20
CANCELLED = "cancelled"


def mask_url(url: str) -> str:
    """What the organizer sees of a URL: enough to tell webhooks apart, none of the secret path."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.hostname}{f':{parsed.port}' if parsed.port else ''}/…"


def clean_webhook_url(url: str) -> str:
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise InvalidInputError(f"The URL has {len(url)} characters; the most allowed is {MAX_URL_CHARS}.")
    try:
        parsed = urlparse(url)
        port_ok = parsed.port is None or parsed.port > 0
    except ValueError:
        port_ok = False
    if (parsed.scheme not in ("http", "https") or not parsed.hostname or not port_ok
            or any(ch.isspace() or not ch.isprintable() for ch in url)):
        raise InvalidInputError("A webhook URL must start with http:// or https:// and name a host, "
                              "e.g. https://discord.com/api/webhooks/….")
    return url


def clean_events(events: list[str] | None) -> list[str]:
    """The event kinds asked for (all of them when none is named), in the catalog's order."""
    if not events:
        return list(EVENT_KINDS)
    asked = {e.strip() for item in events for e in item.split(",") if e.strip()}
    unknown = sorted(asked - set(EVENT_KINDS))
    if unknown:
        raise InvalidInputError(f"Unknown event(s): {', '.join(unknown)}. Choose from: {', '.join(EVENT_KINDS)}.")
    return [kind for kind in EVENT_KINDS if kind in asked]


@dataclass(frozen=True)
class WebhookView:
    id: int
    season: str
    url: str  # masked
    format: str
    events: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class DeliveryView:
    id: int
    webhook_id: int
    url: str  # masked
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None  # while pending
    delivered_at: datetime | None
    created_at: datetime


def _view(hook: Webhook, season_slug: str) -> WebhookView:
    return WebhookView(hook.id, season_slug, mask_url(hook.url), hook.format, tuple(hook.events), hook.created_at)


def add_webhook(session: Session, season: Season, url: str, fmt: str, events: list[str] | None = None,
                moment: datetime | None = None) -> WebhookView:
    url = clean_webhook_url(url)
    if fmt not in FORMATS:
        raise InvalidInputError(f"Unknown format {fmt!r}; choose discord, slack or json.")
    kinds = clean_events(events)
    active = list_webhooks(session, season)
    if len(active) >= MAX_WEBHOOKS_PER_SEASON:
        raise InvalidInputError(f"{season.name} already has {len(active)} webhooks, the most allowed.")
    hook = Webhook(season_id=season.id, url=url, format=fmt, events=kinds, created_at=moment or utcnow())
    session.add(hook)
    session.flush()
    return _view(hook, season.slug)


def list_webhooks(session: Session, season: Season) -> list[WebhookView]:
    hooks = session.scalars(select(Webhook).where(Webhook.season_id == season.id, Webhook.removed_at.is_(None))
                            .order_by(Webhook.id))
    return [_view(hook, season.slug) for hook in hooks]


def remove_webhook(session: Session, season: Season, webhook_id: int, moment: datetime | None = None) -> WebhookView:
    """Stop a webhook: its pending deliveries are cancelled; its log stays readable."""
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.season_id != season.id or hook.removed_at is not None:
        known = ", ".join(str(h.id) for h in list_webhooks(session, season)) or "none"
        raise NotFoundError(f"{season.name} has no webhook {webhook_id} (its webhooks: {known}).")
    hook.removed_at = moment or utcnow()
    session.execute(update(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id,
                                                  WebhookDelivery.status == PENDING).values(status=CANCELLED))
    session.flush()
    return _view(hook, season.slug)


def delivery_log(session: Session, season: Season, limit: int = 50) -> list[DeliveryView]:
    """The latest deliveries of a season's webhooks, newest first."""
    rows = session.execute(
        select(WebhookDelivery, Webhook.url, OutboxEvent.kind)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .where(Webhook.season_id == season.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)).all()
    return [DeliveryView(d.id, d.webhook_id, mask_url(url), kind, d.status, d.attempts, d.last_status_code,
                         d.last_error, d.next_attempt_at if d.status == PENDING else None, d.delivered_at,
                         d.created_at) for d, url, kind in rows]
