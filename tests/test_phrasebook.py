"""The English -> French phrase book: grammar rules, reference sets, determinism and the split.

The checks use small tables of French written here, independently of the generator's lexicon.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.data import phrasebook as pb
from course_utils.data import phrasebook_pairs, phrasebook_split

N = 20_000


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[list[str]]]:
    return phrasebook_pairs(N, seed=0)


def all_references(corpus):
    return [ref for refs in corpus[1] for ref in refs]


# --------------------------------------------------------------------------------------
# Independent checkers (applied to the big corpus and, as properties, to random small ones)
# --------------------------------------------------------------------------------------

VOWEL_SOUND = re.compile(r"^([aeiouàâéèêëîïôœ]|homme|hôtel|hôpital|heureu)")
ELIDING = {"le": "l'", "la": "l'", "je": "j'", "me": "m'", "te": "t'", "ne": "n'", "de": "d'"}
SECOND_PERSON = {"tu": "tu", "te": "tu", "t'": "tu", "ton": "tu", "ta": "tu", "tes": "tu",
                 "vous": "vous", "votre": "vous", "vos": "vous"}  # fmt: skip
CLITICS = {"me", "m'", "te", "t'", "le", "la", "l'", "lui", "nous", "vous", "les", "leur"}

#: a few nouns: form -> (gender, plural)
NOUNS = {
    "chat": ("m", False), "chats": ("m", True), "chien": ("m", False), "chiens": ("m", True),
    "voiture": ("f", False), "voitures": ("f", True), "maison": ("f", False), "maisons": ("f", True),
    "livre": ("m", False), "livres": ("m", True), "pomme": ("f", False), "pommes": ("f", True),
    "table": ("f", False), "tables": ("f", True), "sac": ("m", False), "sacs": ("m", True),
    "arbre": ("m", False), "arbres": ("m", True), "école": ("f", False), "écoles": ("f", True),
    "vache": ("f", False), "vaches": ("f", True), "bateau": ("m", False), "bateaux": ("m", True),
    "cheval": ("m", False), "chevaux": ("m", True), "boîte": ("f", False), "boîtes": ("f", True),
}  # fmt: skip
#: adjective forms -> the (gender, plural) they can agree with
ADJECTIVES: dict[str, set[tuple[str, bool]]] = {}
for m, f, mp, fp in [("noir", "noire", "noirs", "noires"), ("blanc", "blanche", "blancs", "blanches"),
                     ("vert", "verte", "verts", "vertes"), ("bleu", "bleue", "bleus", "bleues"),
                     ("gris", "grise", "gris", "grises"), ("petit", "petite", "petits", "petites"),
                     ("grand", "grande", "grands", "grandes"), ("gros", "grosse", "gros", "grosses"),
                     ("heureux", "heureuse", "heureux", "heureuses"),
                     ("fatigué", "fatiguée", "fatigués", "fatiguées"),
                     ("cher", "chère", "chers", "chères"), ("lourd", "lourde", "lourds", "lourdes")]:  # fmt: skip
    for form, key in [(m, ("m", False)), (f, ("f", False)), (mp, ("m", True)), (fp, ("f", True))]:
        ADJECTIVES.setdefault(form, set()).add(key)
#: determiners -> (gender or None, plural)
DETERMINERS = {
    "le": ("m", False), "la": ("f", False), "les": (None, True), "un": ("m", False), "une": ("f", False),
    "des": (None, True), "du": ("m", False), "au": ("m", False), "aux": (None, True), "mon": (None, False),
    "ma": ("f", False), "mes": (None, True), "ce": ("m", False), "cet": ("m", False), "cette": ("f", False),
    "ces": (None, True), "sa": ("f", False), "ses": (None, True), "notre": (None, False), "nos": (None, True),
}  # fmt: skip


def check_tokens(english: str, french: str) -> None:
    """Tokenisation convention: lower case, ASCII spaces, final full stop, elided words stand alone."""
    for text in (english, french):
        assert text == text.lower() and text.endswith(" .") and "  " not in text, text
        assert all(ch == " " or not ch.isspace() for ch in text), text
        assert "-" not in text and "’" not in text, text
    assert "'" not in english, english
    for token in french.split():
        if "'" in token:
            assert token in ("aujourd'hui",) or (len(token) == 2 and token.endswith("'")), (token, french)


def check_elision(french: str) -> None:
    tokens = french.split()
    for word, nxt in zip(tokens, tokens[1:]):
        vowel = bool(VOWEL_SOUND.match(nxt))
        if word in ELIDING:
            assert not vowel, f"{word!r} before {nxt!r} should be elided: {french}"
        if word.endswith("'") and word != "aujourd'hui":
            assert vowel, f"{word!r} before a consonant: {french}"
        if word in ("ce", "ma", "ta", "sa"):
            assert not vowel, f"{word!r} before {nxt!r}: {french}"
        if word == "cet":
            assert vowel, french
        if word in ("au", "du"):
            assert not vowel, f"{word!r} before {nxt!r} should be à l' / de l': {french}"
        assert (word, nxt) not in {("à", "le"), ("à", "les"), ("de", "le"), ("de", "les")}, french


def check_agreement(french: str) -> None:
    tokens = french.split()
    for i, token in enumerate(tokens):
        if token not in NOUNS:
            continue
        gender, plural = NOUNS[token]
        if i + 1 < len(tokens) and tokens[i + 1] in ADJECTIVES:  # adjective after the noun
            assert (gender, plural) in ADJECTIVES[tokens[i + 1]], f"{tokens[i + 1]!r} after {token!r}: {french}"
        j = i - 1
        if j >= 0 and tokens[j] in ADJECTIVES:  # adjective before the noun
            assert (gender, plural) in ADJECTIVES[tokens[j]], f"{tokens[j]!r} before {token!r}: {french}"
            j -= 1
        if j >= 0 and tokens[j] in DETERMINERS:
            det_gender, det_plural = DETERMINERS[tokens[j]]
            assert det_plural == plural and det_gender in (None, gender), f"{tokens[j]!r} {token!r}: {french}"


def check_negation(english: str, french: str) -> None:
    tokens = french.split()
    en = english.split()
    negative = "not" in en or "never" in en
    ne = [i for i, t in enumerate(tokens) if t in ("ne", "n'")]
    second = [i for i, t in enumerate(tokens) if t in ("pas", "jamais")]
    assert len(ne) == len(second) == int(negative), (english, french)
    if negative:
        assert tokens[second[0]] == ("jamais" if "never" in en else "pas"), (english, french)
        gap = second[0] - ne[0]  # ne VERB pas, or ne PRONOUN VERB pas
        assert gap in (2, 3), f"ne ... pas around more than the verb: {french}"
        if gap == 3:
            assert tokens[ne[0] + 1] in CLITICS, french


def check_address(english: str, references: list[str]) -> None:
    """"you"/"your" or an imperative: both tu and vous forms; never both in one sentence."""
    families = []
    for ref in references:
        used = {SECOND_PERSON[t] for t in ref.split() if t in SECOND_PERSON}
        assert len(used) <= 1, f"tu and vous mixed: {ref}"
        families.append(used.pop() if used else None)
    if {"you", "your"} & set(english.split()):
        assert families.count("tu") > 0 and families.count("vous") > 0, (english, references)


def check_pair(english: str, references: list[str]) -> None:
    assert references == sorted(set(references)) and references, (english, references)
    check_address(english, references)
    for french in references:
        check_tokens(english, french)
        check_elision(french)
        check_agreement(french)
        check_negation(english, french)


def test_checkers_reject_broken_french():
    with pytest.raises(AssertionError, match="elided"):
        check_elision("je aime le orange .")
    with pytest.raises(AssertionError):
        check_elision("je vais à le parc .")
    with pytest.raises(AssertionError, match="consonant"):
        check_elision("l' chat dort .")
    with pytest.raises(AssertionError, match="noire"):
        check_agreement("le chat noire dort .")
    with pytest.raises(AssertionError):
        check_agreement("la chat dort .")
    with pytest.raises(AssertionError):
        check_agreement("les petit chats dorment .")
    with pytest.raises(AssertionError, match="more than the verb"):
        check_negation("i do not like the cat .", "je ne aime le chat pas .")
    with pytest.raises(AssertionError):
        check_negation("i like the cat .", "je n' aime pas le chat .")
    with pytest.raises(AssertionError, match="mixed"):
        check_address("you like your cat .", ["tu aimes votre chat ."])
    with pytest.raises(AssertionError):
        check_address("you sing .", ["tu chantes ."])


def test_every_pair_of_the_corpus_follows_the_rules(corpus):
    for english, references in zip(*corpus):
        check_pair(english, references)


@given(st.integers(1, 40), st.integers(0, 10**6))
def test_random_corpora_follow_the_rules(n, seed):
    for english, references in zip(*phrasebook_pairs(n, seed=seed)):
        check_pair(english, references)


# --------------------------------------------------------------------------------------
# Size, distinctness, determinism
# --------------------------------------------------------------------------------------


def test_sources_are_distinct_and_counted(corpus):
    sources, references = corpus
    assert len(sources) == len(references) == N
    assert len(set(sources)) == N


@given(st.integers(1, 200), st.integers(0, 200), st.integers(0, 10**6))
def test_deterministic_and_prefix_stable(n, extra, seed):
    first = phrasebook_pairs(n, seed=seed)
    assert phrasebook_pairs(n, seed=seed) == first
    longer = phrasebook_pairs(n + extra, seed=seed)
    assert (longer[0][:n], longer[1][:n]) == first


def test_seeds_differ():
    assert phrasebook_pairs(50, seed=1)[0] != phrasebook_pairs(50, seed=2)[0]


def test_one_source_always_gets_the_same_references(corpus):
    """Fails if two different derivations wrote the same English with different French."""
    other = dict(zip(*phrasebook_pairs(N, seed=1)))
    common = [(s, refs) for s, refs in zip(*corpus) if s in other]
    assert len(common) > 100  # short sentences come up in both corpora
    for source, refs in common:
        assert other[source] == refs, source


def test_length_spread(corpus):
    lengths = Counter(len(s.split()) for s in corpus[0])
    assert min(lengths) == 3 and max(lengths) == pb.MAX_TOKENS
    for length in range(4, pb.MAX_TOKENS + 1):
        assert lengths[length] > 0.02 * N, (length, lengths)
    french = Counter(len(r.split()) for r in all_references(corpus))
    assert min(french) <= 4 and max(french) >= 13


def test_vocabulary(corpus):
    english = {w for s in corpus[0] for w in s.split()} - {"."}
    french = {w for r in all_references(corpus) for w in r.split()} - {"."}
    assert len(english) >= 250
    assert len(french) >= 400


def test_references_per_source(corpus):
    counts = Counter(len(refs) for refs in corpus[1])
    assert counts[1] > 0.2 * N and sum(c for k, c in counts.items() if k > 1) > 0.5 * N


def test_capacity_is_large():
    sizes = pb._capacity()
    assert all(size > 100_000 for size in sizes.values()), sizes
    assert pb._capacity(3)["intr"] == 6 * len(pb._FRAME_VERBS["intr"])  # "i sleep ." ... "they cry ."


@pytest.fixture
def small_lexicon(monkeypatch):
    """A few words of each kind, so that every sentence up to 7 tokens can be listed by brute force."""
    nouns = tuple(n for n in pb._NOUNS if n.en in {"cat", "apple", "friend", "park", "table", "key"})
    adjectives = tuple(a for a in pb._ADJECTIVES if a.en in {"small", "black", "ready"})
    monkeypatch.setattr(pb, "_NOUNS", nouns)
    monkeypatch.setattr(pb, "_ADJECTIVES", adjectives)
    monkeypatch.setattr(pb, "_PREDICATES", adjectives)
    monkeypatch.setattr(pb, "_PREPOSITIONS", tuple(p for p in pb._PREPOSITIONS if p.en in ("in", "next to")))
    monkeypatch.setattr(pb, "_PRE", {n: pb._pre_adjectives(n) for n in nouns})
    monkeypatch.setattr(pb, "_POST", {n: pb._post_adjectives(n) for n in nouns})
    monkeypatch.setattr(pb, "_COLOUR", {n: tuple(a for a in pb._post_adjectives(n) if a.colour) for n in nouns})
    verbs = {"sleep", "see", "like", "give", "go", "speak"}
    frame_verbs = {f: tuple(v for v in vs if v.en in verbs) for f, vs in pb._FRAME_VERBS.items()}
    monkeypatch.setattr(pb, "_FRAME_VERBS", frame_verbs)
    pb._nouns_with.cache_clear()
    yield
    pb._nouns_with.cache_clear()


def list_sentences(limit: int, wanted: set[str]) -> dict[str, str]:
    """Every English sentence of at most ``limit`` tokens of the ``wanted`` frames, by brute force -> frame."""
    frames: dict[str, str] = {}

    def size(x):  # English words of a subject or object
        return 0 if x is None else 1 if isinstance(x, str) else 2 + (x.pre is not None) + (x.post is not None)

    def noun_phrases(tags, dets, room, adjectives=True):
        out = []
        for noun in pb._nouns_with(tags):
            for det, plural in dets:
                for pre in (None, *(pb._PRE[noun] if adjectives and det != "some" else ())):
                    for post in (None, *((pb._COLOUR if pre else pb._POST)[noun] if adjectives else ())):
                        out.append(pb._NP(det, plural, pre, post, noun))
        return [x for x in out if size(x) <= room]

    def subjects(tags, adjectives=True):
        pronouns = pb._SUBJECT_PRONOUNS if "person" in tags else ()
        return [*pronouns, *noun_phrases(tags, pb._determiners("subject"), limit - 2, adjectives)]

    def add(frame, head, subject, polarity, obj=None, ind=None):
        if isinstance(subject, pb._NP) and any(isinstance(x, pb._NP) and x.noun is subject.noun for x in (obj, ind)):
            return  # "the cat sees the cat" is not generated
        bare = len(pb._english(pb._Sentence(frame, head, subject, polarity, None, obj, ind)))
        for modifier in pb._modifiers(polarity, stative=pb._is_stative(head), imperative=frame == "imp"):
            if bare + (0 if modifier is None else len(modifier.split())) <= limit:
                english = " ".join(pb._english(pb._Sentence(frame, head, subject, polarity, modifier, obj, ind)))
                assert len(english.split()) <= limit
                assert english not in frames, f"{english!r} comes from two different derivations"
                frames[english] = frame

    for adj in pb._PREDICATES if "adj" in wanted else ():
        for subject in subjects(adj.tags, adjectives=False):
            for polarity in pb._polarities(adj.lasting):
                add("adj", adj, subject, polarity)
    for prep in pb._PREPOSITIONS if "where" in wanted else ():
        for subject in subjects(prep.subj):
            room = limit - 2 - size(subject) - len(prep.en.split())  # "is" and the full stop
            for obj in noun_phrases(prep.obj, pb._determiners("where"), room):
                for polarity in pb._polarities(False):
                    add("where", prep, subject, polarity, obj)
    for frame in wanted & {"intr", "tr", "pron", "ditr", "go", "imp"}:
        for v in pb._FRAME_VERBS[frame]:
            for subject in [None] if frame == "imp" else subjects(v.subj):
                room = limit - 2 - size(subject) - bool(v.particle)  # verb and full stop
                for polarity in pb._polarities(v.stative):
                    if frame == "pron":
                        objects = list(pb._OBJECT_PRONOUNS)
                    elif v.frame == "go":
                        objects = noun_phrases(v.obj, pb._determiners("place"), room)
                    elif v.frame in ("tr", "ditr"):
                        objects = noun_phrases(v.obj, pb._determiners("object", polarity, v.indef), room)
                    else:
                        objects = [None]
                    for obj in objects:
                        if frame == "pron" and (subject, obj) in pb._FORBIDDEN_PRONOUN_PAIRS:
                            continue
                        receivers = [None]
                        if v.frame == "ditr":
                            receivers = noun_phrases(v.ind, pb._determiners("to"), room - size(obj) - 1)
                        for ind in receivers:
                            add(frame, v, subject, polarity, obj, ind)
    return frames


def test_capacity_counts_every_sentence(small_lexicon):
    """As many sentences as _capacity says (all distinct): up to 7 tokens, and up to 8 for "give X to Y"."""
    short = list_sentences(7, set(pb._FRAMES) - {"ditr"})
    assert Counter(short.values()) == Counter({f: n for f, n in pb._capacity(7).items() if f != "ditr"})
    assert len(list_sentences(8, {"ditr"})) == pb._capacity(8)["ditr"] > 0


# --------------------------------------------------------------------------------------
# Exact translations of chosen sentences
# --------------------------------------------------------------------------------------


def verb(en: str, frame: str = "tr"):
    return next(v for v in pb._VERBS if v.en == en and (v.frame == frame or frame == "any"))


def adjective(en: str):
    return next(a for a in pb._ADJECTIVES if a.en == en)


def np(det: str, noun: str, *, plural: bool = False, pre: str | None = None, post: str | None = None):
    n = next(x for x in pb._NOUNS if x.en == noun)
    return pb._NP(det, plural, adjective(pre) if pre else None, adjective(post) if post else None, n)


def sentence(frame, head, subject, obj=None, ind=None, polarity="affirmative", modifier=None):
    s = pb._Sentence(frame, head, subject, polarity, modifier, obj, ind)
    return " ".join(pb._english(s)), pb._french(s)


def preposition(en: str, noun: str):
    return next(p for p in pb._PREPOSITIONS if p.en == en and p.obj & np("the", noun).noun.tags)


@pytest.mark.parametrize(
    "built, english, french",
    [
        # agreement and placement
        (lambda: sentence("intr", verb("sleep", "intr"), np("the", "cat", pre="small", post="black")),
         "the small black cat sleeps .", ["le petit chat noir dort ."]),
        (lambda: sentence("intr", verb("sleep", "intr"), np("the", "cow", plural=True, pre="small", post="white")),
         "the small white cows sleep .", ["les petites vaches blanches dorment ."]),
        (lambda: sentence("tr", verb("see"), "i", np("a", "car", post="black")),
         "i see a black car .", ["je vois une voiture noire ."]),
        (lambda: sentence("tr", verb("see"), "we", np("some", "car", plural=True, post="grey")),
         "we see some grey cars .", ["nous voyons des voitures grises .", "nous voyons quelques voitures grises ."]),
        (lambda: sentence("adj", adjective("tired"), "i"), "i am tired .",
         ["je suis fatigué .", "je suis fatiguée ."]),
        (lambda: sentence("adj", adjective("tired"), "you"), "you are tired .",
         ["tu es fatigué .", "tu es fatiguée .", "vous êtes fatigué .", "vous êtes fatiguée .",
          "vous êtes fatigués .", "vous êtes fatiguées ."]),
        (lambda: sentence("adj", adjective("tired"), "they"), "they are tired .",
         ["elles sont fatiguées .", "ils sont fatigués ."]),
        (lambda: sentence("adj", adjective("big"), np("the", "dog")), "the dog is big .",
         ["le chien est grand .", "le chien est gros ."]),
        # elision, mute h, ce/cet, ma/mon
        (lambda: sentence("tr", verb("like"), "i", np("the", "orange")), "i like the orange .",
         ["j' aime bien l' orange .", "j' aime l' orange ."]),
        (lambda: sentence("tr", verb("see"), "she", np("the", "man")), "she sees the man .", ["elle voit l' homme ."]),
        (lambda: sentence("tr", verb("see"), "he", np("this", "tree")), "he sees this tree .", ["il voit cet arbre ."]),
        (lambda: sentence("tr", verb("help"), "i", np("my", "friend")), "i help my friend .",
         ["j' aide mon ami .", "j' aide mon amie ."]),
        # contractions
        (lambda: sentence("go", verb("go", "go"), "he", np("the", "park")), "he goes to the park .",
         ["il va au parc ."]),
        (lambda: sentence("go", verb("go", "go"), "he", np("the", "school")), "he goes to the school .",
         ["il va à l' école ."]),
        (lambda: sentence("go", verb("come", "go"), "we", np("the", "market")), "we come from the market .",
         ["nous venons du marché ."]),
        (lambda: sentence("tr", verb("speak"), "i", np("the", "child", plural=True)), "i speak to the children .",
         ["je parle aux enfants ."]),
        (lambda: sentence("where", preposition("near", "tree"), "i", np("the", "tree", plural=True)),
         "i am near the trees .", ["je suis près des arbres ."]),
        # negation, and "de" after it
        (lambda: sentence("tr", verb("like"), "i", np("the", "orange"), polarity="not"), "i do not like the orange .",
         ["je n' aime pas l' orange ."]),
        (lambda: sentence("tr", verb("have"), "she", np("a", "cat"), polarity="not"), "she does not have a cat .",
         ["elle n' a pas de chat ."]),
        (lambda: sentence("tr", verb("eat"), "we", np("some", "egg", plural=True), polarity="never"),
         "we never eat any eggs .", ["nous ne mangeons jamais d' œufs ."]),
        (lambda: sentence("tr", verb("speak"), "i", np("a", "friend"), polarity="not"),
         "i do not speak to a friend .", ["je ne parle pas à un ami .", "je ne parle pas à une amie ."]),
        # object pronouns go before the verb
        (lambda: sentence("pron", verb("see"), "i", "you"), "i see you .", ["je te vois .", "je vous vois ."]),
        (lambda: sentence("pron", verb("help"), "they", "me", polarity="not"), "they do not help me .",
         ["elles ne m' aident pas .", "ils ne m' aident pas ."]),
        (lambda: sentence("pron", verb("speak"), "she", "him", polarity="not"), "she does not speak to him .",
         ["elle ne lui parle pas ."]),
        (lambda: sentence("pron", verb("wait"), "we", "them"), "we wait for them .", ["nous les attendons ."]),
        # tu or vous, used consistently; imperatives
        (lambda: sentence("tr", verb("like"), "you", np("your", "cat")), "you like your cat .",
         ["tu aimes bien ton chat .", "tu aimes ton chat .", "vous aimez bien votre chat .",
          "vous aimez votre chat ."]),
        (lambda: sentence("imp", verb("open"), None, np("the", "door")), "open the door .",
         ["ouvre la porte .", "ouvrez la porte ."]),
        (lambda: sentence("imp", verb("open"), None, np("your", "box"), polarity="not"), "do not open your box .",
         ["n' ouvre pas ta boîte .", "n' ouvrez pas votre boîte ."]),
        (lambda: sentence("imp", verb("go", "go"), None, np("the", "station")), "go to the station .",
         ["allez à la gare .", "va à la gare ."]),
        # adverbs after the verb, time phrases at the end, synonyms
        (lambda: sentence("intr", verb("cook", "intr"), "she", modifier="often"), "she often cooks .",
         ["elle cuisine souvent .", "elle fait souvent la cuisine ."]),
        (lambda: sentence("intr", verb("sleep", "intr"), "he", modifier="every day"), "he sleeps every day .",
         ["il dort chaque jour .", "il dort tous les jours ."]),
        (lambda: sentence("ditr", verb("give", "ditr"), "i", np("a", "apple"),
                          np("the", "horse", plural=True)),
         "i give an apple to the horses .", ["je donne une pomme aux chevaux ."]),
    ],
)  # fmt: skip
def test_translations_of_chosen_sentences(built, english, french):
    got_english, got_french = built()
    assert got_english == english
    assert got_french == sorted(french)  # every correct translation, in a fixed order


CONJUGATIONS = {
    "être": "suis es est sommes êtes sont",
    "avoir": "ai as a avons avez ont",
    "aller": "vais vas va allons allez vont",
    "faire": "fais fais fait faisons faites font",
    "prendre": "prends prends prend prenons prenez prennent",
    "aimer": "aime aimes aime aimons aimez aiment",
    "manger": "mange manges mange mangeons mangez mangent",
    "lancer": "lance lances lance lançons lancez lancent",
    "acheter": "achète achètes achète achetons achetez achètent",
    "attendre": "attends attends attend attendons attendez attendent",
    "voir": "vois vois voit voyons voyez voient",
    "boire": "bois bois boit buvons buvez boivent",
}


@pytest.mark.parametrize("infinitive", sorted(CONJUGATIONS))
def test_present_tense(infinitive):
    assert pb._conjugate(infinitive) == tuple(CONJUGATIONS[infinitive].split())


@pytest.mark.parametrize("infinitive, tu, vous", [("manger", "mange", "mangez"), ("aller", "va", "allez"),
                                                  ("faire", "fais", "faites"), ("ouvrir", "ouvre", "ouvrez"),
                                                  ("prendre", "prends", "prenez")])  # fmt: skip
def test_imperative(infinitive, tu, vous):
    assert pb._imperative(infinitive) == (tu, vous)


@pytest.mark.parametrize("subject, english, french", [
    ("i", "i take the bus .", "je prends le bus ."), ("you", "you take the bus .", "tu prends le bus ."),
    ("he", "he takes the bus .", "il prend le bus ."), ("we", "we take the bus .", "nous prenons le bus ."),
    ("they", "they take the bus .", "ils prennent le bus ."),
])  # fmt: skip
def test_every_person_in_a_sentence(subject, english, french):
    got_english, got_french = sentence("tr", verb("take"), subject, np("the", "bus"))
    assert got_english == english and french in got_french


#: English verb forms -> French present tense for i, you (tu, vous), he/she, we, they
PERSON_FORMS = {
    ("am", "is", "are"): "suis es/êtes est sommes sont",
    ("have", "has"): "ai as/avez a avons ont",
    ("go", "goes"): "vais vas/allez va allons vont",
    ("take", "takes"): "prends prends/prenez prend prenons prennent",
    ("eat", "eats"): "mange manges/mangez mange mangeons mangent",
    ("buy", "buys"): "achète achètes/achetez achète achetons achètent",
}


def test_every_person_in_the_corpus(corpus):
    """Pronoun subject + verb: the French verb (after ne and object pronouns) is the form for that person."""
    index = {"i": 0, "you": 1, "he": 2, "she": 2, "we": 3, "they": 4}
    seen = Counter()
    for english, references in zip(*corpus):
        words = english.split()
        if words[0] not in index:
            continue
        for en_forms, fr_forms in PERSON_FORMS.items():
            if set(words[1:5]) & set(en_forms):
                expected = set(fr_forms.split()[index[words[0]]].split("/"))
                for ref in references:
                    tokens = ref.split()[1:]
                    while tokens[0] in CLITICS | {"ne", "n'"}:
                        tokens.pop(0)
                    assert tokens[0] in expected, (english, ref)
                seen[en_forms[0], words[0]] += 1
    assert len(seen) == len(PERSON_FORMS) * len(index), seen  # every verb with every pronoun


# --------------------------------------------------------------------------------------
# Ambiguity in the corpus
# --------------------------------------------------------------------------------------


def test_they_gives_ils_and_elles(corpus):
    found = 0
    for english, references in zip(*corpus):
        if english.startswith("they "):
            first = Counter(r.split()[0] for r in references)
            assert first["ils"] == first["elles"] > 0, (english, references)
            found += 1
    assert found > 300


def test_you_gives_tu_and_vous(corpus):
    found = 0
    for english, references in zip(*corpus):
        if english.startswith("you "):
            first = Counter(r.split()[0] for r in references)
            assert first["tu"] > 0 and first["vous"] > 0, (english, references)
            found += 1
    assert found > 300


def test_de_after_a_negation(corpus):
    """"i do not have a cat" -> "je n' ai pas de chat": un, une, des become de after pas / jamais."""
    pattern = re.compile(r"^(i|you|he|she|we|they) (do not|does not|never) (have|has|eat|eats|buy|buys) (a|an|any) ")
    found = 0
    for english, references in zip(*corpus):
        if pattern.match(english):
            for ref in references:
                assert re.search(r" (pas|jamais) (de|d') ", ref), (english, ref)
            found += 1
    assert found > 5


def test_synonyms_give_every_variant(corpus):
    pairs = {"every day": ("tous les jours", "chaque jour"), " big ": (" gros", " grand"),
             " bike ": (" vélo ", " bicyclette "), "sometimes": ("parfois", "quelquefois")}  # fmt: skip
    for english, references in zip(*corpus):
        for word, (first, second) in pairs.items():
            if word in f" {english} ":
                assert sum(first in r for r in references) == sum(second in r for r in references) > 0, english


# --------------------------------------------------------------------------------------
# The split
# --------------------------------------------------------------------------------------


@given(st.integers(1, 150), st.integers(1, 50), st.integers(0, 10**6))
def test_split_never_leaks(n_train, n_test, seed):
    data = phrasebook_split(n_train, n_test, seed=seed)
    assert len(data.train_sources) == len(data.train_targets) == len(data.train_references) == n_train
    assert len(data.test_sources) == len(data.test_references) == n_test
    assert not set(data.train_sources) & set(data.test_sources)
    sources, references = phrasebook_pairs(n_train + n_test, seed=seed)
    truth = dict(zip(sources, references))
    assert sorted(data.train_sources + data.test_sources) == sorted(sources)
    for source, target, refs in zip(data.train_sources, data.train_targets, data.train_references):
        assert refs == truth[source] and target in refs
    for source, refs in zip(data.test_sources, data.test_references):
        assert refs == truth[source]
    assert phrasebook_split(n_train, n_test, seed=seed) == data


def test_split_draws_targets_at_random():
    data = phrasebook_split(3000, 10, seed=0)
    several = [(t, refs) for t, refs in zip(data.train_targets, data.train_references) if len(refs) > 1]
    first = sum(t == refs[0] for t, refs in several) / len(several)
    assert 0.3 < first < 0.7  # not always the first (nor always the last) reference


def test_split_test_set_is_a_random_part():
    data = phrasebook_split(900, 100, seed=0)
    sources = phrasebook_pairs(1000, seed=0)[0]
    position = {s: i for i, s in enumerate(sources)}
    mean_rank = sum(position[s] for s in data.test_sources) / 100
    assert 300 < mean_rank < 700  # not simply the first (or last) sentences drawn


# --------------------------------------------------------------------------------------
# Bad input and the data module
# --------------------------------------------------------------------------------------


def test_bad_input():
    with pytest.raises(ValueError, match="n must be between 1 and"):
        phrasebook_pairs(0)
    with pytest.raises(ValueError, match=str(pb.MAX_SOURCES)):
        phrasebook_pairs(pb.MAX_SOURCES + 1)
    with pytest.raises(TypeError, match="n must be an int"):
        phrasebook_pairs(5.0)
    with pytest.raises(TypeError, match="n must be an int"):
        phrasebook_pairs(True)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        phrasebook_pairs(5, seed=-1)
    with pytest.raises(ValueError, match="n_test must be"):
        phrasebook_split(10, 0)
    with pytest.raises(ValueError, match="n_train must be"):
        phrasebook_split(-3, 10)
    with pytest.raises(ValueError, match="n_train \\+ n_test"):
        phrasebook_split(pb.MAX_SOURCES, 1)


def test_reexported_from_data():
    from course_utils import data

    assert data.phrasebook_pairs is phrasebook_pairs
    assert data.phrasebook_split is phrasebook_split


# The splits the lessons train and test on (translation, attention, BLEU, beam search), pinned by digest: the
# lessons' stored results and their asserted floors were measured on exactly these sentences. If a change to the
# generator is intended, re-execute lessons 07-10 (`make execute NB=...`) and update the digests.
LESSON_SPLITS = {
    (60_000, 4_000): "24c7a042d63a7c24",  # translation lesson
    (20_000, 1_000): "a128b7f54a3b38ff",  # attention lesson
    (30_000, 3_000): "759327d757a67ada",  # BLEU lesson
    (10_000, 1_000): "913595cabd13a6af",  # beam-search lesson
}


@pytest.mark.parametrize("sizes", sorted(LESSON_SPLITS))
def test_lesson_splits_unchanged(sizes):
    data = phrasebook_split(*sizes, seed=0)
    digest = hashlib.sha256()
    for part in (data.test_sources, data.test_references, data.train_sources, data.train_targets):
        digest.update(repr(part).encode())
    assert digest.hexdigest()[:16] == LESSON_SPLITS[sizes], (
        f"phrasebook_split{sizes} no longer gives the sentences the lessons were measured on"
    )
