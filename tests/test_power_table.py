"""PowerTable: one power table built once, widened for a new measure, with each measure's column and record."""

from __future__ import annotations

import threading

import pandas as pd

import worldorder.power.catalog as catalog
from worldorder import MEASURES, ClaimsData, PowerTable


def _fake_builder(calls):
    def create_power_years(keys, db=None):
        calls.append(list(keys))
        table = pd.DataFrame({"ccode": [2, 365], "year": [2000, 2000], **{MEASURES[k].column: [0.6, 0.4] for k in keys}})
        table.attrs["measures"] = {MEASURES[k].column: {"key": k, "label": k.upper(), "unit": "share", "sources": ("src",)}
                                   for k in keys if k != "gdp"}  # gdp left without a record
        return table
    return create_power_years


def test_built_once_widened_only_for_a_new_measure(monkeypatch):
    calls: list = []
    monkeypatch.setattr(catalog, "create_power_years", _fake_builder(calls))
    power = PowerTable()
    assert power.table(["cinc"]) is power.table(["cinc"]) and calls == [["cinc"]]
    wider = power.table(["milex"])
    assert calls == [["cinc"], ["cinc", "milex"]] and {MEASURES["cinc"].column, MEASURES["milex"].column} <= set(wider.columns)
    assert power.table() is wider and power.keys() == ["cinc", "milex"]
    assert power.column("milex") == MEASURES["milex"].column
    assert power.info("cinc") == {"key": "cinc", "label": "CINC", "unit": "share", "sources": ["src"]}
    assert power.info("gdp") == {"column": MEASURES["gdp"].column, "notes": "", "key": "gdp", "label": "gdp", "unit": "", "sources": []}
    assert len(calls) == 3  # gdp joined the table in one build


def test_shared_by_threads_and_by_the_claims_data(monkeypatch):
    calls: list = []
    monkeypatch.setattr(catalog, "create_power_years", _fake_builder(calls))
    power = PowerTable()
    threads = [threading.Thread(target=power.table, args=(["cinc"],)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [["cinc"]]
    data = ClaimsData(power=power)
    assert data.power(["cinc"]) is power.table() and data.measure_info("cinc") == power.info("cinc")
    given = PowerTable(table=power.table())
    assert given.table(["cinc"]) is power.table() and calls == [["cinc"]]
