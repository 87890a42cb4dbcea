"""kit.services.exports.submissions_zip: raw bytes of every submission, an index safe for spreadsheets."""

import csv
import io
import zipfile

import pytest

from kit.errors import AuthError
from kit.services.exports import INDEX_COLUMNS, archive_path, submissions_zip
from kit.services.submissions import submit


def test_zip_holds_raw_bytes_and_a_neutralised_index(populated):
    ws = populated.ws
    evil = submit(ws, slug="iris", token=populated.tokens["bob"], content=b"id,species\n=cmd|' /C calc'!A0,1\n",
                  filename="=HYPERLINK(x).csv", message="=1+1").submission
    with ws.session() as session:
        data = submissions_zip(session, "iris", populated.organizer_token)
    archive = zipfile.ZipFile(io.BytesIO(data))
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert tuple(index[0]) == INDEX_COLUMNS
    assert len(index) == 4  # alice, bob, the baseline, bob's rejected file
    row = next(r for r in index if r["submission_id"] == str(evil.id))
    assert row["message"] == "'=1+1" and row["filename"].startswith("'=")
    assert row["status"] == "rejected" and row["public_score"] == ""
    assert archive.read(row["path"]) == b"id,species\n=cmd|' /C calc'!A0,1\n"
    for r in index:
        assert archive.read(r["path"])  # every listed file is there
    assert all(not name.startswith("/") and ".." not in name for name in archive.namelist())


def test_zip_is_for_organizers_only(populated):
    with populated.ws.session() as session:
        for token in (None, "", populated.tokens["alice"]):
            with pytest.raises(AuthError):
                submissions_zip(session, "iris", token)


def test_archive_paths_are_flat_and_safe():
    assert archive_path(3, "../../etc/passwd") == "submissions/0000003-etc_passwd"
    assert archive_path(12, "") == "submissions/0000012-submission.csv"
