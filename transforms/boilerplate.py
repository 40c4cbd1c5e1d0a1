"""Boilerplate removal for page text: keep the article, say why every other line went.

Signals, combined per line and then per region:
  * shape: length, sentence punctuation, share of capitalised words, truncation ("...");
  * known line shapes (constants.LinePatterns): ads, widgets, share and newsletter blocks;
  * structure: runs of short lines (menus), teaser lists after a marker ("Latest news");
  * the main block: the contiguous region with the most prose (a max-sum segment);
  * the site template: lines that recur across articles of one source in a batch.
"""
from __future__ import annotations

import hashlib
import itertools
import operator
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from transforms.constants import BYLINE_RE, CLOSERS, LINE_PATTERNS, LINE_RES, SENTENCE_END
from transforms.options import DEFAULT, CleanOptions
from transforms.shapes import ShapeMatcher

_PATTERN_ORDER = ("widget", "advertisement", "newsletter", "share", "cookie", "date_line", "comment_header")
_ELLIPSES = ("...", "…")
_CAPTION = r".{0,300}\b(?:credit|photo|image|foto|bild)\s*(?:\.\.\.|…|:)\s*\S.{0,80}"
_SHAPE_MAX_CHARS = 400  # no boilerplate shape is longer (the caption shape, the longest, stops near 390)
# Every whole-line shape, tried in order; the first that matches names the signal.
_SHAPES = ShapeMatcher([(n, p) for n in _PATTERN_ORDER for p in getattr(LINE_PATTERNS, n)] + [("caption", _CAPTION)])
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—:]\s+(?P<site>[^-|–—]{2,40})$")
_NAME_LINE = re.compile(r"^[A-Z][\w.&'’]*(?:\s+[A-Z][\w.&'’]*){0,3}$")
_INNER_TRUNCATION = re.compile(r"\w(\.\.\.|…)\s+[A-Z]")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_LETTER = re.compile(r"[^\W\d_]")
_BULLET = re.compile(r"^[-–—•*·▪►>]\s")


class Line(NamedTuple):
    """One non-blank line of the page, stripped, with its position and the facts every signal reads."""

    idx: int
    text: str
    starts_paragraph: bool
    words: int
    cjk: bool


@dataclass(frozen=True)
class Removed:
    """A run of removed lines and the signal that removed them."""

    text: str
    reason: str


@dataclass
class Cleaned:
    """What the cleaner keeps and what it learned about the page."""

    body: str
    title: str | None = None
    author: str | None = None
    source_name: str | None = None
    published: str | None = None
    removed: list[Removed] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, each marked when a blank line precedes it."""
    out, blank = [], True
    wide = not text.isascii() and _WIDE.search(text) is not None  # one search a page, none for ASCII
    for raw in text.split("\n"):
        words = raw.split()
        if not words:
            blank = True
            continue
        stripped = " ".join(words)
        out.append(Line(len(out), stripped, blank, len(words), wide and is_cjk(stripped)))
        blank = False
    return out


def is_cjk(text: str) -> bool:
    """Text written mostly in scripts without spaces between words (CJK, Hangul)."""
    if not _WIDE.search(text):
        return False
    return len(_WIDE.findall(text)) > 0.3 * len(_LETTER.findall(text))


def is_prose(text: str, opts: CleanOptions) -> bool:
    """A line that reads as running text: long enough, punctuated like sentences."""
    text = " ".join(text.split())
    return _prose(text, text.count(" ") + 1, is_cjk(text), opts)


def _prose(text: str, words: int, cjk: bool, opts: CleanOptions) -> bool:
    if cjk:
        return len(text) >= opts.prose_min_chars_cjk and (ends_sentence(text) or len(text) >= 2 * opts.prose_min_chars_cjk)
    if words < opts.prose_min_words:
        return False
    if text.endswith(_ELLIPSES) or ("..." in text or "…" in text) and len(_INNER_TRUNCATION.findall(text)) >= 2:
        return False  # a teaser, or several teasers run together
    return ends_sentence(text) or len(text) >= 2 * opts.long_line_chars


def ends_sentence(text: str) -> bool:
    """The line ends like a sentence: terminal punctuation, perhaps inside quotes or brackets."""
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _capitalised_share(words: list[str]) -> float:
    return sum(1 for w in words if w[:1].isupper()) / len(words)


def line_key(text: str) -> int:
    """A stable 64-bit key of a line: template sets hold keys, not text (a tenth of the memory)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def line_signals(texts: list[str], template: frozenset[int]) -> list[str | None]:
    """For each line, the name of the known boilerplate shape it has as a whole, if any."""
    shapes = _SHAPES.page([t if len(t) <= _SHAPE_MAX_CHARS else "" for t in texts])
    if template:
        return ["site_template" if line_key(t) in template else shape for t, shape in zip(texts, shapes)]
    return shapes


def main_region(scores: list[float]) -> tuple[int, int]:
    """The contiguous [start, end) range with the highest total score (Kadane)."""
    best, best_range, run, run_start = 0.0, (0, 0), 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_start = 0.0, i
        run += s
        if run > best:
            best, best_range = run, (run_start, i + 1)
    return best_range


def _menu_runs(lines: list[Line], prose: list[bool], opts: CleanOptions) -> list[bool]:
    """Lines in a run of `menu_run_lines` or more consecutive short, non-prose lines."""
    flags, i = [False] * len(lines), 0
    while i < len(lines):
        j = i
        while j < len(lines) and not prose[j] and lines[j].words <= opts.short_line_words:
            j += 1
        if j - i >= opts.menu_run_lines:
            flags[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return flags


def _teaser_runs(lines: list[Line], prose: list[bool]) -> list[bool]:
    """A teaser marker ("Latest news", "Read also") and the list under it, up to the next paragraph."""
    flags = [False] * len(lines)
    for i, line in enumerate(lines):  # a marker is a heading, never a sentence
        if not flags[i] and not prose[i] and LINE_RES["teaser_marker"].fullmatch(line.text):
            flags[i] = True
            j = i + 1
            while j < len(lines) and (not prose[j] or _BULLET.match(lines[j].text)):
                flags[j] = True
                j += 1
    return flags


def _scores(lines, prose, signals, menu, opts: CleanOptions) -> list[float]:
    out = []
    for line, p, sig, m in zip(lines, prose, signals, menu):
        if sig == "date_line":  # a dated line inside a block marks a list of dated items, not an article
            out.append(-2.0 * opts.long_line_chars)
        elif sig:
            out.append(-float(opts.long_line_chars))
        elif p:
            out.append(float(len(line.text) * (2 if line.cjk else 1)))
        elif m:
            out.append(-opts.long_line_chars / 2)
        else:
            out.append(-opts.long_line_chars / 4)
    return out


def _comments_cut(lines: list[Line], prose: list[bool], start: int, end: int) -> int:
    """Readers' comments end the article: the region stops at a comments header after its prose."""
    seen = 0
    for i in range(start, end):
        if seen >= 2 and LINE_RES["comments_start"].fullmatch(lines[i].text):
            return i
        seen += prose[i]
    return end


def _find_title(lines: list[Line], before: int, signals, opts: CleanOptions) -> int | None:
    """The first title-like line above the main region."""
    for i in range(min(before, len(lines))):
        text = lines[i].text
        words = text.split()
        if signals[i] or LINE_RES["teaser_marker"].fullmatch(text):
            continue
        if (3 <= len(words) <= opts.max_title_words or (is_cjk(text) and len(text) >= 8)) and text[-1] not in ".,;:":
            return i
    return None


def _title_parts(text: str) -> tuple[str, str | None]:
    """Split "Headline - Site Name" into the headline and the site name."""
    m = _TITLE_SUFFIX.match(text)
    if m and len(m.group("site").split()) <= 5:
        return m.group("title"), m.group("site")
    return text, None


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def clean_text(text: str, opts: CleanOptions = DEFAULT.clean, template: frozenset[int] = frozenset(),
               title_hint: str | None = None, keep_region: bool = False) -> Cleaned:
    """Split a page's text into the article body and labelled boilerplate.

    keep_region: the text is already the main block (a DOM extractor found it); only line signals apply.
    """
    lines = split_lines(text)
    if not lines:
        return Cleaned(body="")
    signals = line_signals([line.text for line in lines], template)
    prose = [not sig and _prose(line.text, line.words, line.cjk, opts) for line, sig in zip(lines, signals)]
    menu = _menu_runs(lines, prose, opts)
    teaser = _teaser_runs(lines, prose)
    signals = [sig or ("teaser_list" if t else None) for sig, t in zip(signals, teaser)]
    start, end = (0, len(lines)) if keep_region else main_region(_scores(lines, prose, signals, menu, opts))
    end = _comments_cut(lines, prose, start, end)
    if start == end:  # no prose at all: keep nothing rather than a menu
        return Cleaned(body="", removed=_merge([(ln.text, "no_main_text") for ln in lines]))
    reasons: list[str | None] = [None] * len(lines)
    for i, line in enumerate(lines):
        if i < start or i >= end:
            reasons[i] = signals[i] or ("menu_run" if menu[i] else "outside_main_block")
        elif signals[i]:
            reasons[i] = signals[i]
        elif line.text.endswith(_ELLIPSES) and not prose[i]:
            reasons[i] = "teaser_item"
    meta = _metadata(lines, start, end, signals, reasons, opts, title_hint)
    kept = [ln.text for ln, r in zip(lines, reasons) if r is None]
    removed = _merge([(ln.text, r) for ln, r in zip(lines, reasons) if r is not None])
    return Cleaned(body="\n\n".join(kept), removed=removed, **meta)


def _metadata(lines, start, end, signals, reasons, opts, title_hint) -> dict:
    """Title, author, source name and date line; marks the lines they came from."""
    meta: dict = {"title": None, "author": None, "source_name": None, "published": None}
    t = _find_title(lines, start if start > 0 else 1, signals, opts)
    if title_hint:
        meta["title"] = title_hint
    elif t is not None:
        meta["title"], meta["source_name"] = _title_parts(lines[t].text)
    if meta["title"]:
        key = _norm(meta["title"])
        longest = 2 * len(meta["title"]) + 60  # the title again, perhaps with a site name after it
        for i, line in enumerate(lines[: end]):
            if key and len(key) <= len(line.text) <= longest and _norm(_title_parts(line.text)[0]) == key:
                reasons[i] = "title"
    for i in range(max(0, (t or 0)), min(end, start + 3)):
        m = BYLINE_RE.fullmatch(lines[i].text)
        if m and not lines[i].text.endswith("."):
            meta["author"] = m.group(1).strip()
            reasons[i] = "byline"
            break
    for i in range((t or -1) + 1, start):
        if signals[i] == "date_line":
            meta["published"] = lines[i].text
            break
    if end < len(lines) and _NAME_LINE.match(lines[end].text) and not signals[end] \
            and not LINE_RES["teaser_marker"].fullmatch(lines[end].text):
        meta["source_name"] = lines[end].text
        reasons[end] = "signature"
    return meta


def _merge(items: list[tuple[str, str]]) -> list[Removed]:
    """Consecutive removed lines with the same reason become one segment."""
    return [Removed("\n".join(text for text, _ in group), reason)
            for reason, group in itertools.groupby(items, key=operator.itemgetter(1))]


class TemplateCounter:
    """Lines that recur across pages of one source (that site's template), counted page by page.

    Only the first `template_sample` pages are counted, so memory stays bounded however many
    articles a source has: a site's template shows on every page, a sample finds it. A page's
    distinct lines are kept as an array of 8-byte keys (line_key) and counted at the end.
    """

    def __init__(self, opts: CleanOptions = DEFAULT.clean):
        self.opts, self.pages, self._keys = opts, 0, []

    def add(self, page: str) -> None:
        if self.pages < self.opts.template_sample:
            self.pages += 1
            self._keys.append(np.fromiter({line_key(ln.text) for ln in split_lines(page)}, dtype=np.uint64))

    def lines(self) -> frozenset[int]:
        """The keys of the template lines."""
        if self.pages < self.opts.template_min_articles:
            return frozenset()
        need = max(self.opts.template_min_articles, self.opts.template_min_share * self.pages)
        keys, counts = np.unique(np.concatenate(self._keys), return_counts=True)
        return frozenset(int(k) for k in keys[counts >= need])


def template_lines(pages: list[str], opts: CleanOptions = DEFAULT.clean) -> frozenset[int]:
    """The keys of the template lines of a list of pages of one source."""
    counter = TemplateCounter(opts)
    for page in pages:
        counter.add(page)
    return counter.lines()
