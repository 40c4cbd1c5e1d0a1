"""figures.measure and figures.place: the same quantity in other words gets one key; the place it is about."""
import pytest

from transforms.extract.figures import extract_figures
from transforms.extract.measures import annotate


def claims(nlp, text, title=None):
    doc = nlp(text)
    figures = extract_figures(doc)
    return [(f.value, m, p) for f, (m, p) in zip(figures, annotate(doc, figures, title), strict=False)]


@pytest.mark.parametrize("text,expected", [
    ("About 2,500 US troops are stationed in Iraq.", (2500, "United States troops", "Iraq")),
    ("Approximately 2,500 American soldiers are stationed in Iraq.", (2500, "United States troops", "Iraq")),
    ("Some 2,500 U.S. forces remain in Iraq, the Pentagon said.", (2500, "United States troops", "Iraq")),
    ("There are roughly 2,500 US service members in Iraq.", (2500, "United States troops", "Iraq")),
    ("About 3,000 demonstrators gathered in central Paris, police said.", (3000, "protesters", "Paris")),
    ("Police said 3,000 protesters marched in Paris.", (3000, "protesters", "Paris")),
    ("At least 40 people were killed in the floods in Pakistan.", (40, "deaths", "Pakistan")),
    ("Around 40 people have died in the floods in Pakistan.", (40, "deaths", "Pakistan")),
    ("The death toll in Pakistan rose to 40 on Friday.", (40, "deaths", "Pakistan")),
    ("The floods left 40 dead in Pakistan.", (40, "deaths", "Pakistan")),
    ("Inflation in Turkey rose to 85% in October.", (85, "inflation", "Turkey")),
    ("Turkey's annual inflation rose to 85% in October.", (85, "inflation", "Turkey")),
    ("China's exports fell 7.5% in May.", (7.5, "export", "China")),
    ("Wages in Britain grew 5.6% year on year.", (5.6, "wage", "United Kingdom")),  # not "year"
    ("Taxes in France will rise by 3%.", (3, "tax", "France")),  # the lemmatizer's "taxis"
    ("Italy's budget deficit is forecast to reach 5.5% of GDP.", (5.5, "deficit", "Italy")),  # a share of GDP
    ("About 45% of Americans support the plan.", (45, "american", None)),
    ("Some 50,000 protesters marched through Paris.", (50000, "protesters", "Paris")),
    ("The company reported revenue of $4.3bn.", (4.3e9, "revenue", None)),
    ("The bank posted a net profit of 3.2 billion Swiss francs.", (3.2e9, "profit", None)),
    # the parser takes the verb after the amount for a modifier of the noun after it ("$24.1 billion ... estimates")
    ("The company said revenue of $24.1 billion topped analysts' estimates.", (2.41e10, "revenue", None)),
    ("Profit of $1.2 billion beat forecasts.", (1.2e9, "profit", None)),
    ("Quarterly sales of $3 billion missed expectations.", (3e9, "sale", None)),
    # a level ('a high of', 'a record low of') is about the verb's subject; a verb that sizes its object 'at'
    ("Gold hit a high of $2,790 an ounce.", (2790, "gold", None)),
    ("Inflation peaked at a high of 11.1% in October 2022.", (11.1, "inflation", None)),
    ("Officials estimated the damage at $2 billion to $3 billion.", (2e9, "damage", None)),
    ("Analysts put the cost of the project at $4 billion.", (4e9, "cost", None)),
    ("A total of $5 million was raised.", (5e6, None, None)),
    ("Sea levels rose 10 cm over the decade.", (10, "level", None)),  # a level with a noun before it is a measure
    # a count whose unit is its verb's subject; an amount something is 'worth'
    ("Deaths rose to 1,200.", (1200, "deaths", None)),
    ("The UN put the number of displaced at 6 million.", (6e6, "refugees", None)),  # 'displaced' a participle
    ("Cases of measles rose to 1,274 this year.", (1274, "cases", None)),
    ("Police seized 1.2 tonnes of cocaine worth an estimated £100m.", (1e8, "cocaine", None)),
    ("He owns a house worth £3m.", (3e6, "house", None)),
    # a change 'by' or 'to' an amount measures what the verb changes, not who changes it
    ("The company raised its dividend by 10 cents to $1.10 a share.", (0.1, "dividend", None)),
    ("The bank lowered its growth forecast to 1.5%.", (1.5, "forecast", None)),
    ("The company expanded its workforce by 20%.", (20, "workforce", None)),
    ("Almost a third of the budget, or about $2 billion, goes to defence.", (2e9, "budget", None)),  # a part's whole
    ("A jury awarded the family $45 million in damages.", (4.5e7, "damage", None)),  # not 'jury'
    ("The startup raised $300 million in new funding.", (3e8, "funding", None)),
    ("The US government sent 750 soldiers to the Middle East in response to the attack on the embassy in Baghdad.",
     (750, "troops", "Middle East")),
])
def test_one_measure_however_it_is_written(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_an_amount_is_about_a_noun_of_its_own_sentence(nlp):
    assert claims(nlp, "Ten-year yields rose 5%. Half of the 3,000 troops left.")[0][:2] == (5, "yield")


def test_an_elliptical_figure_takes_its_antecedents_measure_and_place(nlp):
    text = ("The US government reported approximately 2,500 American soldiers stationed in Iraq, "
            "while Iraqi sources put the number at over 3,000.")
    assert claims(nlp, text) == [(2500, "United States troops", "Iraq"), (3000, "United States troops", "Iraq")]


def test_a_crowd_is_its_own_measure_and_a_figure_far_back_lends_none(nlp):
    text = ("Israel says some 1,200 people were killed in the attack. Leaders met in Doha on Sunday. "
            "Talks went on for hours. Reuters put the crowd at 10,000.")
    assert [m for _, m, _ in claims(nlp, text)] == ["deaths", "people"]  # not the deaths three sentences back
    text = ("Shares of the company rose 5% on Monday. Leaders met in Doha on Sunday. Talks went on for hours. "
            "By noon it was up 3%.")
    assert [m for _, m, _ in claims(nlp, text)] == ["share", None]


def test_a_share_with_no_noun_of_its_own_is_the_one_before(nlp):
    got = claims(nlp, "Around 60 percent of voters backed the measure, while 40 percent opposed it.")
    assert [m for _, m, _ in got] == ["voter", "voter"]  # the second not 'percent', its own token


def test_another_measure_in_the_same_sentence_is_its_own(nlp):
    got = claims(nlp, "At least 200 people were killed and 1,000 injured in the attack in Kabul.")
    assert got == [(200, "deaths", "Kabul"), (1000, "injured", "Kabul")]
    got = claims(nlp, "The blast in Kabul killed two and injured 15, police said.")  # no noun: the verbs say
    assert [m for _, m, _ in got] == ["deaths", "injured"]


def test_an_increment_is_not_the_total(nlp):
    got = claims(nlp, "Over 3,000 US troops have returned to Iraq and almost 17,000 more are set to return.")
    assert got[1][1] == "United States troops (more)" and got[0][1] == "United States troops"


def test_without_a_place_in_the_sentence_the_articles_main_place(nlp):
    text = ("Thousands of residents were evacuated in Manila on Monday as the typhoon approached.\n\n"
            "Officials said 120 schools were closed.")
    assert claims(nlp, text, title="Typhoon nears Manila")[-1] == (120, "school", "Manila")
