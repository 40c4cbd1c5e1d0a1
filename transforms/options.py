"""Every threshold of the pure transforms, in one options object passed down."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanOptions:
    """Thresholds of the boilerplate stage (characters unless named otherwise)."""

    long_line_chars: int = 80          # a line this long with sentence punctuation is prose
    prose_min_words: int = 6           # fewer words than this is never prose on its own
    prose_min_chars_cjk: int = 25      # scripts without spaces count characters instead
    short_line_words: int = 4          # menu items, labels, bylines
    menu_run_lines: int = 3            # this many short lines in a row form a menu run
    bridge_lines: int = 8              # short lines (a table, a list) the article may hold before more prose
    template_min_articles: int = 3     # a line seen in this many articles of a source is template
    template_min_share: float = 0.5    # ... and in at least this share of them
    template_sample: int = 200         # pages of a source counted for its template (bounds memory)
    template_same_story: float = 0.8   # pages sharing more than this share of their prose are one story's versions
    max_title_words: int = 30
    language_sample_chars: int = 20_000  # the page's language (for its stop words) from this much of its text
    comments_after_prose_lines: int = 2  # a comments header ends the article after this many prose lines


@dataclass(frozen=True)
class ExtractOptions:
    """Thresholds of the entity and figure stage."""

    ellipsis_lookback_sentences: int = 2   # "17,000 more" borrows a unit from this far back
    max_entity_chars: int = 120
    main_place_paragraphs: int = 2         # an article's main place is read from its title and this many paragraphs
    counted_noun_window: int = 6           # tokens after a number where its counted noun is looked for


@dataclass(frozen=True)
class DecodeOptions:
    """Thresholds of decoding input bytes (bytes and shares of characters)."""

    prescan_bytes: int = 4096          # where a page's <meta charset> or NUL bytes (their share) are looked for
    detect_bytes: int = 200_000        # how much of an undeclared page the encoding detector reads
    mess_tolerance: float = 0.01       # windows-1252 wins unless another code page is this much less messy
    max_control_share: float = 0.01    # more NUL bytes (prescan) or control characters (decoded text) than this: binary
    utf16_nul_share: float = 0.4       # NUL in this share of every other byte (and none between): UTF-16


@dataclass(frozen=True)
class CompareOptions:
    """Thresholds of comparing articles and claims across sources."""

    near_copy_threshold: float = 0.5   # estimated Jaccard of word 5-grams: copies 0.61-1.0, other stories < 0.07
    claim_window_days: int = 31        # a claim group takes its key's claims up to this many days after its first


@dataclass(frozen=True)
class Options:
    """The one config object of the functional core."""

    clean: CleanOptions = CleanOptions()
    extract: ExtractOptions = ExtractOptions()
    decode: DecodeOptions = DecodeOptions()
    compare: CompareOptions = CompareOptions()


DEFAULT = Options()
