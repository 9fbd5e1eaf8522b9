"""Seeded, offline data generators for every lesson, and leak-free splits.

Nothing here downloads anything: each data set is generated from a seed, so two runs
give the same data.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from typing import Hashable, Literal, Sequence, TypeVar

import numpy as np

__all__ = [
    "addition_questions",
    "french_number_phrase",
    "parse_french_number",
    "french_number_pairs",
    "DATE_FORMATS",
    "random_dates",
    "format_human_date",
    "parse_human_date",
    "date_pairs",
    "ecg_signals",
    "long_memory_task",
    "last_token_task",
    "split_by_key",
    "load_sentence_pairs",
    "group_references",
    "split_sentence_pairs",
    "french_number_split",
    "date_split",
]

T = TypeVar("T")


def _rng(seed: int | None) -> np.random.Generator:
    if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return np.random.default_rng(seed)


def _positive(name: str, value: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


# --------------------------------------------------------------------------------------
# Addition questions
# --------------------------------------------------------------------------------------


def addition_questions(
    n: int, *, digits: int = 3, seed: int = 0, reverse: bool = False, zero_pad: bool = False
) -> tuple[list[str], list[str]]:
    """``n`` distinct questions "a+b" with their answers, as fixed-width strings.

    Each operand has 1..``digits`` digits (the digit count drawn uniformly first). An unordered
    pair never repeats: if "12+7" is drawn, "7+12" is not. Questions are padded with spaces to
    ``2 * digits + 1`` characters, answers to ``digits + 1``. With ``reverse=True`` each padded
    question is reversed (so the least significant digits come first). With ``zero_pad=True``
    each operand is written with exactly ``digits`` digits ("7+12" becomes "007+012"), so that
    digits of the same place value always sit at the same positions. The questions drawn
    (and their order) do not depend on ``reverse`` or ``zero_pad``.

    Example:
        >>> q, a = addition_questions(2, digits=2, seed=1)
        >>> [len(s) for s in q], [len(s) for s in a]
        ([5, 5], [3, 3])
    """
    n = _positive("n", n)
    digits = _positive("digits", digits)
    biggest = 10**digits
    possible = biggest * (biggest + 1) // 2
    if n > possible:
        raise ValueError(f"only {possible} distinct unordered pairs exist with {digits} digits; asked for {n}")
    rng = _rng(seed)
    seen: set[tuple[int, int]] = set()
    questions: list[str] = []
    answers: list[str] = []
    qlen, alen = 2 * digits + 1, digits + 1
    while len(questions) < n:
        lengths = rng.integers(1, digits + 1, size=2)
        a, b = (int(rng.integers(0, 10**k)) for k in lengths)
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        q = f"{a:0{digits}d}+{b:0{digits}d}" if zero_pad else f"{a}+{b}".ljust(qlen)
        questions.append(q[::-1] if reverse else q)
        answers.append(str(a + b).ljust(alen))
    return questions, answers


# --------------------------------------------------------------------------------------
# French number phrases
# --------------------------------------------------------------------------------------

_UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
]  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> list[str]:
    if n <= 16:
        return [_UNITS[n]]
    if n < 20:
        return ["dix", _UNITS[n - 10]]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # 70-79 = 60 + 10..19, 90-99 = 80 + 10..19
        base = ["soixante"] if tens == 7 else ["quatre", "vingt"]
        rest = _below_100(n - (60 if tens == 7 else 80))
        return base + (["et"] if n == 71 else []) + rest
    if tens == 8:
        return ["quatre", "vingts"] if unit == 0 else ["quatre", "vingt"] + _below_100(unit)
    words = [_TENS[tens]]
    if unit == 1:
        words += ["et", "un"]
    elif unit:
        words += [_UNITS[unit]]
    return words


def _below_1000(n: int, *, before_mille: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds:
        if hundreds > 1:
            words.append(_UNITS[hundreds])
        plural = hundreds > 1 and rest == 0 and not before_mille
        words.append("cents" if plural else "cent")
    if rest:
        part = _below_100(rest)
        if before_mille and part[-1] == "vingts":  # quatre-vingt mille: no s before mille
            part[-1] = "vingt"
        words += part
    return words


def french_number_phrase(n: int) -> str:
    """Write ``n`` (0..999,999) in French words, space-separated (traditional spelling).

    Hyphens are replaced by spaces so that every word is a token. Agrees with ``num2words``
    (``lang="fr"``) once its hyphens are replaced by spaces.

    Example:
        >>> french_number_phrase(92000)
        'quatre vingt douze mille'
        >>> french_number_phrase(71)
        'soixante et onze'
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    n = int(n)
    if not 0 <= n <= 999_999:
        raise ValueError(f"n must be in 0..999999, got {n}")
    if n == 0:
        return "zéro"
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        if thousands > 1:
            words += _below_1000(thousands, before_mille=True)
        words.append("mille")
    if rest:
        words += _below_1000(rest, before_mille=False)
    return " ".join(words)


_WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 10 * t for t, w in _TENS.items()}


def parse_french_number(phrase: str) -> int:
    """Read a French number phrase (as written by :func:`french_number_phrase`) back as an int.

    Raises ``ValueError`` naming the first word it does not know.

    Example:
        >>> parse_french_number("deux cent quatre vingt un mille")
        281000
    """
    if not isinstance(phrase, str):
        raise TypeError(f"phrase must be a str, got {type(phrase).__name__}")
    words = phrase.replace("-", " ").split()
    if not words:
        raise ValueError("empty phrase")
    total, current = 0, 0
    for i, word in enumerate(words):
        if word == "et":
            continue
        if word in ("vingt", "vingts") and i > 0 and words[i - 1] == "quatre":
            current += 80 - 4  # "quatre" was already added
        elif word in ("cent", "cents"):
            if current >= 10:
                raise ValueError(f"'{word}' after {current} in {phrase!r}: hundreds take a single digit")
            current = max(current, 1) * 100
        elif word == "mille":
            if total:
                raise ValueError(f"'mille' appears twice in {phrase!r}")
            total, current = max(current, 1) * 1000, 0
        elif word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        else:
            raise ValueError(f"unknown word {word!r} in {phrase!r}")
    return total + current


def french_number_pairs(numbers: Sequence[int]) -> tuple[list[str], list[str]]:
    """Numbers -> (French phrases, digit strings), for the translation lesson.

    Example:
        >>> french_number_pairs([21, 1000])
        (['vingt et un', 'mille'], ['21', '1000'])
    """
    return [french_number_phrase(n) for n in numbers], [str(int(n)) for n in numbers]


def french_number_split(
    *, n_large: int = 34_000, n_test: int = 5_000, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The number split of lessons 05, 07 and 08: (training numbers, test numbers), disjoint.

    The pool holds every number below 1,000 plus ``n_large`` distinct numbers from 1,000..999,999;
    it is shuffled and the first ``n_test`` numbers are the test set.

    Example:
        >>> train, test = french_number_split(n_large=100, n_test=10)
        >>> len(train), len(test), bool(set(train) & set(test))
        (1090, 10, False)
    """
    rng = _rng(seed)
    large = rng.choice(np.arange(1000, 1_000_000), size=_positive("n_large", n_large), replace=False)
    pool = rng.permutation(np.concatenate([np.arange(1000), large]))
    n_test = _positive("n_test", n_test)
    if n_test >= len(pool):
        raise ValueError(f"n_test ({n_test}) must be smaller than the pool ({len(pool)})")
    return pool[n_test:], pool[:n_test]


# --------------------------------------------------------------------------------------
# Human-readable dates
# --------------------------------------------------------------------------------------

#: (locale, Babel pattern) pairs. Every pattern spells the month in words, so each string
#: names exactly one day: numeric forms such as 03/04/21 are left out because English and
#: French readers would read them as different days.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("en", "MMMM d, y"),
    ("en", "MMM d, y"),
    ("en", "d MMMM y"),
    ("en", "d MMM y"),
    ("en", "EEEE, MMMM d, y"),
    ("en", "EEE d MMM y"),
    ("en", "dd MMMM yyyy"),
    ("fr", "d MMMM y"),
    ("fr", "d MMM y"),
    ("fr", "EEEE d MMMM y"),
    ("fr", "dd MMMM yyyy"),
    ("fr", "EEE d MMM y"),
)

DATE_MIN = _dt.date(1950, 1, 1)
DATE_MAX = _dt.date(2049, 12, 31)


def random_dates(
    n: int, *, seed: int = 0, start: _dt.date = DATE_MIN, end: _dt.date = DATE_MAX
) -> list[_dt.date]:
    """``n`` dates drawn uniformly (with replacement) from ``start``..``end`` inclusive.

    The bounds are fixed, never "today", so the data does not change from day to day.

    Example:
        >>> random_dates(1, seed=0, start=_dt.date(2000, 1, 1), end=_dt.date(2000, 1, 1))
        [datetime.date(2000, 1, 1)]
    """
    n = _positive("n", n)
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    offsets = _rng(seed).integers(0, (end - start).days + 1, size=n)
    return [start + _dt.timedelta(days=int(k)) for k in offsets]


def format_human_date(date: _dt.date, locale: str, pattern: str) -> str:
    """Write ``date`` with a Babel ``pattern`` in ``locale``, lower-cased.

    Example:
        >>> format_human_date(_dt.date(2021, 3, 4), "fr", "EEEE d MMMM y")
        'jeudi 4 mars 2021'
    """
    from babel.dates import format_date

    if not isinstance(date, _dt.date):
        raise TypeError(f"date must be a datetime.date, got {type(date).__name__}")
    if "Y" in pattern:
        raise ValueError("pattern uses 'Y' (ISO week-year, wrong around New Year); use 'y'")
    return format_date(date, format=pattern, locale=locale).lower()


def _locale_words(locale: str) -> tuple[dict[str, int], set[str]]:
    """Month names (wide and abbreviated) -> month number, and weekday names, lower-case."""
    from babel import Locale

    loc = Locale.parse(locale)
    months: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in loc.months["format"][width].items():
            months[name.lower().rstrip(".")] = number
    weekdays = {
        name.lower().rstrip(".") for width in ("wide", "abbreviated") for name in loc.days["format"][width].values()
    }
    return months, weekdays


_LOCALE_WORDS: dict[str, tuple[dict[str, int], set[str]]] = {}


def parse_human_date(text: str) -> _dt.date:
    """Read a date written with one of :data:`DATE_FORMATS` (any case) back as a ``date``.

    For each locale, every word must be a month or weekday name of that locale; the year is
    the 4-digit number, the day the other number. Raises ``ValueError`` when no locale reads
    the text, or when two locales read it as different dates.

    Example:
        >>> parse_human_date("thursday, march 4, 2021")
        datetime.date(2021, 3, 4)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    words = re.findall(r"[^\W\d_]+|\d+", text.lower())
    numbers = [w for w in words if w.isdigit()]
    years = [w for w in numbers if len(w) == 4]
    days = [w for w in numbers if len(w) <= 2]
    found: set[_dt.date] = set()
    for locale in sorted({loc for loc, _ in DATE_FORMATS}):
        if locale not in _LOCALE_WORDS:
            _LOCALE_WORDS[locale] = _locale_words(locale)
        months, weekdays = _LOCALE_WORDS[locale]
        names = [w for w in words if not w.isdigit()]
        month = [months[w] for w in names if w in months and w not in weekdays]
        if any(w not in months and w not in weekdays for w in names):
            continue
        if len(years) == 1 and len(days) == 1 and len(month) == 1 and len(numbers) == 2:
            try:
                found.add(_dt.date(int(years[0]), month[0], int(days[0])))
            except ValueError as err:
                raise ValueError(f"{text!r} is not a valid date: {err}") from None
    if len(found) != 1:
        what = "is ambiguous" if found else "has no single day, month name and 4-digit year"
        raise ValueError(f"{text!r} {what} in the course's date formats")
    return found.pop()


def date_split(
    *, n_train: int = 20_000, n_test: int = 2_500, seed: int = 0
) -> tuple[list[_dt.date], list[_dt.date]]:
    """The date split of lessons 06-08: distinct days from DATE_MIN..DATE_MAX, test days never in training.

    Example:
        >>> train, test = date_split(n_train=50, n_test=5)
        >>> len(train), len(test), bool(set(train) & set(test))
        (50, 5, False)
    """
    n_train, n_test = _positive("n_train", n_train), _positive("n_test", n_test)
    n_days = (DATE_MAX - DATE_MIN).days + 1
    if n_train + n_test > n_days:
        raise ValueError(f"only {n_days} days exist between {DATE_MIN} and {DATE_MAX}")
    days = _rng(seed).permutation(n_days)
    test = [DATE_MIN + _dt.timedelta(days=int(k)) for k in days[:n_test]]
    train = [DATE_MIN + _dt.timedelta(days=int(k)) for k in days[n_test : n_test + n_train]]
    return train, test


def date_pairs(dates: Sequence[_dt.date], *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Dates -> (human-readable strings in a random format each, ISO ``YYYY-MM-DD`` strings).

    Example:
        >>> human, iso = date_pairs([_dt.date(2021, 3, 4)], seed=0)
        >>> iso
        ['2021-03-04']
    """
    rng = _rng(seed)
    choice = rng.integers(0, len(DATE_FORMATS), size=len(dates))
    human = [format_human_date(d, *DATE_FORMATS[int(k)]) for d, k in zip(dates, choice)]
    return human, [d.isoformat() for d in dates]


# --------------------------------------------------------------------------------------
# Synthetic ECG-like beats (lesson 01)
# --------------------------------------------------------------------------------------


def ecg_signals(
    n: int, *, length: int = 100, sampling_rate: float = 100.0, noise: float = 0.03, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic one-beat ECG-like traces, labelled by the width of their QRS complex.

    A healthy QRS complex lasts 0.06-0.10 s; a wide one (>= 0.12 s) can signal a conduction
    problem. Half of the traces are normal (width 0.06-0.10 s, label 0) and half wide
    (0.12-0.18 s, label 1). Each trace has a P wave, a QRS complex at a random position, a T
    wave, baseline wander and Gaussian noise.

    Returns:
        x: float32 array (n, length, 1), the signal in millivolt-like units;
        y: int array (n,), 1 for a wide QRS;
        width: float array (n,), the QRS width in seconds.

    Example:
        >>> x, y, w = ecg_signals(4, seed=0)
        >>> x.shape, y.tolist()
        ((4, 100, 1), [0, 1, 0, 1])
    """
    n = _positive("n", n)
    length = _positive("length", length)
    rng = _rng(seed)
    t = np.arange(length) / sampling_rate
    duration = length / sampling_rate
    y = np.arange(n) % 2
    width = np.where(y == 1, rng.uniform(0.12, 0.18, n), rng.uniform(0.06, 0.10, n))
    centre = rng.uniform(0.35, 0.55, n) * duration
    x = np.zeros((n, length))

    def bump(mid: np.ndarray, sigma: np.ndarray | float, amp: np.ndarray | float) -> np.ndarray:
        return amp * np.exp(-0.5 * ((t[None, :] - np.asarray(mid)[:, None]) / np.asarray(sigma).reshape(-1, 1)) ** 2)

    amp_r = rng.uniform(0.8, 1.2, n)[:, None]
    sig = (width / 6)[:, None]
    x += bump(centre - 0.22 * duration, 0.025, rng.uniform(0.08, 0.18, n)[:, None])  # P wave
    x += bump(centre - width / 3, sig[:, 0], -0.15 * amp_r)  # Q
    x += bump(centre, sig[:, 0], amp_r)  # R
    x += bump(centre + width / 3, sig[:, 0], -0.3 * amp_r)  # S
    x += bump(centre + 0.28 * duration, 0.05, rng.uniform(0.2, 0.35, n)[:, None])  # T wave
    phase = rng.uniform(0, 2 * np.pi, n)[:, None]
    x += 0.05 * np.sin(2 * np.pi * 0.3 * t[None, :] + phase)  # baseline wander
    x += rng.normal(0.0, noise, x.shape)
    return x[..., None].astype(np.float32), y.astype(np.int64), width


# --------------------------------------------------------------------------------------
# Memory and padding tasks (lesson 02)
# --------------------------------------------------------------------------------------


def long_memory_task(
    n: int, steps: int, *, n_classes: int = 4, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Remember a symbol across ``steps`` distracting time steps.

    Step 0 shows the label as a one-hot symbol among ``n_classes``; each of the next ``steps``
    steps shows one of ``n_classes`` other (distractor) symbols plus Gaussian noise. The model
    must output the first symbol after reading the whole sequence. Chance is ``1 / n_classes``.

    Returns x, float32 (n, steps + 1, 2 * n_classes), and y, int (n,).

    Example:
        >>> x, y = long_memory_task(3, 10, seed=0)
        >>> x.shape, bool((x[np.arange(3), 0, y] == 1).all())
        ((3, 11, 8), True)
    """
    n, steps, n_classes = _positive("n", n), _positive("steps", steps), _positive("n_classes", n_classes)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = _rng(seed)
    y = rng.integers(0, n_classes, n)
    symbols = np.concatenate([y[:, None], rng.integers(n_classes, 2 * n_classes, (n, steps))], axis=1)
    x = np.eye(2 * n_classes, dtype=np.float32)[symbols]
    x[:, 1:] += rng.normal(0.0, noise, x[:, 1:].shape).astype(np.float32)
    return x, y


def last_token_task(
    n: int, *, min_length: int = 3, max_length: int = 80, vocab_size: int = 8, seed: int = 0
) -> tuple[list[list[str]], np.ndarray]:
    """Variable-length token sequences labelled by their *last* token (1 if it is above half the vocabulary).

    Padding matters here: after post-padding the deciding token sits far from the end.

    Example:
        >>> seqs, y = last_token_task(2, seed=0)
        >>> [int(int(s[-1]) > 4) for s in seqs] == y.tolist()
        True
    """
    n = _positive("n", n)
    if not 1 <= min_length <= max_length:
        raise ValueError(f"need 1 <= min_length <= max_length, got {min_length} and {max_length}")
    rng = _rng(seed)
    lengths = rng.integers(min_length, max_length + 1, n)
    seqs = [[str(t) for t in rng.integers(1, vocab_size + 1, k)] for k in lengths]
    y = np.array([int(int(s[-1]) > vocab_size // 2) for s in seqs])
    return seqs, y


# --------------------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------------------


def split_by_key(
    items: Sequence[T], keys: Sequence[Hashable], *, test_size: int | float, seed: int = 0, shuffle: bool = False
) -> tuple[list[T], list[T]]:
    """Split ``items`` so that no key has items on both sides.

    Use the underlying number or date as the key: then a number seen in training, written
    another way, never shows up in the test set. ``test_size`` is a count of *keys* or a
    fraction of them. Both sides keep the input order unless ``shuffle=True``, which returns
    each side in a seeded random order (useful when the input is sorted, e.g. by length).

    Example:
        >>> train, test = split_by_key(["a", "b", "c", "d"], [1, 1, 2, 3], test_size=1, seed=0)
        >>> len(train) + len(test)
        4
    """
    if len(items) != len(keys):
        raise ValueError(f"items ({len(items)}) and keys ({len(keys)}) differ in length")
    unique = list(dict.fromkeys(keys))
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"a fractional test_size must be in (0, 1), got {test_size}")
        n_test = max(1, int(round(test_size * len(unique))))
    else:
        n_test = int(test_size)
    if not 0 < n_test < len(unique):
        raise ValueError(f"test_size must leave keys on both sides; {len(unique)} distinct keys, asked {n_test}")
    rng = _rng(seed)
    order = rng.permutation(len(unique))
    test_keys = {unique[i] for i in order[:n_test]}
    train = [it for it, k in zip(items, keys) if k not in test_keys]
    test = [it for it, k in zip(items, keys) if k in test_keys]
    if shuffle:
        train = [train[i] for i in rng.permutation(len(train))]
        test = [test[i] for i in rng.permutation(len(test))]
    return train, test


# --------------------------------------------------------------------------------------
# Real sentence pairs supplied by the user
# --------------------------------------------------------------------------------------


def group_references(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Gather every translation of the same source: [(source, target)] -> [(source, [target, ...])].

    Real pair files list one source several times, once per translation; BLEU and exact match should
    count any of them as right. Sources keep the order of their first line, translations the order of
    their lines; a translation listed twice for the same source is kept once.

    Example:
        >>> group_references([("Hi.", "Salut."), ("Run!", "Cours !"), ("Hi.", "Bonjour."), ("Hi.", "Salut.")])
        [('Hi.', ['Salut.', 'Bonjour.']), ('Run!', ['Cours !'])]
    """
    groups: dict[str, list[str]] = {}
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise TypeError(f"pair {i} must be a (source, target) tuple of strings, got {pair!r}")
        targets = groups.setdefault(pair[0], [])
        if pair[1] not in targets:
            targets.append(pair[1])
    return list(groups.items())


def split_sentence_pairs(
    pairs: Sequence[tuple[str, str]], *, test_size: int | float, seed: int = 0
) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Split real sentence pairs by source: training pairs, and test sources with all their references.

    Every translation of a training source is a training pair; a test source never appears in training
    and comes with all its translations (:func:`group_references`). ``test_size`` counts distinct sources
    (or is a fraction of them). Both sides are in a seeded random order, whatever the order of the file.

    Example:
        >>> pairs = [("Hi.", "Salut."), ("Hi.", "Bonjour."), ("Run!", "Cours !"), ("Go.", "Va !")]
        >>> train, test = split_sentence_pairs(pairs, test_size=1, seed=1)
        >>> len(test), sorted(train + [(s, r) for s, refs in test for r in refs]) == sorted(pairs)
        (1, True)
    """
    groups = group_references(pairs)
    train_groups, test = split_by_key(groups, [s for s, _ in groups], test_size=test_size, seed=seed, shuffle=True)
    train = [(source, target) for source, targets in train_groups for target in targets]
    order = _rng(seed).permutation(len(train))
    return [train[i] for i in order], test


def load_sentence_pairs(
    path: str | os.PathLike[str],
    *,
    max_pairs: int | None = None,
    sample: Literal["random", "first"] = "random",
    seed: int = 0,
    max_words: int | None = None,
    lowercase: bool = False,
) -> list[tuple[str, str]]:
    r"""Read a tab-separated sentence-pair file (the Tatoeba / Anki format) into (source, target) pairs.

    Each line is ``source<TAB>target`` optionally followed by more tab-separated fields (Anki files add
    an attribution), which are ignored. Blank lines are skipped; a byte-order mark (at the start of the
    file or anywhere else) is removed. A line without a tab raises ``ValueError`` naming the line number.
    Nothing is downloaded: you supply the file.

    Such files are usually sorted from the shortest sentence to the longest, so the first lines are not
    a fair sample. With ``max_pairs``, ``sample="random"`` (the default) keeps a seeded random sample of
    ``max_pairs`` pairs, in random order; ``sample="first"`` keeps the first ``max_pairs`` lines, in file
    order. ``max_words`` first drops the pairs with a side longer than that many space-separated words.
    Without ``max_pairs`` the pairs come in file order.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "pairs.txt"
        >>> _ = p.write_text("\ufeffGo.\tVa !\tCC-BY 2.0\nI see.\tJe vois.\n", encoding="utf-8")
        >>> load_sentence_pairs(p)
        [('Go.', 'Va !'), ('I see.', 'Je vois.')]
        >>> load_sentence_pairs(p, max_pairs=1, sample="first", lowercase=True)
        [('go.', 'va !')]
    """
    from pathlib import Path

    file = Path(os.fspath(path))
    if not file.is_file():
        raise FileNotFoundError(f"no sentence-pair file at {file}")
    if max_pairs is not None:
        max_pairs = _positive("max_pairs", max_pairs)
    if max_words is not None:
        max_words = _positive("max_words", max_words)
    if sample not in ("random", "first"):
        raise ValueError(f"sample must be 'random' or 'first', got {sample!r}")
    rng = _rng(seed)
    stop_at = max_pairs if sample == "first" else None
    pairs: list[tuple[str, str]] = []
    with file.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n").rstrip("\r").replace("\ufeff", "")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(f"line {number} of {file.name} is not 'source<TAB>target': {line[:60]!r}")
            source, target = fields[0].strip(), fields[1].strip()
            if max_words is not None and max(len(source.split()), len(target.split())) > max_words:
                continue
            pairs.append((source.lower(), target.lower()) if lowercase else (source, target))
            if stop_at is not None and len(pairs) >= stop_at:
                break
    if max_pairs is not None and sample == "random" and len(pairs) > max_pairs:
        pairs = [pairs[i] for i in rng.permutation(len(pairs))[:max_pairs]]
    return pairs

# The phrase-book generator lives in its own module; re-exported here so `from course_utils.data import ...` works.
from course_utils.phrasebook import PhrasebookSplit, phrasebook_pairs, phrasebook_split  # noqa: E402, F401
