"""What a kernel returns: the value a cell shows and, where it failed, why (one home for
the spec, which describes functions, and the kernels, which compute them)."""

from __future__ import annotations

from typing import Any, NamedTuple


class Result(NamedTuple):
    """What a kernel returns: the value the cell shows and, where it failed, why.

    ``why`` is a :class:`~roi_xl._checked.Checked` (which knows the rule that failed), an
    exception or a sentence; :meth:`reason` turns it into words only when asked (the CLI
    asks, Excel does not).
    """

    value: Any
    why: Any = None

    def reason(self, function: str) -> str | None:
        """Why the value is (or holds) an error, in words, or ``None``."""
        why = self.why
        if why is None:
            return None
        if hasattr(why, "problem"):
            problem = why.problem(function)
            return None if problem is None else str(problem)
        return str(why)
