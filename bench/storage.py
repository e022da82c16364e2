#!/usr/bin/env python3
"""A stand-in for Beam's task API and a storage host on loopback, for the
download benchmark only.

GET /v2/task/{id}/ answers a COMPLETE task whose one output is FILE, with a
link to GET /files/{name} on the same server, which sends the file with
sendfile(2) (so that the server is not what the benchmark measures).
Usage: storage.py PORT FILE
"""
import http.server
import json
import os
import pathlib
import sys

PORT = int(sys.argv[1])
FILE = pathlib.Path(sys.argv[2])
NAME = FILE.name
TASK = json.dumps({
    "id": "bench",
    "status": "COMPLETE",
    "outputs": [{
        "name": NAME,
        "url": f"http://127.0.0.1:{PORT}/files/{NAME}?X-Amz-Signature=bench",
        "expires_in": 3600,
    }],
}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path.startswith("/v2/task/"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(TASK)))
            self.end_headers()
            self.wfile.write(TASK)
        elif self.path.split("?")[0] == f"/files/{NAME}":
            with open(FILE, "rb") as f:
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                self.end_headers()
                self.connection.sendfile(f)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128


Server(("127.0.0.1", PORT), Handler).serve_forever()
