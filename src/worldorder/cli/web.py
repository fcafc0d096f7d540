"""``worldorder serve``: the local web app on uvicorn.

The command first makes sure the store holds every data set the pages read
(ingesting the missing ones, as a writer), closes it, and only then opens it
read-only for the app: DuckDB grants a read-only connection only while no
process writes to the file.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, errors

web_app = typer.Typer(help="The local web app.", no_args_is_help=True)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Refuse, before anything is loaded, a host that is not an address of this machine or a port in use."""
    import errno

    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise typer.BadParameter(f"{host!r} is not an address or a known host name; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).", param_hint="--host") from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(error, socket.gaierror):
                raise typer.BadParameter(f"cannot listen on {host} ({error.strerror}): it is not an address of this machine.", param_hint="--host") from None
            raise typer.BadParameter(f"cannot listen on {host}:{port} ({error.strerror}); choose another --port.", param_hint="--port") from None


@web_app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default: the app has no login)."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    db: Optional[Path] = DbOption,
    ingest: bool = typer.Option(True, "--ingest/--no-ingest", help="Ingest the data sets the pages need before serving (default)."),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level: critical, error, warning, info, debug."),
) -> None:
    """Start the web app on localhost and print its address.

    Example: worldorder serve --port 8000
    """
    import uvicorn

    from worldorder import create_app, prepare_store

    _check_port(host, port)
    if not _loopback(host):
        errors.print(f"[yellow]Note:[/] listening on {host}: anyone who can reach this machine can use the app (it has no login).")
    from worldorder import StoreError, default_db_path

    path = (db or default_db_path()).expanduser().resolve()
    if ingest:
        try:
            prepare_store(path)
        except StoreError:
            # another process holds the file (another server reading it, or a writer): serve it as it is
            # when it already has every data set; otherwise the error says what to do
            if not path.exists():
                raise
            errors.print(f"[yellow]Note:[/] {path} is in use by another process; serving it read-only as it is.")
    app = create_app(path)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"worldorder web app: http://{shown}:{port}/  (store {path}, read-only; Ctrl+C stops it)")
    uvicorn.run(app, host=host, port=port, log_level=log_level)
