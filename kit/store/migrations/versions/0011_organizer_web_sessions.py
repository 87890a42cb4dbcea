"""The organizer's lasting web sign-in: a web session with no participant is the organizer's.

Revision ID: 0011_organizer_web_sessions
Revises: 0010_look_alike_name_keys
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_organizer_web_sessions"
down_revision = "0010_look_alike_name_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot change a column's nullability: batch mode copies the table (indexes included).
    with op.batch_alter_table("web_session") as batch:
        batch.alter_column("participant_id", existing_type=sa.Integer, nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM web_session WHERE participant_id IS NULL")  # the organizer signs in again
    with op.batch_alter_table("web_session") as batch:
        batch.alter_column("participant_id", existing_type=sa.Integer, nullable=False)
