import codecs

import pytest

from transforms.meta.decode import DecodeError, decode_bytes, repair_mojibake, web_codec

TEXT = "Über 3.000 Soldaten – “quoted” café\nsecond line"

# Ordinary sentences in the languages each legacy code page serves.
LEGACY = [
    ("Café résumé: the São Paulo office reopened on Monday, officials said.", "latin-1", "windows-1252"),
    ("Café owners in Paris said that more than 300 cafés closed this year.", "latin-1", "windows-1252"),
    ("\u201cWe lost \u20ac2 million this year,\u201d the owner said on Tuesday.", "cp1252", "windows-1252"),
    ("Die Regierung hat am Montag neue Maßnahmen für Bürger beschlossen. Größere Änderungen folgen.", "cp1252",
     "windows-1252"),
    ("El gobierno anunció el lunes nuevas medidas económicas. Año difícil para España.", "latin-1", "windows-1252"),
    ("Zażółć gęślą jaźń. Polski rząd ogłosił w poniedziałek nowe przepisy dotyczące podatków.", "iso-8859-2",
     "iso-8859-2"),
    ("Vláda v pondělí schválila nové zákony. Příliš žluťoučký kůň úpěl ďábelské ódy.", "iso-8859-2", "iso-8859-2"),
    ("Vláda v pondělí schválila nové zákony. Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250", "windows-1250"),
    ("Правительство в понедельник объявило о новых мерах поддержки экономики.", "cp1251", "windows-1251"),
    ("東京都は月曜日、新たな対策を発表した。経済への影響が懸念されている。", "shift_jis", "cp932"),
    ("北京市政府周一宣布了新的措施，以应对经济放缓。当局表示，这些措施将在下月生效。", "gb18030", "gb18030"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "cp1252"])
def test_encodings_are_detected(encoding):
    data = TEXT.encode(encoding, errors="replace") if encoding != "cp1252" else TEXT.encode("cp1252")
    text, _, _ = decode_bytes(data)
    assert "Soldaten" in text and "second line" in text


@pytest.mark.parametrize("text,encoding,expected", LEGACY)
def test_undeclared_legacy_text_is_read_without_mojibake(text, encoding, expected):
    decoded = decode_bytes((text + "\n").encode(encoding))
    assert decoded.text == text + "\n"
    assert (decoded.encoding, decoded.source) == (expected, "detected")


@pytest.mark.parametrize("text,encoding,_", LEGACY)
def test_declared_encoding_wins_in_html(text, encoding, _):
    page = f'<html><head><meta charset="{encoding}"><title>t</title></head><body><p>{text}</p></body></html>'
    decoded = decode_bytes(page.encode(encoding), markup=True)
    assert text in decoded.text and decoded.source == "declared"
    http_equiv = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}"><p>{text}</p>'
    assert text in decode_bytes(http_equiv.encode(encoding), markup=True).text


def test_declared_latin1_means_windows_1252_as_in_browsers():
    assert web_codec("ISO-8859-1") == "cp1252" and web_codec("latin1") == "cp1252"
    assert web_codec("gb2312") == "gb18030" and web_codec("no-such-charset") is None
    page = '<meta charset="iso-8859-1"><p>\u201cQuoted\u201d \u20ac5</p>'.encode("cp1252")
    assert "\u201cQuoted\u201d \u20ac5" in decode_bytes(page, markup=True).text


def test_a_declaration_outside_markup_is_not_taken_from_the_text():
    # a JSONL line or a text page that quotes a meta tag is not declaring its own encoding
    data = 'He wrote <meta charset="koi8-r"> on the slide; “Café” was the title.'.encode()
    assert decode_bytes(data).text.endswith("“Café” was the title.")


def test_mojibake_is_repaired_and_recorded():
    data = "Café résumé in São Paulo, the mayor said on Monday.".encode().decode("cp1252").encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.text == "Café résumé in São Paulo, the mayor said on Monday."
    assert decoded.source == "utf-8+ftfy"
    assert repair_mojibake("Plain text stays as it is: café, naïve, 25 °C.") == (
        "Plain text stays as it is: café, naïve, 25 °C.", False)


def test_a_lying_declaration_is_repaired():
    page = '<meta charset="iso-8859-1"><p>São Paulo mayor resigns after 3 years in office.</p>'.encode()
    assert "São Paulo" in decode_bytes(page, markup=True).text


def test_bom_and_crlf():
    text, enc, source = decode_bytes(codecs.BOM_UTF8 + b"line one\r\nline two\r\n")
    assert text == "line one\nline two\n" and (enc, source) == ("utf-8", "bom")


def test_a_stray_nul_byte_in_a_text_is_dropped_not_taken_for_binary():
    text = "The ministry said on Tuesday that 1,200 soldiers moved to the border region overnight. " * 3
    data = text.replace("ministry", "min\x00istry", 1).encode()
    assert decode_bytes(data).text == text


def test_bytes_of_every_value_are_binary_whatever_code_page_could_decode_them():
    with pytest.raises(DecodeError, match="binary content"):  # 1 NUL in 256 bytes, but 27 control bytes
        decode_bytes(bytes(range(256)) * 16)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
                                  bytes(range(32)) * 50])
def test_binary_is_refused(data):
    with pytest.raises(DecodeError):
        decode_bytes(data)
