#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: results.txt from the guest -> results.json, results.md, plot data."""
import json
import statistics
import sys

src, out, rel = sys.argv[1], sys.argv[2], sys.argv[3]
CONFIGS = ["baseline", "kprobe_empty", "attach_ftrace", "attach_ftrace_marker",
           "attach_ftrace_marker_ftrace_guarded", "attach_fprobe", "attach_kretprobe",
           "attach_kretprobe_marker", "attach_kretprobe_marker_kprobe",
           "attach_kretprobe_marker_exit",
           "ftrace_kprobe_event", "bpftrace", "cowtrace", "cowtrace_text", "cowtrace_cat",
           "cowtrace_cat_raw", "cowtrace_cat_0.2.0", "cowtrace_filtered_out", "cowtrace_tree_out",
           "cowtrace_no_reader", "cowtrace_no_event", "cowtrace_event_on"]
WHAT = {
    "baseline": "no probe (a module that hooks nothing, loaded and unloaded as the others are)",
    "kprobe_empty": "an empty kprobe on do_wp_page (the floor)",
    "attach_ftrace": "bare ftrace_ops, entry filter only (no exit hook possible)",
    "attach_ftrace_marker": "the same and a bare ftrace_ops on folio_add_new_anon_rmap "
                            "(the floor of two hooks)",
    "attach_ftrace_marker_ftrace_guarded": "the same, the marker with ftrace's recursion guard",
    "attach_fprobe": "fprobe with an exit handler, entry filter declines it",
    "attach_kretprobe": "kretprobe, entry filter declines the exit (cowtrace's entry)",
    "attach_kretprobe_marker": "the same and cowtrace's copy marker (bare ftrace_ops on "
                               "folio_add_new_anon_rmap): cowtrace's attach",
    "attach_kretprobe_marker_kprobe": "the same with the marker as a kprobe (cowtrace 0.2.0)",
    "attach_kretprobe_marker_exit": "cowtrace's attach, the entry filter matching: every fault "
                                    "takes the exit hook, handlers empty (the floor of recording)",
    "ftrace_kprobe_event": "kprobe event with a comm filter + cat trace_pipe",
    "bpftrace": "the bpftrace one-liner, output to /dev/null",
    "cowtrace": "cowtrace following (binary file), text to /dev/null",
    "cowtrace_text": "cowtrace following /proc/cowtrace (text file), text to /dev/null",
    "cowtrace_cat": "recording, then cat /proc/cowtrace (hand-written text)",
    "cowtrace_cat_raw": "recording, then cat /proc/cowtrace_raw (binary)",
    "cowtrace_cat_0.2.0": "recording, then cat /proc/cowtrace of 0.2.0 (scnprintf)",
    "cowtrace_filtered_out": "loaded, filter matches nothing",
    "cowtrace_tree_out": "loaded with pid=P tree=1, the faulting process outside P's tree",
    "cowtrace_no_reader": "recording, nobody reading",
    "cowtrace_no_event": "recording, built without the trace event's call",
    "cowtrace_event_on": "recording, trace event cowtrace:cow enabled",
}
runs = {c: [] for c in CONFIGS}
ceiling, latency, forks = [], [], {}
for line in open(src):
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    if line.startswith("BENCH "):
        runs[f["config"]].append({k: float(f[k]) for k in ("ns", "writer", "writer_mean",
                                                            "consumer")})
    elif line.startswith("CEILING "):
        ceiling.append({k: (int(v) if v.isdigit() else v) for k, v in f.items()})
    elif line.startswith("LATENCY "):
        latency.append(float(f["ms"]))
    elif line.startswith("FORK "):
        forks.setdefault(f["config"], []).append(float(f["ns"]))

res = []
for c in CONFIGS:
    v = runs[c]
    if not v:
        print(f"no runs of {c}", file=sys.stderr)
        continue
    ns = [r["ns"] for r in v]
    res.append({"config": c, "what": WHAT[c], "runs": len(v),
                "ns_per_fault_median": round(statistics.median(ns), 1),
                "ns_per_fault_min": min(ns), "ns_per_fault_max": max(ns),
                "writer_ns_median": round(statistics.median(r["writer"] for r in v), 1),
                "writer_mean_ns_median": round(statistics.median(r["writer_mean"] for r in v), 1),
                "consumer_ns_median": round(statistics.median(r["consumer"] for r in v), 1)})
med = {r["config"]: r["ns_per_fault_median"] for r in res}
base = med.get("baseline", 0)
added = {c: med[c] - base for c in med}
# The spread of the added cost across rounds: each round against the
# baseline's median.
spread = {}
for r in res:
    c = r["config"]
    if c == "baseline":
        continue
    lo, hi = r["ns_per_fault_min"] - base, r["ns_per_fault_max"] - base
    spread[c] = hi / lo if lo > 0 else float("inf")
# The spread of the whole figure (writer + consumer per fault) across rounds.
spread_total = {r["config"]: r["ns_per_fault_max"] / r["ns_per_fault_min"] for r in res}
cons = {r["config"]: r["consumer_ns_median"] for r in res}

for c in ceiling:
    c["records_per_second"] = round(c["records"] / c["seconds"])
zero = [c for c in ceiling if c.get("lost") == 0]
ceil = max(zero, key=lambda c: c["records_per_second"]) if zero else None
first_loss = min((c for c in ceiling if isinstance(c.get("lost"), int) and c["lost"] > 0),
                 key=lambda c: c["records_per_second"], default=None)
memory = {"bytes_per_record": 64, "entries_default": 4096,
          "bytes_per_cpu_default": 4096 * 64 + 64}


def ratio(a, b):
    return added[a] / added[b] if a in added and b in added and added[b] else None


goals = {}
ke = "kprobe_empty"
# The floor: an empty kprobe's added cost. When the round-to-round state
# of the kernel hides it (added <= 0), ratios to it mean nothing ("n/a");
# a goal of k times it is then k times 0, which any cost above 0 misses.
floor = added[ke] if added.get(ke, 0) > 0 else None


def vs_floor(c, k):
    return added[c] <= k * (floor or 0)


if all(k in added for k in ("cowtrace", ke, "bpftrace")):
    goals["cowtrace (reader following) <= 5 x kprobe_empty"] = vs_floor("cowtrace", 5)
    goals["cowtrace (reader following) <= 1/8 x bpftrace"] = added["cowtrace"] * 8 <= added["bpftrace"]
if "cowtrace_no_reader" in added and ke in added:
    goals["cowtrace_no_reader (entry + exit hook + record) <= 3 x kprobe_empty"] = \
        vs_floor("cowtrace_no_reader", 3)
if "cowtrace_filtered_out" in added and ke in added:
    goals["cowtrace_filtered_out <= 1.1 x kprobe_empty"] = vs_floor("cowtrace_filtered_out", 1.1)
    goals["stretch: cowtrace_filtered_out < kprobe_empty"] = \
        added["cowtrace_filtered_out"] < added[ke]
for c in spread:
    if c.startswith("cowtrace"):
        goals[f"{c} repeats: max added <= 1.1 x min added"] = spread[c] <= 1.1
if "cowtrace_tree_out" in added and "cowtrace_filtered_out" in added:
    goals["cowtrace_tree_out <= 1.2 x cowtrace_filtered_out"] = \
        added["cowtrace_tree_out"] <= 1.2 * max(added["cowtrace_filtered_out"], 0)
fork_ns = {c: statistics.median(v) for c, v in forks.items()}
if ceiling:
    four = [c for c in ceiling if c["writers"] == 4 and c["entries"] == 4096]
    goals["0 lost: 4 writers, 2 CPUs, entries=4096, reader following"] = \
        bool(four) and four[0]["lost"] == 0
if "cowtrace_cat" in cons and "cowtrace_cat_0.2.0" in cons:
    goals["cat /proc/cowtrace >= 2 x cheaper per record than 0.2.0's scnprintf"] = \
        cons["cowtrace_cat_0.2.0"] >= 2 * cons["cowtrace_cat"]
if latency:
    goals["latency fault -> printed line < 100 ms"] = max(latency) < 100
if "cowtrace_no_event" in added and "cowtrace_no_reader" in added:
    # The disabled trace event is one static branch: within 2 % of a
    # build without it.
    goals["event disabled: cowtrace_no_reader within 2 % of cowtrace_no_event"] = \
        abs(added["cowtrace_no_reader"] - added["cowtrace_no_event"]) <= \
        0.02 * added["cowtrace_no_event"]
doc = res + [
    {"ceiling": ceiling, "max_records_per_second_with_0_lost": ceil and ceil["records_per_second"],
     "ceiling_at": ceil, "loss_begins_at": first_loss},
    {"latency_ms": latency},
    {"fork_ns_median": fork_ns},
    {"memory": memory},
    {"kernel": rel, "note": "emulated CPU (QEMU TCG, -icount): compare ratios within one boot only",
     "added_ns_over_baseline": {c: round(v, 1) for c, v in added.items()},
     "goals": goals},
]
json.dump(doc, open(f"{out}/results.json", "w"), indent=1)
with open(f"{out}/results.dat", "w") as f:
    for c in CONFIGS[1:]:
        if c in added:
            f.write(f"{c} {added[c]:.1f}\n")
md = [f"Kernel {rel}, QEMU TCG with -icount (emulated CPU: compare ratios, not "
      f"nanoseconds), one CPU online, {res[0]['runs']} interleaved rounds after one to warm "
      "up. A round's figure per fault: the writer's median fault, each fault timed alone "
      "with the TSC (which counts emulated instructions under -icount; median of 5 forks "
      "of 2048 CoW write faults), plus its consumer's CPU time for those records per "
      "fault (schedstat). For comparison, the writer's CPU time per fault (schedstat, "
      "the mean over a fork's faults, which moves with the kernel's state by a few "
      "hundred ns between configurations).", "",
      "| config | what | ns/fault median | writer | writer mean | consumer "
      "| added over baseline | added / kprobe_empty | max/min added | max/min ns/fault |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
for r in res:
    c = r["config"]
    md.append(f"| {c} | {r['what']} | {r['ns_per_fault_median']:.0f} | {r['writer_ns_median']:.0f} | "
              f"{r['writer_mean_ns_median']:.0f} | {r['consumer_ns_median']:.0f} | {added[c]:+.0f} | "
              f"{'' if c == 'baseline' else 'n/a' if floor is None else f'{added[c] / floor:.2f}'} | "
              f"{'' if c == 'baseline' else f'{spread[c]:.2f}'} | {spread_total[c]:.3f} |")
md += ["", "| goal | met |", "| --- | --- |"]
md += [f"| {g} | {'yes' if ok else 'no'} |" for g, ok in goals.items()]
md += ["", "Ceiling, two CPUs online, reader following (`cowtrace -s`):", "",
       "| writers | entries | records/s taken | lost |", "| --- | --- | --- | --- |"]
md += [f"| {c['writers']} | {c['entries']} | {c['records_per_second']} | {c['lost']} |" for c in ceiling]
if fork_ns:
    base = fork_ns.get("fork_baseline")
    md += ["", "Forks: one fork, the child's exit and the wait (median of 200 a round, "
           "median of the rounds, ns):", "", "| config | ns | added over fork_baseline |",
           "| --- | --- | --- |"]
    md += [f"| {c} | {v:.0f} | {'' if base is None or c == 'fork_baseline' else f'{v - base:+.0f}'} |"
           for c, v in sorted(fork_ns.items())]
if latency:
    md += ["", "Latency from a fault to its line out of the reader (ms, emulated clock): " +
           ", ".join(f"{x:.1f}" for x in latency)]
md += ["", f"Memory: {memory['bytes_per_record']} bytes per record, "
       f"{memory['bytes_per_cpu_default']} bytes per CPU at entries=4096."]
open(f"{out}/results.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
