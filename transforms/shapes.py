"""Whole-line shapes, matched fast: many patterns, one answer (the first in order that matches).

Python's re tries every alternative of a combined pattern at the start of a line, and a pattern
led by a wildcard (".{0,120}cookie...") at every position of it. The matcher reads the parsed
patterns (with the stdlib's own parser) so that a line meets only the patterns that can match it:
  * by first character: a pattern is tried on lines starting with a character its matches can
    start with (patterns whose first character is not a short list are tried on every line);
  * a wildcard-led pattern is tried only on lines holding one of its needles, the literal
    words that follow the wildcard.
It answers exactly as one combined pattern would, except that a wildcard-led shape is tried after
the others.
"""
from __future__ import annotations

import _sre as _sre_c
import bisect
import itertools
import re
import re._casefix as _casefix
import re._parser as _sre

_SMALL_RANGE = 64  # a character class wider than this counts as "any character"


def fold(ch: str) -> str:
    """The key of a character under re.IGNORECASE, by re's own rule: 'K', 'K' (Kelvin) and 'k' share
    one, and so do 'i', 'ı' and 'İ'."""
    low = _sre_c.unicode_tolower(ord(ch))
    return chr(min((low, *_casefix._EXTRA_CASES.get(low, ()))))


def first_chars(pattern: str) -> frozenset[str] | None:
    """Folded characters (or "\\digit", "\\word", "\\space") a non-empty match can start with; None: any."""
    first, _ = _sequence(list(_sre.parse(pattern, re.IGNORECASE)))
    return frozenset(first) if first is not None else None


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
        return {fold(chr(av))}, False
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(fold(chr(value)))
            elif kind is _sre.RANGE and value[1] - value[0] < _SMALL_RANGE:
                chars |= {fold(chr(c)) for c in range(value[0], value[1] + 1)}
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
    (and, when ch is given, that folded character)."""
    return first is None or ch in first or any(
        c.startswith("\\") and (c[1:] == kind or c[1:] == "word" and kind == "digit") for c in first)


def needles(pattern: str) -> tuple[str, ...] | None:
    """For a ".{0,N}(a|b...)..." pattern: lower-cased strings one of which a matching line contains.

    The literal start of each alternative after the leading wildcard; None when the pattern does
    not have that form.
    """
    items = list(_sre.parse(pattern, re.IGNORECASE))
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
        out.append(literal.lower())
    return tuple(out)


class ShapeMatcher:
    """The name of the first (name, pattern) shape that matches a whole line, case-insensitively."""

    def __init__(self, shapes: list[tuple[str, str]]):
        anchored, floating, self._needles = [], [], []
        for i, (name, pattern) in enumerate(shapes):
            found = needles(pattern)
            group = f"(?P<{name}_{i}>{pattern})"
            if found:
                floating.append(group)
                self._needles += found
            else:
                anchored.append((group, first_chars(pattern)))
        starts = {c for _, f in anchored if f is not None for c in f if not c.startswith("\\")}
        self._by_first = {ch: self._compile([g for g, f in anchored if _can_start(f, ch, char_class(ch))])
                          for ch in starts}
        self._by_class = {kind: self._compile([g for g, f in anchored if _can_start(f, None, kind)])
                          for kind in ("digit", "word", "space", "other")}
        self._floating = self._compile(floating)
        self._for_char: dict[str, re.Pattern | None] = {}  # first character of a line -> its pattern

    @staticmethod
    def _compile(groups: list[str]) -> re.Pattern | None:
        return re.compile("|".join(groups), re.IGNORECASE) if groups else None

    def __call__(self, text: str) -> str | None:
        return self._match(text, self._floating is not None and self._has_needle(text.lower()))

    def page(self, texts: list[str]) -> list[str | None]:
        """The shape of every line of a page (no newline inside a line): the needles looked for
        once in the whole page rather than line by line."""
        with_needle = self._lines_with_needle(texts) if self._floating is not None else ()
        return [self._match(text, i in with_needle) for i, text in enumerate(texts)]

    def _match(self, text: str, try_floating: bool) -> str | None:
        if not text:
            return None
        try:
            anchored = self._for_char[text[0]]
        except KeyError:
            first = fold(text[0])
            anchored = self._by_first[first] if first in self._by_first else self._by_class[char_class(first)]
            self._for_char[text[0]] = anchored
        m = anchored.fullmatch(text) if anchored is not None else None
        if m is None and try_floating:
            m = self._floating.fullmatch(text)
        return m.lastgroup.rsplit("_", 1)[0] if m else None

    def _lines_with_needle(self, texts: list[str]) -> set[int]:
        lengths = [len(t) for t in texts]
        lowered = "\n".join(texts).lower()
        if len(lowered) != sum(lengths) + len(texts) - 1:  # lower() made some line longer ("İ")
            low = [t.lower() for t in texts]
            lowered, lengths = "\n".join(low), [len(t) for t in low]
        starts = list(itertools.accumulate((n + 1 for n in lengths), initial=0))  # where each line starts
        found: set[int] = set()
        for needle in self._needles:
            at = lowered.find(needle)
            while at >= 0:
                line = bisect.bisect_right(starts, at) - 1
                found.add(line)
                at = lowered.find(needle, starts[line + 1])
        return found

    def _has_needle(self, lower: str) -> bool:
        for needle in self._needles:
            if needle in lower:
                return True
        return False
