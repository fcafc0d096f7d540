"""The web app's caches stay within their budget in bytes, however many distinct requests come (counted, not timed)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import web_store_file  # noqa: E402
from worldorder.web import cache  # noqa: E402
from worldorder.web.cache import Budget, Memo, nbytes  # noqa: E402


def test_nbytes_counts_tables_arrays_and_containers():
    frame = pd.DataFrame({"x": np.zeros(10_000), "name": ["abcdefgh"] * 10_000})
    assert nbytes(frame) >= 80_000 + 10_000 * 8  # the float buffer and the strings
    assert nbytes(np.zeros(1000)) == 8000
    assert nbytes({"a": frame, "b": [frame]}) < 2 * nbytes(frame)  # the same table counted once
    assert nbytes(b"x" * 1000) >= 1000


def test_memos_share_one_budget_and_drop_the_least_recently_used():
    budget = Budget(10_000)
    first, second = Memo(100, budget), Memo(100, budget)
    first.get("a", lambda: b"a" * 4000)
    second.get("b", lambda: b"b" * 4000)
    first.get("a", lambda: pytest.fail("kept"))  # a is now more recent than b
    first.get("c", lambda: b"c" * 4000)  # over budget: b, the least recent anywhere, goes
    assert second.peek("b") is None and first.peek("a") is not None and first.peek("c") is not None
    assert budget.nbytes == first.held_bytes + second.held_bytes <= budget.max_bytes
    assert first.get("huge", lambda: b"h" * 20_000) == b"h" * 20_000 and first.peek("huge") is None
    assert budget.nbytes <= budget.max_bytes


def test_entry_counts_stay_bounded_too():
    memo = Memo(3, Budget(10**6))
    for key in range(10):
        memo.get(key, lambda: key)
    assert len(memo._values) == 3 and memo.budget.nbytes == memo.held_bytes
    assert memo.budget.evictions == 7  # dropped for the count, not the bytes: counted all the same


@pytest.mark.slow
def test_many_distinct_requests_stay_within_the_budget(store, tmp_path_factory, monkeypatch):
    """Hundreds of distinct years, reference sets, formats, composite timelines and maps: the caches never hold more than the budget."""
    from worldorder.web.app import create_app

    budget = Budget(6 * 2**20)
    monkeypatch.setattr(cache, "_default", budget)
    app = create_app(web_store_file(store, tmp_path_factory.getbasetemp()), warm=False)
    urls = [f"/api/map?measure=cinc&year={1816 + i}&among=top:{2 + i % 20}" for i in range(150)]
    urls += [f"/api/timeline?measure=cinc&among=top:{k}&format={fmt}" for k in range(2, 30) for fmt in ("json", "csv")]
    urls += [f"/api/timeline?measure=composite&weights=gdp:{a},milex:{10 - a}" for a in range(1, 6)]
    urls += [f"/api/map?measure=composite&weights=gdp:{a},population:{7 - a}&year={1990 + a}" for a in range(1, 6)]
    peak = 0
    with TestClient(app) as client:
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:300])
            peak = max(peak, budget.nbytes)
    assert peak <= budget.max_bytes
    assert budget.evictions > 0  # the budget was reached and old entries made room
    held = sum(size for size in budget._order.values())
    assert held == budget.nbytes
