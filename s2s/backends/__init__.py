"""Compiled backends: the generated code run by another compiler (DESIGN.md section 1, ``backend=``).

``numba`` (s2s/backends/numba.py): the gradient generated for the arguments' types, rewritten into
what ``numba.njit`` compiles (typed tapes instead of a list stack, typed zeros instead of ``None``,
counting ranges instead of ``reversed``), compiled on the first call with those types.
numba_rewrite.py does the rewriting, numba_helpers.py holds numba implementations of s2s's helpers.
"""
