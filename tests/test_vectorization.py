import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.vectorization import (
    END,
    PAD,
    START,
    UNK,
    CharacterTable,
    Vocabulary,
    char_tokenize,
    detokenize,
    vectorize_corpus,
    vectorize_pairs,
    word_tokenize,
)

words = st.lists(st.text(alphabet="abcdéz", min_size=1, max_size=5), min_size=0, max_size=12)


def test_word_tokenize_splits_words_and_punctuation():
    assert word_tokenize("He is a teacher. She is a student.") == [
        "he", "is", "a", "teacher", ".", "she", "is", "a", "student", ".",
    ]  # fmt: skip
    assert word_tokenize("C'est l'été", lowercase=False) == ["C'", "est", "l'", "été"]
    assert word_tokenize("C'est l'été", lowercase=False, french=False) == ["C'est", "l'été"]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("J'ai vu l'homme.", ["j'", "ai", "vu", "l'", "homme", "."]),
        ("Qu'il vienne jusqu'à moi", ["qu'", "il", "vienne", "jusqu'", "à", "moi"]),
        ("aujourd'hui, quelqu'un", ["aujourd'hui", ",", "quelqu'un"]),
        ("d'aujourd'hui", ["d'", "aujourd'hui"]),
        ("L’homme n’est pas là", ["l'", "homme", "n'", "est", "pas", "là"]),  # typographic apostrophe
        ("A-t-il faim ?", ["a", "-t-il", "faim", "?"]),
        ("Avez-vous du thé ?", ["avez", "-vous", "du", "thé", "?"]),
        ("Qu'est-ce que c'est ?", ["qu'", "est", "-ce", "que", "c'", "est", "?"]),
        ("Donne-le-moi !", ["donne", "-le", "-moi", "!"]),
        ("peut-être après-midi celui-ci arc-en-ciel", ["peut-être", "après-midi", "celui-ci", "arc-en-ciel"]),
        ("« Bonjour »\u00a0!\u202f?", ["«", "bonjour", "»", "!", "?"]),
        ("\ufeffGo.", ["go", "."]),
        ("I don't know, it's well-known.", ["i", "don't", "know", ",", "it's", "well-known", "."]),
        ("je vois <unk> ici", ["je", "vois", "<unk>", "ici"]),
        ("t-il", ["t", "-il"]),
        ("l' homme d'?", ["l'", "homme", "d'", "?"]),  # an elided word not followed by a word
        ("?-vous (-t-il", ["?", "-vous", "(", "-t-il"]),  # an inverted pronoun not after a word
        ("va-t'en, prud'homme", ["va-t'en", ",", "prud'homme"]),
    ],
)
def test_french_tokenization(text, tokens):
    assert word_tokenize(text) == tokens


def test_simple_rule_is_the_previous_tokenizer():
    assert word_tokenize("A-t-il l'été ?", french=False) == ["a", "-", "t", "-", "il", "l'été", "?"]
    assert word_tokenize("\ufeffgo", french=False) == ["go"]


@pytest.mark.parametrize(
    "tokens, french, text",
    [
        (["avez", "-vous", "un", "peu", "de", "thé", "?"], True, "avez-vous un peu de thé ?"),
        (["avez", "-vous", "un", "peu", "de", "thé", "?"], False, "avez-vous un peu de thé?"),
        (["j'", "ai", "dit", ":", "«", "oui", "»", "."], True, "j'ai dit : « oui »."),
        (["a", "-t-il", "(", "vraiment", ")", "fini", "?"], True, "a-t-il (vraiment) fini ?"),
        (["he", "said", '"', "no", '"', "."], False, 'he said "no".'),
        (["je", "vois", "<unk>", "."], True, "je vois <unk>."),
        ([], True, ""),
    ],
)
def test_detokenize(tokens, french, text):
    assert detokenize(tokens, french=french) == text


def test_detokenize_bad_input():
    with pytest.raises(TypeError, match="list of tokens"):
        detokenize("a b")
    with pytest.raises(TypeError, match="token 1"):
        detokenize(["a", 3])
    with pytest.raises(ValueError, match="token 0 is empty"):
        detokenize([""])


_pieces = ["j'", "l’", "qu'", "ai", "il", "a", "t", "-t-", "-", "vous", "le", "aujourd'hui", "peut-être", "'", '"',
           "«", "»", "?", "!", ".", ",", ":", "(", ")", "<unk>", "<", "_", "é"]  # fmt: skip
_gaps = ["", "", " ", "\u00a0", "\u202f"]
french_text = st.lists(st.tuples(st.sampled_from(_pieces), st.sampled_from(_gaps)), max_size=12).map(
    lambda parts: "".join(p + g for p, g in parts)
)


@settings(max_examples=300)
@given(french_text, st.booleans())
def test_detokenize_then_tokenize_gives_the_same_tokens(text, french):
    tokens = word_tokenize(text)
    assert word_tokenize(detokenize(tokens, french=french)) == tokens


_vocabulary = ["j'", "d'", "qu'", "ai", "a", "t", "d", "qu", "-t-il", "-vous", "-le", "aujourd'hui", "peut-être", "'",
               '"', "«", "»", "?", "!", ".", ",", "(", ")", "<unk>", "<", "_", "-", "vous", "3", "%"]  # fmt: skip


@pytest.mark.parametrize(
    "tokens",
    [["d'", "?"], ["?", "-vous"], ["d'", "-vous"], ["'", "d", "'"], ["«", "qu", "'", "»"], ["t", "-il"], ["<unk>", "-le"]],
)
def test_awkward_model_outputs_survive_display(tokens):
    assert word_tokenize(detokenize(tokens)) == tokens


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_vocabulary), max_size=8), st.booleans())
def test_any_sequence_of_tokens_survives_display(tokens, french):
    # a decoder can output vocabulary tokens in any order ("d'" before "?", "-vous" first...)
    assert all(word_tokenize(t) == [t] for t in _vocabulary)
    assert word_tokenize(detokenize(tokens, french=french)) == tokens


def test_vectorize_post_and_pre_padding_and_reverse():
    v = Vocabulary(["a", "b", "c"])
    corpus = [["a", "b", "c"], ["b"]]
    assert vectorize_corpus(corpus, v).tolist() == [[4, 5, 6], [5, 0, 0]]
    assert vectorize_corpus(corpus, v, padding="pre", maxlen=4).tolist() == [[0, 4, 5, 6], [0, 0, 0, 5]]
    assert vectorize_corpus(corpus, v, reverse=True, add_start=True, add_end=True).tolist() == [
        [1, 6, 5, 4, 2],
        [1, 5, 2, 0, 0],
    ]
    assert vectorize_corpus(corpus, v).dtype == np.int32


def test_vectorize_too_long_names_row_and_length():
    v = Vocabulary(["a"])
    with pytest.raises(ValueError, match=r"row 1 has length 3 > maxlen 2"):
        vectorize_corpus([["a"], ["a", "a", "a"]], v, maxlen=2)
    assert vectorize_corpus([["a"], ["a", "a", "a"]], v, maxlen=2, truncate=True).tolist() == [[4, 0], [4, 4]]


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_truncation_keeps_start_and_end_ids(padding):
    v = Vocabulary(["a", "b", "c"])
    rows = vectorize_corpus([["a", "b", "c"]], v, maxlen=3, truncate=True, add_start=True, add_end=True,
                            padding=padding)  # fmt: skip
    assert rows.tolist() == [[1, 4, 2]]
    dec_in = vectorize_corpus([["a", "b", "c"]], v, maxlen=3, truncate=True, add_start=True)
    dec_out = vectorize_corpus([["a", "b", "c"]], v, maxlen=3, truncate=True, add_end=True)
    assert dec_in.tolist() == [[1, 4, 5]] and dec_out.tolist() == [[4, 5, 2]]  # still shifted by one
    assert v.decode(dec_out[0]) == ["a", "b"]
    with pytest.raises(ValueError, match="no room"):
        vectorize_corpus([["a", "b"]], v, maxlen=1, truncate=True, add_start=True, add_end=True)


def test_unknown_ids_decode_as_unk_and_survive_detokenizing():
    v = Vocabulary(["je", "vois"])
    tokens = v.decode(v.encode(word_tokenize("je vois l'éléphant")))
    assert tokens == ["je", "vois", UNK, UNK]
    assert word_tokenize(detokenize(tokens)) == tokens


def test_vectorize_bad_arguments():
    v = Vocabulary(["a"])
    with pytest.raises(ValueError, match="padding"):
        vectorize_corpus([["a"]], v, padding="middle")
    with pytest.raises(TypeError, match="row 0"):
        vectorize_corpus(["a b"], v)


@given(st.lists(words, min_size=1, max_size=6), st.sampled_from(["pre", "post"]), st.booleans())
def test_vectorize_round_trip(corpus, padding, reverse):
    v = Vocabulary.from_corpus(corpus)
    arr = vectorize_corpus(corpus, v, padding=padding, reverse=reverse, add_end=True)
    for row, tokens in zip(arr, corpus):
        decoded = v.decode(row)
        assert decoded == (tokens[::-1] if reverse else tokens)


# --- vectorize_pairs: the glue of the real-pair path -----------------------------------------------------

TRAIN = [("I see.", "Je vois."), ("I see.", "J'y vois."), ("You run!", "Tu cours !"), ("I run.", "Je cours.")]
TEST = [("You see the cat.", ["Tu vois le chat.", "Vous voyez le chat."]), ("Run!", ["Cours !"])]


def test_vectorize_pairs_shapes_vocabularies_and_references():
    data = vectorize_pairs(TRAIN, TEST)
    assert data.x.shape == (4, 3) and data.decoder_in.shape == data.decoder_out.shape == (4, 5)
    assert data.x_test.shape == (2, 3) and data.max_length == 7
    assert "chat" not in data.tgt_vocab and "voyez" not in data.tgt_vocab  # test side never feeds the vocabularies
    assert data.references == [[["tu", "vois", "le", "chat", "."], ["vous", "voyez", "le", "chat", "."]],
                               [["cours", "!"]]]  # fmt: skip
    assert data.test_truncated == 1  # "you see the cat ." has 5 tokens > 3
    for (src, tgt), x, din, dout in zip(TRAIN, data.x, data.decoder_in, data.decoder_out):
        assert data.src_vocab.decode(x) == word_tokenize(src)
        assert din[0] == data.tgt_vocab.start_id and data.tgt_vocab.decode(din) == word_tokenize(tgt)
        assert data.tgt_vocab.decode(dout, strip_special=False)[len(word_tokenize(tgt))] == END
    # the decoder input and output have their padding at the same positions (the mask of one is the other's)
    assert np.array_equal(data.decoder_in > 0, data.decoder_out > 0)
    x_cut = data.x_test[0]
    assert data.src_vocab.decode(x_cut) == ["you", "see", "<unk>"]  # "the" unseen in training, then cut


def test_vectorize_pairs_min_count_and_tokenizer():
    data = vectorize_pairs(TRAIN, TEST, min_count=2)
    assert data.src_vocab.tokens[4:] == [".", "i", "run", "see"]
    chars = vectorize_pairs(TRAIN, TEST, tokenize=list)
    assert chars.x.shape[1] == max(len(s) for s, _ in TRAIN) and "é" not in chars.tgt_vocab


@pytest.mark.parametrize("train, test, error", [
    ([], TEST, ValueError),
    ("I see.", TEST, TypeError),
    ([("I see.", 3)], TEST, TypeError),
    (TRAIN, [("Run!", "Cours !")], TypeError),  # references must be a list, not one string
    (TRAIN, [("Run!", [])], TypeError),
])  # fmt: skip
def test_vectorize_pairs_rejects_bad_input(train, test, error):
    with pytest.raises(error):
        vectorize_pairs(train, test)


def test_tweet_tokenize_splits_like_glove():
    from course_utils.vectorization import tweet_tokenize

    assert tweet_tokenize("Don't go, it's LATE!!") == ["do", "n't", "go", "it", "'s", "late", "!", "!"]
    assert tweet_tokenize("@Delta #fail <url> 2 hrs?") == ["@delta", "#fail", "<url>", "2", "hrs", "?"]
    assert tweet_tokenize("") == []


def test_tweet_tokenize_rejects_non_text():
    import pytest

    from course_utils.vectorization import tweet_tokenize

    with pytest.raises(TypeError):
        tweet_tokenize(["a", "list"])
