"""Who states a figure: the subject of a reporting verb in its sentence (said, told, according to), by its
canonical name."""
from __future__ import annotations

import re

from transforms.constants import ATTRIBUTION, FIGURE_WORDS
from transforms.extract.entities import canonical_name, entity_at
from transforms.extract.sentences import doc_text
from transforms.extract.units import span_root

_PRONOUNS = frozenset({"he", "she", "it", "they"})  # a source's stand-ins that `attribution` resolves
_NOT_AUTHORS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})  # "figures by 2030"
_EXPANDED = "newsetl.expanded"  # doc.user_data: phrase -> its full form in the body, or None


def attribution(sent, span, aliases: dict | None = None, earlier: str | None = None) -> str | None:
    """Who the sentence says stated the figure: 'according to X', 'X said', 'X's estimates'. A pronoun
    that says it stands for its antecedent: 'he'/'she' for the person named last in the sentences just
    before, 'it'/'they' for `earlier` (who stated the figure before, if it was near)."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if obj is not None:
                return source_name(obj, aliases)
    node, stands_for = span_root(span), None
    while node.head.i != node.i:
        node = node.head
        if node.head.i == node.i:
            source = _misread_report(node, aliases)
            if source is not None:
                return source
        for verb in (node, *_asides(node)):
            if verb.pos_ != "VERB" or verb.lemma_ not in ATTRIBUTION.verbs or _does_not_report(verb):
                continue
            subj = _source_of(verb, span)
            counted = any(c.lower_ in FIGURE_WORDS.count_nouns or c.lemma_ in ATTRIBUTION.put_objects
                          for c in verb.children)
            if subj is not None and (verb.lemma_ != "put" or counted):
                if subj.pos_ != "PRON":
                    return source_name(subj, aliases)  # also above a pronoun: "Reed has said that he expects"
                if stands_for is None:
                    stands_for = _person_before(subj, aliases) if subj.lower_ in ("he", "she") \
                        else earlier or _clause_subject(verb, subj, aliases)
    if stands_for is not None:
        return stands_for
    aside = _aside_after(sent, span)
    if aside is not None:
        return source_name(aside, aliases)
    for tok in sent:
        if tok.lemma_ in ATTRIBUTION.possessive_nouns and tok.tag_ in ("NNS", "NN") and _states(tok, span, sent):
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None and owner.pos_ != "PRON":
                return source_name(owner, aliases)
    return None


def _misread_report(root, aliases: dict | None) -> str | None:
    """The source of a reporting verb that ends the sentence after its clause and the parser took for the head
    noun of its subject: '..., British intelligence estimates.' ('intelligence estimates', a noun with the
    clause as its complement)."""
    if root.pos_ != "NOUN" or root.tag_ != "NNS" or root.lemma_ not in ATTRIBUTION.verbs:
        return None
    clause = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), None)
    words = [c for c in root.lefts if clause is not None and c.i > clause.right_edge.i and c.dep_ != "punct"]
    if not words or words[-1].pos_ not in ("NOUN", "PROPN") or words[-1].i != root.i - 1:
        return None
    return source_name(words[-1], aliases) if words[-1].ent_type_ else \
        " ".join(t.text for t in words if t.lower_ not in FIGURE_WORDS.determiners)


def _clause_subject(verb, pronoun, aliases: dict | None) -> str | None:
    """What 'it' or 'they' in a reporting aside stands for when no one stated a figure before: the subject
    of the clause the aside reports ("Turkey's central bank raised its rate to 50%, it said")."""
    if pronoun.lower_ not in ("it", "they") or verb.dep_ not in ("parataxis", "ccomp", "advcl") and verb.dep_ != "ROOT":
        return None
    head = verb.head if verb.dep_ != "ROOT" else verb
    clause = head if head.i != verb.i else next((c for c in verb.children if c.dep_ == "ccomp"), None)
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None) if clause is not None else None
    if subj is None or subj.pos_ not in ("NOUN", "PROPN") or subj.i > pronoun.i:
        return None
    return source_name(subj, aliases)


def _asides(node) -> list:
    """The reporting asides of a clause, which report it: "Half a million marched, organisers said, while ...".
    A bare verb only: one with an object, a clause of its own or a negation says something else ("... 60 jobs
    (the company would not disclose the number)")."""
    return [c for c in node.children if c.dep_ == "parataxis" and c.lemma_ != "put"
            and not any(g.dep_ in ("dobj", "ccomp", "neg") for g in c.children)]


def _does_not_report(verb) -> bool:
    """A reporting verb used for a deed: 'add' with an object (or 'to' something) adds that thing, 'claim'
    lives takes them: 'Beauvillier added his seventh, and Varlamov made 27 saves' (27 is not Beauvillier's),
    'The company added 200 jobs, the report said' (the report's), 'Those gains add to a major gain for
    shares', 'The flooding has claimed 112 lives'."""
    if verb.lemma_ == "claim":
        return any(c.dep_ == "dobj" and c.lemma_ == "life" for c in verb.children)
    return verb.lemma_ == "add" and any(c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "to"
                                        for c in verb.children)


def _aside_after(sent, span):
    """The source of a reporting aside that follows the figure with no verb between them, which the parse
    hung on the next clause: "... closed 140 schools on Monday, the ministry said, as rivers burst ..."."""
    for verb in sent:
        if verb.i <= span.end or verb.dep_ != "parataxis" or verb.pos_ != "VERB" \
                or verb.lemma_ not in ATTRIBUTION.verbs or not _asides(verb.head) or verb not in _asides(verb.head):
            continue
        start = verb.left_edge.i
        if verb.doc[start].text == "," and not any(t.pos_ in ("VERB", "AUX") or t.text in (";", ":", '"', "“", "”")
                                                   for t in verb.doc[span.end:start]):
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            return subj if subj is not None and subj.pos_ != "PRON" else None
        return None
    return None


def _states(numbers, span, sent) -> bool:
    """Whether an owner's numbers ('the army's count', 'analysts' estimates') state this figure: it is in their
    phrase ('estimates of 455,000'); they open the sentence ('Under the ministry's estimates, ...': all of
    it); or they are the subject of, or a phrase of, a word the figure hangs on. Another figure in the
    sentence is the article's ('delivered 435,059 vehicles, short of analysts' estimates of 455,000')."""
    if numbers.left_edge.i <= span.start and span.end <= numbers.right_edge.i + 1:
        return True
    if numbers.head.dep_ == "prep" and numbers.head.i == sent.start and numbers.right_edge.i < span.start:
        return True
    node, chain = span_root(span), set()
    while node.head.i != node.i:
        node = node.head
        chain.add(node.i)
    return numbers.dep_ in ("nsubj", "nsubjpass") and numbers.head.i in chain \
        or numbers.dep_ == "pobj" and numbers.head.head.i in chain


def _source_of(verb, span):
    """The active subject, or the passive agent ('by X'), of an attribution verb, the noun a relative clause
    ('which says') hangs on; not the figure itself (by the tree: an appositive the parser hangs on the
    subject may reach past the figure, "The army said it killed 40 militants, a claim that ...")."""
    root = span_root(span)
    for child in verb.children:
        if child.dep_ == "nsubj" and child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head  # "the Kremlin, which says 50,000 soldiers have died"
        if (child.dep_ == "nsubj" and (child.pos_ != "PRON" or child.lower_ in _PRONOUNS)
                and not (child.i == root.i or child.is_ancestor(root))):
            return child
        if child.dep_ == "agent":  # "reported by the ministry"; not a deadline: "would be added by June"
            agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            return agent if agent is not None and agent.ent_type_ not in _NOT_AUTHORS else None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "csubj", "acl"):
        return _doer(verb, root)  # "Russia rejected the figure, claiming 5,000 troops are there"
    prev = verb.doc[verb.i - 1] if verb.i > 0 else None  # "..., a security source told X": the parser hung the
    if prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev.i > span.end \
            and not prev.left_edge.i <= span.start <= prev.right_edge.i:  # source elsewhere, the verb has no subject
        return prev
    return None


def _doer(participle, root):
    """Who does what a participle without a subject says: the subject of the clause it hangs on, up to three
    heads above ('Iraq criticised the plan, saying ...'; 'the ministry issued a statement claiming ...')."""
    node = participle
    for _ in range(3):
        if node.head.i == node.i:
            return None
        node = node.head
        subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return None if subj.pos_ == "PRON" and subj.lower_ not in _PRONOUNS or subj.i == root.i \
                or subj.is_ancestor(root) else subj
    return None


def _person_before(pronoun, aliases: dict | None) -> str | None:
    """The person named last before a 'he' or 'she', in its sentence or the two before it (a name of
    capitalised words: NER takes "Punjab’s Bhatinda" for a person)."""
    doc = pronoun.doc
    sents = list(doc[:pronoun.i].sents) if pronoun.i else []
    floor = sents[-min(3, len(sents))].start if sents else 0
    person = next((e for e in reversed(doc.ents) if e.label_ == "PERSON" and floor <= e.start and e.end <= pronoun.i
                   and all(w[:1].isupper() and w[-2:] not in ("'s", "’s") for w in e.text.split())), None)
    return canonical_name(person.text, "PERSON", aliases) if person is not None else None


def source_name(tok, aliases: dict | None = None) -> str:
    """The canonical name of a source phrase: an entity it ends in, or the phrase without determiners."""
    doc = tok.doc
    ent = entity_at(doc, tok.i)
    if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE", "NORP") \
            and (ent.end - 1 == tok.i or ent.label_ == "ORG" and ent.start < tok.i):
        return canonical_name(ent.text, ent.label_, aliases)
    author = _author(tok) if tok.lemma_ in ATTRIBUTION.documents else _principal(tok)
    if author is not None:
        return source_name(author, aliases)
    appos = next((c for c in tok.children if c.dep_ == "appos"), None)
    if appos is not None and appos.ent_type_ in ("ORG", "PERSON", "GPE"):  # not "The senator, a Democrat,"
        return source_name(appos, aliases)
    start = tok.i  # the noun and its modifiers on the left, not a number or a clause the parse hung on it
    while start > tok.left_edge.i and doc[start - 1].text not in (",", ";", ":") \
            and (doc[start - 1].pos_ not in ("VERB", "AUX", "NUM", "SYM") or doc[start].text == "-"):
        start -= 1  # a number hyphened to a word stays: "the 27-member bloc"
    words = list(doc[start:tok.i + 1])
    while words and (words[0].lower_ in FIGURE_WORDS.determiners or words[0].dep_ in ("det", "punct")
                     or words[0].dep_ == "poss" and words[0].pos_ == "PRON"):
        words = words[1:]  # "the", "its"; a noun's "'s" stays: "the mayor's office" -> "mayor's office"
    text = "".join(t.text_with_ws for t in words).strip()
    expanded = _expand(doc, text)
    return expanded or text


def _author(writing):
    """Who wrote a report, a study, a survey: 'a report by Amnesty' (or from it), 'a study published by X', 'the
    UN's survey', 'a Reuters poll', 'a study in the Lancet'. 'The report, by Amnesty, estimates': the parse
    hangs the aside on the verb, between its subject and it."""
    aside = [c for c in writing.head.children if writing.dep_ == "nsubj" and writing.i < c.i < writing.head.i
             and c.dep_ == "prep" and c.lower_ in ("by", "from") and c.nbor(-1).text == ","]
    for child in [*writing.children, *aside]:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "in"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in ("ORG", "WORK_OF_ART") or child.lower_ != "in"
                                    and obj.ent_type_ not in _NOT_AUTHORS):
                return obj
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if child.dep_ == "poss" and child.pos_ != "PRON" \
                or child.dep_ == "compound" and child.ent_type_ in ("ORG", "PERSON", "GPE"):
            return child  # "the UN's survey", "a Reuters poll"
    return None


def _principal(speaker):
    """Whom a speaker speaks for: the organisation in 'a spokesman for the UN', 'analysts at Goldman Sachs',
    'officials from the WHO', 'the head of Amnesty International'; the person in 'a spokeswoman for Johnson'."""
    for child in speaker.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "at", "from", "of", "with"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ == "ORG" or obj.ent_type_ == "PERSON" and child.lower_ == "for"):
                return obj
    return None


def _expand(doc, text: str) -> str | None:
    """'defense ministry' -> 'Russian Defense Ministry' when the article names it in full earlier. A search
    of the whole body: once per phrase and Doc (an article can attribute thousands of figures to 'the army')."""
    if not text or text[:1].isupper():
        return None
    found = doc.user_data.setdefault(_EXPANDED, {})
    if text not in found:
        name = r"\s+".join(re.escape(w.capitalize()) for w in text.split())
        m = re.search(r"((?:[A-Z][\w-]*\s+){1,3})" + name + r"\b", doc_text(doc))
        found[text] = m.group(0) if m else None
    return found[text]
