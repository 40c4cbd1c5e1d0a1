"""The learned cleaner: its model files, reasons, languages, the HTML combination, the rule-only fallback."""
import json

import numpy as np
import pytest

from tests.conftest import FIXTURES, seed_text
from transforms.clean import clean_text
from transforms.clean.cleaner import _combine_settings
from transforms.clean.features import GROUPS, NAMES
from transforms.clean.html import HtmlExtract
from transforms.clean.lexicon import Lexicon, tokens
from transforms.clean.lines import split_lines
from transforms.clean.model import load_model
from transforms.clean.signals import SHAPE_ORDER
from transforms.clean.stopwords import stop_words
from transforms.options import DEFAULT

HEAD = ("Floods close 140 schools as rivers burst their banks\n"
        "Heavy rain forced the closure of 140 schools across the northern region on Monday, "
        "the education ministry said.\n"
        "More than 2,000 residents were moved to emergency shelters after two rivers burst their banks overnight.\n")
TAIL = "Forecasters expect more rain on Wednesday.\nSchools will reopen by Thursday, officials said.\n"
INSIDE = {"numbers": "Town Rain\n2019 121\n2020 98\n2021 87\n",
          "pipes": "Year | Rain | Cost\n2019 | 121 | 1.2\n2020 | 98 | 0.9\n",
          "units": "North 121 mm\nSouth 98 mm\nEast 87 mm\n", "list": "- bottled water\n- blankets\n- torches\n",
          "sub-heading": "What happens next\n"}
REASONS = set(SHAPE_ORDER) | set(GROUPS) | {"site_template", "teaser_list", "teaser_link", "title", "byline",
                                           "signature", "no_main_text"}


def test_the_shipped_model_matches_its_features():
    model = load_model()
    assert model is not None and model.meta["features"] == list(NAMES)
    assert 0 < model.threshold < 1 and model.version.startswith("cleaner-")
    assert model.meta["cross_validated"]["text"]["openweb"]["f1"] > 0.85  # trained, not a placeholder


@pytest.mark.parametrize("model", ["shipped", None])
@pytest.mark.parametrize("inside", sorted(INSIDE))
def test_short_lines_inside_an_article_do_not_end_it(inside, model):
    cleaned = clean_text(HEAD + INSIDE[inside] + TAIL, **({} if model == "shipped" else {"model": None}))
    assert cleaned.body.endswith("Schools will reopen by Thursday, officials said."), cleaned.removed


def test_a_clean_article_is_kept_whole():
    raw = (FIXTURES / "articles" / "clean_with_table.txt").read_text("utf-8")
    cleaned = clean_text(raw)
    assert cleaned.title == "Floods close 140 schools"
    assert cleaned.body.startswith("Heavy rain") and cleaned.body.endswith("Repairs will cost about 30 million euros.")


@pytest.mark.parametrize("name", ["000_3ef350cdd4bc2bac.txt", "004_b097015a3128bddb.txt"])
def test_every_removal_names_a_known_signal(name):
    cleaned = clean_text(seed_text(name))
    assert cleaned.removed and {r.reason for r in cleaned.removed} <= REASONS


def test_the_rules_decide_without_the_model(seeds_gold):
    raw = seed_text("001_ae877c58f8d80608.txt")
    lines = raw.split("\n")
    expected = [" ".join(lines[i - 1].split()) for i in seeds_gold["001_ae877c58f8d80608.txt"]["body_lines"]]
    cleaned = clean_text(raw, model=None)
    assert cleaned.body.split("\n\n") == expected
    assert {r.reason for r in cleaned.removed} <= {"outside_main_block", "menu_run", "title", "teaser_list",
                                                   "teaser_item", *SHAPE_ORDER}


def test_stop_words_come_from_the_pages_language():
    german = stop_words("de")
    assert german.own_list and all(w in german for w in ("und", "der", "nicht")) and "que" not in german
    union = stop_words("zh")  # no list of its own: every language's words
    assert not union.own_list and all(w in union for w in ("und", "the", "que"))
    assert len(union) > 10 * len(german)


def test_stop_words_are_counted_line_by_line():
    import justext

    english = stop_words("en")
    lines = [["the", "minister", "said", "that"], [], ["newsletter"], ["The", "and", "and"]]
    assert english.count(lines).tolist() == [3, 0, 0, 2]  # "said" is one; tokens come lower-cased: "The" is not "the"
    assert english.count([]).tolist() == []
    words = sorted({w.lower() for w in justext.get_stoplist("English")})
    assert english.count([words, [w + "#" for w in words]]).tolist() == [len(words), 0]


def test_characters_are_counted_per_line_as_python_counts_them():
    from transforms.clean.features import _PLAIN_PUNCTUATION, _char_counts

    texts = ["Über Straße: ½ ² ३ digits, ÀÉÎ (upper)!", "Emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Math 𝐀𝐁 letters", "x",
             "«Ça» - 中文 Ünd 42"]
    expected = [[sum(map(str.isalpha, t)), sum(map(str.isupper, t)), sum(map(str.isdigit, t)),
                 t.count(" ") + sum(map(t.count, _PLAIN_PUNCTUATION)), sum(1 for w in t.split() if w[:1].isupper())]
                for t in texts]
    assert _char_counts(texts).tolist() == expected


def test_lexicon_scores_are_the_same_in_any_order():
    lexicon = Lexicon({"newsletter": -2.5, "said": 1.25, "the": 0.1, "p:newsl": -1.0, "the newsletter": -0.7})
    scores = lexicon.line_scores(["subscribe to the newsletter", "the minister said"])
    assert scores[0][3] == 4 and scores[0][0] == pytest.approx(-4.1)
    assert tokens("the newsletter") == {"the", "newsletter", "p:newsl", "the newsletter"}


class _Scores:
    """A model that gives each line of the rendered page a set probability."""

    def __init__(self, probability):
        self.probability, self.lexicon = probability, None
        self.meta = {"html_default_threshold": 0.6, "html_recall_threshold": 0.8}

    def keep_probability(self, features):
        return np.array(self.probability)

    def reasons(self, features):
        return ["vocabulary"] * len(features)


def test_html_takes_what_trafilatura_is_sure_of_and_the_model_decides_the_rest():
    rendered = ("Menu\nSure paragraph kept by every setting.\nDefault-only paragraph the model likes.\n"
                "Default-only teaser the model dislikes.\nRecall-only paragraph the model is sure of.\nFooter")
    page = HtmlExtract(
        text="Sure paragraph kept by every setting.\nDefault-only paragraph the model likes.\n"
             "Default-only teaser the model dislikes.",
        precise="Sure paragraph kept by every setting.",
        recall="Sure paragraph kept by every setting.\nDefault-only paragraph the model likes.\n"
               "Default-only teaser the model dislikes.\nRecall-only paragraph the model is sure of.",
        rendered=rendered, title=None, author=None, source_name=None, published=None, url=None)
    cleaned = _combine_settings(page, _Scores([0.0, 0.1, 0.7, 0.3, 0.9, 0.0]), DEFAULT.clean, None)
    assert cleaned.body.split("\n\n") == ["Sure paragraph kept by every setting.",
                                          "Default-only paragraph the model likes.",
                                          "Recall-only paragraph the model is sure of."]
    assert {r.reason for r in cleaned.removed} == {"dom_extractor", "vocabulary"}
    assert [r.text for r in cleaned.removed if r.reason == "vocabulary"] == ["Default-only teaser the model dislikes."]


def test_model_files_are_small_versioned_data():
    folder = FIXTURES.parent.parent / "transforms" / "data" / "cleaner"
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    assert meta["trained_on"] == {"openweb": 302, "news": 60, "seeds": 5, "clean": 65}
    assert sum(f.stat().st_size for f in folder.iterdir()) < 2_000_000
    assert len(split_lines("a\n\nb\nc").block) == 3 and split_lines("a\n\nb\nc").block == [0, 1, 1]


def test_a_label_line_is_no_neighbour_kept_by_hysteresis():
    from transforms.clean.model import hysteresis

    p = np.array([0.9, 0.5, 0.9, 0.5])
    assert hysteresis(p, 0.7, 0.45).tolist() == [True, True, True, True]
    assert hysteresis(p, 0.7, 0.45, np.array([False, True, False, False])).tolist() == [True, False, True, True]


def test_with_no_line_certain_the_likeliest_one_stands_in():
    from transforms.clean.model import hysteresis

    p = np.array([0.1, 0.5, 0.6, 0.3, 0.5, 0.2])
    assert hysteresis(p, 0.7, 0.45).tolist() == [False, True, True, False, False, False]
    assert hysteresis(p, 0.7, 0.45, np.array([False, False, True, False, False, False])).tolist() == \
        [False, True, False, False, False, False]  # a label never stands in
    assert not hysteresis(np.array([0.1, 0.4, 0.2]), 0.7, 0.45).any()  # nothing likely: no main text
    page = (FIXTURES / "pages" / "grain-deal-with-labels.txt").read_text("utf-8")  # a page written for this test
    cleaned = clean_text(page)
    assert "ADVERTISEMENT" not in cleaned.body and "Wheat futures" in cleaned.body


def test_a_headline_opening_the_article_is_its_title_when_nothing_above_is_one():
    page = (FIXTURES / "pages" / "blog-post-with-widgets.txt").read_text("utf-8")  # a page written for this test
    cleaned = clean_text(page)
    assert cleaned.title == "How we spent three days in Lisbon on a budget"
    assert cleaned.body.startswith("Lisbon is one of the cheapest capitals")  # "Posted by ...", "Categories: ..." out
    assert cleaned.published == "Posted by admin on March 3, 2024"
    assert "Sintra is a must" not in cleaned.body and "Recent Posts" not in cleaned.body


def test_breadcrumbs_above_the_headline_are_no_title():
    page = (FIXTURES / "pages" / "story-under-breadcrumbs.txt").read_text("utf-8")  # a page written for this test
    cleaned = clean_text(page)
    assert cleaned.title == "Dam failure floods three villages in northern Spain"
    assert cleaned.author == "Maria Lopez" and cleaned.body.startswith("Three villages in northern Spain")


def test_a_menu_of_sections_above_the_headline_is_no_title():
    from transforms.clean.lines import split_lines
    from transforms.clean.metadata import find_title
    from transforms.options import DEFAULT

    page = (FIXTURES / "pages" / "story-under-section-menu.txt").read_text("utf-8")  # a page written for this test
    cleaned = clean_text(page)
    assert cleaned.title == "Floods kill 40 in northern Pakistan as monsoon rains intensify"
    assert cleaned.body.startswith("At least 40 people have been killed")
    for headline in ("Apple Unveils New Budget Phone Lineup", "Floods Kill 40 In Northern Pakistan As Rains Intensify"):
        lines = split_lines(f"{headline}\nBy Jane Doe")  # a headline in title case, alone above the article
        assert find_title(lines, 2, [None, "byline"], DEFAULT.clean) == 0
        lines = split_lines(f"Home World Politics Business Sport\n{headline}")
        assert find_title(lines, 2, [None, None], DEFAULT.clean) == 1


def test_the_prose_after_a_box_inside_the_article_is_kept():
    from transforms.clean.model import bridge

    keep = np.array([True, False, False, False, False, False])
    p = np.array([0.9, 0.1, 0.1, 0.25, 0.12, 0.05])
    boxes = np.array([False, True, True, False, False, False])
    prose = np.array([True, False, False, True, True, True])
    assert bridge(keep, p, boxes, prose).tolist() == [True, False, False, True, True, False]
    assert bridge(keep, p, boxes, prose, box_lines=1).tolist() == keep.tolist()  # a box too long: the article ended
    assert bridge(keep, p, np.zeros(6, bool), prose).tolist() == keep.tolist()  # no box: the model's say
    p[3] = 0.15
    assert bridge(keep, p, boxes, prose).tolist() == keep.tolist()  # the first paragraph after it too unlikely
    page = (FIXTURES / "pages" / "floods-with-boxes.txt").read_text("utf-8")  # a page written for this test
    body = clean_text(page).body
    assert body.endswith("Meteorologists warned that more rain was expected early next week.")
    assert "Sign up" not in body and "Read more" not in body and "Why Italy keeps flooding" not in body


@pytest.mark.parametrize("page", [
    ("防衛省は火曜日、約二千五百人の兵士が今月末までに同地域に派遣されると発表した。関係者によると、部隊は既に準備を整えている。\n\n"
     "関係者によると、撤退に関する交渉は三月の議会選挙の後に再開される見通しで、両国の代表団が首都で会談を行う予定だという。\n\n"
     "これに先立ち、同国西部の軍事基地が無人機による攻撃を受け、数人が負傷したと報じられており、当局が調査を進めている。\n"),
    ("国防部周二表示，约有两千五百名士兵将在本月底前被调往该地区，以加强边境地区的安全防务工作。\n\n"
     "官员表示，有关撤军的谈判将在三月份议会选举之后恢复，双方代表团已经同意在首都举行会谈。\n\n"
     "此前有报道称，该国西部一处军事基地遭到无人机袭击，造成数人受伤，当局正在调查此事。\n"),
])
def test_a_cjk_paragraph_ending_in_a_full_stop_is_no_title(page):
    """Without spaces a CJK line is one 'word': the opening paragraph, ending in '。', was taken as the title."""
    cleaned = clean_text(page)
    assert cleaned.title is None and cleaned.body.split("\n\n") == page.strip().split("\n\n")
