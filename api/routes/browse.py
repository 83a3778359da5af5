"""Routes: lists to browse (`/id/<kind>/`), the search page (`/suche`) and the comparison page
(`/vergleich`) — HTML for people, over the same curated queries as the JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.curated.envelope import page_links, read_page
from api.curated.known import check_known, choices, class_iri, known_items
from api.curated.params import bind_params, single_values
from api.curated.precomputed import release_answers
from api.curated.responder import search_page
from api.curated.service import CuratedService
from api.errors import ApiError, NotAcceptable
from api.http.served import Served, ServedDep
from api.http.urls import Urls
from api.media import HTML, PAGE, negotiate
from api.pages import browse, compare
from api.pages.i18n import current_language, pick, words
from api.pages.render import render_page
from api.routes import resources
from api.sparql.execution import execute

router = APIRouter(tags=["pages"])
#: Query parameters of the pages themselves, not filters.
PAGE_PARAMS = ("lang",)


def _urls(request: Request, served: Served) -> Urls:
    return Urls.for_request(request, served.settings)


def _root(request: Request, served: Served) -> str:
    return _urls(request, served).root


def _runner(request: Request, served: Served):
    def run(job):
        return execute(request, served.store, job)

    return run


def _filters_of(request: Request) -> dict[str, str]:
    raw = single_values(request.query_params.multi_items())
    return {k: v for k, v in raw.items() if k not in PAGE_PARAMS}


def _wants_json(request: Request) -> bool:
    try:
        return negotiate(request.headers.get("accept"), PAGE) is not HTML
    except NotAcceptable:
        return False


def _page(template: str, request: Request, served: Served, status: int = 200, **context):
    return render_page(
        template, status=status, root=_root(request, served), version=served.version, **context
    )


@router.get("/id/{kind}", include_in_schema=False)
async def bare_kind(kind: str, request: Request, served: ServedDep) -> Response:
    """`/id/kommune` → the index `/id/kommune/`; any other single segment is an IRI as usual."""
    if kind in browse.KINDS:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{_root(request, served)}id/{kind}/{query}", status_code=308)
    return await resources.resource(kind, request, served, _urls(request, served))


@router.get("/id/{kind}/", summary="Index of one kind of resource, with the filters of its route")
async def index(kind: str, request: Request, served: ServedDep) -> Response:
    spec = browse.KINDS.get(kind)
    if spec is None:
        return await resources.resource(f"{kind}/", request, served, _urls(request, served))
    service: CuratedService = request.app.state.curated
    if _wants_json(request):
        return await _index_json(spec, request, served)
    lang = current_language().lang
    context = {"kind": spec, "title": pick(*spec.title, lang), "nav": "browse"}
    try:
        if spec.curated is None:
            items = await run_in_threadpool(
                browse.instances, served.store, spec, _root(request, served), lang
            )
            return _page("index.html", request, served, items=items, **context)
        filters, rows = await _curated_rows(spec, request, served, service, lang)
    except ApiError as error:
        return _page("index.html", request, served, 422, error=error.message, **context)
    return _page("index.html", request, served, filters=filters, rows=rows, **context)


async def _curated_rows(spec, request, served, service, lang):
    query = service.queries[spec.curated]
    raw = _filters_of(request)
    run = _runner(request, served)
    filters = []
    for param in query.params:
        options = []
        if param.known:
            items = await known_items(run, service.results, served.version, class_iri(param.known))
            options = sorted(
                ((value, pick(de, en, lang)) for value, de, en in choices(param, items)),
                key=lambda o: _natural(o[1] or o[0]),
            )
        filters.append({"name": param.name, "value": raw.get(param.name, ""), "options": options})
    bound = bind_params(query, raw, service.root)
    await check_known(run, service.results, served.version, query, bound)
    answers = release_answers(served.release, service.root)
    records = await service.fetch(run, served.version, query, bound, answers)
    return filters, browse.table(spec, records, words(lang))


def _natural(text: str) -> tuple:
    """Sort key putting 'Kinderschutzcluster 2' before 'Kinderschutzcluster 10'."""
    head = text.rstrip("0123456789")
    tail = text[len(head) :]
    return (head.lower(), int(tail) if tail else -1)


async def _index_json(spec, request: Request, served: Served) -> Response:
    """Machines: the curated route (303) for a kind that has one, else the list as JSON."""
    if spec.curated is not None:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(
            f"{_root(request, served)}api/{spec.curated}{query}", status_code=303
        )
    items = await run_in_threadpool(
        browse.instances, served.store, spec, _root(request, served), "de"
    )
    body = {"kind": spec.name, "total": len(items), "items": items, "version": served.version}
    return JSONResponse(body, headers={"Vary": "Accept"})


@router.get("/suche", summary="Search page (HTML) over the curated route /api/suche")
async def search(request: Request, served: ServedDep) -> Response:
    service: CuratedService = request.app.state.curated
    q = request.query_params.get("q", "")
    context = {"title": "Suche", "nav": "suche", "search_q": q, "results": None}
    if not q:
        return _page("search.html", request, served, **context)
    query = service.queries["suche"]
    try:
        bound = bind_params(query, {"q": q}, service.root)
        page = read_page(query, single_values(request.query_params.multi_items()))
        records, total = await search_page(
            service, _runner(request, served), served, query, bound, page
        )
    except ApiError as error:
        return _page("search.html", request, served, 422, error=error.message, **context)
    path = _root(request, served) + "suche"
    links = page_links(path, {"q": q}, page, total)
    context.update(results=records, total=total, offset=page.offset, links=links)
    return _page("search.html", request, served, **context)


@router.get("/vergleich", summary="Kommunen or clusters side by side, by Themenfeld and status")
async def comparison(request: Request, served: ServedDep) -> Response:
    service: CuratedService = request.app.state.curated
    run = _runner(request, served)
    lang = current_language().lang
    root = _root(request, served)
    pickers = {}
    for name, curie in (("kommune", "ksk:Kommune"), ("cluster", "ksk:Cluster")):
        items = await known_items(run, service.results, served.version, class_iri(curie))
        pickers[name] = {iri: pick(de, en, lang) or iri for iri, de, en in items}
    context = {"title": "Vergleich", "nav": "vergleich", "pickers": _sorted(pickers)}
    try:
        units = _units(request, pickers, root)
    except ApiError as error:
        return _page("compare.html", request, served, 422, error=error.message, **context)
    context["units"] = units
    if units:
        context["table"] = await run_in_threadpool(
            compare.comparison, served.store, units, root, lang
        )
    return _page("compare.html", request, served, **context)


def _sorted(pickers: dict) -> dict:
    return {
        name: sorted(
            ((iri.rsplit("/", 1)[-1], label, iri) for iri, label in known.items()),
            key=lambda o: _natural(o[1]),
        )
        for name, known in pickers.items()
    }


def _units(request: Request, pickers: dict, root: str) -> list[compare.Unit]:
    """The Kommunen and clusters asked for (slug, IRI or page path), in the order asked."""
    units = []
    for name, value in request.query_params.multi_items():
        if name not in pickers or not value:
            continue
        iri = _resolve(name, value, pickers[name], root)
        if iri not in {u.iri for u in units}:
            href = root + "id/" + iri.split("/id/", 1)[-1]
            units.append(compare.Unit(iri=iri, label=pickers[name][iri], href=href))
    return units


def _resolve(name: str, value: str, known: dict, root: str) -> str:
    slug = value.rstrip("/").rsplit("/", 1)[-1]
    for iri in known:
        if iri.rsplit("/", 1)[-1] == slug and iri.endswith(f"/{name}/{slug}"):
            return iri
    allowed = ", ".join(sorted(i.rsplit("/", 1)[-1] for i in known))
    raise ApiError(
        422, "invalid_parameter", f"{name}: {value!r} is not known; allowed: {allowed}",
        parameter=name,
    )  # fmt: skip
