"""Title, author, source name and date line, read off the lines around the article; their lines are marked."""
from __future__ import annotations

import re

from transforms.clean.lines import Lines
from transforms.clean.shapes import lines_holding
from transforms.clean.signals import TEASER_MARKER
from transforms.constants import BYLINE_RE
from transforms.meta.metadata import parse_published
from transforms.options import CleanOptions

_TITLE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—:]\s+(?P<site>[^-|–—]{2,40})$")
_NAME_LINE = re.compile(r"^[A-Z][\w.&'’]*(?:\s+[A-Z][\w.&'’]*){0,3}$")
_NON_WORD = re.compile(r"\W+")
# the publication date's own line, in English and the open web's other languages
_PUBLISHED = re.compile(r"(first )?(published|posted|veröffentlicht|publié|publicado|pubblicato|opublikowano|"
                        r"gepubliceerd)\b\D{0,20}\d")
# a date line that gives when the article was updated only: its date when the page gives no other
_UPDATED = re.compile(r"(last )?(updated|aktualisiert|mis à jour|modifié|actualizado|aggiornato|bijgewerkt)\b"
                      r"\D{0,20}\d")
# the author a date line names: "Posted on June 12, 2024 by Mark Allen | 4 Comments"
_DATED_BY = re.compile(r"\b(?i:by)\s+([A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|al|bin)){0,4})")
# "Home › News › World", "Startseite / Politik / Ausland": three short parts or more between separators
_BREADCRUMBS = re.compile(r"[^\s›»>|/→]+(?: [^\s›»>|/→]+){0,2}(?:\s*[›»>|/→]\s*[^\s›»>|/→]+(?: [^\s›»>|/→]+){0,2}){2,}")


def page_metadata(lines: Lines, start: int, end: int, signals: list, reasons: list, opts: CleanOptions,
                  title_hint: str | None, signature: bool = True) -> dict:
    """Title, author, source name and date line of a page whose article spans lines [start, end);
    sets the reason of the lines they came from ("title", "byline", "signature"). signature: a name
    on the line after the article is its source ("Reuters"), as on a page of text."""
    texts = lines.text
    meta: dict = {"title": None, "author": None, "source_name": None, "published": None}
    t = find_title(lines, start if start > 0 else 1, signals, opts)
    if t is None and 0 < start < end - 1:  # nothing title-like above: the article's own first line, if it is one
        t = find_title(lines, start + 1, signals, opts)
    if title_hint:
        meta["title"] = title_hint
        headline, site = title_parts(texts[t]) if t is not None else ("", None)
        if site and len(title_hint.split()) >= 4 and _norm(headline.lower()) == _norm(title_hint.lower()):
            meta["source_name"] = site  # the title line names the site after a headline ("Site - Section" no)
    elif t is not None:
        meta["title"], meta["source_name"] = title_parts(texts[t])
    key = _norm(meta["title"].lower()) if meta["title"] else ""
    if key:
        longest = 2 * len(meta["title"]) + 60  # the title again, perhaps with a site name after it
        for i in lines_holding("\n".join(lines.lower[:end]), [key.split(" ", 1)[0]]):
            if len(key) <= len(texts[i]) <= longest and _norm(title_parts(texts[i])[0].lower()) == key:
                reasons[i] = "title"
    byline_rest = ""  # what a byline gives after the name: "By Jane Doe · May 17, 2024 · 4 min read"
    for i in range(max(0, (t or 0)), min(end, start + 3)):
        m = BYLINE_RE.fullmatch(texts[i])
        if m and not texts[i].endswith("."):
            meta["author"], byline_rest = m.group(1).strip(), texts[i][m.end(1):]
            reasons[i] = "byline"
            break
    # the date lines between the title and the article; around the title when it opens the article
    above = t + 1 if t is not None and t < start else 0
    first = next((i for i in range(start + 1, end) if reasons[i] is None), start) if t == start else start
    dated = [i for i in range(above, first) if signals[i] == "date_line"
             or signals[i] == "widget" and (_PUBLISHED.match(lines.lower[i]) or _UPDATED.match(lines.lower[i]))]
    if dated:  # "Published 2 November 2023, 10:14 GMT" before a bare date line, either before "Updated ..."
        meta["published"] = texts[min(dated, key=lambda i: (not _PUBLISHED.match(lines.lower[i]),
                                                           bool(_UPDATED.match(lines.lower[i])), i))]
        by = next((m for i in dated if (m := _DATED_BY.search(texts[i]))), None) if meta["author"] is None else None
        if by is not None:
            meta["author"] = by.group(1)
    if meta["published"] is None and parse_published(byline_rest) is not None:
        meta["published"] = byline_rest.strip(" ,|–—·•-")
    if signature and end < len(texts) and _NAME_LINE.match(texts[end]) and not signals[end] \
            and not TEASER_MARKER(lines.lower[end]):
        meta["source_name"] = texts[end]
        reasons[end] = "signature"
    return meta


_NOT_TITLE_END = ".,;:。，、；：．"  # a sentence's or a clause's end, in Latin and CJK punctuation


def find_title(lines: Lines, before: int, signals: list, opts: CleanOptions) -> int | None:
    """The first title-like line above the article; a line that reads as a menu of sections only when no other
    title-like line follows it ("Home World Politics Business Sport" above the headline)."""
    menu = None
    for i in range(min(before, len(lines.text))):
        text = lines.text[i]
        if signals[i] or TEASER_MARKER(lines.lower[i]) or _BREADCRUMBS.fullmatch(text):
            continue
        title_sized = 3 <= lines.words[i] <= opts.max_title_words or (lines.cjk[i] and len(text) >= 8)
        if title_sized and text[-1] not in _NOT_TITLE_END:
            if menu is None and _SECTIONS.fullmatch(text) and not _TITLE_CASE_WORD.search(text):
                menu = i
                continue
            return i
    return menu


# Five or more capitalised words and nothing else: a menu of sections, or a headline in title case, which has a
# function word among five ("Floods Kill 40 In Pakistan As Rains Intensify")
_SECTIONS = re.compile(r"[A-Z][\w&'’-]*(?: (?:[A-Z][\w'’-]*|&)){4,}")
_TITLE_CASE_WORD = re.compile(r"\b(?:A|An|The|In|On|At|Of|For|To|As|By|With|From|Into|Over|After|And|Or|But|Is|Are|"
                              r"Was|Were|Be|Has|Have|Will|Can|Not|No|Its|His|Her|Their|Who|What|How|Why|Says?)\b")


def title_parts(text: str) -> tuple[str, str | None]:
    """Split "Headline - Site Name" into the headline and the site name."""
    m = _TITLE_SUFFIX.match(text)
    if m and len(m.group("site").split()) <= 5:
        return m.group("title"), m.group("site")
    return text, None


def _norm(lower: str) -> str:
    """Lower-cased text as its words, one space apart: how a title is compared."""
    return _NON_WORD.sub(" ", lower).strip()
