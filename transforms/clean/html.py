"""HTML to text: trafilatura (a proven DOM extractor) at three settings, and the whole page rendered as text.

trafilatura's default extraction comes with the page's metadata (one call, `bare_extraction`); its
precision- and recall-leaning settings bound what it is sure and unsure of. The page rendered to
text (html-text, the way the dev pages were) is what the learned cleaner scores, so the cleaner
can decide the lines the settings disagree on (`cleaner.clean_html`). No network, no entity
expansion: trafilatura parses with lxml's safe settings.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

_JSON_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_OPTIONS: dict = {"include_comments": False, "include_tables": True, "deduplicate": False}


@dataclass(frozen=True)
class HtmlExtract:
    """The page's text at each trafilatura setting, its rendering, and its metadata."""

    text: str          # trafilatura, default setting
    precise: str       # trafilatura, favor_precision
    recall: str        # trafilatura, favor_recall
    rendered: str      # the whole page as text (html-text, guess_layout)
    title: str | None
    author: str | None
    source_name: str | None
    published: str | None
    url: str | None
    stated: str = ""   # the articleBody the page's JSON-LD states (schema.org), for a page its scripts render


# htmldate's parameters: the original publication date, with its time and zone when the page gives them
# ("article:published_time"; htmldate's default output is the day alone); a date alone comes as midnight.
# First from the markup alone (meta tags, JSON-LD, <time>, the URL); `_text_date` then searches the text.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
DATE_PARAMS = {"original_date": True, "outputformat": DATE_FORMAT, "extensive_search": False}


def extract_html(html: str) -> HtmlExtract:
    """Main text at three settings, the page as text, and metadata of an HTML page."""
    import html_text
    import trafilatura  # heavy: imported only when HTML arrives
    from trafilatura.core import bare_extraction

    # a page with no main text is the cleaner's to report (a quarantine row); trafilatura's own warning
    # ("discarding data") would be a bare line on a worker's stderr, once per setting; and its errors about
    # a tree it cannot use are the same page's (htmldate's too): a run prints no ERROR line for one input
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    page = _page(_document(html))
    doc = bare_extraction(page(), with_metadata=True, date_extraction_params=DATE_PARAMS, **_OPTIONS)
    get = (lambda name: getattr(doc, name, None) or None) if doc is not None else (lambda name: None)
    precise = trafilatura.extract(page(), output_format="txt", favor_precision=True, **_OPTIONS) or ""
    recall = trafilatura.extract(page(), output_format="txt", favor_recall=True, **_OPTIONS) or ""
    try:
        rendered = html_text.extract_text(page(), guess_layout=True)
    except (ValueError, TypeError):  # lxml refuses some documents (an XML declaration in a str)
        rendered = recall
    return HtmlExtract(text=get("text") or "", precise=precise, recall=recall, rendered=rendered, title=get("title"),
                       author=_author(get("author")), source_name=get("sitename"),
                       published=get("date") or _text_date(page()), url=get("url"), stated=stated_body(html))


def stated_body(html: str) -> str:
    """The longest `articleBody` in the page's JSON-LD blocks (anywhere in them: @graph, nested), as text."""
    import html as html_lib
    import json

    found = []
    for block in _JSON_LD.findall(html):
        try:
            stack = [json.loads(block)]
        except ValueError:
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str):
                    found.append(body)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    if not found:
        return ""
    body = max(found, key=len)
    if "<" in body:
        import html_text

        body = html_text.extract_text(body, guess_layout=True)
    return "\n".join(" ".join(line.split()) for line in html_lib.unescape(body).splitlines() if line.strip())


# Words of a byline that name a role, not a person: trafilatura splits "By Jane Miller, Staff Writer" at the comma
_ROLE_WORDS = {"staff", "writer", "reporter", "correspondent", "editor", "contributor", "columnist", "senior",
               "chief", "political", "news", "desk", "contributing", "special", "foreign", "freelance", "journalist"}


def _author(found: str | None) -> str | None:
    """trafilatura's author ("Jane Miller; Staff Writer", "Priya Natarajan; May 5" from "By Priya Natarajan |
    May 5, 2024") without the parts that are a date, or a role beside a name."""
    if not found:
        return None
    undated = [p.strip() for p in found.split(";") if p.strip() and not any(c.isdigit() for c in p)]
    people = [p for p in undated if not set(p.lower().replace("-", " ").split()) <= _ROLE_WORDS]
    return "; ".join(people or undated) or None  # a role alone ("Staff") is what the page says


def _text_date(page) -> str | None:
    """A publication date from the page's text (htmldate's extensive search) when it names a day. Its last
    resorts, a bare year or a month ("© 1996-2024", an archive's "November 2023"), come as the 1st of a
    month: dropped, as no date is better than a wrong one (on the open-web dev pages 21 of the 38 dates
    found only this way were such: 1996-01-01 three times). A day-1 date stated in the text alone is
    lost with them."""
    from htmldate import find_date

    found = find_date(page, original_date=True, outputformat=DATE_FORMAT, extensive_search=True)
    return found if found and found[8:10] != "01" else None


_DOCUMENT = re.compile(r"<(?:html|head|body)[\s>]", re.I)


def _document(html: str) -> str:
    """A fragment (a CMS's article HTML, `<p>...</p>`, no <html>, <head> or <body>) as the body of a page:
    parsed alone, a single paragraph is an element without children, which trafilatura takes for no page."""
    return html if _DOCUMENT.search(html) else f"<html><body>{html}</body></html>"


def _page(html: str):
    """What each extractor is given: the page's text, which it parses itself; or, for a page nested deeper
    than libxml2's default limit (256 levels: old pages leave an inline tag open in every paragraph),
    a copy of a tree parsed without the limit. Their own parsers keep it, and drop the rest of such a
    page (300 paragraphs of `<p><font>...` kept 127). trafilatura prunes the tree it is given: one
    copy per call."""
    import copy

    from lxml import html as lxml_html

    options = {"collect_ids": False, "default_doctype": False, "encoding": "utf-8", "remove_comments": True,
               "remove_pis": True}  # trafilatura's parser, and then without the depth limit
    data = html.encode("utf-8", "surrogatepass")
    probe = lxml_html.HTMLParser(**options)
    try:
        lxml_html.fromstring(data, parser=probe)
        deep = any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message for e in probe.error_log)
        tree = lxml_html.fromstring(data, parser=lxml_html.HTMLParser(huge_tree=True, **options)) if deep else None
    except (ValueError, TypeError, lxml_html.etree.LxmlError):
        tree = None
    if tree is None:
        return lambda: html
    return lambda: copy.deepcopy(tree)
