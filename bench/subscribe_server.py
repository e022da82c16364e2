#!/usr/bin/env python3
"""A stand-in for Beam's task and workspace APIs on loopback, for the wait
benchmark only: each task runs for CHANGE_AFTER seconds from the first
request that names it, then is COMPLETE.

- GET /v2/task/{id}/ answers the task (RUNNING, then COMPLETE);
- GET /api/v1/workspace/current answers the workspace;
- GET /api/v1/task/{ws}/{id}/subscribe streams the task as Server-Sent
  Events the way beta9's gateway does: the task at once, then a check every
  second and an event only when the status changed, and the stream closed
  after a finished status.
Every request is counted; GET /counts answers the counts as JSON.
Usage: subscribe_server.py PORT CHANGE_AFTER_SECONDS
"""
import collections
import http.server
import json
import sys
import threading
import time

CHANGE_AFTER = float(sys.argv[2])
FIRST_SEEN = {}
COUNTS = collections.Counter()
LOCK = threading.Lock()


def status(task_id):
    with LOCK:
        first = FIRST_SEEN.setdefault(task_id, time.monotonic())
    return "COMPLETE" if time.monotonic() - first >= CHANGE_AFTER else "RUNNING"


def task(task_id):
    return json.dumps({"id": task_id, "status": status(task_id)}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def answer(self, body, content_type="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/counts":
            return self.answer(json.dumps(COUNTS).encode())
        parts = self.path.strip("/").split("/")
        with LOCK:
            COUNTS["subscribe" if parts[-1] == "subscribe" else "/".join(parts[:2])] += 1
        if self.path == "/api/v1/workspace/current":
            return self.answer(b'{"external_id": "bench-ws"}')
        if parts[:2] == ["v2", "task"]:
            return self.answer(task(parts[2]))
        if parts[-1] == "subscribe":
            return self.stream(parts[-2])
        self.send_error(404)

    def stream(self, task_id):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        sent = None
        try:
            while True:
                now = status(task_id)
                if now != sent:
                    self.wfile.write(b"event: status\ndata: " + task(task_id) + b"\n\n")
                    self.wfile.flush()
                    sent = now
                if now == "COMPLETE":
                    return
                time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.close_connection = True

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
