import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from course_utils import data


def test_addition_questions_shapes_and_correct_sums():
    q, a = data.addition_questions(2000, digits=3, seed=3)
    assert len(q) == len(a) == 2000
    assert all(len(s) == 7 for s in q) and all(len(s) == 4 for s in a)
    for question, answer in zip(q, a):
        x, y = map(int, question.split("+"))
        assert int(answer) == x + y


def test_addition_unordered_pairs_never_repeat():
    q, _ = data.addition_questions(5000, digits=2, seed=0)
    keys = {tuple(sorted(map(int, s.split("+")))) for s in q}
    assert len(keys) == 5000


def test_addition_reverse_and_seed():
    q, _ = data.addition_questions(50, seed=7)
    qr, _ = data.addition_questions(50, seed=7, reverse=True)
    assert qr == [s[::-1] for s in q]
    assert data.addition_questions(50, seed=8)[0] != q


def test_addition_bad_input():
    with pytest.raises(ValueError, match="distinct unordered pairs"):
        data.addition_questions(100, digits=1)
    with pytest.raises(ValueError, match="n must be"):
        data.addition_questions(0)
    with pytest.raises(ValueError, match="seed"):
        data.addition_questions(5, seed=-1)


@pytest.mark.parametrize(
    "n, phrase",
    [(0, "zéro"), (21, "vingt et un"), (71, "soixante et onze"), (80, "quatre vingts"), (81, "quatre vingt un"),
     (200, "deux cents"), (201, "deux cent un"), (80000, "quatre vingt mille"), (200000, "deux cent mille"),
     (92000, "quatre vingt douze mille"), (1001, "mille un")],
)  # fmt: skip
def test_french_phrases_known_values(n, phrase):
    assert data.french_number_phrase(n) == phrase


def _numbers_covering_every_rule():
    """Every number below 2,000 (all ways of writing 0-999, alone and after "mille"), then every thousands part
    0-999 followed by the remainders where the rules for the thousands part change (none: "quatre-vingt mille";
    a plural "cents" or "vingts" in the remainder; "et un"), and a seeded sample of the rest."""
    remainders = (0, 1, 21, 71, 80, 81, 100, 180, 200, 201, 999)
    sample = np.random.default_rng(0).integers(2000, 1_000_000, 5_000)
    return sorted({*range(2000), *(k * 1000 + r for k in range(1000) for r in remainders), *sample.tolist()})


def test_french_phrases_agree_with_num2words_where_the_rules_change():
    numbers = _numbers_covering_every_rule()
    assert len(numbers) > 15_000 and numbers[-1] == 999_999
    for n in numbers:
        assert data.french_number_phrase(n) == num2words(n, lang="fr").replace("-", " "), n


@given(st.integers(0, 999_999))
def test_french_phrase_parses_back(n):
    assert data.parse_french_number(data.french_number_phrase(n)) == n


def test_french_bad_input():
    with pytest.raises(ValueError, match="0..999999"):
        data.french_number_phrase(1_000_000)
    with pytest.raises(TypeError):
        data.french_number_phrase("12")
    with pytest.raises(ValueError, match="unknown word 'cat'"):
        data.parse_french_number("deux cat")
    with pytest.raises(ValueError, match="empty"):
        data.parse_french_number("  ")


def test_french_number_pairs():
    assert data.french_number_pairs([21, 1000]) == (["vingt et un", "mille"], ["21", "1000"])


@given(st.dates(dt.date(1950, 1, 1), dt.date(2049, 12, 31)), st.integers(0, len(data.DATE_FORMATS) - 1))
def test_dates_parse_back(date, k):
    locale, pattern = data.DATE_FORMATS[k]
    assert data.parse_human_date(data.format_human_date(date, locale, pattern)) == date


def test_date_formats_are_unambiguous_across_locales():
    dates = data.random_dates(3000, seed=4)
    seen: dict[str, dt.date] = {}
    for d in dates:
        for locale, pattern in data.DATE_FORMATS:
            s = data.format_human_date(d, locale, pattern)
            assert seen.setdefault(s, d) == d, f"{s!r} names two dates"


def test_date_pairs_and_two_languages():
    dates = data.random_dates(200, seed=1)
    human, iso = data.date_pairs(dates, seed=2)
    assert iso == [d.isoformat() for d in dates]
    assert [data.parse_human_date(h) for h in human] == dates
    assert {loc for loc, _ in data.DATE_FORMATS} >= {"en", "fr"}
    assert data.date_pairs(dates, seed=2) == (human, iso)


def test_random_dates_bounds_and_errors():
    d = data.random_dates(500, seed=0, start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31))
    assert min(d) >= dt.date(2020, 1, 1) and max(d) <= dt.date(2020, 1, 31)
    with pytest.raises(ValueError, match="before start"):
        data.random_dates(1, start=dt.date(2020, 1, 2), end=dt.date(2020, 1, 1))
    with pytest.raises(ValueError, match="week-year"):
        data.format_human_date(dt.date(2018, 12, 31), "en", "YYYY-MM-dd")
    with pytest.raises(ValueError, match="no single day"):
        data.parse_human_date("03/04/21")


def test_ecg_rhythm_signals_labels_match_the_interval_and_are_seeded():
    x, y, rr = data.ecg_rhythm_signals(400, seed=5)
    assert x.shape == (400, 100, 1) and x.dtype == np.float32
    assert np.all((rr[y == 1] >= 0.50) & (rr[y == 1] <= 0.60))
    assert np.all((rr[y == 0] >= 0.75) & (rr[y == 0] <= 1.00))
    assert y.mean() == 0.5
    x2, _, _ = data.ecg_rhythm_signals(400, seed=5)
    assert np.array_equal(x, x2)
    # the R peaks lie RR apart (the first always before 1 s, the second after), so the timing is in the trace
    x_clean, _, rr_clean = data.ecg_rhythm_signals(200, noise=0.0, seed=6)
    first, second = x_clean[:, :50, 0].argmax(axis=1), 50 + x_clean[:, 50:, 0].argmax(axis=1)
    assert np.all(np.abs((second - first) / 50.0 - rr_clean) < 0.05)
    for bad in ({"n": 0}, {"n": 4, "length": 60}, {"n": 4, "noise": -1.0}, {"n": 4, "sampling_rate": 0.0}):
        with pytest.raises(ValueError):
            data.ecg_rhythm_signals(**bad)


def test_ecg_rhythm_classes_have_the_same_amplitudes():
    # the order-free view (each trace's samples sorted) is nearly the same in both classes
    x, y, _ = data.ecg_rhythm_signals(4000, seed=7)
    sorted_samples = np.sort(x[:, :, 0], axis=1)  # (n, T)
    gap = np.abs(sorted_samples[y == 1].mean(axis=0) - sorted_samples[y == 0].mean(axis=0))
    spread = sorted_samples.std(axis=0)
    assert np.max(gap / spread) < 0.15, np.max(gap / spread)


@given(st.lists(st.integers(0, 30), min_size=3, max_size=60), st.integers(0, 100))
def test_split_by_key_never_leaks(keys, seed):
    if len(set(keys)) < 2:
        return
    items = list(range(len(keys)))
    train, test = data.split_by_key(items, keys, test_size=1, seed=seed)
    train_keys = {keys[i] for i in train}
    test_keys = {keys[i] for i in test}
    assert not train_keys & test_keys
    assert sorted(train + test) == items


def test_split_by_key_errors():
    with pytest.raises(ValueError, match="differ in length"):
        data.split_by_key([1, 2], [1], test_size=1)
    with pytest.raises(ValueError, match="both sides"):
        data.split_by_key([1, 2], [1, 1], test_size=1)
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        data.split_by_key([1, 2], [1, 2], test_size=1.5)


def test_long_memory_task():
    x, y = data.long_memory_task(50, 20, seed=3)
    assert x.shape == (50, 21, 8) and x.dtype == np.float32
    assert np.array_equal(x[:, 0].argmax(-1), y)
    assert (x[:, 1:, :4].mean() < 0.1) and set(np.unique(y)) <= {0, 1, 2, 3}
    with pytest.raises(ValueError, match="noise"):
        data.long_memory_task(5, 5, noise=-1)


def test_last_token_task():
    seqs, y = data.last_token_task(200, min_length=2, max_length=9, seed=1)
    assert all(2 <= len(s) <= 9 for s in seqs)
    assert y.tolist() == [int(int(s[-1]) > 4) for s in seqs]
    with pytest.raises(ValueError, match="min_length"):
        data.last_token_task(3, min_length=5, max_length=2)


def test_addition_zero_pad_keeps_the_same_questions():
    q, a = data.addition_questions(300, seed=4)
    qz, az = data.addition_questions(300, seed=4, zero_pad=True)
    assert az == a
    assert all(len(s) == 7 and s[3] == "+" and " " not in s for s in qz)
    assert [tuple(map(int, s.split("+"))) for s in qz] == [tuple(map(int, s.split("+"))) for s in q]
    qzr, _ = data.addition_questions(300, seed=4, zero_pad=True, reverse=True)
    assert qzr == [s[::-1] for s in qz]


def test_load_sentence_pairs_fixture(tmp_path):
    fixture = tmp_path / "fra.txt"
    fixture.write_text(
        "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\n"
        "\n"
        "I'm OK.\tJe vais bien.\tCC-BY 2.0\n"
        "Who?\tQui ?\n",
        encoding="utf-8",
    )
    assert data.load_sentence_pairs(fixture) == [("Go.", "Va !"), ("I'm OK.", "Je vais bien."), ("Who?", "Qui ?")]
    assert data.load_sentence_pairs(fixture, max_pairs=1, sample="first", lowercase=True) == [("go.", "va !")]


def _write_pairs(path, n, bom=False):
    # made-up sentences, longer further down the file like real pair files
    lines = [f"{'very ' * (i // 10)}line {i}.\t{'très ' * (i // 10)}ligne {i}.\tattribution" for i in range(n)]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return [tuple(line.split("\t")[:2]) for line in lines]


def test_load_sentence_pairs_removes_a_byte_order_mark(tmp_path):
    expected = _write_pairs(tmp_path / "bom.txt", 3, bom=True)
    pairs = data.load_sentence_pairs(tmp_path / "bom.txt")
    assert pairs == expected and pairs[0][0].startswith("line 0")


def test_load_sentence_pairs_samples_at_random_not_the_first_lines(tmp_path):
    every = _write_pairs(tmp_path / "pairs.txt", 200)
    sample = data.load_sentence_pairs(tmp_path / "pairs.txt", max_pairs=50, seed=3)
    assert len(sample) == len(set(sample)) == 50 and set(sample) <= set(every)
    assert sample != every[:50] and max(every.index(p) for p in sample) >= 100  # reaches the long lines
    assert sample == data.load_sentence_pairs(tmp_path / "pairs.txt", max_pairs=50, seed=3)  # seeded
    assert sample != data.load_sentence_pairs(tmp_path / "pairs.txt", max_pairs=50, seed=4)
    assert data.load_sentence_pairs(tmp_path / "pairs.txt", max_pairs=50, sample="first") == every[:50]
    assert data.load_sentence_pairs(tmp_path / "pairs.txt", max_pairs=500) == every  # fewer lines: all, in order


def test_load_sentence_pairs_length_filter(tmp_path):
    every = _write_pairs(tmp_path / "pairs.txt", 60)
    short = data.load_sentence_pairs(tmp_path / "pairs.txt", max_words=4)  # "very very line 2x." has 4 words
    assert short == [p for p in every if len(p[0].split()) <= 4 and len(p[1].split()) <= 4] and len(short) == 30
    some = data.load_sentence_pairs(tmp_path / "pairs.txt", max_words=4, max_pairs=5, seed=1)
    assert len(some) == 5 and set(some) <= set(short)


def test_group_references_and_split_by_source():
    pairs = [("Hi.", "Salut."), ("Run!", "Cours !"), ("Hi.", "Bonjour."), ("Run!", "Courez !"), ("Hi.", "Salut.")]
    assert data.group_references(pairs) == [("Hi.", ["Salut.", "Bonjour."]), ("Run!", ["Cours !", "Courez !"])]
    with pytest.raises(TypeError, match="pair 1"):
        data.group_references([("a", "b"), ("a",)])


@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from("uvwxyz")), min_size=3, max_size=40),
       st.integers(0, 100))  # fmt: skip
def test_split_sentence_pairs_never_leaks_and_keeps_every_reference(pairs, seed):
    if len({s for s, _ in pairs}) < 2:
        return
    train, test = data.split_sentence_pairs(pairs, test_size=1, seed=seed)
    assert len(test) == 1
    test_sources = {s for s, _ in test}
    assert not test_sources & {s for s, _ in train}
    for source, refs in test:
        assert sorted(refs) == sorted({t for s, t in pairs if s == source})
    assert sorted(set(train)) == sorted({p for p in pairs if p[0] not in test_sources})


def test_split_by_key_shuffle_keeps_the_same_split():
    items = list(range(100))
    keys = [i // 4 for i in items]
    train, test = data.split_by_key(items, keys, test_size=5, seed=2)
    train_s, test_s = data.split_by_key(items, keys, test_size=5, seed=2, shuffle=True)
    assert sorted(train_s) == train and sorted(test_s) == test and train_s != train


def test_load_sentence_pairs_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Go.\tVa !\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        data.load_sentence_pairs(bad)
    with pytest.raises(FileNotFoundError):
        data.load_sentence_pairs(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="max_pairs"):
        data.load_sentence_pairs(bad, max_pairs=0)
    with pytest.raises(ValueError, match="max_words"):
        data.load_sentence_pairs(bad, max_words=0)
    with pytest.raises(ValueError, match="sample"):
        data.load_sentence_pairs(bad, sample="last")
