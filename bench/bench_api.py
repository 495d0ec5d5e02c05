"""API latency under 20 concurrent clients against ``pantau serve`` on a large database.

    python bench/bench_api.py --db bench/results/bench-100000.db [--clients 20] [--requests 100]
                              [--rounds 3] [--workers 2] [--seed 1]

Build the database first with ``python bench/bench_store.py --count 100000 --skip-pg``.

Against a freshly started server (``--workers`` processes, each loading its facet index first):

1. **cold**: every endpoint shape of the mix once, one request at a time, right after start-up;
2. **load**, ``--rounds`` times: ``--clients`` clients, each sending ``--requests`` requests back to
   back, drawn from a mix in which most requests are not repeats: random pages, random provinces (38),
   substances, topics, query words and years. In round 1 most requests miss the server's caches; later
   rounds draw again from the same mix, so they show a server that has been answering for a while.

Goal (issue 6): p95 < 100 ms for list and aggregate endpoints on a 100k-article database. Clients and
server share this machine's cores. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import quote

import httpx

PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51",
             "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92",
             "93", "94", "95", "96"]
SUBSTANCES = ["methamphetamine", "cannabis", "mdma", "synthetic_cannabinoid", "pil_koplo"]
TOPICS = ["drugs", "prison", "rehabilitation", "public_order"]
WORDS = ["sabu", "ganja", "ekstasi", "narkoba", "Kapolres", "tersangka", "barang bukti", "pengedar", "Kupang",
         "Pemalang", "pil koplo", "Satresnarkoba"]
GROUPINGS = ["province", "regency", "month", "substance", "outlet", "topic"]

Shape = tuple[str, Callable[[random.Random], str]]  # (shape name, path maker)
LIST: list[Shape] = [
    ("articles", lambda r: f"/api/articles?page={r.randint(1, 50)}"),
    ("articles?province", lambda r: f"/api/articles?province={r.choice(PROVINCES)}&page={r.randint(1, 5)}"),
    ("articles?topic&since", lambda r: f"/api/articles?topic={r.choice(TOPICS)}&since={r.randint(2019, 2025)}-01-01"),
    ("articles?q", lambda r: f"/api/articles?q={r.choice(WORDS)}&page={r.randint(1, 5)}"),
    ("articles?q&province", lambda r: f"/api/articles?q={r.choice(WORDS)}&province={r.choice(PROVINCES)}"),
    ("seizures?substance", lambda r: f"/api/seizures?substance={r.choice(SUBSTANCES)}&page={r.randint(1, 20)}"),
    ("statistics?province", lambda r: f"/api/statistics?province={r.choice(PROVINCES)}"),
    ("quotes", lambda r: f"/api/quotes?page={r.randint(1, 50)}"),
    ("stories", lambda r: f"/api/stories?page={r.randint(1, 50)}"),
    ("people", lambda r: f"/api/people?page={r.randint(1, 10)}"),
    ("people?province", lambda r: f"/api/people?province={r.choice(PROVINCES)}"),
    ("organizations", lambda r: f"/api/organizations?page={r.randint(1, 5)}"),
]
AGGREGATE: list[Shape] = [
    ("aggregates?by", lambda r: f"/api/aggregates?by={r.choice(GROUPINGS)}"),
    ("aggregates?by&province", lambda r: f"/api/aggregates?by={r.choice(['month', 'substance', 'regency'])}"
                                         f"&province={r.choice(PROVINCES)}"),
    ("aggregates?by&substance", lambda r: f"/api/aggregates?by=province&substance={r.choice(SUBSTANCES)}"),
    ("aggregates?by&since", lambda r: f"/api/aggregates?by={r.choice(['province', 'substance'])}"
                                      f"&since={r.randint(2019, 2025)}-01-01"),
    ("regions/{province}", lambda r: f"/api/regions/{r.choice(PROVINCES)}"),
]
MIX = {"list": LIST, "aggregate": AGGREGATE}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _client(port: int, count: int, seed: int) -> list[tuple[str, str, float, int]]:
    """One client: ``count`` requests back to back on one keep-alive HTTP/1.1 connection.

    A plain asyncio stream, all clients in one event loop: the load generator shares the machine's cores
    with the server, and threads of a Python HTTP client would add their own GIL waits to the latencies.
    """
    rng = random.Random(seed)
    out = []
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            kind = rng.choice(list(MIX))
            shape, make = rng.choice(MIX[kind])
            path = quote(make(rng), safe="/?=&")
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            out.append((kind, shape, (time.perf_counter() - start) * 1000, status))
    finally:
        writer.close()
    return out


async def _load(port: int, clients: int, count: int, seed: int) -> list[tuple[str, str, float, int]]:
    batches = await asyncio.gather(*(_client(port, count, seed + i) for i in range(clients)))
    return [r for batch in batches for r in batch]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(len(ordered) * share) - 1))]


def _start(db: str, workers: int) -> tuple[subprocess.Popen[bytes], str, int]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pantau.cli", "serve", "--db", db, "--port", str(port),
                               "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/api/articles/-", timeout=2)  # a 404 without a query: the server is up
            return server, base, port
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def _report(label: str, results: list[tuple[str, str, float, int]], elapsed: float, clients: int,
            shapes: bool) -> None:
    errors = [r for r in results if r[3] != 200]
    print(f"{label}: {len(results)} requests from {clients} concurrent clients in {elapsed:.1f} s "
          f"({len(results) / elapsed:.0f} requests/s), {len(errors)} errors")
    if shapes:
        by_shape: dict[str, list[float]] = defaultdict(list)
        for kind, shape, ms, _ in results:
            by_shape[f"{kind} {shape}"].append(ms)
        for name in sorted(by_shape):
            timings = by_shape[name]
            print(f"  {name:<36} n={len(timings):<5} p50 {statistics.median(timings):7.1f}  "
                  f"p95 {_percentile(timings, 0.95):7.1f}  max {max(timings):7.1f} ms")
    for kind in MIX:
        timings = [ms for k, _, ms, _ in results if k == kind]
        p95 = _percentile(timings, 0.95)
        print(f"  {kind:<10} n={len(timings):<5} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
              f"p99 {_percentile(timings, 0.99):7.1f} ms  (goal p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="requests per client and round")
    parser.add_argument("--rounds", type=int, default=3, help="load rounds, each with new random draws")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    server, base, port = _start(args.db, args.workers)
    print(f"server ready in {time.perf_counter() - started:.1f} s ({args.workers} processes, each loading its "
          "facet index before it answers)")
    rounds = []
    try:
        rng = random.Random(args.seed)
        print("cold: each shape once, one request at a time, right after start-up")
        with httpx.Client(base_url=base, timeout=120) as client:
            for kind, shapes in MIX.items():
                for shape, make in shapes:
                    path = make(rng)
                    start = time.perf_counter()
                    status = client.get(path).status_code
                    print(f"  {kind:<9} {shape:<26} {(time.perf_counter() - start) * 1000:8.1f} ms  {status}  {path}")
        for number in range(args.rounds):
            started = time.perf_counter()
            results = asyncio.run(_load(port, args.clients, args.requests, args.seed * 100_000 + number * 1000))
            rounds.append((results, time.perf_counter() - started))
    finally:
        server.terminate()
        server.wait(timeout=20)
    for number, (results, elapsed) in enumerate(rounds, 1):
        label = f"round {number}" + (" (first after start: most requests computed)" if number == 1 else "")
        _report(label, results, elapsed, args.clients, shapes=number in (1, len(rounds)))


if __name__ == "__main__":
    main()
