"""Markup that copies of web pages leave in a sheet's text, removed line by line.

A sheet copied from a web page or a Markdown export carries markup a careful curator reads
through without noticing. Each kind is removed here, with the line count unchanged:

* HTML character references (``&amp;``, ``&nbsp;``, ``&#8211;``) are the characters they name;
  an unknown name stays as written;
* HTML tags of text structure (``<p>``, ``<br>``, ``<b>``, ``<span …>``, headings) are removed,
  and ``<li>`` is a bullet;
* Markdown heading markers (``## Zentrale Themen``), strong emphasis (``**…**``, ``__…__``) and
  lines that only underline a heading or draw a rule (``====``, ``----``, ``***``) go.

Single ``*`` is left alone: in a sheet it marks a footnote.
"""

from __future__ import annotations

import html
import re

_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_BLOCK_TAGS = "p|div|span|b|strong|i|em|u|br|ul|ol|h[1-6]|font|small|sup|sub|td|tr|table|tbody"
_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_LIST_ITEM_END = re.compile(r"</li\s*>", re.IGNORECASE)
_HEADING_MARK = re.compile(r"^(\s*)#{1,6}[ \t]+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_RULE = re.compile(r"^\s*(?:={3,}|-{3,}|\*{3,}|_{3,})\s*$")


def character_references(line: str) -> str:
    """``line`` with every known HTML character reference replaced by its character."""
    return _REFERENCE.sub(lambda match: html.unescape(match[0]), line)


def html_tags(line: str) -> str:
    """``line`` without tags of text structure; a list item starts with a bullet."""
    line = _LIST_ITEM.sub("• ", line)
    line = _LIST_ITEM_END.sub("", line)
    return _TAG.sub("", line)


def markdown(line: str) -> str:
    """``line`` without Markdown heading markers, strong emphasis and rule lines."""
    if _RULE.match(line):
        return ""
    line = _HEADING_MARK.sub(r"\1", line)
    return _STRONG.sub(r"\2", line)


#: (what the message calls it, the function), in the order they apply. HTML comes before
#: the spaces are normalised (``&nbsp;`` is one), Markdown after (``#`` and a no-break space).
HTML_CLEANERS = (
    ("HTML tags removed", html_tags),
    ("HTML character references decoded", character_references),
)
MARKDOWN_CLEANERS = (("Markdown markup removed", markdown),)
