"""Initial schema: seasons, challenges and their files, participants, submissions.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from kit.store.models import UTCDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "season",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hashtag", sa.String(100)),
        sa.Column("self_registration", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "challenge",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("season_id", sa.Integer, sa.ForeignKey("season.id"), index=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("week", sa.Integer),
        sa.Column("opens_at", UTCDateTime, nullable=False),
        sa.Column("closes_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("id_column", sa.String(200), nullable=False),
        sa.Column("task", sa.String(20), nullable=False),
        sa.Column("metric", sa.String(50), nullable=False),
        sa.Column("classes", sa.JSON),
        sa.Column("image_shape", sa.JSON),
        sa.Column("feature_count", sa.Integer, nullable=False),
        sa.Column("train_rows", sa.Integer, nullable=False),
        sa.Column("test_rows", sa.Integer, nullable=False),
        sa.Column("public_rows", sa.Integer, nullable=False),
        sa.Column("daily_limit", sa.Integer, nullable=False),
        sa.Column("final_selections", sa.Integer, nullable=False),
        sa.Column("max_file_bytes", sa.Integer, nullable=False),
        sa.Column("spec_toml", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "challenge_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("challenge_id", sa.Integer, sa.ForeignKey("challenge.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("gzip_content", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("challenge_id", "name"),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("is_baseline", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("challenge_id", sa.Integer, sa.ForeignKey("challenge.id"), nullable=False, index=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participant.id"), nullable=False, index=True),
        sa.Column("created_at", UTCDateTime, nullable=False, index=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error_code", sa.String(50)),
        sa.Column("error", sa.Text),
        sa.Column("public_score", sa.Float),
        sa.Column("private_score", sa.Float),
        sa.Column("selected", sa.Boolean, nullable=False),
    )
    # The daily-limit count and a participant's history read by these three.
    op.create_index("ix_submission_daily", "submission", ["challenge_id", "participant_id", "created_at"])
    # The leaderboard reads scored rows of one challenge.
    op.create_index("ix_submission_board", "submission", ["challenge_id", "status", "public_score"])
    op.create_table(
        "kit_setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("kit_setting", "submission", "participant", "challenge_file", "challenge", "season"):
        op.drop_table(table)
