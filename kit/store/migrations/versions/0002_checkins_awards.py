"""Season life: daily check-ins and weekly awards.

Revision ID: 0002_checkins_awards
Revises: 0001_initial
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from kit.store.models import UTCDateTime

revision = "0002_checkins_awards"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("season_id", sa.Integer, sa.ForeignKey("season.id"), nullable=False, index=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participant.id"), nullable=False, index=True),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("url", sa.String(500)),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "award",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("challenge_id", sa.Integer, sa.ForeignKey("challenge.id"), nullable=False, index=True),
        sa.Column("place", sa.Integer, nullable=False),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participant.id"), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("challenge_id", "place"),
    )


def downgrade() -> None:
    op.drop_table("award")
    op.drop_table("checkin")
