"""The store's tables as SQLAlchemy 2 typed models.

The schema itself is created only by Alembic migrations (kit/migrations); these
classes describe it for queries. Timestamps are UTC everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Stores timezone-aware UTC datetimes and always returns them aware.

    SQLite has no time zones, so values go in as naive UTC and come back tagged.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use kit.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# How a season's standings count: one row per team (members' check-ins pooled), or one
# row per person (each member earns the team's challenge points).
TEAM_STANDINGS = "team"
PERSON_STANDINGS = "participant"


class SubmissionStatus(StrEnum):
    """What became of a stored submission (the database refuses any other value)."""

    SCORED = "scored"
    REJECTED = "rejected"


class Base(DeclarativeBase):
    pass


class Season(Base):
    __tablename__ = "season"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer, default=27)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    hashtag: Mapped[str | None] = mapped_column(String(100))
    self_registration: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Teams: the most members a team may have, when merges stop (None: at the season's
    # end), and whether the season standings rank teams or people (TEAM_STANDINGS, PERSON_STANDINGS).
    max_team_size: Mapped[int] = mapped_column(Integer, default=4)
    team_merge_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    standings_by: Mapped[str] = mapped_column(String(20), default="team")

    challenges: Mapped[list[Challenge]] = relationship(back_populates="season", order_by="Challenge.week")


class Challenge(Base):
    __tablename__ = "challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int | None] = mapped_column(ForeignKey("season.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    week: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when an organizer closes the challenge early; the close time passing closes it too.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(500))
    target: Mapped[str] = mapped_column(String(200))
    id_column: Mapped[str] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(String(20))  # classification | regression
    metric: Mapped[str] = mapped_column(String(50))
    classes: Mapped[list | None] = mapped_column(JSON)
    image_shape: Mapped[list | None] = mapped_column(JSON)
    feature_count: Mapped[int] = mapped_column(Integer)
    train_rows: Mapped[int] = mapped_column(Integer)
    test_rows: Mapped[int] = mapped_column(Integer)
    public_rows: Mapped[int] = mapped_column(Integer)
    # "best": each entrant's best public score shows; "ladder": it moves only by more than the noise.
    public_board: Mapped[str] = mapped_column(String(10), default="best", server_default="best")
    # Half-width of the 95 % public interval a typical submission gets (estimated when added).
    public_noise: Mapped[float | None] = mapped_column(Float)
    daily_limit: Mapped[int] = mapped_column(Integer)
    final_selections: Mapped[int] = mapped_column(Integer)
    max_file_bytes: Mapped[int] = mapped_column(Integer)
    spec_toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    season: Mapped[Season | None] = relationship(back_populates="challenges")
    files: Mapped[list[ChallengeFile]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="ChallengeFile.name"
    )


class ChallengeFile(Base):
    """A bundle file or the hidden solution, gzip-compressed, byte-identical on every rebuild."""

    __tablename__ = "challenge_file"
    __table_args__ = (UniqueConstraint("challenge_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # the solution: never served
    gzip_content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)  # uncompressed bytes
    sha256: Mapped[str] = mapped_column(String(64))

    challenge: Mapped[Challenge] = relationship(back_populates="files")


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # kit.names.name_key: names that look alike (case, confusable letters, punctuation) share one key.
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Submission(Base):
    __tablename__ = "submission"
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{status.value}'" for status in SubmissionStatus) + ")",
                        name="ck_submission_status"),
        # The daily limit counts a participant's submissions of one day.
        Index("ix_submission_daily", "challenge_id", "participant_id", "created_at"),
        # Both boards read only these indexes (never the wide rows with the files' bytes): one
        # per participant (team_id tells solo rows apart), one per team.
        Index("ix_submission_rank", "challenge_id", "status", "participant_id", "public_score", "created_at", "id",
              "private_score", "selected", "team_id"),
        Index("ix_submission_team", "challenge_id", "status", "team_id", "public_score", "created_at", "id",
              "participant_id", "private_score", "selected"),
        # The top public scores of a challenge, for the new-leader check (webhooks) in a submission.
        Index("ix_submission_leader", "challenge_id", "status", "public_score", "created_at", "id", "participant_id",
              "team_id"),
        # A Ladder board reads only the submissions that moved an entrant's displayed score.
        Index("ix_submission_ladder", "challenge_id", "ladder_step", "participant_id", "public_score", "created_at",
              "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(String(500), default="")
    # The file's bytes load only when read: histories and boards never pull them.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # a SubmissionStatus; the CHECK constraint refuses others
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    public_score: Mapped[float | None] = mapped_column(Float)
    private_score: Mapped[float | None] = mapped_column(Float)
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    # The team the submission counts for (None: the participant alone). A merge moves the
    # submissions of the season's open challenges to the merged team; closed ones keep theirs.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    # 95 % intervals, computed when graded; the private ones are shown only once the challenge closes.
    public_low: Mapped[float | None] = mapped_column(Float)
    public_high: Mapped[float | None] = mapped_column(Float)
    private_low: Mapped[float | None] = mapped_column(Float)
    private_high: Mapped[float | None] = mapped_column(Float)
    # On a Ladder challenge: this submission moved its entrant's displayed public score.
    ladder_step: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    challenge: Mapped[Challenge] = relationship()
    participant: Mapped[Participant] = relationship()


class SubmissionInfluence(Base):
    """Each row's influence on a submission's Public and Private scores (zlib'd float32, solution order).

    What paired comparisons read: two submissions of one challenge line up row by row. Kept
    apart from the submission row so the boards' index scans never carry it. Never served.
    """

    __tablename__ = "submission_influence"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    public: Mapped[bytes | None] = mapped_column(LargeBinary)
    private: Mapped[bytes | None] = mapped_column(LargeBinary)


class KitSetting(Base):
    """Workspace-wide key/value settings, such as the organizer token's hash."""

    __tablename__ = "kit_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CheckIn(Base):
    """A participant's learning log for one day of a season (one row per log entry)."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    day: Mapped[int] = mapped_column(Integer)  # 1..27, in the season's time zone
    note: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship()


class Award(Base):
    """The organizer's note for one of a closed challenge's top three."""

    __tablename__ = "award"
    __table_args__ = (UniqueConstraint("challenge_id", "place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id"), index=True)
    place: Mapped[int] = mapped_column(Integer)  # 1, 2 or 3
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    note: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship()


class Team(Base):
    """Participants who submit, rank and win as one, within one season."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("season_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    name_key: Mapped[str] = mapped_column(String(64))  # kit.names.name_key: unique per season among look-alikes
    # Shown to the team's members so they can invite others; not a credential.
    invite_code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    members: Mapped[list[TeamMember]] = relationship(back_populates="team", order_by="TeamMember.joined_at")


class TeamMember(Base):
    __tablename__ = "team_member"
    # One team per participant per season.
    __table_args__ = (UniqueConstraint("season_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship(back_populates="members")
    participant: Mapped[Participant] = relationship()


class Webhook(Base):
    """An organizer's endpoint for a season's moments, in one chat format."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id"), index=True)
    # Chat webhook URLs embed their own secret: shown masked, never logged or sent.
    url: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(20))  # discord | slack | json
    events: Mapped[list] = mapped_column(JSON)  # event kinds it receives
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # kept for the delivery log


class OutboxEvent(Base):
    """A season moment, stored in the transaction that caused it; `key` makes it happen once."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict] = mapped_column(JSON)  # public data only: what every format is rendered from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    """One event to one webhook: the worker's queue and the organizer's delivery log."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("outbox_event.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # pending | delivered | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the worker may try next; a claimed row is pushed ahead so one worker sends it.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    webhook: Mapped[Webhook] = relationship()
    event: Mapped[OutboxEvent] = relationship()


class WebSession(Base):
    """A browser's lasting sign-in: the cookie holds a signed random key, the store only its hash."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # None: the organizer's session (signed in with the organizer token).
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    participant: Mapped[Participant | None] = relationship()
