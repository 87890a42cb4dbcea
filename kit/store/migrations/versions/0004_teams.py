"""Teams: a season's team rules, teams and their members, and the team a submission counts for.

Revision ID: 0004_teams
Revises: 0003_rank_index
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from kit.store.models import UTCDateTime

revision = "0004_teams"
down_revision = "0003_rank_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("season") as batch:
        batch.add_column(sa.Column("max_team_size", sa.Integer, nullable=False, server_default="4"))
        batch.add_column(sa.Column("team_merge_deadline", UTCDateTime))
        batch.add_column(sa.Column("standings_by", sa.String(20), nullable=False, server_default="team"))
    op.create_table(
        "team",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("season_id", sa.Integer, sa.ForeignKey("season.id"), nullable=False, index=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("invite_code", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("season_id", "name_key"),
    )
    op.create_table(
        "team_member",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id"), nullable=False, index=True),
        sa.Column("season_id", sa.Integer, sa.ForeignKey("season.id"), nullable=False),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participant.id"), nullable=False, index=True),
        sa.Column("joined_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("season_id", "participant_id"),
    )
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id", name="fk_submission_team")))
    # The boards read a challenge's team submissions through this index; with no teams it is empty to scan.
    op.create_index("ix_submission_team", "submission", ["challenge_id", "status", "team_id"])


def downgrade() -> None:
    op.drop_index("ix_submission_team", table_name="submission")
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("fk_submission_team", type_="foreignkey")
        batch.drop_column("team_id")
    op.drop_table("team_member")
    op.drop_table("team")
    with op.batch_alter_table("season") as batch:
        batch.drop_column("standings_by")
        batch.drop_column("team_merge_deadline")
        batch.drop_column("max_team_size")
