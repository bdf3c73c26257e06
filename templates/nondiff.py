"""Functions whose result carries no gradient: integer-valued, boolean, index
or shape results, constructors that ignore their inputs' values, and random
number generation. Differentiating through them gives zero, not an error.

(numpy_core.py and pymath.py declare floor, ceil, sign, argmax, argmin,
shape, size, zeros_like, ones_like, zeros, ones, arange, math.floor/ceil/trunc,
int, len, range, round, bool, isinstance.)
"""
import numpy as np

from s2s.registry import nondifferentiable

# --- rounding (piecewise constant)
nondifferentiable(np.round, np.around, np.rint, np.trunc, np.fix, np.floor_divide, np.heaviside, np.signbit,
                  np.spacing)   # (np.nextafter: derivative 1 in its first argument, ufuncs.py)
# --- comparisons, logic, predicates
nondifferentiable(np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
                  np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
                  np.isfinite, np.isnan, np.isinf, np.isneginf, np.isposinf, np.isclose, np.allclose,
                  np.array_equal, np.array_equiv, np.all, np.any, np.isin, np.isreal, np.iscomplex,
                  np.isrealobj, np.iscomplexobj, np.isscalar, np.iterable, np.may_share_memory, np.shares_memory)
# --- indices, orderings, counts
nondifferentiable(np.argsort, np.argwhere, np.nonzero, np.flatnonzero, np.searchsorted, np.digitize,
                  np.count_nonzero, np.argpartition, np.lexsort, np.nanargmax, np.nanargmin,
                  np.unravel_index, np.ravel_multi_index, np.indices, np.triu_indices, np.tril_indices,
                  np.diag_indices, np.triu_indices_from, np.tril_indices_from, np.diag_indices_from,
                  )   # np.bincount, np.histogram, np.histogram2d, np.histogramdd: linear in weights= (rules in reductions.py); np.unique / np.unique_values: rules in shapes.py; unique_counts/_inverse/_all: refused
# the orders of sorted/max/min with a key, lowered by s2s/lowered_calls.py (the keys only order the items)
from s2s.lowered_calls import max_index, min_index, sort_order  # noqa: E402
nondifferentiable(sort_order, max_index, min_index)
# --- integer arithmetic
nondifferentiable(np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert, np.left_shift, np.right_shift,
                  np.gcd, np.lcm)
# --- constructors and metadata
nondifferentiable(np.empty_like, np.empty, np.eye, np.identity, np.tri, np.ndim, np.result_type,
                  np.broadcast_shapes, np.can_cast, np.promote_types, np.min_scalar_type)
# --- random numbers (the legacy global generator; Generator methods are per instance)
_R = np.random
nondifferentiable(_R.rand, _R.randn, _R.random, _R.random_sample, _R.normal, _R.uniform, _R.randint, _R.choice,
                  _R.permutation, _R.shuffle, _R.seed, _R.standard_normal, _R.default_rng, _R.binomial,
                  _R.poisson, _R.exponential, _R.beta, _R.gamma, _R.multivariate_normal, _R.lognormal,
                  _R.laplace, _R.logistic, _R.dirichlet, _R.multinomial, _R.standard_cauchy, _R.standard_t,
                  _R.chisquare, _R.geometric, _R.get_state, _R.set_state)
nondifferentiable(np.linalg.matrix_rank)   # an integer
