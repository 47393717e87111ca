"""The local API's figures: how soon a read reaches a subscriber, and what the idle server costs.

    .venv/bin/python bench/api.py [--reads N] [--idle SECONDS]

Starts `station serve --virtual PERSONA` (the demo card, in-process chip) in a fresh data directory,
subscribes to /v1/events with a client holding every scope, and asks for N reads (POST /v1/read).
Delay: from the core publishing read.completed (the event's ``at``, stamped once the read and its audit
event are done) to the message arriving at the WebSocket client, the release's own audit event, the
JSON with the portrait and the loopback hop included; both ends share this machine's clock. Then, with
the client still connected, the server's CPU time over an idle period and its resident memory, from
/proc (Linux).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

PERSONA = "nguyen-van-an"
ID_NUMBER = "001085014763"
STATION = str(Path(sys.executable).with_name("station"))
SCOPES = "identity,address,family,details,photo,checks"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def listen(socket: ClientConnection, completed: queue.Queue[tuple[datetime, dict[str, Any]]]) -> None:
    with contextlib.suppress(ConnectionClosed):
        for frame in socket:
            arrived = datetime.now(UTC)
            message = json.loads(frame)
            if message["event"] == "read.completed":
                completed.put((arrived, message))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        environment = os.environ | {"STATION_DATA_DIR": data_dir}
        token = subprocess.run(
            [STATION, "api-client", "add", "bench", "--demo", "--scope", SCOPES],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        server = subprocess.Popen(
            [STATION, "serve", "--virtual", PERSONA, "--listen", "127.0.0.1:0", "--quiet"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[-1]
            delays, round_trips = [], []
            headers = {"Authorization": f"Bearer {token}"}
            events_url = url.replace("http", "ws", 1) + "/v1/events"
            completed: queue.Queue[tuple[datetime, dict[str, Any]]] = queue.Queue()
            with (
                httpx.Client(base_url=url, headers=headers, timeout=60) as http,
                connect(events_url, additional_headers=headers, max_size=None) as socket,
            ):
                socket.recv()  # hello
                # Timestamped on arrival, on a thread of its own: the main thread waits for its POST.
                listener = threading.Thread(target=listen, args=(socket, completed), daemon=True)
                listener.start()
                for _ in range(args.reads):
                    started = time.perf_counter()
                    answer = http.post("/v1/read", json={"id": ID_NUMBER})
                    round_trips.append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text
                    arrived, message = completed.get(timeout=30)
                    assert message["result"]["photo"]["data_url"]
                    delays.append((arrived - datetime.fromisoformat(message["at"])).total_seconds())
                time.sleep(2)  # let the last read's work settle
                before = cpu_seconds(server.pid)
                time.sleep(args.idle)
                idle_cpu = cpu_seconds(server.pid) - before
                resident = rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(30)
    ms = sorted(delay * 1000 for delay in delays)
    median, p90 = statistics.median(ms), ms[int(len(ms) * 0.9)]
    print(f"read.completed at a WebSocket client, {len(ms)} reads of the demo card (all scopes, with photo):")
    print(f"  delay after the read ended: median {median:.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms")
    trip = statistics.median(round_trips) * 1000
    print(f"  POST /v1/read round trip (the read itself included): median {trip:.0f} ms")
    share = idle_cpu / args.idle * 100
    print(f"idle server with one subscriber: {share:.2f} % of one core over {args.idle:.0f} s", end=" ")
    print(f"({idle_cpu * 1000:.0f} ms CPU); resident memory {resident:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
