"""Every domain error of the library, raised inside a web handler, becomes a 4xx answer with its message."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi import Body, FastAPI
    from fastapi.testclient import TestClient
    from pydantic import BaseModel

import worldorder
from worldorder.web.errors import add_error_handlers
from worldorder.web.params import ProjectionRequest

#: Every public domain error but the store's, which answers 503 (the server's data, not the request).
DOMAIN_ERRORS = sorted(
    name for name in worldorder.__all__
    if name.endswith("Error") and issubclass(getattr(worldorder, name), worldorder.WorldOrderError) and name != "StoreError"
)


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    add_error_handlers(app, web=None)

    @app.get("/api/raise/{name}")
    def raise_it(name: str):
        error = getattr(worldorder, name)
        message = f"what {name} says to do"
        raise error([message]) if name == "ScenarioError" else error(message)  # a scenario's error lists its problems

    @app.get("/api/bug")
    def bug():
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_the_errors_include_those_the_web_used_to_miss():
    assert {"FrameError", "ClaimsError", "PowerError", "YearsError", "ReferenceSetError"} <= set(DOMAIN_ERRORS)


@pytest.mark.parametrize("name", DOMAIN_ERRORS)
def test_a_domain_error_is_a_4xx_with_its_message(client, name):
    response = client.get(f"/api/raise/{name}")
    assert 400 <= response.status_code < 500, (name, response.status_code)
    assert f"what {name} says to do" in response.json()["detail"]


def test_a_store_error_is_503_and_a_bug_is_500(client):
    assert client.get("/api/raise/StoreError").status_code == 503
    assert client.get("/api/bug").status_code == 500


class RunBody(BaseModel):
    paths: int = 10


def test_a_body_that_is_not_json_is_a_documented_400_that_says_what_to_send():
    from worldorder.web.errors import BODY_NOT_JSON, describe_errors

    app = FastAPI()
    add_error_handlers(app, web=None)

    @app.post("/api/run")
    def run(body: RunBody):
        return {"paths": body.paths}

    describe_errors(app)
    with TestClient(app) as test_client:
        response = test_client.post("/api/run", content=b"{\"paths\": \"\xc3\x28\"}", headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and response.json() == {"detail": BODY_NOT_JSON}
        for cut in (b"{", b"{\"paths\": ", b"[1,"):  # JSON cut short: the same 400, not a 422 that says "1: JSON decode error"
            response = test_client.post("/api/run", content=cut, headers={"Content-Type": "application/json"})
            assert response.status_code == 400 and response.json() == {"detail": BODY_NOT_JSON}, cut
        assert "400" in test_client.get("/openapi.json").json()["paths"]["/api/run"]["post"]["responses"]



@pytest.mark.parametrize("body", [
    {"drift": 5}, {"drift": None}, {"drift": "REGRESSION"}, {"paths": None}, {"paths": "5000"}, {"paths": 1000.0},
    {"paths": 10**30}, {"paths": True}, {"seed": -1}, {"seed": 2**64}, {"horizon": 10**30}, {"measure": {"a": 1}},
    {"leader": 5}, {"leader": {"x": 1}}, {"unknown": 1}, [], [1, 2], "text", 5, None,
])
def test_a_malformed_projection_request_is_a_422_with_the_documented_body(body):
    """The projection's request model, behind the app's handlers: wrong types, nulls, huge numbers, unknown fields."""
    app = FastAPI()
    add_error_handlers(app, web=None)

    @app.post("/api/projection")
    def projection(request: ProjectionRequest = Body(...)):
        return {"ok": True}

    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.post("/api/projection", json=body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert set(answer) <= {"detail", "errors"} and isinstance(answer["detail"], str) and answer["detail"]
