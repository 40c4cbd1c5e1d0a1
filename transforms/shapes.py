"""Whole-line shapes, matched fast: many patterns, one answer (the first in order that matches).

Shapes are written in lower case and matched, case-sensitively, against the lower-cased line: the
line is lower-cased once, and Python's re matches plain literals about twice as fast as
case-insensitive ones. Python's re also tries every alternative of a combined pattern at the start
of a line, and a pattern led by a wildcard (".{0,120}cookie...") at every position of it. The
matcher reads the parsed patterns (with the stdlib's own parser) so that a line meets only the
patterns that can match it:
  * by first character: a pattern is tried on lines starting with a character its matches can
    start with (patterns whose first character is not a short list are tried on every line);
  * a wildcard-led pattern is tried only on lines holding one of its needles, the literal
    words that follow the wildcard.
It answers exactly as one combined pattern would, except that a wildcard-led shape is tried after
the others.
"""
from __future__ import annotations

import bisect
import itertools
import re
import re._parser as _sre

_SMALL_RANGE = 64  # a character class wider than this counts as "any character"


def first_chars(pattern: str) -> frozenset[str] | None:
    """Characters (or "\\digit", "\\word", "\\space") a non-empty match can start with; None: any."""
    first, _ = _sequence(list(_sre.parse(pattern)))
    return frozenset(first) if first is not None else None


def upper_case_literals(pattern: str) -> set[str]:
    """The characters a pattern names that lower-casing changes: a shape holding one can never
    match a lower-cased line."""
    out: set[str] = set()

    def walk(items) -> None:
        for op, av in items:
            if op in (_sre.LITERAL, _sre.NOT_LITERAL):
                out.update(c for c in [chr(av)] if c.lower() != c)
            elif op is _sre.IN:
                for kind, value in av:
                    if kind is _sre.LITERAL:
                        out.update(c for c in [chr(value)] if c.lower() != c)
                    elif kind is _sre.RANGE:
                        out.update(chr(c) for c in range(value[0], value[1] + 1) if chr(c).lower() != chr(c))
            elif op is _sre.SUBPATTERN:
                walk(av[-1])
            elif op is _sre.BRANCH:
                for alternative in av[1]:
                    walk(alternative)
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
                walk(av[1])

    walk(_sre.parse(pattern))
    return out


def _sequence(items) -> tuple[set[str] | None, bool]:
    """(first characters, can match empty) of a sequence of parsed items."""
    out: set[str] = set()
    for op, av in items:
        first, nullable = _item(op, av)
        if first is None:
            return None, False
        out |= first
        if not nullable:
            return out, False
    return out, True


# Categories a class can hold, by the test Python's re applies to a character.
_CATEGORIES = {_sre.CATEGORY_DIGIT: "digit", _sre.CATEGORY_WORD: "word", _sre.CATEGORY_SPACE: "space"}


def char_class(ch: str) -> str:
    """The category a character belongs to, as \\d, \\w and \\s see it (digits are also word characters)."""
    if ch.isdecimal():
        return "digit"
    if ch.isalnum() or ch == "_":
        return "word"
    return "space" if ch.isspace() else "other"


def _item(op, av) -> tuple[set[str] | None, bool]:
    if op is _sre.AT:
        return set(), True
    if op is _sre.LITERAL:
        return {chr(av)}, False
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < _SMALL_RANGE:
                chars |= {chr(c) for c in range(value[0], value[1] + 1)}
            elif kind is _sre.CATEGORY and value in _CATEGORIES:
                chars.add("\\" + _CATEGORIES[value])
            else:  # a negation, a wide range, another category
                return None, False
        return chars, False
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1])
    if op is _sre.BRANCH:
        out, nullable = set(), False
        for alternative in av[1]:
            first, empty = _sequence(alternative)
            if first is None:
                return None, False
            out, nullable = out | first, nullable or empty
        return out, nullable
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        first, empty = _sequence(av[2])
        return (first, empty or av[0] == 0) if first is not None else (None, False)
    return None, False  # any character, a negated literal


def _can_start(first: frozenset[str] | None, ch: str | None, kind: str) -> bool:
    """Whether a match with these first characters can start with a character of this class
    (and, when ch is given, that character)."""
    return first is None or ch in first or any(
        c.startswith("\\") and (c[1:] == kind or c[1:] == "word" and kind == "digit") for c in first)


def needles(pattern: str) -> tuple[str, ...] | None:
    """For a ".{0,N}(a|b...)..." pattern: strings one of which a matching line contains.

    The literal start of each alternative after the leading wildcard; None when the pattern does
    not have that form.
    """
    items = list(_sre.parse(pattern))
    if not items or not (items[0][0] is _sre.MAX_REPEAT and items[0][1][2][0][0] is _sre.ANY):
        return None
    while items and (items[0][0] is _sre.AT or items[0][0] is _sre.MAX_REPEAT and items[0][1][2][0][0] is _sre.ANY):
        items.pop(0)
    if not items:
        return None
    body = list(items[0][1][-1]) if items[0][0] is _sre.SUBPATTERN else items
    alternatives = body[0][1][1] if body[0][0] is _sre.BRANCH else [body]
    out = []
    for alternative in alternatives:
        literal = "".join(chr(av) for _, av in itertools.takewhile(lambda it: it[0] is _sre.LITERAL, alternative))
        if not literal:
            return None
        out.append(literal)
    return tuple(out)


class ShapeMatcher:
    """The name of the first (name, pattern) shape that matches a whole lower-cased line."""

    def __init__(self, shapes: list[tuple[str, str]]):
        anchored, floating, self._needles, self._names = [], [], [], {}
        for i, (name, pattern) in enumerate(shapes):
            upper = upper_case_literals(pattern)
            if upper:
                raise ValueError(f"shape {name} {pattern!r} names {''.join(sorted(upper))!r}: write shapes in lower case")
            group = f"g{i}"
            self._names[group] = name
            found = needles(pattern)
            if found:
                floating.append(f"(?P<{group}>{pattern})")
                self._needles += found
            else:
                anchored.append((f"(?P<{group}>{pattern})", first_chars(pattern)))
        starts = {c for _, f in anchored if f is not None for c in f if not c.startswith("\\")}
        self._by_first = {ch: self._compile([g for g, f in anchored if _can_start(f, ch, char_class(ch))])
                          for ch in starts}
        self._by_class = {kind: self._compile([g for g, f in anchored if _can_start(f, None, kind)])
                          for kind in ("digit", "word", "space", "other")}
        self._floating = self._compile(floating)
        self._for_char: dict[str, re.Pattern | None] = {}  # first character of a line -> its pattern

    @staticmethod
    def _compile(groups: list[str]) -> re.Pattern | None:
        return re.compile("|".join(groups)) if groups else None

    def __call__(self, lower: str) -> str | None:
        """The shape of one lower-cased line."""
        return self._match(lower, self._floating is not None and any(n in lower for n in self._needles))

    def page(self, lower: list[str]) -> list[str | None]:
        """The shape of every lower-cased line of a page (no newline inside a line): the needles
        looked for once in the whole page rather than line by line."""
        with_needle = self._lines_with_needle(lower) if self._floating is not None else ()
        return [self._match(text, i in with_needle) for i, text in enumerate(lower)]

    def _match(self, text: str, try_floating: bool) -> str | None:
        if not text:
            return None
        try:
            anchored = self._for_char[text[0]]
        except KeyError:
            first = text[0]
            anchored = self._by_first[first] if first in self._by_first else self._by_class[char_class(first)]
            self._for_char[first] = anchored
        m = anchored.fullmatch(text) if anchored is not None else None
        if m is None and try_floating:
            m = self._floating.fullmatch(text)
        return self._names[m.lastgroup] if m else None

    def _lines_with_needle(self, texts: list[str]) -> set[int]:
        page = "\n".join(texts)
        starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))  # where each line starts
        found: set[int] = set()
        for needle in self._needles:
            at = page.find(needle)
            while at >= 0:
                line = bisect.bisect_right(starts, at) - 1
                found.add(line)
                at = page.find(needle, starts[line + 1])
        return found
