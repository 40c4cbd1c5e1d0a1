"""A site's template: the lines that recur across pages of one source."""
from __future__ import annotations

import numpy as np

from transforms.clean.lines import line_key, prose, split_lines
from transforms.options import DEFAULT, CleanOptions


class TemplateCounter:
    """Lines that recur across the stories of one source (that site's template), counted page by page.

    Only the first `template_sample` pages are counted, so memory stays bounded however many
    articles a source has: a site's template shows on every page, a sample finds it. A page's
    distinct lines are kept as an array of 8-byte keys (line_key) and counted at the end.

    Pages that are versions of one story (scraped again after an update, or with only a view counter
    or a clock changed) count as one: their shared paragraphs recur because the story does, and counted
    page by page they were the template, so every version lost its article. Two pages are versions of
    one story when the prose they share is most of the shorter one's prose (`template_same_story`, in
    characters); a template's prose (a footer, an "about us" box) is a small part of an article's.
    """

    def __init__(self, opts: CleanOptions = DEFAULT.clean):
        self.opts, self.pages = opts, 0
        self._keys: list = []   # arrays of line keys (numpy uint64), one per sampled page
        self._prose: list = []  # each page's distinct prose lines: (keys, characters), numpy arrays

    def add(self, page: str) -> None:
        if self.pages < self.opts.template_sample:
            self.pages += 1
            lines = split_lines(page)
            keys = [line_key(t) for t in lines.text]
            self._keys.append(np.fromiter(set(keys), dtype=np.uint64))
            found = {k: len(t) for k, t, w, cjk in zip(keys, lines.text, lines.words, lines.cjk, strict=True)
                     if prose(t, w, cjk, self.opts)}
            self._prose.append((np.fromiter(found, dtype=np.uint64, count=len(found)),
                                np.fromiter(found.values(), dtype=np.float32, count=len(found))))

    def stories(self) -> np.ndarray:
        """The story of each sampled page: pages that are versions of one story share its number."""
        _, column, seen = np.unique(np.concatenate([k for k, _ in self._prose]), return_inverse=True,
                                    return_counts=True)
        on_more = seen[column] > 1  # only lines on two pages or more can be shared (most prose is on one)
        if not on_more.any():
            return np.arange(self.pages)
        rows = np.repeat(np.arange(self.pages), [len(k) for k, _ in self._prose])
        n = np.concatenate([n for _, n in self._prose])
        own = np.bincount(rows, weights=n, minlength=self.pages)  # characters of each page's prose
        _, shared_column = np.unique(column[on_more], return_inverse=True)
        chars = np.zeros((self.pages, shared_column.max() + 1), dtype=np.float32)
        chars[rows[on_more], shared_column] = n[on_more]
        shared = chars @ (chars > 0).T  # [i, j]: characters of page i's prose that page j holds too
        same = (shared > self.opts.template_same_story * np.minimum.outer(own, own)) & (shared > 0)
        story = np.full(self.pages, -1)
        for start in range(self.pages):  # connected components of `same`
            if story[start] >= 0:
                continue
            story[start], todo = start, [start]
            while todo:
                for other in np.flatnonzero(same[todo.pop()] & (story < 0)).tolist():
                    story[other] = start
                    todo.append(other)
        return story

    def lines(self) -> frozenset[int]:
        """The keys of the template lines: seen in template_min_articles stories or more, and in at least
        template_min_share of the source's stories."""
        story = self.stories() if self.pages >= self.opts.template_min_articles else np.zeros(0)
        stories = len(np.unique(story))
        if stories < self.opts.template_min_articles:
            return frozenset()
        need = max(self.opts.template_min_articles, self.opts.template_min_share * stories)
        keys = np.concatenate(self._keys)  # each page's lines are distinct: a (line, story) pair counts once
        of = np.repeat(story, [len(k) for k in self._keys])
        order = np.lexsort((of, keys))
        keys, of = keys[order], of[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (of[1:] != of[:-1])
        keys, counts = np.unique(keys[first], return_counts=True)
        return frozenset(int(k) for k in keys[counts >= need])


def template_lines(pages: list[str], opts: CleanOptions = DEFAULT.clean) -> frozenset[int]:
    """The keys of the template lines of a list of pages of one source."""
    counter = TemplateCounter(opts)
    for page in pages:
        counter.add(page)
    return counter.lines()
