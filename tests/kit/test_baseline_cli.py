"""`kit baseline` through the CLI: a valid submission written, submitted as a marked baseline row."""

import json

import pandas as pd


def test_baseline_writes_and_submits(kit, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="wine-b", source="sklearn:wine", metric="multiclass_log_loss")))
    output = tmp_path / "sub.csv"
    result = kit("baseline", "wine-b", "--model", "mlp", "--epochs", "2", "-o", str(output), "--submit")
    assert result.exit_code == 0, result.output
    assert "validation multiclass_log_loss" in result.output and "↓" in result.output
    assert "Submitted as baseline" in result.output
    submission = pd.read_csv(output)
    assert list(submission.columns) == ["id", "0", "1", "2"]
    board = kit("leaderboard", "wine-b", "--csv").output.splitlines()
    assert board[1].split(",")[:3] == ["", "baseline: mlp", "1"]


def test_same_seed_same_predictions(kit, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="iris-b", source="sklearn:iris", metric="accuracy")))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert kit("baseline", "iris-b", "--model", "logreg", "--seed", "3", "-o", str(first)).exit_code == 0
    assert kit("baseline", "iris-b", "--model", "logreg", "--seed", "3", "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert set(pd.read_csv(first)["species"]) <= {"setosa", "versicolor", "virginica"}


def test_cnn_refuses_a_tabular_challenge(kit, write_spec):
    kit("challenge", "add", str(write_spec(slug="wine-c", source="sklearn:wine", metric="accuracy")))
    result = kit("baseline", "wine-c", "--model", "cnn")
    assert result.exit_code == 1
    assert "needs an image challenge" in result.output and "Traceback" not in result.output
    assert json.loads(kit("challenge", "list", "--json").output)[0]["slug"] == "wine-c"


def stored_baselines(kit_workspace) -> list[tuple[str, bytes]]:
    from sqlalchemy import select

    from kit.store.models import Participant, Submission

    with kit_workspace.session() as session:
        return list(session.execute(select(Submission.status, Submission.content).join(Participant)
                                    .where(Participant.is_baseline)).tuples())


def test_submitting_a_baseline_is_an_organizer_action(kit, kit_workspace, write_spec, tmp_path):
    kit("challenge", "add", str(write_spec(slug="iris-o", source="sklearn:iris", metric="accuracy")))
    output = tmp_path / "sub.csv"
    for extra in ([], ["--organizer-token", "org_wrong"]):
        result = kit("baseline", "iris-o", "--model", "logreg", "-o", str(output), "--submit", *extra, organizer=False)
        assert result.exit_code == 1 and "organizer action" in result.output
        assert not output.exists()  # refused before training
    assert stored_baselines(kit_workspace) == []


def test_the_submitted_predictions_are_the_computed_ones_not_the_output_path(kit, kit_workspace, write_spec,
                                                                            tmp_path):
    """A FIFO or a symlink at --output cannot swap what is submitted: the bytes are never re-read."""
    import os
    import threading

    kit("challenge", "add", str(write_spec(slug="iris-f", source="sklearn:iris", metric="accuracy")))
    reference = tmp_path / "reference.csv"
    assert kit("baseline", "iris-f", "--model", "logreg", "-o", str(reference)).exit_code == 0
    computed = reference.read_bytes()
    injected = computed.replace(b"versicolor", b"setosa").replace(b"virginica", b"setosa")

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    drained: list[bytes] = []

    def swap_through_the_fifo() -> None:
        with open(fifo, "rb") as reader:  # take what kit writes...
            drained.append(reader.read())
        with open(fifo, "wb") as writer:  # ...then offer other bytes to anyone reading it back
            writer.write(injected)

    attacker = threading.Thread(target=swap_through_the_fifo, daemon=True)
    attacker.start()
    result = kit("baseline", "iris-f", "--model", "logreg", "-o", str(fifo), "--submit")
    assert result.exit_code == 0, result.output
    # Release the attacker's pending open for writing (nobody else will read the FIFO).
    release = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    attacker.join(timeout=10)
    os.close(release)
    assert drained == [computed]

    link = tmp_path / "link.csv"
    link.symlink_to("/dev/null")  # what is written vanishes; re-reading it would submit an empty file
    result = kit("baseline", "iris-f", "--model", "logreg", "-o", str(link), "--submit")
    assert result.exit_code == 0, result.output
    assert stored_baselines(kit_workspace) == [("scored", computed), ("scored", computed)]


def test_a_replaced_challenge_trains_on_its_new_split(kit, kit_workspace, write_spec, tmp_path):
    """The baseline bundle cache is keyed by the bundle's digest, not the slug."""
    from kit.challenge.bundle import bundle_files
    from kit.challenge.lookup import get_challenge
    from kit.cli.baseline_runs import ensure_bundle

    assert kit("challenge", "add", str(write_spec(slug="iris-r"))).exit_code == 0
    first = ensure_bundle(kit_workspace.workspace, "iris-r")
    spec = write_spec(slug="iris-r")
    spec.write_text(spec.read_text().replace("seed = 7", "seed = 8"))
    assert kit("challenge", "add", str(spec), "--replace").exit_code == 0
    second = ensure_bundle(kit_workspace.workspace, "iris-r")
    with kit_workspace.session() as session:
        stored = bundle_files(session, get_challenge(session, "iris-r"))
    assert first != second and (first / "test.csv").read_bytes() != stored["test.csv"]
    assert (second / "test.csv").read_bytes() == stored["test.csv"]
    result = kit("baseline", "iris-r", "--model", "logreg", "-o", str(tmp_path / "s.csv"), "--submit")
    assert result.exit_code == 0 and "Submitted as baseline" in result.output  # ids match the new test.csv
