"""A clean environment holding only what the base package `challenge-kit` installs.

A fresh virtualenv (no pip, no site-packages) sees the project and, through a .pth file, only
the distributions the base `dependencies` of pyproject.toml pull in (resolved from their
installed metadata, extras left out): what a participant's `pip install challenge-kit` gives.
Used by the client tests and by benchmarks/api.py.
"""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import tomllib
import venv
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SERVER_ONLY = {"sqlalchemy", "alembic", "streamlit", "fastapi", "uvicorn", "pandas", "scikit-learn", "torch",
               "lightning", "xgboost"}


def closure(requirements: list[str]) -> set[str]:
    """Every distribution the requirements pull in on this platform, extras left out."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = requirement.name.lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        todo.extend(Requirement(r) for r in metadata.requires(name) or [])
    return seen


def top_level_paths(distribution: str) -> set[Path]:
    """The installed folders and modules of a distribution (what `import` finds)."""
    dist = metadata.distribution(distribution)
    paths = set()
    for file in dist.files or []:
        top = file.parts[0]
        if top.endswith((".dist-info", ".data")) or top in ("..", "bin") or top == "__pycache__":
            continue
        paths.add(Path(dist.locate_file(top)))
    return paths


def make_base_env(home: Path) -> Path:
    """A virtualenv in `home` that sees the project and the base distributions only; returns its python."""
    venv.create(home / "venv", with_pip=False, system_site_packages=False)
    site = home / "site"
    site.mkdir()
    wanted = closure(PROJECT["dependencies"])
    assert not wanted & SERVER_ONLY, wanted & SERVER_ONLY
    for distribution in wanted:
        for path in top_level_paths(distribution):
            if path.exists() and not (site / path.name).exists():
                (site / path.name).symlink_to(path)
    python = home / "venv" / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "base.pth").write_text(f"{site}\n{ROOT}\n")
    return python
