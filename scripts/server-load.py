#!/usr/bin/env python3
"""Load test of mamba-server: throughput and latency under concurrent clients,
against the same requests one at a time, and the prefix cache's
time-to-first-token win.

  server-load.py [options] -- MAMBA_SERVER [server options...]
  server-load.py [options] --url http://HOST:PORT

With a server command, each phase starts its own server (--port 0, the port
read from its first stdout line) and stops it after. Requests are streamed
/v1/completions with token-id prompts (random ids in [--min-id, --vocab),
seeded), temperature 0, so both phases do the same work.

Phases (--phases, default all):
  concurrent   --requests requests from --clients clients at once
  sequential   the first --sequential-requests of them one at a time
  prefix       --prefix-pairs pairs: a fresh shared prefix of --prefix-tokens
               ids plus a short suffix (cold), then the same prefix with
               another suffix (warm: the cached prefix state is restored);
               with a server command, also on a server started with
               --prefix-cache-mb 0 --prefix-cache-device-mb 0 (warm
               without a cache)

Prints a markdown table; --json FILE writes every figure.
Figures: generated tokens/s over the phase's wall time, requests/s, TTFT
(first streamed text), end-to-end latency and time per output token
(after the first) as p50/p90/p99 over requests.
"""

import argparse
import json
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request


def parse_range(text):
    lo, _, hi = text.partition("-")
    lo, hi = int(lo), int(hi or lo)
    if not 1 <= lo <= hi:
        raise argparse.ArgumentTypeError("want A-B with 1 <= A <= B: " + text)
    return lo, hi


def percentile(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    at = (len(v) - 1) * q
    lo = int(at)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (at - lo)


class Server:
    def __init__(self, command):
        self.proc = subprocess.Popen(
            command + ["--port", "0"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.proc.kill()
            sys.exit("server-load: the server did not start: " + line +
                     self.proc.stderr.read())
        self.url = line.strip().split(" on ")[-1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=600)
        if rc != 0:
            sys.exit("server-load: the server exited with %d: %s" %
                     (rc, self.proc.stderr.read()[-2000:]))


def metric(url, name):
    with urllib.request.urlopen(url + "/metrics", timeout=60) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return float("nan")


def one_request(url, prompt, max_tokens, timeout):
    """Streams one completion; returns its timings and token count."""
    body = json.dumps({"prompt": prompt, "max_tokens": max_tokens,
                       "temperature": 0, "stream": True}).encode()
    req = urllib.request.Request(url + "/v1/completions", data=body,
                                 headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    first = None
    tokens = None
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            for line in r:
                line = line.decode().strip()
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                chunk = json.loads(line[6:])
                if "error" in chunk:
                    return {"error": chunk["error"]["message"]}
                if chunk.get("usage"):
                    tokens = chunk["usage"]["completion_tokens"]
                if (first is None and chunk["choices"] and
                        chunk["choices"][0].get("text")):
                    first = time.perf_counter()
    except (urllib.error.URLError, OSError) as e:
        return {"error": str(e)}
    end = time.perf_counter()
    if tokens is None:
        return {"error": "no usage in the stream"}
    first = first if first is not None else end
    return {"ttft": first - start, "latency": end - start, "tokens": tokens,
            "tpot": (end - first) / (tokens - 1) if tokens > 1 else 0.0}


def run_phase(url, prompts, max_tokens, clients, timeout):
    results = [None] * len(prompts)
    next_index = [0]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(prompts):
                return
            results[i] = one_request(url, prompts[i], max_tokens, timeout)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        sys.exit("server-load: %d of %d requests failed, first: %s" %
                 (len(errors), len(results), errors[0]))
    tokens = sum(r["tokens"] for r in results)
    summary = {"requests": len(results), "clients": clients,
               "wall_s": wall, "generated_tokens": tokens,
               "tokens_per_s": tokens / wall,
               "requests_per_s": len(results) / wall,
               "prompt_tokens": sum(len(p) for p in prompts)}
    for key in ("ttft", "latency", "tpot"):
        values = [r[key] for r in results]
        for q in (0.5, 0.9, 0.99):
            summary["%s_p%d_ms" % (key, round(q * 100))] = (
                1000 * percentile(values, q))
    return summary


def random_ids(rng, n, lo, hi):
    return [rng.randrange(lo, hi) for _ in range(n)]


def prefix_phase(url, args, rng):
    """Cold and warm TTFT of prompts that share a fresh prefix."""
    hits0 = metric(url, "mamba_prefix_cache_hits_total")
    cold, warm = [], []
    for _ in range(args.prefix_pairs):
        prefix = random_ids(rng, args.prefix_tokens, args.min_id, args.vocab)
        for into in (cold, warm):
            suffix = random_ids(rng, 8, args.min_id, args.vocab)
            r = one_request(url, prefix + suffix, 1, args.timeout)
            if "error" in r:
                sys.exit("server-load: prefix request failed: " + r["error"])
            into.append(r["ttft"])
    return {"pairs": args.prefix_pairs, "prefix_tokens": args.prefix_tokens,
            "cold_ttft_p50_ms": 1000 * percentile(cold, 0.5),
            "warm_ttft_p50_ms": 1000 * percentile(warm, 0.5),
            "cache_hits": int(
                metric(url, "mamba_prefix_cache_hits_total") - hits0)}


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--url", help="a running server (instead of a command)")
    p.add_argument("--phases", default="concurrent,sequential,prefix")
    p.add_argument("--requests", type=int, default=128)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--sequential-requests", type=int, default=0,
                   help="requests of the sequential phase (default: all)")
    p.add_argument("--prompt-tokens", type=parse_range, default=(200, 2000),
                   help="prompt lengths, uniform in A-B (default 200-2000)")
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--prefix-tokens", type=int, default=1024)
    p.add_argument("--prefix-pairs", type=int, default=8)
    p.add_argument("--vocab", type=int, default=50000,
                   help="prompt ids are below this (default 50000)")
    p.add_argument("--min-id", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=1800)
    p.add_argument("--json", help="write the figures here")
    p.add_argument("command", nargs="*", help="-- MAMBA_SERVER [options]")
    args = p.parse_args()
    if bool(args.url) == bool(args.command):
        p.error("give a server command after -- or --url, not both")
    phases = args.phases.split(",")
    for ph in phases:
        if ph not in ("concurrent", "sequential", "prefix"):
            p.error("unknown phase '%s' in --phases" % ph)
    if not 0 <= args.min_id < args.vocab:
        p.error("--min-id must be in [0, --vocab)")

    rng = random.Random(args.seed)
    lo, hi = args.prompt_tokens
    prompts = [random_ids(rng, rng.randint(lo, hi), args.min_id, args.vocab)
               for _ in range(args.requests)]
    out = {"settings": {k: v for k, v in vars(args).items()
                        if k not in ("json", "url")}}

    def with_server(extra, fn):
        if args.url:
            return fn(args.url)
        s = Server(args.command + extra)
        try:
            return fn(s.url)
        finally:
            s.stop()

    if "concurrent" in phases:
        print("server-load: %d requests from %d clients ..." %
              (args.requests, args.clients), file=sys.stderr)
        out["concurrent"] = with_server([], lambda url: run_phase(
            url, prompts, args.max_tokens, args.clients, args.timeout))
    if "sequential" in phases:
        n = args.sequential_requests or args.requests
        print("server-load: %d requests one at a time ..." % n,
              file=sys.stderr)
        out["sequential"] = with_server([], lambda url: run_phase(
            url, prompts[:n], args.max_tokens, 1, args.timeout))
    if "prefix" in phases:
        print("server-load: %d prefix pairs ..." % args.prefix_pairs,
              file=sys.stderr)
        out["prefix"] = with_server(
            [], lambda url: prefix_phase(url, args, random.Random(args.seed)))
        if not args.url:
            out["prefix_no_cache"] = with_server(
                ["--prefix-cache-mb", "0", "--prefix-cache-device-mb", "0"],
                lambda url: prefix_phase(url, args, random.Random(args.seed)))

    rows = [("concurrent", out.get("concurrent")),
            ("sequential", out.get("sequential"))]
    print("| phase | requests | clients | tokens/s | req/s | TTFT p50/p90/p99 ms "
          "| latency p50/p90/p99 ms | TPOT p50 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        if r:
            print("| %s | %d | %d | %.1f | %.2f | %.1f / %.1f / %.1f "
                  "| %.0f / %.0f / %.0f | %.2f |" % (
                      name, r["requests"], r["clients"], r["tokens_per_s"],
                      r["requests_per_s"], r["ttft_p50_ms"], r["ttft_p90_ms"],
                      r["ttft_p99_ms"], r["latency_p50_ms"],
                      r["latency_p90_ms"], r["latency_p99_ms"],
                      r["tpot_p50_ms"]))
    if out.get("concurrent") and out.get("sequential"):
        print("\nconcurrent / sequential throughput: %.2fx" % (
            out["concurrent"]["tokens_per_s"] /
            out["sequential"]["tokens_per_s"]))
    for name in ("prefix", "prefix_no_cache"):
        r = out.get(name)
        if r:
            print("%s: %d pairs, %d-token prefix: TTFT p50 cold %.1f ms, "
                  "warm %.1f ms, cache hits %d" % (
                      name, r["pairs"], r["prefix_tokens"],
                      r["cold_ttft_p50_ms"], r["warm_ttft_p50_ms"],
                      r["cache_hits"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
