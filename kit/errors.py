"""The kit's exceptions: one class per kind of failure a person can act on.

Each class has a stable `code`: the HTTP API sends it as `{"error": code}` and the
participant's client turns it back into the same class, so the CLI reports a refusal the
same way in local and in remote mode. Front ends choose an exit code or HTTP status by
class; none of them re-decides what is wrong. Messages never quote a hidden label or a
token.
"""

from __future__ import annotations

from typing import ClassVar


class KitError(Exception):
    """Base class for errors the kit reports to a person."""

    code: ClassVar[str] = "refused"
    retry_after: int | None = None  # seconds, for refusals that lift with time


# ---- the workspace and what an organizer feeds it ----------------------------------------------


class WorkspaceError(KitError):
    """The workspace or its database cannot be used as asked."""

    code = "workspace"


class SchemaTooNewError(WorkspaceError):
    """The database was written by a newer kit than this one."""

    code = "schema_too_new"


class SpecError(KitError):
    """A challenge spec is invalid; the message names each bad field."""

    code = "invalid_spec"


class DatasetError(KitError):
    """A data source cannot be loaded."""

    code = "invalid_data"


class BaselineRunError(KitError):
    """A baseline model cannot run on this challenge."""

    code = "baseline"


# ---- lookups, input and identity ---------------------------------------------------------------


class NotFoundError(KitError):
    """A season, challenge, participant or submission does not exist."""

    code = "not_found"


class ConflictError(KitError):
    """The thing already exists, or the change would lose data."""

    code = "conflict"


class InvalidInputError(KitError):
    """A name, message, id, file or other value a person gave is not allowed."""

    code = "invalid"


class AuthError(KitError):
    """A token is missing or wrong, or the action needs the organizer's token."""

    code = "unauthorized"


class RegistrationClosedError(KitError):
    """The season does not let visitors register themselves; the organizer registers them."""

    code = "registration_closed"


class TooManySignInsError(KitError):
    """Too many failed sign-ins from one client (and name); wait before trying again."""

    code = "too_many_sign_ins"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


# ---- refusals: the request is understood, the rules say no ------------------------------------


class ChallengeNotOpenError(KitError):
    """The challenge has not opened yet."""

    code = "not_open"


class ChallengeClosedError(KitError):
    """The challenge is closed: no more submissions or changes of final submissions."""

    code = "closed"


class NotRevealedError(KitError):
    """What was asked for (private board, private scores, winners) is revealed only at close."""

    code = "not_revealed"


class DailyLimitError(KitError):
    """The participant (or their team) has used all of today's scored submissions on this challenge."""

    code = "daily_limit"


class AttemptLimitError(KitError):
    """The participant has made today's most attempts (rejected files included) on this challenge."""

    code = "attempt_limit"


class FileTooLargeError(KitError):
    """The submitted file is larger than the challenge accepts."""

    code = "too_large"

    @classmethod
    def of(cls, size: int, max_bytes: int) -> FileTooLargeError:
        """The one wording of this refusal, wherever the size is checked (server, page or client)."""
        return cls(f"The file is {size:,} bytes; this challenge accepts at most {max_bytes:,} bytes.")


class BusyError(KitError):
    """The database's write lock could not be had in time; nothing was stored, try again."""

    code = "busy"
    retry_after = 5

    def __init__(self, message: str = "The workspace is busy: another process held its write lock too long. "
                                      "Nothing was stored; try again in a moment."):
        super().__init__(message)


class OutsideSeasonError(KitError):
    """The season has not started or has ended (check-ins count only on its days)."""

    code = "outside_season"


class TeamRuleError(KitError):
    """A team change breaks a season rule: size, merge deadline or the submission count."""

    code = "team_rule"


class ServerError(KitError):
    """The server could not be reached, or answered with something other than the API's JSON."""

    code = "server"


def error_class_for(code: str) -> type[KitError] | None:
    """The class whose `code` this is (None for a code this kit does not know)."""
    pending: list[type[KitError]] = [KitError]
    while pending:
        cls = pending.pop()
        if cls.code == code:
            return cls
        pending.extend(cls.__subclasses__())
    return None
