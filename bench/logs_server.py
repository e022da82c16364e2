#!/usr/bin/env python3
"""A stand-in for Beam's logs routes on loopback, for the logs benchmark
only.

- GET /api/v1/workspace/current answers the workspace;
- GET /v2/task/{id}/ answers the task, COMPLETE (its lines may still be
  arriving on the stream, as a finished task's last lines do);
- GET /api/v1/logs/{ws}?object_id=hist&limit=L&page=P answers page P of a
  log of HISTORY lines, as beta9 pages it (`total_expected`,
  `next_cursor`); any other task has no history;
- GET /api/v1/logs/{ws}/stream sends FOLLOW lines as Server-Sent Events
  (`id`, `event: log`, `data`), RATE a second (0: as fast as it can), from
  `seq_num` on, then holds the stream open, silent, as beta9's live tail.
Usage: logs_server.py PORT HISTORY FOLLOW RATE
"""
import http.server
import json
import sys
import time
import urllib.parse

HISTORY = int(sys.argv[2])
FOLLOW = int(sys.argv[3])
RATE = float(sys.argv[4])
RECORD = (
    '{{"seq_num":{seq},"stored_at_ns":1764840000000000000,'
    '"timestamp":"2026-12-04T09:00:00.{frac:06d}Z","message":"step {seq}: loss=0.0421 lr=3e-4\\n",'
    '"stream":"{stream}","container_id":"taskqueue-bench","stub_id":"stub-bench",'
    '"stub_type":"taskqueue","task_id":"{task}","workspace_id":"bench-ws","app_id":"app-bench"}}'
)


def record(seq, task):
    stream = "stderr" if seq % 10 == 9 else "stdout"
    return RECORD.format(seq=seq, frac=seq % 1000000, stream=stream, task=task)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if url.path == "/api/v1/workspace/current":
            return self.answer(b'{"external_id": "bench-ws"}')
        if parts[:2] == ["v2", "task"]:
            return self.answer(json.dumps({"id": parts[2], "status": "COMPLETE"}).encode())
        if parts[:3] == ["api", "v1", "logs"] and parts[-1] == "stream":
            return self.stream(query.get("object_id", ""), int(query.get("seq_num", "0")))
        if parts[:3] == ["api", "v1", "logs"]:
            return self.page(query)
        self.send_error(404)

    def page(self, query):
        task = query.get("object_id", "")
        total = HISTORY if task == "hist" else 0
        limit = min(int(query.get("limit", "100")), 1000)
        page = int(query.get("page", "0"))
        first, last = min(page * limit, total), min((page + 1) * limit, total)
        logs = ",".join(record(seq, task) for seq in range(first, last))
        cursor = f',"next_cursor":"{page + 1}"' if last < total else ""
        body = (
            f'{{"logs":[{logs}]{cursor},"object_id":"{task}","object_type":"BETA9_TASK",'
            f'"streams":["bench"],"total_expected":{total}}}'
        )
        self.answer(body.encode())

    def stream(self, task, start):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(b": connected\n\n")
            began = time.monotonic()
            seq = start
            while seq < FOLLOW:
                batch = []
                for seq in range(seq, min(seq + 100, FOLLOW)):
                    batch.append(f"id: {seq}\nevent: log\ndata: {record(seq, task)}\n\n")
                seq += 1
                self.wfile.write("".join(batch).encode())
                self.wfile.flush()
                if RATE > 0:
                    due = began + (seq - start) / RATE
                    time.sleep(max(0.0, due - time.monotonic()))
            while True:
                time.sleep(3600)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.close_connection = True

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
