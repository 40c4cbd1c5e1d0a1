"""HTML to main text with trafilatura (a proven DOM extractor); no network, no entity expansion."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HtmlExtract:
    """Main text and page metadata found in the DOM."""

    text: str
    title: str | None
    author: str | None
    source_name: str | None
    published: str | None
    url: str | None


def extract_html(html: str) -> HtmlExtract:
    """Main text (paragraphs separated by blank lines) and metadata of an HTML page."""
    import trafilatura  # heavy: imported only when HTML arrives

    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               deduplicate=False) or ""
    meta = trafilatura.extract_metadata(html)
    get = (lambda name: getattr(meta, name, None) or None) if meta is not None else (lambda name: None)
    return HtmlExtract(text="\n\n".join(p for p in text.split("\n") if p.strip()), title=get("title"),
                       author=get("author"), source_name=get("sitename"), published=get("date"), url=get("url"))
