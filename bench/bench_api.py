"""API latency under 20 concurrent clients against ``pantau serve`` on a large database.

    python bench/bench_api.py --db bench/results/bench-100000.db [--clients 20] [--requests 30]

Goal (issue 6): p95 < 100 ms for list and aggregate endpoints on a 100k-article database.
Traffic goes to 127.0.0.1 only; the run is bounded by clients x requests.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

ENDPOINTS = {
    "list": ["/api/articles?page={page}", "/api/articles?province=33&page={page}",
             "/api/articles?q=sabu&page={page}", "/api/articles?q=narkoba&province=16",
             "/api/seizures?substance=methamphetamine&page={page}", "/api/people?page={page}"],
    "aggregate": ["/api/aggregates?by=province", "/api/aggregates?by=month", "/api/aggregates?by=substance",
                  "/api/aggregates?by=province&since=2023-01-01"],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client(base: str, count: int, seed: int) -> list[tuple[str, float, int]]:
    rng = random.Random(seed)
    out = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(count):
            kind = rng.choice(list(ENDPOINTS))
            path = rng.choice(ENDPOINTS[kind]).format(page=rng.randint(1, 50))
            start = time.perf_counter()
            response = client.get(path)
            out.append((kind, (time.perf_counter() - start) * 1000, response.status_code))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="requests per client")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pantau.cli", "serve", "--db", args.db, "--port", str(port),
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/api/stories", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        # warm each server process's caches for the aggregate endpoints (computed once per data version)
        with httpx.Client(base_url=base, timeout=120) as warm:
            for _ in range(2 * args.workers):
                for path in ENDPOINTS["aggregate"]:
                    warm.get(path)
        with ThreadPoolExecutor(args.clients) as pool:
            results = [r for batch in pool.map(lambda i: _client(base, args.requests, i + 1), range(args.clients))
                       for r in batch]
    finally:
        server.terminate()
        server.wait(timeout=10)
    errors = [r for r in results if r[2] != 200]
    print(f"{len(results)} requests from {args.clients} concurrent clients, {len(errors)} errors")
    for kind in ENDPOINTS:
        timings = sorted(t for k, t, _ in results if k == kind)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{kind:<10} n={len(timings):<5} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
              f"(goal p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
