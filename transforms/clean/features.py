"""The features of every line of a page, the learned cleaner's input: shape, language, block, position, context.

Every feature holds across languages and site types: lengths, sentence punctuation, stop-word
density for the page's language (jusText's lists), list- and link-like shape, the blank-line block
a line sits in, its position, its neighbours, how often it repeats in the page, and the lexicon's
learned word scores (`lexicon.py`). Each feature belongs to a group, the signal a removal is
reported under.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from transforms.clean.lexicon import Lexicon
from transforms.clean.lines import Lines, ends_sentence, prose
from transforms.clean.signals import SHAPE_ORDER
from transforms.clean.stopwords import StopWords
from transforms.options import CleanOptions

_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-–—•*·▪►>»|]")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|html?)\b|@\w")
_SENTENCE_MARKS = re.compile(r"[.!?。！？]")
_PLAIN_PUNCTUATION = tuple(".,;:!?'\"()-")
_SEPARATORS = ("|", "»", "›", " / ")
_SHAPE_CODE = {name: i + 1 for i, name in enumerate(SHAPE_ORDER)}


class PageFacts(NamedTuple):
    """What the features read besides the lines: the page's stop words and rule signals."""

    stop_words: StopWords
    has_stop_list: bool
    signals: list          # known shape per line (signals.line_signals), None when none
    teaser_marker: list    # the line opens a teaser list ("Latest news")
    teaser_run: list       # the line is in a teaser list
    comments: list         # the line opens readers' comments
    rule_keep: list        # the rule-only cleaner keeps the line (the max-sum prose region)


# (feature name, group): the group names the signal a removal is reported under.
FEATURES: tuple[tuple[str, str], ...] = (
    ("log_chars", "short_line"), ("words", "short_line"), ("mean_word_chars", "short_line"),
    ("ends_sentence", "no_sentence"), ("sentence_marks", "no_sentence"), ("commas", "no_sentence"),
    ("digits", "symbols"), ("upper", "capitalised"), ("title_case", "capitalised"), ("symbols", "symbols"),
    ("bullet", "list_item"), ("separators", "link_list"), ("colon_end", "heading"), ("truncated", "teaser"),
    ("url_like", "link_list"), ("stop_density", "few_stop_words"), ("stop_count", "few_stop_words"),
    ("has_stop_list", "few_stop_words"), ("cjk", "short_line"), ("shape", "shape"), ("teaser_marker", "teaser"),
    ("teaser_run", "teaser"), ("comments", "comments"), ("prose", "no_sentence"),
    ("rule_keep", "outside_main_block"),
    ("block_lines", "link_list"), ("block_log_chars", "link_list"), ("block_stop_density", "few_stop_words"),
    ("block_prose", "link_list"), ("block_ends_sentence", "link_list"), ("line_in_block", "link_list"),
    ("rel_position", "position"), ("rel_char_position", "position"), ("log_from_start", "position"),
    ("log_from_end", "position"),
    ("prev_log_chars", "neighbours"), ("next_log_chars", "neighbours"), ("prev2_log_chars", "neighbours"),
    ("next2_log_chars", "neighbours"), ("prev_stop_density", "neighbours"), ("next_stop_density", "neighbours"),
    ("prev_ends_sentence", "neighbours"), ("next_ends_sentence", "neighbours"), ("prev_prose", "neighbours"),
    ("next_prose", "neighbours"), ("window3_log_chars", "neighbours"), ("window3_stop_density", "neighbours"),
    ("window3_prose", "neighbours"), ("window8_prose", "neighbours"), ("window8_log_chars", "neighbours"),
    ("lines_to_prose_above", "far_from_text"), ("lines_to_prose_below", "far_from_text"),
    ("prose_mass_before", "position"), ("prose_mass_after", "position"),
    ("page_log_lines", "page"), ("page_prose", "page"), ("page_log_chars", "page"),
    ("relative_log_chars", "short_line"),
    ("repeats_in_page", "repeated"), ("prefix_repeats", "repeated"), ("short_run", "link_list"),
    ("block_position", "position"), ("page_log_blocks", "page"), ("title_overlap", "heading"),
    ("window2_max_stop_density", "neighbours"), ("window5_ends_sentence", "neighbours"),
    ("lexicon_sum", "vocabulary"), ("lexicon_mean", "vocabulary"), ("lexicon_min", "vocabulary"),
    ("lexicon_known", "vocabulary"), ("lexicon_window1", "vocabulary"), ("lexicon_window3", "vocabulary"),
    ("lexicon_window8", "vocabulary"), ("lexicon_prev", "vocabulary"), ("lexicon_next", "vocabulary"),
    ("lexicon_page", "vocabulary"),
)
NAMES = tuple(name for name, _ in FEATURES)
LEXICON_COLUMNS = [i for i, name in enumerate(NAMES) if name.startswith("lexicon_")]
GROUPS = tuple(group for _, group in FEATURES)
_FAR = 50.0  # "no prose line within this many lines"


def line_features(lines: Lines, facts: PageFacts, lexicon: Lexicon | None, opts: CleanOptions) -> np.ndarray:
    """The feature matrix of a page: one row per line, one column per FEATURES entry."""
    n = len(lines.text)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    cols = {**_line_shape(lines, facts, opts), **_lexicon_columns(lines, lexicon)}
    cols.update(_blocks(lines, cols))
    cols.update(_position(lines, cols))
    cols.update(_context(cols, n))
    return np.column_stack([cols[name] for name in NAMES])


@lru_cache(maxsize=1)
def _char_classes() -> np.ndarray:
    """For each code point of the Basic Multilingual Plane: bit 1 a letter, 2 upper case, 4 a digit (as
    str.isalpha, isupper and isdigit say), 8 a space or plain punctuation."""
    chars = list(map(chr, range(0x10000)))
    plain = set(_PLAIN_PUNCTUATION) | {" "}
    flags = [np.fromiter(map(test, chars), dtype=np.uint8, count=len(chars))
             for test in (str.isalpha, str.isupper, str.isdigit, plain.__contains__)]
    return flags[0] | flags[1] << 1 | flags[2] << 2 | flags[3] << 3


def _char_counts(texts: list[str]) -> np.ndarray:
    """Per line (a row): its letters, upper-case letters, digits, spaces and plain punctuation, and its words
    that start upper case, counted over the page's code points at once (lines hold single spaces only)."""
    joined = "\n".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _char_classes()[np.minimum(points, 0xFFFF)]
    for i in np.flatnonzero(points > 0xFFFF).tolist():  # beyond the BMP (emoji, rare scripts): one by one
        c = joined[i]
        classes[i] = c.isalpha() | c.isupper() << 1 | c.isdigit() << 2
    word_start = np.empty(len(points), dtype=bool)
    word_start[0] = True
    word_start[1:] = (points[:-1] == 32) | (points[:-1] == 10)
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    bits = np.stack([classes & 1, classes >> 1 & 1, classes >> 2 & 1, classes >> 3 & 1,
                     (classes >> 1 & 1) * word_start], axis=1).astype(np.int64)
    return np.add.reduceat(bits, starts, axis=0)


def _line_shape(lines: Lines, facts: PageFacts, opts: CleanOptions) -> dict[str, np.ndarray]:
    """Features of each line alone."""
    line_tokens = [_WORD.findall(low) for low in lines.lower]
    rows = []
    stop_counts = facts.stop_words.count(line_tokens)
    counts = _char_counts(lines.text).tolist()
    for text, low, tokens, stop_count, words, cjk, sig, (letters, upper, digits, plain, titled) in zip(
            lines.text, lines.lower, line_tokens, stop_counts, lines.words, lines.cjk, facts.signals, counts,
            strict=False):
        chars = len(text)
        symbols = chars - letters - digits - plain
        rows.append((
            chars, words, chars / max(words, 1), ends_sentence(text),
            len(_SENTENCE_MARKS.findall(text)) / max(words, 1),
            text.count(",") / max(words, 1), digits / max(chars, 1), upper / max(letters, 1),
            titled / max(words, 1), symbols / max(chars, 1),
            bool(_BULLET.match(text)), sum(text.count(s) for s in _SEPARATORS), text.endswith(":"),
            text.endswith(("...", "…")), bool(_URLISH.search(low)), stop_count / max(len(tokens), 1), stop_count,
            cjk, _SHAPE_CODE.get(sig, 0) if sig else 0, not sig and prose(text, words, cjk, opts), len(tokens),
        ))
    a = np.array(rows, dtype=float)
    log_chars = np.log1p(a[:, 0])
    return {
        "log_chars": log_chars, "words": a[:, 1], "mean_word_chars": a[:, 2], "ends_sentence": a[:, 3],
        "sentence_marks": a[:, 4], "commas": a[:, 5], "digits": a[:, 6], "upper": a[:, 7], "title_case": a[:, 8],
        "symbols": a[:, 9], "bullet": a[:, 10], "separators": a[:, 11], "colon_end": a[:, 12], "truncated": a[:, 13],
        "url_like": a[:, 14], "stop_density": a[:, 15], "stop_count": a[:, 16],
        "has_stop_list": np.full(len(a), float(facts.has_stop_list)), "cjk": a[:, 17], "shape": a[:, 18],
        "prose": a[:, 19], "teaser_marker": np.array(facts.teaser_marker, dtype=float),
        "teaser_run": np.array(facts.teaser_run, dtype=float), "comments": np.array(facts.comments, dtype=float),
        "rule_keep": np.array(facts.rule_keep, dtype=float),
        "_chars": a[:, 0], "_tokens": np.maximum(a[:, 20], 1),
    }


def lexicon_features(lines: Lines, lexicon: Lexicon | None) -> np.ndarray:
    """The LEXICON_COLUMNS of line_features alone (training swaps lexicons without recomputing the rest)."""
    cols = _lexicon_columns(lines, lexicon)
    return np.column_stack([cols[NAMES[i]] for i in LEXICON_COLUMNS])


def _lexicon_columns(lines: Lines, lexicon: Lexicon | None) -> dict[str, np.ndarray]:
    """The lexicon's word scores per line (sum, mean, lowest, words known), and over neighbours."""
    n = len(lines.text)
    scores = lexicon.line_scores(lines.lower) if lexicon is not None else np.zeros((n, 4))
    mean = scores[:, 1]
    return {"lexicon_sum": scores[:, 0], "lexicon_mean": mean, "lexicon_min": scores[:, 2],
            "lexicon_known": scores[:, 3], "lexicon_window1": _window_mean(mean, 1),
            "lexicon_window3": _window_mean(mean, 3), "lexicon_window8": _window_mean(mean, 8),
            "lexicon_prev": _shift(mean, 1), "lexicon_next": _shift(mean, -1),
            "lexicon_page": np.full(n, mean.mean())}


def _blocks(lines: Lines, cols: dict) -> dict[str, np.ndarray]:
    """Features of the blank-line block each line sits in."""
    block = np.asarray(lines.block)
    count = int(block.max()) + 1
    size = np.bincount(block, minlength=count).astype(float)
    chars = np.bincount(block, weights=cols["_chars"], minlength=count)
    stops = np.bincount(block, weights=cols["stop_count"], minlength=count) / np.maximum(
        np.bincount(block, weights=cols["_tokens"], minlength=count), 1)
    prose_share = np.bincount(block, weights=cols["prose"], minlength=count) / size
    ends = np.bincount(block, weights=cols["ends_sentence"], minlength=count) / size
    first = np.searchsorted(block, block)  # index of each block's first line (blocks are in order)
    return {"block_lines": size[block], "block_log_chars": np.log1p(chars[block]), "block_stop_density": stops[block],
            "block_prose": prose_share[block], "block_ends_sentence": ends[block],
            "line_in_block": np.arange(len(block)) - first, "block_position": block / max(1, count - 1),
            "page_log_blocks": np.full(len(block), np.log1p(count))}


def _position(lines: Lines, cols: dict) -> dict[str, np.ndarray]:
    """Where a line is: in the page, relative to the prose, among repeated lines."""
    n = len(lines.text)
    index = np.arange(n, dtype=float)
    chars, is_prose = cols["_chars"], cols["prose"]
    prose_chars = chars * is_prose
    total = max(1.0, prose_chars.sum())
    counts = Counter(lines.lower)
    prefixes = [" ".join(low.split()[:2]) for low in lines.lower]
    prefix_counts = Counter(prefixes)
    title_words = set(_WORD.findall(lines.lower[0]))
    short = np.asarray(lines.words) <= 5
    run = np.zeros(n)
    i = 0
    while i < n:  # the length of the run of short lines each short line is in
        j = i
        while j < n and short[j]:
            j += 1
        run[i:j] = np.log1p(j - i)
        i = max(j, i + 1)
    return {
        "rel_position": index / max(1, n - 1), "rel_char_position": (np.cumsum(chars) - chars) / max(1.0, chars.sum()),
        "log_from_start": np.log1p(index), "log_from_end": np.log1p(n - 1 - index),
        "lines_to_prose_above": _distance_to(is_prose, forward=True),
        "lines_to_prose_below": _distance_to(is_prose, forward=False),
        "prose_mass_before": (np.cumsum(prose_chars) - prose_chars) / total,
        "prose_mass_after": (total - np.cumsum(prose_chars)) / total,
        "page_log_lines": np.full(n, np.log1p(n)), "page_prose": np.full(n, is_prose.mean()),
        "page_log_chars": np.full(n, cols["log_chars"].mean()),
        "relative_log_chars": cols["log_chars"] - cols["log_chars"].mean(),
        "repeats_in_page": np.log([counts[low] for low in lines.lower]),
        "prefix_repeats": np.log([prefix_counts[p] for p in prefixes]), "short_run": run,
        "title_overlap": np.array([len(set(_WORD.findall(low)) & title_words) / max(1, len(set(_WORD.findall(low))))
                                   for low in lines.lower]),
    }


def _context(cols: dict, n: int) -> dict[str, np.ndarray]:
    """The neighbours' features: the lines before and after, and windows around."""
    log_chars, stops, ends, is_prose = cols["log_chars"], cols["stop_density"], cols["ends_sentence"], cols["prose"]
    return {
        "prev_log_chars": _shift(log_chars, 1), "next_log_chars": _shift(log_chars, -1),
        "prev2_log_chars": _shift(log_chars, 2), "next2_log_chars": _shift(log_chars, -2),
        "prev_stop_density": _shift(stops, 1), "next_stop_density": _shift(stops, -1),
        "prev_ends_sentence": _shift(ends, 1), "next_ends_sentence": _shift(ends, -1),
        "prev_prose": _shift(is_prose, 1), "next_prose": _shift(is_prose, -1),
        "window3_log_chars": _window_mean(log_chars, 3), "window3_stop_density": _window_mean(stops, 3),
        "window3_prose": _window_mean(is_prose, 3), "window8_prose": _window_mean(is_prose, 8),
        "window8_log_chars": _window_mean(log_chars, 8), "window2_max_stop_density": _window_max(stops, 2),
        "window5_ends_sentence": _window_mean(ends, 5),
    }


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """a moved k places down (k > 0: each line sees the one k above), zeros where there is none."""
    out = np.zeros(len(a))
    if k > 0 and len(a) > k:
        out[k:] = a[:-k]
    elif k < 0 and len(a) > -k:
        out[:k] = a[-k:]
    return out


def _window_mean(a: np.ndarray, w: int) -> np.ndarray:
    """The mean of a over each line's window of w lines either side."""
    n = len(a)
    sums = np.concatenate([[0.0], np.cumsum(a)])
    index = np.arange(n)
    lo, hi = np.clip(index - w, 0, n), np.clip(index + w + 1, 0, n)
    return (sums[hi] - sums[lo]) / (hi - lo)


def _window_max(a: np.ndarray, w: int) -> np.ndarray:
    """The largest value of a in each line's window of w lines either side."""
    padded = np.concatenate([np.full(w, -np.inf), a, np.full(w, -np.inf)])
    return np.max(np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1), axis=1)


def _distance_to(flags: np.ndarray, forward: bool) -> np.ndarray:
    """Lines from each line to the nearest flagged line above (forward) or below it, capped at _FAR."""
    n = len(flags)
    out = np.full(n, _FAR)
    last = -1
    order = range(n) if forward else range(n - 1, -1, -1)
    for i in order:
        if last >= 0:
            out[i] = min(_FAR, abs(i - last))
        if flags[i]:
            last = i
    return out
