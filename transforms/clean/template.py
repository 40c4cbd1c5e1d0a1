"""A site's template: the lines that recur across pages of one source."""
from __future__ import annotations

import numpy as np

from transforms.clean.lines import line_key, split_lines
from transforms.options import DEFAULT, CleanOptions


class TemplateCounter:
    """Lines that recur across pages of one source (that site's template), counted page by page.

    Only the first `template_sample` pages are counted, so memory stays bounded however many
    articles a source has: a site's template shows on every page, a sample finds it. A page's
    distinct lines are kept as an array of 8-byte keys (line_key) and counted at the end.
    """

    def __init__(self, opts: CleanOptions = DEFAULT.clean):
        self.opts, self.pages = opts, 0
        self._keys: list = []  # arrays of line keys (numpy uint64), one per sampled page

    def add(self, page: str) -> None:
        if self.pages < self.opts.template_sample:
            self.pages += 1
            self._keys.append(np.fromiter({line_key(t) for t in split_lines(page).text}, dtype=np.uint64))

    def lines(self) -> frozenset[int]:
        """The keys of the template lines."""
        if self.pages < self.opts.template_min_articles:
            return frozenset()
        need = max(self.opts.template_min_articles, self.opts.template_min_share * self.pages)
        keys, counts = np.unique(np.concatenate(self._keys), return_counts=True)
        return frozenset(int(k) for k in keys[counts >= need])


def template_lines(pages: list[str], opts: CleanOptions = DEFAULT.clean) -> frozenset[int]:
    """The keys of the template lines of a list of pages of one source."""
    counter = TemplateCounter(opts)
    for page in pages:
        counter.add(page)
    return counter.lines()
