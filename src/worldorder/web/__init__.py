"""The local web app: a JSON API (described by OpenAPI) and six plain pages.

``worldorder serve`` starts it; :func:`create_app` builds it for a store, opened
read-only.  The app is an interface over the public API of the library (see
:mod:`worldorder.web.model`), kept apart from the model.  FastAPI, uvicorn
and Jinja2 are imported only when the app is built.
"""

from __future__ import annotations

__all__ = ["create_app", "prepare_store"]


def __getattr__(name: str):
    if name in __all__:
        from worldorder.web import app

        return getattr(app, name)
    raise AttributeError(f"module 'worldorder.web' has no attribute {name!r}")
