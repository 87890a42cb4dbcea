"""The use cases: every rule of who may do what, when, and what they see, lives here once."""
