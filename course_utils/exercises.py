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
    r"""One exercise: a checker, a hint and a reference solution.

    Args:
        name: a short title shown in messages.
        checker: called with the learner's answer; raises ``AssertionError`` when it is wrong.
        hint_text: ``"Level 1: <a nudge>\nLevel 2: <the approach>"``, shown by ``hint()`` (both levels) or
            ``hint(1)`` / ``hint(2)`` (one level).
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

    def hint(self, level: int | None = None) -> None:
        r"""Print the hint: ``hint(1)`` the nudge only, ``hint(2)`` the approach only, ``hint()`` both.

        Hints are written ``"Level 1: ...\nLevel 2: ..."``; a hint without levels is printed whole.

        Example:
            >>> ex = Exercise("t", lambda a: None, hint_text="Level 1: look.\nLevel 2: add.", reference="")
            >>> ex.hint(1)
            Hint (t): Level 1: look.
            >>> ex.hint(2)
            Hint (t): Level 2: add.
        """
        if level is None:
            print(f"Hint ({self.name}): {self.hint_text}")
            return
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError(f"hint level must be 1 or 2 (an int), got {level!r}")
        if level not in (1, 2):
            raise ValueError(f"hint level must be 1 or 2, got {level}")
        marker = "\nLevel 2: "
        if marker not in self.hint_text:  # a hint written without levels
            print(f"Hint ({self.name}): {self.hint_text}")
            return
        nudge, approach = self.hint_text.split(marker, 1)
        print(f"Hint ({self.name}): {nudge if level == 1 else 'Level 2: ' + approach}")

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
