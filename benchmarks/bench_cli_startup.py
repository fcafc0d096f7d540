"""Start-up time of the command line: ``worldorder --help`` and ``worldorder data status``.

Both must answer in under 1 s, so heavy imports stay lazy.  The baseline in
the same run is a bare ``python -c pass`` and ``python -c "import pandas"``,
to show how much of the time is the interpreter and what an eager pandas
import would cost.

Run: ``python benchmarks/bench_cli_startup.py``
"""

from __future__ import annotations

import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (interpreter)": [sys.executable, "-c", "pass"],
    "python -c 'import pandas' (what an eager import costs)": [sys.executable, "-c", "import pandas"],
    "worldorder --help": [sys.executable, "-c", "from worldorder.cli import main; main()", "--help"],
    "worldorder data status": [sys.executable, "-c", "from worldorder.cli import main; main()", "data", "status"],
}


def best_of(command: list[str], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    results = {label: best_of(command) for label, command in COMMANDS.items()}
    for label, seconds in results.items():
        print(f"{label:60s} {seconds:.3f} s")
    interpreter = results["python -c pass (interpreter)"]
    for label in ("worldorder --help", "worldorder data status"):
        print(f"{label}: {results[label]:.3f} s (target < 1 s), {results[label] / interpreter:.1f}x a bare interpreter")


if __name__ == "__main__":
    main()
