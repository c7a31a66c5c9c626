"""Run the fuzz tests long: 10,000 examples per property (CI runs 60).

    python benchmarks/fuzz.py [pytest arguments]

Prints how long each property took; exits with pytest's status, so a found
crash (shrunk to its smallest input by Hypothesis) fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    env = {**os.environ, "HYPOTHESIS_PROFILE": "long"}
    command = [sys.executable, "-m", "pytest", str(REPO / "tests" / "test_fuzz.py"),
               "--durations=0", "-q", *argv]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
