"""A small check / hint / solution mechanism for the exercises in the notebooks.

Each exercise has a *checker*, a function that receives the learner's answer and raises
``AssertionError`` with a helpful message when it is wrong. ``Exercise.check`` runs it and
prints either a clear pass or what is wrong, without stopping the notebook.

Example:
    >>> def _check(fn):
    ...     assert fn(3) == 9, f"square(3) should be 9, got {fn(3)}"
    >>> def _solution(x):
    ...     return x * x
    >>> ex = Exercise("square", _check, hint_text="Multiply x by itself.", reference=_solution)
    >>> ex.check(lambda x: x + 3)
    Not yet (square): square(3) should be 9, got 6
    >>> ex.check(_solution)
    Correct: square.
    >>> bool(ex.evaluate(_solution))
    True
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Exercise", "CheckResult"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: whether it passed and the message shown to the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed


@dataclass
class Exercise:
    """One exercise: a checker, a hint and a reference solution.

    Args:
        name: a short title shown in messages.
        checker: called with the learner's answer; raises ``AssertionError`` when it is wrong.
        hint_text: a nudge in the right direction, shown by ``hint()``.
        reference: the reference answer (a function, whose source ``solution()`` shows, or text).
    """

    name: str
    checker: Callable[[Any], None]
    hint_text: str
    reference: Any

    def evaluate(self, answer: Any) -> CheckResult:
        """Run the checker quietly and return a :class:`CheckResult`."""
        if answer is None or answer is Ellipsis:
            return CheckResult(False, f"Not yet ({self.name}): no answer given. Replace the ... with your code.")
        try:
            self.checker(answer)
        except NotImplementedError:
            return CheckResult(False, f"Not yet ({self.name}): your function is not written yet.")
        except AssertionError as err:
            return CheckResult(False, f"Not yet ({self.name}): {err}")
        except Exception as err:  # the learner's code crashed: report it, do not hide it
            return CheckResult(False, f"Not yet ({self.name}): your answer raised {type(err).__name__}: {err}")
        return CheckResult(True, f"Correct: {self.name}.")

    def check(self, answer: Any) -> None:
        """Check an answer and print the verdict: a clear pass, or what is wrong."""
        print(self.evaluate(answer).message)

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint ({self.name}): {self.hint_text}")

    def solution(self) -> None:
        """Print the reference solution (its source code when it is a function)."""
        if callable(self.reference):
            try:
                source = inspect.getsource(self.reference)
            except (OSError, TypeError):
                source = repr(self.reference)
            print(textwrap.dedent(source).rstrip())
        else:
            print(self.reference)
