"""`kit serve` runs the webhook worker: an organizer's close over HTTP reaches a real receiver."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def test_kit_serve_delivers_a_close_to_the_webhook(served):
    from kit.season.seasons import get_season
    from kit.services.webhooks import add_webhook

    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        with served.ws.session(write=True) as session:
            add_webhook(session, get_season(session, "test-season"),
                        f"http://127.0.0.1:{receiver.server_address[1]}/hook", "json",
                        ["challenge_closed", "weekly_winners"])
        with served.client(served.organizer_token) as organizer:
            assert organizer.post("/challenges/iris/close").status_code == 200
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(received) < 2:
            time.sleep(0.2)
        assert [body["event"] for body in received] == ["challenge_closed", "weekly_winners"]
        top = received[0]["data"]["top"]
        assert [row["name"] for row in top] == ["bob", "alice"]  # bob is right on every private row
        sent = json.dumps(received)
        assert not any(token in sent for token in [served.organizer_token, *served.tokens.values()])
    finally:
        receiver.shutdown()
        receiver.server_close()
