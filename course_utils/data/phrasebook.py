r"""A seeded, offline English -> French phrase book: short sentences with *every* correct translation.

Each English sentence is built from a small grammar and a lexicon written for this course; its French
translations are derived by rule, so they are exact, and when the English does not say something French
must say (is "you" one person or several? is "they" a group of women?), every possibility is listed.

Tokens
    Both languages are lower-case and are tokenized by splitting on ASCII spaces. The final full stop is
    a token of its own. An elided French word keeps its apostrophe (ASCII ``'``) and stands alone:
    ``je n' aime pas l' orange .`` has the tokens ``je``, ``n'``, ``aime``, ``pas``, ``l'``, ``orange``,
    ``.`` (``aujourd'hui`` is one word, so one token). English has no contractions (``do not``), French no
    hyphenated words. Spelling is the traditional one (``connaît``), with accents.

A few rules of French grammar that the data contains (and that a model must learn):

Gender and number
    Every French noun is masculine or feminine. Articles and adjectives agree with it: *le chat noir*,
    *la voiture noire*, *les chats noirs*, *les voitures noires*; *un chat*, *une voiture*, *des chats*.

Adjective placement
    Most adjectives follow the noun (*le chat noir*, "the black cat"); a few common ones come before it
    (*le petit chat*). So "the small black cat" is *le petit chat noir*: the words cross.

Elision and contraction
    Before a vowel or a mute h, *le*, *la*, *je*, *me*, *te*, *ne* and *de* drop their vowel: *l' arbre*,
    *l' homme*, *j' aime*, *je t' aide*, *je n' ai pas d' orange*. For the same reason *ma* becomes *mon*
    (*mon amie*) and *ce* becomes *cet* (*cet arbre*). *à le* and *de le* contract to *au* and *du*, *à les*
    and *de les* to *aux* and *des*: *je vais au parc*, *je viens du marché*, *près des arbres*; but
    *à l' école* (no contraction once *le* is elided).

Negation
    *ne ... pas* surrounds the conjugated verb: "I do not sleep" is *je ne dors pas*, "I never sleep"
    *je ne dors jamais*. After a negation, *un*, *une* and *des* on a direct object become *de*:
    "I do not have a cat" is *je n' ai pas de chat*.

Object pronouns
    They go before the verb: "I see you" is *je te vois* (or *je vous vois*); "I speak to her" is
    *je lui parle*.

Several correct translations
    "you" is *tu* (one person you know well) or *vous* (several people, or one person, politely); a
    sentence uses one or the other throughout (*tu aimes ton chat*, *vous aimez votre chat*). "they" is
    *ils* or *elles*; "I am tired" is *je suis fatigué* or *je suis fatiguée*; "a friend" is *un ami* or
    *une amie*; "every day" is *tous les jours* or *chaque jour*; "big" is *grand* or *gros*.

"Every correct translation" means every French sentence that these rules and this lexicon allow. Some
variants are left out on purpose: spoken ones (*on* for *nous*, a dropped *ne*), and *tu* with *votre* in
one sentence (a sentence's "you" and "your" are read as the same person or people).

The sentences are declarative (or imperative), in the present tense, 3 to :data:`MAX_TOKENS` English
tokens long. :func:`phrasebook_pairs` draws distinct English sentences; :func:`phrasebook_split` splits
them by source for training and evaluation.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections import Counter
from typing import NamedTuple

__all__ = ["MAX_TOKENS", "MAX_SOURCES", "PhrasebookSplit", "phrasebook_pairs", "phrasebook_split"]

#: Longest English sentence, in whitespace tokens including the final full stop.
MAX_TOKENS = 12
#: Largest ``n`` accepted by :func:`phrasebook_pairs` (the grammar holds millions of sentences).
MAX_SOURCES = 200_000

# ======================================================================================
# Lexicon
# ======================================================================================


class _Noun(NamedTuple):
    en: str
    en_pl: str
    tags: frozenset[str]
    fr: tuple[tuple[str, str, str], ...]  # alternatives: (singular, plural, gender "m" or "f")


def _noun(en: str, tags: str, *fr: str) -> _Noun:
    """``_noun("mouse mice", "animal pet", "souris souris f")``; a lone English word takes an "s"."""
    sg, _, pl = en.partition(" ")
    alternatives = tuple(tuple(f.split()) for f in fr)
    return _Noun(sg, pl or sg + "s", frozenset(tags.split()), alternatives)  # type: ignore[arg-type]


_NOUNS: tuple[_Noun, ...] = (
    # people ("kin": who you can "have": a brother, two friends...; "child": who can be "little")
    _noun("man men", "person", "homme hommes m"),
    _noun("woman women", "person", "femme femmes f"),
    _noun("boy", "person child", "garçon garçons m"),
    _noun("girl", "person child", "fille filles f"),
    _noun("child children", "person child kin", "enfant enfants m", "enfant enfants f"),
    _noun("baby babies", "person child", "bébé bébés m"),
    _noun("friend", "person kin", "ami amis m", "amie amies f"),
    _noun("neighbour", "person", "voisin voisins m", "voisine voisines f"),
    _noun("student", "person", "étudiant étudiants m", "étudiante étudiantes f"),
    _noun("mother", "person", "mère mères f"),
    _noun("father", "person", "père pères m"),
    _noun("brother", "person kin", "frère frères m"),
    _noun("sister", "person kin", "sœur sœurs f"),
    _noun("cousin", "person kin", "cousin cousins m", "cousine cousines f"),
    _noun("uncle", "person kin", "oncle oncles m"),
    _noun("aunt", "person kin", "tante tantes f"),
    # animals
    _noun("cat", "animal pet small coloured", "chat chats m"),
    _noun("dog", "animal pet coloured", "chien chiens m"),
    _noun("bird", "animal pet small coloured", "oiseau oiseaux m"),
    _noun("horse", "animal coloured", "cheval chevaux m"),
    _noun("mouse mice", "animal pet small coloured", "souris souris f"),
    _noun("cow", "animal coloured", "vache vaches f"),
    _noun("duck", "animal pet coloured", "canard canards m"),
    _noun("rabbit", "animal pet small coloured", "lapin lapins m"),
    # food and drink
    _noun("apple", "food fruit small throwable", "pomme pommes f"),
    _noun("pear", "food fruit small throwable", "poire poires f"),
    _noun("orange", "food fruit small throwable", "orange oranges f"),
    _noun("banana", "food fruit small", "banane bananes f"),
    _noun("egg", "food small", "œuf œufs m"),
    _noun("cake", "food makeable", "gâteau gâteaux m"),
    _noun("sandwich sandwiches", "food makeable", "sandwich sandwichs m", "sandwich sandwiches m"),
    _noun("tomato tomatoes", "food fruit small", "tomate tomates f"),
    _noun("carrot", "food small", "carotte carottes f"),
    _noun("coffee", "drink", "café cafés m"),
    _noun("tea", "drink", "thé thés m"),
    _noun("juice", "drink", "jus jus m"),
    # things you can carry
    _noun("book", "thing portable readable writable openable coloured", "livre livres m"),
    _noun("letter", "thing portable readable writable letter small", "lettre lettres f"),
    _noun("newspaper", "thing portable readable", "journal journaux m"),
    _noun("map", "thing portable readable", "carte cartes f"),
    _noun("key", "thing portable small throwable", "clé clés f", "clef clefs f"),
    _noun("bag", "thing portable openable container coloured", "sac sacs m"),
    _noun("hat", "thing portable clothing coloured", "chapeau chapeaux m"),
    _noun("coat", "thing portable clothing coloured", "manteau manteaux m"),
    _noun("shoe", "thing portable clothing coloured", "chaussure chaussures f"),
    _noun("pen", "thing portable small throwable coloured", "stylo stylos m"),
    _noun("cup", "thing portable dish container coloured", "tasse tasses f"),
    _noun("ball", "thing portable small throwable coloured", "balle balles f", "ballon ballons m"),
    _noun("box boxes", "thing portable openable container coloured", "boîte boîtes f"),
    _noun("umbrella", "thing portable openable coloured", "parapluie parapluies m"),
    _noun("phone", "thing portable small coloured", "téléphone téléphones m"),
    _noun("computer", "thing portable coloured", "ordinateur ordinateurs m"),
    _noun("lamp", "thing portable coloured", "lampe lampes f"),
    _noun("flower", "thing portable coloured", "fleur fleurs f"),
    # furniture, parts of a house, trees
    _noun("table", "furniture surface under coloured paintable", "table tables f"),
    _noun("chair", "furniture surface under coloured paintable", "chaise chaises f"),
    _noun("bed", "furniture surface under coloured", "lit lits m"),
    _noun("sofa", "furniture surface under coloured", "canapé canapés m"),
    _noun("desk", "furniture surface under coloured paintable", "bureau bureaux m"),
    _noun("door", "landmark openable coloured paintable", "porte portes f"),
    _noun("window", "landmark openable paintable", "fenêtre fenêtres f"),
    _noun("tree", "landmark under tree", "arbre arbres m"),
    _noun("house", "landmark building place inside coloured paintable", "maison maisons f"),
    # vehicles ("transport" can leave and arrive)
    _noun("car", "vehicle coloured paintable", "voiture voitures f"),
    _noun("bike", "vehicle coloured paintable", "vélo vélos m", "bicyclette bicyclettes f"),
    _noun("bus buses", "vehicle transport coloured", "bus bus m", "autobus autobus m"),
    _noun("train", "vehicle transport coloured", "train trains m"),
    _noun("boat", "vehicle transport surface coloured paintable", "bateau bateaux m"),
    _noun("plane", "vehicle transport coloured", "avion avions m"),
    # places
    _noun("park", "place landmark inside visitable", "parc parcs m"),
    _noun("market", "place landmark", "marché marchés m"),
    _noun("station", "place landmark inside", "gare gares f"),
    _noun("school", "place landmark inside visitable", "école écoles f"),
    _noun("hotel", "place landmark inside", "hôtel hôtels m"),
    _noun("beach beaches", "place landmark surface", "plage plages f"),
    _noun("library libraries", "place landmark inside visitable", "bibliothèque bibliothèques f"),
    _noun("museum", "place landmark inside visitable", "musée musées m"),
    _noun("shop", "place landmark inside", "magasin magasins m", "boutique boutiques f"),
    _noun("office", "place landmark inside room", "bureau bureaux m"),
    _noun("garden", "place landmark inside visitable", "jardin jardins m"),
    _noun("kitchen", "place landmark inside room", "cuisine cuisines f"),
    _noun("bank", "place landmark inside", "banque banques f"),
    _noun("airport", "place landmark inside", "aéroport aéroports m"),
    _noun("church churches", "place landmark inside visitable", "église églises f"),
    _noun("hospital", "place landmark inside", "hôpital hôpitaux m"),
    _noun("restaurant", "place landmark inside", "restaurant restaurants m"),
    _noun("cinema", "place landmark inside", "cinéma cinémas m"),
)


class _Adj(NamedTuple):
    en: str
    before: bool  # placed before the noun in French
    colour: bool  # may follow a "before" adjective: "the small black cat"
    attributive: bool  # may stand next to a noun (False: only after "to be")
    lasting: bool  # a lasting quality (small, black): "X is small" takes no adverb or time phrase
    tags: frozenset[str]  # the nouns it can describe (and "person" for I, you, he...)
    fr: tuple[tuple[str, str, str, str], ...]  # alternatives: (m. sg., f. sg., m. pl., f. pl.)


def _adj(en: str, where: str, tags: str, *fr: str, lasting: bool = True) -> _Adj:
    """``where``: "before", "after", "colour" (after, combinable) or "predicate" (after "to be" only)."""
    forms = tuple(tuple(f.split()) for f in fr)
    return _Adj(en, where == "before", where == "colour", where != "predicate", lasting,
                frozenset(tags.split()), forms)  # type: ignore[arg-type]  # fmt: skip


_LIVING = "person animal"
_ADJECTIVES: tuple[_Adj, ...] = (
    # not "person": "mon petit ami" would say "my boyfriend"
    _adj("small", "before", "child animal thing vehicle furniture building place food",
         "petit petite petits petites"),
    _adj("little", "before", "child animal thing vehicle furniture building", "petit petite petits petites"),
    _adj("big", "before", "animal thing vehicle furniture building place food",
         "grand grande grands grandes", "gros grosse gros grosses"),
    _adj("young", "before", _LIVING, "jeune jeune jeunes jeunes"),
    _adj("pretty", "before", "animal thing vehicle building place", "joli jolie jolis jolies"),
    _adj("good", "before", "food drink readable", "bon bonne bons bonnes"),
    _adj("bad", "before", "food drink readable", "mauvais mauvaise mauvais mauvaises"),
    _adj("long", "before", "letter readable transport", "long longue longs longues"),
    _adj("black", "colour", "coloured", "noir noire noirs noires"),
    _adj("white", "colour", "coloured", "blanc blanche blancs blanches"),
    _adj("red", "colour", "coloured fruit", "rouge rouge rouges rouges"),
    _adj("green", "colour", "coloured fruit", "vert verte verts vertes"),
    _adj("blue", "colour", "coloured", "bleu bleue bleus bleues"),
    _adj("yellow", "colour", "coloured fruit", "jaune jaune jaunes jaunes"),
    _adj("grey", "colour", "coloured", "gris grise gris grises"),
    _adj("hot", "after", "drink", "chaud chaude chauds chaudes", lasting=False),
    _adj("cold", "after", "drink", "froid froide froids froides", lasting=False),
    _adj("heavy", "after", "portable furniture", "lourd lourde lourds lourdes"),
    _adj("expensive", "after", "thing vehicle building food drink", "cher chère chers chères"),
    _adj("fast", "after", "vehicle animal", "rapide rapide rapides rapides"),
    _adj("empty", "after", "container", "vide vide vides vides", lasting=False),
    _adj("clean", "after", "thing vehicle furniture place", "propre propre propres propres", lasting=False),
    _adj("dirty", "after", "thing vehicle furniture place", "sale sale sales sales", lasting=False),
    _adj("broken", "after", "thing vehicle furniture", "cassé cassée cassés cassées", lasting=False),
    _adj("happy", "after", _LIVING, "heureux heureuse heureux heureuses", "content contente contents contentes",
         lasting=False),
    _adj("sad", "after", _LIVING, "triste triste tristes tristes", lasting=False),
    _adj("tired", "after", _LIVING, "fatigué fatiguée fatigués fatiguées", lasting=False),
    _adj("sick", "after", _LIVING, "malade malade malades malades", lasting=False),
    _adj("ill", "predicate", _LIVING, "malade malade malades malades", lasting=False),
    _adj("quiet", "after", "person animal place", "calme calme calmes calmes",
         "tranquille tranquille tranquilles tranquilles", lasting=False),
    _adj("noisy", "after", "person animal place", "bruyant bruyante bruyants bruyantes", lasting=False),
    _adj("ready", "predicate", "person", "prêt prête prêts prêtes", lasting=False),
)

# --------------------------------------------------------------------------------------
# Verbs
# --------------------------------------------------------------------------------------

#: Present tense, in the order je, tu, il/elle, nous, vous, ils/elles.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    inf: tuple(forms.split())
    for inf, forms in {
        "être": "suis es est sommes êtes sont",
        "avoir": "ai as a avons avez ont",
        "aller": "vais vas va allons allez vont",
        "faire": "fais fais fait faisons faites font",
        "prendre": "prends prends prend prenons prenez prennent",
        "voir": "vois vois voit voyons voyez voient",
        "vouloir": "veux veux veut voulons voulez veulent",
        "venir": "viens viens vient venons venez viennent",
        "lire": "lis lis lit lisons lisez lisent",
        "écrire": "écris écris écrit écrivons écrivez écrivent",
        "boire": "bois bois boit buvons buvez boivent",
        "dormir": "dors dors dort dormons dormez dorment",
        "courir": "cours cours court courons courez courent",
        "partir": "pars pars part partons partez partent",
        "ouvrir": "ouvre ouvres ouvre ouvrons ouvrez ouvrent",
        "connaître": "connais connais connaît connaissons connaissez connaissent",
        "rire": "ris ris rit rions riez rient",
        "sourire": "souris souris sourit sourions souriez sourient",
        "suivre": "suis suis suit suivons suivez suivent",
        "peindre": "peins peins peint peignons peignez peignent",
        # -er verbs whose stem changes
        "acheter": "achète achètes achète achetons achetez achètent",
        "jeter": "jette jettes jette jetons jetez jettent",
        "nettoyer": "nettoie nettoies nettoie nettoyons nettoyez nettoient",
        "envoyer": "envoie envoies envoie envoyons envoyez envoient",
    }.items()
}


def _conjugate(infinitive: str) -> tuple[str, ...]:
    """The six present-tense forms: a table for irregular verbs, a rule for -er and -dre verbs."""
    if infinitive in _IRREGULAR:
        return _IRREGULAR[infinitive]
    if infinitive.endswith("dre"):  # attendre: j'attends, il attend, nous attendons
        stem = infinitive[:-2]
        return (stem + "s", stem + "s", stem, stem + "ons", stem + "ez", stem + "ent")
    if not infinitive.endswith("er"):
        raise ValueError(f"no conjugation for {infinitive!r}")
    stem = infinitive[:-2]
    # manger -> nous mangeons, lancer -> nous lançons: keep the soft g / c before "o"
    nous = stem + "eons" if stem.endswith("g") else stem[:-1] + "çons" if stem.endswith("c") else stem + "ons"
    return (stem + "e", stem + "es", stem + "e", nous, stem + "ez", stem + "ent")


def _imperative(infinitive: str) -> tuple[str, str]:
    """The (tu, vous) imperative: -er verbs (and ouvrir) drop the "s" of "tu manges"."""
    forms = _conjugate(infinitive)
    if infinitive == "aller":
        return "va", forms[4]
    tu = forms[1][:-1] if infinitive.endswith("er") or infinitive == "ouvrir" else forms[1]
    return tu, forms[4]


class _Verb(NamedTuple):
    en: str  # base form
    en3: str  # third person singular
    particle: str  # "look for": "for"; "" if none
    fr: tuple[tuple[str, tuple[str, ...], bool], ...]  # (infinitive, words after it, only if affirmative)
    frame: str  # "intr", "tr" (direct object), "ditr" (object + "to" someone), "go" (to / from a place)
    subj: frozenset[str]  # tags of subjects
    obj: frozenset[str]  # tags of the (direct) object, or of the place for "go"
    ind: frozenset[str]  # tags of the person "to" whom (ditr)
    prep: str  # French preposition before the object: "à" (parler à), "de" (venir de), ""
    indef: bool  # indefinite objects allowed (a, some, two)
    pron: bool  # pronoun objects allowed (I see you -> je te vois)
    imp: bool  # imperative allowed (open the door)
    stative: bool  # a state (know, like, have, want): no adverb or time phrase


def _verb(en: str, fr: str, frame: str, subj: str, obj: str = "", ind: str = "", *, prep: str = "",
          flags: str = "") -> _Verb:  # fmt: skip
    """``en``: "base third [particle]"; ``fr``: alternatives separated by "|", "+" marks affirmative-only."""
    base, third, *particle = en.split()
    alternatives = []
    for alt in fr.split("|"):
        affirmative_only = alt.endswith("+")
        inf, *tail = alt.rstrip("+").split()
        alternatives.append((inf, tuple(tail), affirmative_only))
    return _Verb(base, third, particle[0] if particle else "", tuple(alternatives), frame,
                 frozenset(subj.split()), frozenset(obj.split()), frozenset(ind.split()), prep,
                 "indef" in flags, "pron" in flags, "imp" in flags, "stative" in flags)  # fmt: skip


_SEEN = "person animal food drink thing vehicle furniture landmark"
_VERBS: tuple[_Verb, ...] = (
    # intransitive
    _verb("sleep sleeps", "dormir", "intr", _LIVING),
    _verb("work works", "travailler", "intr", "person"),
    _verb("sing sings", "chanter", "intr", "person"),
    _verb("dance dances", "danser", "intr", "person"),
    _verb("play plays", "jouer", "intr", _LIVING),
    _verb("swim swims", "nager", "intr", _LIVING),
    _verb("run runs", "courir", "intr", _LIVING),
    _verb("walk walks", "marcher", "intr", _LIVING),
    _verb("laugh laughs", "rire", "intr", "person"),
    _verb("smile smiles", "sourire", "intr", "person"),
    _verb("cry cries", "pleurer", "intr", "person"),
    _verb("leave leaves", "partir", "intr", "person transport"),
    _verb("arrive arrives", "arriver", "intr", "person transport"),
    _verb("wait waits", "attendre", "intr", "person"),
    _verb("eat eats", "manger", "intr", _LIVING),
    _verb("read reads", "lire", "intr", "person"),
    _verb("write writes", "écrire", "intr", "person"),
    _verb("cook cooks", "cuisiner|faire la cuisine", "intr", "person"),
    _verb("study studies", "étudier", "intr", "person"),
    _verb("travel travels", "voyager", "intr", "person"),
    # transitive
    _verb("see sees", "voir", "tr", _LIVING, _SEEN, flags="indef pron"),
    _verb("watch watches", "regarder", "tr", "person", "person animal vehicle", flags="indef pron imp"),
    _verb("look looks at", "regarder", "tr", _LIVING, _SEEN, flags="pron imp"),
    _verb("look looks for", "chercher", "tr", _LIVING, "person animal thing vehicle", flags="indef pron imp"),
    _verb("hear hears", "entendre", "tr", _LIVING, "person animal vehicle", flags="indef pron"),
    _verb("listen listens to", "écouter", "tr", _LIVING, "person animal", flags="pron imp"),
    _verb("follow follows", "suivre", "tr", _LIVING, "person animal vehicle", flags="indef pron imp"),
    _verb("wait waits for", "attendre", "tr", "person", "person animal transport", flags="indef pron imp"),
    _verb("help helps", "aider", "tr", "person", "person", flags="indef pron imp"),
    _verb("answer answers", "répondre", "tr", "person", "person", prep="à", flags="pron imp"),
    _verb("speak speaks to", "parler", "tr", "person", "person animal", prep="à", flags="indef pron imp"),
    _verb("talk talks to", "parler", "tr", "person", "person animal", prep="à", flags="indef pron imp"),
    _verb("like likes", "aimer|aimer bien+", "tr", "person", "animal food drink thing vehicle place furniture",
          flags="stative"),
    _verb("know knows", "connaître", "tr", "person", "person place", flags="pron stative"),
    _verb("have has", "avoir", "tr", "person", "animal thing vehicle food kin building", flags="indef stative"),
    _verb("want wants", "vouloir", "tr", _LIVING, "animal food drink thing vehicle", flags="indef stative"),
    _verb("eat eats", "manger", "tr", _LIVING, "food", flags="indef imp"),
    _verb("drink drinks", "boire", "tr", "person", "drink", flags="indef imp"),
    _verb("buy buys", "acheter", "tr", "person", "animal food drink thing vehicle furniture building",
          flags="indef imp"),
    _verb("sell sells", "vendre", "tr", "person", "animal thing vehicle furniture building", flags="indef imp"),
    _verb("find finds", "trouver", "tr", _LIVING, "person animal thing", flags="indef imp"),
    _verb("take takes", "prendre", "tr", "person", "thing food vehicle", flags="indef imp"),
    _verb("carry carries", "porter", "tr", "person", "portable pet", flags="indef imp"),
    _verb("wash washes", "laver", "tr", "person", "vehicle pet dish clothing", flags="indef imp"),
    _verb("clean cleans", "nettoyer", "tr", "person", "furniture vehicle dish room building", flags="indef imp"),
    _verb("open opens", "ouvrir", "tr", "person", "openable", flags="indef imp"),
    _verb("close closes", "fermer", "tr", "person", "openable", flags="indef imp"),
    _verb("read reads", "lire", "tr", "person", "readable", flags="indef imp"),
    _verb("write writes", "écrire", "tr", "person", "writable", flags="indef imp"),
    _verb("draw draws", "dessiner", "tr", "person", "person animal thing vehicle building tree furniture",
          flags="indef imp"),
    _verb("paint paints", "peindre", "tr", "person", "paintable", flags="indef imp"),
    _verb("make makes", "faire", "tr", "person", "makeable", flags="indef imp"),
    _verb("throw throws", "lancer|jeter", "tr", "person", "throwable", flags="indef imp"),
    _verb("visit visits", "visiter", "tr", "person", "visitable", flags="imp"),
    _verb("forget forgets", "oublier", "tr", "person", "portable"),
    # something to someone
    _verb("give gives", "donner", "ditr", "person", "portable food drink", "person animal", flags="indef imp"),
    _verb("send sends", "envoyer", "ditr", "person", "portable", "person", flags="indef imp"),
    _verb("show shows", "montrer", "ditr", "person", "portable pet food", "person", flags="indef imp"),
    _verb("bring brings", "apporter", "ditr", "person", "portable food drink", "person", flags="indef imp"),
    _verb("lend lends", "prêter", "ditr", "person", "portable vehicle", "person", flags="indef imp"),
    _verb("sell sells", "vendre", "ditr", "person", "portable vehicle pet furniture", "person", flags="indef imp"),
    _verb("read reads", "lire", "ditr", "person", "readable", "person", flags="indef imp"),
    _verb("write writes", "écrire", "ditr", "person", "letter", "person", flags="indef imp"),
    _verb("throw throws", "lancer|jeter", "ditr", "person", "throwable", "person animal", flags="indef imp"),
    # motion
    _verb("go goes to", "aller", "go", _LIVING, "place", prep="à", flags="imp"),
    _verb("come comes from", "venir", "go", _LIVING, "place", prep="de"),
)


class _Prep(NamedTuple):
    en: str
    fr: tuple[str, ...]
    obj: frozenset[str]
    subj: frozenset[str]


def _prep(en: str, fr: str, obj: str, subj: str) -> _Prep:
    return _Prep(en, tuple(fr.split()), frozenset(obj.split()), frozenset(subj.split()))


_THINGS = "person animal thing"
#: "to be" + where. Entries with the same English preposition have disjoint objects, so that one
#: English sentence never comes from two entries.
_PREPOSITIONS: tuple[_Prep, ...] = (
    _prep("in", "dans", "inside", _THINGS),
    _prep("in", "dans", "vehicle", _THINGS),
    _prep("in", "dans", "container", "small"),
    _prep("on", "sur", "surface", _THINGS),
    _prep("under", "sous", "under", _THINGS),
    _prep("near", "près de", "landmark furniture", _THINGS + " vehicle"),
    _prep("next to", "à côté de", "landmark furniture vehicle", _THINGS + " vehicle"),
    _prep("behind", "derrière", "landmark furniture vehicle", _THINGS + " vehicle"),
    _prep("in front of", "devant", "landmark furniture vehicle", _THINGS + " vehicle"),
)

# --------------------------------------------------------------------------------------
# Pronouns, determiners, adverbs, time phrases
# --------------------------------------------------------------------------------------

#: English subject -> (French alternatives, person index 0..5, English person "1", "3" or "p" (plural/you))
_SUBJECTS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "i": (("je",), 0, "1"),
    "you": (("tu", "vous"), 1, "p"),  # person index 1 for tu, 4 for vous
    "he": (("il",), 2, "3"),
    "she": (("elle",), 2, "3"),
    "we": (("nous",), 3, "p"),
    "they": (("ils", "elles"), 5, "p"),
}
#: English object pronoun -> French (direct, indirect); "you" is te/vous.
_OBJECT_PRONOUNS: dict[str, tuple[str, str]] = {
    "me": ("me", "me"), "you": ("te", "te"), "him": ("le", "lui"), "her": ("la", "lui"),
    "us": ("nous", "nous"), "them": ("les", "leur"),
}  # fmt: skip

#: determiner -> French alternatives, each (masc. sg., fem. sg., plural); "your" is tu-form then vous-form.
_DETERMINERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "the": (("le", "la", "les"),),
    "a": (("un", "une", ""),),
    "some": (("", "", "des"), ("", "", "quelques")),
    "two": (("", "", "deux"),),
    "three": (("", "", "trois"),),
    "my": (("mon", "ma", "mes"),),
    "your": (("ton", "ta", "tes"), ("votre", "votre", "vos")),
    "his": (("son", "sa", "ses"),),
    "her": (("son", "sa", "ses"),),
    "our": (("notre", "notre", "nos"),),
    "their": (("leur", "leur", "leurs"),),
    "this": (("ce", "cette", "ces"),),
}
_POSSESSIVE = ("my", "your", "his", "her", "our", "their")
_EN_DET = {"this": ("this", "these"), "some": ("some", "some")}  # otherwise the key itself

_ADVERBS: dict[str, tuple[str, ...]] = {"often": ("souvent",), "always": ("toujours",),
                                        "sometimes": ("parfois", "quelquefois")}  # fmt: skip
_TIMES: dict[str, tuple[str, ...]] = {
    "today": ("aujourd'hui",),
    "tonight": ("ce soir",),
    "this morning": ("ce matin",),
    "this evening": ("ce soir",),
    "every day": ("tous les jours", "chaque jour"),
    "every morning": ("tous les matins", "chaque matin"),
    "every evening": ("tous les soirs", "chaque soir"),
    "every week": ("toutes les semaines", "chaque semaine"),
    "in the morning": ("le matin",),
    "in the evening": ("le soir",),
}

# ======================================================================================
# Grammar: which words may go together
# ======================================================================================

_AFFIRMATIVE, _NOT, _NEVER = "affirmative", "not", "never"


@functools.cache
def _nouns_with(tags: frozenset[str]) -> tuple[_Noun, ...]:
    return tuple(n for n in _NOUNS if n.tags & tags)


def _pre_adjectives(noun: _Noun) -> tuple[_Adj, ...]:
    return tuple(a for a in _ADJECTIVES if a.before and a.tags & noun.tags)


def _post_adjectives(noun: _Noun) -> tuple[_Adj, ...]:
    return tuple(a for a in _ADJECTIVES if not a.before and a.attributive and a.tags & noun.tags)


_DEFINITE = (("the", False), ("the", True), ("this", False), ("this", True))
_POSSESSIVES = tuple((d, pl) for d in _POSSESSIVE for pl in (False, True))


@functools.cache
def _determiners(role: str, polarity: str = _AFFIRMATIVE, indef: bool = True) -> tuple[tuple[str, bool], ...]:
    """(determiner, plural) pairs allowed for a noun phrase in ``role``."""
    if role == "subject":
        return _DEFINITE + _POSSESSIVES
    if role == "place":  # go to / come from
        return (("the", False), ("this", False)) + tuple((d, False) for d in _POSSESSIVE)
    if role in ("where", "to"):  # after a preposition: "under a table", "to a friend"
        return _DEFINITE + _POSSESSIVES + (("a", False),)
    # direct object; numbers only in affirmative sentences ("some" reads "any" after a negation)
    if not indef:
        return _DEFINITE + _POSSESSIVES
    numbers = (("two", True), ("three", True)) if polarity == _AFFIRMATIVE else ()
    return _DEFINITE + _POSSESSIVES + (("a", False), ("some", True)) + numbers


@functools.cache
def _modifiers(polarity: str, *, stative: bool, imperative: bool) -> tuple[str | None, ...]:
    """Adverb or time phrase options (None: nothing)."""
    if stative or polarity == _NEVER:
        return (None,)
    if polarity == _NOT or imperative:
        return (None, *_TIMES)
    return (None, *_ADVERBS, *_TIMES)


def _polarities(stative: bool) -> tuple[str, ...]:
    return (_AFFIRMATIVE, _NOT) if stative else (_AFFIRMATIVE, _NOT, _NEVER)


def _is_stative(head: object) -> bool:
    """Verbs of state and lasting qualities take no adverb, no time phrase and no "never"."""
    return head.lasting if isinstance(head, _Adj) else isinstance(head, _Verb) and head.stative


_SUBJECT_PRONOUNS = tuple(_SUBJECTS)
_FRAMES = ("intr", "tr", "pron", "ditr", "go", "where", "adj", "imp")


def _frame_verbs(frame: str) -> tuple[_Verb, ...]:
    if frame == "pron":
        return tuple(v for v in _VERBS if v.pron)
    if frame == "imp":
        return tuple(v for v in _VERBS if v.imp)
    return tuple(v for v in _VERBS if v.frame == frame)


_PREDICATES = _ADJECTIVES  # every adjective can follow "to be"

# ======================================================================================
# Sentences
# ======================================================================================


class _NP(NamedTuple):
    det: str
    plural: bool
    pre: _Adj | None
    post: _Adj | None
    noun: _Noun


class _Sentence(NamedTuple):
    frame: str  # one of _FRAMES
    head: object  # _Verb, _Prep (frame "where") or _Adj (frame "adj")
    subject: str | _NP | None  # pronoun key, noun phrase, or None (imperative)
    polarity: str
    modifier: str | None
    obj: str | _NP | None  # object noun phrase, object pronoun key ("pron"), place...
    ind: _NP | None  # "to" whom (ditr)


# --------------------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------------------


def _en_np(np: _NP, polarity: str) -> list[str]:
    det = np.det
    if det == "some" and polarity != _AFFIRMATIVE:
        word = "any"
    else:
        word = _EN_DET[det][np.plural] if det in _EN_DET else det
    words = [word]
    if np.pre is not None:
        words.append(np.pre.en)
    if np.post is not None:
        words.append(np.post.en)
    words.append(np.noun.en_pl if np.plural else np.noun.en)
    return words


def _english(s: _Sentence) -> list[str]:
    pol = s.polarity
    if s.subject is None:
        subject, person = [], "p"
    elif isinstance(s.subject, str):
        subject, person = [s.subject], _SUBJECTS[s.subject][2]
    else:
        subject, person = _en_np(s.subject, pol), ("p" if s.subject.plural else "3")
    adverb = [s.modifier] if s.modifier in _ADVERBS else []
    time = s.modifier.split() if s.modifier in _TIMES else []
    if s.frame in ("where", "adj"):  # to be
        be = {"1": "am", "3": "is", "p": "are"}[person]
        group = [be] + (adverb if pol == _AFFIRMATIVE else [pol])
    else:
        verb: _Verb = s.head  # type: ignore[assignment]
        third = person == "3"
        if s.frame == "imp":
            group = {_AFFIRMATIVE: [verb.en], _NOT: ["do", "not", verb.en], _NEVER: ["never", verb.en]}[pol]
        elif pol == _AFFIRMATIVE:
            group = adverb + [verb.en3 if third else verb.en]
        elif pol == _NOT:
            group = ["does" if third else "do", "not", verb.en]
        else:
            group = ["never", verb.en3 if third else verb.en]
        if verb.particle:
            group.append(verb.particle)
    rest: list[str] = []
    if s.frame == "adj":
        rest = [s.head.en]  # type: ignore[union-attr]
    elif s.frame == "where":
        rest = s.head.en.split() + _en_np(s.obj, pol)  # type: ignore[union-attr, arg-type]
    elif s.frame == "pron":
        rest = [s.obj]  # type: ignore[list-item]
    elif s.obj is not None:
        rest = _en_np(s.obj, pol)  # type: ignore[arg-type]
    if s.ind is not None:
        rest += ["to"] + _en_np(s.ind, pol)
    words = subject + group + rest + time
    for i, w in enumerate(words[:-1]):  # a apple -> an apple
        if w == "a" and words[i + 1][0] in "aeiou":
            words[i] = "an"
    return words + ["."]


# --------------------------------------------------------------------------------------
# French
# --------------------------------------------------------------------------------------

_VOWEL_START = frozenset("aeiouàâéèêëîïôœ")
#: Words of the lexicon that begin with a mute h (they elide like a vowel: l' homme, l' hôtel).
_MUTE_H = frozenset({"homme", "hommes", "hôtel", "hôtels", "hôpital", "hôpitaux", "heureux", "heureuse",
                     "heureuses"})  # fmt: skip
_ELISION = {"le": "l'", "la": "l'", "je": "j'", "me": "m'", "te": "t'", "ne": "n'", "de": "d'",
            "ce": "cet", "ma": "mon", "ta": "ton", "sa": "son"}  # fmt: skip
_CONTRACTION = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def _vowel_sound(word: str) -> bool:
    return word[0] in _VOWEL_START or word in _MUTE_H


def _finish(tokens: list[str]) -> str:
    """Apply elision (le arbre -> l' arbre), then contraction (à le -> au), and join with spaces.

    Elision comes first: "à le hôtel" becomes "à l' hôtel", which does not contract.
    """
    out = list(tokens)
    for i in range(len(tokens) - 1):
        if tokens[i] in _ELISION and _vowel_sound(tokens[i + 1]):
            out[i] = _ELISION[tokens[i]]
    text = " ".join(out)
    if "à le" in text or "de le" in text:  # also matches "à les", "de les"
        text = f" {text} "
        for (prep, article), merged in _CONTRACTION.items():
            text = text.replace(f" {prep} {article} ", f" {merged} ")
        text = text[1:-1]
    return text


def _fr_np(np: _NP, addr: int, neg_de: bool) -> list[tuple[list[str], str, bool]]:
    """French alternatives for a noun phrase: (tokens, gender, plural). ``addr`` 0: tu, 1: vous."""
    pl = np.plural
    if neg_de and np.det in ("a", "some"):
        dets: tuple[tuple[str, str, str], ...] = (("de", "de", "de"),)
    elif np.det == "your":
        dets = (_DETERMINERS["your"][addr],)
    else:
        dets = _DETERMINERS[np.det]
    pres = np.pre.fr if np.pre is not None else ((),)
    posts = np.post.fr if np.post is not None else ((),)
    out = []
    for sg_form, pl_form, gender in np.noun.fr:
        k = (gender == "f") + 2 * pl
        for det, pre, post in itertools.product(dets, pres, posts):
            tokens = [det[2] if pl else det[gender == "f"]]
            if pre:
                tokens.append(pre[k])
            tokens.append(pl_form if pl else sg_form)
            if post:
                tokens.append(post[k])
            out.append((tokens, gender, pl))
    return out


def _uses_you(s: _Sentence) -> bool:
    if s.frame == "imp" or s.subject == "you" or (s.frame == "pron" and s.obj == "you"):
        return True
    return any(isinstance(np, _NP) and np.det == "your" for np in (s.subject, s.obj, s.ind))


def _fr_subjects(s: _Sentence, addr: int, agree: bool) -> list[tuple[list[str], int, str, bool]]:
    """(tokens, person 0..5, gender, plural) alternatives; genders spelled out only if ``agree``."""
    subj = s.subject
    if isinstance(subj, _NP):
        return [(t, 5 if pl else 2, g, pl) for t, g, pl in _fr_np(subj, addr, False)]
    genders = ("m", "f") if agree else ("m",)
    if subj == "you":
        if addr == 0:
            return [(["tu"], 1, g, False) for g in genders]
        return [(["vous"], 4, g, pl) for g in genders for pl in ((False, True) if agree else (True,))]
    if subj == "they":
        return [(["ils"], 5, "m", True), (["elles"], 5, "f", True)]
    if subj in ("he", "she"):
        return [([_SUBJECTS[subj][0][0]], 2, "m" if subj == "he" else "f", False)]  # type: ignore[index]
    person = _SUBJECTS[subj][1]  # type: ignore[index]
    return [([_SUBJECTS[subj][0][0]], person, g, person == 3) for g in genders]  # type: ignore[index]


def _french(s: _Sentence) -> list[str]:
    """Every correct French translation of the sentence, deduplicated and sorted."""
    pol = s.polarity
    negation = {_AFFIRMATIVE: None, _NOT: "pas", _NEVER: "jamais"}[pol]
    adverbs = _ADVERBS.get(s.modifier, (None,))  # type: ignore[arg-type]
    times = [t.split() for t in _TIMES[s.modifier]] if s.modifier in _TIMES else [[]]
    results: set[str] = set()
    for addr in (0, 1) if _uses_you(s) else (0,):
        if s.frame in ("adj", "where"):
            verbs: list[tuple[str, tuple[str, ...]]] = [("être", ())]
        else:
            verb: _Verb = s.head  # type: ignore[assignment]
            verbs = [(inf, tail) for inf, tail, affirmative in verb.fr if pol == _AFFIRMATIVE or not affirmative]
        if s.subject is None:  # imperative
            subjects = [([], 1 + 3 * addr, "m", False)]
        else:
            subjects = _fr_subjects(s, addr, agree=s.frame == "adj")
        # what follows the verb (object, place, adjective...) as alternatives of token lists
        if s.frame == "adj":
            adj: _Adj = s.head  # type: ignore[assignment]
            afters: list[list[str]] | None = None
        else:
            afters = [[]]
            if s.frame == "where":
                afters = [list(s.head.fr) + t for t, _, _ in _fr_np(s.obj, addr, False)]  # type: ignore
            elif s.frame in ("tr", "ditr", "go", "imp") and isinstance(s.obj, _NP):
                prep = [s.head.prep] if s.head.prep else []  # type: ignore[union-attr]
                neg_de = negation is not None and not prep
                afters = [prep + t for t, _, _ in _fr_np(s.obj, addr, neg_de)]
            if s.ind is not None:
                afters = [a + ["à"] + t for a in afters for t, _, _ in _fr_np(s.ind, addr, False)]
        clitic: list[str] = []
        if s.frame == "pron":
            direct, indirect = _OBJECT_PRONOUNS[s.obj]  # type: ignore[index]
            word = indirect if s.head.prep == "à" else direct  # type: ignore[union-attr]
            clitic = ["vous" if word == "te" and addr == 1 else word]
        for (subj, person, gender, plural), (inf, tail), adverb, time in itertools.product(
            subjects, verbs, adverbs, times
        ):
            form = _imperative(inf)[addr] if s.frame == "imp" else _conjugate(inf)[person]
            head = subj + (["ne"] if negation else []) + clitic + [form]
            head += ([negation] if negation else []) + ([adverb] if adverb else []) + list(tail)
            if afters is None:
                k = (gender == "f") + 2 * plural
                tails = [[forms[k]] for forms in adj.fr]
            else:
                tails = afters
            for after in tails:
                results.add(_finish(head + after + time + ["."]))
    return sorted(results)


# ======================================================================================
# Drawing sentences
# ======================================================================================

_PRE = {n: _pre_adjectives(n) for n in _NOUNS}
_POST = {n: _post_adjectives(n) for n in _NOUNS}
_COLOUR = {n: tuple(a for a in _POST[n] if a.colour) for n in _NOUNS}

#: How often each kind of sentence is drawn (not proportional to how many sentences each kind holds).
_FRAME_WEIGHTS = {"intr": 10, "tr": 28, "pron": 8, "ditr": 12, "go": 8, "where": 12, "adj": 10, "imp": 12}
_POLARITY_WEIGHTS = {_AFFIRMATIVE: 55, _NOT: 30, _NEVER: 15}
_P_PRONOUN_SUBJECT = 0.45
_P_PRE, _P_POST = 0.3, 0.4
_FORBIDDEN_PRONOUN_PAIRS = frozenset({("i", "me"), ("you", "you"), ("we", "us")})  # reflexive: not covered


def _draw_np(rng: random.Random, nouns: tuple[_Noun, ...], dets: tuple[tuple[str, bool], ...]) -> _NP:
    noun = rng.choice(nouns)
    det, plural = rng.choice(dets)
    pre = post = None
    if _PRE[noun] and det != "some" and rng.random() < _P_PRE:  # "des petits chats" is avoided
        pre = rng.choice(_PRE[noun])
    if rng.random() < _P_POST:
        choices = _COLOUR[noun] if pre is not None else _POST[noun]  # "the small black cat"
        if choices:
            post = rng.choice(choices)
    return _NP(det, plural, pre, post, noun)


def _draw_subject(rng: random.Random, tags: frozenset[str], adjectives: bool = True) -> str | _NP:
    if "person" in tags and rng.random() < _P_PRONOUN_SUBJECT:
        return rng.choice(_SUBJECT_PRONOUNS)
    if not adjectives:  # "the cat is small", never "the small cat is small" or "the small cat is big"
        det, plural = rng.choice(_determiners("subject"))
        return _NP(det, plural, None, None, rng.choice(_nouns_with(tags)))
    return _draw_np(rng, _nouns_with(tags), _determiners("subject"))


def _draw_polarity_modifier(rng: random.Random, head: object, imperative: bool) -> tuple[str, str | None]:
    stative = _is_stative(head)
    polarities = _polarities(stative)
    polarity = rng.choices(polarities, [_POLARITY_WEIGHTS[p] for p in polarities])[0]
    modifiers = _modifiers(polarity, stative=stative, imperative=imperative)
    if len(modifiers) == 1 or rng.random() < 0.55:
        return polarity, None
    adverbs = [m for m in modifiers if m in _ADVERBS]
    if adverbs and rng.random() < 0.35:
        return polarity, rng.choice(adverbs)
    return polarity, rng.choice([m for m in modifiers if m in _TIMES])


_FRAME_VERBS = {f: _frame_verbs(f) for f in _FRAMES if f not in ("where", "adj")}
_FRAME_NAMES = tuple(_FRAME_WEIGHTS)
_FRAME_CUMULATIVE = tuple(itertools.accumulate(_FRAME_WEIGHTS.values()))


def _draw_sentence(rng: random.Random) -> tuple[_Sentence, list[str]]:
    """One sentence of at most MAX_TOKENS English tokens (redrawn until it fits), and its English tokens."""
    while True:
        frame = rng.choices(_FRAME_NAMES, cum_weights=_FRAME_CUMULATIVE)[0]
        obj: str | _NP | None = None
        ind = None
        subject: str | _NP | None
        if frame == "adj":
            head: object = rng.choice(_PREDICATES)
            subject = _draw_subject(rng, head.tags, adjectives=False)  # type: ignore[attr-defined]
            polarity, modifier = _draw_polarity_modifier(rng, head, False)
        elif frame == "where":
            head = prep = rng.choice(_PREPOSITIONS)
            subject = _draw_subject(rng, prep.subj)
            polarity, modifier = _draw_polarity_modifier(rng, head, False)
            obj = _draw_np(rng, _nouns_with(prep.obj), _determiners("where"))
        else:
            head = verb = rng.choice(_FRAME_VERBS[frame])
            subject = None if frame == "imp" else _draw_subject(rng, verb.subj)
            polarity, modifier = _draw_polarity_modifier(rng, verb, frame == "imp")
            if frame == "pron":
                obj = rng.choice(tuple(_OBJECT_PRONOUNS))
                if (subject, obj) in _FORBIDDEN_PRONOUN_PAIRS:
                    continue
            elif verb.frame == "go":
                obj = _draw_np(rng, _nouns_with(verb.obj), _determiners("place"))
            elif verb.frame in ("tr", "ditr"):
                obj = _draw_np(rng, _nouns_with(verb.obj), _determiners("object", polarity, verb.indef))
            if verb.frame == "ditr":
                ind = _draw_np(rng, _nouns_with(verb.ind), _determiners("to"))
        sentence = _Sentence(frame, head, subject, polarity, modifier, obj, ind)
        if isinstance(subject, _NP) and any(isinstance(x, _NP) and x.noun is subject.noun for x in (obj, ind)):
            continue  # "the dog sees the dog"
        english = _english(sentence)
        if len(english) <= MAX_TOKENS:
            return sentence, english


# ======================================================================================
# Counting the sentences the grammar holds
# ======================================================================================


def _convolve(a: Counter, b: Counter) -> Counter:
    out: Counter = Counter()
    for la, ca in a.items():
        for lb, cb in b.items():
            out[la + lb] += ca * cb
    return out


def _np_counts(tags: frozenset[str], dets: tuple[tuple[str, bool], ...]) -> dict[_Noun, Counter]:
    """English noun phrases by length, per noun."""
    d = len(dets)
    d_pre = sum(det != "some" for det, _ in dets)
    return {
        n: Counter({2: d, 3: d_pre * len(_PRE[n]) + d * len(_POST[n]), 4: d_pre * len(_PRE[n]) * len(_COLOUR[n])})
        for n in _nouns_with(tags)
    }


def _pair_count(first: dict, second: dict, pronouns: int = 0) -> Counter:
    """Pairs (first, second) by total length, minus pairs of the same noun; ``pronouns`` extra one-word firsts."""
    total_first = sum(first.values(), Counter())
    if pronouns:
        total_first[1] += pronouns
    out = _convolve(total_first, sum(second.values(), Counter()))
    for noun in first.keys() & second.keys():
        out.subtract(_convolve(first[noun], second[noun]))
    return out


def _group_lengths(frame: str, head: object, polarity: str) -> Counter:
    """English words of the verb group plus the adverb or time phrase, plus the full stop, by length."""
    imperative = frame == "imp"
    verb = head if isinstance(head, _Verb) else None
    out: Counter = Counter()
    for modifier in _modifiers(polarity, stative=_is_stative(head), imperative=imperative):
        if verb is None:  # to be
            length = 1 + (modifier in _ADVERBS or polarity != _AFFIRMATIVE)
        else:
            length = {_AFFIRMATIVE: 1, _NOT: 3, _NEVER: 2}[polarity] + bool(verb.particle) + (modifier in _ADVERBS)
        length += len(modifier.split()) if modifier in _TIMES else 0
        out[length + 1] += 1
    return out


def _capacity(max_tokens: int = MAX_TOKENS) -> dict[str, int]:
    """How many distinct English sentences of each frame the grammar holds (at most ``max_tokens`` tokens)."""

    def fits(counter: Counter) -> int:
        return sum(c for length, c in counter.items() if length <= max_tokens)

    def subjects(tags: frozenset[str]) -> tuple[dict, int]:
        return _np_counts(tags, _determiners("subject")), (len(_SUBJECT_PRONOUNS) if "person" in tags else 0)

    sizes = dict.fromkeys(_FRAMES, 0)
    for adj in _PREDICATES:  # subjects without adjectives: "the cat is small"
        s = Counter({2: len(_determiners("subject")) * len(_nouns_with(adj.tags))})
        s[1] += len(_SUBJECT_PRONOUNS) if "person" in adj.tags else 0
        for polarity in _polarities(adj.lasting):
            sizes["adj"] += fits(_convolve(_convolve(s, _group_lengths("adj", adj, polarity)), Counter({1: 1})))
    for prep in _PREPOSITIONS:
        nps, pronouns = subjects(prep.subj)
        where = {n: _convolve(c, Counter({len(prep.en.split()): 1}))
                 for n, c in _np_counts(prep.obj, _determiners("where")).items()}  # fmt: skip
        for polarity in _polarities(False):
            group = _group_lengths("where", prep, polarity)
            sizes["where"] += fits(_convolve(_pair_count(nps, where, pronouns), group))
    for frame in ("intr", "tr", "pron", "ditr", "go", "imp"):
        for verb in _FRAME_VERBS[frame]:
            for polarity in _polarities(verb.stative):
                group = _group_lengths(frame, verb, polarity)
                if verb.frame == "go":
                    second = _np_counts(verb.obj, _determiners("place"))
                elif frame == "pron" or verb.frame == "intr":
                    second = {}
                else:
                    second = _np_counts(verb.obj, _determiners("object", polarity, verb.indef))
                if verb.frame == "ditr":  # objects and receivers never share a noun
                    receivers = sum(_np_counts(verb.ind, _determiners("to")).values(), Counter())
                    objects = sum(second.values(), Counter())
                if frame == "imp":
                    rest = sum(second.values(), Counter())
                    if verb.frame == "ditr":
                        rest = _convolve(objects, _convolve(receivers, Counter({1: 1})))
                    sizes[frame] += fits(_convolve(rest, group))
                    continue
                nps, pronouns = subjects(verb.subj)
                if frame == "pron":
                    both = len(_SUBJECT_PRONOUNS) * len(_OBJECT_PRONOUNS) - len(_FORBIDDEN_PRONOUN_PAIRS)
                    pairs = Counter({2: both})
                    pairs += _convolve(sum(nps.values(), Counter()), Counter({1: len(_OBJECT_PRONOUNS)}))
                elif verb.frame == "intr":
                    pairs = sum(nps.values(), Counter())
                    pairs[1] += pronouns
                elif verb.frame == "ditr":  # the subject and the receiver are people: never the same noun
                    to = _np_counts(verb.ind, _determiners("to"))
                    receivers_by_noun = {n: _convolve(c, Counter({1: 1})) for n, c in to.items()}
                    pairs = _convolve(_pair_count(nps, receivers_by_noun, pronouns), objects)
                else:
                    pairs = _pair_count(nps, second, pronouns)
                sizes[frame] += fits(_convolve(pairs, group))
    return sizes


# ======================================================================================
# Public API
# ======================================================================================


def _check_int(name: str, value: object, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def phrasebook_pairs(n: int, *, seed: int = 0) -> tuple[list[str], list[list[str]]]:
    """``n`` distinct English sentences and, for each, the sorted list of all its correct French translations.

    Sentences are drawn at random (seeded) from the grammar described in the module docstring, so
    ``phrasebook_pairs(n, seed=s)`` always returns the same data, and the first ``k`` pairs of it are
    ``phrasebook_pairs(k, seed=s)``. Both languages are lower-case, with the full stop as a separate
    token: ``sentence.split()`` gives the tokens. ``n`` may be at most :data:`MAX_SOURCES`.

    Example:
        >>> sources, references = phrasebook_pairs(2, seed=3)
        >>> len(sources), all(len(refs) >= 1 for refs in references)
        (2, True)
        >>> sources[0].split()[-1], references[0][0].split()[-1]
        ('.', '.')
    """
    n = _check_int("n", n, 1, MAX_SOURCES)
    seed = _check_int("seed", seed, 0)
    rng = random.Random(seed)
    sources: list[str] = []
    references: list[list[str]] = []
    seen: set[str] = set()
    while len(sources) < n:
        sentence, words = _draw_sentence(rng)
        english = " ".join(words)
        if english in seen:
            continue
        seen.add(english)
        sources.append(english)
        references.append(_french(sentence))
    return sources, references


class PhrasebookSplit(NamedTuple):
    """Phrase-book sentences split by English source: no test source appears in training.

    ``train_targets[i]`` is one reference of ``train_sources[i]`` drawn at random (a corpus gives one
    translation per sentence); ``train_references[i]`` and ``test_references[i]`` hold all of them.
    """

    train_sources: list[str]
    train_targets: list[str]
    train_references: list[list[str]]
    test_sources: list[str]
    test_references: list[list[str]]


def phrasebook_split(n_train: int, n_test: int, *, seed: int = 0) -> PhrasebookSplit:
    """``n_train + n_test`` distinct phrase-book sentences, shuffled and split by English source.

    Training pairs each source with one of its references, drawn at random (seeded); evaluation keeps
    every reference, so a translation counts as right if it matches any of them.

    Example:
        >>> data = phrasebook_split(8, 2, seed=1)
        >>> len(data.train_sources), len(data.test_sources)
        (8, 2)
        >>> set(data.train_sources) & set(data.test_sources)
        set()
        >>> all(t in refs for t, refs in zip(data.train_targets, data.train_references))
        True
    """
    n_train = _check_int("n_train", n_train, 1)
    n_test = _check_int("n_test", n_test, 1)
    seed = _check_int("seed", seed, 0)
    if n_train + n_test > MAX_SOURCES:
        raise ValueError(f"n_train + n_test must be at most {MAX_SOURCES}, got {n_train + n_test}")
    sources, references = phrasebook_pairs(n_train + n_test, seed=seed)
    rng = random.Random(f"phrasebook split {seed}")
    order = list(range(len(sources)))
    rng.shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return PhrasebookSplit(
        train_sources=[sources[i] for i in train],
        train_targets=[rng.choice(references[i]) for i in train],
        train_references=[references[i] for i in train],
        test_sources=[sources[i] for i in test],
        test_references=[references[i] for i in test],
    )
