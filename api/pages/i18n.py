"""The language of a page: German, with English on request (docs/pages.md, "Language").

The choice, strongest first: `?lang=de|en` (the switch link on every page; it also sets the
`lang` cookie so the next pages keep it), the `lang` cookie, else German (Accept-Language is not
asked, see `choose_lang`). `PageLanguage` makes that choice once per request and keeps it in
`LANGUAGE`, so every page rendered for the request (api/pages/render.py) has `lang`, `t` and the
switch link without a route passing them. Labels of data come from the ontology and thesauri
(`@de`/`@en`, `pick`); the words of the pages themselves are in api/pages/words.toml (`WORDS`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from markupsafe import Markup
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

LANGS = ("de", "en")
DEFAULT = "de"
COOKIE = "lang"
WORDS_FILE = Path(__file__).parent / "words.toml"


def read_words(path: Path = WORDS_FILE) -> dict[str, tuple[str, str]]:
    """The page words of `path`: key -> (German, English). A word is a table `{de, en}`; a
    table of words (`[start]`) prefixes its keys (`start.lead`)."""
    found: dict[str, tuple[str, str]] = {}

    def walk(table: dict, prefix: str) -> None:
        for key, value in table.items():
            if set(value) == {"de", "en"}:
                found[prefix + key] = (value["de"], value["en"])
            else:
                walk(value, f"{prefix}{key}.")

    walk(tomllib.loads(path.read_text("utf-8")), "")
    return found


#: key -> (German, English); the text is HTML written by us (`t` marks it safe and escapes
#: what is filled into its `{placeholders}`).
WORDS: dict[str, tuple[str, str]] = read_words()


def choose_lang(query: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    """The page language for a request's query parameters and cookies. Accept-Language is not
    asked: the pages are German by policy (the project, its sources and its users are German);
    English is a choice made with the switch, and kept."""
    for chosen in (query.get("lang"), cookies.get(COOKIE)):
        if chosen in LANGS:
            return chosen
    return DEFAULT


def words(lang: str) -> Callable[..., Markup]:
    """`t(key, **values)`: the page word `key` in `lang` (the key itself if there is none),
    with `values` (escaped) filled into its `{placeholders}`."""
    index = _index(lang)

    def t(key: str, **values) -> Markup:
        if key not in WORDS:
            return Markup.escape(key.removeprefix("type_"))
        text = Markup(WORDS[key][index])
        return text.format(**values) if values else text

    return t


@cache
def script_words(lang: str) -> dict[str, str]:
    """The words of the pages' scripts (the `js.` keys, without the prefix) in `lang`: plain
    text, which the page embeds as JSON for `KSKG.t` (static/js/charts.js). Made once per
    language (every page's context has it): not to be changed by the caller."""
    index = _index(lang)
    return {key[3:]: pair[index] for key, pair in WORDS.items() if key.startswith("js.")}


def _index(lang: str) -> int:
    """The position of `lang` in a word's pair (German for an unknown language)."""
    return LANGS.index(lang) if lang in LANGS else 0


def pick(de: str | None, en: str | None, lang: str) -> str | None:
    """The label in `lang`, falling back to the other language."""
    return (en or de) if lang == "en" else (de or en)


def switch_url(query: list[tuple[str, str]], lang: str) -> str:
    """The current page in the other language (the query string kept, `lang` replaced), as a
    link relative to the page itself: right under any host, port or path prefix."""
    other = "en" if lang == "de" else "de"
    params = [(k, v) for k, v in query if k != "lang"] + [("lang", other)]
    return f"?{urlencode(params)}"


@dataclass(frozen=True)
class Language:
    """The language of one request: `lang`, the `?lang=` it asked for (None without one) and
    the link to the same page in the other language."""

    lang: str
    asked: str | None
    switch_url: str

    def context(self) -> dict:
        """`lang`, `t` (page words), `switch_url` and `script_words` for a template."""
        return {
            "lang": self.lang,
            "t": words(self.lang),
            "switch_url": self.switch_url,
            "script_words": script_words(self.lang),
        }


#: Makes the language of the request being answered (set by `PageLanguage`; called when a page
#: is rendered, so a JSON or SPARQL request never pays for it).
LANGUAGE: ContextVar[Callable[[], Language] | None] = ContextVar("page_language", default=None)


def language_of(scope: Scope) -> Language:
    """The `Language` of the HTTP request `scope`."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    query = dict(pairs)
    asked = query.get("lang") if query.get("lang") in LANGS else None
    lang = choose_lang(query, _cookies(scope))
    return Language(lang=lang, asked=asked, switch_url=switch_url(pairs, lang))


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def current_language() -> Language:
    """The language of the request being answered (German outside a request)."""
    make = LANGUAGE.get()
    return make() if make is not None else Language(DEFAULT, None, "?lang=en")


class PageLanguage:
    """ASGI middleware: the page language of each HTTP request, made on demand (`LANGUAGE`)
    for the page renderer and the routes that pick labels."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            LANGUAGE.set(cache(lambda: language_of(scope)))
        await self.app(scope, receive, send)


def remember(response, language: Language):
    """A page answer: keeps an explicit `?lang=` choice in a cookie for the next pages and
    says the page depends on it (`Vary: Cookie`); returns `response`."""
    if language.asked:
        response.set_cookie(COOKIE, language.asked, max_age=365 * 24 * 3600, samesite="lax")
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    response.headers["Vary"] = ", ".join([*vary, *(["Cookie"] if "Cookie" not in vary else [])])
    return response
