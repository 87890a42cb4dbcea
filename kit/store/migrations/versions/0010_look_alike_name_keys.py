"""Name keys that make look-alike names one name: NFKC, case folding and the confusables skeleton
(kit.names.name_key) instead of lower-casing. Existing rows get the new key; when two existing
names now share one, the later keeps its old key with its id appended, so no row is lost and
both stay reachable.

Revision ID: 0010_look_alike_name_keys
Revises: 0009_intervals
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_look_alike_name_keys"
down_revision = "0009_intervals"
branch_labels = None
depends_on = None


def _rekey(table: str, scope: str | None, key) -> None:
    connection = op.get_bind()
    columns = "id, name" + (f", {scope}" if scope else "")
    seen: set = set()
    for row in connection.execute(sa.text(f"SELECT {columns} FROM {table} ORDER BY id")).all():
        new = key(row.name)
        scoped = (getattr(row, scope) if scope else None, new)
        if scoped in seen:
            new = f"{new}#{row.id}"[:64]
        seen.add((scoped[0], new))
        connection.execute(sa.text(f"UPDATE {table} SET name_key = :key WHERE id = :id"), {"key": new, "id": row.id})


def _placeholder_keys(table: str) -> None:
    # Two passes so no update collides with a key another row still holds.
    op.get_bind().execute(sa.text(f"UPDATE {table} SET name_key = '#' || CAST(id AS VARCHAR(20))"))


def upgrade() -> None:
    from kit.names import name_key

    for table, scope in (("participant", None), ("team", "season_id")):
        _placeholder_keys(table)
        _rekey(table, scope, name_key)


def downgrade() -> None:
    for table, scope in (("participant", None), ("team", "season_id")):
        _placeholder_keys(table)
        _rekey(table, scope, lambda name: name.lower())
