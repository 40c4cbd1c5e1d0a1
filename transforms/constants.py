"""Heuristic vocabularies, grouped by concept: data, not code.

Line patterns are matched against one whole line (stripped and lower-cased, so they are written in
lower case), so each one describes the shape of a line a site template produces, not a phrase
inside prose.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# Ends a shape whose free tail could otherwise take a sentence: the line may not end like one (a
# word or a per cent sign and ".", "!" or "?", maybe in a closing quote; "5 p.m." is no sentence end).
# Shape keywords end at a word boundary for the same reason: "Next year, 500 troops...", "Personnel
# from...", "Joint Chiefs..." are prose.
_NOT_A_SENTENCE = r"(?<!\w\w[.!?])(?<!\w%[.!?])(?<!\w[.!?][\"”’'])"
# "published" and "updated" in the open web's other languages, before a date line's date
_PUBLISHED_WORDS = (r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|atualizado|pubblicato|"
                    r"aggiornato|opublikowano|zaktualizowano|gepubliceerd|bijgewerkt")


# "See also" in the languages of the open web: a line of its own over links to other stories, or before one's
# headline ("Lesen Sie auch: ...", "VEA TAMBIÉN: ...").
_SEE_ALSO = (
    r"(lesen sie (auch|mehr)|lies auch|siehe auch|mehr zum thema|auch interessant|weiterlesen|"
    r"(weitere|ähnliche|verwandte) (artikel|beiträge|meldungen|nachrichten|themen)|"
    r"das könnte (sie|dich) auch interessieren|passend zum thema|"
    r"(à )?(lire|voir) (aussi|également)|à découvrir( aussi)?|sur le même sujet|articles? similaires|"
    r"dans la même rubrique|"
    r"(leer|lea|lee|vea|ver|mira|mire) también|(lea|lee|leer) más|(noticias|artículos) relacionad[oa]s|"
    r"(leia|veja) também|leia mais|saiba mais|notícias relacionadas|leggi anche|vedi anche|articoli correlati|"
    r"(prze)?czytaj (też|także|również)|zobacz (też|także|również)|lees ook|zie ook|"
    r"más información|más noticias|lo más (leído|visto)|en savoir plus|les plus lus|le plus lu|meistgelesen|"
    r"mehr dazu|mehr (nachrichten|news|artikel|meldungen) (aus|zu|zum|zur|über) [\w .-]{2,40}|"
    r"(i )?più letti|najczęściej czytane|meest gelezen|"
    r"читайте также|смотрите также|explore further)"
)


class LinePatterns(NamedTuple):
    """Line shapes that are boilerplate wherever they stand, by signal name."""

    advertisement: tuple[str, ...] = (
        r"[-–—\s]*(advertisement|advertising|anzeige|publicité|publicidad|sponsored( content)?|"
        r"paid content|promoted( content)?|ad|ads|reklama|pubblicità)[-–—\s]*",
        r"(continue reading|(the )?(story|article) continues) (the main story|(below|after)( (the|this) ad)?"
        r"( (the )?advertisement)?)\.*",
        r"(scroll|continue) (down )?to continue( reading| with (the )?(content|article|story))?\.*",
        # an affiliate disclosure: "This post may contain affiliate links. Read our disclosure policy."
        r"((this|the) (post|article|page|story|site) (may )?contains? affiliate links|as an amazon associate|"
        r"we (may )?earn (a )?(small )?(affiliate )?commission (from|on|if|when) |(affiliate|advertising) disclosure)"
        r".{0,200}",
    )
    teaser_marker: tuple[str, ...] = (
        r"(you (might|may) (also )?(like|enjoy|be interested in)|you might have missed)\s*:?",
        r"(latest|top|breaking|more|related|recent|popular|trending|other|recommended|editor'?s'? picks?|"
        r"most (read|viewed|popular|shared))"
        r"( news| stories| articles| posts| videos| reads| topics| coverage| content| links)?"
        r"( like this| from [\w .]+| on [\w .]+| in [\w .]+)?\s*:?",
        r"(read|see|watch) (also|more|next|this)\s*:?",
        r"(also read|also see|further reading|recommended for you|more from [\w .]+|more on this( story| topic)?|"
        r"in (other|related) news|don'?t miss|must read|what to read next|up next|more stories|more in [\w .]+)\s*:?",
        _SEE_ALSO + r"\s*:?",
        r"(te puede interesar|关联阅读|相关新闻|관련기사)\s*:?",
    )
    # A link to another story inside the article, its headline after a marker: "Read more: Markets fall after
    # rate rise", "Related: ...", "Czytaj też: Czy grozi nam wojna atomowa?" (a headline may ask). No sentence
    # end: "Watch: the minister said so." is prose.
    teaser_link: tuple[str, ...] = (
        r"(related( stories| articles| content| news| coverage)?|read more|read also|also read|see also|"
        r"more on this( story| topic)?|read next|further reading|recommended( reading)?|don'?t miss|must read|"
        r"watch|listen|lea|lee|vea|mire|mira|" + _SEE_ALSO[1:-1] + r")\s*[:|»›>–—-]\s*\S.{2,160}(?<!\w\w[.!])",
    )
    newsletter: tuple[str, ...] = (
        # "Subscribe to our newsletter ...", "Join us on Telegram"; not prose: "Register offices closed early."
        r"(subscribe|sign up|register|join)\b(.{0,100}\b(newsletters?|e-?mails?|updates|inbox|alerts|(web)?feeds?|"
        r"rss|channel|edition|magazine|podcast|offers?|subscriptions?|news)\b.*|[^.]{0,60}!.*|.{0,60}"
        + _NOT_A_SENTENCE + ")",
        r"(get|receive) (the latest|real[- ]time|our|daily|breaking) .{0,80}(inbox|updates|newsletter|alerts).*",
        r".{0,60}(delivered (directly |straight )?to your inbox|enter your e-?mail( address)?).*",
        r"(newsletters?|e-?mail alerts?|follow us|like us on facebook|follow us on (twitter|instagram|facebook|x))\b.*",
        r"(recevez|recibe|reciba|ricevi|erhalten sie) .{0,80}\b(newsletter|actualité|noticias|notizie|nachrichten|"
        r"boîte (mail|e-mail|de réception))\b.{0,60}",
        r"(s'inscrire|je m'inscris|inscription|regístrate|registrarse|registrati|registrieren)[.!]?",
        r"(newsletter (abonnieren|bestellen)|jetzt (kostenlos )?(abonnieren|registrieren|anmelden)|abonnieren sie|"
        r"abonnez-vous|inscrivez-vous|suscr[ií]b(e|ete|ase)|iscriviti|zapisz się|folgen sie uns|folge uns|"
        r"suivez-nous|s[ií]ga(nos)?|s[ií]guenos|seguici|obserwuj nas|volg ons)\b.{0,160}" + _NOT_A_SENTENCE,
        # a paywall's notice: "To view the full story, please subscribe", "This article is for subscribers only"
        r"(to (view|read|access|continue reading) (the|this) (full |whole |rest of the )?(story|article)\b"
        r"|th(is|e) (full )?(article|story|content) is (only )?(for|available (only )?to|reserved for|exclusive to) "
        r"(paid |paying |premium |digital )?(subscribers|members)"
        r"|you('ve| have) reached (your|the) (limit|maximum)"
        r"|(get|enjoy) unlimited (digital )?access|unlock (this|the full|the rest of this) (article|story)"
        r"|become a (member|subscriber|paid subscriber) to (read|continue|access|unlock)"
        r"|(dieser|der) (artikel|beitrag|inhalt) ist (nur |exklusiv )?für abonnenten|(nur|exklusiv) für abonnenten"
        r"|(cet article est |contenu )?réservé aux abonnés|(contenido|artículo) exclusivo para suscriptores"
        r"|(contenuto|articolo) riservato agli abbonati|conteúdo exclusivo para assinantes"
        r"|you('ve| have) read \d+ (of (your |\d+ )?)?(free )?(articles?|stories)|vous avez lu \d+ articles?"
        r"|cet article vous (a été|est) offert).{0,200}",
        r"((available |exclusively )?for )?(paid |premium )?(subscribers|members) only[.!]?",
    )
    share: tuple[str, ...] = (
        r"(share|share this( article| story| post)?|sharing is caring!?|tweet|pin (it|this)( for later| now)?|print|"
        r"e-?mail|comments?|reply|"
        r"facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|flipboard|messenger|copy link|"
        r"\d+\s*(shares?|comments?|views?|likes?))\s*[:!]?",
        r"(share|follow) (on|via|us on) .{0,40}",
        r"(star)?add to (favou?rites|bookmarks|my list)",
        r"(listen to|gift|save) (this )?(article|story)( for later)?|save( for later)?|listen",
        r"(click|tap) (here|to) .{0,80}",
        # the same bars in the open web's other languages
        r"(teilen|drucken|versenden|merken|partager|imprimer|compartir|imprimir|condividi|stampa|udostępnij|drukuj|"
        r"delen|compartilhar|partilhar|kommentare?|commentaires?|comentarios?|commenti|komentarze?|reacties)\s*[:!]?",
        r"((diesen |den )?(artikel|beitrag) (teilen|drucken|versenden|empfehlen)|teile diesen (artikel|beitrag)|"
        r"partager (cet|l')\s?article|compartir (esta|este) (noticia|artículo)|condividi (questo )?articolo|"
        r"deel dit artikel|(teilen|partager|compartir|condividi|udostępnij|delen) (auf|sur|en|su|na|op|via))\b.{0,40}",
    )
    cookie: tuple[str, ...] = (
        r".{0,120}\b(cookies?|cookie policy|privacy policy|terms of (use|service)|all rights reserved|©|copyright)"
        r"\b.{0,160}",
        # a wire's reuse notice and standards line: "This material may not be published, broadcast, rewritten or
        # redistributed", "Our Standards: The Thomson Reuters Trust Principles."
        r"(this )?(material|article|content|story) (may|must) not be (published|reproduced|copied|republished|"
        r"redistributed|rewritten|broadcast)\b.{0,200}",
        r"our standards: .{0,80}",
        # a consent notice in place of an embedded post or video: "Mehr dazu in unserer Datenschutzerklärung",
        # "Wir benötigen Ihre Zustimmung, um den Inhalt von YouTube laden zu können", "Update your settings here"
        r".{0,240}\b(unserer|unsere|ihre|deine) datenschutz(erklärung|hinweise|hinweisen|bestimmungen|einstellungen)"
        r"\b.{0,60}",
        r"(ich bin damit einverstanden, dass mir|an dieser stelle finden sie (einen |den )?externen? inhalt|"
        r"hier finden sie informationen zu unserem umgang mit daten|zustimmen und (weiterlesen|anzeigen|laden)|"
        r"mit dem (laden|abspielen|aktivieren) de[rs] .{0,40}akzeptieren sie).{0,300}",
        r".{0,120}\b((brauchen|benötigen) wir|wir (brauchen|benötigen)) (deine|ihre|eure) zustimmung\b.{0,120}",
        r"(update|manage|change|review) (your )?(privacy |cookie |consent )?(settings|preferences)\b.{0,60}",
    )
    widget: tuple[str, ...] = (
        r"-?\d{1,3}(\.\d)?\s*°?\s*[cf]",                      # weather: "6.5 C", "21°C"
        r"[\d\s.,:/|km]+",                                   # counters and bare numbers: "0 2,056"
        r"(no ?script|please wait\.*|loading\.*|javascript (is )?(required|disabled).*|enable javascript.*)",
        # a button or menu label, not a short sentence that starts like one ("Close to 5,000 people came.")
        r"(skip to (main )?(content|navigation|site index)|jump to navigation|back to top|toggle navigation|menu|"
        r"search|close|open|log ?in|sign ?in|log ?out|my account)\b\s*.{0,30}" + _NOT_A_SENTENCE,
        # "Skip to content" in the open web's other languages
        r"((direkt )?zum (haupt)?inhalt( springen| wechseln)?|(aller|passer) au contenu( principal)?|"
        r"(ir|saltar) al contenido( principal)?|(vai|salta) al contenuto( principale)?|przejdź do (treści|zawartości)|"
        r"(spring |ga )?naar (de )?(hoofd)?inhoud|(pular|ir) para o conteúdo)",
        # icon-font ligatures glued to labels
        r"(folder_open|access_time|visibility|schedule|person|comment)\S.{0,80}" + _NOT_A_SENTENCE,
        r"(photo|image|picture|video|file photo|credit|source|getty images|afp|reuters|ap photo)"
        r"\s*(:|/|\.\.\.).{0,120}",
        r".{0,60}\b(getty images|shutterstock|ap photo|afp photo|reuters/)\b.{0,60}",
        r"(image|media|video|photo) caption\s*[,:]?",  # a screen reader's label before a caption
        r"(updated|published|posted|last updated|first published|modified|" + _PUBLISHED_WORDS
        + r")\b( on| at| am| le| el| il| op| dnia)?\s*:?.{0,60}\d.{0,40}" + _NOT_A_SENTENCE,
        r"\d+\s*(min|minutes?|mins) read",
        r"((image|photo|picture|slide)\s*)?\d{1,3}\s*(of|/)\s*\d{1,3}",  # a gallery's counter: "1 of 12"
        r"(voir plus|see more|show more|load more|mehr anzeigen|mehr laden|ver más|cargar más|mostra di più|"
        r"mostra altro|pokaż więcej|toon meer)\.*",
        # an agency credit on its own line: "Le Monde avec AFP", "Staff and agencies", "with Reuters"
        r"[\w .'’-]{0,40}\b(avec|with|mit|con|and|et|und|y|e) (l'|der )?(afp|ap|reuters|dpa|efe|ansa|agences|agencies|"
        r"agenturen|agencias|agenzie)",
        r"(con información de|with (files|information) from|mit material von) .{0,80}",
        r"((lee|leer|lea) (la|el) (nota|noticia|artículo|reportaje) completa?|read the (full|whole|complete) "
        r"(story|article|report) (here|at|on)\b).{0,80}",
        r"(link copied|copied to clipboard|(font|text) size|schriftgröße|taille du texte|tamaño de (letra|texto)|"
        r"(a\s*){2,3})!?",
        r"zur startseite|zurück zur startseite|retour à l'accueil|volver a la portada",
        # a wire's tag alone on its line: "(dpa/lno)", "(AFP)"
        r"\((dpa|afp|ap|reuters|kna|epd|apa|sda|ansa|efe|sid|ots|red|ag)([/,]\s*[\w .-]{1,20})?\)",
        # where the article ran first, and a prompt to report a mistake
        r"(this (article|story) (was )?(first |originally )?(appeared|published|ran) (first |originally )?(on|in|at)|"
        r"dieser (artikel|beitrag) (erschien|wurde) (zuerst|erstmals|ursprünglich)|"
        r"cet article a (d'abord |initialement )?été publié)\b.{0,200}",
        r"((have you )?(spotted|found|notice[d]?) (an? )?(error|typo|mistake)|(sie haben )?einen fehler gefunden)"
        r"\?.{0,100}",
        # the print edition's note: "Appeared in the May 4, 2023, print edition as '...'", "A version of this
        # article appears in print on ..."
        r"(this article )?appeared in the .{0,60}print edition\b.{0,200}|a version of this (article|story) "
        r"appear(s|ed) in print\b.{0,200}",
        r"(what do you think\?\s*)?(leave|post|add|share) (a|your) comments?( below| here)?[.!]?",
        r"(reading time|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura|czas czytania|leestijd)"
        r"\s*:?.{0,20}",
        r"(tags?|topics?|categories|category|filed under|keywords)\s*:.{0,200}",
        # navigation and page furniture in the open web's other languages, the whole line
        r"(zurück( zur (liste|übersicht|startseite))?|nach oben|zum seitenanfang|startseite|suche|menü|anmelden|"
        r"retour en haut|haut de page|accueil|rechercher|volver arriba|ir arriba|inicio|buscar|torna su|powrót|"
        r"szukaj|zoeken)",
        # "Next", "Previous article", "Next: <title>", "Previous article <title>", "Previous Next", "« Prev | Next »"
        r"([«‹<\s]*(previous|prev|next)( (article|post|story|page))?[\s|/›»>-]*){1,2}(:.{0,120})?|"
        r"(previous|next) (article|post|story|page) .{1,120}",
        # a breadcrumb trail from the home page: "Home » Gardening » Vegetables", "You are here: Home / News"
        r"((you are here|sie sind hier|vous êtes ici|está aquí|ti trovi qui)\s*:?\s*)?"
        r"(home|home page|startseite|accueil|inicio|portada|strona główna)(\s*[›»>|/→]\s*[^›»>|/→.!?]{1,60}){1,6}",
    )
    comment_header: tuple[str, ...] = (
        # "jsmith said on March 3, 2024 at 5:02 pm:"; not news: "He said:", "Microsoft Corp said on Thursday"
        r"(?!(he|she|they|it|we|you|the|an|this|that|his|her|their|our|its) )[\w.@-]{2,40}( [\w.@-]{1,40})? "
        r"(says|said|wrote|commented|replied)( on \D{0,20}\d.{0,30})?:?" + _NOT_A_SENTENCE,
        r"(reply|report|flag|like|dislike|upvote|downvote)( (this )?comment)?( to [\w.@ -]{1,40})?",
        # a comment form's fields: "Name *", "Email (required)"
        r"(name|e-?mail( address)?|website|url|comment)\s*(\*|\(required\))",
    )
    comments_start: tuple[str, ...] = (
        r"\d+\s+(responses?|comments?|replies|reactions|thoughts) (to|on) .{1,200}",
        r"[\[(]?\s*\d+\s+comments?\s*[\])]?|(top|most) (rated|recent|popular|liked) comments|(newest|oldest) first",
        r"(leave a (reply|comment)|post a comment|add (a|your) comment|join the (conversation|discussion)|"
        r"comments?( \(\d+\))?|reader comments|\d+ comments?|show comments|view comments|load comments|"
        r"comments (are )?closed( for this (article|story|post))?\.?|discussion|what do you think\??)\s*:?",
        r"((\d+ )?(kommentare|commentaires|comentarios|commenti|komentarze|reacties)( \(\d+\))?|"
        r"(kommentar|kommentare) (schreiben|verfassen|anzeigen)|schreiben sie (einen|den ersten) kommentar|"
        r"(laisser|écrire|ajouter) un commentaire|deja (un|tu) comentario|deixe (um|seu) comentário|"
        r"lascia un commento|dodaj komentarz|(eine )?antwort (schreiben|hinterlassen)|"
        r"(laisser|poster) une réponse|deja una respuesta)\s*:?",
    )
    date_line: tuple[str, ...] = (
        r"((mon|tues|wednes|thurs|fri|satur|sun)day,?\s*|(mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
        r"((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
        r"([\s,|-]+(at\s+)?\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s*[a-z]{2,4}([+-]\d{1,2}(:?\d{2})?)?)?)?"
        # and the author and comment count a blog's date line gives: "June 3, 2023 by Sarah Jennings 23 Comments"
        r"(\s*[|·•-]?\s*by\s+[^\d|·•]{2,60}?)?(\s*[|·•-]?\s*\d+\s+(comments?|responses?|replies))?",
        r"\d+\s+(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago(\s+at\s+\d{1,2}:\d{2}(\s*[ap]\.?m\.?)?)?",
    )


class BylinePatterns(NamedTuple):
    """Line shapes that name the author, with the name as group 1."""

    by: tuple[str, ...] = (
        r"(?:(?:by|written by|von|par|por|di|door|av|af|autor|author|reporter)\s*:?\s+"
        # or a name and the writer's role after it: "Jane Smith, Economics Correspondent"
        r"|(?=[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s*[,|–—-]\s*(?:[\w&]+\s+){0,3}(?:correspondent|editor|"
        r"reporter|writer|columnist|journalist|contributor|analyst|bureau chief)s?\s*$))"
        r"([A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|al|bin|and|&)){0,5})\s*(?:[,|–—·•-].{0,80})?",
    )


class FigureWords(NamedTuple):
    """Vocabulary of the figure extractor."""

    qualifier: dict = {
        "at_least": ("more than", "over", "at least", "upwards of", "in excess of", "no fewer than",
                     "no less than", "exceed", "exceeds", "exceeded", "exceeding", "topped", "tops", "top",
                     "surpassed", "surpass", "surpasses", "above", "beyond", "greater than", "higher than",
                     "well over", "a minimum of", "or more", "plus", "north of", "as few as", "as little as",
                     "past"),
        "at_most": ("up to", "less than", "under", "fewer than", "almost", "nearly", "just under",
                    "no more than", "at most", "a maximum of", "below", "as many as", "as much as",
                    "not more than", "lower than", "close to", "just shy of", "shy of", "short of", "south of"),
        "approx": ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
                   "approx.", "approx", "circa", "ca.", "c.", "nearly about", "or so", "give or take",
                   "an average of", "on average", "averaging", "closer to", "nearer to", "more or less",
                   "in the region of", "in the order of", "on the order of"),
    }
    range_joiners: tuple[str, ...] = ("to", "and", "-", "–", "—", "or")
    # A number after one of these verbs is a change; "X to Y" after it is a change and a level, not a range.
    change_verbs: frozenset = frozenset({
        "rise", "fall", "gain", "lose", "jump", "climb", "drop", "increase", "decrease", "grow", "shrink", "surge",
        "slump", "plunge", "soar", "decline", "edge", "slip", "tumble", "rally", "add", "cut", "raise", "lift",
        "lower", "reduce", "boost", "widen", "narrow", "sink", "slide", "advance", "retreat", "shed", "trim",
        "hike", "expand", "contract", "dip", "spike", "leap", "rebound", "recover", "ease", "firm", "weaken",
        "strengthen", "go", "come", "move"})
    # A sentence with one of these (lemmas) speaks of temperatures: "40C" in it is 40 degrees, not a flat or a code.
    temperature_words: frozenset = frozenset({
        "temperature", "heat", "heatwave", "warming", "warm", "hot", "cold", "cool", "freeze", "freezing",
        "degree", "thermometer", "mercury", "weather", "forecast", "forecaster", "celsius", "fahrenheit", "climate"})
    # Verbs that bring an amount to a level: "infections exceeded 10,000" (with change_verbs: "deaths rose to 1,200").
    threshold_verbs: frozenset = frozenset({"top", "exceed", "surpass", "reach", "hit", "pass", "near", "approach",
                                            "stand", "total", "number"})
    # Two numbers joined so, falling, or in a sentence about votes or games, are a tally or a score.
    tally_joiners: frozenset = frozenset({"to", "-", "–", "—", "against"})
    tally_nouns: frozenset = frozenset({"vote", "goal", "point", "seat", "run"})
    tally_words: frozenset = frozenset({"vote", "ballot", "beat", "defeat", "win", "lose", "score", "lead", "trail",
                                        "draw", "tie", "edge", "rout", "margin", "victory", "tally"})
    # Adjectives that stand for people after a number: "40 dead", "30 wounded" (the count's unit).
    people_adjectives: frozenset = frozenset({"dead", "injured", "wounded", "missing", "displaced", "homeless",
                                              "unemployed", "hospitalized", "hospitalised"})
    # Words that say when a count happened, not a date: a number tagged TIME with them is still a count.
    when_words: frozenset = frozenset({"overnight", "today", "tonight", "yesterday", "now", "so", "far"})
    # Nouns that name a count, with what they count when nothing in the phrase says ("the toll rose to 45").
    count_nouns: dict = {"number": None, "total": None, "toll": "death", "tally": None, "count": None,
                         "crowd": "people", "population": "people"}
    # A number after these is a rank or an identifier, not an amount ("Room 12", "Flight 370").
    rank_before: frozenset = frozenset({
        "no", "no.", "number", "#", "nr", "nr.", "grade", "level", "article", "section", "chapter", "page", "room",
        "route", "highway", "flight", "phase", "season", "episode", "vol", "vol.", "volume", "part", "step", "stage",
        "gate", "line", "platform", "lane"})
    # Nouns after a number that are not what it counts (time units, ages, scores, editions), or count no
    # quantity anyone would compare ("5 things to know", "three ways to", "two reasons").
    non_units: frozenset = frozenset({
        "time", "times", "percent", "year", "day", "month", "week", "hour", "minute", "second", "decade", "century",
        "old", "%", "-", "point", "number", "score", "edition", "round", "place", "spot", "mark", "version", "page",
        "chapter", "other", "thing", "way", "reason", "takeaway", "one"})
    determiners: frozenset = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his",
                                        "her"})
    # Prepositions that link a figure to a place: where it is ("stationed in Iraq"), where it comes from.
    place_at: frozenset = frozenset({"in", "into", "inside", "to", "at", "across", "within", "near", "throughout",
                                     "through"})
    place_from: frozenset = frozenset({"from", "out"})
    # "1 in 10", "two out of three", "3 per 100,000": a rate or a ratio, not a count of the noun.
    ratio_joiners: tuple = (("out", "of"), ("of", "every"), ("in", "every"), ("in",), ("per",))
    vague: dict = {"dozens": 24, "hundreds": 100, "thousands": 1000, "millions": 1_000_000,
                   "billions": 1_000_000_000, "tens of thousands": 10_000, "hundreds of thousands": 100_000}


class Attribution(NamedTuple):
    """Verbs and phrases that attribute a statement to a source."""

    verbs: frozenset = frozenset({
        "say", "report", "estimate", "announce", "claim", "state", "put", "tell", "confirm", "add",
        "note", "indicate", "show", "reveal", "allege", "assert", "count", "tally", "record", "find",
        "calculate", "disclose", "publish", "cite", "suggest", "acknowledge", "warn", "declare", "write",
        "argue", "predict", "forecast", "project", "expect", "document", "point", "explain", "mention", "affirm",
        "stress", "emphasize", "emphasise", "testify", "insist", "admit", "inform", "brief", "post", "tweet"})
    # "X put the cost at $2m": "put" attributes when its object is one of these (or a count noun: "the toll")
    put_objects: frozenset = frozenset({
        "figure", "cost", "value", "bill", "damage", "loss", "price", "estimate", "size", "turnout", "amount"})
    possessive_nouns: frozenset = frozenset({
        "estimate", "figure", "count", "tally", "data", "statistic", "report", "calculation", "number",
        "assessment", "record"})
    # Writings and numbers whose author is the source: "a report by Amnesty", "a study published by X", "the UN's
    # survey", "data from the ONS", "figures released by the Home Office"
    documents: frozenset = frozenset({
        "report", "study", "survey", "poll", "analysis", "statement", "assessment", "estimate", "review",
        "investigation", "census", "audit", "paper", "release", "letter", "filing", "data", "datum", "figure",
        "statistic", "number", "count", "tally", "projection", "forecast"})


class Currency(NamedTuple):
    """Currency symbols, codes and names to ISO 4217."""

    symbols: dict = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
                     "¥": "JPY", "jpy": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR",
                     "₽": "RUB", "rub": "RUB", "₩": "KRW", "krw": "KRW", "₺": "TRY", "a$": "AUD", "au$": "AUD",
                     "aud": "AUD", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "hk$": "HKD", "hkd": "HKD",
                     "chf": "CHF", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "r$": "BRL", "brl": "BRL",
                     "zar": "ZAR", "₦": "NGN", "ngn": "NGN", "sgd": "SGD", "s$": "SGD", "nzd": "NZD",
                     "mxn": "MXN", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN", "₪": "ILS",
                     "ils": "ILS", "aed": "AED", "sar": "SAR", "egp": "EGP", "pkr": "PKR", "irr": "IRR",
                     "iqd": "IQD", "syp": "SYP", "try": "TRY", "₱": "PHP", "php": "PHP", "idr": "IDR",
                     "rp": "IDR", "thb": "THB", "฿": "THB", "vnd": "VND", "₫": "VND", "kes": "KES", "ksh": "KES",
                     "ghs": "GHS", "btc": "BTC"}
    names: dict = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
                   "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "rupee": "INR", "rupees": "INR",
                   "yuan": "CNY", "renminbi": "CNY", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
                   "roubles": "RUB", "won": "KRW", "lira": "TRY", "liras": "TRY", "real": "BRL", "reais": "BRL",
                   "rand": "ZAR", "naira": "NGN", "peso": "MXN", "pesos": "MXN", "franc": "CHF", "francs": "CHF",
                   "shekel": "ILS", "shekels": "ILS", "dirham": "AED", "dirhams": "AED", "riyal": "SAR",
                   "riyals": "SAR", "dinar": "IQD", "dinars": "IQD", "rial": "IRR", "rials": "IRR",
                   "ringgit": "MYR", "baht": "THB", "rupiah": "IDR", "dong": "VND", "shilling": "KES",
                   "shillings": "KES", "cedi": "GHS", "bitcoin": "BTC", "bitcoins": "BTC", "zloty": "PLN",
                   "zlotys": "PLN", "forint": "HUF", "forints": "HUF", "koruna": "CZK", "kronor": "SEK",
                   "krona": "SEK"}
    # A name with its country: the country decides the code ("Swiss francs", "Hong Kong dollars"); the
    # singular forms, a plural "s" is read off ("Canadian dollars").
    qualified: dict = {
        "us dollar": "USD", "u.s. dollar": "USD", "american dollar": "USD", "canadian dollar": "CAD",
        "australian dollar": "AUD", "new zealand dollar": "NZD", "hong kong dollar": "HKD",
        "singapore dollar": "SGD", "taiwan dollar": "TWD", "new taiwan dollar": "TWD", "british pound": "GBP",
        "egyptian pound": "EGP", "lebanese pound": "LBP", "syrian pound": "SYP", "sudanese pound": "SDG",
        "swiss franc": "CHF", "cfa franc": "XOF", "congolese franc": "CDF", "indian rupee": "INR",
        "pakistani rupee": "PKR", "sri lankan rupee": "LKR", "nepalese rupee": "NPR", "mexican peso": "MXN",
        "argentine peso": "ARS", "philippine peso": "PHP", "chilean peso": "CLP", "colombian peso": "COP",
        "brazilian real": "BRL", "south african rand": "ZAR", "japanese yen": "JPY", "chinese yuan": "CNY",
        "russian rouble": "RUB", "russian ruble": "RUB", "turkish lira": "TRY", "south korean won": "KRW",
        "korean won": "KRW", "saudi riyal": "SAR", "qatari riyal": "QAR", "iranian rial": "IRR", "omani rial": "OMR",
        "yemeni rial": "YER", "iraqi dinar": "IQD", "kuwaiti dinar": "KWD", "jordanian dinar": "JOD",
        "bahraini dinar": "BHD", "libyan dinar": "LYD", "algerian dinar": "DZD", "tunisian dinar": "TND",
        "serbian dinar": "RSD", "uae dirham": "AED", "emirati dirham": "AED", "moroccan dirham": "MAD",
        "nigerian naira": "NGN", "kenyan shilling": "KES", "ugandan shilling": "UGX", "tanzanian shilling": "TZS",
        "ghanaian cedi": "GHS", "israeli shekel": "ILS", "new shekel": "ILS", "danish krone": "DKK",
        "danish kroner": "DKK", "norwegian krone": "NOK", "norwegian kroner": "NOK", "swedish krona": "SEK",
        "swedish kronor": "SEK", "polish zloty": "PLN", "hungarian forint": "HUF", "czech koruna": "CZK",
        "ukrainian hryvnia": "UAH", "hryvnia": "UAH", "hryvnias": "UAH", "bangladeshi taka": "BDT", "taka": "BDT",
        "malaysian ringgit": "MYR", "thai baht": "THB", "indonesian rupiah": "IDR", "vietnamese dong": "VND"}
    # Written glued to the digits ("HK$45", "Sh2.5 billion", "R3.4bn"); the tokenizer splits them off.
    # Letter-only prefixes count as money only before a scale or a formatted number ("N95" is a code).
    glued: dict = {"hk$": "HKD", "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
                   "nz$": "NZD", "s$": "SGD", "r$": "BRL", "nt$": "TWD", "mx$": "MXN", "rs": "INR", "rs.": "INR",
                   "sh": "KES", "ksh": "KES", "r": "ZAR", "n": "NGN", "rp": "IDR", "rm": "MYR", "tk": "BDT",
                   "e£": "EGP", "le": "EGP"}
    # Minor units, a hundredth of their currency: pence are sterling's ("12 pence", "350p"); cents are the
    # currency of the amounts around them ("$2.75 ... 50 cents", "20 euro cents"), US dollars without one.
    minor: dict = {"cent": None, "cents": None, "pence": "GBP", "penny": "GBP", "p": "GBP"}


class Measures(NamedTuple):
    """Units of measure to their short unit code."""

    units: dict = {
        "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
        "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "mm": "mm",
        "centimetre": "cm", "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "millimetre": "mm",
        "millimetres": "mm", "millimeter": "mm", "millimeters": "mm", "nanometre": "nm", "nanometres": "nm",
        "nanometer": "nm", "nanometers": "nm",  # not "nm": nautical miles as often
        "mile": "mile", "miles": "mile", "mi": "mile", "foot": "ft", "feet": "ft", "ft": "ft", "inch": "inch",
        "inches": "inch", "yard": "yard", "yards": "yard",
        "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "g": "g",
        "gram": "g", "grams": "g", "mg": "mg", "lb": "lb", "lbs": "lb", "pound": "lb", "ounce": "oz",
        "ounces": "oz", "oz": "oz", "ton": "ton", "tons": "ton", "tonne": "ton", "tonnes": "ton", "t": "ton",
        "barrel": "barrel", "barrels": "barrel", "bbl": "barrel", "bpd": "barrel", "litre": "l", "litres": "l",
        "liter": "l", "liters": "l", "l": "l", "gallon": "gallon", "gallons": "gallon",
        "mw": "mw", "megawatt": "mw", "megawatts": "mw", "gw": "gw", "gigawatt": "gw", "gigawatts": "gw",
        "kw": "kw", "kilowatt": "kw", "kilowatts": "kw", "kwh": "kwh", "mwh": "mwh", "gwh": "gwh", "twh": "twh",
        "horsepower": "hp", "hp": "hp", "bhp": "hp", "tablespoon": "tbsp", "tablespoons": "tbsp", "tbsp": "tbsp",
        "tbsp.": "tbsp", "teaspoon": "tsp", "teaspoons": "tsp", "tsp": "tsp", "tsp.": "tsp",
        "celsius": "celsius", "°c": "celsius", "° c": "celsius", "ºc": "celsius", "fahrenheit": "fahrenheit",
        # º: the ordinal sign typed for a degree
        "°f": "fahrenheit", "° f": "fahrenheit", "ºf": "fahrenheit", "f": "fahrenheit",
        "degrees celsius": "celsius", "degree celsius": "celsius", "degrees c": "celsius", "c": "celsius",
        "degrees fahrenheit": "fahrenheit", "degree fahrenheit": "fahrenheit", "degrees f": "fahrenheit",
        "hectare": "hectare", "hectares": "hectare", "ha": "hectare", "acre": "acre", "acres": "acre",
        "sq km": "km2", "km2": "km2", "km²": "km2", "square kilometres": "km2", "square kilometers": "km2",
        "square miles": "mile2", "square mile": "mile2", "sq mi": "mile2",
        "square metres": "m2", "square meters": "m2", "square metre": "m2", "square meter": "m2", "sq m": "m2",
        "m2": "m2", "m²": "m2", "sqm": "m2", "square feet": "ft2", "square foot": "ft2", "sq ft": "ft2",
        "sqft": "ft2", "mph": "mph", "km/h": "km/h", "kph": "km/h",
        "knot": "knot", "knots": "knot", "gb": "gb", "tb": "tb", "mb": "mb",
        "bcm": "bcm", "mcm": "mcm", "cubic metres": "m3", "cubic meters": "m3", "cubic feet": "ft3",
        "cubic foot": "ft3",
        "degree": "degree", "degrees": "degree",  # a temperature without its scale, an angle
        "magnitude": "magnitude",  # an earthquake's: "a 6.1-magnitude quake"; "magnitude 6.1" in units.measure
    }
    durations: dict = {"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
                       "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
                       "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
                       "decade": "decade", "decades": "decade", "century": "century", "centuries": "century"}
    percent: tuple[str, ...] = ("%", "percent", "per cent", "pct", "pc", "percentage")
    points: tuple[str, ...] = ("percentage point", "percentage points", "points", "point")
    basis_points: tuple[str, ...] = ("basis points", "basis point", "bps", "bp")
    # Words that make bare "points" index points, not percentage points ("the Dow fell 200 points").
    index_words: frozenset = frozenset({"index", "indices", "indexes", "average", "dow", "nasdaq", "s&p", "ftse",
                                        "nikkei", "dax", "cac", "sensex", "nifty", "kospi", "hang", "stoxx", "asx",
                                        "tsx", "benchmark"})
    fractions: frozenset = frozenset({"half", "halves", "third", "thirds", "quarter", "quarters", "fifth",
                                      "fifths", "tenth", "tenths"})


class NumberWords(NamedTuple):
    """Number words and scale words (English)."""

    units: dict = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                   "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                   "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                   "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                   "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12, "half": 0.5}
    scales: dict = {"hundred": 100, "thousand": 1_000, "k": 1_000, "lakh": 100_000, "lakhs": 100_000,
                    "million": 1_000_000, "millions": 1_000_000, "mln": 1_000_000, "mn": 1_000_000,
                    "m": 1_000_000, "mio": 1_000_000, "mill": 1_000_000, "crore": 10_000_000, "crores": 10_000_000,
                    "billion": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "bln": 1_000_000_000,
                    "trillion": 1_000_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000}
    # Scale words written in full: they start a number on their own ("million" in "a million"), and a
    # hyphen may join them to digits ("a $40-billion package"). The others are abbreviations.
    full_scales: frozenset = frozenset({"hundred", "thousand", "million", "billion", "trillion", "lakh", "crore"})
    # One-letter abbreviations: a scale only glued to digits ("17k", "60m"), never a word of their own.
    letter_scales: frozenset = frozenset({"k", "m", "b"})


def _compile(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


LINE_PATTERNS = LinePatterns()
BYLINE_RE = _compile(BylinePatterns().by)
FIGURE_WORDS = FigureWords()
ATTRIBUTION = Attribution()
CURRENCY = Currency()
MEASURES = Measures()
NUMBER_WORDS = NumberWords()

# Plurals spaCy's lemmatizer maps to the wrong singular ("bases" -> "basis").
LEMMA_EXCEPTIONS = {"bases": "base", "forces": "force", "data": "data", "media": "media", "news": "news",
                    "arms": "arm", "remains": "remains", "species": "species", "series": "series",
                    "taxes": "tax", "lenses": "lens"}  # the lemmatizer's "taxis" and "lense"
SENTENCE_END = ".!?。！？…"
CLOSERS = "\"'”’»)]"
NAMED_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def load_aliases() -> dict[str, str]:
    """Alias -> canonical name, from the packaged data file (keys lower-case)."""
    raw = json.loads(resources.files("transforms").joinpath("data/aliases.json").read_text("utf-8"))
    return {alias.lower(): canonical for canonical, aliases in raw.items() if not canonical.startswith("_")
            for alias in [canonical, *aliases]}


ALIASES = load_aliases()


def load_demonyms() -> dict[str, str]:
    """Nationality word -> the country's canonical name, from the packaged data file (keys lower-case)."""
    raw = json.loads(resources.files("transforms").joinpath("data/demonyms.json").read_text("utf-8"))
    return {form.lower(): country for country, forms in raw.items() if not country.startswith("_") for form in forms}


DEMONYMS = load_demonyms()


class Vocabulary(NamedTuple):
    """The measure table: noun (or word pair) -> class, counting verbs, generic people nouns, increments."""

    nouns: dict
    verbs: dict
    people: frozenset
    increment: frozenset
    demonyms: dict


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The measure table of data/measures.json (what a figure counts: troops, casualties, ...)."""
    table = json.loads(resources.files("transforms").joinpath("data/measures.json").read_text("utf-8"))
    nouns = {synonym: cls for cls, synonyms in table["nouns"].items() for synonym in synonyms}
    return Vocabulary(nouns, table["verbs"], frozenset(table["people_nouns"]), frozenset(table["increment"]), DEMONYMS)
