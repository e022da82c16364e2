#!/usr/bin/env python3
"""A stand-in for Beam's task and workspace APIs on loopback, for the batch
benchmark only. It holds COUNT tasks with UUIDs (5c9a1e0d-...-{n:012}, n
from 1) and adds DELAY_MS to every answer, as a round trip would.

- GET /v2/task/{id}/ answers one task (the seed page's example task);
- GET /api/v1/workspace/current answers the workspace;
- GET /api/v1/task/{ws}?task_ids=a,b&limit=N answers those tasks as
  beta9's list does ({"data": [...], "next": ""});
- GET /api/v1/task/{ws}/{id}/subscribe streams the task as beta9 does: the
  task at once, a check every second, an event on a change, the stream
  closed after a finished status.
In mode `finished` every task is COMPLETE. In mode `running` task n runs
until SPREAD * n / COUNT seconds after the first request that names a task,
then is COMPLETE: the last one finishes SPREAD seconds in.
GET /counts answers the requests made so far (by kind) and, in mode
`running`, when the last task finished (Unix time), then starts over.
Usage: batch_server.py PORT DELAY_MS COUNT MODE [SPREAD] [CERT KEY]
"""
import collections
import http.server
import json
import pathlib
import ssl
import sys
import threading
import time
import urllib.parse

PORT, DELAY, COUNT, MODE = int(sys.argv[1]), float(sys.argv[2]) / 1000, int(sys.argv[3]), sys.argv[4]
SPREAD = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
TLS = sys.argv[6:8]
SEED = json.loads((pathlib.Path(__file__).parent.parent / "tests/fixtures/seed_complete.json").read_text())
PREFIX = "5c9a1e0d-4b7f-4d2e-9f3a-"
COUNTS = collections.Counter()
STATE = {"start": None}
LOCK = threading.Lock()


def finishes_at(n):
    """When task n is COMPLETE (monotonic), once the clock started."""
    return STATE["start"] + SPREAD * n / COUNT


def status(task_id):
    if MODE == "finished":
        return "COMPLETE"
    with LOCK:
        if STATE["start"] is None:
            STATE["start"] = time.monotonic()
    n = int(task_id[len(PREFIX):])
    return "COMPLETE" if time.monotonic() >= finishes_at(n) else "RUNNING"


def known(task_id):
    return task_id.startswith(PREFIX) and task_id[len(PREFIX):].isdigit() and 1 <= int(task_id[len(PREFIX):]) <= COUNT


def task(task_id):
    body = dict(SEED)
    body["id"] = task_id
    body["status"] = status(task_id)
    return body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Go servers (Beam runs on Go) set TCP_NODELAY: no delayed ACKs.
    disable_nagle_algorithm = True

    def answer(self, body, code=200):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if url.path == "/counts":
            return self.counts()
        kind = "subscribe" if parts[-1] == "subscribe" else "list" if len(parts) == 4 and parts[2] == "task" else "/".join(parts[:2])
        with LOCK:
            COUNTS[kind] += 1
        time.sleep(DELAY)
        if url.path == "/api/v1/workspace/current":
            return self.answer({"external_id": "bench-ws"})
        if parts[:2] == ["v2", "task"] and len(parts) == 3:
            if not known(parts[2]):
                return self.answer({"message": ""}, 404)
            return self.answer(task(parts[2]))
        if kind == "subscribe":
            return self.stream(parts[-2])
        if kind == "list":
            ids = urllib.parse.parse_qs(url.query).get("task_ids", [""])[0].split(",")
            return self.answer({"data": [task(i) for i in ids if known(i)], "next": ""})
        return self.answer({"message": ""}, 404)

    def stream(self, task_id):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        last = None
        while True:
            body = task(task_id)
            if body["status"] != last:
                last = body["status"]
                self.wfile.write(f"event: status\ndata: {json.dumps(body)}\n\n".encode())
                self.wfile.flush()
            if last == "COMPLETE":
                self.close_connection = True
                return
            time.sleep(1)

    def counts(self):
        with LOCK:
            body = dict(COUNTS)
            body["total"] = sum(COUNTS.values())
            if STATE["start"] is not None:
                body["last_finished"] = time.time() - time.monotonic() + finishes_at(COUNT)
            COUNTS.clear()
            STATE["start"] = None
        self.answer(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # Many connections at once: no dropped SYNs.
    request_queue_size = 256
    daemon_threads = True


server = Server(("127.0.0.1", PORT), Handler)
if TLS:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS[0], TLS[1])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
