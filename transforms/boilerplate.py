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

from transforms.constants import BYLINE_RE, CLOSERS, LINE_PATTERNS, SENTENCE_END
from transforms.options import DEFAULT, CleanOptions
from transforms.shapes import ShapeMatcher, lines_holding

_PATTERN_ORDER = ("widget", "advertisement", "newsletter", "share", "cookie", "date_line", "comment_header")
_ELLIPSES = ("...", "…")
_CAPTION = r".{0,300}\b(?:credit|photo|image|foto|bild)\s*(?:\.\.\.|…|:)\s*\S.{0,80}"
_SHAPE_MAX_CHARS = 400  # no boilerplate shape is longer (the caption shape, the longest, stops near 390)
# Every whole-line shape, tried in order; the first that matches names the signal.
_SHAPES = ShapeMatcher([(n, p) for n in _PATTERN_ORDER for p in getattr(LINE_PATTERNS, n)] + [("caption", _CAPTION)])
_TEASER_MARKER = ShapeMatcher([("teaser_marker", p) for p in LINE_PATTERNS.teaser_marker])
_COMMENTS_START = ShapeMatcher([("comments_start", p) for p in LINE_PATTERNS.comments_start])
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—:]\s+(?P<site>[^-|–—]{2,40})$")
_NAME_LINE = re.compile(r"^[A-Z][\w.&'’]*(?:\s+[A-Z][\w.&'’]*){0,3}$")
_INNER_TRUNCATION = re.compile(r"\w(\.\.\.|…)\s+[A-Z]")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_BULLET = re.compile(r"^[-–—•*·▪►>]\s")
_NON_WORD = re.compile(r"\W+")
_ODD_SPACE = re.compile(r"[^\S \n]")  # white space but a space or a line break


class Lines(NamedTuple):
    """The non-blank lines of a page, stripped, and the facts every signal reads, as parallel lists
    (a list per fact is three times cheaper to build than an object per line)."""

    text: list[str]
    lower: list[str]
    words: list[int]
    cjk: list[bool]


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


def split_lines(text: str) -> Lines:
    """The non-blank lines of a page, runs of white space made one space."""
    if _ODD_SPACE.search(text) is None and "  " not in text and " \n" not in text and "\n " not in text \
            and text[:1] != " " and text[-1:] != " ":  # already one space between words (most pages): split only
        texts = [line for line in text.split("\n") if line]
        words = [line.count(" ") + 1 for line in texts]
    else:
        parts = [words for words in map(str.split, text.split("\n")) if words]
        texts = list(map(" ".join, parts))
        words = list(map(len, parts))
    wide = not text.isascii() and _WIDE.search(text) is not None  # one search a page, none for ASCII
    return Lines(texts, list(map(str.lower, texts)), words, [is_cjk(t) for t in texts] if wide else [False] * len(texts))


def is_cjk(text: str) -> bool:
    """Text written mostly in scripts without spaces between words (CJK, Hangul)."""
    wide = _WIDE.subn("", text)[1]
    return wide > 0 and (wide > 0.3 * len(text) or wide > 0.3 * len(_NOT_LETTERS.sub("", text)))


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


def line_key(text: str) -> int:
    """A stable 64-bit key of a line: template sets hold keys, not text (a tenth of the memory)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def line_signals(lines: Lines, template: frozenset[int]) -> list[str | None]:
    """For each line, the name of the known boilerplate shape it has as a whole, if any."""
    shapes = _SHAPES.page(lines.lower, _SHAPE_MAX_CHARS)
    if template:
        return ["site_template" if line_key(t) in template else shape for t, shape in zip(lines.text, shapes)]
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


def _menu_runs(lines: Lines, prose: list[bool], opts: CleanOptions) -> list[bool]:
    """Lines in a run of `menu_run_lines` or more consecutive short, non-prose lines."""
    short = [not p and w <= opts.short_line_words for p, w in zip(prose, lines.words)]
    flags = [False] * len(short)
    i = 0
    for is_short, run in itertools.groupby(short):
        n = sum(1 for _ in run)
        if is_short and n >= opts.menu_run_lines:
            flags[i:i + n] = [True] * n
        i += n
    return flags


def _teaser_runs(lines: Lines, prose: list[bool]) -> list[bool]:
    """A teaser marker ("Latest news", "Read also") and the list under it, up to the next paragraph."""
    flags = [False] * len(prose)
    markers = _TEASER_MARKER.page([low if not p else "" for low, p in zip(lines.lower, prose)])  # a heading, never a sentence
    for i in itertools.compress(range(len(prose)), markers):
        if not flags[i]:
            flags[i] = True
            j = i + 1
            while j < len(prose) and (not prose[j] or _BULLET.match(lines.text[j])):
                flags[j] = True
                j += 1
    return flags


def _scores(lines: Lines, prose, signals, menu, opts: CleanOptions) -> list[float]:
    date_line, shape, short, other = -2.0 * opts.long_line_chars, -float(opts.long_line_chars), \
        -opts.long_line_chars / 2, -opts.long_line_chars / 4
    return [(date_line if sig == "date_line" else shape) if sig else
            float(len(text) * (2 if cjk else 1)) if p else short if m else other
            for text, cjk, p, sig, m in zip(lines.text, lines.cjk, prose, signals, menu)]


def _comments_cut(lines: Lines, prose: list[bool], start: int, end: int) -> int:
    """Readers' comments end the article: the region stops at a comments header after its prose."""
    seen = 0
    for i, header in enumerate(_COMMENTS_START.page(lines.lower[start:end]), start):
        if seen >= 2 and header:
            return i
        seen += prose[i]
    return end


def _find_title(lines: Lines, before: int, signals, opts: CleanOptions) -> int | None:
    """The first title-like line above the main region."""
    for i in range(min(before, len(lines.text))):
        text = lines.text[i]
        if signals[i] or _TEASER_MARKER(lines.lower[i]):
            continue
        if (3 <= lines.words[i] <= opts.max_title_words or (lines.cjk[i] and len(text) >= 8)) and text[-1] not in ".,;:":
            return i
    return None


def _title_parts(text: str) -> tuple[str, str | None]:
    """Split "Headline - Site Name" into the headline and the site name."""
    m = _TITLE_SUFFIX.match(text)
    if m and len(m.group("site").split()) <= 5:
        return m.group("title"), m.group("site")
    return text, None


def _norm(lower: str) -> str:
    """Lower-cased text as its words, one space apart: how a title is compared."""
    return _NON_WORD.sub(" ", lower).strip()


def clean_text(text: str, opts: CleanOptions = DEFAULT.clean, template: frozenset[int] = frozenset(),
               title_hint: str | None = None, keep_region: bool = False) -> Cleaned:
    """Split a page's text into the article body and labelled boilerplate.

    keep_region: the text is already the main block (a DOM extractor found it); only line signals apply.
    """
    lines = split_lines(text)
    texts = lines.text
    if not texts:
        return Cleaned(body="")
    signals = line_signals(lines, template)
    prose = [not sig and (cjk or w >= opts.prose_min_words) and _prose(t, w, cjk, opts)  # most lines fail cheaply
             for t, w, cjk, sig in zip(texts, lines.words, lines.cjk, signals)]
    menu = _menu_runs(lines, prose, opts)
    teaser = _teaser_runs(lines, prose)
    signals = [sig or ("teaser_list" if t else None) for sig, t in zip(signals, teaser)]
    start, end = (0, len(texts)) if keep_region else main_region(_scores(lines, prose, signals, menu, opts))
    end = _comments_cut(lines, prose, start, end)
    if start == end:  # no prose at all: keep nothing rather than a menu
        return Cleaned(body="", removed=[Removed("\n".join(texts), "no_main_text")])
    reasons: list[str | None] = [sig or ("menu_run" if m else "outside_main_block")
                                 for sig, m in zip(signals[:start], menu[:start])]
    reasons += [sig or ("teaser_item" if not p and t.endswith(_ELLIPSES) else None)
                for sig, p, t in zip(signals[start:end], prose[start:end], texts[start:end])]
    reasons += [sig or ("menu_run" if m else "outside_main_block") for sig, m in zip(signals[end:], menu[end:])]
    meta = _metadata(lines, start, end, signals, reasons, opts, title_hint)
    kept = [t for t, r in zip(texts, reasons) if r is None]
    removed = _merge([(t, r) for t, r in zip(texts, reasons) if r is not None])
    return Cleaned(body="\n\n".join(kept), removed=removed, **meta)


def _metadata(lines: Lines, start, end, signals, reasons, opts, title_hint) -> dict:
    """Title, author, source name and date line; marks the lines they came from."""
    texts = lines.text
    meta: dict = {"title": None, "author": None, "source_name": None, "published": None}
    t = _find_title(lines, start if start > 0 else 1, signals, opts)
    if title_hint:
        meta["title"] = title_hint
    elif t is not None:
        meta["title"], meta["source_name"] = _title_parts(texts[t])
    key = _norm(meta["title"].lower()) if meta["title"] else ""
    if key:
        longest = 2 * len(meta["title"]) + 60  # the title again, perhaps with a site name after it
        for i in lines_holding("\n".join(lines.lower[:end]), [key.split(" ", 1)[0]]):
            if len(key) <= len(texts[i]) <= longest and _norm(_title_parts(texts[i])[0].lower()) == key:
                reasons[i] = "title"
    for i in range(max(0, (t or 0)), min(end, start + 3)):
        m = BYLINE_RE.fullmatch(texts[i])
        if m and not texts[i].endswith("."):
            meta["author"] = m.group(1).strip()
            reasons[i] = "byline"
            break
    for i in range((t or -1) + 1, start):
        if signals[i] == "date_line":
            meta["published"] = texts[i]
            break
    if end < len(texts) and _NAME_LINE.match(texts[end]) and not signals[end] and not _TEASER_MARKER(lines.lower[end]):
        meta["source_name"] = texts[end]
        reasons[end] = "signature"
    return meta


def _merge(items: list[tuple[str, str]]) -> list[Removed]:
    """Consecutive removed lines with the same reason become one segment."""
    return [Removed("\n".join([text for text, _ in group]), reason)
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
            self._keys.append(np.fromiter({line_key(t) for t in split_lines(page).text}, dtype=np.uint64))

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
