"""One article through the pure stages: raw record -> cleaned body and metadata -> table rows."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from transforms.clean import Cleaned, Removed, clean_text
from transforms.compare.duplicates import signature
from transforms.extract.entities import extract_entities, full_names
from transforms.extract.figures import extract_figures
from transforms.extract.measures import annotate
from transforms.meta.language import detect_language
from transforms.meta.metadata import parse_published
from transforms.options import DEFAULT, Options


@dataclass(frozen=True)
class RawDoc:
    """An input record: decoded page text or HTML plus what the input said about it."""

    source_uri: str
    content: str
    fmt: str = "text"                 # "text" or "html"
    batch_date: str = ""
    url: str | None = None
    title: str | None = None
    author: str | None = None
    source_name: str | None = None
    published: str | None = None
    source_key: str = ""              # groups articles of one site for template detection
    encoding: str = "utf-8"           # the codec that decoded the input's bytes
    encoding_source: str = "utf-8"    # which signal chose it: bom, declared, utf-8, detected (+ftfy: repaired)


@dataclass
class Prepared:
    """An article after cleaning, before NLP."""

    article_id: str
    raw: RawDoc
    cleaned: Cleaned
    language: str
    language_prob: float
    published_at: datetime | None
    nlp_skipped_reason: str | None = None
    removed: list[Removed] = field(default_factory=list)


def content_id(content: str) -> str:
    """The article id: a hash of the content, so the same page is one article wherever it comes from."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def prepare(raw: RawDoc, opts: Options = DEFAULT, template: frozenset[int] = frozenset()) -> Prepared:
    """Clean a raw record and find its language and metadata."""
    if raw.fmt == "html":
        from transforms.clean.cleaner import clean_html
        from transforms.clean.html import extract_html

        page = extract_html(raw.content)
        cleaned, url = clean_html(page, opts.clean, title_hint=raw.title), raw.url or page.url
    else:
        cleaned, url = clean_text(raw.content, opts.clean, template, title_hint=raw.title), raw.url
    cleaned.author = raw.author or cleaned.author
    cleaned.source_name = raw.source_name or cleaned.source_name
    published = raw.published or cleaned.published
    raw = replace(raw, url=url)
    language, prob = detect_language(cleaned.body or raw.content)
    skip = None
    if language != "en":
        skip = f"language {language} ({prob:.0%} of the text): no English NER"
    if not cleaned.body.strip():
        skip = "empty body"
    return Prepared(article_id=content_id(raw.content), raw=raw, cleaned=cleaned, language=language,
                    language_prob=prob, published_at=parse_published(published), nlp_skipped_reason=skip,
                    removed=cleaned.removed)


def article_row(p: Prepared, run_id: str, pipeline_version: str) -> dict:
    """The `articles` row of a prepared article."""
    return {
        "article_id": p.article_id, "source_uri": p.raw.source_uri, "url": p.raw.url,
        "source_name": p.cleaned.source_name, "title": p.cleaned.title, "author": p.cleaned.author,
        "published_at": p.published_at, "language": p.language, "body": p.cleaned.body,
        "raw_chars": len(p.raw.content), "body_chars": len(p.cleaned.body),
        "raw_text_chars": text_chars(p.raw.content), "body_text_chars": text_chars(p.cleaned.body),
        "encoding": p.raw.encoding, "encoding_source": p.raw.encoding_source,
        "body_words": len(p.cleaned.body.split()), "input_format": p.raw.fmt,
        "nlp_skipped_reason": p.nlp_skipped_reason, "duplicate_of": None, "body_minhash": signature(p.cleaned.body),
        "batch_date": p.raw.batch_date, "run_id": run_id,
        "pipeline_version": pipeline_version, "ingested_at": datetime.now(UTC),
    }


def text_chars(text: str) -> int:
    """Characters that are not white space: what a body taken from a page cannot have more of than the page."""
    return len("".join(text.split()))


def removed_rows(p: Prepared, run_id: str) -> list[dict]:
    """The `removed_segments` rows of a prepared article."""
    return [{"article_id": p.article_id, "seq": i, "text": r.text, "reason": r.reason, "run_id": run_id,
             "batch_date": p.raw.batch_date} for i, r in enumerate(p.removed)]


def nlp_rows(p: Prepared, doc, run_id: str, opts: Options = DEFAULT) -> tuple[list[dict], list[dict]]:
    """The `entities` and `figures` rows of an article from its parsed body."""
    base = {"article_id": p.article_id, "run_id": run_id, "batch_date": p.raw.batch_date}
    # vars(): the fields are plain values, and dataclasses.asdict deep-copies each (a tenth of extraction)
    named = extract_entities(doc, opts.extract)
    entities = [{**base, "seq": i, **vars(e)} for i, e in enumerate(named)]
    found = extract_figures(doc, opts.extract)
    claims = annotate(doc, found, p.cleaned.title, opts=opts.extract)
    people = full_names(named)  # "Bass told reporters" after "Mayor Karen Bass said": the source is Karen Bass
    figures = [{**base, "seq": i, **vars(f), "measure": m, "place": pl,
                "attributed_to": f.attributed_to and people.get(f.attributed_to, f.attributed_to)}
               for i, (f, (m, pl)) in enumerate(zip(found, claims, strict=False))]
    return entities, figures
