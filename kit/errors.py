"""The kit's exceptions: one class per failure a person can act on.

The CLI turns any KitError into its message and a non-zero exit code; a traceback
is a bug.
"""


class KitError(Exception):
    """Base class for errors the kit reports to a person."""


class WorkspaceError(KitError):
    """The workspace or its database cannot be used as asked."""


class SchemaTooNewError(WorkspaceError):
    """The database was written by a newer kit than this one."""


class SpecError(KitError):
    """A challenge spec is invalid; the message names each bad field."""


class DatasetError(KitError):
    """A data source cannot be loaded."""


class NotFoundError(KitError):
    """A season, challenge, participant or submission does not exist."""


class ConflictError(KitError):
    """The thing already exists, or the change would lose data."""


class AuthError(KitError):
    """A token is missing or wrong."""


class ValidationError(KitError):
    """A name, message or other value given on the command line is not allowed."""


class SubmissionRefused(KitError):
    """A submission was refused before grading: closed window, daily limit, size."""
