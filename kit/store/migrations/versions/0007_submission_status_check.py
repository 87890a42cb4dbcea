"""The database refuses a submission status other than 'scored' or 'rejected'; map_at_3 is spelt map@3.

Revision ID: 0007_submission_status_check
Revises: 0006_web_sessions
Create Date: 2026-11-25
"""

from alembic import op

revision = "0007_submission_status_check"
down_revision = "0006_web_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot add a constraint to a table: batch mode copies the table (indexes included).
    with op.batch_alter_table("submission") as batch:
        batch.create_check_constraint("ck_submission_status", "status IN ('scored', 'rejected')")
    # One metric spelling, map@K: a challenge stored with the old alias keeps its metric.
    op.execute("UPDATE challenge SET metric = 'map@3' WHERE metric = 'map_at_3'")


def downgrade() -> None:
    # The metric keeps the map@3 spelling: older kits read it too.
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("ck_submission_status", type_="check")
