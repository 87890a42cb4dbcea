"""The base package is the client and the grader: it runs with only its own dependencies.

The clean environment is a fresh virtualenv (no pip, no site-packages) that sees the project
and, through a .pth file, only the distributions the base `dependencies` of pyproject.toml
pull in (resolved from their metadata, extras left out). If any client path imported
SQLAlchemy, pandas, Streamlit or torch, it would fail there with ModuleNotFoundError.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def name_of(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


def test_the_base_package_is_the_client_and_the_grader():
    assert {name_of(r) for r in PROJECT["dependencies"]} == {"typer", "rich", "httpx", "pyarrow", "numpy",
                                                             "pydantic"}
    extras = {extra: {name_of(r) for r in reqs} for extra, reqs in PROJECT["optional-dependencies"].items()}
    assert {"sqlalchemy", "alembic", "streamlit", "fastapi", "uvicorn", "pandas", "scikit-learn"} <= extras["server"]
    assert {"torch", "lightning", "xgboost", "scikit-learn", "pandas"} <= extras["baselines"]
    assert PROJECT["optional-dependencies"]["all"] == ["challenge-kit[server,baselines,postgres]"]
    assert "challenge-kit[all]" in PROJECT["optional-dependencies"]["dev"]


def test_the_readme_scripts_install_everything():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert 'pip install -q -e ".[all]"' in setup and 'pip install -q -e ".[dev]"' in setup
    assert setup.index("torch==2.13.0") < setup.index('-e ".[all]"'), "torch's CPU build is installed first"


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KIT_", "VIRTUAL_ENV"))}
    return subprocess.run([python, *args], capture_output=True, text=True, cwd=cwd, env={**env, "COLUMNS": "120"},
                          timeout=120)


def test_the_clean_environment_really_lacks_the_server(base_env, tmp_path):
    probe = run(base_env, "-c", "import sqlalchemy", cwd=tmp_path)
    assert probe.returncode != 0 and "No module named 'sqlalchemy'" in probe.stderr
    probe = run(base_env, "-c", "import pandas", cwd=tmp_path)
    assert probe.returncode != 0 and "No module named 'pandas'" in probe.stderr


def test_kit_help_and_offline_validate_run_with_the_base_package_only(base_env, tmp_path):
    helped = run(base_env, "-m", "kit", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "validate" in helped.stdout and "submit" in helped.stdout

    bundle = tmp_path / "iris"
    bundle.mkdir()
    (bundle / "README.md").write_text("# Iris\n\n- Ids are in the column `id`.\n- Classes: setosa, versicolor\n\n"
                                      "Metric: **accuracy** (higher is better ↑).\n")
    (bundle / "test.csv").write_text("id,petal\n1,0.2\n2,1.4\n")
    (bundle / "sample_submission.csv").write_text("id,species\n1,setosa\n2,setosa\n")
    (tmp_path / "good.csv").write_text("id,species\n2,versicolor\n1,setosa\n")
    (tmp_path / "bad.csv").write_text("id,species\n1,setosa\n2,virginica\n")

    good = run(base_env, "-m", "kit", "validate", "iris", "-f", "good.csv", "--bundle", "iris", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "good.csv is a valid submission for iris: 2 rows" in good.stdout
    bad = run(base_env, "-m", "kit", "validate", "iris", "-f", "bad.csv", "--bundle", "iris", cwd=tmp_path)
    assert bad.returncode == 1
    assert "'virginica' is not one of the 2 classes (setosa, versicolor)" in bad.stderr
    assert "Traceback" not in bad.stderr
