"""`kit validate`: check a submission file before spending a submission, with no label anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kit.cli.common import (
    JsonOption,
    ServerOption,
    WorkspaceOption,
    connect,
    console,
    err_console,
    open_workspace,
    print_json,
    reports_errors,
    styled,
)


@reports_errors
def validate(
    slug: Annotated[str, typer.Argument(help="The challenge's slug.")],
    file: Annotated[Path, typer.Option("--file", "-f", help="Your submission CSV (or .csv.gz).")],
    bundle: Annotated[Path | None, typer.Option("--bundle", "-b", help="A downloaded bundle folder: check offline.",
                                                show_default=False)] = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Override the metric named in the bundle's "
                                               "README.md (with --bundle).", show_default=False)] = None,
    server: ServerOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a file as the grader would, before you submit it.

    Its columns, ids and values.

    It uses only public files: test.csv's ids, the metric's columns, the classes. Offline with
    --bundle (a folder from `kit download`), else from KIT_SERVER, else from the local workspace.
    Exit 0 when the file would be graded; exit 1 with the grader's message when it would be rejected.

    Example: kit validate digits -f submission.csv --bundle digits/
    """
    from kit.client.checking import check_file, facts_from_bundle, facts_from_server

    if bundle is not None:
        facts = facts_from_bundle(bundle, slug, metric)
    elif server:
        with connect(server) as client:
            facts = facts_from_server(client, slug)
    else:
        facts = _facts_from_workspace(slug, workspace)
    verdict = check_file(facts, file)
    if as_json:
        print_json({"status": "valid" if verdict.ok else "invalid", "rows": verdict.rows, "code": verdict.code,
                    "message": verdict.message})
    elif verdict.ok:
        console.print(f"{file} is a valid submission for {facts.slug}: {verdict.rows} rows, "
                      f"columns as {facts.metric} needs. Submit it with: kit submit {facts.slug} -f {file}")
    else:
        err_console.print(styled(("Invalid:", "bold red"), f" {verdict.message}"))
    if not verdict.ok:
        raise typer.Exit(1)


def _facts_from_workspace(slug: str, workspace: Path | None):
    """The organizer's local mode: the same public facts, read from the workspace's bundle."""
    from kit.challenge.bundle import bundle_file
    from kit.challenge.lookup import get_challenge
    from kit.client.checking import ChallengeFacts

    ws = open_workspace(workspace)
    with ws.session() as session:
        challenge = get_challenge(session, slug)
        return ChallengeFacts(slug=challenge.slug, metric=challenge.metric, id_column=challenge.id_column,
                              target=challenge.target, classes=challenge.classes,
                              max_file_bytes=challenge.max_file_bytes, test_csv=bundle_file(session, challenge,
                                                                                            "test.csv"))


def register_commands(app: typer.Typer) -> None:
    app.command()(validate)
