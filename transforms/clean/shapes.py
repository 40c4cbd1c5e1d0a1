"""Whole-line shapes, matched fast: many patterns, one answer (the first in order that matches).

Shapes are written in lower case and matched, case-sensitively, against the lower-cased line: the
line is lower-cased once, and Python's re matches plain literals about twice as fast as
case-insensitive ones. Python's re also tries every alternative of a combined pattern at the start
of a line, and a pattern led by a wildcard (".{0,120}cookie...") at every position of it. The
matcher reads the parsed patterns (with the stdlib's own parser) so that a line meets only the
patterns that can match it:
  * by first character: a pattern is tried on lines starting with a character its matches can
    start with (patterns whose first character is not a short list are tried on every line);
  * a pattern whose first character can be anything or any of a class (a wildcard-led
    ".{0,120}cookie...", a "[\\w.]{2,40} said" comment header) is tried only on lines holding one
    of its needles, literal strings one of which every match contains; the needles are looked
    for once in the whole page.
It answers exactly as one combined pattern of all the shapes, in their order, would.
"""
from __future__ import annotations

import itertools
import re
import re._parser as _sre
import sys

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
        out: set[str] = set()
        nullable = False
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
    """Strings one of which every match of the pattern contains; None when none can be read off.

    Each part the pattern cannot match without (a run of literals, a group or alternation whose
    every alternative starts with literals) offers a set; the set whose shortest string is the
    longest is taken, with no string that holds another ("cookie policy" goes with "cookie").
    """
    best: tuple[str, ...] | None = None
    for found in _mandatory_literals(list(_sre.parse(pattern))):
        if best is None or min(map(len, found)) > min(map(len, best)):
            best = found
    if best is None:
        return None
    return _shortest(best)


def _shortest(strings) -> tuple[str, ...]:
    """The strings but those holding another: a text holds one of them iff it holds one of all."""
    return tuple(n for n in dict.fromkeys(strings) if not any(o != n and o in n for o in strings))


def _mandatory_literals(items) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    run = ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append((run,))
            run = ""
        if op is _sre.BRANCH or op is _sre.SUBPATTERN or op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            body = [(op, av)] if op is _sre.BRANCH else av[-1] if op is _sre.SUBPATTERN else av[2]
            starts = _literal_starts(list(body))
            if starts:
                out.append(starts)
    if run:
        out.append((run,))
    return out


def _literal_starts(items) -> tuple[str, ...] | None:
    """The literal strings every match of a sequence starts with, one per alternative; None if some
    alternative does not start with a literal."""
    if len(items) == 1 and items[0][0] is _sre.BRANCH:
        starts = [_literal_starts(list(alternative)) for alternative in items[0][1][1]]
        if any(s is None for s in starts):
            return None
        return tuple(x for s in starts if s is not None for x in s)
    if items and items[0][0] is _sre.SUBPATTERN and not any(op is _sre.LITERAL for op, _ in items[:1]):
        inner = _literal_starts(list(items[0][1][-1]))
        if inner is not None:
            return inner
    literal = "".join(chr(av) for _, av in itertools.takewhile(lambda it: it[0] is _sre.LITERAL, items))
    return (literal,) if literal else None


_MIN_NEEDLE = 4  # a shorter needle is in too many lines to be worth looking for


def _gated(first: frozenset[str] | None, found: tuple[str, ...] | None) -> bool:
    """Whether a shape is tried only on lines holding one of its needles: when its first character
    does not narrow the lines it can match (a wildcard, a class such as \\w) and its needles do."""
    if found is None:
        return False
    return first is None or any(c.startswith("\\") for c in first) and min(map(len, found)) >= _MIN_NEEDLE


class ShapeMatcher:
    """The name of the first (name, pattern) shape that matches a whole lower-cased line."""

    def __init__(self, shapes: list[tuple[str, str]]):
        entries: list[tuple[str, frozenset[str] | None, bool]] = []
        self._needles: list[str] = []
        self._names: dict[str, str] = {}
        for i, (name, pattern) in enumerate(shapes):
            upper = upper_case_literals(pattern)
            if upper:
                upper_chars = "".join(sorted(upper))
                raise ValueError(f"shape {name} {pattern!r} names {upper_chars!r}: write shapes in lower case")
            self._names[f"g{i}"] = name
            first, found = first_chars(pattern), needles(pattern)
            gated = _gated(first, found)
            if gated and found:
                self._needles += found
            entries.append((f"(?P<g{i}>{pattern})", first, gated))
        # For a line's first character (or its class) and whether the line holds a needle: the
        # shapes it can match, in their order, as one pattern.
        def shapes_for(ch: str | None, kind: str, held: bool) -> re.Pattern | None:
            return self._compile([g for g, f, gated in entries if (held or not gated) and _can_start(f, ch, kind)])

        self._needles = list(_shortest(self._needles))
        starts = {c for _, f, _ in entries if f is not None for c in f if not c.startswith("\\")}
        self._by_first = {(ch, held): shapes_for(ch, char_class(ch), held) for ch in starts for held in (False, True)}
        self._by_class = {(kind, held): shapes_for(None, kind, held)
                          for kind in ("digit", "word", "space", "other") for held in (False, True)}
        self._for_char: tuple[dict, dict] = ({}, {})  # per held: first character of a line -> its pattern

    @staticmethod
    def _compile(groups: list[str]) -> re.Pattern | None:
        return re.compile("|".join(groups)) if groups else None

    def __call__(self, lower: str) -> str | None:
        """The shape of one lower-cased line."""
        return self._match(lower, any(n in lower for n in self._needles))

    def page(self, lower: list[str], max_chars: int = sys.maxsize) -> list[str | None]:
        """The shape of every lower-cased line of a page (no newline inside a line), None for lines
        longer than max_chars: the needles looked for once in the whole page, not line by line."""
        held = lines_holding("\n".join(lower), self._needles) if self._needles else ()
        match = self._match
        return [match(text, i in held) if text and len(text) <= max_chars else None for i, text in enumerate(lower)]

    def _match(self, text: str, held: bool) -> str | None:
        if not text:
            return None
        cache = self._for_char[held]
        try:
            pattern = cache[text[0]]
        except KeyError:
            key = (text[0], held)
            pattern = cache[text[0]] = self._by_first[key] if key in self._by_first \
                else self._by_class[(char_class(text[0]), held)]
        m = pattern.fullmatch(text) if pattern is not None else None
        return self._names[m.lastgroup] if m else None


def lines_holding(page: str, needles: list[str]) -> set[int]:
    """The numbers of the lines of a page (its lines joined by newlines) that hold one of the needles."""
    found: set[int] = set()
    for needle in needles:
        line, counted = 0, 0
        at = page.find(needle)
        while at >= 0:
            line += page.count("\n", counted, at)
            counted = at
            found.add(line)
            end = page.find("\n", at)
            at = page.find(needle, end + 1) if end >= 0 else -1
    return found
