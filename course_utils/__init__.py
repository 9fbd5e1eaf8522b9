"""Helpers for the course *Sequence Models with Keras*.

Modules: ``setup`` (first cell of every notebook), ``vectorization``, ``data`` (offline generators and
splits), ``plotting``, ``numpy_rnn`` (NumPy RNN/LSTM/GRU matching Keras), ``attention`` (additive and
multiplicative attention layers), ``models`` (encoder-decoders shared by several lessons), ``decoding`` (greedy and beam search),
``metrics`` (BLEU), ``text_corpus`` (the standard library's source files as text), ``language_model``
(sampling with temperature and top-k, perplexity, sample metrics), ``word_vectors`` (GloVe vectors, neighbours,
analogies, neutralize and equalize), ``audio`` (framing and spectrograms in NumPy), ``ctc`` (the CTC collapse rule,
loss and greedy decoding in NumPy), ``transformer`` (scaled dot-product and multi-head attention, masks and position
encodings in NumPy), ``exercises`` and ``checks`` (exercise checks, one module per lesson).
"""

from course_utils.setup import setup_course

__all__ = ["setup_course"]
__version__ = "0.1.0"
