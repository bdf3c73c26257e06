"""The types of s2s's public API, for type checkers (s2s ships ``py.typed``).

``grad``, ``jvp`` and the other transformations take a function and return
a function (or, called without one, a decorator that does); ``wrt`` names
parameters by index or name.
"""
from typing import Any, Callable, Optional, Sequence, Union

Function = Callable[..., Any]
Wrt = Union[int, str, Sequence[Union[int, str]]]

__all__ = ["Any", "Function", "Optional", "Union", "Wrt"]
