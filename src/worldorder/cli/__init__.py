"""The ``worldorder`` command: a thin layer over the library.

Each command group lives in its own module and is registered here.  Heavy
libraries are imported inside the commands that need them, so that
``worldorder --help`` and ``worldorder data status`` answer quickly.
Expected errors print one message and exit with status 1.
"""

from __future__ import annotations

import sys

import typer

from worldorder.cli.claims import claims_app
from worldorder.cli.common import errors
from worldorder.cli.data import data_app, frame_app
from worldorder.cli.diffusion import diffusion_app
from worldorder.cli.forecast import forecast_app
from worldorder.cli.networks import networks_app
from worldorder.cli.observed import check_command
from worldorder.cli.power import power_app
from worldorder.cli.sim import scenario_app, sim_app
from worldorder.cli.web import web_app

app = typer.Typer(
    help="Measure and simulate the international system from real data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from worldorder import VERSION

        typer.echo(f"worldorder {VERSION}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Measure and simulate the international system from real data."""


app.add_typer(data_app, name="data")
app.add_typer(frame_app, name="frame")
app.add_typer(power_app)  # powers, polarity, eras, transitions, regions
app.add_typer(networks_app)  # network, blocs, dependence, similarity, openness
app.add_typer(sim_app)  # project
app.add_typer(forecast_app)  # backtest, convergence
scenario_app.command("check")(check_command)
app.add_typer(scenario_app, name="scenario")  # scenario validate/run/check
app.add_typer(diffusion_app, name="diffusion")  # diffusion fit/backtest/simulate
app.add_typer(web_app)  # serve: the local web app
app.add_typer(claims_app)  # claims check, report


def main() -> None:
    """Run the command line."""
    try:
        result = app(standalone_mode=False)  # returns the exit code of typer.Exit
        if isinstance(result, int) and result:
            sys.exit(result)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        errors.print("Aborted.")
        sys.exit(130)
    except MemoryError:  # a run larger than this machine: nothing was written, ask for less
        errors.print("[red]Error:[/] not enough memory for this run; ask for less (fewer paths, origins, years or states).")
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - known errors become one line; the rest re-raise
        if isinstance(error, typer.TyperException) and hasattr(error, "show"):  # usage errors
            error.show()
            sys.exit(error.exit_code)
        from worldorder import WorldOrderError

        if isinstance(error, WorldOrderError):  # the user's to fix: one line, not a traceback
            errors.print(f"[red]Error:[/] {error}")
            sys.exit(1)
        raise
