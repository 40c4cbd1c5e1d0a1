"""Bytes to text: encoding detected, not assumed; binary refused with a reason."""
from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(ValueError):
    """The bytes are not text a person wrote; the message says why."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) with line ends normalised; raise DecodeError for binary data."""
    encoding = _sniff(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"undecodable as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}") from None
    text = normalise_text(text)
    if _control_share(text) > 0.01:
        raise DecodeError("binary content (control characters in the decoded text)")
    return text, encoding


def _sniff(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if _looks_utf16(data):
        return "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
    if b"\x00" in data[:4096]:
        raise DecodeError("binary content (NUL bytes)")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 file

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise DecodeError("binary content (no text encoding fits)")
    return best.encoding


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    head = data[:2000]
    if len(head) < 4:
        return False
    evens, odds = head[0::2], head[1::2]
    return min(evens.count(0), odds.count(0)) == 0 and max(evens.count(0), odds.count(0)) > 0.4 * len(odds)


def normalise_text(text: str) -> str:
    """CRLF and CR to LF, NFC, no NULs or zero-width marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


# Unicode categories Cc (control, but not \t \n \v \f), Cs (surrogates) and Co (private use).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\r\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:100_000]
    return len(_CONTROL.findall(sample)) / len(sample)
