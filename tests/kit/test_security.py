"""Security: secret tokens, organizer-only actions, hidden labels, formula injection, paths, input limits."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from sqlalchemy import select, text

import grader
from kit.challenge.bundle import solution_bytes
from kit.challenge.lookup import get_challenge
from kit.challenge.spec import parse_spec
from kit.errors import AuthError, DatasetError, InvalidInputError, SpecError
from kit.services.exports import FORMULA_PREFIXES, neutralise
from kit.services.participants import create_participant
from kit.services.submissions import submit
from kit.store.models import KitSetting, Participant

SPEC = """
slug = "houses"
title = "Secret houses"
metric = "rmse"
opens = 2020-01-01T00:00:00Z
closes = 2099-01-01T00:00:00Z
daily_limit = 100

[data]
source = "csv:{path}"
target = "price"
id_column = "id"
seed = 11
"""


def token_of(output: str, prefix: str = "kit") -> str:
    return re.search(rf"{prefix}_[A-Za-z0-9_-]+", output).group(0)


@pytest.fixture
def houses(kit, kit_workspace, tmp_path):
    """A regression challenge whose every price is a distinctive number that appears nowhere else."""
    rows = 120
    frame = pd.DataFrame({"id": range(1, rows + 1), "rooms": [i % 6 + 1 for i in range(rows)],
                          "price": [round(731_000.137 + 97.311 * i + (i * i % 17) * 0.013, 3) for i in range(rows)]})
    (tmp_path / "data").mkdir()
    frame.to_csv(tmp_path / "data" / "houses.csv", index=False)
    spec = tmp_path / "houses.toml"
    spec.write_text(SPEC.format(path="data/houses.csv"))
    result = kit("challenge", "add", str(spec))
    assert result.exit_code == 0, result.output
    with kit_workspace.session() as session:
        return pd.read_csv(io.BytesIO(solution_bytes(session, get_challenge(session, "houses"))))


def hidden_strings(truth: pd.DataFrame) -> list[str]:
    """Every way a test row's price could be written in a message."""
    out = []
    for value in truth["price"]:
        out += [str(value), repr(float(value)), f"{value:.2f}", f"{value:,.2f}", f"{value:.3f}"]
    return out


# -- tokens -------------------------------------------------------------------------------------------


def test_tokens_are_random_and_stored_only_as_hashes(kit, kit_workspace):
    tokens = [token_of(kit("register", f"person-{n}").output) for n in range(5)]
    assert len(set(tokens)) == 5 and all(len(t) >= 36 for t in tokens)
    secrets = tokens + [kit_workspace.organizer_token]
    with kit_workspace.session() as session:
        stored = [p.token_hash for p in session.scalars(select(Participant))]
        stored.append(session.get(KitSetting, "organizer_token_hash").value)
    assert sorted(stored) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in secrets)
    with kit_workspace.workspace.engine.connect() as connection:  # every text column of every row
        dump = "\n".join(str(row) for table in ("participant", "kit_setting", "submission", "challenge")
                         for row in connection.execute(text(f"SELECT * FROM {table}")))
    if kit_workspace.database_url is None:  # and the raw bytes of the SQLite file and its WAL
        dump += "".join(path.read_bytes().decode("latin-1") for path in kit_workspace.path.glob("kit.sqlite3*"))
    for secret in secrets:
        assert secret not in dump and secret.split("_", 1)[1] not in dump


def test_tokens_are_compared_in_constant_time_and_a_near_miss_is_refused(kit, kit_workspace, monkeypatch):
    token = token_of(kit("register", "ada").output)
    near_misses = [token[:-1] + ("A" if token[-1] != "A" else "B"), "x" + token[1:], token.upper(),
                   token[:-1], token + "x"]
    for wrong in near_misses:
        with kit_workspace.session() as session, pytest.raises(AuthError, match="not valid"):
            from kit.services.participants import authenticate

            authenticate(session, wrong)
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    with kit_workspace.session() as session:
        from kit.services.participants import authenticate
        from kit.store.organizer_token import require_organizer

        authenticate(session, token)
        require_organizer(session, kit_workspace.organizer_token)
        with pytest.raises(AuthError):
            require_organizer(session, kit_workspace.organizer_token[:-1] + "x")
    assert len(calls) == 3  # every check went through hmac.compare_digest


def test_every_organizer_action_needs_the_organizer_token(kit, kit_workspace, write_spec, tmp_path):
    assert kit("challenge", "add", str(write_spec(slug="open-one"))).exit_code == 0
    backup = tmp_path / "b.sqlite3"
    actions = [
        ("season", "create", "s-one", "--name", "Season one", "--starts", "2026-12-01"),
        ("challenge", "add", str(write_spec(slug="another"))),
        ("challenge", "close", "open-one"),
        ("backup", str(backup)),
        ("restore", str(backup)),
    ]
    if kit_workspace.database_url is None:
        assert kit("backup", str(tmp_path / "good.sqlite3")).exit_code == 0
        actions[-1] = ("restore", str(tmp_path / "good.sqlite3"))
    wrong = kit_workspace.organizer_token[:-2] + "zz"
    participant = token_of(kit("register", "mallory").output)
    before = kit("challenge", "list", "--json").output
    for action in actions:
        for attempt in ({"organizer": False}, {"organizer": False, "extra": ["--organizer-token", wrong]},
                        {"organizer": False, "extra": ["--organizer-token", participant]}):
            result = kit(*action, *attempt.get("extra", []), organizer=False, token=participant)
            assert result.exit_code == 1, (action, attempt, result.output)
            if action[0] in ("backup", "restore") and kit_workspace.database_url is not None:
                assert "pg_dump" in result.output or "pg_restore" in result.output
            else:
                assert "organizer action" in result.output, (action, result.output)
    assert kit("challenge", "list", "--json").output == before
    assert "s-one" not in kit("season", "show", "s-one").output or kit("season", "show", "s-one").exit_code == 1
    assert not backup.exists()


# -- what stays hidden before the close ---------------------------------------------------------------


def test_private_scores_and_the_solution_stay_hidden_until_close(kit, kit_workspace, houses, tmp_path):
    token = token_of(kit("register", "ada").output)
    other = token_of(kit("register", "grace").output)
    good = tmp_path / "good.csv"
    houses[["id", "price"]].assign(price=houses["price"] + 1.0).to_csv(good, index=False)
    assert kit("submit", "houses", "-f", str(good), token=token).exit_code == 0

    mine = json.loads(kit("submissions", "houses", "--json", token=token).output)
    assert mine[0]["public_score"] == pytest.approx(1.0) and mine[0]["private_score"] is None
    assert "hidden until close" in kit("submissions", "houses", token=token).output
    assert json.loads(kit("submissions", "houses", "--json", token=other).output) == []  # not another's files
    result = kit("leaderboard", "houses", "--private")
    assert result.exit_code == 1 and "revealed when it closes" in result.output
    assert kit("leaderboard", "houses", "--private", "--csv").exit_code == 1

    folder = tmp_path / "bundle"
    assert kit("download", "houses", "-p", str(folder)).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "sample_submission.csv", "test.csv", "train.csv"]
    bundle = "".join(p.read_text() for p in folder.iterdir())
    assert [value for value in hidden_strings(houses) if value in bundle] == []
    assert "Usage" not in (folder / "test.csv").read_text()

    assert kit("challenge", "close", "houses").exit_code == 0
    mine = json.loads(kit("submissions", "houses", "--json", token=token).output)
    assert mine[0]["private_score"] == pytest.approx(1.0)
    assert kit("leaderboard", "houses", "--private").exit_code == 0
    assert kit("download", "houses", "-p", str(tmp_path / "after")).exit_code == 0
    assert not (tmp_path / "after" / "solution.csv").exists()


def rejections(truth: pd.DataFrame) -> dict[str, bytes]:
    ids, prices = truth["id"].tolist(), truth["price"].tolist()
    body = lambda rows: ("id,price\n" + "".join(f"{i},{p}\n" for i, p in rows)).encode()  # noqa: E731
    return {
        "missing column": ("id,value\n" + "".join(f"{i},1\n" for i in ids)).encode(),
        "missing rows": body([(i, 1) for i in ids[:-3]]),
        "unknown ids": body([(i + 10_000, 1) for i in ids]),
        "duplicate ids": body([(ids[0], 1)] + [(i, 1) for i in ids[1:-1]] + [(ids[0], 2)]),
        "nan": body([(i, "nan" if n == 4 else 1) for n, i in enumerate(ids)]),
        "text": body([(i, "cheap" if n == 7 else 1) for n, i in enumerate(ids)]),
        "inf": body([(i, "inf" if n == 9 else 1) for n, i in enumerate(ids)]),
        "empty cell": body([(i, "" if n == 2 else 1) for n, i in enumerate(ids)]),
        "extra row": body([(i, 1) for i in ids] + [(999_999, 1)]),
        "true prices, one id short": body(list(zip(ids, prices, strict=True))[1:]),
        "true prices, one id wrong": body([(ids[0] + 777_777, prices[0])] + list(zip(ids, prices, strict=True))[1:]),
        "empty": b"",
        "header only": b"id,price\n",
        "ragged": body([(i, 1) for i in ids]) + b"5,6,7\n",
        "not utf-8": body([(i, 1) for i in ids]) + b"\xff\xfe\n",
    }


def test_no_rejection_message_holds_a_hidden_value(kit, kit_workspace, houses, tmp_path):
    token = token_of(kit("register", "prober").output)
    secrets = hidden_strings(houses)
    solution = grader.read_solution(houses.to_csv(index=False).encode(), id_column="id", target_column="price")
    seen = set()
    for name, content in rejections(houses).items():
        with pytest.raises(grader.SubmissionError) as caught:
            grader.grade(solution, content, "rmse")
        path = tmp_path / f"{name.replace(' ', '_').replace(',', '')}.csv"
        path.write_bytes(content)
        result = kit("submit", "houses", "-f", str(path), token=token)
        assert result.exit_code == 1, (name, result.output)
        history = kit("submissions", "houses", "--json", token=token).output
        for shown in (caught.value.message, result.output, history):
            assert "Traceback" not in shown
            leaked = [s for s in secrets if s in shown]
            assert not leaked, (name, leaked[:3], shown[:500])
        seen.add(caught.value.code)
    assert len(seen) >= 6  # the files above reach many different checks


# -- formula injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=cmd|'/C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                   "=HYPERLINK(\"http://x\")"])
def test_neutralise_quotes_what_a_spreadsheet_would_run(value):
    assert value.startswith(FORMULA_PREFIXES)
    assert neutralise(value) == "'" + value
    assert neutralise("ada") == "ada" and neutralise(0.5) == 0.5 and neutralise(-1) == -1


def test_a_formula_name_is_refused_and_exports_are_neutralised(kit, kit_workspace, houses, tmp_path):
    result = kit("register", "=cmd|'/C calc'!A0")
    assert result.exit_code == 1 and "not allowed" in result.output
    good = tmp_path / "good.csv"
    houses[["id", "price"]].to_csv(good, index=False)
    with kit_workspace.session(write=True) as session:
        # A name that skipped validation (as a baseline's does) still exports safely.
        create_participant(session, "=HYPERLINK(\"http://evil\",\"x\")", baseline=True)
    with kit_workspace.session(write=True) as session:
        session.execute(text("UPDATE participant SET is_baseline = :f"), {"f": False})
    sneaky = hashlib.sha256(b"=HYPERLINK").hexdigest()
    with kit_workspace.session(write=True) as session:
        person = session.scalar(select(Participant).where(Participant.name.like("=HYPER%")))
        person.token_hash = hashlib.sha256(sneaky.encode()).hexdigest()
    outcome = submit(kit_workspace.workspace, slug="houses", token=sneaky, content=good.read_bytes(),
                     filename="=1+1.csv", message="=WEBSERVICE(\"http://evil\")")
    assert outcome.submission.status == "scored"
    board = list(csv.reader(io.StringIO(kit("leaderboard", "houses", "--csv").output)))
    names = [row[1] for row in board[1:]]
    assert names == ["'=HYPERLINK(\"http://evil\",\"x\")"]
    from kit.services.exports import submissions_zip

    with kit_workspace.session() as session:
        archive = zipfile.ZipFile(io.BytesIO(submissions_zip(session, "houses", kit_workspace.organizer_token)))
    index = list(csv.reader(io.StringIO(archive.read("index.csv").decode())))
    cells = [cell for row in index[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert "'=WEBSERVICE(\"http://evil\")" in cells
    assert all(not name.startswith("submissions/=") for name in archive.namelist())


# -- spec paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../outside.csv", "data/../../outside.csv", "/etc/passwd", "/tmp/x.csv",
                                  "..", "data/../../../etc/hosts"])
def test_spec_csv_paths_cannot_leave_the_spec_folder(path):
    with pytest.raises(SpecError, match="stay inside"):
        parse_spec(SPEC.format(path=path))


def test_a_symlink_out_of_the_spec_folder_is_refused(kit, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    pd.DataFrame({"id": range(1, 41), "x": range(40), "price": [float(i) for i in range(40)]}).to_csv(
        outside / "secret.csv", index=False)
    folder = tmp_path / "specs"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "houses.csv").symlink_to(outside / "secret.csv")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    for relative in ("data/houses.csv", "linked/secret.csv"):
        spec = folder / f"spec-{relative.split('/')[0]}.toml"
        spec.write_text(SPEC.format(path=relative))
        result = kit("challenge", "add", str(spec))
        assert result.exit_code == 1, result.output
        assert "outside" in result.output and "spec's folder" in result.output, result.output
    from kit.challenge.datasets.tabular import load_csv

    with pytest.raises(DatasetError):
        load_csv("data/houses.csv", target="price", id_column="id", task=None, base_dir=folder)
    # A symlink that stays inside the folder is fine.
    (folder / "data" / "real.csv").write_text((outside / "secret.csv").read_text())
    (folder / "data" / "alias.csv").symlink_to(folder / "data" / "real.csv")
    assert len(load_csv("data/alias.csv", target="price", id_column="id", task=None, base_dir=folder).frame) == 40


# -- input limits --------------------------------------------------------------------------------------


def test_names_and_messages_are_length_limited_and_control_characters_refused(kit, kit_workspace, houses, tmp_path):
    assert kit("register", "a" * 40).exit_code == 0
    for name in ("b" * 41, "x" * 500, "ev\x1bil", "new\nline", "tab\there", "nul\x00l", "bell\x07x", "ab", "é" * 5):
        result = kit("register", name)
        assert result.exit_code == 1 and "not allowed" in result.output, (name, result.output)
    token = token_of(kit("register", "ada").output)
    good = tmp_path / "good.csv"
    houses[["id", "price"]].to_csv(good, index=False)
    assert kit("submit", "houses", "-f", str(good), "-m", "m" * 500, token=token).exit_code == 0
    for message, phrase in (("m" * 501, "501 characters"), ("two\nlines", "control characters"),
                            ("esc\x1b[31mred", "control characters"), ("nul\x00", "control characters"),
                            ("bell\x07", "control characters"), ("cr\rreturn", "control characters")):
        with pytest.raises(InvalidInputError, match=re.escape(phrase)):
            submit(kit_workspace.workspace, slug="houses", token=token, content=good.read_bytes(),
                   filename="s.csv", message=message)
    with kit_workspace.session() as session:
        from kit.store.models import Submission

        assert session.scalar(select(Submission.message)) == "m" * 500
        assert len(session.scalars(select(Submission)).all()) == 1
