"""The COW regions of a state, from the range its COW code falls in."""

from __future__ import annotations

import numpy as np

#: COW regions by state-code range (first code, last code, region).
COW_RANGES = (
    (1, 199, "Americas"),
    (200, 399, "Europe"),
    (400, 626, "Africa"),
    (627, 699, "Middle East"),
    (700, 899, "Asia"),
    (900, 999, "Oceania"),
)
COW_REGIONS = ("Americas", "Europe", "Africa", "Middle East", "Asia", "Oceania")


def cow_region(ccode, oceania: bool = True) -> np.ndarray:
    """COW region of each state code.

    Parameters
    ----------
    ccode
        COW state codes (array-like).
    oceania
        Keep Oceania (900-999) apart; with False it is part of Asia, as in
        COW's five-region coding of disputes.

    Returns
    -------
    numpy.ndarray of str (None for codes outside 1-999)

    Notes
    -----
    Americas 2-165, Europe 200-395, Africa 402-626, Middle East 630-698,
    Asia 700-860, Oceania 900-990: the ranges of the COW code book.  Egypt
    (651) is in the Middle East, the Maghreb (600-626) in Africa.

    References
    ----------
    Correlates of War Project. 2017. State System Membership List, v2016
    (code book); Palmer, G. et al. 2022. The MID5 dataset, 2011-2014.
    Conflict Management and Peace Science 39(4): 470-482 (region codes).
    """
    codes = np.asarray(ccode, dtype=np.int64)
    out = np.full(codes.shape, None, dtype=object)
    for first, last, name in COW_RANGES:
        if name == "Oceania" and not oceania:
            name = "Asia"
        out[(codes >= first) & (codes <= last)] = name
    return out
