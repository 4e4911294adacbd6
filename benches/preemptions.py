#!/usr/bin/env python3
"""Who preempts a caller inside a hosted call: a scheduler trace of the tail rows, summarised.

Records `sched_switch` and `sched_wakeup` on every CPU while the tail rows run (`perf` with
access to the scheduler tracepoints is needed), then, for every involuntary switch away from a
caller thread, looks up the last wake-up aimed at that CPU just before it: whether the caller had
just woken the thread that took its CPU (its own hand-over), or another thread's wake-up landed
there. Callers are grouped by run (threads alive at the same time); a run is the facade's when
its callers hand over to `sync-facade-host` threads, the alternative's when to tokio workers.

    cargo bench --bench strategies --no-run
    python3 benches/preemptions.py            # the QUICK=1 tail rows: 5,000 calls per caller

Prints, per run of 4 callers, the preemptions per call and their causes.
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

HOSTING = ("sync-facade-hos", "tokio-rt-worker")


def bench_binary():
    bins = [b for b in glob.glob("target/release/deps/strategies-*") if not b.endswith(".d")]
    if not bins:
        sys.exit("no bench binary: run `cargo bench --bench strategies --no-run` first")
    return os.path.abspath(max(bins, key=os.path.getmtime))


def record(binary, data):
    env = dict(os.environ, ONLY="caller", QUICK="1")
    cmd = ["perf", "record", "-q", "-a", "-e", "sched:sched_switch", "-e", "sched:sched_wakeup", "-o", data,
           "--", binary, "--bench"]
    bench = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if bench.returncode != 0:
        sys.exit("perf record failed (are the sched tracepoints readable here?)")
    # The bench's own table says how many calls each caller made ("× 5000 calls").
    calls = re.search(r"× (\d+) calls", bench.stdout)
    if not calls:
        sys.exit("the bench printed no tail row")
    out = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,cpu,time,event,trace"],
                         capture_output=True, text=True).stdout
    line_re = re.compile(r"\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)")
    events = []
    for line in out.splitlines():
        m = line_re.match(line)
        if m:
            comm, tid, cpu, t, name, rest = m.groups()
            fields = dict(kv.split("=", 1) for kv in re.findall(r"(\w+=\S+)", rest))
            events.append((float(t), int(cpu), comm.strip(), int(tid), name, fields))
    return events, int(calls.group(1))


def main():
    binary = bench_binary()
    process = os.path.basename(binary)[:15]
    with tempfile.TemporaryDirectory() as tmp:
        events, calls = record(binary, os.path.join(tmp, "perf.data"))
    # Caller threads: the bench's unnamed threads that switch often.
    switches, span = collections.Counter(), {}
    for t, _, _, _, name, f in events:
        if name == "sched_switch" and f["prev_comm"] == process:
            pid = int(f["prev_pid"])
            switches[pid] += 1
            span[pid] = (span.get(pid, (t, t))[0], t)
    callers = sorted((p for p, n in switches.items() if n > 200), key=lambda p: span[p][0])
    # Runs: callers alive at the same time.
    runs = []
    for pid in callers:
        if runs and span[pid][0] < max(span[p][1] for p in runs[-1]):
            runs[-1].append(pid)
        else:
            runs.append([pid])
    last_wake = {}
    causes = collections.defaultdict(collections.Counter)
    side = collections.defaultdict(collections.Counter)
    run_of = {pid: i for i, run in enumerate(runs) for pid in run}
    for t, cpu, comm, tid, name, f in events:
        if name == "sched_wakeup":
            last_wake[int(f["target_cpu"])] = (t, tid, f["comm"])
            if tid in run_of and f["comm"] in HOSTING:
                side[run_of[tid]][f["comm"]] += 1
        elif name == "sched_switch" and int(f["prev_pid"]) in run_of and f["prev_state"].startswith("R"):
            pid = int(f["prev_pid"])
            w = last_wake.get(cpu)
            if w and w[1] == pid and f["next_comm"] == w[2]:
                cause = "the thread it had just woken (its own hand-over)"
            elif w and f["next_comm"] == w[2]:
                cause = "a thread another thread woke onto its CPU: " + ("a hosting thread or worker" if w[2] in HOSTING else "another caller")
            else:
                cause = "other (time slice, kernel threads)"
            causes[run_of[pid]][cause] += 1
    for i, run in enumerate(runs):
        if len(run) < 2:
            continue
        who = "sync-facade" if side[i]["sync-facade-hos"] >= side[i]["tokio-rt-worker"] else "alternative"
        total = sum(causes[i].values())
        print(f"{who}, {len(run)} callers: {total / (calls * len(run)):.3f} preemptions of a caller per call")
        for cause, n in causes[i].most_common():
            print(f"  {n / max(total, 1):5.0%}  {cause}")


if __name__ == "__main__":
    main()
