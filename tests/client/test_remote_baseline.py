"""`kit baseline` as a client of a real `kit serve`: trained on the server's public bundle, from a
folder with no workspace; the file it writes is scored by the server, and the organizer's
--submit puts a baseline row on the board; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from pathlib import Path

NEVER_ON_A_CLIENT = {"sqlalchemy", "kit.store", "kit.services", "kit.challenge", "streamlit"}


def test_a_participant_trains_a_baseline_remotely_and_the_server_scores_it(organizer, remote):
    # A participant who installed the baselines extra: this environment's python, not the base one.
    remote = dataclasses.replace(remote, python=Path(sys.executable))
    folder = remote.folder
    token = re.search(r"kit_[A-Za-z0-9_-]+", remote("register", "bea-baseline").stdout).group(0)

    trained = remote("baseline", "iris", "--model", "logreg", "-o", "out.csv")
    assert trained.returncode == 0, trained.stderr
    assert "logreg on iris: validation accuracy" in trained.stdout and "Wrote out.csv" in trained.stdout
    assert "kit submit iris -f out.csv" in trained.stdout

    cache = Path(os.environ.get("XDG_CACHE_HOME") or folder / ".cache") / "challenge-kit" / "bundles" / "iris"
    assert [p.name for p in cache.glob("*/train.csv")] == ["train.csv"], "the bundle is kept, by its digest"

    scored = remote("submit", "iris", "-f", "out.csv", token=token)
    assert scored.returncode == 0, scored.stderr
    public = float(re.search(r"scored: public accuracy ([0-9.]+)", scored.stdout).group(1))
    assert public > 0.8, scored.stdout  # iris: a real model, not a constant guess

    refused = remote("baseline", "iris", "--submit", token=token)  # a baseline row is the organizer's
    assert refused.returncode == 1 and "kit submit iris -f" in refused.stderr, refused.stderr
    added = remote("baseline", "iris", "--submit", "--organizer-token", organizer.organizer_token, "-o", "b.csv")
    assert added.returncode == 0, added.stderr
    assert "Submitted as baseline: public accuracy" in added.stdout
    board = remote("leaderboard", "iris")
    assert board.returncode == 0 and "bea-baseline" in board.stdout and "logreg" in board.stdout, board.stdout

    assert not list(folder.rglob("*.sqlite3*")) and not (folder / "kit-workspace").exists()
    for argv, heavy in remote.imported():
        assert not heavy & NEVER_ON_A_CLIENT, (argv, heavy)


def test_the_base_package_says_how_to_install_the_baselines(organizer, remote):
    missing = remote("baseline", "iris")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "pip install 'challenge-kit[baselines]'" in " ".join(missing.stderr.split())
