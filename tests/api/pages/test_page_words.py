"""The page words (api/pages/words.toml): each in German and English with the same
placeholders, and every key a template or a page script asks for exists, so no page shows a
bare key or falls back to the other language."""

from __future__ import annotations

import re
import string
from pathlib import Path

from markupsafe import Markup

from api.pages.i18n import WORDS, script_words, words

PAGES = Path(__file__).resolve().parents[3] / "api" / "pages"
#: `t("key")` / `t('key')` in a template; keys built with `~` are checked by their prefix.
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([^"']+)["']""")
SCRIPT_KEY = re.compile(r"""\b(?:KSKG|K)\.t\(\s*["']([^"']+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_each_word_has_both_languages_and_the_same_placeholders():
    wrong = {
        key: (placeholders(de), placeholders(en))
        for key, (de, en) in WORDS.items()
        if not (de.strip() and en.strip()) or placeholders(de) != placeholders(en)
    }
    assert wrong == {}


def test_every_template_key_exists():
    missing = {
        (path.name, key)
        for path in sorted((PAGES / "templates").glob("*.html"))
        for key in TEMPLATE_KEY.findall(path.read_text("utf-8"))
        if not key.endswith((".", "_")) and key not in WORDS
    }
    assert missing == set()


def test_every_script_key_exists():
    known = script_words("en")
    missing = {
        (path.name, key)
        for path in sorted((PAGES / "static" / "js").glob("*.js"))
        for key in SCRIPT_KEY.findall(path.read_text("utf-8"))
        if key not in known
    }
    assert missing == set()


def test_words_are_trusted_html_and_what_is_filled_in_is_escaped():
    t = words("en")
    filled = t("not_found.path", path="<script>")
    assert isinstance(filled, Markup)
    assert '<code class="iri">&lt;script&gt;</code>' in filled
    assert t("no_such_key") == "no_such_key"
