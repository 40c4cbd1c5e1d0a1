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
        self._prose: list = []  # each page's prose lines: {key: characters}

    def add(self, page: str) -> None:
        if self.pages < self.opts.template_sample:
            self.pages += 1
            lines = split_lines(page)
            keys = [line_key(t) for t in lines.text]
            self._keys.append(np.fromiter(set(keys), dtype=np.uint64))
            self._prose.append({k: len(t) for k, t, w, cjk in zip(keys, lines.text, lines.words, lines.cjk, strict=True)
                                if prose(t, w, cjk, self.opts)})

    def stories(self) -> np.ndarray:
        """The story of each sampled page: pages that are versions of one story share its number."""
        vocab = sorted({k for p in self._prose for k in p})
        if not vocab:
            return np.arange(self.pages)
        column = {k: i for i, k in enumerate(vocab)}
        chars = np.zeros((self.pages, len(vocab)), dtype=np.float32)
        for row, page in enumerate(self._prose):
            for key, n in page.items():
                chars[row, column[key]] = n
        shared = chars @ (chars > 0).T  # [i, j]: characters of page i's prose that page j holds too
        own = np.diag(shared)
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
        per_story = [np.unique(np.concatenate([k for k, s in zip(self._keys, story, strict=True) if s == one]))
                     for one in np.unique(story)]
        keys, counts = np.unique(np.concatenate(per_story), return_counts=True)
        return frozenset(int(k) for k in keys[counts >= need])


def template_lines(pages: list[str], opts: CleanOptions = DEFAULT.clean) -> frozenset[int]:
    """The keys of the template lines of a list of pages of one source."""
    counter = TemplateCounter(opts)
    for page in pages:
        counter.add(page)
    return counter.lines()
