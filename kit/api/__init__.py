"""The JSON API under /api/v1: FastAPI routes that translate HTTP to kit services and back.

No rule lives here: who may do what, windows, limits and visibility are decided by
`kit.services`; a route reads the request, calls one service, and turns the result (or the
service's `KitError`) into JSON and a status code.
"""
