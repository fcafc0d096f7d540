"""Schemathesis against the web app in-process: no 5xx, and every answer as the OpenAPI description says.

Each operation gets a few generated requests (valid and invalid); every check
runs (server errors, documented statuses, content types and headers, response
schemas, invalid data refused) except one: ``positive_data_acceptance``
expects every schema-valid request to succeed, while the API also checks
meaning the schema cannot state (a country's name, a year inside the data, a
reference set such as ``top:5``) and answers those with its documented 422.
Valid projections are run with at most 300 paths to 2040, to keep the test short.
"""

from __future__ import annotations

import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from test_web_api import web_store_file  # noqa: E402


@pytest.fixture(scope="module")
def web_schema(store, tmp_path_factory):
    from worldorder.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(web_store_file(store, tmp_path_factory.getbasetemp()), warm=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("web_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=5, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_description(case):
    body = case.body
    if case.operation.path == "/api/projection" and isinstance(body, dict):  # valid sizes made small, invalid ones kept
        if type(body.get("paths")) is int and 100 <= body["paths"] <= 20_000:
            body["paths"] = min(body["paths"], 300)
        if type(body.get("horizon")) is int and 1817 <= body["horizon"] <= 2100:
            body["horizon"] = min(body["horizon"], 2040)
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
