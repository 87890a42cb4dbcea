"""A covering index for the leaderboards: best scores per participant without sorting.

Revision ID: 0003_rank_index
Revises: 0002_checkins_awards
Create Date: 2026-11-23
"""

from alembic import op

revision = "0003_rank_index"
down_revision = "0002_checkins_awards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both boards read only this index (never the wide rows with the files' bytes): the
    # public board groups by participant in index order, the private board seeks each
    # participant's N-th best public score.
    op.create_index("ix_submission_rank", "submission",
                    ["challenge_id", "status", "participant_id", "public_score", "created_at", "id",
                     "private_score", "selected"])
    op.drop_index("ix_submission_board", table_name="submission")


def downgrade() -> None:
    op.create_index("ix_submission_board", "submission", ["challenge_id", "status", "public_score"])
    op.drop_index("ix_submission_rank", table_name="submission")
