#!/usr/bin/env python3
"""A stand-in for Beam's task API on loopback, for benchmarks only.

Answers GET /v2/task/{id}/ with the seed page's example task after a fixed
delay (default 20 ms), with HTTP/1.1 keep-alive, one thread per connection.
Usage: server.py PORT [DELAY_MS]
"""
import http.server
import pathlib
import sys
import time

BODY = (pathlib.Path(__file__).parent.parent / "tests/fixtures/seed_complete.json").read_bytes()
DELAY = (float(sys.argv[2]) if len(sys.argv) > 2 else 20.0) / 1000.0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Go servers (Beam runs on Go) set TCP_NODELAY; without it, a kept-alive
    # connection meets delayed ACKs and every answer takes 40 ms more.
    disable_nagle_algorithm = True

    def do_GET(self):
        time.sleep(DELAY)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # The default backlog of 5 drops some of 8 simultaneous connects, and a
    # dropped SYN is retried only after a second.
    request_queue_size = 128


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
