"""Differential fuzzing of s2s.grad against central differences.

- ``generator.generate(seed, features)``: a random, well-conditioned program;
- ``runner.check(program)``: ok / rejected / WRONG / CRASH / HANG / primal error;
- ``runner.shrink``: a minimal program failing the same way;
- ``python -m tests.fuzz --n 2000``: the long mode (see ``--help``).

tests/test_fuzz.py runs a fixed set of seeds; ``S2S_FUZZ=N pytest
tests/test_fuzz.py`` runs N programs and prints a summary table.
"""
