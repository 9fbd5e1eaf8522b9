"""Turning text into integer ids and one-hot arrays, and back.

Conventions used by every lesson:

* id 0 is padding, 1 the start token, 2 the end token, 3 the unknown token;
* ``Vocabulary.encode`` maps unseen tokens to the unknown id, and ``Vocabulary.decode`` shows it as ``<unk>``;
* ``vectorize_corpus`` refuses sequences longer than ``maxlen`` unless asked to truncate, and truncation keeps
  the end id last;
* ``word_tokenize`` is French-aware (elisions, inverted pronouns, French spaces) and ``detokenize`` undoes it
  for display.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable, Literal, NamedTuple, Sequence

import numpy as np

__all__ = [
    "PAD",
    "START",
    "END",
    "UNK",
    "word_tokenize",
    "tweet_tokenize",
    "detokenize",
    "char_tokenize",
    "Vocabulary",
    "CharacterTable",
    "vectorize_corpus",
    "PairArrays",
    "vectorize_pairs",
]

PAD, START, END, UNK = "<pad>", "<start>", "<end>", "<unk>"
SPECIAL_TOKENS = (PAD, START, END, UNK)

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]", re.UNICODE)  # the simple rule (french=False)
# French-aware rule (the underscore, which \w includes, is a token too)
_ELISION_PREFIXES = "c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu"
_CLITIC_SUFFIXES = "t-il|t-elle|t-on|je|tu|il|elle|on|nous|vous|ils|elles|ce|moi|toi|le|la|les|lui|leur|y|en"
_FRENCH_RE = re.compile(
    r"<(?:pad|start|end|unk)>"  # special tokens
    rf"|(?<![^\W_])(?i:{_ELISION_PREFIXES})'"  # an elided word at the start of a word: l' j' qu'
    r"|[^\W_]+(?:[-'][^\W_]+)*"  # a word, with inner hyphens or apostrophes (split further by _split_chunk)
    rf"|-(?i:{_CLITIC_SUFFIXES})(?![^\W_])"  # an inverted pronoun that does not follow a word: ?-vous
    r"|[^\w\s]|_",  # any other visible character
    re.UNICODE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"))  # BOM, zero-width, soft hyphen
_NORMALISE = {**_INVISIBLE, **dict.fromkeys(map(ord, "’‘ʼ"), "'"), **dict.fromkeys(map(ord, "\u2010\u2011"), "-")}
ELISIONS = frozenset({"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
CLITICS = frozenset({"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ce",
                     "moi", "toi", "le", "la", "les", "lui", "leur", "y", "en"})  # fmt: skip
_EUPHONIC_T_BEFORE = frozenset({"il", "elle", "on"})


def _require_str(text: object, name: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    return text


def _split_chunk(chunk: str) -> list[str]:
    """A word with inner hyphens -> the word and its inverted pronouns: avez-vous -> avez -vous (elisions are
    matched before, by the regular expression)."""
    parts = chunk.split("-")
    tail: list[str] = []
    while len(parts) > 1 and parts[-1].lower() in CLITICS:  # inverted pronouns at the end: avez-vous -> avez -vous
        last = parts.pop()
        if last.lower() in _EUPHONIC_T_BEFORE and len(parts) > 1 and parts[-1].lower() == "t":
            last = parts.pop() + "-" + last  # a-t-il -> a -t-il
        tail.insert(0, "-" + last)
    return ["-".join(parts)] + tail


def word_tokenize(text: str, *, lowercase: bool = True, french: bool = True) -> list[str]:
    """Split text into words and punctuation marks, French-aware by default.

    With ``french=True`` (the default):

    * elided words are split after their apostrophe: ``j'ai`` -> ``j'`` ``ai``, ``qu'il`` -> ``qu'`` ``il``
      (the elided forms are listed in ``ELISIONS``); other apostrophes stay inside their word, so
      ``aujourd'hui``, ``quelqu'un`` and English ``don't`` are one token;
    * an inverted pronoun becomes its own token, hyphen first: ``avez-vous`` -> ``avez`` ``-vous``,
      ``a-t-il`` -> ``a`` ``-t-il`` (the euphonic t stays with its pronoun), ``donne-le-moi`` -> ``donne`` ``-le``
      ``-moi`` (pronouns listed in ``CLITICS``); other hyphenated words stay whole (``peut-être``, ``après-midi``,
      ``celui-ci``, ``well-known``);
    * typographic apostrophes (’) become ``'``; no-break and narrow no-break spaces (U+00A0, U+202F) are spaces;
      a byte-order mark, zero-width characters and soft hyphens are removed; « and » are tokens;
    * the special tokens ``<pad> <start> <end> <unk>`` stay whole, so a decoded output re-tokenizes to the same tokens.

    ``french=False`` is the simple rule: a run of letters and digits (with inner apostrophes) is a word and
    every other visible character is a token of its own (``a-t-il`` gives five tokens).
    :func:`detokenize` joins tokens back into text for display.

    Example:
        >>> word_tokenize("He is a teacher. She is a student.")
        ['he', 'is', 'a', 'teacher', '.', 'she', 'is', 'a', 'student', '.']
        >>> word_tokenize("J'ai vu l'homme aujourd'hui. A-t-il faim ?")
        ["j'", 'ai', 'vu', "l'", 'homme', "aujourd'hui", '.', 'a', '-t-il', 'faim', '?']
    """
    text = _require_str(text)
    if lowercase:
        text = text.lower()
    if not french:
        return _WORD_RE.findall(text.translate(_INVISIBLE))
    tokens: list[str] = []
    for chunk in _FRENCH_RE.findall(text.translate(_NORMALISE)):
        if chunk[0] in "<-" or "-" not in chunk:
            tokens.append(chunk)
        else:
            tokens.extend(_split_chunk(chunk))
    return tokens


_NO_SPACE_BEFORE = frozenset({".", ",", ")", "]", "}", "…", "..."})
_NO_SPACE_AFTER = frozenset({"(", "[", "{"})
_FRENCH_SPACED = frozenset({"?", "!", ":", ";", "%"})  # French puts a space before these; English does not


_TWEET_TOKEN = re.compile(r"<url>|@\w+|#\w+|[a-z0-9]+(?=n't)|n't|'[a-z]+|[a-z0-9]+|[!?]")


def tweet_tokenize(text: str) -> list[str]:
    """Lower-cased English word tokens of a short social-media text, split the way GloVe's vocabulary is.

    Words and numbers become tokens; "don't" becomes ``do`` + ``n't`` and "it's" ``it`` + ``'s`` (GloVe 6B was built
    from text tokenized that way, so both halves have vectors); ``!`` and ``?`` are kept (they carry sentiment); other
    punctuation is dropped; ``@mentions``, ``#hashtags`` and the ``<url>`` placeholder stay whole.

    Example:
        >>> tweet_tokenize("@united Flight delayed AGAIN, can't believe it!! <url>")
        ['@united', 'flight', 'delayed', 'again', 'ca', "n't", 'believe', 'it', '!', '!', '<url>']
    """
    _require_str(text)
    return _TWEET_TOKEN.findall(text.lower())


def _is_elision(token: str) -> bool:
    return len(token) > 1 and token[-1] == "'" and token[:-1].lower() in ELISIONS


def detokenize(tokens: Sequence[str], *, french: bool = True) -> str:
    """Join tokens into text for display: the inverse of :func:`word_tokenize` on its own output.

    Elided words join the next word (``j'`` ``ai`` -> ``j'ai``), inverted pronouns join the previous one
    (``avez`` ``-vous`` -> ``avez-vous``), no space before ``. , ) ]`` nor after ``( [``, straight quotes
    hug what they quote. With ``french=True`` (French typography) there is a space before ``? ! : ; %``
    and inside « »; with ``french=False`` there is none before ``? ! : ; %``. Special tokens such as
    ``<unk>`` are shown as they are. Capital letters are not restored.

    Example:
        >>> detokenize(['avez', '-vous', 'un', 'peu', 'de', 'thé', '?'])
        'avez-vous un peu de thé ?'
        >>> detokenize(["j'", 'ai', 'vu', "l'", 'homme', ',', 'a', '-t-il', 'dit', '.'])
        "j'ai vu l'homme, a-t-il dit."
        >>> detokenize(['how', 'are', 'you', '?'], french=False)
        'how are you?'
    """
    if isinstance(tokens, str):
        raise TypeError("detokenize expects a list of tokens, not a string")
    no_space_before = _NO_SPACE_BEFORE if french else _NO_SPACE_BEFORE | _FRENCH_SPACED
    pieces: list[str] = []
    glue_next = True  # no space before the first token
    open_quotes: set[str] = set()
    for i, token in enumerate(tokens):
        token = _require_str(token, f"token {i}")
        if not token:
            raise ValueError(f"token {i} is empty")
        glue = glue_next or token in no_space_before or (token[0] == "-" and len(token) > 1)
        glue_next = token in _NO_SPACE_AFTER or _is_elision(token)
        if token in ('"', "'"):  # straight quotes: the first opens (hugs the next token), the second closes
            if token in open_quotes:
                open_quotes.discard(token)
                glue = token == '"' or not pieces or pieces[-1].strip().lower() not in ELISIONS  # not "d" "'" -> d
            else:
                open_quotes.add(token)
                glue_next = True
        pieces.append(token if glue else " " + token)
    return "".join(pieces)


def char_tokenize(text: str) -> list[str]:
    """Split text into characters (spaces included).

    Example:
        >>> char_tokenize("92 000")
        ['9', '2', ' ', '0', '0', '0']
    """
    return list(_require_str(text))


class Vocabulary:
    """A two-way mapping between tokens and integer ids with reserved special tokens.

    Ids 0-3 are ``<pad>``, ``<start>``, ``<end>`` and ``<unk>``; the other tokens follow in the
    order given (``from_corpus`` orders them by decreasing count, then alphabetically).

    Example:
        >>> vocab = Vocabulary(["le", "chat"])
        >>> vocab.encode(["le", "chien"], add_end=True)
        [4, 3, 2]
        >>> vocab.decode([4, 5, 2, 0, 0])
        ['le', 'chat']
    """

    pad_id, start_id, end_id, unk_id = 0, 1, 2, 3

    def __init__(self, tokens: Iterable[str]) -> None:
        self._id_to_token: list[str] = list(SPECIAL_TOKENS)
        self._token_to_id: dict[str, int] = {t: i for i, t in enumerate(SPECIAL_TOKENS)}
        if isinstance(tokens, str):
            raise TypeError("tokens must be an iterable of token strings, not one string")
        for token in tokens:
            _require_str(token, "each token")
            if token in self._token_to_id:
                if token in SPECIAL_TOKENS:
                    raise ValueError(f"token {token!r} is reserved for a special id")
                continue
            self._token_to_id[token] = len(self._id_to_token)
            self._id_to_token.append(token)

    @classmethod
    def from_corpus(
        cls, corpus: Iterable[Sequence[str]], *, min_count: int = 1, max_size: int | None = None
    ) -> "Vocabulary":
        """Build a vocabulary from tokenized sentences, most frequent tokens first.

        Example:
            >>> Vocabulary.from_corpus([["a", "b"], ["a"]]).tokens
            ['<pad>', '<start>', '<end>', '<unk>', 'a', 'b']
        """
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        counts: Counter[str] = Counter()
        for i, sentence in enumerate(corpus):
            if isinstance(sentence, str):
                raise TypeError(
                    f"corpus row {i} is a string; pass token lists (use word_tokenize or char_tokenize)"
                )
            counts.update(sentence)
        ordered = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t))
        if max_size is not None:
            ordered = ordered[: max(0, max_size - len(SPECIAL_TOKENS))]
        return cls(ordered)

    def __len__(self) -> int:
        return len(self._id_to_token)

    def __contains__(self, token: object) -> bool:
        return token in self._token_to_id

    def __repr__(self) -> str:
        return f"Vocabulary(size={len(self)})"

    @property
    def tokens(self) -> list[str]:
        """All tokens, in id order."""
        return list(self._id_to_token)

    def token_to_id(self, token: str) -> int:
        """The id of ``token``; the unknown id for a token not in the vocabulary."""
        return self._token_to_id.get(_require_str(token, "token"), self.unk_id)

    def id_to_token(self, index: int) -> str:
        """The token with id ``index``; ``ValueError`` if there is none."""
        index = int(index)
        if not 0 <= index < len(self._id_to_token):
            raise ValueError(f"id {index} is outside the vocabulary (size {len(self)})")
        return self._id_to_token[index]

    def encode(self, tokens: Sequence[str], *, add_start: bool = False, add_end: bool = False) -> list[int]:
        """Token list -> id list, with optional start and end ids."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a list of tokens, not a string: tokenize it first")
        ids = [self.token_to_id(t) for t in tokens]
        if add_start:
            ids.insert(0, self.start_id)
        if add_end:
            ids.append(self.end_id)
        return ids

    def decode(self, ids: Iterable[int], *, strip_special: bool = True) -> list[str]:
        """Id list -> token list. By default drops padding and start ids and stops at the end id."""
        out: list[str] = []
        for index in np.asarray(list(ids)).reshape(-1):
            index = int(index)
            if strip_special:
                if index == self.end_id:
                    break
                if index in (self.pad_id, self.start_id):
                    continue
            out.append(self.id_to_token(index))
        return out


class CharacterTable:
    """One-hot encoding of fixed-length strings over a small alphabet (the addition lesson).

    Example:
        >>> table = CharacterTable("0123456789+ ")
        >>> x = table.encode("12+3", maxlen=6)
        >>> x.shape
        (6, 12)
        >>> table.decode(x)
        '12+3  '
    """

    def __init__(self, chars: str, *, pad_char: str = " ") -> None:
        chars = _require_str(chars, "chars")
        if len(pad_char) != 1:
            raise ValueError("pad_char must be a single character")
        self.chars: list[str] = sorted(set(chars) | {pad_char})
        self.pad_char = pad_char
        self.char_to_index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str, maxlen: int) -> np.ndarray:
        """String -> one-hot array of shape (maxlen, len(table)), padded on the right."""
        text = _require_str(text)
        if len(text) > maxlen:
            raise ValueError(f"text {text!r} has length {len(text)} > maxlen {maxlen}")
        unknown = sorted(set(text) - set(self.char_to_index))
        if unknown:
            raise ValueError(f"text {text!r} contains characters not in the table: {unknown}")
        x = np.zeros((maxlen, len(self.chars)), dtype=np.float32)
        padded = text + self.pad_char * (maxlen - len(text))
        x[np.arange(maxlen), [self.char_to_index[c] for c in padded]] = 1.0
        return x

    def encode_batch(self, texts: Sequence[str], maxlen: int) -> np.ndarray:
        """Many strings -> array (n, maxlen, len(table))."""
        if isinstance(texts, str):
            raise TypeError("encode_batch expects a list of strings")
        return np.stack([self.encode(t, maxlen) for t in texts]) if len(texts) else np.zeros(
            (0, maxlen, len(self.chars)), dtype=np.float32
        )

    def decode(self, x: np.ndarray, *, calc_argmax: bool = True) -> str:
        """One-hot or probability array (T, n) -> string; with ``calc_argmax=False``, ids (T,)."""
        x = np.asarray(x)
        ids = x.argmax(axis=-1) if calc_argmax else x
        if ids.ndim != 1:
            raise ValueError(f"decode expects one sequence; got an array of shape {x.shape}")
        return "".join(self.chars[int(i)] for i in ids)

    def decode_batch(self, x: np.ndarray, *, calc_argmax: bool = True) -> list[str]:
        """Array (n, T, len(table)) -> list of n strings."""
        return [self.decode(row, calc_argmax=calc_argmax) for row in np.asarray(x)]


def vectorize_corpus(
    corpus: Sequence[Sequence[str]],
    vocab: Vocabulary,
    *,
    maxlen: int | None = None,
    padding: Literal["pre", "post"] = "post",
    reverse: bool = False,
    add_start: bool = False,
    add_end: bool = False,
    truncate: bool = False,
) -> np.ndarray:
    """Tokenized sentences -> int32 array (n, maxlen) of ids, padded with 0.

    Args:
        corpus: a list of token lists.
        vocab: the vocabulary to encode with (unknown tokens get ``vocab.unk_id``).
        maxlen: the row length; by default the longest encoded sentence.
        padding: ``"post"`` puts padding after the tokens, ``"pre"`` before.
        reverse: reverse each sentence's tokens (before start/end ids are added).
        add_start, add_end: add the start / end id.
        truncate: cut long rows to ``maxlen`` instead of raising ``ValueError``. The tokens at the end of the
            sentence are dropped; the start id stays first and the end id stays last, so a truncated target still
            teaches the decoder where its output stops.

    Example:
        >>> v = Vocabulary(["a", "b"])
        >>> vectorize_corpus([["a", "b"], ["b"]], v, maxlen=3, padding="pre").tolist()
        [[0, 4, 5], [0, 0, 5]]
        >>> vectorize_corpus([["a", "b", "a"]], v, maxlen=3, add_end=True, truncate=True).tolist()  # <end> = 2 kept
        [[4, 5, 2]]
    """
    if padding not in ("pre", "post"):
        raise ValueError(f"padding must be 'pre' or 'post', got {padding!r}")
    if isinstance(corpus, str):
        raise TypeError("corpus must be a list of token lists, not a string")
    rows: list[list[int]] = []
    for i, sentence in enumerate(corpus):
        if isinstance(sentence, str):
            raise TypeError(f"corpus row {i} is a string; pass token lists (tokenize first)")
        tokens = list(sentence)[::-1] if reverse else list(sentence)
        rows.append(vocab.encode(tokens, add_start=add_start, add_end=add_end))
    if maxlen is None:
        maxlen = max((len(r) for r in rows), default=0)
    if maxlen < 0:
        raise ValueError(f"maxlen must be >= 0, got {maxlen}")
    if truncate and maxlen < int(add_start) + int(add_end):
        raise ValueError(f"maxlen {maxlen} leaves no room for the start and end ids")
    out = np.full((len(rows), maxlen), vocab.pad_id, dtype=np.int32)
    for i, ids in enumerate(rows):
        if len(ids) > maxlen:
            if not truncate:
                raise ValueError(
                    f"row {i} has length {len(ids)} > maxlen {maxlen}; raise maxlen or pass truncate=True"
                )
            ids = ids[: maxlen - 1] + [vocab.end_id] if add_end else ids[:maxlen]
        if not ids:
            continue
        if padding == "post":
            out[i, : len(ids)] = ids
        else:
            out[i, maxlen - len(ids) :] = ids
    return out


class PairArrays(NamedTuple):
    """Sentence pairs turned into what an encoder-decoder trains and is evaluated on (see :func:`vectorize_pairs`)."""

    src_vocab: Vocabulary
    tgt_vocab: Vocabulary
    x: np.ndarray  # (N, S) source ids of the training pairs, 0 = padding
    decoder_in: np.ndarray  # (N, T) <start> + target ids
    decoder_out: np.ndarray  # (N, T) target ids + <end>
    x_test: np.ndarray  # (M, S) source ids of the test sources, cut to S tokens
    references: list[list[list[str]]]  # the tokens of every reference of each test source
    max_length: int  # a decoding limit: T + 2 tokens
    test_truncated: int  # how many test sources were longer than S tokens (and cut)


def vectorize_pairs(
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, Sequence[str]]],
    *,
    min_count: int = 1,
    tokenize: Callable[[str], list[str]] = word_tokenize,
) -> PairArrays:
    """Training pairs and test sources with their references -> vocabularies and padded id arrays.

    ``train`` holds (source, target) pairs and ``test`` (source, [reference, ...]) groups, as
    ``course_utils.data.split_sentence_pairs`` returns them. Both vocabularies are built from the training
    side only (tokens seen fewer than ``min_count`` times become ``<unk>``); rows are as long as the longest
    training sentence (targets one longer, for ``<start>`` or ``<end>``); test sources longer than that are
    cut. The references are tokenized from their text, never rebuilt from ids, so a word that the target
    vocabulary lacks stays in them (a model cannot be scored right by producing ``<unk>``).

    Example:
        >>> data = vectorize_pairs([("I see.", "Je vois."), ("I run.", "Je cours.")], [("I see you.", ["Je te vois."])])
        >>> data.x.shape, data.decoder_in.shape, data.x_test.tolist()
        ((2, 3), (2, 4), [[5, 7, 3]])
        >>> data.references, data.test_truncated
        ([[['je', 'te', 'vois', '.']]], 1)
    """
    if isinstance(train, str) or isinstance(test, str):
        raise TypeError("train and test must be sequences of pairs, not strings")
    if not len(train):
        raise ValueError("no training pairs")
    for i, pair in enumerate(train):
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise TypeError(f"training pair {i} must be a (source, target) tuple of strings, got {pair!r}")
    for i, group in enumerate(test):
        if not (isinstance(group, tuple) and len(group) == 2 and isinstance(group[0], str)
                and not isinstance(group[1], str) and len(group[1]) > 0):  # fmt: skip
            raise TypeError(f"test item {i} must be (source, [reference, ...]) with at least one reference, got {group!r}")
    src_tok = [tokenize(s) for s, _ in train]
    tgt_tok = [tokenize(t) for _, t in train]
    src_vocab = Vocabulary.from_corpus(src_tok, min_count=min_count)
    tgt_vocab = Vocabulary.from_corpus(tgt_tok, min_count=min_count)
    src_len, tgt_len = max(map(len, src_tok)), max(map(len, tgt_tok)) + 1
    test_tok = [tokenize(s) for s, _ in test]
    return PairArrays(
        src_vocab=src_vocab,
        tgt_vocab=tgt_vocab,
        x=vectorize_corpus(src_tok, src_vocab, maxlen=src_len),
        decoder_in=vectorize_corpus(tgt_tok, tgt_vocab, maxlen=tgt_len, add_start=True),
        decoder_out=vectorize_corpus(tgt_tok, tgt_vocab, maxlen=tgt_len, add_end=True),
        x_test=vectorize_corpus(test_tok, src_vocab, maxlen=src_len, truncate=True),
        references=[[tokenize(r) for r in refs] for _, refs in test],
        max_length=tgt_len + 2,
        test_truncated=sum(len(t) > src_len for t in test_tok),
    )
