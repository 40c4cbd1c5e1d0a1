import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes

TEXT = "Über 3.000 Soldaten – “quoted” café\nsecond line"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "cp1252"])
def test_encodings_are_detected(encoding):
    data = TEXT.encode(encoding, errors="replace") if encoding != "cp1252" else TEXT.encode("cp1252")
    text, _ = decode_bytes(data)
    assert "Soldaten" in text and "second line" in text


def test_bom_and_crlf():
    text, enc = decode_bytes(codecs.BOM_UTF8 + b"line one\r\nline two\r\n")
    assert text == "line one\nline two\n" and enc == "utf-8-sig"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, bytes(range(32)) * 50])
def test_binary_is_refused(data):
    with pytest.raises(DecodeError):
        decode_bytes(data)
