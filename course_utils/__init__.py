"""Helpers for the course *Sequence Models with Keras*.

Modules: ``setup`` (first cell of every notebook), ``vectorization``, ``data`` (offline generators and
splits), ``plotting``, ``numpy_rnn`` (NumPy RNN/LSTM/GRU matching Keras), ``attention`` (additive and
multiplicative attention layers), ``models`` (encoder-decoders shared by several lessons), ``decoding`` (greedy and beam search),
``metrics`` (BLEU), ``text_corpus`` (the standard library's source files as text), ``language_model``
(sampling with temperature and top-k, perplexity, sample metrics), ``exercises`` and ``checks`` (exercise checks, one module per lesson).
"""

from course_utils.setup import setup_course

__all__ = ["setup_course"]
__version__ = "0.1.0"
