"""The dev sets as labelled pages, for training and evaluating the cleaner (never for the hidden pages).

- boilerplate-dev (60 news pages, the article-extraction-benchmark): a line is article text when
  most of its word 4-grams are in the gold body; a short line, when its words are in the gold body
  and a neighbour is article text.
- openweb-dev (302 open-web pages, trafilatura's evaluation corpus): a line holding a snippet to
  keep is article text, one holding a snippet to drop is not, the others are unlabelled.
- the seeds: the gold body lines.
- clean articles: the gold bodies of the news pages and the seeds, each as a page of its own under
  its title (an input may be an article a scraper already extracted: every line is kept).
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from transforms.clean.lines import split_lines
from transforms.meta.decode import decode_bytes

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "fixtures" / "dev"
SEEDS = ROOT / "samples" / "seeds"
_WORD = re.compile(r"\w+")
SETS = ("openweb", "news", "seeds", "clean")


@dataclass
class Page:
    """A dev page: its text (or HTML), gold and line labels (1 keep, 0 drop, None unknown)."""

    id: str
    set: str
    text: str
    gold: dict
    labels: list
    html: str | None = None

    @property
    def language(self) -> str:
        """The language of the page's article text (of its snippets to keep, on the open web)."""
        from transforms.meta.language import detect_language

        text = " ".join(self.gold["with"]) if self.set == "openweb" else self.text
        return detect_language(text, sample_chars=2000)[0]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _shingles(text: str, n: int = 4) -> list[tuple]:
    words = _WORD.findall(text.lower())
    return [tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n]]


def openweb(with_html: bool = False) -> list[Page]:
    folder = DEV / "openweb-dev"
    gold = json.loads((folder / "gold.json").read_text("utf-8"))
    pages = []
    for key, g in gold.items():
        text = decode_bytes((folder / "text" / f"{key}.txt").read_bytes()).text
        keep, drop = [norm(s) for s in g["with"]], [norm(s) for s in g["without"]]
        labels = [1 if any(s and s in line for s in keep) else 0 if any(s and s in line for s in drop) else None
                  for line in split_lines(text).text]
        pages.append(Page(key, "openweb", text, g, labels, _html(folder, key) if with_html else None))
    return pages


def news(with_html: bool = False) -> list[Page]:
    folder = DEV / "boilerplate-dev"
    gold = json.loads((folder / "gold.json").read_text("utf-8"))
    pages = []
    for key, g in gold.items():
        text = decode_bytes((folder / "text" / f"{key}.txt").read_bytes()).text
        body = g["articleBody"]
        in_gold = Counter(_shingles(body))
        gold_words = " " + " ".join(_WORD.findall(body.lower())) + " "
        first = []
        for line in split_lines(text).text:
            words = _WORD.findall(line.lower())
            if len(words) >= 4:
                found = _shingles(line)
                first.append(1 if sum(s in in_gold for s in found) >= 0.5 * len(found) else 0)
            else:
                first.append(2 if words and " " + " ".join(words) + " " in gold_words else 0)
        labels = [1 if lab == 1 or lab == 2 and 1 in first[max(0, i - 2):i] + first[i + 1:i + 3] else 0
                  for i, lab in enumerate(first)]
        pages.append(Page(key, "news", text, g, labels, _html(folder, key) if with_html else None))
    return pages


def seeds() -> list[Page]:
    gold = json.loads((DEV / "seeds-gold.json").read_text("utf-8"))
    pages = []
    for path in sorted(SEEDS.glob("*.txt")):
        g = gold[path.name]
        raw = path.read_text("utf-8")
        raw_lines = raw.split("\n")
        body = {" ".join(raw_lines[i - 1].split()) for i in g["body_lines"]}
        pages.append(Page(path.name, "seeds", raw, g, [1 if line in body else 0 for line in split_lines(raw).text]))
    return pages


def clean(news_pages: list[Page], seed_pages: list[Page]) -> list[Page]:
    pages = []
    for p in news_pages:
        body = [line for line in split_lines(p.gold["articleBody"]).text]
        pages.append(Page(f"clean-{p.id}", "clean", "\n".join(body) + "\n", {"articleBody": p.gold["articleBody"]},
                          [1] * len(body)))
    for p in seed_pages:
        body = [t for t, label in zip(split_lines(p.text).text, p.labels, strict=False) if label == 1]
        text = p.gold["title"] + "\n" + "\n".join(body) + "\n"
        pages.append(Page(f"clean-{p.id}", "clean", text, {"articleBody": "\n".join(body)}, [None] + [1] * len(body)))
    return pages


def _html(folder: Path, key: str) -> str:
    return decode_bytes(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), markup=True).text


def all_pages(with_html: bool = False) -> list[Page]:
    news_pages, seed_pages = news(with_html), seeds()
    return openweb(with_html) + news_pages + seed_pages + clean(news_pages, seed_pages)
