"""What every router of the web app shares: the model, the response memo, captions and source lists."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from worldorder.web.cache import Memo
from worldorder.web.params import BadRequest
from worldorder.web.tables import download, dumps

HERE = Path(__file__).parent
PAGES = (
    ("overview", "/", "Overview"),
    ("map", "/map", "Map"),
    ("regions", "/regions", "Regions"),
    ("networks", "/networks", "Networks"),
    ("futures", "/futures", "Futures"),
    ("data", "/data", "Data"),
)
#: Views under a page of the navigation: (name, path, title, the page it belongs to).
SUBPAGES = (("diffusion", "/networks/diffusion", "Diffusion", "networks"),)


class Web:
    """The app's shared state, handed to each router.

    Parameters
    ----------
    model
        The :class:`~worldorder.web.model.WebModel` over the read-only store.
    missing
        Required data sets the store lacks.
    """

    def __init__(self, model, missing: list[str]):
        from fastapi.templating import Jinja2Templates

        from worldorder import VERSION

        self.model = model
        self.missing = missing
        self.version = VERSION
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.responses = Memo(4096)
        self.views = Memo(1024)

    async def answer(self, key: tuple, build, fmt: str, table: str | None, filename: str) -> Response:
        """JSON of the view built by ``build`` (cached), or one of its tables as CSV/Parquet."""
        cached = self.responses.peek((key, fmt, table))
        if cached is None:
            cached = await run_in_threadpool(
                lambda: self.responses.get((key, fmt, table), lambda: self._render(key, build, fmt, table, filename))
            )
        content, media, headers = cached
        return Response(content=content, media_type=media, headers=headers)

    @staticmethod
    def _view(build) -> dict:
        view = build()
        # keep the JSON as bytes, not as lists of Python numbers: fewer objects for the garbage collector to walk
        return {"json": dumps(view.pop("payload")), **view}

    def _render(self, key, build, fmt, table, filename):
        view = self.views.get(key, lambda: self._view(build))
        if fmt == "json":
            return view["json"], "application/json", {}
        tables = view["tables"]
        name = table or view["default"]
        if name not in tables or tables[name] is None:
            raise BadRequest(f"table={name!r}: this endpoint has the tables {', '.join(k for k, v in tables.items() if v is not None)}.")
        return download(tables[name], fmt, f"{filename}-{name}")

    @staticmethod
    def caption(info: dict, among: str = "", rule: str = "", note: str = "", sources=None) -> str:
        """The chart caption of a measure (label; unit; notes), reference set, rule, note and sources."""
        from worldorder import caption as chart_caption
        from worldorder import measure_caption

        return chart_caption(measure=measure_caption(info), rule=rule, sources=sources if sources is not None else info.get("sources", ()), among=among, note=note)

    @staticmethod
    def source_list(names) -> list[dict]:
        """Title, version and publisher of each named data set (unknown names as they are)."""
        from worldorder import UnknownDatasetError, get_dataset

        out = []
        for name in dict.fromkeys(names):
            try:
                dataset = get_dataset(name)
                out.append({"name": name, "title": dataset.title, "version": dataset.version, "publisher": dataset.publisher})
            except UnknownDatasetError:
                out.append({"name": str(name), "title": str(name), "version": "", "publisher": ""})
        return out

    def page_context(self, page: str, title: str, **more) -> dict:
        """What every page template reads: the page, its title, the navigation, the version and missing data sets."""
        return {"page": page, "title": title, "pages": PAGES, "version": self.version, "missing": self.missing, **more}
