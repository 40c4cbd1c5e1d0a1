"""Boilerplate removal for page text: keep the article, say why every other line went.

Each line is scored by the learned model (`model.py`) over features that hold across languages and
site types (`features.py`); a line is kept when its probability reaches the model's threshold.
Lines of the site's template (recurring on the source's other pages in the batch) always go. Every
removed line names the signal that decided it: its known shape ("advertisement", "cookie"), the
template, a teaser list, or the feature group that weighed most against it ("short_line",
"few_stop_words", "link_list", "vocabulary", ...). Without the model files the rules decide
(`rules.py`). Title, byline, date line and signature are read off the lines around the article.
"""
from __future__ import annotations

import re

import numpy as np

from transforms.clean.features import PageFacts, line_features
from transforms.clean.html import HtmlExtract
from transforms.clean.lines import Lines, line_key, prose, split_lines
from transforms.clean.metadata import page_metadata
from transforms.clean.model import CleanerModel, load_model
from transforms.clean.result import Cleaned, Removed, assemble
from transforms.clean.rules import rule_reasons
from transforms.clean.signals import (
    SHAPE_MAX_CHARS,
    SHAPES,
    TEASER_MARKER,
    comment_headers,
    credit_line,
    menu_runs,
    teaser_links,
    teaser_runs,
)
from transforms.clean.stopwords import stop_words
from transforms.constants import BYLINE_RE
from transforms.meta.language import detect_language
from transforms.options import DEFAULT, CleanOptions

_DEFAULT_MODEL = object()
_NON_WORD = re.compile(r"\W+")


def clean_text(text: str, opts: CleanOptions = DEFAULT.clean, template: frozenset[int] = frozenset(),
               title_hint: str | None = None, keep_region: bool = False, model=_DEFAULT_MODEL) -> Cleaned:
    """Split a page's text into the article body and labelled boilerplate.

    keep_region: the text is already the main block (a DOM extractor found it): only the line signals
    apply. model: a CleanerModel, None for the rules, or the shipped one by default.
    """
    lines = split_lines(text)
    if not lines.text:
        return Cleaned(body="")
    model = None if keep_region else load_model() if model is _DEFAULT_MODEL else model
    facts = page_facts(lines, text, opts)
    forced = _forced(lines, template, facts.signals)
    if model is None:
        reasons = _rule_decisions(lines, facts, forced, opts, keep_region)
    else:
        reasons = _model_decisions(lines, facts, forced, model, opts)
    kept = [i for i, r in enumerate(reasons) if r is None]
    if not kept:
        return Cleaned(body="", removed=[Removed("\n".join(lines.text), "no_main_text")])
    signals = [f or s or ("teaser_list" if r else None) for s, f, r in zip(facts.signals, forced, facts.teaser_run,
                                                                         strict=False)]
    meta = page_metadata(lines, kept[0], kept[-1] + 1, signals, reasons, opts, title_hint)
    return assemble(lines.text, reasons, meta)


def page_facts(lines: Lines, text: str, opts: CleanOptions) -> PageFacts:
    """The page's stop words (from its language) and the rule signals of its lines."""
    language, _ = detect_language(text, sample_chars=opts.language_sample_chars)
    stops = stop_words(language)
    signals = SHAPES.page(lines.lower, SHAPE_MAX_CHARS)
    is_prose = [not sig and (cjk or w >= opts.prose_min_words) and prose(t, w, cjk, opts)
                for t, w, cjk, sig in zip(lines.text, lines.words, lines.cjk, signals, strict=False)]
    headings = [low if not p else "" for low, p in zip(lines.lower, is_prose, strict=False)]
    markers = [bool(m) for m in TEASER_MARKER.page(headings)]
    teaser, comments = teaser_runs(lines, is_prose), comment_headers(lines)
    rule_signals = [sig or ("teaser_list" if t else None) for sig, t in zip(signals, teaser, strict=False)]
    rule_keep = [r is None for r in rule_reasons(lines, is_prose, rule_signals, menu_runs(lines, is_prose, opts),
                                                 comments, opts)]
    return PageFacts(stops, stops.own_list, signals, markers, teaser, comments, rule_keep)


def _forced(lines: Lines, template: frozenset[int], signals: list[str | None]) -> list[str | None]:
    """The removals no model overrules: the site's template lines, links to other stories ("Read more: ..."),
    an ad slot's label ("Advertisement", "Anzeige", "Publicité": never kept on a dev page, 71 labelled;
    between two paragraphs of an article the model kept one), a photo credit alone on its line."""
    in_template = [line_key(t) in template for t in lines.text] if template else [False] * len(lines.text)
    return ["site_template" if t else "teaser_link" if link else "advertisement" if sig == "advertisement"
            else "caption" if sig == "caption" and credit_line(low) else None
            for t, link, sig, low in zip(in_template, teaser_links(lines.lower), signals, lines.lower, strict=True)]


def _model_decisions(lines: Lines, facts: PageFacts, forced: list[str | None], model: CleanerModel,
                     opts: CleanOptions) -> list[str | None]:
    features = line_features(lines, facts, model.lexicon, opts)
    keep = model.keep(features)
    reasons: list[str | None] = [None] * len(keep)
    learned = []
    rows = zip(keep, forced, facts.signals, facts.teaser_run, strict=False)
    for i, (kept, rule, shape, teaser) in enumerate(rows):
        if rule:
            reasons[i] = rule
        elif not kept:
            reasons[i] = shape or ("teaser_list" if teaser else None)
            if reasons[i] is None:
                learned.append(i)
    runs = _runs(learned)  # the model's removals, as runs of consecutive lines: one explanation a run
    for run, reason in zip(runs, model.reasons(features[[r[0] for r in runs]]) if runs else [], strict=False):
        for i in run:
            reasons[i] = reason
    return reasons


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive indices grouped: [1, 2, 5] -> [[1, 2], [5]]."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _rule_decisions(lines: Lines, facts: PageFacts, forced: list[str | None], opts: CleanOptions,
                    keep_region: bool) -> list[str | None]:
    signals = [f or s for s, f in zip(facts.signals, forced, strict=False)]
    is_prose = [not sig and (cjk or w >= opts.prose_min_words) and prose(t, w, cjk, opts)
                for t, w, cjk, sig in zip(lines.text, lines.words, lines.cjk, signals, strict=False)]
    teaser = teaser_runs(lines, is_prose)
    signals = [sig or ("teaser_list" if t else None) for sig, t in zip(signals, teaser, strict=False)]
    if keep_region:
        return [sig or ("teaser_item" if not p and t.endswith(("...", "…")) else None)
                for sig, p, t in zip(signals, is_prose, lines.text, strict=False)]
    return rule_reasons(lines, is_prose, signals, menu_runs(lines, is_prose, opts), facts.comments, opts)


def clean_html(page: HtmlExtract, opts: CleanOptions = DEFAULT.clean, title_hint: str | None = None,
               model=_DEFAULT_MODEL) -> Cleaned:
    """The article of an HTML page: what trafilatura keeps even when it leans to precision, and the
    lines only its default or recall-leaning settings keep when the model, scoring the whole
    rendered page, judges them article text (model.meta's html thresholds); a byline on top is the
    author (the markup's author first), the headline on top (the title's words, a few more) no text.
    A page with no text but its JSON-LD's articleBody (its scripts render it) is that body. Without
    the model, trafilatura's default text with the line signals."""
    model = load_model() if model is _DEFAULT_MODEL else model
    title = title_hint or page.title
    if model is None:
        cleaned = clean_text(page.text, opts, title_hint=title, keep_region=True, model=None)
    else:
        cleaned = _combine_settings(page, model, opts, title)
    if not cleaned.body and len(page.stated.split()) >= opts.prose_min_words:  # the page's text comes by script
        cleaned.body = "\n\n".join(page.stated.splitlines())
    cleaned.author = page.author or cleaned.author
    cleaned.source_name = page.source_name or cleaned.source_name
    cleaned.published = page.published or cleaned.published
    return cleaned


_LABEL_SHAPES = frozenset({"advertisement", "share", "newsletter", "cookie"})


def _combine_settings(page: HtmlExtract, model: CleanerModel, opts: CleanOptions, title: str | None) -> Cleaned:
    rendered = split_lines(page.rendered)
    facts = page_facts(rendered, page.rendered, opts)
    features = line_features(rendered, facts, model.lexicon, opts)
    probability: dict[str, float] = {}
    for key, p in zip(map(_key, rendered.text), model.keep_probability(features), strict=False):
        probability[key] = max(p, probability.get(key, 0.0))
    links = {_key(t) for t, link in zip(rendered.text, teaser_links(rendered.lower), strict=True) if link}
    links |= {_key(t) for t, sig in zip(rendered.text, facts.signals, strict=True) if sig in _LABEL_SHAPES}
    precise = {_key(t) for t in split_lines(page.precise).text}
    default = {_key(t) for t in split_lines(page.text).text}
    # the page's own words where trafilatura dropped their soft hyphens ("Über\xadle\xadbens") or other invisible
    # characters: a body quotes the page
    hyphenated = {_key(t): t for t in rendered.text if _INVISIBLE.search(t)}
    body, seen = [], set()
    for text in split_lines(page.recall).text + split_lines(page.text).text + split_lines(page.precise).text:
        key = _key(text)
        if key in seen or not key:
            continue
        seen.add(key)
        if key in links or credit_line(text.lower()):
            continue
        if key in precise and probability.get(key, 0.5) >= model.meta.get("html_precise_threshold", 0.0) \
                or key in default and probability.get(key, 0.5) >= model.meta["html_default_threshold"] \
                or probability.get(key, 0.0) >= model.meta["html_recall_threshold"]:
            body.append(hyphenated.get(key, text))
    title_key = _key(title) if title else None
    if title_key and body and _headline_of(body[0], title_key, opts):
        title_key = _key(body[0])  # the page's headline on top, worded a little apart from <title>
    removed_title = [t for t in body if title_key and _key(t) == title_key]
    body = [t for t in body if not (title_key and _key(t) == title_key)]
    byline = next(((i, m) for i, t in enumerate(body[:3]) if (m := BYLINE_RE.fullmatch(t)) and not t.endswith(".")),
                  None)  # "By Jane Miller, Staff Writer" on top: the author, as on a text page
    author = byline[1].group(1).strip() if byline else None
    bylines = [body.pop(byline[0])] if byline else []
    kept = {_key(t) for t in body}
    offered = _runs([i for i, t in enumerate(rendered.text) if _key(t) in seen and _key(t) not in kept])
    learned = {i: reason for run, reason in zip(offered, model.reasons(features[[r[0] for r in offered]])
                                                if offered else [], strict=False) for i in run}
    byline_keys = {_key(t) for t in bylines}
    reasons = [None if _key(t) in kept else "title" if title_key and _key(t) == title_key
               else "byline" if _key(t) in byline_keys else "teaser_link" if _key(t) in links
               else learned.get(i, "dom_extractor")
               for i, t in enumerate(rendered.text)]
    # the byline, date line and site name (in the title) around the article in the rendered page, as a text
    # page's ("Posted by Tom Harris on 3 March 2024, 14:05" above it): for what the markup does not say, and
    # the reason of the removed lines they are on; a name below it is no signature here (the rendered page
    # goes on with its menus: "Ausbildung")
    kept_lines = [i for i, r in enumerate(reasons) if r is None]
    marked = list(reasons)
    meta = page_metadata(rendered, kept_lines[0], kept_lines[-1] + 1, facts.signals, marked, opts, title,
                         signature=False) if kept_lines else {}
    reasons = [r and m for r, m in zip(reasons, marked, strict=True)]
    removed = assemble(rendered.text, reasons, {}).removed
    if removed_title and not any(r.reason == "title" for r in removed):
        removed.insert(0, Removed(removed_title[0], "title"))
    return Cleaned(body="\n\n".join(body), title=title, author=author or meta.get("author"), removed=removed,
                   source_name=meta.get("source_name"), published=meta.get("published"))


def _headline_of(line: str, title_key: str, opts: CleanOptions) -> bool:
    """A line that reads as the page's headline: short, no sentence, sharing nearly all its words with
    the title ("Council approves $12.5 million budget" under <title> "Council approves budget")."""
    words, title = set(_key(line).split()), set(title_key.split())
    if not words or len(words) > opts.max_title_words or line.rstrip()[-1:] in ".!?\"”":
        return False
    shared = len(words & title)
    return shared >= 0.8 * len(title) and shared >= 0.5 * len(words)


# characters trafilatura drops from its text: soft hyphens, zero-width spaces and joiners, invisible separators
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def _key(text: str) -> str:
    """A line as its lower-cased words: how the settings' lines and the rendered page's are matched."""
    return " ".join(_NON_WORD.sub(" ", _INVISIBLE.sub("", text.lower())).split())


def keep_probabilities(text: str, model: CleanerModel, opts: CleanOptions = DEFAULT.clean) -> np.ndarray:
    """The model's P(keep) for every line of a page (for training and evaluation)."""
    lines = split_lines(text)
    return model.keep_probability(line_features(lines, page_facts(lines, text, opts), model.lexicon, opts))
