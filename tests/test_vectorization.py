import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.vectorization import (
    END,
    PAD,
    START,
    UNK,
    CharacterTable,
    Vocabulary,
    char_tokenize,
    vectorize_corpus,
    word_tokenize,
)

words = st.lists(st.text(alphabet="abcdéz", min_size=1, max_size=5), min_size=0, max_size=12)


def test_word_tokenize_splits_words_and_punctuation():
    assert word_tokenize("He is a teacher. She is a student.") == [
        "he", "is", "a", "teacher", ".", "she", "is", "a", "student", ".",
    ]  # fmt: skip
    assert word_tokenize("C'est l'été", lowercase=False) == ["C'est", "l'été"]


def test_char_tokenize():
    assert char_tokenize("1 2") == ["1", " ", "2"]


@pytest.mark.parametrize("bad", [None, 3, ["a"]])
def test_tokenizers_reject_non_strings(bad):
    with pytest.raises(TypeError):
        word_tokenize(bad)
    with pytest.raises(TypeError):
        char_tokenize(bad)


def test_reserved_ids():
    v = Vocabulary(["x"])
    assert [v.token_to_id(t) for t in (PAD, START, END, UNK)] == [0, 1, 2, 3]
    assert (v.pad_id, v.start_id, v.end_id, v.unk_id) == (0, 1, 2, 3)
    assert v.token_to_id("x") == 4 and len(v) == 5 and "x" in v


def test_unknown_tokens_map_to_unk():
    v = Vocabulary(["a"])
    assert v.encode(["a", "zzz"]) == [4, v.unk_id]


def test_from_corpus_orders_by_count_then_alphabet_and_respects_min_count():
    v = Vocabulary.from_corpus([["b", "a", "c"], ["c", "a"], ["c"]], min_count=2)
    assert v.tokens[4:] == ["c", "a"]


def test_from_corpus_rejects_strings():
    with pytest.raises(TypeError, match="row 1"):
        Vocabulary.from_corpus([["a"], "hello"])


def test_special_tokens_cannot_be_redefined():
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary(["a", PAD])


def test_vocabulary_rejects_a_single_string():
    with pytest.raises(TypeError):
        Vocabulary("abc")


def test_id_to_token_out_of_range():
    with pytest.raises(ValueError, match="outside the vocabulary"):
        Vocabulary(["a"]).id_to_token(99)


def test_encode_rejects_a_string():
    with pytest.raises(TypeError, match="tokenize"):
        Vocabulary(["a"]).encode("a b")


@given(words)
def test_encode_decode_round_trip(tokens):
    v = Vocabulary.from_corpus([tokens])
    ids = v.encode(tokens, add_start=True, add_end=True)
    assert ids[0] == v.start_id and ids[-1] == v.end_id
    assert v.decode(ids + [0, 0]) == tokens
    assert v.decode(ids, strip_special=False)[1:-1] == tokens


def test_character_table_one_hot():
    table = CharacterTable("0123456789+")
    x = table.encode("12+3", maxlen=6)
    assert x.shape == (6, 12) and np.all(x.sum(axis=1) == 1)
    assert table.decode(x) == "12+3  "
    assert table.decode(x.argmax(-1), calc_argmax=False) == "12+3  "


@given(st.lists(st.text(alphabet="0123456789+ ", max_size=7), min_size=1, max_size=5))
def test_character_table_round_trip(texts):
    table = CharacterTable("0123456789+ ")
    batch = table.encode_batch(texts, maxlen=7)
    assert batch.shape == (len(texts), 7, 12)
    assert table.decode_batch(batch) == [t.ljust(7) for t in texts]


def test_character_table_errors():
    table = CharacterTable("0123456789+")
    with pytest.raises(ValueError, match="length 4 > maxlen 3"):
        table.encode("12+3", maxlen=3)
    with pytest.raises(ValueError, match=r"\['x'\]"):
        table.encode("1x", maxlen=3)
    with pytest.raises(ValueError, match="one sequence"):
        table.decode(np.zeros((2, 3, 12)))
    with pytest.raises(TypeError):
        table.encode_batch("123", maxlen=3)


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
