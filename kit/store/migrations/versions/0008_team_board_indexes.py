"""Indexes for teams and notifications: the rank index carries team_id, the team index covers a team's
rows, and the leader index finds a challenge's top public scores with one seek (the new-leader check a
submission makes inside its write transaction).

Revision ID: 0008_team_board_indexes
Revises: 0007_submission_status_check
Create Date: 2026-11-25
"""

from alembic import op

revision = "0008_team_board_indexes"
down_revision = "0007_submission_status_check"
branch_labels = None
depends_on = None

RANK = ["challenge_id", "status", "participant_id", "public_score", "created_at", "id", "private_score", "selected"]


def upgrade() -> None:
    # The per-participant board query tells solo rows from team rows without reading the table.
    op.drop_index("ix_submission_rank", table_name="submission")
    op.create_index("ix_submission_rank", "submission", [*RANK, "team_id"])
    # The per-team board query (best, count, N-th best, candidates) reads only this index.
    op.drop_index("ix_submission_team", table_name="submission")
    op.create_index("ix_submission_team", "submission",
                    ["challenge_id", "status", "team_id", "public_score", "created_at", "id", "participant_id",
                     "private_score", "selected"])
    op.create_index("ix_submission_leader", "submission",
                    ["challenge_id", "status", "public_score", "created_at", "id", "participant_id", "team_id"])


def downgrade() -> None:
    op.drop_index("ix_submission_leader", table_name="submission")
    op.drop_index("ix_submission_team", table_name="submission")
    op.create_index("ix_submission_team", "submission", ["challenge_id", "status", "team_id"])
    op.drop_index("ix_submission_rank", table_name="submission")
    op.create_index("ix_submission_rank", "submission", RANK)
