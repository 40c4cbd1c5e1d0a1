"""Bytes to text: every encoding signal in order, binary refused with a reason, mojibake repaired.

The order is the one browsers follow, then a check: a byte-order mark; an encoding the input
declares (a JSONL record's field, an HTML `<meta charset>` or `http-equiv`, an XML declaration),
read through the WHATWG labels (`latin1` means windows-1252); UTF-8 when the bytes are valid UTF-8;
else detection (charset-normalizer), which is trusted for multi-byte encodings but unsure among
single-byte code pages: there windows-1252, the web's default for undeclared pages, wins unless its
text is plainly messier than another's. Last, text that still reads as mojibake ("CafÃ©") is
repaired with ftfy.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from transforms.options import DEFAULT, DecodeOptions

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
                       re.IGNORECASE)
# Single-byte code pages tried when detection is unsure, windows-1252 first (the web's default).
_SINGLE_BYTE = ("cp1252", "iso8859-2", "cp1250", "iso8859-15", "cp1251", "koi8-r", "iso8859-7", "cp1253",
                "cp1254", "iso8859-9", "cp1257", "iso8859-13", "cp1256", "iso8859-6", "cp1255", "iso8859-8",
                "cp874")


class DecodeError(ValueError):
    """The bytes are not text a person wrote; the message says why."""


class Decoded(NamedTuple):
    """Text and how it was read: the codec, and which signal chose it (with "+ftfy" when repaired)."""

    text: str
    encoding: str
    source: str


def decode_bytes(data: bytes, declared: str | None = None, markup: bool = False,
                 opts: DecodeOptions = DEFAULT.decode) -> Decoded:
    """Text with line ends normalised. `declared`: an encoding the input names outside its bytes;
    `markup`: the bytes are an HTML or XML page, which may name its encoding inside."""
    encoding, source = _choose(data, declared, markup, opts)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"undecodable as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}") from None
    text, repaired = repair_mojibake(normalise_text(text))
    if _control_share(text) > opts.max_control_share:
        raise DecodeError("binary content (control characters in the decoded text)")
    return Decoded(text, codec_name(encoding), source + ("+ftfy" if repaired else ""))


# the bytes below 0x20 a text holds in any encoding this reads (tab, line ends, form feed; ESC for ISO-2022);
# the others (NUL first) in more than max_control_share of the prescan make the input binary
_TEXT_BYTES = bytes(range(32, 256)) + b"\t\n\v\f\r\x1b"


def _choose(data: bytes, declared: str | None, markup: bool, opts: DecodeOptions) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, "bom"
    if _looks_utf16(data, opts.utf16_nul_share):
        return ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"), "detected"
    head = data[:opts.prescan_bytes]
    if len(head.translate(None, _TEXT_BYTES)) > opts.max_control_share * len(head):
        raise DecodeError("binary content (NUL and control bytes)")  # a stray one in a text is dropped
    for label in (declared, declared_in_markup(data, opts.prescan_bytes) if markup else None):
        codec = web_codec(label)
        if codec is not None and _decodes(data, codec):
            return codec, "declared"
    if _decodes(data, "utf-8"):
        return "utf-8", "utf-8"
    return detect(data, opts), "detected"


def declared_in_markup(data: bytes, prescan_bytes: int = DEFAULT.decode.prescan_bytes) -> str | None:
    """The encoding an HTML `<meta>` or an XML declaration names near the start of the bytes."""
    m = _DECLARED.search(data[:prescan_bytes])
    return (m.group(1) or m.group(2)).decode("ascii", "replace") if m else None


def web_codec(label: str | None) -> str | None:
    """Python's codec for an encoding label as browsers read it (WHATWG): 'latin1' -> cp1252; None if unknown."""
    if not label:
        return None
    import webencodings

    found = webencodings.lookup(label.strip())
    if found is None:  # not a web label ("latin-1"): Python's name for it, read as a browser would
        try:
            name = codecs.lookup(label.strip()).name
        except LookupError:
            return None
        return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
    if found.name in ("replacement", "x-user-defined"):
        return None
    if found.name.startswith("utf-16"):
        return "utf-8"  # a page cannot declare UTF-16 in ASCII bytes; browsers read the declaration as UTF-8
    return "gb18030" if found.name == "gbk" else found.codec_info.name


def detect(data: bytes, opts: DecodeOptions = DEFAULT.decode) -> str:
    """The encoding of bytes that are not UTF-8 and declare none."""
    from charset_normalizer import from_bytes

    sample = data[:opts.detect_bytes]
    best = from_bytes(sample).best()
    if best is not None and _multibyte(best.encoding):
        return best.encoding
    choice = single_byte(sample, opts.mess_tolerance)
    if choice is None:
        raise DecodeError("binary content (no text encoding fits)")
    return choice


def single_byte(data: bytes, tolerance: float = DEFAULT.decode.mess_tolerance) -> str | None:
    """The single-byte code page whose text is least messy; windows-1252 on a near tie.

    On an exact tie between an ISO-8859 page and its Windows sibling (the text uses none of the
    bytes 0x80-0x9F, where the Windows pages put letters and ISO puts controls), the ISO page.
    """
    from charset_normalizer.md import mess_ratio

    mess = {}
    for codec in _SINGLE_BYTE:
        try:
            mess[codec] = mess_ratio(data.decode(codec), maximum_threshold=1.0)
        except UnicodeDecodeError:
            continue
    if not mess:
        return None
    least = min(mess.values())
    if mess.get("cp1252", 1.0) <= least + tolerance:
        return "cp1252"
    tied = [codec for codec in _SINGLE_BYTE if mess.get(codec, 1.0) <= least]
    if not re.search(rb"[\x80-\x9f]", data):
        tied.sort(key=lambda codec: not codec.startswith("iso"))
    return tied[0]


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Text decoded with the wrong code page somewhere upstream ("CafÃ©"), repaired; and whether it was.

    ftfy judges and repairs the lines that hold what UTF-8 read as windows-1252 or Latin-1 leaves
    behind (a lead byte's letter, "Ã", then a continuation byte's character, "©"); one regex pass
    finds them, so a clean page (nearly all) costs no ftfy call at all.
    """
    if text.isascii() or _MOJIBAKE_HINT.search(text) is None:
        return text, False
    import ftfy

    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if _MOJIBAKE_HINT.search(line):
            fixed = ftfy.fix_encoding(line)
            changed, lines[i] = changed or fixed != line, fixed
    return ("\n".join(lines), True) if changed else (text, False)


# A UTF-8 lead byte (0xC2-0xF4) read as windows-1252 or Latin-1, then a continuation byte (0x80-0xBF) read so.
_CONTINUATION = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d" \
                "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")


def codec_name(encoding: str) -> str:
    """A codec as people name it: 'cp1252' -> 'windows-1252', 'utf-8-sig' -> 'utf-8'."""
    name = codecs.lookup(encoding).name
    return {"utf-8-sig": "utf-8", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be"}.get(name) or \
        re.sub(r"^cp(125\d|874)$", r"windows-\1", re.sub(r"^iso8859-", "iso-8859-", name))


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _multibyte(codec: str) -> bool:
    """Whether a codec reads characters of several bytes (CJK and UTF encodings)."""
    name = codecs.lookup(codec).name
    return name.startswith(("utf", "cp93", "cp94", "cp95", "shift", "euc", "gb", "big5", "hz", "iso2022", "johab"))


def _looks_utf16(data: bytes, nul_share: float) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    head = data[:2000]
    if len(head) < 4:
        return False
    evens, odds = head[0::2], head[1::2]
    return min(evens.count(0), odds.count(0)) == 0 and max(evens.count(0), odds.count(0)) > nul_share * len(odds)


def normalise_text(text: str) -> str:
    """CRLF and CR to LF, NFC, no NULs or zero-width marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


# Unicode categories Cc (control, but not \t \n \v \f), Cs (surrogates) and Co (private use).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\r\ud800-\udfff\ue000-\uf8ff"
                      "\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:100_000]
    return len(_CONTROL.findall(sample)) / len(sample)
