"""`kit download` never writes through a link planted in the target folder.

It used to write `.NAME.part` by name and then rename it: a symlink planted at that name sent
the bundle (or anything) into the file it pointed to. Temporary files are now created
exclusively under a random name, and the rename replaces a link at the final name.
"""

from __future__ import annotations

import os

from kit.atomic_files import write_atomically


def test_download_replaces_planted_links_and_writes_nothing_through_them(kit, write_spec, tmp_path):
    assert kit("challenge", "add", str(write_spec(slug="iris"))).exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name in ("README.md", "train.csv", "test.csv", "sample_submission.csv"):
        os.symlink(victim, folder / f".{name}.part")  # the old temporary name
    os.symlink(victim, folder / "train.csv")  # and the final name itself
    result = kit("download", "iris", "-p", str(folder))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"
    assert not (folder / "train.csv").is_symlink() and (folder / "train.csv").read_text().startswith("id,")


def test_write_atomically_leaves_nothing_behind_on_failure(tmp_path):
    def chunks():
        yield b"half"
        raise OSError("disk full")

    try:
        write_atomically(tmp_path, "out.csv", chunks())
    except OSError:
        pass
    assert list(tmp_path.iterdir()) == []
    assert write_atomically(tmp_path, "out.csv", b"whole").read_bytes() == b"whole"
