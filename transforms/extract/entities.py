"""Named entities with one canonical name however the article writes them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.constants import ALIASES, DEMONYMS, NAMED_LABELS
from transforms.extract.sentences import sentence_index
from transforms.options import DEFAULT, ExtractOptions

_I, _B = 1, 3  # Token.ent_iob: 1 inside an entity, 3 its beginning (2 outside, 0 not set)

_LEADING = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_TRAILING = re.compile(r"(?:\s+(?:in|of|for|the|and|at|on|to))+$")  # NER cuts "the Islamic Resistance in [Iraq]"
_TITLE_WORDS = (r"President|Prime Minister|PM|Minister|Secretary|General|Gen\.|Lieutenant General|Lt\. Gen\.|"
                r"Brigadier General|Major General|Colonel|Col\.|Commander|Spokesman|Spokeswoman|Senator|Sen\.|Rep\.|"
                r"Governor|Gov\.|Mayor|Judge|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|King|Queen|Prince|Sheikh|Ayatollah|Pope|"
                r"Chancellor|CEO|Chairman|Director")
_TITLES = re.compile(r"^((US|U\.S\.|Iraqi|Russian|Iranian|Syrian|former|late|then|deputy|vice|acting)\s+)*"
                     rf"({_TITLE_WORDS})\s+", re.IGNORECASE)
# A "person" that is a title alone: NER cuts "Brig. Gen. Pat Ryder" into "Brig" and "Pat Ryder"
_TITLE_ALONE = re.compile(rf"(?:{_TITLE_WORDS}|Gen|Brig|Maj|Capt|Sgt|Adm|Lt|Col|Cpl|Pvt|Cmdr|Sen|Rep|Gov)\.?",
                          re.IGNORECASE)
# "Salahuddin province", "Anbar Governorate": the place is named without its kind of division ("Northern
# Province" keeps it: a compass word alone names nothing)
_DIVISION = re.compile(r"^(?P<name>.+?)\s+(?:province|governorate|prefecture|oblast)$", re.IGNORECASE)
_COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                      "north-east", "north-west", "south-east", "south-west", "northeast", "northwest", "southeast",
                      "southwest", "northeastern", "northwestern", "southeastern", "southwestern"})
# "the Lebanese al-Akhbar newspaper", "Time magazine": a publication named without its kind (or the country
# before its name); the kind in capitals is part of a name ("Iraqi News Agency"), but for "Newspaper"
_KINDS = frozenset({"newspaper", "magazine"})  # the word after a publication's name
_PLACES = frozenset({"GPE", "LOC", "NORP"})
_PUBLICATION = re.compile(r"^(?P<name>.+?)\s+(?:(?i:newspaper)|daily newspaper|magazine|news agency|news website)$")
# "Secretary of State Antony Blinken", "the Minister of Finance": a portfolio in a title, not an organisation named
_PORTFOLIO_OF = frozenset({"secretary", "minister"})
# Labels NER gives a surname alone that a person of the article bears ("Sondland" GPE, "Schiff" LOC); a
# place after a preposition of place stays one ("in Houston" beside Whitney Houston)
_THINGS = frozenset({"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
_PLACE_WORDS = frozenset({"in", "at", "from", "to", "near", "across", "into", "outside", "inside", "of", "around",
                          "throughout", "toward", "towards", "via", "through"})


@dataclass(frozen=True)
class Entity:
    """One named-entity mention; offsets index into the body."""

    text: str
    label: str
    canonical: str
    start_char: int
    end_char: int
    sentence_idx: int


def canonical_name(text: str, label: str, aliases: dict | None = None) -> str:
    """Determiners, possessives and titles stripped, aliases resolved: 'the U.S.' -> 'United States'; an
    initialism in another name loses its dots, one spelling for both ('U.N. Security Council')."""
    aliases = ALIASES if aliases is None else aliases
    if not text.rstrip().endswith(".") or len(text) > 4:
        name = " ".join(text.split()).strip(" \"'“”‘’()[],.;:")
    else:
        name = text.strip()
    name = _TRAILING.sub("", _POSSESSIVE.sub("", _LEADING.sub("", name)).strip())
    if (publication := _publication(name)) is not None:
        name = publication
    elif label == "PERSON":
        name = _TITLES.sub("", name).strip() or name
    elif label in ("GPE", "LOC") and (m := _DIVISION.match(name)) and m.group("name").lower() not in _COMPASS:
        name = m.group("name")
    key = name.lower()
    found = aliases.get(key) or aliases.get(key.rstrip(".")) or aliases.get(_undotted(key))
    if found:
        return found
    return name if label == "PERSON" else _undotted(name)  # 'U.N. Security Council' is 'UN Security Council'


def _undotted(key: str) -> str:
    """An alias key with its initialisms written without dots: 'u.s. defense department' -> 'us defense
    department', so that one spelling in the alias table serves both."""
    return _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), key) if "." in key else key


_INITIALISM = re.compile(r"\b[^\W\d_](?:\.[^\W\d_])+\b\.?")  # 'u.s.', 'e.u' (its last dot stripped)


def _publication(name: str) -> str | None:
    """The name of a publication written with its kind ('Lebanese al-Akhbar Newspaper' -> 'al-Akhbar'), else None
    ('the state news agency' names none)."""
    m = _PUBLICATION.match(name)
    if m is None or m.group("name").islower():
        return None
    first, _, rest = m.group("name").partition(" ")
    return rest if rest and first.lower() in DEMONYMS else m.group("name")


def entity_at(doc, i: int):
    """The entity span holding token i, or None: what `next(e for e in doc.ents if e.start <= i < e.end)`
    finds, read from the entity's own tokens (`doc.ents` makes a Span for every entity of the doc)."""
    if doc[i].ent_iob not in (_B, _I):
        return None
    start, end = i, i + 1
    while start > 0 and doc[start].ent_iob == _I:  # an I continues the entity before it, as in doc.ents
        start -= 1
    while end < len(doc) and doc[end].ent_iob == _I:
        end += 1
    from spacy.tokens import Span

    return Span(doc, start, end, label=doc[start].ent_type)


def extract_entities(doc, opts: ExtractOptions = DEFAULT.extract, aliases: dict | None = None) -> list[Entity]:
    """Named entities of a parsed body; a person's short mentions take the longest form used."""
    sent_index = sentence_index(doc)
    ents = [e for e in doc.ents if e.label_ in NAMED_LABELS and len(e.text) <= opts.max_entity_chars
            and _is_name(e.text) and not _title_part(doc, e)]
    canon = [canonical_name(e.text, e.label_, aliases) for e in ents]
    # a publication named with its kind is an organisation, whatever NER says ("Lebanese al-Akhbar Newspaper": PERSON;
    # "the Asharq Al-Awsat newspaper": FAC); a place's paper is not ("a Beirut newspaper")
    labels = ["ORG" if e.label_ not in _PLACES and (_publication(" ".join(e.text.split())) is not None
                                                   or e.end < len(doc) and doc[e.end].lower_ in _KINDS)
              else e.label_ for e in ents]
    people = _longest_person_forms([c for c, label in zip(canon, labels, strict=True) if label == "PERSON"])
    surnames = _surnames(doc, [(e, people.get(c, c)) for e, c, label in zip(ents, canon, labels, strict=True)
                               if label == "PERSON"])
    named = []
    for ent, name, label in zip(ents, canon, labels, strict=True):
        if label == "PERSON":
            named.append((people.get(name, name), label))
        elif name in surnames and (label == "ORG" or label in _THINGS and " " not in name and not _placed(doc, ent)):
            named.append((surnames[name], "PERSON"))  # NER often takes a surname alone for an organisation
        else:  # ("Starmer agreed"), a place ("Schiff asked") or a thing: the person's
            named.append((name, label))
    return [Entity(text=ent.text, label=label, canonical=name, start_char=ent.start_char, end_char=ent.end_char,
                   sentence_idx=sent_index.get(ent.sent.start, 0))
            for ent, (name, label) in zip(ents, named, strict=True)]


def full_names(entities: list[Entity]) -> dict[str, str]:
    """A person's shorter mentions -> the name the entities give them ('Bass' -> 'Karen Bass'), for a figure's
    source, which is named as mentioned."""
    out: dict[str, str] = {}
    for e in entities:
        if e.label == "PERSON" and (short := canonical_name(e.text, "PERSON")) != e.canonical:
            out.setdefault(short, e.canonical)
    return out


def _is_name(text: str) -> bool:
    """A name has a capital letter (or letters of a script without case) and is no web address: NER takes
    'nonstick spray', 'meth', "n't" and URLs for entities."""
    return any(ch.isupper() or ch.isalpha() and ch.lower() == ch.upper() for ch in text) \
        and "://" not in text and not text.startswith("www.")


def _placed(doc, ent) -> bool:
    """A mention after a preposition of place, or before a noun it modifies ('Houston police')."""
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = doc[ent.end] if ent.end < len(doc) else None
    return before in _PLACE_WORDS or after is not None and after.pos_ == "NOUN" and after.is_lower


def _title_part(doc, ent) -> bool:
    """A title NER takes for a name: a person that is a title alone ('Brig'), a portfolio after 'Secretary
    of' or 'Minister of' ('Secretary of State Antony Blinken': 'State'; 'the Secretary of the Navy' keeps
    the Navy)."""
    if ent.label_ == "PERSON":
        return bool(_TITLE_ALONE.fullmatch(ent.text.strip()))
    return (ent.label_ == "ORG" and ent.start >= 2 and doc[ent.start - 1].lower_ == "of"
            and doc[ent.start - 2].lower_ in _PORTFOLIO_OF and ent[0].lower_ != "the")


def _surnames(doc, people: list) -> dict[str, str]:
    """'Starmer' -> 'Keir Starmer': the last word of exactly one full name of a person in the article. A
    full name counts when every word of it is capitalised and the article names the person so inside a
    sentence at least once (NER takes 'Recent Samsung' opening a paragraph for a person)."""
    by_last: dict[str, set[str]] = {}
    inside: dict[str, bool] = {}
    for ent, full in people:
        words = full.split()
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            by_last.setdefault(words[-1], set()).add(full)
            inside[full] = inside.get(full, False) or not ent[0].is_sent_start
    return {last: full for last, names in by_last.items() if len(names) == 1 for full in names if inside[full]}


def _longest_person_forms(names: list[str]) -> dict[str, str]:
    """'Bell' -> 'Richard Bell' when exactly one longer name in the article ends or starts with it."""
    full = sorted(set(names), key=len, reverse=True)
    out = {}
    for short in full:
        words = short.split()
        longer = [n for n in full if len(n.split()) > len(words)
                  and (n.split()[-len(words):] == words or n.split()[:len(words)] == words)]
        if len({n for n in longer if not any(n != m and n in m for m in longer)}) == 1:
            out[short] = max(longer, key=len)
    return out
