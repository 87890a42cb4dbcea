"""A downloaded files.zip is hostile until checked: nothing lands outside the target folder,
no link is followed, sizes are capped, and each file appears whole or not at all."""

import os
import stat
import zipfile

import pytest

from kit.client.transfer import extract_bundle
from kit.errors import InvalidInputError


def make_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            if isinstance(content, zipfile.ZipInfo):
                archive.writestr(content, b"/etc/passwd")
            else:
                archive.writestr(name, content)
    return path


def test_the_servers_zip_unpacks_flat_into_the_folder(tmp_path):
    archive = make_zip(tmp_path / "files.zip", {"digits/README.md": b"# Digits\n", "digits/test.csv": b"id\n1\n"})
    written = extract_bundle(archive, tmp_path / "out")
    assert sorted(p.name for p in written) == ["README.md", "test.csv"]
    assert (tmp_path / "out" / "test.csv").read_bytes() == b"id\n1\n"
    assert not list((tmp_path / "out").glob(".*.part")), "no temporary file is left behind"


@pytest.mark.parametrize("name", ["../evil.csv", "digits/../../evil.csv", "/tmp/evil.csv", "C:/evil.csv",
                                  "digits\\..\\..\\evil.csv"])
def test_a_path_that_escapes_is_refused_before_anything_is_written(tmp_path, name):
    archive = make_zip(tmp_path / "files.zip", {"README.md": b"fine", name: b"evil"})
    with pytest.raises(InvalidInputError, match="unsafe path"):
        extract_bundle(archive, tmp_path / "out")
    assert not (tmp_path / "evil.csv").exists()
    assert not (tmp_path / "out" / "README.md").exists(), "every member is checked before any is written"


def test_a_link_in_the_zip_is_refused(tmp_path):
    link = zipfile.ZipInfo("README.md")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "files.zip", {"README.md": link})
    with pytest.raises(InvalidInputError, match="link"):
        extract_bundle(archive, tmp_path / "out")


def test_a_link_planted_at_a_final_name_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "README.md")
    extract_bundle(make_zip(tmp_path / "files.zip", {"README.md": b"# new"}), out)
    assert victim.read_text() == "keep me"
    assert not (out / "README.md").is_symlink() and (out / "README.md").read_bytes() == b"# new"


def test_a_folder_linked_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(outside, out / "images")
    archive = make_zip(tmp_path / "files.zip", {"README.md": b"x", "images/a.png": b"png"})
    with pytest.raises(InvalidInputError, match="outside"):
        extract_bundle(archive, out)
    assert not (outside / "a.png").exists()


def test_sizes_are_capped_as_they_are_written(tmp_path):
    archive = make_zip(tmp_path / "files.zip", {"train.csv": b"0" * 10_000})
    with pytest.raises(InvalidInputError, match="allowed size"):
        extract_bundle(archive, tmp_path / "out", max_bytes=1_000)
    assert not (tmp_path / "out" / "train.csv").exists()


def test_a_broken_download_is_not_a_zip(tmp_path):
    (tmp_path / "files.zip").write_bytes(b"<html>proxy error</html>")
    with pytest.raises(InvalidInputError, match="not a valid zip"):
        extract_bundle(tmp_path / "files.zip", tmp_path / "out")
