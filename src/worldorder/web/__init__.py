"""The local web app: a JSON API (described by OpenAPI) and six plain pages.

``worldorder serve`` starts it; :func:`create_app` builds it for a store, opened
read-only.  The app is an interface over the public API of the library (see
:mod:`worldorder.web.model`), kept apart from the model.  FastAPI, uvicorn
and Jinja2 are imported only when the app is built.
"""

from __future__ import annotations

from worldorder import exports

_PUBLIC = {"worldorder.web.app": ["create_app", "prepare_store"]}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
