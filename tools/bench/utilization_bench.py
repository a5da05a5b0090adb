#!/usr/bin/python3
"""Scheduler utilization bench: how close whoisq comes to the best the limits allow.

Starts whoisq-sim with >= 20 simulated registries (concurrency-, rate- and
quota-bound, and mixed; limits and service times from a seeded RNG; a share of
them RDAP servers over plain HTTP, the others WHOIS), a broker and 2 workers
on 127.0.0.1, sends a whole workload pipelined through the broker, and
compares the completion time with the theoretical best computed from the
limits. Prints a table per server and

    best = X s / measured = Y s / utilization = best / measured = Z / breaches = B

for all servers, and the same over the issue's named kinds (--kinds).

Figures only, no assertion (exit 0 unless the bench itself could not run).
Method, formula and results: docs/bench-utilization.md.

    /usr/bin/python3 tools/bench/utilization_bench.py --build build-util --seed 1
"""
import argparse
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

PROTOCOL = b"WQC1"
KINDS = ("concurrency", "rate", "quota", "mixed")
NAMED_KINDS = "concurrency,rate,quota"  # the kinds the scheduler issue names (--kinds)
# The simulated bootstrap: newer than the built-in dns.json, so the broker takes it.
BOOTSTRAP_HOST = "data.iana.bench"
BOOTSTRAP_PUBLICATION = "2026-11-20T00:00:00Z"
BOOTSTRAP_LIMITS = ["concurrency = 64", "per_second = 1000.0", "burst = 100", "daily = 1000000"]
PREWARM_PER_SERVER = 1  # one registry query per TLD in the untimed IANA pre-warm round
QUOTA_DEADLINE_S = 600  # quota-bound requests' deadline: rejected at once, not at it
IANA = "whois.iana.org"

REGISTRY_ANSWER = """Domain Name: {{QUERY}}
Registry Domain ID: D%(nn)s0001-BENCH
Registrar URL: https://registrar-%(nn)s.test
Updated Date: 2024-05-01T10:00:00Z
Creation Date: 2001-03-14T09:30:00Z
Registry Expiry Date: 2027-03-14T09:30:00Z
Registrar: Bench Registrar %(nn)s Ltd.
Registrar IANA ID: 9%(nn)s
Domain Status: clientTransferProhibited
Name Server: NS1.BENCH-%(nn)s.TEST
Name Server: NS2.BENCH-%(nn)s.TEST
DNSSEC: unsigned
>>> Last update of WHOIS database: 2024-05-01T10:00:00Z <<<
"""

IANA_ANSWER = """%% IANA WHOIS server
%% This query returned 1 object

refer:        whois.bench-%(nn)s.test

domain:       T%(nn)s

whois:        whois.bench-%(nn)s.test

status:       ACTIVE
created:      2001-01-01
changed:      2024-01-01
source:       IANA
"""


# A small RDAP domain object (RFC 9083) for every *.tNN of an RDAP registry: the
# registrar as an entity without a `related` link, so every lookup is one hop.
RDAP_ANSWER = """{
  "objectClassName": "domain",
  "handle": "D%(nn)s0001-BENCH",
  "ldhName": "{{query}}",
  "status": ["client transfer prohibited"],
  "entities": [
    {
      "objectClassName": "entity",
      "handle": "9%(nn)s",
      "roles": ["registrar"],
      "publicIds": [{"type": "IANA Registrar ID", "identifier": "9%(nn)s"}],
      "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                              ["fn", {}, "text", "Bench Registrar %(nn)s Ltd."]]]
    }
  ],
  "events": [
    {"eventAction": "registration", "eventDate": "2001-03-14T09:30:00Z"},
    {"eventAction": "last changed", "eventDate": "2024-05-01T10:00:00Z"},
    {"eventAction": "expiration", "eventDate": "2027-03-14T09:30:00Z"}
  ],
  "nameservers": [
    {"objectClassName": "nameserver", "ldhName": "ns1.bench-%(nn)s.test"},
    {"objectClassName": "nameserver", "ldhName": "ns2.bench-%(nn)s.test"}
  ],
  "rdapConformance": ["rdap_level_0"]
}
"""


def bootstrap_dns_json(servers):
    """IANA's dns.json (RFC 9224) naming the RDAP registries' servers."""
    return json.dumps({
        "version": "1.0",
        "publication": BOOTSTRAP_PUBLICATION,
        "description": "utilization bench: RDAP bootstrap for the simulated TLDs",
        "services": [[[s.tld], ["http://%s/" % s.host]] for s in servers if s.rdap],
    }, indent=1)


class Server:
    """One simulated registry: its limits (the same in whoisq-sim and whoisq) and workload."""

    def __init__(self, index, kind):
        self.index = index
        self.nn = "%02d" % index
        self.short = "bench-" + self.nn
        self.protocol = "whois"
        self.host = "whois.%s.test" % self.short
        self.tld = "t" + self.nn
        self.kind = kind
        self.concurrency = 0
        self.per_second = 0.0
        self.burst = 1
        self.daily = 1000000
        self.delay_min_ms = 0
        self.delay_max_ms = 0
        self.n = 0

    @property
    def rdap(self):
        return self.protocol == "rdap"

    def set_protocol(self, protocol):
        self.protocol = protocol
        self.host = "%s.%s.test" % (protocol, self.short)

    @property
    def mean_service_s(self):
        return (self.delay_min_ms + self.delay_max_ms) / 2000.0

    @property
    def service_sd_s(self):  # uniform [a, b]: (b - a) / sqrt(12)
        return (self.delay_max_ms - self.delay_min_ms) / 1000.0 / math.sqrt(12)

    def best_s(self, served):
        """Theoretical best for `served` queries: the binding limit of rate or concurrency."""
        rate_s = max(0.0, (served - self.burst) / self.per_second)
        conc_s = served * self.mean_service_s / self.concurrency
        return max(rate_s, conc_s), ("rate" if rate_s >= conc_s else "conc")

    def ideal_s(self, served, trials, rng):
        """Mean finishing time of an ideal dispatcher (zero latency, grants at the first
        instant GCRA and concurrency allow, service times drawn as the sim draws them),
        and its standard deviation over `trials` draws. Not below best_s, and above it
        where rate and concurrency bind together: a slot that frees late loses rate
        credit beyond the burst, which no scheduler can get back."""
        if served <= 0:
            return 0.0, 0.0
        interval = 1.0 / self.per_second
        tolerance = (self.burst - 1) * interval
        results = []
        for _ in range(trials):
            slots = [0.0] * self.concurrency  # when each slot frees
            tat, finish = 0.0, 0.0
            for _ in range(served):
                i = min(range(len(slots)), key=slots.__getitem__)
                t = max(slots[i], tat - tolerance)
                tat = max(tat, t) + interval
                done = t + rng.randint(self.delay_min_ms, self.delay_max_ms) / 1000.0
                slots[i] = done
                finish = max(finish, done)
            results.append(finish)
        mean = sum(results) / trials
        sd = math.sqrt(sum((r - mean) ** 2 for r in results) / max(1, trials - 1))
        return mean, sd

    def best_sd_s(self, served):
        """One standard deviation of the concurrency term (random service times)."""
        return math.sqrt(served) * self.service_sd_s / self.concurrency


def draw_servers(rng, count, duration_s):
    """Draws limits and workload sizes; the slowest servers' best is near duration_s."""
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    servers = []
    for i, kind in enumerate(kinds, start=1):
        s = Server(i, kind)
        target = rng.uniform(0.45, 1.0) * duration_s
        shape = kind if kind != "quota" else rng.choice(("concurrency", "rate"))
        if shape == "concurrency":
            s.concurrency = rng.randint(1, 4)
            s.delay_min_ms = rng.randint(100, 250)
            s.delay_max_ms = s.delay_min_ms + rng.randint(50, 150)
            s.per_second, s.burst = 100.0, 10  # far above concurrency / service time
            served = round(target * s.concurrency / s.mean_service_s)
        elif shape == "rate":
            s.per_second = rng.randint(4, 40) / 2.0  # 2 .. 20 per second
            s.burst = rng.randint(1, 5)
            s.concurrency = 16
            s.delay_min_ms = rng.randint(2, 10)
            s.delay_max_ms = s.delay_min_ms + rng.randint(5, 15)
            served = round(target * s.per_second) + s.burst
        else:  # mixed: rate and concurrency about equally binding
            s.concurrency = rng.randint(1, 3)
            s.delay_min_ms = rng.randint(50, 150)
            s.delay_max_ms = s.delay_min_ms + rng.randint(50, 100)
            capacity = s.concurrency / s.mean_service_s
            s.per_second = round(capacity * rng.uniform(0.8, 1.2) * 2) / 2.0
            s.burst = rng.randint(1, 5)
            served = min(round(target * s.per_second) + s.burst,
                         round(target * capacity))
        served = max(served, 10)
        if kind == "quota":
            s.daily = served + PREWARM_PER_SERVER
            s.n = round(served * rng.uniform(1.3, 1.8))
        else:
            s.n = served
        servers.append(s)
    return servers


def draw_protocols(seed, servers, share):
    """Makes round(share x n) servers of each kind RDAP servers, with an RNG of its
    own so that a seed keeps the limits and workloads it had before the mix."""
    rng = random.Random("protocols-%d" % seed)
    for kind in KINDS:
        of_kind = [s for s in servers if s.kind == kind]
        rng.shuffle(of_kind)
        for s in of_kind[:int(round(share * len(of_kind)))]:
            s.set_protocol("rdap")


def toml_str(text):
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def sim_config(servers, tmp):
    lines = ["[sim]", 'bind = "127.0.0.1"', "control = 0",
             "resolve_file = %s" % toml_str(os.path.join(tmp, "resolve.toml")),
             "ports_file = %s" % toml_str(os.path.join(tmp, "ports.json")), "",
             "[[server]]", 'name = "whois.iana.org"', "concurrency = 0", "per_second = 0.0",
             "burst = 1", "daily = 0", 'throttle_text = "Query rate limit exceeded"']
    # IANA knows the WHOIS TLDs only: an RDAP TLD that fell back to WHOIS would
    # end without a registry and show as "not ok".
    for s in servers:
        if s.rdap:
            continue
        for match in (s.tld, "*." + s.tld):
            lines += ["  [[server.answer]]", "  match = %s" % toml_str(match),
                      "  text = %s" % toml_str(IANA_ANSWER % {"nn": s.nn})]
    # The bootstrap server: dns.json only (the other three files are 404), with
    # the generous limits whoisq is given for it too.
    lines += ["", "[[server]]", "name = %s" % toml_str(BOOTSTRAP_HOST), 'protocol = "rdap"',
              "tls = false"] + BOOTSTRAP_LIMITS + [
              "  [[server.answer]]", "  whole = true", '  match = "/rdap/dns.json"',
              "  text = %s" % toml_str(bootstrap_dns_json(servers)),
              '  content_type = "application/json"']
    for s in servers:
        lines += ["", "[[server]]", "name = %s" % toml_str(s.host),
                  "concurrency = %d" % s.concurrency, "per_second = %s" % s.per_second,
                  "burst = %d" % s.burst, "daily = %d" % s.daily,
                  "delay_min_ms = %d" % s.delay_min_ms, "delay_max_ms = %d" % s.delay_max_ms]
        if s.rdap:
            # Plain HTTP: TLS costs the same for every dispatcher and is not what
            # this bench measures.
            lines += ['protocol = "rdap"', "tls = false",
                      "  [[server.answer]]", "  match = %s" % toml_str("*." + s.tld),
                      "  text = %s" % toml_str(RDAP_ANSWER % {"nn": s.nn})]
        else:
            lines += ['throttle_text = "Query rate limit exceeded"',
                      "  [[server.answer]]", "  match = %s" % toml_str("*." + s.tld),
                      "  text = %s" % toml_str(REGISTRY_ANSWER % {"nn": s.nn})]
    return "\n".join(lines) + "\n"


def whoisq_config(servers, tmp, resolve_toml, timeout_s, slots):
    lines = ["[broker]", 'frontend = "tcp://127.0.0.1:*"', 'publish = "tcp://127.0.0.1:*"',
             'workers = "tcp://127.0.0.1:*"', "", "[store]",
             "path = %s" % toml_str(os.path.join(tmp, "store")), "",
             "[network]", "timeout_s = %d" % timeout_s, "strict_resolve = true", "",
             "[worker]", "slots = %d" % slots, "", "[log]", 'level = "warn"', "",
             "[protocol]", 'prefer = "rdap"', "[rdap]",
             "bootstrap = %s" % toml_str("http://%s/rdap/" % BOOTSTRAP_HOST), "",
             '[limits."whois.iana.org"]', "concurrency = 64", "per_second = 1000.0",
             "burst = 100", "daily = 1000000", "",
             "[limits.%s]" % toml_str(BOOTSTRAP_HOST)] + BOOTSTRAP_LIMITS
    for s in servers:
        lines += ["", "[limits.%s]" % toml_str(s.host), "concurrency = %d" % s.concurrency,
                  "per_second = %s" % s.per_second, "burst = %d" % s.burst,
                  "daily = %d" % s.daily]
    return "\n".join(lines) + "\n\n" + resolve_toml


def wait_line(path, proc, what, timeout_s=20.0):
    """Returns the first line a process wrote to `path` (its stdout)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with status %s (see %s)" % (what, proc.returncode, path))
        with open(path) as f:
            line = f.readline()
        if line.endswith("\n"):
            return line
        time.sleep(0.05)
    raise RuntimeError("%s printed nothing in %.0f s" % (what, timeout_s))


def sim_stats(control_port):
    with socket.create_connection(("127.0.0.1", control_port), timeout=10) as c:
        c.sendall(b"stats\n")
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)["servers"]


def print_breaches(sim_log, t0_wall):
    """Prints the sim's breach log lines (logged at info level) with their time after
    the first send."""
    import datetime
    with open(sim_log) as f:
        for line in f:
            if " breach on query " in line:
                t = datetime.datetime.strptime(line[1:24], "%Y-%m-%d %H:%M:%S.%f").timestamp()
                print("  breach at %.3f s: %s" % (t - t0_wall, line.split("] ", 3)[-1].strip()))


def sim_arrivals(sim_log, servers, t0_wall):
    """Reads whoisq-sim's --verbose log (one line per query, ms timestamps). Returns per
    host: `margin`, the smallest t - (TAT - tau) in ms over served queries (the rate rule
    without slack_ms: < 0 means the sim's slack absorbed arrival jitter, < -slack_ms is
    a breach); `start`, the first timed query's arrival after the first send, s; and
    `drift`, for rate-bound hosts, the ms lost per grant against GCRA's schedule over
    the timed run: ((t_last - t_first) - (n - burst) T) / (n - burst)."""
    import datetime
    limits = {s.host: s for s in servers}
    tat, out, times = {}, {}, {}
    with open(sim_log) as f:
        for line in f:
            if "-> served" not in line or "] [debug] " not in line:
                continue
            rest = line.split("] [debug] ", 1)[1]
            host = rest.split(":", 1)[0]
            s = limits.get(host)
            if s is None:
                continue
            t = datetime.datetime.strptime(line[1:24], "%Y-%m-%d %H:%M:%S.%f").timestamp() * 1000
            interval = 1000.0 / s.per_second
            tau = (s.burst - 1) * interval
            o = out.setdefault(host, {"margin": float("inf"), "start": None, "drift": None})
            if host in tat:
                o["margin"] = min(o["margin"], t - (tat[host] - tau))
            tat[host] = max(tat.get(host, t), t) + interval
            if "warm." not in rest:  # a timed query, not the pre-warm one
                times.setdefault(host, []).append(t)
    for host, ts in times.items():
        s, o = limits[host], out[host]
        o["start"] = ts[0] / 1000.0 - t0_wall
        k = len(ts) - s.burst
        if s.per_second < 100 and k > 0 and s.kind in ("rate", "quota") and s.concurrency == 16:
            o["drift"] = ((ts[-1] - ts[0]) - k * 1000.0 / s.per_second) / k
    return out


class Client:
    """A DEALER socket on the broker's frontend: pipelined lookups, replies by id."""

    def __init__(self, endpoint):
        self.ctx = zmq.Context.instance()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.SNDHWM, 0)
        self.sock.setsockopt(zmq.RCVHWM, 0)
        self.sock.connect(endpoint)
        self.poller = zmq.Poller()
        self.poller.register(self.sock, zmq.POLLIN)

    def send(self, command, body=None):
        self.sock.send_multipart([b"", PROTOCOL, command, msgpack.packb(body) if body else b""])

    def lookup(self, rid, query, deadline_ms=0):
        self.send(b"LOOKUP", {"v": 1, "id": rid, "query": query, "deadline_ms": deadline_ms,
                              "fresh": True, "priority": 0})

    def recv(self, timeout_s):
        """Returns (command, body) or None after timeout_s."""
        if not self.poller.poll(max(0, int(timeout_s * 1000))):
            return None
        frames = self.sock.recv_multipart()
        if frames and frames[0] == b"":
            frames = frames[1:]
        if len(frames) < 2 or frames[0] != PROTOCOL:
            raise RuntimeError("unexpected frames %r" % frames[:2])
        body = msgpack.unpackb(frames[2], raw=False) if len(frames) > 2 and frames[2] else {}
        if frames[1] == b"ERROR":
            raise RuntimeError("broker refused a request: %s" % body)
        return frames[1], body

    def stats(self, timeout_s=5.0):
        self.send(b"STATS")
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            r = self.recv(end - time.monotonic())
            if r and r[0] == b"STATS":
                return r[1]
        raise RuntimeError("no STATS reply from the broker")

    def run(self, queries, timeout_s):
        """Sends [(id, query, deadline_ms)] at once; returns (t0, t_sent, {id: (t, reply)})."""
        replies = {}
        self.t0_wall = time.time()
        t0 = time.monotonic()
        for rid, query, deadline_ms in queries:
            self.lookup(rid, query, deadline_ms)
        sent = time.monotonic()
        end = t0 + timeout_s
        while len(replies) < len(queries):
            r = self.recv(end - time.monotonic())
            if r is None:
                raise RuntimeError("%d of %d replies in %.0f s" % (len(replies), len(queries), timeout_s))
            if r[0] == b"RESULT":
                replies[r[1]["id"]] = (time.monotonic(), r[1])
        return t0, sent, replies


class Stack:
    """whoisq-sim + broker + workers as child processes; stop() kills every one."""

    def __init__(self, build, tmp):
        self.build, self.tmp, self.procs = build, tmp, []

    def start(self, name, argv):
        out = open(os.path.join(self.tmp, name + ".out"), "w")
        err = open(os.path.join(self.tmp, name + ".log"), "w")
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p, out.name

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def run(args):
    rng = random.Random(args.seed)
    servers = draw_servers(rng, args.servers, args.duration * args.scale)
    draw_protocols(args.seed, servers, args.rdap_share)
    max_service_ms = max(s.delay_max_ms for s in servers)
    timeout_s = max(5, math.ceil(max_service_ms / 1000.0) + 2)
    tmp = tempfile.mkdtemp(prefix="whoisq-util-")
    stack = Stack(args.build, tmp)
    try:
        with open(os.path.join(tmp, "sim.toml"), "w") as f:
            f.write(sim_config(servers, tmp))
        sim, sim_out = stack.start("sim", [os.path.join(args.build, "tools/whois_sim/whoisq-sim"),
                                           "--config", os.path.join(tmp, "sim.toml")]
                                 + (["--verbose"] if args.sim_verbose else []))
        control = json.loads(wait_line(sim_out, sim, "whoisq-sim"))["control"]
        with open(os.path.join(tmp, "resolve.toml")) as f:
            resolve_toml = f.read()
        conf = os.path.join(tmp, "whoisq.toml")
        with open(conf, "w") as f:
            f.write(whoisq_config(servers, tmp, resolve_toml, timeout_s, args.slots))
        broker, broker_out = stack.start("broker", [os.path.join(args.build, "broker/whoisq-broker"),
                                                    "--config", conf])
        bound = json.loads(wait_line(broker_out, broker, "whoisq-broker"))
        for w in range(args.workers):
            stack.start("worker%d" % w, [os.path.join(args.build, "worker/whoisq-worker"),
                                         "--config", conf, "--broker", bound["workers"]])
        client = Client(bound["frontend"])
        end = time.monotonic() + 20
        while client.stats().get("workers", 0) < args.workers:
            if time.monotonic() > end:
                raise RuntimeError("workers did not register with the broker")
            time.sleep(0.1)
        # The broker refreshes its RDAP bootstrap at start, through the scheduler
        # and a worker: wait until it holds our dns.json, which names the RDAP
        # registries (the built-in one knows no tNN).
        end = time.monotonic() + 30
        while client.stats().get("bootstrap", {}).get("dns.json") != BOOTSTRAP_PUBLICATION:
            if time.monotonic() > end:
                raise RuntimeError("the broker did not load the bench's dns.json (STATS bootstrap: %s)"
                                   % client.stats().get("bootstrap"))
            time.sleep(0.1)

        # Untimed pre-warm: one lookup per TLD, so the broker learns each WHOIS
        # TLD's registry from IANA and the timed workload is one hop per lookup.
        # RDAP TLDs need no IANA hop (the bootstrap names their server); their
        # pre-warm lookup spends one token of each bucket and daily quota, as
        # for WHOIS, so every server starts the timed run alike.
        iana_before = sim_stats(control)[IANA]
        warm = [("w%d" % s.index, "warm.%s" % s.tld, 0) for s in servers]
        _, _, warm_replies = client.run(warm, 60)
        by_tld = {s.tld: s for s in servers}
        bad = []
        for _, r in warm_replies.values():
            s = by_tld[r["normalized"].rsplit(".", 1)[-1]]
            got = r.get("record", {}).get("protocol", "")
            if r["outcome"] != "ok" or got != s.protocol:
                bad.append("%s: %s %s via %s (expected %s)" % (r["query"], r["outcome"], r["error"],
                                                               got or "?", s.protocol))
        if bad:
            raise RuntimeError("pre-warm failed: %s" % "; ".join(bad[:5]))
        iana_warm = sim_stats(control)[IANA]
        warm_check = prewarm_check(servers, iana_before, iana_warm)
        # Let every bucket refill: the pre-warm spent one token of each server,
        # and the broker starts every bucket empty (AssumeRestart) at its start.
        settle = max(s.burst / s.per_second for s in servers) + 0.2
        time.sleep(settle)
        before = sim_stats(control)
        broker_before = client.stats()

        now_ms = int(time.time() * 1000)
        midnight_ms = (now_ms // 86400000 + 1) * 86400000
        quota_deadline = min(now_ms + QUOTA_DEADLINE_S * 1000, midnight_ms)
        if midnight_ms - now_ms < 2 * args.duration * args.scale * 1000:
            print("warning: close to 00:00 UTC; the daily quotas reset during the run",
                  file=sys.stderr)
        queries, owner = [], {}
        for s in servers:
            for k in range(s.n):
                rid = "%d.%d" % (s.index, k)
                owner[rid] = s
                queries.append((rid, "q%05d-s%d.%s" % (k, args.seed, s.tld),
                                quota_deadline if s.kind == "quota" else 0))
        rng.shuffle(queries)  # arrival order mixed across servers, as from a crawler
        t0, sent, replies = client.run(queries, args.timeout)
        after = sim_stats(control)
        broker_stats = client.stats()
        breaches = report(args, servers, queries, owner, t0, sent, replies, before, after,
                          broker_before, broker_stats, warm_check)
        if breaches or args.sim_verbose:
            stack.stop()  # flushes the sim's log
        if breaches:
            print_breaches(os.path.join(tmp, "sim.log"), client.t0_wall)
        if args.sim_verbose:
            arrivals = sim_arrivals(os.path.join(tmp, "sim.log"), servers, client.t0_wall)
            print("at the sim (from its log): host: first timed arrival s / smallest rate margin "
                  "ms (< 0: slack used, < -25: breach) / ms lost per grant (rate-bound)")
            for s in servers:
                o = arrivals.get(s.host)
                if o:
                    print("  %s: %.3f / %s / %s" % (
                        s.short, o["start"] or 0, "%.0f" % o["margin"]
                        if o["margin"] != float("inf") and s.per_second < 100 else "-",
                        "%.2f" % o["drift"] if o["drift"] is not None else "-"))
        return 0
    finally:
        stack.stop()
        if args.keep:
            print("kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def prewarm_check(servers, iana_before, iana_after):
    """Checks that the pre-warm asked IANA once per WHOIS TLD and never about an
    RDAP TLD (the bootstrap names those servers). Returns a summary string."""
    asked = {}
    for name, count in iana_after.get("queries_by_name", {}).items():
        asked[name] = count - iana_before.get("queries_by_name", {}).get(name, 0)
    whois = [s for s in servers if not s.rdap]
    rdap = [s for s in servers if s.rdap]
    once = sum(1 for s in whois if asked.get(s.tld, 0) == 1)
    rdap_asked = sum(asked.get(s.tld, 0) for s in rdap)
    return "pre-warm IANA queries %d: %d of %d WHOIS TLDs once, %d about the %d RDAP TLDs" % (
        iana_after["queries"] - iana_before["queries"], once, len(whois), rdap_asked, len(rdap))


def figures(servers, rows):
    """(best, best host, ideal, ideal host, measured, slowest host) over `servers`."""
    best = max(servers, key=lambda s: rows[s.index]["best"])
    ideal = max(servers, key=lambda s: rows[s.index]["ideal"])
    slowest = max(servers, key=lambda s: rows[s.index]["finish"])
    return (rows[best.index]["best"], best.short, rows[ideal.index]["ideal"], ideal.short,
            rows[slowest.index]["finish"], slowest.short)


def report(args, servers, queries, owner, t0, sent, replies, before, after, broker_before,
           broker_after, warm_check):
    per = {s.index: {"last": 0.0, "first": None, "errors": {}, "reject_last": 0.0}
           for s in servers}
    multi_hop = wrong_protocol = 0
    for rid, (t, r) in replies.items():
        record = r.get("record", {})
        multi_hop += len(record.get("regyinfo", {}).get("servers", [])) > 1
        s = owner[rid]
        if r["outcome"] == "ok" and record.get("protocol") != s.protocol:
            wrong_protocol += 1
        p = per[s.index]
        dt = t - t0
        p["last"] = max(p["last"], dt)
        p["first"] = dt if p["first"] is None else min(p["first"], dt)
        if r["outcome"] != "ok":
            p["errors"][r["error"]] = p["errors"].get(r["error"], 0) + 1
            if r["error"] == "quota_exhausted":
                p["reject_last"] = max(p["reject_last"], dt)
    granted_before = {x["server"]: x["granted"] for x in broker_before.get("servers", [])}
    broker_servers = {x["server"]: x for x in broker_after.get("servers", [])}
    rng = random.Random(args.seed)
    total_breaches = 0
    rows = {}
    turn_ms = []
    token_mismatch = []
    print("seed %d, %d servers (%d RDAP over HTTP, %d WHOIS), %d lookups (scale %.2f), "
          "%d workers x %d slots" %
          (args.seed, len(servers), sum(s.rdap for s in servers),
           sum(not s.rdap for s in servers), len(queries), args.scale, args.workers, args.slots))
    print("%-8s %-5s %-11s %4s %6s %3s %5s %7s %5s %5s %5s %4s %7s %-12s %-13s %7s %5s %5s %s" %
          ("server", "proto", "kind", "conc", "rate/s", "bst", "daily", "svc ms", "n", "srvd",
           "grant", "brch", "best s", " by (±1sd)", "ideal s (±sd)", "finish", "b/f", "i/f",
           "not ok"))
    for s in servers:
        a, b = after[s.host], before[s.host]
        served = a["served"] - b["served"]
        breaches = sum(a[k] for k in ("breaches_concurrency", "breaches_rate", "breaches_daily"))
        total_breaches += breaches
        bs = broker_servers.get(s.host, {})
        granted = bs.get("granted", 0) - granted_before.get(s.host, 0)
        if granted != served or bs.get("tokens_out", 0) != 0:
            token_mismatch.append("%s granted %d served %d out %d" % (
                s.short, granted, served, bs.get("tokens_out", 0)))
        best, by = s.best_s(served)
        sd = s.best_sd_s(served) if by == "conc" else 0.0
        ideal, ideal_sd = s.ideal_s(served, args.trials, rng)
        p = per[s.index]
        rows[s.index] = {"best": best, "ideal": ideal, "finish": p["last"]}
        if by == "conc" and served:
            # Time lost per slot turnover against the ideal (random: ±sd / turns).
            turn_ms.append(1000.0 * (p["last"] - ideal) * s.concurrency / served)
        errors = ",".join("%s:%d" % kv for kv in sorted(p["errors"].items()))
        if p["reject_last"]:
            errors += " (by %.2f s)" % p["reject_last"]
        print("%-8s %-5s %-11s %4d %6.1f %3d %5s %7s %5d %5d %5d %4d %7.2f %-12s %-13s %7.2f %5.3f %5.3f %s" %
              (s.short, s.protocol, s.kind, s.concurrency, s.per_second, s.burst,
               s.daily if s.daily < 1000000 else "-", "%d-%d" % (s.delay_min_ms, s.delay_max_ms),
               s.n, served, granted, breaches, best,
               " %s%s" % (by, " ±%.2f" % sd if sd else ""),
               "%.2f ±%.2f" % (ideal, ideal_sd), p["last"], best / p["last"], ideal / p["last"],
               errors or "-"))
    iana = after[IANA]
    total_breaches += sum(iana[k] for k in ("breaches_concurrency", "breaches_rate", "breaches_daily"))
    boot = after.get(BOOTSTRAP_HOST, {})
    total_breaches += sum(boot.get(k, 0) for k in ("breaches_concurrency", "breaches_rate",
                                                   "breaches_daily"))
    throttles = sum(x.get("throttles", 0) for x in broker_after.get("servers", []))
    first = min(p["first"] for p in per.values())
    print("all %d sent by %.3f s; first reply at %.3f s; %s; IANA queries in the timed run %d; "
          "lookups of more than one hop %d; answered by the other protocol %d; broker throttles %d" %
          (len(queries), sent - t0, first, warm_check, iana["queries"] - before[IANA]["queries"],
           multi_hop, wrong_protocol, throttles))
    rdap_granted = sum(broker_servers.get(s.host, {}).get("granted", 0)
                       - granted_before.get(s.host, 0) for s in servers if s.rdap)
    print("broker STATS: tokens granted in the timed run = served at the sim on %s "
          "(RDAP servers: %d tokens); %s" %
          ("every server" if not token_mismatch else "%d of %d servers" % (
              len(servers) - len(token_mismatch), len(servers)),
           rdap_granted, "; ".join(token_mismatch) if token_mismatch else "no token out after"))

    if turn_ms:
        turn_ms.sort()
        print("concurrency-bound servers (%d): (finish - ideal) per slot turnover, median %.2f ms "
              "(%.2f .. %.2f)" % (len(turn_ms), turn_ms[len(turn_ms) // 2], turn_ms[0], turn_ms[-1]))
    best_all, best_host, ideal_all, ideal_host, measured, slowest = figures(servers, rows)
    print("ideal dispatcher = %.2f s (%s): utilization vs ideal = %.3f" %
          (ideal_all, ideal_host, ideal_all / measured))
    print("best = %.2f s (%s)" % (best_all, best_host))
    print("measured = %.2f s (%s)" % (measured, slowest))
    print("utilization = best / measured = %.3f" % (best_all / measured))
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    subset = [s for s in servers if s.kind in kinds]
    if subset:
        kb, kbh, ki, kih, km, kmh = figures(subset, rows)
        print("over the kinds %s (%d servers): best = %.2f s (%s), ideal = %.2f s (%s), "
              "measured = %.2f s (%s): utilization = %.3f, vs ideal = %.3f" %
              (",".join(kinds), len(subset), kb, kbh, ki, kih, km, kmh, kb / km, ki / km))
    print("breaches = %d" % total_breaches)
    print("load average %.2f %.2f %.2f" % os.getloadavg())
    return total_breaches


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="RNG seed for limits and workload (1)")
    parser.add_argument("--servers", type=int, default=24, help="simulated registries, >= 20 (24)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="workload size multiplier; 1 = slowest servers' best ~30 s (1.0)")
    parser.add_argument("--duration", type=float, default=30.0,
                        help="best time of the slowest servers at scale 1, seconds (30)")
    parser.add_argument("--build", default="build", help="build folder with the binaries (build)")
    parser.add_argument("--workers", type=int, default=2, help="whoisq-worker processes (2)")
    parser.add_argument("--slots", type=int, default=64, help="slots per worker (64)")
    parser.add_argument("--timeout", type=float, default=0,
                        help="seconds to wait for the workload (default 3 x duration x scale + 30)")
    parser.add_argument("--trials", type=int, default=100,
                        help="service-time draws for the ideal-dispatcher figure (100)")
    parser.add_argument("--rdap-share", type=float, default=0.5,
                        help="share of each kind's servers that are RDAP servers (0.5)")
    parser.add_argument("--kinds", default=NAMED_KINDS,
                        help="kinds of the second, separate figure (%s)" % NAMED_KINDS)
    parser.add_argument("--sim-verbose", action="store_true",
                        help="whoisq-sim logs every query with its time (sim.log; with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (configs, logs)")
    args = parser.parse_args()
    if args.servers < 20:
        parser.error("--servers must be >= 20")
    if args.scale <= 0 or args.duration <= 0:
        parser.error("--scale and --duration must be > 0")
    if not 0 <= args.rdap_share <= 1:
        parser.error("--rdap-share must be in [0, 1]")
    unknown = set(k.strip() for k in args.kinds.split(",") if k.strip()) - set(KINDS)
    if unknown:
        parser.error("--kinds: unknown kind %s (of %s)" % (", ".join(sorted(unknown)), ",".join(KINDS)))
    if not args.timeout:
        args.timeout = 3 * args.duration * args.scale + 30
    args.build = os.path.abspath(args.build)

    def on_alarm(signum, frame):
        raise TimeoutError("global timeout")

    # The global bound: whatever hangs, the finally in run() stops every process.
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.alarm(int(args.timeout + 120))
    try:
        return run(args)
    except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as e:
        print("utilization_bench: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
