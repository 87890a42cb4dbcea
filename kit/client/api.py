"""`ApiClient`: one typed method per API route, over httpx, with the server's errors as KitErrors.

The answers are the API's JSON (see `kit.api.models` on the server side) as typed dicts;
nothing here knows about a database.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypedDict, cast
from urllib.parse import quote

import httpx

from kit.atomic_files import write_atomically
from kit.client.errors import error_from_response
from kit.client.transfer import CHUNK, ProgressReader, extract_bundle, progress_bar
from kit.errors import AuthError, ServerError

API_PREFIX = "/api/v1"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class ChallengeSummary(TypedDict, total=False):
    slug: str
    title: str
    season: str | None
    week: int | None
    status: str
    opens_at: str
    closes_at: str
    task: str
    metric: str
    higher_is_better: bool
    daily_limit: int
    final_selections: int
    max_file_bytes: int


class ChallengeDetail(ChallengeSummary, total=False):
    description: str
    target: str
    id_column: str
    classes: list | None
    image_shape: list | None
    train_rows: int
    test_rows: int
    files: list[dict]
    bundle_sha256: str


class TeamOut(TypedDict, total=False):
    name: str
    season: str
    invite_code: str  # only a member ever gets it
    members: list[str]
    max_size: int
    merge_deadline: str


class SubmissionCreated(TypedDict, total=False):
    id: int
    challenge: str
    filename: str
    status: str
    public_score: float
    rank: int | None
    left_today: int
    submitted_at: str


class OwnSubmissions(TypedDict, total=False):
    challenge: str
    participant: str
    closed: bool
    submissions: list[dict]


class Leaderboard(TypedDict, total=False):
    challenge: str
    title: str
    board: str
    metric: str
    higher_is_better: bool
    rows: list[dict]


class IssuedToken(TypedDict):
    name: str
    token: str


class Rejection(TypedDict, total=False):
    """A file the grader refused (HTTP 400 "rejected"): the grader's own words; the attempt is stored."""

    error: str
    message: str
    submission_id: int | None
    reason: str | None  # the grader's code, e.g. "row_count"


class SeasonSummary(TypedDict, total=False):
    slug: str
    name: str
    starts_on: str
    days: int
    timezone: str
    hashtag: str | None
    self_registration: bool
    day: int | None


class CheckIn(TypedDict, total=False):
    day: int
    created_at: str
    note: str
    url: str | None


class Streak(TypedDict, total=False):
    season: str
    participant: str
    current: int
    longest: int
    days: list[bool]
    joined_day: int
    checkins: list[CheckIn]


@dataclass(frozen=True)
class MetricView:
    """How a score is shown, from the API's answer: what the CLI needs of `grader.Metric`, without
    importing the grader (numpy, pyarrow) on the client's fast path."""

    name: str
    higher_is_better: bool
    decimals: int

    @classmethod
    def of(cls, answer: dict) -> MetricView:
        return cls(answer["metric"], answer["higher_is_better"], answer["decimals"])

    @property
    def direction(self) -> str:
        return "higher" if self.higher_is_better else "lower"

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"


def _segment(value: str) -> str:
    return quote(value, safe="")


class ApiClient:
    """The API at `server` (e.g. http://127.0.0.1:8501), as the participant holding `token`."""

    def __init__(self, server: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None):
        server = server.strip().rstrip("/")
        if not server.startswith(("http://", "https://")):
            raise ServerError(f"KIT_SERVER must be an http:// or https:// address, got {server!r}.")
        self.server = server
        self.token = token.strip() if token and token.strip() else None
        # A plain-http address never uses TLS (redirects are not followed), so the CA bundle is not
        # loaded: that alone took ~40 ms of the client's start-up.
        tls = server.startswith("https://")
        self.http = httpx.Client(base_url=server + API_PREFIX, timeout=TIMEOUT, transport=transport, verify=tls,
                                 headers={"Accept": "application/json"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Plumbing

    def _auth(self) -> dict[str, str]:
        if not self.token:
            raise AuthError("A participant token is needed: pass --token or set KIT_TOKEN (from `kit register`).")
        return {"Authorization": f"Bearer {self.token}"}

    def _send(self, method: str, path: str, *, auth: bool = False, stream: bool = False, **kwargs: Any):
        headers = {**kwargs.pop("headers", {}), **(self._auth() if auth else {})}
        request = self.http.build_request(method, path, headers=headers, **kwargs)
        try:
            response = self.http.send(request, stream=stream)
        except httpx.TransportError as error:
            raise ServerError(f"Cannot reach the server at {self.server} ({type(error).__name__}: {error}). "
                              "Is `kit serve` running there, and is KIT_SERVER right?") from None
        if response.is_error:
            if stream:
                response.read()
            raise self._error(response)
        return response

    @staticmethod
    def _error(response: httpx.Response):
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        return error_from_response(response.status_code, body, response.headers.get("Retry-After"))

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ServerError(f"The server's answer to {method} {path} is not JSON; is KIT_SERVER "
                              "a `kit serve` address?") from None

    # Challenges and their files

    def challenges(self) -> list[ChallengeSummary]:
        return self._json("GET", "/challenges")

    def challenge(self, slug: str) -> ChallengeDetail:
        return self._json("GET", f"/challenges/{_segment(slug)}")

    def file_bytes(self, slug: str, name: str) -> bytes:
        """One public bundle file, whole (test.csv for `kit validate`)."""
        return self._send("GET", f"/challenges/{_segment(slug)}/files/{_segment(name)}").content

    def download(self, slug: str, folder: Path) -> list[Path]:
        """files.zip streamed into `folder` with a progress bar, then unpacked safely there."""
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as scratch:
            response = self._send("GET", f"/challenges/{_segment(slug)}/files.zip", stream=True)
            try:
                total = int(response.headers["Content-Length"]) if "Content-Length" in response.headers else None
                with progress_bar(f"Downloading {slug}", total) as (progress, task):
                    def chunks():
                        for chunk in response.iter_bytes(CHUNK):
                            progress.advance(task, len(chunk))
                            yield chunk
                    archive = write_atomically(Path(scratch), "files.zip", chunks())
            except httpx.TransportError as error:
                raise ServerError(f"The download from {self.server} broke off ({error}); try again.") from None
            finally:
                response.close()
            written = extract_bundle(archive, folder)
        # Image challenges: train.zip and test.zip unpack into train/ and test/ (PNG files named by id).
        for name in ("train.zip", "test.zip"):
            inner = folder / name
            if inner in written:
                written = [path for path in written if path != inner]
                written += extract_bundle(inner, folder / name.removesuffix(".zip"))
                inner.unlink()
        return written

    # Submissions

    def submit(self, slug: str, file: Path, message: str = "") -> SubmissionCreated | Rejection:
        """Upload a submission with a progress bar; a grader rejection comes back as a Rejection (no raise)."""
        with open(file, "rb") as handle:
            size = file.stat().st_size
            with progress_bar(f"Uploading {file.name}", size) as (progress, task):
                reader = ProgressReader(handle, progress, task)
                response = self._send_submission(slug, file.name, reader, message)
        return response.json()

    def _send_submission(self, slug: str, filename: str, reader: ProgressReader, message: str) -> httpx.Response:
        path = f"/challenges/{_segment(slug)}/submissions"
        headers = self._auth()
        files = {"file": (filename, cast(IO[bytes], reader), "text/csv")}  # httpx only calls read()
        try:
            response = self.http.post(path, files=files, data={"message": message}, headers=headers)
        except httpx.TransportError as error:
            raise ServerError(f"Cannot reach the server at {self.server} ({type(error).__name__}: {error}). "
                              "Is `kit serve` running there, and is KIT_SERVER right?") from None
        if response.status_code == 400 and _is_rejection(response):
            return response  # the grader's verdict on the file: reported like a local rejection
        if response.is_error:
            raise self._error(response)
        return response

    def add_baseline(self, slug: str, model: str, filename: str, content: bytes) -> SubmissionCreated:
        """With the organizer's token: a baseline row on the board (a badge, never ranked); a rejection raises."""
        return self._json("POST", f"/challenges/{_segment(slug)}/baselines", auth=True,
                          files={"file": (filename, content, "text/csv")}, data={"model": model})

    def submissions(self, slug: str) -> OwnSubmissions:
        return self._json("GET", f"/challenges/{_segment(slug)}/submissions", auth=True)

    def select_finals(self, slug: str, submission_ids: list[int]) -> dict:
        return self._json("PUT", f"/challenges/{_segment(slug)}/finals", auth=True,
                          json={"submission_ids": submission_ids})

    def leaderboard(self, slug: str, *, private: bool = False) -> Leaderboard:
        return self._json("GET", f"/challenges/{_segment(slug)}/leaderboard",
                          params={"board": "private" if private else "public"})

    def leaderboard_csv(self, slug: str, *, private: bool = False) -> str:
        return self._send("GET", f"/challenges/{_segment(slug)}/leaderboard", headers={"Accept": "text/csv"},
                          params={"board": "private" if private else "public", "format": "csv"}).text

    # Participants and the season

    def register(self, name: str) -> IssuedToken:
        return self._json("POST", "/participants", json={"name": name})

    def new_token(self, name: str) -> IssuedToken:
        """With the organizer's token: reset `name`'s token; with theirs: rotate it. The old one dies at once."""
        return self._json("POST", f"/participants/{quote(name, safe='')}/token", auth=True)

    def season(self, season: str | None = None) -> SeasonSummary:
        """A season; the latest one when `season` is None."""
        return self._json("GET", _season_path(season))

    def check_in(self, note: str, url: str | None = None, season: str | None = None) -> CheckIn:
        return self._json("POST", _season_path(season, "/checkins"), auth=True, json={"note": note, "url": url})

    def streak(self, season: str | None = None) -> Streak:
        return self._json("GET", _season_path(season, "/streak"), auth=True)

    def teams(self, season: str | None = None) -> list[dict]:
        """The season's teams and members (no invite codes)."""
        return self._json("GET", _season_path(season, "/teams"))

    def my_team(self, season: str | None = None) -> TeamOut:
        return self._json("GET", _season_path(season, "/team"), auth=True)

    def create_team(self, name: str, season: str | None = None) -> TeamOut:
        return self._json("POST", _season_path(season, "/teams"), auth=True, json={"name": name})

    def join_team(self, invite_code: str) -> TeamOut:
        return self._json("POST", "/teams/join", auth=True, json={"invite_code": invite_code})

    def leave_team(self, season: str | None = None) -> dict:
        return self._json("DELETE", _season_path(season, "/team"), auth=True)


def _season_path(season: str | None, tail: str = "") -> str:
    # The API reads "current" as the latest season, as the CLI reads a missing --season.
    return f"/seasons/{_segment(season or 'current')}{tail}"


def _is_rejection(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(body, dict) and body.get("error") == "rejected" and isinstance(body.get("message"), str)


def streak_cells(days: list[bool], today: int | None, joined: int = 1) -> str:
    """A row of cells for the terminal: ■ active, □ missed, · still to come, blank before joining
    (as `Streak.cells` on the server side)."""
    upto = len(days) if today is None else today
    return "".join("■" if active else (" " if day < joined else "□" if day <= upto else "·")
                   for day, active in enumerate(days, start=1))
