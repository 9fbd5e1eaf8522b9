"""Helpers for the course *Sequence Models with Keras*.

Modules: ``setup`` (first cell of every notebook), ``vectorization``, ``data``, ``plotting``,
``numpy_rnn`` (reference implementations), ``exercises`` and ``checks`` (exercise checks).
"""

from course_utils.setup import setup_course

__all__ = ["setup_course"]
__version__ = "0.1.0"
