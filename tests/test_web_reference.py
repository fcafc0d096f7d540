"""The API reference page: every operation of the OpenAPI description, in words."""

from __future__ import annotations

from worldorder.web.reference import endpoints, field

OPENAPI = {
    "paths": {
        "/api/things": {
            "get": {
                "tags": ["demo"],
                "summary": "List things",
                "parameters": [
                    {"name": "year", "in": "query", "required": True, "schema": {"type": "integer", "minimum": 1816.0, "maximum": 2100}},
                    {"name": "kind", "in": "query", "schema": {"anyOf": [{"type": "string", "maxLength": 20}, {"type": "null"}]},
                     "description": "Kind of thing."},
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
                ],
            },
            "post": {"summary": "Make a thing", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
        }
    },
    "components": {"schemas": {"Thing": {"required": ["name"], "properties": {
        "name": {"type": "string", "description": "Its name."},
        "sizes": {"type": "array", "items": {"type": "number"}, "default": [1, 2]},
        "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5},
    }}}},
}


def test_every_operation_with_its_parameters_and_body():
    got = endpoints(OPENAPI)
    assert [(e["method"], e["path"], e["tag"]) for e in got] == [("GET", "/api/things", "demo"), ("POST", "/api/things", "other")]
    year, kind, fmt = got[0]["parameters"]
    assert (year["required"], year["type"], year["allowed"]) == (True, "integer", "≥ 1816; ≤ 2100")
    assert (kind["type"], kind["allowed"], kind["description"]) == ("string or null", "at most 20 characters", "Kind of thing.")
    assert (fmt["default"], fmt["allowed"]) == ("json", "one of json, csv")
    body = {f["name"]: f for f in got[1]["body"]}
    assert body["name"]["required"] and body["name"]["where"] == "body" and body["name"]["description"] == "Its name."
    assert body["sizes"]["type"] == "list of number" and body["sizes"]["default"] == "[1, 2]"
    assert body["share"]["allowed"] == "> 0; ≤ 0.5"


def test_a_field_without_schema_details_is_plain():
    assert field("x", {}, False, "", "query") == {
        "name": "x", "where": "query", "required": False, "type": "", "default": "", "allowed": "", "description": ""}
