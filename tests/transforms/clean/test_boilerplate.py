import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, seed_text
from transforms.clean import TemplateCounter, clean_text, template_lines
from transforms.clean.lines import is_prose, line_key, split_lines
from transforms.clean.rules import main_region
from transforms.clean.signals import SHAPE_MAX_CHARS, TEASER_MARKER, line_signals, teaser_links
from transforms.options import DEFAULT


def test_main_region_is_the_max_sum_segment():
    assert main_region([-5, 10, -2, 10, -30, 4]) == (1, 4)
    assert main_region([-1, -2]) == (0, 0)


def test_prose_needs_sentences_not_headlines():
    opts = DEFAULT.clean
    assert is_prose("The troops left Iraq for the neighbouring Kuwait after nine years of occupation.", opts)
    assert not is_prose("Home", opts)
    teaser = "UN Resident and Humanitarian Coordinator in Syria: Reports about United Nations evacuating all its s..."
    assert not is_prose(teaser, opts)


@pytest.mark.parametrize("name", ["000_3ef350cdd4bc2bac.txt", "001_ae877c58f8d80608.txt", "002_23c06521338ce5b8.txt",
                                  "003_b54bb3dfe6eb36d9.txt", "004_b097015a3128bddb.txt"])
def test_seed_body_is_exactly_the_gold_lines(name, seeds_gold):
    raw = seed_text(name)
    gold = seeds_gold[name]
    lines = raw.split("\n")
    expected = [" ".join(lines[i - 1].split()) for i in gold["body_lines"]]
    cleaned = clean_text(raw)
    assert cleaned.body.split("\n\n") == expected
    assert cleaned.title == gold["title"]


def test_seed_metadata(seeds_gold):
    assert clean_text(seed_text("000_3ef350cdd4bc2bac.txt")).source_name == "Press TV"
    assert clean_text(seed_text("002_23c06521338ce5b8.txt")).author == "Staff"
    assert clean_text(seed_text("004_b097015a3128bddb.txt")).published is None  # page-header date, not the article's


WORDPRESS_PAGE = """Home » News » Local
City council approves $48 million budget for new library
Posted on June 12, 2024 by Mark Allen | 4 Comments
The Springfield City Council voted 7-2 on Monday to approve a $48 million budget for a new central library, ending \
more than two years of debate.
The three-story building will replace the 1962 library on Main Street, which officials say is too small and costly \
to maintain.
Construction is expected to begin next spring and take about 18 months. The city will pay for the project with a \
bond issue and roughly $6 million in state grants.
Leave a Reply
Your email address will not be published. Required fields are marked *
"""


BLOG_PAGE = ("Home » Gardening » Vegetables\nHow I grew 40 kilos of tomatoes on a small balcony\n"
             "June 3, 2023 by Sarah Jennings 23 Comments\n"
             "Last spring I decided to see how many tomatoes I could grow on our tiny city balcony, which gets about "
             "six hours of sun a day.\nBy the end of September I had harvested just over 40 kilos of fruit, far "
             "more than we could eat, so a lot of it became sauce.\n")


MAGAZINE_PAGE = ("Home\nWorld\nFloods displace 40,000 in northern Italy\n"
                 "By Giulia Romano · May 17, 2024 · 4 min read\n"
                 "More than 40,000 people have been forced from their homes after torrential rain caused rivers to "
                 "burst their banks across the region, officials said on Friday.\nAt least nine people have died and "
                 "hundreds more have been rescued from rooftops by helicopter, the civil protection agency said.\n")


UPDATED_PAGE = ("Home\nWorld\nStorm knocks out power to 200,000 homes in Texas\nBy Mark Lee, CNN\n"
                "Updated 10:30 AM ET, Tue March 5, 2024\n"
                "More than 200,000 homes and businesses lost power across Texas on Tuesday as a powerful storm swept "
                "through the state, utility companies said.\nThe National Weather Service said winds reached 80 mph "
                "in some areas, toppling trees and power lines.\n")


@pytest.mark.parametrize("page,title,author,published,opening", [
    (WORDPRESS_PAGE, "City council approves $48 million budget for new library", "Mark Allen",
     "2024-06-12 00:00:00+00:00", "The Springfield City Council voted 7-2"),
    # the date line below a title that opens the article, with a count beside it
    (BLOG_PAGE, "How I grew 40 kilos of tomatoes on a small balcony", "Sarah Jennings", "2023-06-03 00:00:00+00:00",
     "Last spring"),
    # a byline that gives the date after the name, and a reading time
    (MAGAZINE_PAGE, "Floods displace 40,000 in northern Italy", "Giulia Romano", "2024-05-17 00:00:00+00:00",
     "More than 40,000 people"),
    # a date line that says when the article was updated, and no other: its date (a published one wins)
    (UPDATED_PAGE, "Storm knocks out power to 200,000 homes in Texas", "Mark Lee", "2024-03-05 15:30:00+00:00",
     "More than 200,000 homes"),
    # a date line with an offset after its zone
    (UPDATED_PAGE.replace("Updated 10:30 AM ET, Tue March 5, 2024", "March 5, 2024 3:41 PM GMT+1"),
     "Storm knocks out power to 200,000 homes in Texas", "Mark Lee", "2024-03-05 14:41:00+00:00",
     "More than 200,000 homes"),
    (UPDATED_PAGE.replace("Updated", "Published 8:00 AM ET, Tue March 5, 2024\nUpdated"),
     "Storm knocks out power to 200,000 homes in Texas", "Mark Lee", "2024-03-05 13:00:00+00:00",
     "More than 200,000 homes"),
    # a name and the writer's role, and a date line with a weekday cut short and a dot in the time
    (UPDATED_PAGE.replace("By Mark Lee, CNN\nUpdated 10:30 AM ET, Tue March 5, 2024",
                          "Mark Lee, Weather Correspondent\nTue 5 Mar 2024 15.30 GMT"),
     "Storm knocks out power to 200,000 homes in Texas", "Mark Lee", "2024-03-05 15:30:00+00:00",
     "More than 200,000 homes"),
])
def test_a_date_line_gives_the_date_and_the_author_it_names(page, title, author, published, opening):
    from transforms.meta.metadata import parse_published

    cleaned = clean_text(page)
    assert (cleaned.title, cleaned.author) == (title, author)
    assert str(parse_published(cleaned.published)) == published
    assert cleaned.body.startswith(opening)


def test_a_photo_credit_alone_on_its_line_goes_whatever_the_model_says():
    page = UPDATED_PAGE.replace("\nThe National", "\nPhotograph: Jane Doe/Reuters\nThe National")
    body = clean_text(page).body
    assert "Photograph" not in body and body.endswith("toppling trees and power lines.")
    caption = "Photograph: Jane Doe/Reuters shows the storm as it reached the coast of Texas on Tuesday night"
    assert caption in clean_text(page.replace("Photograph: Jane Doe/Reuters", caption)).body  # 13 words: no credit


def test_an_ad_label_between_paragraphs_goes_whatever_the_model_says():
    page = ("Le chômage recule à 7,1 % au troisième trimestre\n"
            "Le taux de chômage en France a reculé à 7,1 % de la population active au troisième trimestre, a "
            "annoncé mardi l'Insee.\nAu total, 2,3 millions de personnes étaient au chômage, soit 45 000 de moins "
            "qu'au trimestre précédent.\nPublicité\n« La tendance reste favorable, mais le ralentissement de la "
            "croissance pourrait peser », estime un économiste de la Banque de France.\n")
    cleaned = clean_text(page)
    assert "Publicité" not in cleaned.body and cleaned.body.endswith("Banque de France.")
    assert ("Publicité", "advertisement") in [(r.text, r.reason) for r in cleaned.removed]


def test_every_removed_line_has_a_reason():
    raw = seed_text("001_ae877c58f8d80608.txt")
    cleaned = clean_text(raw)
    kept = set(cleaned.body.split("\n\n"))
    removed = {line for seg in cleaned.removed for line in seg.text.split("\n")}
    assert all(seg.reason for seg in cleaned.removed)
    assert set(split_lines(raw).text) == kept | removed


def test_cleaning_is_idempotent():
    once = clean_text(seed_text("003_b54bb3dfe6eb36d9.txt")).body
    assert clean_text(once).body == once


def test_template_lines_recur_across_a_sites_pages():
    pages = [f"Site Menu\nStory {i} is about something that happened today in the city.\n"
             "Follow our site on Mastodon for news." for i in range(4)]
    template = template_lines(pages)
    assert template == frozenset(map(line_key, ["Site Menu", "Follow our site on Mastodon for news."]))
    assert template_lines(pages[:2]) == frozenset()
    cleaned = clean_text(pages[0], template=template)
    assert cleaned.body == "Story 0 is about something that happened today in the city."
    assert {r.reason for r in cleaned.removed} == {"site_template"}


def test_versions_of_one_story_count_once_for_the_template():
    """A story scraped four times (only its view counter changed) beside three other stories of the site:
    its paragraphs recur because the story does, and are no template; the site's menu and footer are."""
    story = ("The defence ministry said on Tuesday that 2,500 troops would stay in Iraq until next year.\n\n"
             "Officials in Baghdad said talks on the withdrawal would resume in March, after the elections.\n\n"
             "The announcement came a day after a drone attack on a base in the west of the country.")
    menu, footer = "Home\nWorld\nPolitics", "Copyright 2026 The Daily Example. All rights reserved."
    versions = [f"{menu}\n\n{views} views\n\n{story}\n\n{footer}" for views in (12, 250, 2056, 4100)]
    others = [f"{menu}\n\nStory {i} tells of an event in the city that the council discussed at length on "
              f"Monday evening.\n\n{footer}" for i in range(3)]
    template = template_lines(versions + others)
    assert template == frozenset(map(line_key, ["Home", "World", "Politics", footer]))
    assert clean_text(versions[2], template=template).body.startswith("The defence ministry said")
    assert template_lines(versions) == frozenset()  # one story, however many copies: no template to learn


def test_non_english_page_keeps_its_prose():
    raw = ("Startseite\nPolitik\nSport\nWetter\n\n"
           "Die Regierung hat am Montag neue Maßnahmen gegen die steigenden Energiepreise angekündigt, "
           "die ab Januar gelten.\n\n"
           "Nach Angaben des Ministeriums sollen rund drei Millionen Haushalte von den Entlastungen "
           "profitieren können.\n\n"
           "Impressum\nDatenschutz\nKontakt\n")
    body = clean_text(raw).body
    assert body.startswith("Die Regierung") and body.endswith("profitieren können.")


def test_template_counter_counts_a_bounded_sample():
    from dataclasses import replace

    from transforms.options import DEFAULT

    counter = TemplateCounter(replace(DEFAULT.clean, template_sample=4))
    for i in range(50):
        counter.add(f"Site Menu\nStory number {i} is about something else entirely.\n")
    assert counter.pages == 4
    assert counter.lines() == frozenset({line_key("Site Menu")})


NEWS_SENTENCES = [  # prose that starts like a widget, a newsletter box or a comment header
    "Next year, the Pentagon plans to withdraw 500 of the 2,500 troops stationed in Iraq.",
    "Personnel from the 82nd Airborne Division arrived at the base on Monday.",
    "Kirby said on Monday that 900 troops remain in Syria.",
    "Close to 5,000 people attended.",  # a short sentence that starts like a button ("Close", "Search", "Open")
    "Search teams found 12 bodies.",
    "Open season starts on Monday.",
    "He said:", "The minister said:", "Microsoft Corp said on Thursday",  # a line before a quote, a broken line
    # a sentence that starts like a sign-up button
    "Register offices closed early.", "Join talks between the parties collapsed on Friday.",
    "Menu prices have risen 20%.", "Close to half said \"no.\"",
    "Joint Chiefs Chairman Mark Milley visited the base in northeast Syria.",
    "Scheduled talks between Baghdad and Washington were postponed until March.",
    "Opening the border was a mistake.",
    "Commentators noted the shift in tone from the White House.",
    "Registered voters in the province fell by 3 percent.",
    "Subscribers to the service rose to 2 million, the company said.",
    "Published figures show 3,000 troops in Iraq.",
    "Personal income rose 0.3% in October.",
    "Updated casualty figures put the toll at 27.",
    "Members only need to show their card, the club said.",
    "Subscribers only paid $5 a month before the increase.",
    "To read the full report, visit the agency's website.",
    "The material may not be enough to build a bomb, officials said.",
    "1 of 12 hostages was freed on Monday.", "Leave a comment about the plan on the council's website by Friday.",
    "Merken Sie sich den Termin: Am 12. Mai stimmt der Rat ab.", "This article is about the 3,000 troops in Iraq.",
    "Die neue Datenschutzerklärung von WhatsApp sorgt bei 2 Millionen Nutzern für Ärger.",
    "Für den Bau brauchen wir die Zustimmung des Gemeinderats, sagte der Bürgermeister.",
    "The minister met with Reuters reporters on Monday.", "Show more restraint, the UN urged both sides.",
    "Read the full report, the minister told lawmakers, before you vote on the 3,000 troops.",
]
TEMPLATE_LINES = [
    "Next article", "Next: Iraq votes on troop withdrawal", "Previous article Trump says troops will stay", "Next »",
    "Previous Next", "« Prev | Next »", "personJohn Smith", "access_time3 hours ago", "commentNo comments",
    "Updated: March 3, 2024 5:02 p.m. ET", "Published 3 hours ago", "Posted on 2024-03-03 by admin",
    "jsmith said on March 3, 2024 at 5:02 pm:", "John Smith says:", "Subscribe to our newsletter",
    "Join us on Telegram", "Newsletters", "Search", "Open menu",
    "Close ×", "Log in to your account", "Search for:", "Sign up for our daily newsletter.",
    "Terms of Use | Privacy Policy",
    "Copyright 2018 Morningstar, Inc.", "This site uses cookies to assist with navigation.", "SIGN UP!",
    "Subscribe to RT newsletter to get stories the mainstream media won't tell you", "Privacy Policy",
    # a paywall's notice
    "To view the full story, please subscribe to The Haitian Times.", "This article is for subscribers only.",
    "You have reached your limit of free articles this month.", "Become a member to read the rest of this story.",
    "Get unlimited digital access for $1 a week. Cancel anytime.", "Dieser Artikel ist nur für Abonnenten verfügbar.",
    "Réservé aux abonnés", "Contenido exclusivo para suscriptores", "Subscribers only",
    # a wire's notices
    "This material may not be published, broadcast, rewritten or redistributed without permission.",
    "Our Standards: The Thomson Reuters Trust Principles.",
    # page furniture
    "1 of 12", "Image 3 of 5", "Link copied!", "Font size", "A A A", "What do you think? Leave a comment below.",
    "Appeared in the May 4, 2023, print edition as 'Floods Close Schools'.",
    "A version of this article appears in print on May 4, 2023, Section A, Page 8 of the New York edition.",
    "Zur Startseite", "Merken", "Schriftgröße", "(dpa/lno)", "(AFP)",
    "Dieser Artikel erschien zuerst auf example.de.", "This article originally appeared on The Conversation.",
    "Sie haben einen Fehler gefunden? Schreiben Sie uns.", "Spotted an error? Let us know.",
    # a consent notice in place of an embedded post
    "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden. Damit können personenbezogene Daten an "
    "Drittplattformen übermittelt werden. Mehr dazu in unserer Datenschutzerklärung.",
    "An dieser Stelle finden Sie einen externen Inhalt von Twitter, der den Artikel ergänzt.",
    "Wir benötigen Ihre Zustimmung, um den Inhalt von YouTube laden zu können.",
    "Um mit Inhalten aus Instagram zu interagieren oder diese darzustellen, brauchen wir deine Zustimmung.",
    "Mit dem Laden des Videos akzeptieren Sie die Datenschutzerklärung von YouTube.", "Zustimmen und weiterlesen",
    "Update your settings here to see it.",
    # French furniture, an agency credit, a paywall's meter
    "Vous avez lu 3 articles gratuits ce mois-ci.", "You've read 3 of 5 free articles", "Le Monde avec AFP",
    "Staff and agencies", "Cet article vous a été offert par un abonné.", "S'inscrire", "Voir plus", "Show more",
    "Recevez chaque jour l’essentiel de l’actualité.", "Con información de EFE y AP.", "Lee la nota completa aquí.",
    "Read the full story here.",
]


@pytest.mark.parametrize("sentence", NEWS_SENTENCES)
def test_a_news_sentence_is_no_boilerplate_shape(sentence):
    assert line_signals(split_lines(sentence), frozenset()) == [None]


def test_template_lines_have_their_shapes():
    lines = split_lines("\n".join(TEMPLATE_LINES))
    assert all(line_signals(lines, frozenset()))


def test_a_figure_sentence_that_starts_like_a_widget_stays_in_the_body():
    page = ("Home\nWorld\nPolitics\n\nUS to cut troops in Iraq\n\n"
            "The United States will reduce its military presence in Iraq, officials said on Tuesday.\n\n"
            + "\n\n".join(NEWS_SENTENCES[:3]) + "\n\nShare\nTweet\n")
    body = clean_text(page).body
    assert all(sentence in body for sentence in NEWS_SENTENCES[:3])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "  ", "\n", "\n\n", "\t", "\xa0", "\u3000", "\r", "x y", "\u2028",
                                 "\x1c", "é", "\x85"]), max_size=12))
def test_lines_are_split_and_spaced_alike_on_the_fast_path(parts):
    text = "".join(parts)
    words = [w for w in map(str.split, text.split("\n")) if w]
    lines = split_lines(text)
    assert (lines.text, lines.words) == ([" ".join(w) for w in words], [len(w) for w in words])
    assert lines.lower == [t.lower() for t in lines.text]


@pytest.mark.parametrize("link", ["Read more: Markets fall after surprise rate rise", "Related: Italy's drought leaves "
                                  "rivers at record lows", "READ MORE | Five things we learned from the debate",
                                  "Lesen Sie auch: Hochwasser in Bayern",
                                  "VEA TAMBIÉN: Estrella de la educación no brilla",
                                  "Lea: Consejo Permanente de OEA aborda la confiscación",
                                  "Lea más: Ortega propone legalizar la marihuana en Nicaragua",
                                  "Leia mais: Governo anuncia novo pacote para o Nordeste",
                                  "Zie ook: Kabinet valt over stikstof",
                                  "Czytaj także: Były dowódca wojsk USA o Ukrainie",
                                  "Related: Is this the end of cheap flights?"])
def test_a_link_to_another_story_inside_the_article_goes(link):
    page = ("Floods close 140 schools\n\nHeavy rain forced the closure of 140 schools on Monday, the education "
            "ministry said.\n\n" + link + "\n\nMore than 2,000 residents were moved to shelters overnight, "
            "officials said.\n\nForecasters expect more rain on Wednesday, and schools will reopen by Thursday.\n")
    cleaned = clean_text(page)
    assert link not in cleaned.body and "More than 2,000 residents" in cleaned.body
    assert [r.reason for r in cleaned.removed if r.text == link] == ["teaser_link"]


@pytest.mark.parametrize("sentence", ["Watch: the minister said the troops would stay.",
                                      "Related: officials said 40 people were hurt."])
def test_a_sentence_after_a_marker_is_no_link(sentence):
    assert teaser_links([sentence.lower()]) == [False]


@pytest.mark.parametrize("marker", ["Czytaj też", "Zobacz także:", "Vea también", "Noticias relacionadas",
                                    "Weiterlesen", "Das könnte Sie auch interessieren:", "Ähnliche Artikel",
                                    "Siehe auch", "À lire aussi",
                                    "Sur le même sujet", "Veja também", "Saiba mais", "Leggi anche", "Lees ook",
                                    "Explore further", "Читайте также", "Más información", "Lo más leído",
                                    "Meistgelesen", "Les plus lus", "En savoir plus", "I più letti",
                                    "Mehr Nachrichten aus Hamburg", "À découvrir"])
def test_see_also_opens_a_teaser_list_in_the_languages_of_the_open_web(marker):
    lines = split_lines(marker + "\nZweiter Artikel über etwas anderes\n")
    assert TEASER_MARKER.page(lines.lower, SHAPE_MAX_CHARS)[0] == "teaser_marker"


@pytest.mark.parametrize("prose", ["Weiterlesen lohnt sich, sagt die Autorin.", "Saiba mais sobre o programa no site.",
                                   "Siehe auch die Tabelle unten.", "Lea trained for the marathon.",
                                   "Lea más sobre el programa en nuestra web."])
def test_see_also_inside_a_sentence_is_prose(prose):
    lines = split_lines(prose)
    assert TEASER_MARKER.page(lines.lower, SHAPE_MAX_CHARS) == [None]
    assert teaser_links(lines.lower) == [False]


@pytest.mark.parametrize(("line", "shape"), [
    ("Diesen Artikel teilen", "share"), ("Teilen auf Facebook", "share"), ("Partager sur Twitter", "share"),
    ("Compartir en WhatsApp", "share"), ("Kommentare", "share"), ("Newsletter abonnieren", "newsletter"),
    ("Folgen Sie uns auf Twitter", "newsletter"), ("Síguenos en Instagram", "newsletter"),
    ("Zurück zur Liste", "widget"), ("Nach oben", "widget"), ("Retour en haut", "widget"),
    ("Tiempo de lectura: 3 minutos", "widget"),
    # an ad slot's label between paragraphs
    ("Scroll to continue with content", "advertisement"), ("Article continues below", "advertisement"),
    ("Story continues after advertisement", "advertisement"), ("The article continues below the ad", "advertisement"),
    # a photo's credit closing its caption
    ("Senate leader Chuck Schumer speaks at the Capitol on Friday. (J. Scott Applewhite/AP)", "caption"),
    ("Rescuers search the rubble in Gaziantep. (Reuters)", "caption"), ("The bridge in 2019. (File photo)", "caption"),
    # a blog's furniture: a breadcrumb trail, an affiliate disclosure, a pin button, a comment form's fields
    ("Home » Gardening » Vegetables", "widget"), ("You are here: Home / News / Local", "widget"),
    ("Startseite › Politik › Ausland", "widget"),
    ("This post may contain affiliate links. Read our disclosure policy.", "advertisement"),
    ("As an Amazon Associate I earn from qualifying purchases.", "advertisement"),
    ("Pin it for later!", "share"), ("Name *", "comment_header"), ("Email (required)", "comment_header"),
    # "skip to content" and a date line's "published" in the open web's other languages
    ("Zum Inhalt springen", "widget"), ("Aller au contenu principal", "widget"), ("Ir al contenido", "widget"),
    ("Veröffentlicht am 8. September 2022, 14:32 Uhr", "widget"), ("Publié le 12 mars 2024 à 10h15", "widget"),
    # a caption's label for screen readers, an article's audio and gift buttons
    ("Media caption,", "widget"), ("Image caption", "widget"), ("Listen to this article", "share"),
    ("Gift this article", "share"), ("Save", "share")])
def test_page_furniture_in_the_open_webs_languages_has_its_shape(line, shape):
    assert line_signals(split_lines(line), frozenset()) == [shape]


@pytest.mark.parametrize("prose", ["Teilen ist wichtig, sagt der Forscher.", "Folgen Sie uns nicht blind, sagte er.",
                                   "Suche nach dem Täter", "Inicio de la temporada",
                                   "Kommentare von Lesern zeigen es.", "The story continues to unfold in Kyiv.",
                                   "WASHINGTON (AP) - The Senate passed the bill on Friday.",
                                   "The load is 98 pascal (Pa).", "Home > Away: the ratio fell to 2.1.",
                                   "Home / Away games were split evenly this season.",
                                   "Name the three rivers that meet in the city.",
                                   "Veröffentlicht wurde die Studie am 3. März 2023 im Fachblatt Nature.",
                                   "Save the date: the summit opens on May 3.", "Listen to the full interview below.",
                                   "We receive compensation from the state for each patient, the hospital said.",
                                   "We earn a commission of 2% on every sale, the broker said."])
def test_page_furniture_words_in_prose_or_headings_are_no_shape(prose):
    assert line_signals(split_lines(prose), frozenset()) == [None]


@pytest.mark.parametrize("line", ["12 Kommentare", "Schreiben Sie den ersten Kommentar", "Laisser un commentaire",
                                  "Deja un comentario"])
def test_comments_open_in_the_open_webs_languages(line):
    from transforms.clean.signals import COMMENTS_START

    assert COMMENTS_START(line.lower())


def test_a_teaser_list_of_headlines_and_summaries_runs_to_its_last_summary():
    from transforms.clean.cleaner import page_facts

    page = (FIXTURES / "pages" / "retail-sales-with-teasers.txt").read_text("utf-8")  # a page written for this test
    lines = split_lines(page)
    run = [t for t, flag in zip(lines.text, page_facts(lines, page, DEFAULT.clean).teaser_run, strict=True) if flag]
    assert run[0] == "More from Business" and run[-1].startswith("Brent crude rose above $85")
    body = clean_text(page).body
    assert body.endswith("as more shoppers stayed at home.") and "Bank of England" not in body
    # one paragraph under a box of links is the article's: it goes on after the box
    boxed = (FIXTURES / "pages" / "floods-with-boxes.txt").read_text("utf-8")
    assert "Entire neighbourhoods are under water." in clean_text(boxed).body
