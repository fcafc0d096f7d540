"""One parser module per publisher: raw file in, typed tidy table out.

A parser is ``parse_<thing>(path: pathlib.Path) -> pandas.DataFrame``.  It reads
only that file, turns missing-value codes into nulls, gives every column a
proper type, and names columns in lower snake case with COW conventions
(``ccode``, ``stateabb``, ``year``, ``ccode1``/``ccode2``).
"""
