import pytest

from tests.conftest import seed_text
from transforms.boilerplate import clean_text
from transforms.figures import extract_figures


def figs(nlp, text):
    return [(f.value, f.value_max, f.unit, f.kind, f.qualifier) for f in extract_figures(nlp(text))]


@pytest.mark.parametrize("text,expected", [
    ("Over 3,000 US troops have returned.", (3000, None, "troop", "count", "at_least")),
    ("Up to 3,500 soldiers are expected to travel.", (3500, None, "soldier", "count", "at_most")),
    ("The cost of oil is $38 a barrel.", (38, None, "USD", "money", "exact")),
    ("Monthly revenues exceed $30mln.", (3e7, None, "USD", "money", "at_least")),
    ("Unemployment fell to 5% last month.", (5, None, "percent", "percent", "exact")),
    ("The fund is worth 1.2 billion yuan.", (1.2e9, None, "CNY", "money", "exact")),
    ("Tickets cost Rs 300 each.", (300, None, "INR", "money", "exact")),
    ("Between 2,500 and 3,000 troops remain.", (2500, 3000, "troop", "count", "range")),
    ("The pipeline carries about 30,000 barrels a day.", (30000, None, "barrel", "quantity", "approx")),
    ("More than one million Iraqis were killed.", (1e6, None, "iraqi", "count", "at_least")),
])
def test_figure_values_units_qualifiers(nlp, text, expected):
    assert expected in figs(nlp, text)


@pytest.mark.parametrize("text", [
    "All US troops left Iraq by the end of 2011.",
    "The convoy used the M-4 highway.",
    "The second convoy entered Syria.",
    "He flew on a Boeing 787 to Baghdad.",
    "COVID-19 cases rose sharply.",
    "The parliament voted on January 5, 2020.",
])
def test_not_figures(nlp, text):
    assert figs(nlp, text) == []


def test_elliptical_count_takes_the_previous_noun(nlp):
    text = "Over 3,000 US troops have returned. Reports say almost 17,000 more are set to return."
    assert (17000, None, "troop", "count", "at_most") in figs(nlp, text)


def test_attribution_names_the_source(nlp):
    doc = nlp("The US government reported approximately 2,500 American soldiers stationed in Iraq, "
              "while Iraqi sources put the number at over 3,000. In Syria, there were around 700 US soldiers, "
              "according to the Pentagon.")
    by_value = {f.value: f.attributed_to for f in extract_figures(doc)}
    assert by_value == {2500: "US government", 3000: "Iraqi sources", 700: "Pentagon"}


def test_offsets_point_at_the_text(nlp):
    body = clean_text(seed_text("001_ae877c58f8d80608.txt")).body
    for f in extract_figures(nlp(body)):
        assert body[f.start_char:f.end_char] == f.text


def _norm(name):
    return (name or "").lower()


def test_seed_gold_figures_and_sources(nlp, seeds_gold):
    """Every gold figure of the seeds is found with its qualifier; named sources match."""
    for name, gold in seeds_gold.items():
        if name.startswith("_"):
            continue
        found = extract_figures(nlp(clean_text(seed_text(name)).body))
        for g in gold["figures"]:
            units = {g["unit"], *g.get("alt_units", [])}
            hits = [f for f in found if abs(f.value - g["value"]) <= 0.005 * g["value"] and f.unit in units]
            assert hits, f"{name}: missing {g['anchor']}"
            assert hits[0].qualifier == g["qualifier"], f"{name}: qualifier of {g['anchor']}"
            if g.get("attributed_to"):
                assert _norm(hits[0].attributed_to) == _norm(g["attributed_to"]), f"{name}: source of {g['anchor']}"
