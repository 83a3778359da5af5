"""Routes: linked-data resolution of https://w3id.org/kinderschutz-kg/id/<path> as /id/<path>,
and the ontology at /ontology (HTML documentation or RDF, by content negotiation)."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.http.rdf_response import VARY, rdf_response, representation
from api.http.served import Served, ServedDep
from api.http.urls import UrlsDep
from api.media import HTML, RESOURCE
from api.pages import browse, linked_data, population, profiles
from api.pages.i18n import current_language, words
from api.pages.not_found import not_found_page, wants_html
from api.pages.render import render_page
from kskg.namespaces import ID, KSK

router = APIRouter(tags=["linked data"])


@router.get("/id/{path:path}", summary="Resolve an IRI https://w3id.org/kinderschutz-kg/id/<path>")
async def resource(path: str, request: Request, served: ServedDep, urls: UrlsDep) -> Response:
    iri = str(ID) + path
    # A path that makes no valid IRI (e.g. /id/%3C) names nothing: 404, not an error.
    if not _valid_iri(iri) or not await run_in_threadpool(linked_data.exists, served.store, iri):
        return await not_found(iri, request, served)
    rep = representation(request, RESOURCE)
    if rep is not HTML:
        triples = await run_in_threadpool(linked_data.describe, served.store, iri)
        return rdf_response(triples, rep)
    root = urls.root
    lang = current_language().lang
    context = await run_in_threadpool(linked_data.page_context, served.store, iri, root)
    context["profile"] = await run_in_threadpool(profiles.profile, served.store, iri, root, lang)
    await run_in_threadpool(population.name_figures, context, served.store, lang)
    if context.get("tree") and lang != "de":
        await run_in_threadpool(browse.name_tree, context["tree"], served.store, root, lang)
    _titled(context, lang)
    if path.startswith("dokument/"):
        stem = path.removeprefix("dokument/")
        context["document_lines"] = linked_data.document_lines(
            served.settings.data_dir, served.release.manifest, stem
        )
    return render_page("resource.html", headers=VARY, root=root, version=served.version, **context)


def _titled(context: dict, lang: str) -> None:
    """The page title in `lang`; a profile document is named by its Kommune."""
    if lang == "en" and context.get("title_en"):
        context["title"], context["title_en"] = context["title_en"], context["title"]
    profile = context.get("profile") or {}
    if profile.get("kind") == "dokument" and profile.get("kommune"):
        context["file_name"] = context["title"]
        context["title"] = f"{words(lang)('document_of')} {profile['kommune']['label']}"
        context["title_en"] = None


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


async def not_found(iri: str, request: Request, served: Served) -> Response:
    """404 as an HTML page for clients preferring HTML, else the JSON error body."""
    if wants_html(request):
        return await not_found_page(request, iri, iri=iri)
    raise ApiError(404, "not_found", f"nothing is known about <{iri}>", iri=iri)


@router.get("/ontology", summary="The ontology: HTML documentation or RDF")
async def ontology(request: Request, served: ServedDep, urls: UrlsDep) -> Response:
    rep = representation(request, RESOURCE)
    if rep is not HTML:
        triples = await run_in_threadpool(
            lambda: list(served.store.query(linked_data.rq("ontology_graph")))
        )
        return rdf_response(triples, rep)
    root = urls.root
    rows = await run_in_threadpool(linked_data.select, served.store, "ontology_terms")
    examples = await run_in_threadpool(linked_data.select, served.store, "ontology_examples")
    return render_page(
        "ontology.html", headers=VARY, title="Ontologie", root=root, version=served.version,
        groups=ontology_groups(rows, root, examples),
    )  # fmt: skip


def ontology_groups(
    rows: list[dict], root: str, examples: list[dict] = ()
) -> list[tuple[str, list[dict]]]:
    """Ontology terms grouped by kind, each with local name, labels, linked domain/range and
    an example from the data (`examples`: rows of api/engine/rq/ontology_examples.rq)."""
    example = {r["term"].value: _example(r, root) for r in examples}
    groups: dict[str, list[dict]] = {}
    for row in rows:
        value = {k: (v.value if v is not None else None) for k, v in row.items()}
        groups.setdefault(value["kind"], []).append(
            {
                "local": value["term"][len(str(KSK)) :],
                "label_de": value["label_de"],
                "label_en": value["label_en"],
                "definition": value["definition"],
                "domain": _links(value["domain"], root),
                "range": _links(value["range"], root),
                "parents": _links(value["parents"], root),
                "example": example.get(value["term"]),
            }
        )
    return list(groups.items())


def _example(row: dict, root: str) -> dict:
    shown = linked_data.labelled(row["example"], row["label"], root)
    shown["value"] = row["value"].value if row["value"] is not None else None
    return shown


def _links(iris: str | None, root: str) -> list[dict]:
    # Sorted: GROUP_CONCAT joins in whatever order the engine found the values.
    return [linked_data.link(ox.NamedNode(i), root) for i in sorted((iris or "").split())]
