"""Column statistics over finite entries (worldorder.nanstats) against NumPy's nan-functions."""

import warnings

import numpy as np

from worldorder.nanstats import column_moments, column_quantiles


def test_column_moments_equal_numpy_nan_moments_without_warnings():
    """Mean and ddof-1 variance over finite entries, as np.nanmean/np.nanvar, silent on empty columns."""
    rng = np.random.default_rng(5)
    values = rng.normal(size=(25, 40))
    values[rng.random(values.shape) < 0.3] = np.nan
    values[:, 0] = np.nan  # no value
    values[1:, 1] = np.nan  # one value
    values[0, 1] = 0.7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, variance = column_moments(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected_mean, expected_variance = np.nanmean(values, axis=0), np.nanvar(values, axis=0, ddof=1)
    assert np.isnan(mean[0]) and np.isnan(variance[0]) and np.isnan(variance[1]) and mean[1] == 0.7
    np.testing.assert_array_equal(mean[1:], expected_mean[1:])
    np.testing.assert_array_equal(variance[2:], expected_variance[2:])


def test_column_quantiles_equal_nanquantile_and_leave_empty_columns_nan_without_warnings():
    rng = np.random.default_rng(7)
    values = rng.normal(size=(30, 12))
    values[rng.random(values.shape) < 0.4] = np.nan
    values[:, 3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        both = column_quantiles(values, [0.05, 0.95])
        median = column_quantiles(values, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.nanquantile(values, [0.05, 0.95], axis=0)
    assert both.shape == (2, 12) and median.shape == (12,)
    assert np.isnan(both[:, 3]).all() and np.isnan(median[3])
    keep = np.arange(12) != 3
    np.testing.assert_array_equal(both[:, keep], expected[:, keep])
    np.testing.assert_array_equal(median[keep], np.nanmedian(values[:, keep], axis=0))
