"""The honest leaderboard: score intervals, per-row influences, the Ladder mode, the public noise.

Revision ID: 0009_intervals
Revises: 0008_team_board_indexes
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_intervals"
down_revision = "0008_team_board_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("challenge") as batch:
        batch.add_column(sa.Column("public_board", sa.String(10), nullable=False, server_default="best"))
        batch.add_column(sa.Column("public_noise", sa.Float))
    with op.batch_alter_table("submission") as batch:
        for name in ("public_low", "public_high", "private_low", "private_high"):
            batch.add_column(sa.Column(name, sa.Float))
        batch.add_column(sa.Column("ladder_step", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "submission_influence",
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("public", sa.LargeBinary),
        sa.Column("private", sa.LargeBinary),
    )
    # A Ladder board reads only the submissions that moved an entrant's displayed score.
    op.create_index("ix_submission_ladder", "submission",
                    ["challenge_id", "ladder_step", "participant_id", "public_score", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_submission_ladder", table_name="submission")
    op.drop_table("submission_influence")
    with op.batch_alter_table("submission") as batch:
        for name in ("ladder_step", "private_high", "private_low", "public_high", "public_low"):
            batch.drop_column(name)
    with op.batch_alter_table("challenge") as batch:
        batch.drop_column("public_noise")
        batch.drop_column("public_board")
