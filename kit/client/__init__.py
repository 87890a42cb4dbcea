"""The participant's HTTP client: the `kit` CLI's remote mode (`KIT_SERVER`) talks to the API here.

It imports only the kit's foundation and the grader, never SQLAlchemy or the store: a
participant's machine holds no database and no hidden label.
"""
