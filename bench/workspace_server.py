#!/usr/bin/env python3
"""A stand-in for Beam's workspace API on loopback, for benchmarks only.

Answers GET /api/v1/workspace/current, and GET /api/v1/task/{ws} with
COUNT tasks (the seed page's example task, each with its own ID), newest
first, in pages of `limit` with an opaque cursor, as beta9's gateway does.
Usage: workspace_server.py PORT COUNT
"""
import base64
import http.server
import json
import pathlib
import sys
import urllib.parse

TASK = json.loads((pathlib.Path(__file__).parent.parent / "tests/fixtures/seed_complete.json").read_text())
COUNT = int(sys.argv[2])


def page(start, limit):
    tasks = []
    for n in range(start, min(start + limit, COUNT)):
        task = dict(TASK)
        task["id"] = f"task-{n:08d}"
        tasks.append(task)
    end = start + len(tasks)
    cursor = base64.b64encode(str(end).encode()).decode() if end < COUNT else ""
    return {"data": tasks, "next": cursor}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/api/v1/workspace/current":
            body = {"external_id": "bench-ws"}
        else:
            cursor = query.get("cursor", [""])[0]
            start = int(base64.b64decode(cursor)) if cursor else 0
            body = page(start, int(query.get("limit", ["10"])[0]))
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
