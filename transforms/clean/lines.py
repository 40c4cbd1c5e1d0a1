"""A page as lines: the non-blank lines, stripped, with the facts every cleaning signal reads."""
from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from transforms.constants import CLOSERS, SENTENCE_END
from transforms.options import CleanOptions

_ELLIPSES = ("...", "…")
_INNER_TRUNCATION = re.compile(r"\w(\.\.\.|…)\s+[A-Z]")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ODD_SPACE = re.compile(r"[^\S \n]")  # white space but a space or a line break


class Lines(NamedTuple):
    """The non-blank lines of a page and what every signal reads of them, as parallel lists (a list
    per fact is three times cheaper to build than an object per line). `block` numbers the runs of
    lines between blank lines: a renderer puts a blank line between blocks (paragraphs, lists), so
    the items of a menu share a block and paragraphs do not."""

    text: list[str]
    lower: list[str]
    words: list[int]
    cjk: list[bool]
    block: list[int]


def split_lines(text: str) -> Lines:
    """The non-blank lines of a page, runs of white space made one space."""
    raw = text.split("\n")
    if _ODD_SPACE.search(text) is None and "  " not in text and " \n" not in text and "\n " not in text \
            and text[:1] != " " and text[-1:] != " ":  # already one space between words (most pages): split only
        texts, words, block = [], [], []
        b = 0
        for line in raw:
            if line:
                texts.append(line)
                block.append(b)
            elif texts and block[-1] == b:
                b += 1
        words = [line.count(" ") + 1 for line in texts]
    else:
        texts, words, block = [], [], []
        b = 0
        for parts in map(str.split, raw):
            if parts:
                texts.append(" ".join(parts))
                words.append(len(parts))
                block.append(b)
            elif texts and block[-1] == b:
                b += 1
    wide = not text.isascii() and _WIDE.search(text) is not None  # one search a page, none for ASCII
    return Lines(texts, list(map(str.lower, texts)), words,
                 [is_cjk(t) for t in texts] if wide else [False] * len(texts), block)


def is_cjk(text: str) -> bool:
    """Text written mostly in scripts without spaces between words (CJK, Hangul)."""
    wide = _WIDE.subn("", text)[1]
    return wide > 0 and (wide > 0.3 * len(text) or wide > 0.3 * len(_NOT_LETTERS.sub("", text)))


def is_prose(text: str, opts: CleanOptions) -> bool:
    """A line that reads as running text: long enough, punctuated like sentences."""
    text = " ".join(text.split())
    return prose(text, text.count(" ") + 1, is_cjk(text), opts)


def prose(text: str, words: int, cjk: bool, opts: CleanOptions) -> bool:
    """is_prose for a line already split (its words counted, its script known)."""
    if cjk:
        return len(text) >= opts.prose_min_chars_cjk and (ends_sentence(text)
                                                          or len(text) >= 2 * opts.prose_min_chars_cjk)
    if words < opts.prose_min_words:
        return False
    if truncated(text):
        return False  # a teaser, or several teasers run together
    return ends_sentence(text) or len(text) >= 2 * opts.long_line_chars


def truncated(text: str) -> bool:
    """A line cut short ("..."), or several cut lines run together."""
    return text.endswith(_ELLIPSES) or ("..." in text or "…" in text) and len(_INNER_TRUNCATION.findall(text)) >= 2


def ends_sentence(text: str) -> bool:
    """The line ends like a sentence: terminal punctuation, perhaps inside quotes or brackets."""
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def line_key(text: str) -> int:
    """A stable 64-bit key of a line: template sets hold keys, not text (a tenth of the memory)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
