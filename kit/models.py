"""The store's tables as SQLAlchemy 2 typed models.

The schema itself is created only by Alembic migrations (kit/migrations); these
classes describe it for queries. Timestamps are UTC everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
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
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# Submission statuses.
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
    # Lower-cased name: names are unique regardless of case.
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Submission(Base):
    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # scored | rejected
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    public_score: Mapped[float | None] = mapped_column(Float)
    private_score: Mapped[float | None] = mapped_column(Float)
    selected: Mapped[bool] = mapped_column(Boolean, default=False)

    challenge: Mapped[Challenge] = relationship()
    participant: Mapped[Participant] = relationship()


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
