"""The web API refuses bad bodies with 4xx, never 500: control characters, deep nesting, booleans for numbers."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import web_store_file  # noqa: E402


@pytest.fixture(scope="module")
def client(store, tmp_path_factory):
    from worldorder.web.app import create_app

    app = create_app(web_store_file(store, tmp_path_factory.getbasetemp()), warm=False)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("text", [
    "name: a\u0015",  # C0
    "name: a\u0096",  # C1
    "name: a\u0000",  # NUL
    "a: " + "[" * 3000 + "]" * 3000,  # nested far deeper than a scenario
    "shocks:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
], ids=["C0", "C1", "NUL", "deep-flow", "deep-block"])
def test_bad_yaml_scenarios_are_4xx(client, text):
    response = client.post("/api/scenario", json={"format": "yaml", "text": text})
    assert 400 <= response.status_code < 500, response.text[:300]


def test_deep_toml_and_dotted_keys_are_4xx(client):
    for text in ("a = " + "[" * 3000 + "]" * 3000, "a" + ".a" * 3000 + " = 1"):
        response = client.post("/api/scenario", json={"format": "toml", "text": text})
        assert 400 <= response.status_code < 500, response.text[:300]


@pytest.mark.parametrize("field", ["seed", "paths", "horizon"])
@pytest.mark.parametrize("value", [False, True, "7", 1.5])
def test_booleans_strings_and_fractions_are_not_whole_numbers(client, field, value):
    response = client.post("/api/projection", json={"measure": "gdp", field: value})
    assert response.status_code == 422, response.text[:300]


def test_a_projection_whose_client_has_gone_stops(client):
    """The run checks after each chunk of paths whether its client is still there, and stops when not."""
    from worldorder.web.params import ClientGone, ProjectionRequest, parse_rule

    model = client.app.state.model
    request = ProjectionRequest(paths=20_000, horizon=2030, seed=11).model_dump()
    request["rule"] = parse_rule(request["rule"])
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3  # the client leaves after the run has started

    with pytest.raises(ClientGone, match="stopped"):
        model.projection(request, cancelled=cancelled)
    assert model.results.peek(model.result_id("projection", request)) is None
    with pytest.raises(ClientGone, match="not started"):
        model.projection(request, cancelled=lambda: True)
