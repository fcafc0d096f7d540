"""Power measures on hand-built tables: CINC recomputation, currencies, net power, composites."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.power import (
    GOLD_PARITY_USD_PER_GBP,
    MEASURES,
    PowerError,
    cinc,
    composite,
    gbp_usd_rates,
    gdp,
    load_weights,
    measure,
    milex,
    net_power,
    population,
)
from worldorder.power.measures import NMC_COMPONENTS


@pytest.fixture()
def nmc() -> pd.DataFrame:
    """Three states, two years; state 30 lacks milex in 1913."""
    rows = [
        # ccode, abb, year, milex, milper, irst, pec, tpop, upop, major
        (10, "AAA", 1913, 100.0, 50.0, 10.0, 40.0, 100.0, 20.0, 1),
        (20, "BBB", 1913, 300.0, 30.0, 30.0, 40.0, 200.0, 20.0, 1),
        (30, "CCC", 1913, np.nan, 20.0, 60.0, 20.0, 700.0, 60.0, 0),
        (10, "AAA", 1914, 200.0, 50.0, 10.0, 40.0, 100.0, 20.0, 1),
        (20, "BBB", 1914, 200.0, 50.0, 10.0, 40.0, 100.0, 20.0, 1),
        (30, "CCC", 1914, 100.0, 0.0, 80.0, 20.0, 800.0, 60.0, 0),
    ]
    frame = pd.DataFrame(rows, columns=["ccode", "stateabb", "year", *NMC_COMPONENTS, "major"])
    frame["cinc"] = np.nan
    return frame


def expected_cinc(frame, missing="available"):
    shares = frame[list(NMC_COMPONENTS)] / frame.groupby("year")[list(NMC_COMPONENTS)].transform("sum")
    if missing == "available":
        return shares.mean(axis=1)
    if missing == "zero":
        return shares.fillna(0).mean(axis=1)
    return shares.mean(axis=1, skipna=False)


@pytest.mark.parametrize("missing", ["available", "zero", "drop"])
def test_cinc_recomputed_by_hand(nmc, missing):
    out = cinc(nmc, missing=missing)
    np.testing.assert_allclose(out["cinc_recomputed"], expected_cinc(nmc, missing), rtol=1e-12)
    assert out.attrs["measures"]["cinc_recomputed"]["sources"] == ["cow_nmc_7"]


def test_cinc_missing_policies_differ_only_where_a_component_is_missing(nmc):
    available = cinc(nmc)["cinc_recomputed"]
    zero = cinc(nmc, missing="zero")["cinc_recomputed"]
    drop = cinc(nmc, missing="drop")["cinc_recomputed"]
    row = 2  # state 30, 1913, no milex
    assert zero[row] < available[row] and np.isnan(drop[row])
    others = [0, 1, 3, 4, 5]
    np.testing.assert_allclose(zero[others], available[others])
    # complete years sum to one
    assert available[nmc["year"] == 1914].sum() == pytest.approx(1.0)


def test_cinc_over_the_majors_renormalises(nmc):
    out = cinc(nmc, among="majors")["cinc_recomputed"]
    assert np.isnan(out[2]) and np.isnan(out[5])
    assert out[nmc["year"] == 1914].sum() == pytest.approx(1.0)
    majors = nmc[nmc["major"] == 1]
    np.testing.assert_allclose(out.dropna(), expected_cinc(majors).to_numpy())


def test_cinc_published_and_errors(nmc):
    nmc = nmc.assign(cinc=[0.2, 0.3, 0.5, 0.3, 0.3, 0.4])
    out = cinc(nmc, published=True)
    assert out.attrs["measure"] == "cinc" and out["cinc"].tolist() == nmc["cinc"].tolist()
    with pytest.raises(PowerError, match="add_capabilities"):
        cinc(nmc.drop(columns="irst"))
    with pytest.raises(PowerError, match="missing"):
        cinc(nmc, missing="impute")


def test_measures_do_not_mutate_their_input(nmc):
    before = nmc.copy()
    cinc(nmc)
    milex(nmc)
    composite(nmc, {"milper": 1, "irst": 1})
    pd.testing.assert_frame_equal(nmc, before)
    assert "cinc_recomputed" not in nmc.columns


def test_milex_pounds_become_dollars_before_1914(nmc):
    out = milex(nmc)
    assert out["milex_usd"].iloc[0] == pytest.approx(100 * GOLD_PARITY_USD_PER_GBP)
    assert out["milex_usd"].iloc[3] == 200.0  # 1914: dollars already
    assert np.isnan(out["milex_usd"].iloc[2])  # missing stays missing
    assert "4.8665" in out.attrs["measures"]["milex_usd"]["notes"]
    fixed = milex(nmc, gbp_usd=5.0)
    assert fixed["milex_usd"].iloc[0] == 500.0
    series = milex(nmc, gbp_usd={1913: 4.9})
    assert series["milex_usd"].iloc[1] == pytest.approx(300 * 4.9)


def test_gbp_usd_rates():
    years = np.array([1816, 1833, 1834, 1836, 1837, 1913])
    np.testing.assert_allclose(gbp_usd_rates(years, "mint"), [4.5657, 4.5657, 4.8708, 4.8708, 4.8665, 4.8665])
    assert (gbp_usd_rates(years) == 4.8665).all()
    assert np.isnan(gbp_usd_rates(years, {1913: 4.86})[0])
    with pytest.raises(PowerError):
        gbp_usd_rates(years, -1)


def test_shares_of_milex_do_not_depend_on_the_rate(nmc):
    from worldorder.power import shares

    a = shares(milex(nmc, gbp_usd="parity"), "milex_usd")["share"]
    b = shares(milex(nmc, gbp_usd=7.0), "milex_usd")["share"]
    np.testing.assert_allclose(a, b)


def test_gdp_population_and_net_power():
    frame = pd.DataFrame(
        {
            "ccode": [2, 710],
            "year": [2000, 2000],
            "maddison_gdppc": [40000.0, 4000.0],
            "maddison_pop": [300000.0, 1200000.0],  # thousands
            "wb_gdp": [1e13, 1.2e12],
            "wb_population": [3e8, 1.2e9],
        }
    )
    out = net_power(gdp(frame))
    assert out["gdp"].tolist() == [12_000_000.0, 4_800_000.0]  # million 2011 int. $
    assert out["net_power"].tolist() == [12_000_000.0 * 40000, 4_800_000.0 * 4000]
    wb = net_power(frame, source="worldbank")
    assert wb["net_power_wb"].iloc[0] == pytest.approx(1e13 * 1e13 / 3e8)
    assert population(frame, source="worldbank")["population_wb"].tolist() == [3e8, 1.2e9]
    with pytest.raises(PowerError, match="add_gdp"):
        gdp(frame.drop(columns=["maddison_gdppc"]))


def test_composite_with_equal_weights_on_the_components_is_cinc(nmc):
    out = composite(nmc, {c: 1.0 for c in NMC_COMPONENTS})
    np.testing.assert_allclose(out["composite"], cinc(nmc)["cinc_recomputed"])


def test_composite_weights_and_measure_keys(nmc):
    out = composite(nmc, {"weights": {"milex": 3, "population": 1}, "name": "hard"})
    # milex (converted) share weighted 3/4, population share 1/4
    usd = milex(nmc)["milex_usd"]
    share_m = usd / usd.groupby(nmc["year"]).transform("sum")
    share_p = nmc["tpop"] / nmc.groupby("year")["tpop"].transform("sum")
    expected = (0.75 * share_m + 0.25 * share_p).where(share_m.notna(), share_p)
    np.testing.assert_allclose(out["hard"], expected)
    assert "milex_usd" in out.columns and out.attrs["measure"] == "hard"
    with pytest.raises(PowerError, match="neither a column"):
        composite(nmc, {"soft_power": 1})
    with pytest.raises(PowerError, match="positive weight"):
        composite(nmc, {"milper": 0})


@pytest.mark.parametrize("suffix", [".toml", ".yaml"])
def test_composite_weights_from_a_file(nmc, tmp_path, suffix):
    path = tmp_path / f"weights{suffix}"
    if suffix == ".toml":
        path.write_text('name = "mine"\nscale = "max"\n[weights]\nirst = 2\npec = 1\n')
    else:
        path.write_text("name: mine\nscale: max\nweights:\n  irst: 2\n  pec: 1\n")
    spec = load_weights(path)
    assert spec.name == "mine" and spec.weights == {"irst": 2.0, "pec": 1.0}
    out = composite(nmc, path)
    ratio_i = nmc["irst"] / nmc.groupby("year")["irst"].transform("max")
    ratio_p = nmc["pec"] / nmc.groupby("year")["pec"].transform("max")
    np.testing.assert_allclose(out["mine"], (2 * ratio_i + ratio_p) / 3)


def test_unknown_measure_suggests():
    with pytest.raises(PowerError, match="Did you mean gdp"):
        measure(pd.DataFrame(), "gpd")
    assert {"cinc", "gdp", "milex", "population", "net_power", "composite"} <= set(MEASURES)
