"""The webhook worker: finds the clock's moments, then posts pending deliveries with retries.

Each tick: store the moments that have come (`outbox.enqueue_due_events`), claim the
deliveries that are due (pushing their next try ahead, so two servers never send one
twice), post each with httpx and a timeout outside any transaction, and record the
outcome. A failure is retried with exponential backoff (30 s, 1, 2, 4, 8 min) until
MAX_ATTEMPTS; a 4xx other than 408/429 will not get better and fails at once.

`kit serve` runs ticks on a background thread (WebhookWorker); `kit webhook deliver`
runs one. Submissions never wait for any of it: they only add outbox rows.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from kit.clock import utcnow
from kit.services.outbox import PENDING, due_moments, enqueue_due_events
from kit.services.webhook_formats import render_body
from kit.services.webhooks import mask_url
from kit.store.models import OutboxEvent, Season, Webhook, WebhookDelivery

log = logging.getLogger("kit.webhooks")

DELIVERED = "delivered"
FAILED = "failed"
MAX_ATTEMPTS = 6
BACKOFF_S = 30.0
TIMEOUT_S = 5.0
CLAIM_S = 60.0  # a claimed delivery is retried after this if its worker died mid-send
BATCH = 20
TICK_S = 5.0


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    url: str
    body: dict


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str | None
    permanent: bool = False


@dataclass
class TickReport:
    events: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 30 s, then doubling."""
    return timedelta(seconds=BACKOFF_S * 2 ** (attempts - 1))


def claim_due(workspace, now: datetime, limit: int = BATCH) -> list[Claimed]:
    with workspace.session(write=True) as session:
        query = (select(WebhookDelivery, Webhook, OutboxEvent, Season.slug)
                 .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                 .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
                 .join(Season, Season.id == OutboxEvent.season_id)
                 .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
                 .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
        if session.get_bind().dialect.name != "sqlite":  # SQLite's write lock already serialises claims
            query = query.with_for_update(of=WebhookDelivery, skip_locked=True)
        claimed = []
        for delivery, hook, event, season in session.execute(query).all():
            delivery.next_attempt_at = now + timedelta(seconds=CLAIM_S)
            body = render_body(hook.format, event.kind, season, event.payload, event.created_at)
            claimed.append(Claimed(delivery.id, hook.url, body))
        return claimed


def post(client: httpx.Client, claimed: Claimed) -> Outcome:
    """One try; the error recorded never quotes the URL (it holds the webhook's secret)."""
    try:
        response = client.post(claimed.url, json=claimed.body)
    except httpx.TimeoutException:
        return Outcome(False, None, "no answer in time (timed out)")
    except httpx.HTTPError as error:
        return Outcome(False, None, f"could not connect ({type(error).__name__})")
    if response.is_success:
        return Outcome(True, response.status_code, None)
    permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
    return Outcome(False, response.status_code, f"HTTP {response.status_code} {response.reason_phrase}"[:200],
                   permanent)


def record(workspace, delivery_id: int, outcome: Outcome, now: datetime) -> str:
    with workspace.session(write=True) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery.status != PENDING:  # cancelled meanwhile: keep that
            return delivery.status
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        if outcome.ok:
            delivery.status, delivery.delivered_at = DELIVERED, now
        elif outcome.permanent or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        return delivery.status


def run_tick(workspace, moment: datetime | None = None, client: httpx.Client | None = None) -> TickReport:
    """Store the moments that have come, then send what is due."""
    now = moment or utcnow()
    report = TickReport()
    # Reads first: on SQLite a write transaction takes the write lock, which an idle tick
    # every few seconds has no business taking from submissions.
    with workspace.session() as session:
        moments = bool(due_moments(session, now))
        sending = session.scalar(select(WebhookDelivery.id).where(
            WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now).limit(1)) is not None
    if moments:
        with workspace.session(write=True) as session:
            report.events = enqueue_due_events(session, now)
    claimed = claim_due(workspace, now) if moments or sending else []
    if not claimed:
        return report
    own_client = client is None
    client = client or httpx.Client(timeout=TIMEOUT_S, follow_redirects=False)
    try:
        for item in claimed:
            outcome = post(client, item)
            status = record(workspace, item.delivery_id, outcome, now)
            if status == DELIVERED:
                report.delivered += 1
            elif status == FAILED:
                report.failed += 1
                log.warning("webhook delivery %s to %s failed for good: %s", item.delivery_id, mask_url(item.url),
                            outcome.error)
            else:
                report.retrying += 1
    finally:
        if own_client:
            client.close()
    return report


class WebhookWorker:
    """Runs a tick every `interval_s` on a daemon thread until stopped; a tick's error is logged, never fatal."""

    def __init__(self, workspace, interval_s: float = TICK_S, timeout_s: float = TIMEOUT_S):
        self.workspace = workspace
        self.interval_s, self.timeout_s = interval_s, timeout_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kit-webhooks", daemon=True)

    def start(self) -> WebhookWorker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.timeout_s + 5)

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client:
            while not self._stop.is_set():
                try:
                    run_tick(self.workspace, client=client)
                except Exception:  # the database may be busy or gone for a moment; try again next tick
                    log.exception("webhook tick failed")
                self._stop.wait(self.interval_s)
