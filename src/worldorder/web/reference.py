"""The API reference page: the app's OpenAPI description as plain HTML.

FastAPI's own pages (Swagger UI, ReDoc) load their scripts from a CDN, which
the app does not allow; this page is rendered on the server from the same
OpenAPI document (``/openapi.json``) and needs no script at all.
"""

from __future__ import annotations

_METHODS = ("get", "post", "put", "patch", "delete")


def endpoints(openapi: dict) -> list[dict]:
    """Every operation of an OpenAPI 3 document, grouped as the page shows it.

    Returns one dict per operation: ``method``, ``path``, ``tag``, ``summary``,
    ``description``, ``parameters`` and ``body`` (fields of a JSON request
    body), each field as given by :func:`field`.
    """
    schemas = openapi.get("components", {}).get("schemas", {})
    out = []
    for path, operations in openapi.get("paths", {}).items():
        for method in _METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            parameters = [
                field(p["name"], p.get("schema", {}), p.get("required", False), p.get("description", ""), p.get("in", ""))
                for p in operation.get("parameters", [])
            ]
            out.append({
                "method": method.upper(),
                "path": path,
                "tag": (operation.get("tags") or ["other"])[0],
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": parameters,
                "body": _body_fields(operation.get("requestBody"), schemas),
            })
    return out


def _body_fields(body: dict | None, schemas: dict) -> list[dict]:
    if not body:
        return []
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    schema = _resolve(schema, schemas)
    required = set(schema.get("required", ()))
    return [
        field(name, _resolve(spec, schemas), name in required, spec.get("description", ""), "body")
        for name, spec in schema.get("properties", {}).items()
    ]


def _resolve(schema: dict, schemas: dict) -> dict:
    reference = schema.get("$ref", "")
    return schemas.get(reference.rsplit("/", 1)[-1], {}) if reference else schema


def field(name: str, schema: dict, required: bool, description: str, where: str) -> dict:
    """A parameter or body field in words: ``name, where, required, type, default, allowed, description``."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    nullable = len(options) < len(schema.get("anyOf", [schema]))
    main = options[0] if options else {}
    limits = []
    for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in main:
            limits.append(f"{word} {_number(main[key])}")
    if "maxLength" in main:
        limits.append(f"at most {main['maxLength']} characters")
    if "enum" in main:
        limits.append("one of " + ", ".join(str(v) for v in main["enum"]))
    kind = main.get("type", "")
    if kind == "array":
        kind = f"list of {main.get('items', {}).get('type', 'values')}"
    return {
        "name": name,
        "where": where,
        "required": bool(required),
        "type": kind + (" or null" if nullable else ""),
        "default": "" if "default" not in schema else str(schema["default"]),
        "allowed": "; ".join(limits),
        "description": description or schema.get("description", ""),
    }


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
