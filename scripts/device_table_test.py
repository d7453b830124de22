#!/usr/bin/env python3
"""Checks device_table.py's verdicts on made-up logs of a GPU run, the branch a CPU dry run never reaches.

    python3 scripts/device_table_test.py      (standard library only; well under a second)

Each case writes a logs folder as scripts/device-check.sh would (steps.tsv, the console launcher's test feed,
selfcheck.log, JMH JSON trimmed to the fields read, the PyTorch peer's JSON) and checks the table's rows and
exit code: the targets (8x15 faster than PyTorch, resid_pre sweep under 100 ms), a GPU test that skips failing a
GPU run but not a dry run, and a step that timed out.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "device_table.py")
PASSED = ("[       252 tests successful      ]\n[         0 tests failed          ]\n"
          "[         0 tests aborted         ]\n")
SKIPPED = ("JUnit Jupiter > CudaDeviceTest > tf32IsOffUnlessAskedFor() :: ABORTED\n"
           "\torg.opentest4j.TestAbortedException: Assumption failed: CUDA not available: no CUDA driver\n"
           "[         1 tests successful      ]\n[         0 tests failed          ]\n"
           "[         7 tests aborted         ]\n")


def forward(ms_8x15, ms_1x1024):
    return [{"params": {"batch": b}, "primaryMetric": {"score": ms, "scoreError": 0.1}}
            for b, ms in [("8x15", ms_8x15), ("1x1024", ms_1x1024)]]


def sweep(ms, patches=180):
    return [{"params": {"sweep": "resid_pre", "subset": "full"}, "primaryMetric": {"score": 1e3 / ms},
             "secondaryMetrics": {"patches": {"score": patches * 1e3 / ms}}}]


def table(tests=PASSED, forward_ms=(3.0, 9.0), torch_ms=(4.0, 8.0), sweep_ms=(80.0, 4000.0), forward_rc="0",
          dry=False):
    """Runs device_table.py on a made-up GPU run; returns (exit code, {check: row cells})."""
    with tempfile.TemporaryDirectory() as logs:
        def write(name, text):
            with open(os.path.join(logs, name), "w") as f:
                f.write(text if isinstance(text, str) else json.dumps(text))
        write("steps.tsv", f"tests\t0\t40\nselfcheck\t0\t5\nforward-cuda\t{forward_rc}\t30\ntorch-cuda\t0\t12\n"
                           "patching-cuda\t0\t20\npatching-cpu\t0\t40\n")
        write("tests.log", tests)
        write("forward-cuda.log", "Iteration   3:\n")
        write("selfcheck.log", "jlens selfcheck\n"
                               "  CUDA                           available: cuda (NVIDIA H200 (cuda:0))\n"
                               "  result                         passed: 7 of 7 kernels within tolerance\n")
        write("forward-cuda.json", forward(*forward_ms))
        write("torch-cuda.json", {s: {"ms": ms, "device": "NVIDIA H200"} for s, ms in zip(["8x15", "1x1024"],
                                                                                           torch_ms)})
        write("patching-cuda.json", sweep(sweep_ms[0]))
        write("patching-cpu.json", sweep(sweep_ms[1]))
        done = subprocess.run([sys.executable, TABLE, logs, "--seconds", "150"] + (["--dry-run"] if dry else []),
                              capture_output=True, text=True)
    rows = {}
    for line in done.stdout.splitlines()[3:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return done.returncode, rows


def row(rows, prefix):
    return next(cells for check, cells in rows.items() if check.startswith(prefix))


class DeviceTableTest(unittest.TestCase):
    def test_a_passing_run_meets_both_targets(self):
        code, rows = table()
        self.assertEqual(0, code)
        self.assertEqual("PASS", row(rows, "CudaMatrixTest")[2])
        self.assertEqual("PASS", row(rows, "selfcheck --backend cuda")[2])
        self.assertEqual("target met: faster than PyTorch", row(rows, "forward 8x15")[2])
        self.assertIn("1.33x its speed", row(rows, "forward 8x15")[1])  # 4.0 ms / 3.0 ms
        gpu_sweep = row(rows, "patching resid_pre, fast, 180 patches (full), cuda")
        self.assertEqual("target met: under 100 ms", gpu_sweep[2])
        self.assertEqual("50.0x the cpu's speed", gpu_sweep[1])

    def test_missed_targets_are_reported_without_failing_the_run(self):
        code, rows = table(forward_ms=(5.0, 9.0), sweep_ms=(120.0, 4000.0))
        self.assertEqual(0, code)
        self.assertEqual("target NOT met: slower than PyTorch", row(rows, "forward 8x15")[2])
        self.assertEqual("target NOT met: over 100 ms",
                         row(rows, "patching resid_pre, fast, 180 patches (full), cuda")[2])

    def test_a_skipped_gpu_test_fails_a_gpu_run_but_not_a_dry_run(self):
        code, rows = table(tests=SKIPPED)
        self.assertEqual(1, code)
        self.assertEqual("FAIL: skipped on the GPU machine: CUDA not available: no CUDA driver",
                         row(rows, "CudaMatrixTest")[2])
        self.assertEqual("1 passed, 0 failed, 7 skipped", row(rows, "CudaMatrixTest")[0])
        _, dry_rows = table(tests=SKIPPED, dry=True)
        self.assertEqual("skipped (dry run): CUDA not available: no CUDA driver", row(dry_rows, "CudaMatrixTest")[2])

    def test_a_failed_test_names_the_test_and_its_message(self):
        failed = ("JUnit Jupiter > CudaForwardTest > checkpointLogitsMatchTheCpu() :: FAILED\n"
                  "\torg.opentest4j.AssertionFailedError: logits on cuda: max |cuda - cpu| 0.5 > 0.001 x 3.2\n"
                  "[       251 tests successful      ]\n[         1 tests failed          ]\n")
        code, rows = table(tests=failed)
        self.assertEqual(1, code)
        self.assertIn("FAIL: checkpointLogitsMatchTheCpu(): org.opentest4j.AssertionFailedError: logits on cuda",
                      row(rows, "CudaMatrixTest")[2])

    def test_a_timed_out_step_fails_with_its_last_log_line(self):
        code, rows = table(forward_rc="124")
        self.assertEqual(1, code)
        self.assertEqual("FAIL (exit 124, timed out): Iteration   3:", row(rows, "forward 8x15")[2])


if __name__ == "__main__":
    unittest.main()
