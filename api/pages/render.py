"""HTML pages: one Jinja2 environment over api/pages/templates, autoescaping everything."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.responses import HTMLResponse

from api.http.versions import CITATION
from api.pages.i18n import current_language, remember

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    # Imported on the first page rather than at start-up (a tenth of the server's start-up);
    # SPARQL and JSON clients never need it.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, status: int = 200, headers: dict | None = None, **context):
    """Render `template` with `context` into an HTML response (text/html; charset=utf-8).
    Every page gets the `citation` of the request (api/http/versions.py): the version it
    shows, with links to cite it and to the same page now; and its language
    (api/pages/i18n.py): `lang`, the page words `t` and the link to the other language."""
    make = CITATION.get()
    context.setdefault("citation", make() if make is not None else None)
    language = current_language()
    for name, value in language.context().items():
        context.setdefault(name, value)
    html = environment().get_template(template).render(**context)
    return remember(HTMLResponse(html, status_code=status, headers=headers), language)
