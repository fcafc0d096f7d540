"""The gas claims of the example ledger (Nord Stream in 2022, Russia's pipeline exports to Europe),
checked against independent computations from the raw files; the ledger's month and gas_trade keys."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.claims import ClaimsError, parse_ledger

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "claims.yaml"
GAS_CLAIMS = ("nord-stream-stopped-2022", "nord-stream-share-may-2022", "russia-pipeline-exports-europe-fell")


@pytest.fixture(scope="module")
def results(store):
    from worldorder.claims import check_ledger

    return {r.claim.id: r for r in check_ledger(EXAMPLE, db=store, claims=GAS_CLAIMS)}


@pytest.fixture(scope="module")
def nord_share(mirror) -> pd.Series:
    """Nord Stream's share of the pipeline gas entering Germany by month, from the raw sheet (Eynatten (Sum) counted once)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(mirror / "energy" / "Export_GTF_IEA_202209.xls", header=None, engine="xlrd")
    body = sheet.iloc[1:][(sheet.iloc[1:, 3] == "Germany") & ~sheet.iloc[1:, 1].isin(["Liquefied Natural Gas"])]
    body = body[body[0] != "Eynatten (Sum)"]
    values = body.iloc[:, 5:].replace("N/A", np.nan).astype(float)
    values.columns = pd.to_datetime(sheet.iloc[0, 5:].to_list())
    nord = values[(body[0] == "Nord Stream").to_numpy()].iloc[0]
    return nord / values.sum(axis=0)


def test_nord_stream_stopped_in_2022(results, nord_share):
    result = results["nord-stream-stopped-2022"]
    assert nord_share[pd.Timestamp("2022-09-01")] == 0.0
    assert result.verdict == "supported"
    assert result.cases[0].outcome.stat == pytest.approx(nord_share[pd.Timestamp("2022-09-01")], abs=1e-12)
    # every month of 2022, for the record: above a third until May, then falling to zero
    shares = nord_share[nord_share.index.year == 2022].round(3).tolist()
    assert shares[:5] == [pytest.approx(s, abs=0.0005) for s in (0.354, 0.357, 0.352, 0.334, 0.378)]
    assert shares[5:] == [pytest.approx(s, abs=0.0005) for s in (0.266, 0.125, 0.109, 0.0)]


def test_nord_stream_share_in_may_2022(results, nord_share):
    result = results["nord-stream-share-may-2022"]
    may = nord_share[pd.Timestamp("2022-05-01")]
    assert result.cases[0].outcome.stat == pytest.approx(may, rel=1e-12)
    assert result.verdict == ("supported" if may > 1 / 3 else "not supported")


def test_russian_pipeline_exports_to_europe(results, mirror):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(mirror / "energy" / "ei-stats-review-2024-all-data.xlsx", sheet_name="Gas - Trade movements", header=None)
    labels = sheet[0].map(lambda v: str(v).strip()).to_numpy()
    russia = int(np.flatnonzero(labels == "Russian Federation")[0])
    row = russia + int(np.flatnonzero(labels[russia:] == "of which: Europe")[0])
    header = sheet.iloc[2]
    value = {y: float(sheet.iloc[row, [c for c in header.index if header[c] == y][0]]) for y in (2021, 2023)}
    result = results["russia-pipeline-exports-europe-fell"]
    assert result.verdict == ("supported" if value[2023] < value[2021] else "not supported")
    assert "49.84 in 2023 vs 167.86 in 2021" in result.cases[0].outcome.finding


def test_the_month_key_is_checked():
    text = EXAMPLE.read_text(encoding="utf-8").replace("      month: 5\n", "      month: 13\n")
    with pytest.raises(ClaimsError, match="calendar month"):
        parse_ledger(text, "ledger.yaml")
