#!/usr/bin/env python3
"""Prints the path of the OpenBLAS shared library numpy bundles (its wheel's numpy.libs/ or numpy/.libs/), the
library SgemmBenchmark.openblas binds through -Djlens.openblas. Exits 1 with a message when there is none."""
import glob
import os
import sys

import numpy as np

root = os.path.dirname(np.__file__)
found = sorted(glob.glob(os.path.join(root, "..", "numpy.libs", "*openblas*.so*"))
               + glob.glob(os.path.join(root, ".libs", "*openblas*.so*")))
if not found:
    sys.exit(f"openblas-path: numpy {np.__version__} at {root} bundles no OpenBLAS library")
print(os.path.realpath(found[0]))
