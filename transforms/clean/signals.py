"""Line signals from the vocabularies: known whole-line shapes, teaser lists, menu runs, comment headers.

Each shape describes a line a site template produces (an ad label, a share bar, a cookie notice),
matched against the whole lower-cased line, never a phrase inside prose. They are features of the
learned cleaner and the decisions of the rule-only fallback.
"""
from __future__ import annotations

import itertools
import re

from transforms.clean.lines import Lines, line_key
from transforms.clean.shapes import ShapeMatcher
from transforms.constants import LINE_PATTERNS
from transforms.options import CleanOptions

SHAPE_ORDER = ("widget", "advertisement", "newsletter", "share", "cookie", "date_line", "comment_header", "caption")
# a caption: a credit or photo label before its text, or a photo's credit closing it ("... at the Capitol on
# Friday. (J. Scott Applewhite/AP)", "(Reuters)", "(File)")
CAPTIONS = (
    r".{0,300}\b(?:credit|photo|photograph|picture|image|illustration|composite|foto|bild)\s*(?:\.\.\.|…|:)\s*\S.{0,80}",
    r".{0,300}\((?:[^()/]{2,60}/)?(?:ap|afp|reuters|getty images|afp via getty images|epa|epa-efe|bloomberg|"
    r"xinhua|anadolu(?: agency)?|dpa|ansa|aap|pa (?:images|media|wire)|sipa|nurphoto|shutterstock|"
    r"(?:the )?associated press|handout|file)(?: photo)?\)\.?",
)
# A credit alone on its line ("Photograph: Jane Doe/Reuters", "Foto: sidm / DW", "photo: iStock"): never kept on
# a dev page (82 such lines), where a caption's text may be; removed whatever the model says
CREDIT_LINE = re.compile(r"(?:photograph|photo|picture|pic|image|illustration|composite|credit|foto|bild)s?"
                         r"(?: credit)?\s*:\s*[^.!?]{2,80}")
CREDIT_MAX_WORDS = 12


def credit_line(lower: str) -> bool:
    """A photo credit alone on its (lower-cased) line."""
    return lower.count(" ") < CREDIT_MAX_WORDS and CREDIT_LINE.fullmatch(lower) is not None
SHAPE_MAX_CHARS = 400  # no boilerplate shape is longer (the caption shape, the longest, stops near 390)
# Every whole-line shape, tried in order; the first that matches names the signal.
SHAPES = ShapeMatcher([(n, p) for n in SHAPE_ORDER[:-1] for p in getattr(LINE_PATTERNS, n)]
                     + [("caption", p) for p in CAPTIONS])
TEASER_MARKER = ShapeMatcher([("teaser_marker", p) for p in LINE_PATTERNS.teaser_marker])
TEASER_LINK = ShapeMatcher([("teaser_link", p) for p in LINE_PATTERNS.teaser_link])


def teaser_links(lower: list[str]) -> list[bool]:
    """Lines that link another story by its headline ("Read more: ..."): removed whatever the model says,
    like a site's template lines (not a model feature: the dev pages hold four)."""
    return [bool(s) for s in TEASER_LINK.page(lower, SHAPE_MAX_CHARS)]
COMMENTS_START = ShapeMatcher([("comments_start", p) for p in LINE_PATTERNS.comments_start])
_BULLET = re.compile(r"^[-–—•*·▪►>]\s")


def line_signals(lines: Lines, template: frozenset[int]) -> list[str | None]:
    """For each line, the name of the known boilerplate shape it has as a whole, if any; lines of the
    site's template (recurring on its other pages) are "site_template"."""
    shapes = SHAPES.page(lines.lower, SHAPE_MAX_CHARS)
    if template:
        return ["site_template" if line_key(t) in template else shape
                for t, shape in zip(lines.text, shapes, strict=False)]
    return shapes


def menu_runs(lines: Lines, prose: list[bool], opts: CleanOptions) -> list[bool]:
    """Lines in a run of `menu_run_lines` or more consecutive short, non-prose lines."""
    short = [not p and w <= opts.short_line_words for p, w in zip(prose, lines.words, strict=False)]
    flags = [False] * len(short)
    i = 0
    for is_short, run in itertools.groupby(short):
        n = sum(1 for _ in run)
        if is_short and n >= opts.menu_run_lines:
            flags[i:i + n] = [True] * n
        i += n
    return flags


def teaser_runs(lines: Lines, prose: list[bool]) -> list[bool]:
    """A teaser marker ("Latest news", "Read also") and the list under it, up to the next paragraph, or
    on through its stories' headlines and summaries when two or more follow ("More from Business" /
    "Bank of England holds rates" / "The Bank kept rates unchanged on Thursday." / "Oil prices climb" / ...)."""
    flags = [False] * len(prose)
    # a heading, never a sentence
    markers = TEASER_MARKER.page([low if not p else "" for low, p in zip(lines.lower, prose, strict=False)])
    for i in itertools.compress(range(len(prose)), markers):
        if not flags[i]:
            flags[i] = True
            j = i + 1
            while j < len(prose) and (not prose[j] or _BULLET.match(lines.text[j])):
                flags[j] = True
                j += 1
            if j - 1 > i and _headline(lines, prose, j - 1):
                end = _summaries(lines, prose, j)
                flags[j:end] = [True] * (end - j)
    return flags


def _headline(lines: Lines, prose: list[bool], i: int) -> bool:
    """A teaser's headline: three words or more, no sentence, no heading's colon."""
    return not prose[i] and lines.words[i] >= 3 and not lines.text[i].endswith(":")


def _summaries(lines: Lines, prose: list[bool], j: int) -> int:
    """Where the pairs of summary and headline from line j (a paragraph under a headline) end: each summary one
    paragraph, then a headline and the next summary; j itself when fewer than two summaries come so (an
    article's paragraph after a box of links is followed by another paragraph, or an ad's label)."""
    n, k, summaries = len(prose), j, 0
    while k < n and prose[k] and (k + 1 == n or not prose[k + 1]):
        summaries += 1
        if k + 2 < n and _headline(lines, prose, k + 1) and prose[k + 2]:
            k += 2
        else:
            k += 1
            break
    return k if summaries >= 2 else j


def comment_headers(lines: Lines) -> list[bool]:
    """Lines that open a readers' comment section ("3 comments", "Leave a reply")."""
    return [bool(s) for s in COMMENTS_START.page(lines.lower)]
