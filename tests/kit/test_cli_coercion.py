"""`kit.cli.coercion`: plain command-line values coerced without pydantic, exactly as Typer's own
coercion does it, values, exit codes and messages alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.core
from typer.testing import CliRunner

from kit.cli import coercion

pytestmark = pytest.mark.skipif(coercion.RuntimeParam is None, reason="this Typer has no pydantic coercion")

app = typer.Typer(add_completion=False)


@app.command()
def echo(
    numbers: Annotated[list[int] | None, typer.Argument()] = None,
    text: Annotated[str, typer.Option()] = "default",
    number: Annotated[int, typer.Option()] = 7,
    path: Annotated[Path | None, typer.Option()] = None,
    existing: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    flag: bool = False,
    words: Annotated[list[str] | None, typer.Option("--word")] = None,
) -> None:
    print(repr((numbers, text, number, path, existing, flag, words)))


def odd_command_lines(folder: Path) -> list[list[str]]:
    (folder / "file.csv").write_text("id\n")
    lines: list[list[str]] = [[], ["--flag"], ["1", "2", "012"], ["1", "x"], ["٣"], ["9" * 19], ["9" * 5000]]
    lines += [["--text", text] for text in ("", " ", "é", "\udcff", "-x", "a b", "1_000")]
    lines += [["--number", n] for n in ("0", "012", " 12", "1_000", "x", "-3", "+5", "١٢", "12.0", "9" * 19, "9" * 18)]
    lines += [["--path", p] for p in ("", ".", "x/", "a//b", "./a", "-", "é", "\udcff", str(folder), "a\x00b")]
    lines += [["--existing", str(p)] for p in (folder / "file.csv", folder / "missing.csv", folder, f"{folder}/")]
    lines += [["--word", "a", "--word", ""], ["--flag", "--flag"], ["--number"], ["--nope"]]
    return lines


def test_plain_coercion_gives_what_typers_own_gives(tmp_path, monkeypatch):
    runner = CliRunner()
    lines = odd_command_lines(tmp_path)
    coercion.install()
    assert typer.core.build_runtime_param is not coercion.build_runtime_param, "installed"
    plain = [runner.invoke(app, line) for line in lines]
    monkeypatch.setattr(typer.core, "build_runtime_param", coercion.build_runtime_param)  # Typer's own, pydantic
    own = [runner.invoke(app, line) for line in lines]
    for line, mine, theirs in zip(lines, plain, own, strict=True):
        assert (mine.exit_code, mine.output) == (theirs.exit_code, theirs.output), line
    assert sum(result.exit_code == 0 for result in own) > len(lines) // 2, "most lines are valid"


def test_plain_values_import_no_pydantic(tmp_path):
    (tmp_path / "s.csv").write_text("id,y,Usage\n1,1,Public\n")
    script = ("import sys; sys.argv = ['kit', *sys.argv[1:]]\n"
              "from kit.cli import main\n"
              "try:\n    main()\nfinally:\n    print('pydantic' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, "grade", "-s", str(tmp_path / "s.csv"), "-f", "missing.csv",
                           "-m", "accuracy", "--max-bytes", "100"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)
    assert done.returncode == 1 and "No file at missing.csv" in done.stderr, done.stderr
    assert done.stderr.rstrip().endswith("False"), done.stderr
