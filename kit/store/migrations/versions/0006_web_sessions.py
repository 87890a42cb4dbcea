"""Web sessions: a browser's sign-in that lasts (the cookie's key, stored hashed).

Revision ID: 0006_web_sessions
Revises: 0005_webhooks
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from kit.store.models import UTCDateTime

revision = "0006_web_sessions"
down_revision = "0005_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_session")
