"""Bytes that are not UTF-8 in anything a person types: refused before any work, nothing lost.

A message holding an invalid UTF-8 byte reached the database after grading and failed
there, losing the graded submission. Python carries such bytes as lone surrogates (from
argv, or from JSON escapes); the one free-text check refuses them up front, on both back ends.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "\udcff"  # how Python decodes the byte 0xFF in a command-line argument
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def challenge_and_token(kit, write_spec, tmp_path):
    assert kit("challenge", "add", str(write_spec(slug="iris", daily_limit=50))).exit_code == 0
    token = re.search(r"kit_[A-Za-z0-9_-]+", kit("register", "ascii-only").output).group(0)
    assert kit("download", "iris", "-p", str(tmp_path / "bundle")).exit_code == 0
    return token, tmp_path / "bundle" / "sample_submission.csv"


def test_a_message_with_a_non_utf8_byte_is_refused_before_grading(kit, challenge_and_token):
    token, sample = challenge_and_token
    result = kit("submit", "iris", "-f", str(sample), "-m", f"tried C=1 {BAD}", token=token)
    assert result.exit_code == 1 and "not valid UTF-8" in result.output, result.output
    assert json.loads(kit("submissions", "iris", "--json", token=token).output) == []
    # The same file with a clean message is graded and stored.
    assert kit("submit", "iris", "-f", str(sample), "-m", "tried C=1", token=token).exit_code == 0
    assert len(json.loads(kit("submissions", "iris", "--json", token=token).output)) == 1


def test_raw_bytes_on_a_real_command_line(kit_workspace, kit, challenge_and_token):
    # A real process: the byte goes through the OS argv, not a Python string we built.
    token, sample = challenge_and_token
    env = {**os.environ, "PYTHONPATH": str(REPO), "KIT_WORKSPACE": str(kit_workspace.path), "KIT_TOKEN": token,
           "KIT_DATABASE_URL": kit_workspace.database_url or "", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "kit", "submit", "iris", "-f", str(sample), "-m", b"C=1 \xff\xfe"],
                          env=env, capture_output=True, timeout=120)
    assert done.returncode == 1 and b"not valid UTF-8" in done.stderr, done.stderr
    assert b"Traceback" not in done.stderr
    assert json.loads(kit("submissions", "iris", "--json", token=token).output) == []


def test_every_command_taking_text_refuses_the_byte_cleanly(kit, challenge_and_token, tmp_path):
    token, sample = challenge_and_token
    commands = [
        ("register", f"bob{BAD}"),
        ("season", "create", "s-one", "--name", f"Season {BAD}", "--starts", "2020-01-06"),
        ("season", "create", "s-two", "--name", "Season two", "--starts", "2020-01-06", "--hashtag", f"#x{BAD}"),
        ("log", f"learned {BAD}"),
        ("team", "create", f"team {BAD}"),
        ("challenge", "show", f"iris{BAD}"),
        ("submit", f"iris{BAD}", "-f", str(sample)),
        ("submit", "iris", "-f", str(sample), "-m", BAD),
    ]
    for args in commands:
        result = kit(*args, token=token)  # the runner re-raises anything that is not a clean exit
        assert result.exit_code in (0, 1), (args, result.output)
        assert result.exit_code == 0 or result.output.startswith("Error:"), (args, result.output)
        if result.exit_code == 0:
            assert BAD not in result.output
