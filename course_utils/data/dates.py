"""Human-readable dates in English and French, and the date split (lessons 08-10)."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Sequence

from course_utils.data._common import _positive, _rng

__all__ = [
    "DATE_FORMATS",
    "DATE_MIN",
    "DATE_MAX",
    "random_dates",
    "format_human_date",
    "parse_human_date",
    "date_split",
    "date_pairs",
]

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
    """The date split of lessons 08-10: distinct days from DATE_MIN..DATE_MAX, test days never in training.

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
