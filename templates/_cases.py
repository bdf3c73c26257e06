"""How to test every rule: example calls per registry key.

``CASES[key]`` is a list of ``case(...)`` specs (see templates/_casespec.py
for the vocabulary: argument shapes and domains, broadcasting pairs, constant
arguments such as axis/ddof/shape, symmetric matrices, tuple outputs, kinks).
A registry test walks ``s2s.registry.ADJOINTS`` / ``TANGENTS``, looks each key
up here, materializes the arguments with ``materialize(case, rng)``, calls the
key with ``call(key, args, kwargs)`` and compares the rule with central finite
differences for every argument in ``case.active()``.
"""
import math
import operator

import numpy as np

from s2s.registry import method, attr
from templates._casespec import (  # noqa: F401
    case, arr, pos, unit, prob, gt1, nonzero, distinct, away, spd, sym, square,
    fullrank, f32, scalar, at, arrays, tuple_of, ints, A, materialize, call, make)

CASES = {}


def cases(*keys):
    """Register the same list of cases under several keys (aliases)."""
    def put(lst):
        for k in keys:
            CASES[k] = lst
        return lst
    return put


# Elementwise one-argument functions: a vector, a matrix, a float32 array.
def unary(domain="real", **kw):
    return [case(arr((4,), domain, **kw)), case(arr((2, 3), domain, **kw)), case(arr((3,), domain, dtype="float32", **kw)).tol(1e-2, 1e-2)]


def binary(d1="real", d2="real"):
    """Same shapes, a broadcasting pair each way, a scalar operand."""
    return [case(arr((2, 3), d1), arr((2, 3), d2)), case(arr((2, 3), d1), arr((3,), d2)),
            case(arr((4, 1), d1), arr((1, 3), d2)), case(arr((), d1), arr((2,), d2))]


# ---------------------------------------------------------------- ufuncs.py
for _f, _dom in [(np.exp2, "real"), (np.expm1, "real"), (np.log2, "pos"), (np.log10, "pos"),
                 (np.log1p, "pos"), (np.cbrt, "nonzero"), (np.reciprocal, "nonzero"),
                 (np.positive, "real"), (np.arcsin, "unit"), (np.arccos, "unit"), (np.arctan, "real"),
                 (np.sinh, "real"), (np.cosh, "real"), (np.arcsinh, "real"), (np.arccosh, "gt1"),
                 (np.arctanh, "unit"), (np.deg2rad, "real"), (np.radians, "real"), (np.rad2deg, "real"),
                 (np.degrees, "real"), (np.conjugate, "real"), (np.real, "real"), (np.nan_to_num, "real")]:
    CASES[_f] = unary(_dom)
CASES[np.fabs] = unary(kinks=(0.0,))           # |x| has a kink at 0
CASES[np.sinc] = unary() + [case(at([0.0, 0.5, -1.5]))]
for _f in (np.logaddexp, np.logaddexp2, np.arctan2, np.hypot):
    CASES[_f] = binary("nonzero", "nonzero")
CASES[np.float_power] = binary("pos", "real")
CASES[np.fmax] = CASES[np.fmin] = [case(distinct((2, 3)), distinct((2, 3)) ), case(arr((2, 3)), arr((3,)) ),
                                   case(arr((2, 3)), 0.3)]
CASES[np.mod] = CASES[np.fmod] = [case(pos((2, 3)), pos((2, 3))).note("away from jumps: quotient in a generic position"),
                                  case(arr((2, 3)), pos((3,)))]
CASES[np.copysign] = [case(nonzero((2, 3)), nonzero((2, 3))), case(nonzero((2, 3)), nonzero((3,)))]
CASES[np.ldexp] = [case(arr((2, 3)), ints((2, 3), -2, 3)), case(arr((3,)), 2)]
CASES[np.clip] = [
    case(distinct((3, 4)), -0.4, 0.5).note("bounds fall between distinct values, no ties"),
    case(distinct((3, 4)), arr((4,), "unit"), 0.9),
    case(distinct((2, 3)), None, 0.1),
    case(distinct((2, 3)), min=-0.3, max=0.3),
    case(distinct((2, 5)), scalar("real"), 1.0).note("a Python float bound is differentiated too"),
]
CASES[np.interp] = [case(A((5,), "unit"), np.linspace(-1, 1, 4) + np.array([0, 0.03, -0.02, 0]), arr((4,))),
                    case(A((2, 3), "real"), np.array([-0.5, 0.0, 0.5]), arr((3,)), left=0.0, right=1.0)]
