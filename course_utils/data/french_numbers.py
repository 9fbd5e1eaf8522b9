"""French number phrases and the number split (lessons 07, 09 and 10)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from course_utils.data._common import _positive, _rng

__all__ = ["french_number_phrase", "parse_french_number", "french_number_pairs", "french_number_split"]

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
    """The number split of lessons 07, 09 and 10: (training numbers, test numbers), disjoint.

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
