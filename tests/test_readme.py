"""The README's promises, checked: its baseline recipe runs as written on a real bundle."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python_block(after: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(after) + r".*?```python\n(.*?)```", text, re.S)
    assert match, f"no python block after {after!r} in the README"
    return match.group(1)


def test_the_copy_a_baseline_recipe_runs(kit, tmp_path):
    import json

    spec = tmp_path / "digits.toml"
    spec.write_text('slug = "digits"\ntitle = "Digits"\nmetric = "accuracy"\nopens = 2020-01-01T00:00:00Z\n'
                    'closes = 2099-01-01T00:00:00Z\n[data]\nsource = "sklearn:digits"\n')
    assert kit("challenge", "add", str(spec)).exit_code == 0
    assert kit("download", "digits", "-p", str(tmp_path / "digits")).exit_code == 0
    shown = json.loads(kit("challenge", "show", "digits", "--json").output)
    assert shown["classes"] == list(range(10)) and shown["image_shape"] == [8, 8]
    shutil.copy(ROOT / "baselines" / "mlp.py", tmp_path / "my_mlp.py")
    (tmp_path / "my_baseline.py").write_text(python_block("To make your own, copy one"))
    result = subprocess.run([sys.executable, "my_baseline.py"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "validation accuracy:" in result.stdout
    submitted = kit("grade", "--solution", str(_solution(kit, tmp_path)), "--submission",
                    str(tmp_path / "submission.csv"), "--metric", "accuracy")
    assert submitted.exit_code == 0, submitted.output


def _solution(kit, tmp_path) -> Path:
    from kit.challenge.bundle import solution_bytes
    from kit.challenge.lookup import get_challenge
    from kit.store.workspace import open_workspace

    ws = open_workspace(kit.workspace, kit.database_url)
    with ws.session() as session:
        data = solution_bytes(session, get_challenge(session, "digits"))
    path = tmp_path / "solution.csv"
    path.write_bytes(data)
    return path
