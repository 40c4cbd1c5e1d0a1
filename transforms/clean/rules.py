"""The rule-only cleaner, used when the learned model is absent: the contiguous region with the most prose.

Lines are scored by shape (prose counts its length, a known boilerplate shape or a menu run counts
against) and the main block is the max-sum segment of those scores (Kadane); readers' comments
after the article's prose end it.
"""
from __future__ import annotations

from transforms.clean.lines import Lines
from transforms.options import CleanOptions


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


def rule_reasons(lines: Lines, prose: list[bool], signals: list, menu: list[bool], comments: list[bool],
                 opts: CleanOptions) -> list[str | None]:
    """Why each line goes (None: it is kept): outside the main block, a menu run, a known shape, a teaser."""
    start, end = main_region(_scores(lines, prose, signals, menu, opts))
    end = _bridge(prose, signals, end, opts)
    end = _comments_cut(prose, comments, start, end, opts.comments_after_prose_lines)
    if start == end:  # no prose at all: keep nothing rather than a menu
        return ["no_main_text"] * len(lines.text)
    outside = [sig or ("menu_run" if m else "outside_main_block") for sig, m in zip(signals, menu, strict=False)]
    inside = [sig or ("teaser_item" if not p and t.endswith(("...", "…")) else None)
              for sig, p, t in zip(signals, prose, lines.text, strict=False)]
    return outside[:start] + inside[start:end] + outside[end:]


def _bridge(prose: list[bool], signals: list, end: int, opts: CleanOptions) -> int:
    """Carry the region's end over short lines (a table, a list, a sub-heading) to the prose after them.

    The max-sum segment ends where the short lines cost more than the prose after them weighs, so
    an article with a table in the middle lost its tail; a run of up to `bridge_lines` short lines
    that are no template shape (ads, sharing, cookies, teasers) does not end the article when prose
    follows it."""
    while True:
        j = end
        while j < len(prose) and j - end < opts.bridge_lines and not prose[j] \
                and signals[j] in (None, "widget", "date_line"):
            j += 1
        if j == end or j >= len(prose) or not prose[j]:
            return end
        while j < len(prose) and prose[j]:
            j += 1
        end = j


def _scores(lines: Lines, prose, signals, menu, opts: CleanOptions) -> list[float]:
    date_line, shape, short, other = -2.0 * opts.long_line_chars, -float(opts.long_line_chars), \
        -opts.long_line_chars / 2, -opts.long_line_chars / 4
    return [(date_line if sig == "date_line" else shape) if sig else
            float(len(text) * (2 if cjk else 1)) if p else short if m else other
            for text, cjk, p, sig, m in zip(lines.text, lines.cjk, prose, signals, menu, strict=False)]


def _comments_cut(prose: list[bool], comments: list[bool], start: int, end: int, after: int) -> int:
    """Readers' comments end the article: the region stops at a comments header after `after` prose lines."""
    seen = 0
    for i in range(start, end):
        if seen >= after and comments[i]:
            return i
        seen += prose[i]
    return end
