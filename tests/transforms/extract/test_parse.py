"""Selective parsing: NER and sentences everywhere, tags, trees and lemmas only where extraction reads."""
from tests.conftest import SEEDS
from transforms.clean import clean_text
from transforms.extract.figures import extract_figures
from transforms.extract.parse import needed_tokens

OPENING = "Troops stay in Iraq\n\nThe Pentagon said on Monday that the mission would go on."  # a place, none
NO_NUMBER = "The talks ended without an agreement, officials said."
NUMBER = "About 2,500 American soldiers remain in the country, according to the Pentagon."
WORD_NUMBER = "Seven protesters were arrested in the capital."
DATE_ONLY = "The agreement was signed on March 3, 2024 in Geneva."  # a date's numbers make no figure


def test_the_pipeline_is_ner_and_sentences_then_the_selective_parse(nlp):
    assert nlp.pipe_names == ["senter", "paragraph_breaks", "ner", "known_names", "selective_parse"]


def test_only_sentences_with_a_figure_s_number_or_an_opening_place_are_parsed(nlp):
    doc = nlp("\n\n".join([OPENING, NO_NUMBER, NUMBER, NO_NUMBER, WORD_NUMBER, DATE_ONLY]))
    parsed = {s.text.strip(): all(t.tag_ for t in s if not t.is_space) for s in doc.sents}
    assert parsed == {"Troops stay in Iraq": True, "The Pentagon said on Monday that the mission would go on.": False,
                      NO_NUMBER: False, NUMBER: True, WORD_NUMBER: True, DATE_ONLY: False}
    soldiers = next(t for t in doc if t.text == "soldiers")
    assert (soldiers.lemma_, soldiers.pos_) == ("soldier", "NOUN")
    assert [t.head.text for t in doc if t.text == "2,500"] == ["soldiers"]
    skipped = next(s for s in doc.sents if s.text.strip() == NO_NUMBER)
    assert {t.head.i for t in skipped} == {skipped.start}  # a flat tree: the sentence stays one sentence
    assert {e.text for e in doc.ents} >= {"Iraq", "Pentagon", "American"}  # NER ran over every sentence


def test_sentences_are_the_senter_s_and_never_cross_a_line_break(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(clean_text(path.read_text("utf-8")).body)
        for sent in doc.sents:
            assert "\n" not in sent.text.strip(), sent.text
            assert all(sent.start <= t.head.i < sent.end for t in sent)  # no tree crosses a sentence
        needed = set(needed_tokens(doc).tolist())
        for fig in extract_figures(doc):  # every figure's sentence was parsed
            assert all(tok.i in needed and tok.tag_ for tok in doc.char_span(fig.start_char, fig.end_char,
                                                                             alignment_mode="expand"))


def test_an_empty_body_and_a_body_with_no_number(nlp):
    assert len(nlp("")) == 0
    doc = nlp("A\n\nB\n\n" + NO_NUMBER)
    assert [s.text.strip() for s in doc.sents][-1] == NO_NUMBER


def test_every_model_computes_with_numpy_s_blas_in_one_thread(nlp):
    from threadpoolctl import threadpool_info

    components = [*nlp.pipeline, *nlp.get_pipe("selective_parse").parts]
    models = [c.model for _, c in components if getattr(c, "model", None) is not None]
    assert len(models) >= 5 and all(m.ops.use_blis is False for m in models)  # thinc's BLIS is 4x slower here
    # numpy's own BLAS (scipy's, loaded later by LightGBM or datasketch, computes nothing of the model's)
    numpy_blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas" and "numpy" in pool["filepath"]]
    assert numpy_blas and {pool["num_threads"] for pool in numpy_blas} == {1}


RULE_TEXTS = [  # rules over one token and over two ("gon na", "y' all", "ai n't", "there is"), with dependencies
    "There is a problem, and there are 3,000 more. Y'all ain't gonna like it, but I told you it was nothin'.",
    "It is what it is: he does, she did not, and they have had 12 of them since 2020 , which I doubt.",
    "  \n\nWho said that?  The mayor's office did (on Monday) -- 45% of voters agree; $3m was spent.",
]


def test_the_cached_attribute_rules_give_what_spacy_s_attribute_ruler_gives():
    import spacy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
    from spacy.tokens import Doc

    from flows.settings import SPACY_MODEL
    from transforms.extract.parse import CachedAttributeRuler

    full = spacy.load(SPACY_MODEL, exclude=["lemmatizer", "ner", "senter"])
    ruler = full.get_pipe("attribute_ruler")
    texts = RULE_TEXTS + [clean_text(p.read_text("utf-8")).body for p in sorted(SEEDS.glob("*.txt"))]
    with full.select_pipes(disable=["attribute_ruler"]):
        parsed = [d.to_bytes() for d in full.pipe(texts)]
    attrs = [POS, MORPH, LEMMA, TAG, DEP, HEAD]
    expected = [ruler(Doc(full.vocab).from_bytes(b)).to_array(attrs) for b in parsed]
    for cache_size in (200_000, 5):  # the second clears its cache on the way
        cached = CachedAttributeRuler(ruler, cache_size=cache_size)
        for _ in range(2):  # filling the cache, then reading it
            got = [d.to_array(attrs) for d in cached.pipe(Doc(full.vocab).from_bytes(b) for b in parsed)]
            assert all((g == e).all() for g, e in zip(got, expected, strict=True))
    doc = cached(Doc(full.vocab).from_bytes(parsed[0]))
    assert {t.text: t.lemma_ for t in doc if t.text in ("gon", "na", "ai")} == {"gon": "go", "na": "to", "ai": "be"}


def test_the_cached_lemmas_are_what_spacy_s_lemmatizer_gives_also_across_memory_zones():
    import spacy
    from spacy.tokens import Doc

    from flows.settings import SPACY_MODEL
    from transforms.extract.parse import CachedLemmatizer

    full = spacy.load(SPACY_MODEL, exclude=["ner", "senter"])
    lemmatizer = full.get_pipe("lemmatizer")
    invented = "The zorblets were grimbling near 40 flanxeries, they said."  # lemmas no vocabulary holds
    texts = [invented, *RULE_TEXTS] + [clean_text(p.read_text("utf-8")).body for p in sorted(SEEDS.glob("*.txt"))]
    with full.select_pipes(disable=["lemmatizer"]), full.memory_zone():
        parsed = [d.to_bytes() for d in full.pipe(texts)]
    with full.memory_zone():
        expected = [[t.lemma_ for t in lemmatizer(Doc(full.vocab).from_bytes(b))] for b in parsed]
    assert "zorblet" in expected[0] and "zorblet" not in full.vocab.strings
    assert any(t.lemma for t in Doc(full.vocab).from_bytes(parsed[1])), "the attribute rules set some lemmas"
    for cache_size in (100_000, 5):  # the second clears its cache on the way
        cached = CachedLemmatizer(lemmatizer, cache_size=cache_size)
        for _ in range(2):  # filling the cache, then reading it
            with full.memory_zone():  # a zone forgets the lemma strings it added: the next one adds them again
                got = [[t.lemma_ for t in cached(Doc(full.vocab).from_bytes(b))] for b in parsed]
            assert got == expected
    assert len(cached(Doc(full.vocab))) == 0
