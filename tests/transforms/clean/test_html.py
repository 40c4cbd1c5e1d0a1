"""HTML extraction: pages that nest deeper than libxml2's default limit; the publication time."""
import pytest

from transforms.clean.html import _page, extract_html
from transforms.meta.metadata import parse_published
from transforms.options import DEFAULT


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


@pytest.mark.parametrize("fragment", [
    "<p>Officials said on Monday that about 1,200 workers lost their jobs after the plant closed.</p>",
    "<h2>Plant closes</h2><p>Officials said on Monday that about 1,200 workers lost their jobs.</p>",
])
def test_an_html_fragment_is_read_as_a_page_body_and_logs_no_error(fragment, caplog):
    """A CMS export's article HTML has no <html> or <body>: a single paragraph parsed alone was no page
    for trafilatura (its ERROR lines on stderr, then no main text)."""
    with caplog.at_level("WARNING"):
        page = extract_html(fragment)
    assert "about 1,200 workers lost their jobs" in page.text and "1,200 workers" in page.rendered
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize("meta,expected", [
    ('<meta property="article:published_time" content="2026-08-14T09:30:00+02:00">', "2026-08-14 07:30:00+00:00"),
    ('<meta property="article:published_time" content="2026-08-14T09:30:00Z">', "2026-08-14 09:30:00+00:00"),
    ('<meta name="date" content="2026-08-14">', "2026-08-14 00:00:00+00:00"),
])
def test_the_publication_time_keeps_its_hour_and_zone(meta, expected):
    html = _legacy_page(5).replace("<title>", meta + "<title>")
    assert str(parse_published(extract_html(html).published)) == expected


def _dated_page(head: str = "", text: str = "") -> str:
    return _legacy_page(5).replace("<title>", head + "<title>").replace("</body>", f"<p>{text}</p></body>")


@pytest.mark.parametrize("text", ["Copyright 1996-2024 The Valley Courier. All rights reserved.",
                                  "Archive: November 2023 | October 2023 | September 2023"])
def test_a_bare_year_or_month_in_the_text_is_no_publication_date(text):
    assert extract_html(_dated_page(text=text)).published is None  # htmldate's fallback: the 1st of the month


def test_a_day_stated_in_the_text_is_the_publication_date_when_the_markup_has_none():
    page = extract_html(_dated_page(text="Posted on March 14, 2024 by the news desk. Copyright 2024."))
    assert str(parse_published(page.published)) == "2024-03-14 00:00:00+00:00"


def test_the_markup_s_date_wins_over_a_date_in_the_text():  # the text's may be a widget's "today"
    page = extract_html(_dated_page('<meta property="article:published_time" content="2019-02-08T10:00:00Z">',
                                    "Friday, 19 February 2020. Posted on 13 January 2019."))
    assert str(parse_published(page.published)) == "2019-02-08 10:00:00+00:00"


@pytest.mark.parametrize("byline,author", [
    ("By Priya Natarajan | May 5, 2024", "Priya Natarajan"), ("By Jane Miller, Staff Writer", "Jane Miller"),
    ("By Ann Lee and Tom Reyes", "Ann Lee; Tom Reyes"), ("By Staff", "Staff"),
])
def test_the_author_is_the_byline_s_names_without_its_date_or_role(byline, author):
    html = _legacy_page(5).replace("<body>", f'<body><p class="byline">{byline}</p>')
    html = html.replace("<title>", f'<meta name="author" content="{byline.removeprefix("By ")}"><title>')
    assert extract_html(html).author == author


def test_a_byline_at_the_top_of_an_html_article_is_its_author_not_its_text():
    from transforms.clean.cleaner import clean_html

    top = "<h2>Troops move to the base</h2><p>By Jane Miller, Staff Writer</p>"
    html = _legacy_page(6).replace("<body>", "<body>" + top)
    cleaned = clean_html(extract_html(html))
    assert cleaned.author == "Jane Miller" and "Jane Miller" not in cleaned.body and "Paragraph 0:" in cleaned.body
    assert [r.text for r in cleaned.removed if r.reason == "byline"] == ["By Jane Miller, Staff Writer"]
    with_meta = html.replace("<title>", '<meta name="author" content="Jane Quinn Miller"><title>')
    assert clean_html(extract_html(with_meta)).author == "Jane Quinn Miller"  # the markup's name first



def test_a_photo_credit_between_the_paragraphs_of_an_html_article_is_no_text():
    from transforms.clean.cleaner import clean_html

    paragraphs = [f"<p>Paragraph {i}: officials said the troops moved to the base near the city on Monday, a "
                  "spokesman for the ministry told reporters.</p>" for i in range(6)]
    paragraphs.insert(3, "<p>Photograph: Jane Doe/Reuters</p>")
    html = "<html><head><title>Troops</title></head><body><article>" + "".join(paragraphs) + "</article></body></html>"
    body = clean_html(extract_html(html)).body
    assert "Photograph" not in body and "Paragraph 2:" in body and "Paragraph 3:" in body


def test_a_label_no_article_writes_is_no_text_of_an_html_article():
    """trafilatura keeps a paywall's or a newsletter's notice, a share label, inside the article's markup."""
    from transforms.clean.cleaner import clean_html

    paragraphs = [f"<p>Paragraph {i}: officials said the troops moved to the base near the city on Monday, a "
                  "spokesman for the ministry told reporters.</p>" for i in range(6)]
    paragraphs[3:3] = ["<p>Sign up to our Business Today newsletter</p>", "<p>Share this article</p>"]
    paragraphs.append("<p>To view the full story, please subscribe to The Daily Ledger.</p>")
    html = "<html><head><title>Troops</title></head><body><article>" + "".join(paragraphs) + "</article></body></html>"
    body = clean_html(extract_html(html)).body
    assert "Paragraph 5:" in body and not any(w in body for w in ("Sign up", "Share this", "To view the full story"))


def test_an_html_article_keeps_the_soft_hyphens_of_its_words():
    """trafilatura drops them; the page's own words keep them (a reader's search, a snippet quoted from the page)."""
    from transforms.clean.cleaner import clean_html

    paragraphs = [f"<p>Absatz {i}: Die Bun\u00addes\u00adre\u00adgie\u00adrung hat am Montag neue Regeln für die "
                  "Energie\u00adversorgung der Haushalte beschlossen, teilte ein Sprecher mit.</p>" for i in range(6)]
    html = "<html><head><title>Regeln</title></head><body><article>" + "".join(paragraphs) + "</article></body></html>"
    body = clean_html(extract_html(html)).body
    assert "Absatz 5: Die Bun\u00addes\u00adre\u00adgie\u00adrung" in body and body.count("Absatz") == 6
    joined = html.replace("Energie\u00adversorgung", "Energie\u200bversorgung")  # a zero-width space likewise
    assert "Energie\u200bversorgung" in clean_html(extract_html(joined)).body


def test_what_the_markup_does_not_say_comes_from_the_lines_around_the_article():
    from tests.conftest import FIXTURES
    from transforms.clean.cleaner import clean_html

    page = (FIXTURES / "pages" / "library-closures.html").read_text("utf-8")  # a page written for this test
    cleaned = clean_html(extract_html(page))  # no author or site name in its markup
    assert (cleaned.title, cleaned.author, cleaned.source_name) == \
        ("Council votes to close two libraries", "Tom Harris", "Westfield Gazette")  # a date line, the <title>
    assert cleaned.body.startswith("Westfield council has voted") and "Tom Harris" not in cleaned.body
    # a line even trafilatura's precision-leaning setting keeps goes when the model is sure it is no article's
    assert cleaned.body.endswith("Campaigners said they would consider a legal challenge.")


_SHELL = ('<html><head><title>Floods recede</title><script type="application/ld+json">'
          '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Daily Planet"}, '
          '{"@type": "NewsArticle", "headline": "Floods recede", '
          '"articleBody": "Flood waters began to recede on Thursday, officials said.\\nAt least 42 people have died '
          'since the rains began, and more than 15,000 remain in shelters &amp; schools."}]}</script></head>'
          '<body><div id="root"></div><noscript>Enable JavaScript to run this app.</noscript></body></html>')


def test_a_page_its_scripts_render_is_the_article_body_its_json_ld_states():
    from transforms.clean.cleaner import clean_html

    cleaned = clean_html(extract_html(_SHELL))
    assert cleaned.body.split("\n\n") == [
        "Flood waters began to recede on Thursday, officials said.",
        "At least 42 people have died since the rains began, and more than 15,000 remain in shelters & schools."]
    rendered = _legacy_page(6).replace("</head>", _SHELL.split("</title>")[1].split("</head>")[0] + "</head>")
    assert "Flood waters" not in clean_html(extract_html(rendered)).body  # a page with text is read, not its JSON-LD
    assert clean_html(extract_html(_SHELL.replace("articleBody", "description"))).body == ""


def test_the_headline_on_top_worded_apart_from_the_title_is_no_body_text():
    from transforms.clean.cleaner import clean_html

    html = _legacy_page(6).replace("<title>Troops</title>", "<title>Troops move to base | The Courier</title>")
    html = html.replace("<body>", "<body><h1>Troops move to the new base</h1>")
    cleaned = clean_html(extract_html(html))
    assert "Troops move to the new base" not in cleaned.body and "Paragraph 0:" in cleaned.body
    assert [r.text for r in cleaned.removed if r.reason == "title"] == ["Troops move to the new base"]
    from transforms.clean.cleaner import _headline_of, _key

    title = _key("Troops move to base")
    assert _headline_of("Troops move to the new base", title, DEFAULT.clean)
    assert not _headline_of("Weather warning for the coast", title, DEFAULT.clean)
    assert not _headline_of("Troops move to base, officials said.", title, DEFAULT.clean)  # a sentence


def test_a_link_to_another_story_in_the_html_article_goes():
    from transforms.clean.cleaner import clean_html

    paragraphs = [f"<p>Paragraph {i}: officials said the troops moved to the base near the city on Monday, a "
                  f"spokesman for the ministry told reporters.</p>" for i in range(6)]
    paragraphs.insert(3, '<p>Read more: <a href="/markets">Markets fall after surprise rate rise</a></p>')
    html = f"<html><head><title>Troops</title></head><body><article>{''.join(paragraphs)}</article></body></html>"
    cleaned = clean_html(extract_html(html))
    assert "Read more" not in cleaned.body and "Paragraph 3:" in cleaned.body
    assert [r.reason for r in cleaned.removed if r.text.startswith("Read more")] == ["teaser_link"]
