"""HTML extraction keeps pages that nest deeper than libxml2's default limit."""
from transforms.clean.html import _page, extract_html


def _legacy_page(paragraphs: int) -> str:
    """An old page's markup: every paragraph opens a <font> it never closes, so each nests in the one before."""
    return "<html><head><title>Troops</title></head><body>" + "".join(
        f"<p><font face=arial>Paragraph {i}: officials said the troops moved to the base near the city on "
        f"Monday, a spokesman for the ministry told reporters." for i in range(paragraphs)) + "</body></html>"


def test_a_page_nested_past_the_parsers_depth_limit_keeps_all_its_paragraphs():
    page = extract_html(_legacy_page(300))
    for text in (page.text, page.precise, page.recall, page.rendered):
        assert "Paragraph 0:" in text and "Paragraph 299:" in text  # 127 of 300 with the default parser


def test_a_page_within_the_limit_goes_to_the_extractors_as_text():
    html = _legacy_page(20)
    assert _page(html)() == html
    deep = _page(_legacy_page(300))
    assert deep() is not deep()  # a copy per extractor: trafilatura prunes the tree it is given
