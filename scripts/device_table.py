#!/usr/bin/env python3
"""Prints the summary table of scripts/device-check.sh from its logs folder; exits 1 when a check failed.

    python3 scripts/device_table.py LOGS [--dry-run] [--seconds S]

Reads LOGS/steps.tsv (step, exit code or "skipped", seconds[, reason]), the JUnit console's test feed (tests.log),
LOGS/selfcheck.log, the JMH JSON of ForwardBenchmark (forward-BACKEND.json, ms per forward) and
PatchingBenchmark (patching-BACKEND.json, sweeps/s and the "patches" counter in patches/s), the PyTorch peer's
torch-DEVICE.json ({"8x15": {"ms": median}}) and LOGS/machine.txt. Targets (issue 21, GPU run only): GPT-2 small
at 8x15 faster than PyTorch eager; the resid_pre fast sweep (180 patches) under 100 ms. In a GPU run a skipped
GPU test fails the check (a skip there means CUDA did not run); in a dry run it is expected and shown with its
reason.
"""
import argparse
import json
import os
import re
import sys

SWEEP_TARGET_MS = 100


def steps(logs):
    out = {}
    for line in open(os.path.join(logs, "steps.tsv")):
        name, rc, seconds, *reason = line.rstrip("\n").split("\t")
        out[name] = {"rc": rc, "s": int(seconds), "reason": reason[0] if reason else ""}
    return out


def last_line(logs, name):
    """The last non-empty line of a step's log: what a failed step said last."""
    path = os.path.join(logs, name + ".log")
    lines = [l.strip() for l in open(path, errors="replace")] if os.path.exists(path) else []
    lines = [l for l in lines if l]
    return lines[-1][:160] if lines else "no log"


def junit(logs):
    """(passed, failed, skipped, first skip reason, first failure) from the console launcher's test feed."""
    path = os.path.join(logs, "tests.log")
    lines = open(path, errors="replace").read().splitlines() if os.path.exists(path) else []
    counts = {}
    for line in lines:
        m = re.match(r"\[\s*(\d+) tests (successful|failed|aborted|skipped)\s*]", line)
        if m:
            counts[m.group(2)] = int(m.group(1))

    def first_after(outcome):  # the exception line under the first test with this outcome
        for i, line in enumerate(lines[:-1]):
            if line.endswith(":: " + outcome):
                return line.split(" > ")[-1].split(" :: ")[0] + ": " + lines[i + 1].strip()[:240]
        return ""

    reason = first_after("ABORTED").split("Assumption failed: ")[-1]
    return (counts.get("successful", 0), counts.get("failed", 0), counts.get("aborted", 0) + counts.get("skipped", 0),
            reason, first_after("FAILED"))


def selfcheck_rows(logs):
    rows = {}
    path = os.path.join(logs, "selfcheck.log")
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("  ") and len(line) > 33:
                rows[line[2:32].strip()] = line[32:].strip()
    return rows


def jmh(logs, name):
    """{param: result} of a JMH JSON file, keyed by its batch (forward) or sweep (patching) parameter."""
    path = os.path.join(logs, name + ".json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return {}
    return {r["params"].get("batch", r["params"].get("sweep")): r for r in json.load(open(path))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logs")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--seconds", type=int)
    args = ap.parse_args()
    logs, dry = args.logs, args.dry_run
    st = steps(logs)
    backend = "cpu" if dry else "cuda"
    rows = []
    failed = False

    def row(check, jlens, beside, verdict, step):
        nonlocal failed
        failed |= verdict.startswith("FAIL")
        rows.append((check, jlens, beside, verdict, str(st[step]["s"]) if step in st else ""))

    def ran(step):
        """None when the step ran and exited 0, else the verdict that says why not."""
        s = st.get(step)
        if s is None:
            return "FAIL: did not run"
        if s["rc"] == "skipped":
            return "skipped: " + s["reason"]
        if s["rc"] != "0":
            return f"FAIL (exit {s['rc']}{', timed out' if s['rc'] == '124' else ''}): {last_line(logs, step)}"
        return None

    if "checkpoint" in st:
        row("GPT-2-small random checkpoint (numpy)", "made", "", ran("checkpoint") or "ok", "checkpoint")

    passed, nfail, skipped, reason, failure = junit(logs)
    tests = "CudaMatrixTest, CudaDeviceTest, CudaForwardTest"
    counts = f"{passed} passed, {nfail} failed, {skipped} skipped"
    if nfail or (st.get("tests", {}).get("rc") not in ("0", None) and not failure):
        row(tests, counts, "", "FAIL: " + (failure or last_line(logs, "tests")), "tests")
    elif passed + skipped == 0:
        row(tests, counts, "", "FAIL: no test ran", "tests")
    elif skipped:
        row(tests, counts, "", ("skipped (dry run): " if dry else "FAIL: skipped on the GPU machine: ") + reason,
            "tests")
    else:
        row(tests, counts, "", "PASS", "tests")

    sc = selfcheck_rows(logs)
    row(f"selfcheck --backend {backend}", sc.get("result", "no result row"),
        "CUDA " + sc.get("CUDA", "?")[:160], ran("selfcheck") or "PASS", "selfcheck")

    forward = jmh(logs, f"forward-{backend}")
    peer_step = "torch-cpu" if dry else "torch-cuda"
    peer_path = os.path.join(logs, peer_step + ".json")
    peer = json.load(open(peer_path)) if ran(peer_step) is None and os.path.exists(peer_path) else {}
    for shape in ["8x15", "1x1024"]:
        check = f"forward {shape} GPT-2 small, {backend}, no hooks"
        verdict = ran(f"forward-{backend}")
        r = forward.get(shape)
        if r is None:
            row(check, "", "", verdict or "FAIL: no JMH result", f"forward-{backend}")
            continue
        ms, err = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
        if shape in peer:
            torch_ms = peer[shape]["ms"]
            beside = f"PyTorch eager {torch_ms:.2f} ms ({peer[shape]['device']}); {torch_ms / ms:.2f}x its speed"
            if shape == "8x15" and not dry:
                verdict = verdict or ("target met: faster than PyTorch" if ms < torch_ms
                                      else "target NOT met: slower than PyTorch")
        else:
            beside = "PyTorch " + (ran(peer_step) or "gave no result")
        spread = f" ± {err:.2f}" if isinstance(err, float) else ""  # JMH writes "NaN" after one iteration
        row(check, f"{ms:.2f}{spread} ms", beside, verdict or "measured", f"forward-{backend}")

    sweeps = {on: jmh(logs, f"patching-{on}").get("resid_pre") for on in ["cuda", "cpu"]}
    for on in ["cuda", "cpu"]:
        verdict = ran(f"patching-{on}")
        r = sweeps[on]
        if r is None:
            row(f"patching resid_pre, fast, {on}", "", "", verdict or "FAIL: no JMH result", f"patching-{on}")
            continue
        ms = 1e3 / r["primaryMetric"]["score"]
        patches = r["secondaryMetrics"]["patches"]["score"]
        check = f"patching resid_pre, fast, {patches * ms / 1e3:.0f} patches ({r['params']['subset']}), {on}"
        beside = ""
        if on == "cuda" and sweeps["cpu"] is not None:
            beside = f"{1e3 / sweeps['cpu']['primaryMetric']['score'] / ms:.1f}x the cpu's speed"
        if on == "cuda":
            verdict = verdict or (f"target met: under {SWEEP_TARGET_MS} ms" if ms < SWEEP_TARGET_MS
                                  else f"target NOT met: over {SWEEP_TARGET_MS} ms")
        row(check, f"{ms:.1f} ms/sweep ({patches:.1f} patches/s)", beside, verdict or "measured", f"patching-{on}")

    machine = open(os.path.join(logs, "machine.txt")).read().split("\n") if os.path.exists(
        os.path.join(logs, "machine.txt")) else []
    title = "device check (dry run on the CPU)" if dry else "device check"
    print(f"{title}: {', '.join(l for l in machine if l)}; {args.seconds} s in all")
    print("| check | jlens | beside | verdict | s |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(c.replace("|", "/") for c in r) + " |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
