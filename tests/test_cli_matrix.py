"""Bad invocations of every command: each exits non-zero with one message that names the problem, and no traceback.

The command runs in this process (``main()`` under click's runner), so the
matrix stays fast; cases that need data read the session's store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clirun import run_cli

ROOT = Path(__file__).resolve().parents[1]
NORD = str(ROOT / "examples" / "scenarios" / "nord_stream_cut.toml")
LEDGER = str(ROOT / "examples" / "claims.yaml")
WEIGHTS = (ROOT / "examples" / "weights" / "hard_power.toml").read_text()


def _files(folder: Path) -> dict[str, str]:
    """Bad input files: control characters, deep nesting, not UTF-8, a folder, a file where a folder should be."""
    nord = Path(NORD).read_text()
    texts = {
        "ctrl.yaml": "name: a\x15\nbase_year: 2014\n",
        "c1.yaml": "ledger: 1\nclaims: x\u0096\n",
        "nul.toml": 'name = "a"\x00\n',
        "deep.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "deep.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n",
        "dotted.toml": "a" + ".a" * 3000 + " = 1\n",
        "deep_ledger.yaml": "ledger: 1\nclaims:\n" + "".join("  " * i + "- \n" for i in range(1, 300)),
        "passwd.toml": nord.replace('border_point = "Nord Stream"', 'border_point = "../../etc/passwd"'),
        "weights_ctrl.yaml": "weights:\n  gdp: 1\x0c\n",
        "weights_bad.toml": "[weights]\ngdp = \"lots\"\n",
        "regions_ctrl.yaml": "regions:\n  Quad: [USA, JPN\x01]\n",
        "ledger.toml": "ledger = 1\n",
        "afile": "a file, not a folder",
        "scenario.txt": nord,
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.toml").write_bytes('name = "Côte"\n'.encode("latin-1"))
    (folder / "folder.toml").mkdir()
    (folder / "folder.yaml").mkdir()
    (folder / "folder.csv").mkdir()
    (folder / "damaged.duckdb").write_bytes(b"\x00" * 5000)
    paths = {name.replace(".", "_"): str(folder / name) for name in [*texts, "latin1.toml", "folder.toml", "folder.yaml", "folder.csv", "damaged.duckdb"]}
    paths["under_file"] = str(folder / "afile" / "x")
    paths["missing"] = str(folder / "missing")
    return paths


# (arguments with {placeholders}, words the message must hold)
CASES = [
    # data and frames
    ("data cite cow_nmc7", "Did you mean"),
    ("data fetch no_such_set", "no_such_set"),
    ("data verify no_such_set", "no_such_set"),
    ("data ingest no_such_set --db {missing}/s.duckdb", "no_such_set"),
    ("data ingest cow_majors_2016 --db {under_file}.duckdb", "afile"),
    ("data ingest cow_majors_2016 --db {folder_toml}", "folder"),
    ("data status --db {damaged_duckdb}", "damaged"),
    ("frame state-years --years 2014-1946", "after the last"),
    ("frame state-years --years abc", "years"),
    ("frame state-years --years 2000 --add nope", "unknown table 'nope'"),
    ("frame state-years --years 2000 --out x.txt", "--out"),
    ("frame state-years --years 2000 --out {under_file}.csv", "is a file"),
    ("frame dyad-years --years 2000 --out {folder_csv}", "is a folder"),
    ("frame state-years --years 2000 --db {under_file}.duckdb", "afile"),
    ("frame state-years --years 2100", "covers 1816-"),
    ("frame dyad-years --years 1800-1810", "covers 1816-"),
    ("frame state-years --years 2000 --format xml --out x.csv", "--format"),
    # power
    ("powers --measure nope", "nope"),
    ("powers --measure composite", "--weights"),
    ("powers --measure composite --weights {weights_ctrl_yaml}", "control character"),
    ("powers --measure composite --weights {deep_toml}", "nested deeper"),
    ("powers --measure composite --weights {dotted_toml}", "nested deeper"),
    ("powers --measure composite --weights {latin1_toml}", "not UTF-8"),
    ("powers --measure composite --weights {folder_toml}", "folder"),
    ("powers --measure composite --weights {missing}.toml", "no such"),
    ("powers --measure composite --weights {weights_bad_toml}", "not a number"),
    ("powers --year abc", "--year"),
    ("powers --chart x.jpg", "--chart"),
    ("powers --out x.xlsx", "--out"),
    ("powers --among region:un:Afrika", "Africa"),
    ("polarity --among major", "majors"),
    ("polarity --rule nonsense", "nonsense"),
    ("polarity --noise -1 --intervals 5", "--noise"),
    ("polarity --intervals -3", "--intervals"),
    ("polarity --years 2014-1946", "after the last"),
    ("eras --model vibes", "vibes"),
    ("eras --chart {under_file}.png", "is a file"),
    ("transitions --leader Atlantis", "Atlantis"),
    ("regions --scheme {regions_ctrl_yaml}", "control character"),
    ("regions --scheme {deep_yaml}", "nested deeper"),
    ("regions --scheme nope", "nope"),
    # networks
    ("network --layer nope --year 2000", "nope"),
    ("blocs --year 2000 --resolution -1", "--resolution"),
    ("blocs --year 2000 --runs 0", "--runs"),
    ("blocs --year 2000 --chart x.jpg", "--chart"),
    ("blocs --year 2000 --out {under_file}.csv", "is a file"),
    ("blocs --layer nope --year 2000", "nope"),
    ("blocs --year 2000 --seed -1", "--seed"),
    ("blocs --year 2000 --runs 99999999999999999999", "runs"),
    ("blocs --year 2000 --resolution inf", "finite"),
    ("blocs --year 2000 --types ,", "at least one"),
    ("blocs --year 2000 --layer trade --types defense", "--types"),
    ("blocs --year 2000 --view nope", "--view"),
    ("network --year 2000 --top 0", "--top"),
    ("network --year 2000 --layer trade --weighting nope", "--weighting"),
    ("network --year 2000 --layer alliance --flow directed", "--flow"),
    ("network --year 2000 --layer alliance --types ,", "at least one"),
    ("dependence --layer nope --country USA", "--layer"),
    ("similarity --country Atlantis --year 2000", "Atlantis"),
    ("openness --years 2014-1870", "after the last"),
    ("openness --chart x.doc", "--chart"),
    # projection and scenarios
    ("project --horizon 3000", "--horizon"),
    ("project --paths 0", "--paths"),
    ("project --drift trend", "--drift"),
    ("diffusion fit --format xml", "--format"),
    ("scenario check " + NORD + " --observed --format xml", "--format"),
    ("project --measure gdp_wb --base-year 1900 --paths 100", "gdp_wb has no values in 1879-1900"),
    ("project --base-year 1800 --paths 100", "COW state system, which covers"),
    ("project --calibration-years 2010-2010 --paths 100", "widen the calibration years"),
    ("project --paths -5", "--paths"),
    ("project --workers 0", "--workers"),
    ("project --scheduler tcp://127.0.0.1:1 --workers 2", "not both"),
    ("project --table-format xlsx", "--table-format"),
    ("project --out-dir {afile}", "is a file"),
    ("project --measure nope --paths 10", "nope"),
    ("project --paths 99999999999999999999", "paths"),
    ("project --paths 200 --seed -1", "--seed"),
    ("project --paths 200 --scheduler=", "scheduler address is empty"),
    ("project --paths 200 --workers 100000", "workers"),
    ("project --measure nope --paths 200000000", "paths 200000000"),  # checked before any data is loaded
    ("project --measure nope --paths 200 --workers 100000", "workers 100000"),
    ("backtest --paths 200 --origins 1800-1900", "too early"),
    ("backtest --paths 200 --drift trend", "--drift"),
    ("backtest --paths 99999999999999999999", "paths"),
    ("backtest --paths 200 --seed 99999999999999999999", "--seed"),
    ("backtest --paths 200 --workers 0", "workers"),
    ("backtest --paths 200 --workers -3", "workers"),
    ("backtest --paths 200 --scheduler=", "scheduler address is empty"),
    ("backtest --paths 200 --measure ,", "at least one measure"),
    ("backtest --paths 200 --format xml --out x.csv", "--format"),
    ("convergence --years 2023-2025", "covers 1816-"),
    ("convergence --format xml --out x.csv", "--format"),
    ("scenario run " + NORD + " --paths -5", "--paths"),
    ("scenario run " + NORD + " --chart-format jpg", "--chart-format"),
    ("scenario run {missing}.toml", "no such scenario file"),
    ("scenario validate {ctrl_yaml}", "control character U+0015"),
    ("scenario validate {nul_toml}", "not valid TOML"),
    ("scenario validate {latin1_toml}", "not UTF-8"),
    ("scenario validate {folder_toml}", "a folder"),
    ("scenario validate {deep_yaml}", "nested deeper"),
    ("scenario validate {deep_toml}", "nested deeper"),
    ("scenario validate {dotted_toml}", "nested deeper"),
    ("scenario validate {passwd_toml}", "shocks[0].border_point: no gas border point"),
    ("scenario validate {missing}.toml", "no such scenario file"),
    ("scenario validate {scenario_txt}", ".toml, .yaml or .yml"),
    # claims and the report
    ("claims check {missing}.yaml", "no such ledger"),
    ("claims check {c1_yaml}", "control character U+0096"),
    ("claims check {deep_ledger_yaml}", "nested deeper"),
    ("claims check {folder_yaml}", "a folder"),
    ("claims check {ledger_toml}", "YAML"),
    ("claims check " + LEDGER + " --claim nope", "nope"),
    ("claims check " + LEDGER + " --out x.txt", "--out"),
    ("claims check " + LEDGER + " --out-dir {afile}", "is a file"),
    ("report --out x.pdf", "--out"),
    # the web app
    ("serve --host 999.1.1.1", "--host"),
    ("serve --port 0", "--port"),
    ("serve --port 70000", "--port"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return _files(tmp_path_factory.mktemp("bad-input"))


def test_the_matrix_is_large():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("template", "expected"), CASES, ids=[case[0][:60] for case in CASES])
def test_bad_invocation_gives_one_clear_message(template, expected, files, mirror, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    args = [part.format(**files) for part in template.split()]
    code, out, err = run_cli(*args)
    message = " ".join(err.split())
    assert code not in (0, -1), f"exit {code}\n{out[-2000:]}\n{err[-4000:]}"
    assert "Traceback" not in err and "Traceback" not in out
    assert message.count("Error") == 1, err
    assert expected in message, err


def test_a_server_that_is_not_dask_at_scheduler_is_one_error(mirror, tmp_path, monkeypatch):
    """Something that answers with other bytes (here: an HTTP error) is named as not a Dask scheduler."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def answer():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)

    threading.Thread(target=answer, daemon=True).start()
    monkeypatch.chdir(tmp_path)
    try:
        code, _, err = run_cli("project", "--paths", "100", "--scheduler", f"tcp://127.0.0.1:{server.getsockname()[1]}")
    finally:
        server.close()
    assert code == 1 and "Traceback" not in err
    assert "not a Dask scheduler" in " ".join(err.split())
