"""Bare Django JSON view vs the enveloped DRF health endpoint, on one server, in one run.

Starts uvicorn (one process, the production server) on ``benchmarks.settings``
and loads two endpoints that return the same payload:

* ``/api/v1/bench/bare``: a plain Django ``JsonResponse`` view;
* ``/api/v1/health``: the DRF view with the envelope renderer and exception handler.

Both go through the same middleware (request id, JSON access log, envelope
fallback, ...). The load client is a small asyncio HTTP/1.1 client with
keep-alive connections. Rounds alternate (bare, drf, bare, drf, ...) so drift
on a shared machine hits both alike; the figures are medians over rounds.
It prints requests/s, p50 and p99 latency for each and the ratio drf/bare,
and writes them to ``benchmarks/results/bench_envelope.json``.

    .venv/bin/python benchmarks/bench_envelope.py [--seconds 8] [--rounds 3] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402

ENDPOINTS = {"bare": "/api/v1/bench/bare", "drf": "/api/v1/health"}


def load(port: int, path: str, seconds: float, connections: int) -> dict[str, float]:
    result = asyncio.run(httpload.run_for(port, httpload.get_request(path), seconds=seconds, connections=connections))
    bad = [status for status in result.statuses if status != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} non-200 answers from {path}, e.g. {bad[0]}")
    return {
        "requests": len(result.latencies),
        "rps": result.rps,
        "p50_ms": result.percentile_ms(0.50),
        "p99_ms": result.percentile_ms(0.99),
    }


def main() -> None:
    httpload.exit_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of one round per endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=2.0)
    args = parser.parse_args()

    port = httpload.free_port()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    server_log = (out / "server.log").open("wb")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "PYTHONPATH": str(ROOT)}
    server = httpload.start_uvicorn(ROOT, port, env, server_log)
    try:
        httpload.wait_until_up(port)
        for path in ENDPOINTS.values():
            load(port, path, args.warmup, args.connections)
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in ENDPOINTS}
        for _ in range(args.rounds):
            for name, path in ENDPOINTS.items():
                rounds[name].append(load(port, path, args.seconds, args.connections))
    finally:
        httpload.stop_all([server])
        server_log.close()

    summary = {
        name: {key: statistics.median(r[key] for r in results) for key in ("rps", "p50_ms", "p99_ms")}
        for name, results in rounds.items()
    }
    ratio = summary["drf"]["rps"] / summary["bare"]["rps"]
    print(f"uvicorn, 1 process; {args.connections} keep-alive connections; {args.rounds} rounds of {args.seconds}s")
    print(f"{'endpoint':<38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, path in ENDPOINTS.items():
        row = summary[name]
        label = f"{name} {path}"
        print(f"{label:<38} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")
    print(f"ratio drf/bare (req/s): {ratio:.2f}")

    (out / "bench_envelope.json").write_text(
        json.dumps({"summary": summary, "ratio": ratio, "rounds": rounds, "args": vars(args)}, indent=2)
    )


if __name__ == "__main__":
    main()
