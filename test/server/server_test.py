#!/usr/bin/env python3
"""End-to-end tests of mamba-server on the CPU with the demo model.

Each case starts the server on a free port (--port 0, the port read from its
first stdout line), sends real HTTP with urllib, and checks the answers:

  api          /health, /v1/models, /metrics, completions (JSON schema),
               streaming (SSE chunks joined = the non-streamed text), stop
  bad          bad requests get 4xx with the field or the limit named
  concurrent   8 clients at once = the same 8 requests one at a time
               (seeded, temperature 0), and /metrics counts them
  logprobs     echo + logprobs = the log-softmax of mamba-run --logits-out
  shutdown     SIGTERM lets a running request finish, then the server exits 0
  chat         chat templates: the tokenizer_config.json beside the tokenizer
               (the prompt is the template's text: same tokens and reply as
               /v1/completions of it), raise_exception -> 400 with the
               template's message, --chat-template FILE, templates that do
               not parse stop the server from starting
  disconnect   a client that goes away (streamed or not) frees its slot

usage: server_test.py MAMBA_SERVER MAMBA_RUN CASE
"""

import ast
import json
import math
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

SERVER, RUN, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


class Server:
    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [SERVER, "--port", "0", "--device", "cpu", "-q", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.proc.kill()
            raise SystemExit("server did not start: " + line +
                             self.proc.stderr.read())
        self.url = line.strip().split(" on ")[-1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


def request(url, body=None, raw=None, method=None):
    """(status, parsed JSON or text) of one request."""
    data = raw if raw is not None else (
        None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, text, ctype = r.status, r.read().decode(), r.headers.get(
                "Content-Type", "")
    except urllib.error.HTTPError as e:
        status, text, ctype = e.code, e.read().decode(), e.headers.get(
            "Content-Type", "")
    if "json" in ctype:
        return status, json.loads(text)
    return status, text


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def completion_schema(d, n_choices):
    check(d["object"] == "text_completion", d)
    check(d["id"].startswith("cmpl-") and isinstance(d["created"], int), d)
    check(d["model"] == "demo", d)
    check(len(d["choices"]) == n_choices, d)
    for i, c in enumerate(d["choices"]):
        check(c["index"] == i and isinstance(c["text"], str), c)
        check(c["finish_reason"] in ("stop", "length"), c)
    u = d["usage"]
    check(u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"], u)


def stream(url, body):
    """The data payloads of an SSE response."""
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    events = []
    with urllib.request.urlopen(req, timeout=120) as r:
        check(r.headers["Content-Type"].startswith("text/event-stream"),
              r.headers)
        for line in r:
            line = line.decode().rstrip("\n")
            if line.startswith("data: "):
                events.append(line[6:])
            elif not line.startswith(":"):  # a comment: keep-alive
                check(line == "", "not SSE: " + line)
    return events


def case_api():
    s = Server()
    try:
        status, h = request(s.url + "/health")
        check(status == 200 and h["status"] == "ok", h)
        status, m = request(s.url + "/v1/models")
        check(status == 200 and m["object"] == "list", m)
        check(m["data"][0]["id"] == "demo" and m["data"][0]["object"] ==
              "model", m)
        body = {"model": "demo", "prompt": "And God said", "max_tokens": 20,
                "temperature": 0, "seed": 3}
        status, d = request(s.url + "/v1/completions", body)
        check(status == 200, d)
        completion_schema(d, 1)
        check(d["usage"]["completion_tokens"] == 20, d)
        text = d["choices"][0]["text"]
        check(len(text) > 0, d)
        # Streaming: the chunks' texts join to the same completion.
        events = stream(s.url + "/v1/completions", dict(body, stream=True))
        check(events[-1] == "[DONE]", events[-1])
        chunks = [json.loads(e) for e in events[:-1]]
        joined = "".join(c["choices"][0]["text"] for c in chunks
                         if c["choices"])
        check(joined == text, (joined, text))
        finals = [c["choices"][0]["finish_reason"] for c in chunks
                  if c["choices"] and c["choices"][0]["finish_reason"]]
        check(finals == ["length"], finals)
        check(chunks[-1]["usage"]["completion_tokens"] == 20, chunks[-1])
        # A stop string cuts the text before it.
        word = text.split()[2]
        status, d = request(s.url + "/v1/completions", dict(body, stop=[word]))
        check(status == 200 and d["choices"][0]["finish_reason"] == "stop", d)
        check(d["choices"][0]["text"] == text[:text.index(word)], d)
        # One sequence at a time: each decode step ran one row, not 8.
        steps = metric(s.url, "mamba_decode_steps_total")
        check(steps >= 40 and
              metric(s.url, "mamba_decode_rows_total") == steps, steps)
        # n choices of two prompts, token-id prompts.
        status, d = request(s.url + "/v1/completions",
                            {"prompt": ["And", [100, 200]], "n": 2,
                             "max_tokens": 4, "temperature": 0.8, "seed": 9})
        check(status == 200, d)
        completion_schema(d, 4)
        # Chat: no template in the demo model, unless asked for ChatML.
        status, e = request(s.url + "/v1/chat/completions",
                            {"messages": [{"role": "user", "content": "hi"}]})
        check(status == 400 and "no chat template" in e["error"]["message"],
              e)
        status, text = request(s.url + "/metrics")
        check(status == 200, text)
        for name in ("mamba_requests_total", "mamba_generated_tokens_total",
                     "mamba_generation_tokens_per_second",
                     "mamba_batch_occupancy", "mamba_queue_length",
                     "mamba_batch_slots 8"):
            check(name in text, name + " missing from /metrics")
        check('mamba_requests_total{path="/v1/completions",code="200"} 4'
              in text, text)
    finally:
        check(s.stop() == 0, "server exit code")
    s = Server("--chat-template", "chatml")
    try:
        status, d = request(s.url + "/v1/chat/completions",
                            {"messages": [{"role": "user", "content": "Who?"}],
                             "max_tokens": 8, "temperature": 0})
        check(status == 200 and d["object"] == "chat.completion", d)
        msg = d["choices"][0]["message"]
        check(msg["role"] == "assistant" and isinstance(msg["content"], str),
              d)
        events = stream(s.url + "/v1/chat/completions",
                        {"messages": [{"role": "user", "content": "Who?"}],
                         "max_tokens": 8, "temperature": 0, "stream": True})
        chunks = [json.loads(e) for e in events[:-1]]
        check(chunks[0]["object"] == "chat.completion.chunk", chunks[0])
        check(chunks[0]["choices"][0]["delta"]["role"] == "assistant",
              chunks[0])
        joined = "".join(c["choices"][0]["delta"].get("content", "")
                         for c in chunks if c["choices"])
        check(joined == msg["content"], (joined, msg))
    finally:
        check(s.stop() == 0, "server exit code")


def case_bad():
    # Bad flags stop the server before it listens, naming the rule.
    for args, text in (
            (["--random-model", "mamba-130m"], "pass --tokenizer FILE"),
            (["--random-model", "mamba-130m", "--model", "x"],
             "not both"),
            (["--random-model", "mamba-9b", "--tokenizer",
              os.path.join(os.path.dirname(__file__), "..", "data", "text",
                           "neox-like", "tokenizer.json")], "mamba-9b")):
        r = subprocess.run([SERVER, "--port", "0", "--device", "cpu", *args],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode != 0 and text in r.stderr, (args, r.stderr))
    s = Server("--max-body-bytes", "2000", "--max-tokens-limit", "64",
               "--max-prompt-tokens", "50")
    try:
        u = s.url + "/v1/completions"

        def expect(status, body=None, raw=None, text=None, param=None):
            got, e = request(u, body, raw)
            check(got == status, (got, e))
            check(text in e["error"]["message"], (text, e))
            if param is not None:
                check(e["error"]["param"] == param, e)

        expect(413, raw=b'{"prompt": "' + b"x" * 3000 + b'"}',
               text="larger than the limit of 2000 bytes (--max-body-bytes)")
        expect(400, {"prompt": "a", "max_tokens": 65},
               text="more than the limit of 64 (--max-tokens-limit)",
               param="max_tokens")
        expect(400, {"prompt": "And " * 60},
               text="more than the limit of 50 (--max-prompt-tokens)",
               param="prompt")
        expect(400, raw=b"{not json", text="not valid JSON")
        expect(400, {"max_tokens": 3}, text="'prompt' is required",
               param="prompt")
        expect(400, {"prompt": "a", "temperature": -1},
               text="'temperature' must be in [0", param="temperature")
        expect(400, {"prompt": "a", "n": 0}, text="'n' must be in [1",
               param="n")
        expect(400, {"prompt": [1, 999999]}, text="token-id prompt",
               param="prompt")
        expect(400, {"prompt": "a", "stop": [1]}, text="'stop' must be",
               param="stop")
        expect(400, {"prompt": "a", "logprobs": 50},
               text="'logprobs' must be an integer in [0, 20]",
               param="logprobs")
        expect(404, {"prompt": "a", "model": "gpt-4"},
               text="is not served here", param="model")
        got, e = request(s.url + "/v1/nothing")
        check(got == 404 and "no route" in e["error"]["message"], e)
        status, h = request(s.url + "/health")
        check(status == 200, "the server survives bad requests")
    finally:
        check(s.stop() == 0, "server exit code")
    # Concurrency limit: 1 request at a time, the second gets 429.
    s = Server("--max-concurrent", "1")
    try:
        results = []
        slow = threading.Thread(target=lambda: results.append(request(
            s.url + "/v1/completions",
            {"prompt": "And", "max_tokens": 400, "temperature": 0})))
        slow.start()
        # Probe only once the slow request holds the one place.
        for _ in range(2000):
            if "mamba_requests_in_flight 1" in request(s.url + "/metrics")[1]:
                break
        status, e = None, None
        for _ in range(200):
            status, e = request(s.url + "/v1/completions",
                                {"prompt": "And", "max_tokens": 1})
            if status == 429:
                break
        check(status == 429 and "(--max-concurrent)" in e["error"]["message"],
              (status, e))
        slow.join()
        check(results[0][0] == 200, results)
    finally:
        check(s.stop() == 0, "server exit code")


def case_concurrent():
    s = Server("--slots", "4")
    try:
        prompts = ["And God said", "In the beginning", "The LORD is my",
                   "Blessed are", "And it came to pass", "Thou shalt",
                   "For God so loved", "Let there be"]
        bodies = [{"prompt": p, "max_tokens": 24, "temperature": 0,
                   "seed": 11, "stream": i % 2 == 1}
                  for i, p in enumerate(prompts)]

        def run(body):
            if body["stream"]:
                events = stream(s.url + "/v1/completions", body)
                return "".join(json.loads(e)["choices"][0]["text"]
                               for e in events[:-1]
                               if json.loads(e)["choices"])
            status, d = request(s.url + "/v1/completions", body)
            check(status == 200, d)
            return d["choices"][0]["text"]

        sequential = [run(b) for b in bodies]
        out = [None] * len(bodies)

        def worker(i):
            out[i] = run(bodies[i])

        threads = [threading.Thread(target=worker, args=(i,))
                   for i in range(len(bodies))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for i in range(len(bodies)):
            check(out[i] == sequential[i],
                  "client %d: %r != %r" % (i, out[i], sequential[i]))
        check(len(set(sequential)) > 1, "different prompts, same text")
        status, text = request(s.url + "/metrics")
        check('mamba_sequences_total 16' in text, text)
        occ = [l for l in text.splitlines()
               if l.startswith("mamba_batch_occupancy ")][0]
        check(0 < float(occ.split()[1]) <= 1, occ)
    finally:
        check(s.stop() == 0, "server exit code")


def write_npy_ids(path, ids):
    header = "{'descr': '<i4', 'fortran_order': False, 'shape': (1, %d), }" % (
        len(ids))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%di" % len(ids), *ids))


def read_npy_floats(path):
    with open(path, "rb") as f:
        data = f.read()
    hlen = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + hlen].decode())
    check(header["descr"] == "<f4", header)
    shape = header["shape"]
    n = 1
    for d in shape:
        n *= d
    return shape, struct.unpack("<%df" % n, data[10 + hlen:10 + hlen + 4 * n])


def case_logprobs():
    s = Server()
    try:
        status, d = request(s.url + "/v1/completions",
                            {"prompt": "And God said unto Moses, I AM",
                             "max_tokens": 0, "echo": True, "logprobs": 2})
        check(status == 200, d)
        c = d["choices"][0]
        check(c["text"] == "And God said unto Moses, I AM", c)
        lp = c["logprobs"]
        tokens = lp["tokens"]
        check(lp["token_logprobs"][0] is None and len(tokens) > 3, lp)
        check("".join(tokens) == c["text"], lp)
        check(lp["text_offset"][0] == 0, lp)
        # The ids of the prompt, as the server saw them.
        status, d2 = request(s.url + "/v1/completions",
                             {"prompt": "And God said unto Moses, I AM",
                              "max_tokens": 1, "echo": True, "logprobs": 0,
                              "temperature": 0})
        check(status == 200 and d2["usage"]["prompt_tokens"] == len(tokens),
              d2)
        # text_offset counts characters, across the prompt and the
        # completion; tokens that end inside a character (shown as U+FFFD)
        # start where it does. Streamed offsets are the same.
        body = {"prompt": "Price: 5\u20ac \U0001F600!", "max_tokens": 4,
                "echo": True, "logprobs": 0, "temperature": 0}
        status, d3 = request(s.url + "/v1/completions", body)
        check(status == 200, d3)
        text, lp3 = d3["choices"][0]["text"], d3["choices"][0]["logprobs"]
        offsets = lp3["text_offset"]
        check(offsets == sorted(offsets) and offsets[-1] < len(text), lp3)
        for tok, at in zip(lp3["tokens"], offsets):
            check("\ufffd" in tok or text[at:at + len(tok)] == tok,
                  (tok, at, text))
        events = stream(s.url + "/v1/completions", dict(body, stream=True))
        streamed = [o for e in events[:-1] for c in json.loads(e)["choices"]
                    if c.get("logprobs") for o in c["logprobs"]["text_offset"]]
        check(streamed == offsets, (streamed, offsets))
    finally:
        check(s.stop() == 0, "server exit code")
    ids = json.loads(subprocess.run(
        [RUN, "--tokenize", "--prompt", "And God said unto Moses, I AM"],
        capture_output=True, text=True, check=True).stdout.splitlines()[0])
    check(len(ids) == len(tokens), (ids, tokens))
    with tempfile.TemporaryDirectory() as tmp:
        write_npy_ids(os.path.join(tmp, "ids.npy"), ids)
        subprocess.run([RUN, "--device", "cpu", "-q", "--input-ids",
                        os.path.join(tmp, "ids.npy"), "--logits-out",
                        os.path.join(tmp, "logits.npy")], check=True)
        shape, logits = read_npy_floats(os.path.join(tmp, "logits.npy"))
    vocab = shape[2]
    worst = 0.0
    for p in range(1, len(ids)):
        row = logits[(p - 1) * vocab:p * vocab]
        m = max(row)
        lse = m + math.log(sum(math.exp(x - m) for x in row))
        want = row[ids[p]] - lse
        got = lp["token_logprobs"][p]
        worst = max(worst, abs(got - want))
        top = sorted(range(vocab), key=lambda v: -row[v])[:2]
        check(len(lp["top_logprobs"][p]) == 2, lp["top_logprobs"][p])
        best = max(lp["top_logprobs"][p].values())
        check(abs(best - (row[top[0]] - lse)) < 1e-4, (best, top))
    print("echo logprobs vs mamba-run --logits-out: max |diff| %.3g over %d "
          "tokens" % (worst, len(ids) - 1))
    check(worst < 1e-4, worst)


def case_shutdown():
    # A grace period that the request fits in even under ASan on 2 busy
    # cores (it decodes about 13 tokens/s there).
    s = Server("--shutdown-timeout", "300")
    result = []
    t = threading.Thread(target=lambda: result.append(request(
        s.url + "/v1/completions",
        {"prompt": "And", "max_tokens": 300, "temperature": 0})))
    t.start()
    # Wait until the request runs, then ask the server to stop.
    for _ in range(500):
        status, text = request(s.url + "/metrics")
        if "mamba_batch_active 1" in text:
            break
    s.proc.send_signal(signal.SIGTERM)
    t.join()
    rc = s.proc.wait(timeout=330)
    check(rc == 0, "exit code %d" % rc)
    status, d = result[0]
    check(status == 200 and d["usage"]["completion_tokens"] == 300, d)
    check("finishing running requests" in s.proc.stderr.read(), "no message")


def metric(url, name):
    status, text = request(url + "/metrics")
    check(status == 200, text)
    return float([l for l in text.splitlines()
                  if l.startswith(name + " ")][0].split()[1])


def case_disconnect():
    # One slot: while a request that asked for 4000 tokens holds it, nothing
    # else runs, so the last request is answered only if the slot came back.
    s = Server("--slots", "1")
    try:
        where = urllib.parse.urlparse(s.url)
        for streamed in (True, False):
            cancelled = metric(s.url, "mamba_sequences_cancelled_total")
            generated = metric(s.url, "mamba_generated_tokens_total")
            body = json.dumps({"prompt": "And", "max_tokens": 4000,
                               "temperature": 0, "stream": streamed}).encode()
            sock = socket.create_connection((where.hostname, where.port))
            sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body) + body)
            if streamed:
                # Go away after the first event.
                got = b""
                while b"data: " not in got:
                    chunk = sock.recv(4096)
                    check(chunk, "closed before the first event: %r" % got)
                    got += chunk
            else:
                for _ in range(600):
                    if metric(s.url, "mamba_batch_active") == 1:
                        break
            sock.close()
            for _ in range(1200):
                if (metric(s.url, "mamba_sequences_cancelled_total") ==
                        cancelled + 1 and
                        metric(s.url, "mamba_batch_active") == 0 and
                        metric(s.url, "mamba_requests_in_flight") == 0):
                    break
                threading.Event().wait(0.1)
            else:
                raise AssertionError("the slot of a client that went away "
                                     "(stream %s) was not freed" % streamed)
            spent = metric(s.url, "mamba_generated_tokens_total") - generated
            check(spent < 4000, "generated %d tokens for nobody" % spent)
        status, d = request(s.url + "/v1/completions",
                            {"prompt": "And", "max_tokens": 5,
                             "temperature": 0})
        check(status == 200 and d["usage"]["completion_tokens"] == 5, d)
    finally:
        check(s.stop() == 0, "server exit code")


DEMO_TOKENIZER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "models", "demo", "tokenizer.json")

# Gemma-style: no system role, assistant -> model, the template writes the
# BOS itself.
GEMMA_STYLE = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' %}
    {{- raise_exception('System role not supported') }}
{%- endif %}
{%- for message in messages %}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
        {{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
    {%- endif %}
    {%- set role = 'model' if message['role'] == 'assistant' else message['role'] %}
    {{- '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<start_of_turn>model\\n' }}
{%- endif %}
"""


def refused(*args):
    """The exit code and stderr of a server that must not start."""
    p = subprocess.run([SERVER, "--port", "0", "--device", "cpu", "-q", *args],
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stderr


def case_chat():
    with tempfile.TemporaryDirectory() as tmp:
        tok = os.path.join(tmp, "tokenizer.json")
        with open(DEMO_TOKENIZER, "rb") as src, open(tok, "wb") as dst:
            dst.write(src.read())
        with open(os.path.join(tmp, "tokenizer_config.json"), "w") as f:
            json.dump({"bos_token": {"content": "<|endoftext|>"},
                       "eos_token": "<|endoftext|>",
                       "chat_template": [
                           {"name": "tool_use", "template": "unused"},
                           {"name": "default", "template": GEMMA_STYLE}]}, f)
        s = Server("--tokenizer", tok)
        try:
            u = s.url + "/v1/chat/completions"
            messages = [{"role": "user", "content": " Who made the heaven? "},
                        {"role": "assistant", "content": "God."},
                        {"role": "user", "content": [
                            {"type": "text", "text": "And"},
                            {"type": "text", "text": "the earth?"}]}]
            prompt = ("<|endoftext|><start_of_turn>user\nWho made the heaven?"
                      "<end_of_turn>\n<start_of_turn>model\nGod.<end_of_turn>\n"
                      "<start_of_turn>user\nAnd\nthe earth?<end_of_turn>\n"
                      "<start_of_turn>model\n")
            status, d = request(u, {"messages": messages, "max_tokens": 12,
                                    "temperature": 0})
            check(status == 200 and d["object"] == "chat.completion", d)
            # The prompt is the template's text, with one BOS.
            ids = json.loads(subprocess.run(
                [RUN, "--tokenize", "--prompt", prompt], capture_output=True,
                text=True, check=True).stdout.splitlines()[0])
            check(ids[0] == 0 and ids[1] != 0, ids)
            check(d["usage"]["prompt_tokens"] == len(ids), (d, len(ids)))
            status, c = request(s.url + "/v1/completions",
                                {"prompt": prompt, "max_tokens": 12,
                                 "temperature": 0})
            check(status == 200, c)
            check(d["choices"][0]["message"]["content"] ==
                  c["choices"][0]["text"], (d, c))
            # raise_exception: 400 with the template's message.
            for bad, text in (
                    ([{"role": "system", "content": "x"}] + messages,
                     "System role not supported"),
                    ([messages[0], messages[0]],
                     "Conversation roles must alternate")):
                status, e = request(u, {"messages": bad})
                check(status == 400 and text in e["error"]["message"], e)
                check("tokenizer_config.json: chat_template" in
                      e["error"]["message"] and e["error"]["param"] ==
                      "messages", e)
            for bad, text in (
                    ([{"content": "x"}], "messages[0].role must be a string"),
                    ([{"role": "user", "content": 3}],
                     "messages[0].content must be a string"),
                    ([{"role": "user", "content": None}],
                     "messages[0].content must be a string"),
                    ([{"role": "user", "content": [{"type": "image_url"}]}],
                     "messages[0].content[0] must be a"),
                    ([{"role": "user", "content": [{"type": 7, "text": "x"}]}],
                     "messages[0].content[0] must be a")):
                status, e = request(u, {"messages": bad})
                check(status == 400 and text in e["error"]["message"], e)
            status, h = request(s.url + "/health")
            check(status == 200, "the server survives template errors")
        finally:
            check(s.stop() == 0, "server exit code")

        # --chat-template FILE: a Jinja template; the request's tools and
        # chat_template_kwargs reach it (tools in the request's key order).
        jinja = os.path.join(tmp, "probe.jinja")
        with open(jinja, "w") as f:
            f.write("{% if tools %}{{ raise_exception('tools: ' ~ tools|tojson)"
                    " }}{% endif %}\n"
                    "{% if greeting is defined %}"
                    "{{ raise_exception('greeting: ' ~ greeting ~ ', tools: ' ~ "
                    "tools|tojson ~ ', documents: ' ~ documents|tojson) }}"
                    "{% endif %}\n"
                    "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n"
                    "{% endfor %}[assistant]")
        s = Server("--chat-template", jinja)
        try:
            u = s.url + "/v1/chat/completions"
            status, d = request(u, {"messages": [messages[0]],
                                    "max_tokens": 4})
            check(status == 200 and len(d["choices"]) == 1, d)
            status, e = request(u, {"messages": [messages[0]],
                                    "tools": [{"z": 1, "a": "é"}]})
            check(status == 400 and
                  'tools: [{"z": 1, "a": "é"}]' in e["error"]["message"], e)
            status, e = request(u, {"messages": [messages[0]],
                                    "chat_template_kwargs": {"greeting": "hi"}})
            # tools and documents are none when the request has none, as
            # transformers passes them.
            check(status == 400 and "greeting: hi, tools: null, documents: "
                  "null" in e["error"]["message"], e)
        finally:
            check(s.stop() == 0, "server exit code")

        # Templates that do not parse: the server does not start, and says
        # where and why.
        broken = os.path.join(tmp, "broken.jinja")
        with open(broken, "w") as f:
            f.write("{% for m in messages %}\n  {{ m.content|nope }}\n"
                    "{% endfor %}")
        rc, err = refused("--chat-template", broken)
        check(rc != 0 and broken + " 2:16: unknown filter 'nope'" in err, err)
        config = os.path.join(tmp, "tokenizer_config.json")
        with open(config, "w") as f:
            json.dump({"chat_template": "{% if x %}unclosed"}, f)
        rc, err = refused("--tokenizer", tok)
        check(rc != 0 and config + ": chat_template 1:4: unclosed 'if'" in err,
              err)
        rc, err = refused("--chat-template", config)
        check(rc != 0 and "unclosed 'if'" in err, err)
        with open(config, "w") as f:
            json.dump({"chat_template": [{"name": "rag", "template": "x"}]}, f)
        rc, err = refused("--chat-template", config)
        check(rc != 0 and "none named 'default'" in err, err)
        rc, err = refused("--chat-template", os.path.join(tmp, "missing"))
        check(rc != 0 and "not auto, chatml, none or a readable file" in err,
              err)

    s = Server("--chat-template", "none")
    try:
        status, e = request(s.url + "/v1/chat/completions",
                            {"messages": [{"role": "user", "content": "hi"}]})
        check(status == 400 and "chat is off" in e["error"]["message"], e)
    finally:
        check(s.stop() == 0, "server exit code")


{"api": case_api, "bad": case_bad, "concurrent": case_concurrent,
 "logprobs": case_logprobs, "shutdown": case_shutdown, "chat": case_chat,
 "disconnect": case_disconnect}[CASE]()
print("server %s: ok" % CASE)
