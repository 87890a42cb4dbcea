"""The store: the database engine, the typed models, Alembic migrations, workspaces and backups."""
