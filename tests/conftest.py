"""Shared fixtures: real workspaces on real SQLite files, and the real CLI."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kit.store.workspace import Workspace, init_workspace

SPEC_TEMPLATE = """
slug = "{slug}"
title = "{title}"
metric = "{metric}"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = {daily_limit}

[data]
source = "{source}"
seed = 7
"""


@dataclass
class KitWorkspace:
    path: Path
    workspace: Workspace
    organizer_token: str
    database_url: str | None = None

    def session(self, write: bool = False):
        return self.workspace.session(write=write)


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request):
    """None for a SQLite file in the workspace; else a fresh schema on the real PostgreSQL.

    PostgreSQL runs when KIT_TEST_DATABASE_URL is set (CI sets it); each test gets its own
    schema, dropped afterwards.
    """
    if request.param == "sqlite":
        yield None
        return
    base = os.environ.get("KIT_TEST_DATABASE_URL")
    if not base:
        pytest.skip("KIT_TEST_DATABASE_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    from sqlalchemy import create_engine, text

    schema = f"kit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        from kit.store.db import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def kit_workspace(tmp_path, monkeypatch, database_url) -> KitWorkspace:
    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    result = init_workspace(tmp_path / "ws", database_url)
    return KitWorkspace(tmp_path / "ws", result.workspace, result.organizer_token, database_url)


@pytest.fixture
def write_spec(tmp_path):
    def write(slug="iris", source="sklearn:iris", metric="accuracy", title="Iris test", daily_limit=5, extra=""):
        path = tmp_path / f"{slug}.toml"
        text = SPEC_TEMPLATE.format(slug=slug, title=title, metric=metric, source=source, daily_limit=daily_limit)
        path.write_text(text + extra, encoding="utf-8")
        return path

    return write


class Kit:
    """Runs `kit` commands in-process through Typer's runner, against one workspace."""

    def __init__(self, workspace: Path, organizer_token: str | None = None, database_url: str | None = None):
        self.workspace = workspace
        self.organizer_token = organizer_token
        self.database_url = database_url
        self.runner = CliRunner()

    def __call__(self, *args: str, token: str | None = None, organizer: bool = True, input: str | None = None):
        from kit.cli import app

        env = {"KIT_WORKSPACE": str(self.workspace), "KIT_DATABASE_URL": self.database_url or "", "COLUMNS": "200"}
        env["KIT_ORGANIZER_TOKEN"] = self.organizer_token if organizer and self.organizer_token else ""
        env["KIT_TOKEN"] = token or ""
        return self.runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def kit(kit_workspace) -> Kit:
    return Kit(kit_workspace.path, kit_workspace.organizer_token, kit_workspace.database_url)


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch):
    for name in ("KIT_WORKSPACE", "KIT_TOKEN", "KIT_ORGANIZER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def fashion_mnist_files() -> Path:
    """The folder of the real Fashion-MNIST IDX files; skips the test when absent."""
    from kit.challenge.datasets.fashion_mnist import find_local_files

    folder = find_local_files(None)
    if folder is None:
        pytest.skip("Fashion-MNIST files not present (apt-get install dataset-fashion-mnist)")
    return folder


def mixed_table(rows: int = 300, seed: int = 0):
    """A penguins-like table as found in the wild: text labels, categories, booleans, dates, gaps.

    The species follows from the island, the bill and the flipper, so a model that reads
    every kind of column beats the majority class by far.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    species = rng.choice(["Adelie", "Chinstrap", "Gentoo"], size=rows, p=[0.45, 0.2, 0.35])
    code = pd.Series(species).map({"Adelie": 0, "Chinstrap": 1, "Gentoo": 2}).to_numpy()
    islands = np.array([["Torgersen", "Biscoe", "Dream"], ["Dream", "Dream", "Biscoe"],
                        ["Biscoe", "Biscoe", "Biscoe"]])
    island = islands[code, rng.integers(0, 3, rows)]
    bill = np.array([38.8, 48.8, 47.5])[code] + rng.normal(0, 2.5, rows)
    flipper = np.round(np.array([190.0, 196.0, 217.0])[code] + rng.normal(0, 6, rows))
    frame = pd.DataFrame({
        "island": island,
        "bill_length_mm": bill.round(1),
        "flipper_length_mm": flipper,
        "sex": rng.choice(["male", "female"], rows),
        "tagged": rng.random(rows) < 0.5,
        "observed": pd.to_datetime("2024-04-01") + pd.to_timedelta(rng.integers(0, 120, rows), unit="D"),
        "species": species,
    })
    frame["observed"] = frame["observed"].dt.strftime("%Y-%m-%d")
    for column in ("island", "bill_length_mm", "flipper_length_mm", "sex", "observed"):
        frame.loc[rng.random(rows) < 0.1, column] = None  # 10 % gaps
    return frame


@pytest.fixture
def make_mixed_table():
    return mixed_table


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium():
    """Debian's headless Chromium, driven by Playwright (its own browser download fails here); the
    test is skipped where it is missing. Waits are long: a loaded machine draws pages slowly."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) — the browser test needs it")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield browser
        finally:
            browser.close()
