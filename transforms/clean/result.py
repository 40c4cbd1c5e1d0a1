"""What the cleaner returns: the body, the page's metadata, and every removed run of lines with its reason."""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field


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


def assemble(texts: list[str], reasons: list[str | None], meta: dict) -> Cleaned:
    """The body (kept lines, a blank line apart) and the removed runs (consecutive lines with one reason)."""
    kept = [t for t, r in zip(texts, reasons, strict=False) if r is None]
    removed = [Removed("\n".join(text for text, _ in group), reason) for reason, group in
               itertools.groupby(((t, r) for t, r in zip(texts, reasons, strict=False) if r is not None),
                                 key=operator.itemgetter(1))]
    return Cleaned(body="\n\n".join(kept), removed=removed, **meta)
