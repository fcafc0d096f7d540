"""Run the ``worldorder`` command in this process, as ``main()`` runs it for users (exit code, stdout, stderr)."""

from __future__ import annotations

import sys
import traceback


def run_cli(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    """``worldorder ARGS`` in-process: (exit code, standard output, standard error).

    An exception that escapes ``main()`` (what a user would see as a
    traceback) comes back as exit code -1 with the traceback in stderr.
    """
    from click.testing import CliRunner

    from worldorder.cli import main

    runner = CliRunner()
    with runner.isolation(env=env) as (out, err, _):
        argv, sys.argv = sys.argv, ["worldorder", *map(str, args)]
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except Exception:  # noqa: BLE001 - the escaped exception is what the test reports
            sys.stderr.write(traceback.format_exc())
            code = -1
        finally:
            sys.argv = argv
        return code, out.getvalue().decode(errors="replace"), err.getvalue().decode(errors="replace")
