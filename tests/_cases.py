"""How to test every rule: example calls per registry key.

``CASES[key]`` is a list of ``case(...)`` specs (see tests/_casespec.py
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
from _casespec import (  # noqa: F401
    case, arr, pos, unit, prob, gt1, nonzero, distinct, away, spd, sym, square,
    fullrank, f32, scalar, at, const, arrays, tuple_of, dict_of, ints, A, materialize, call, make, MUTATES)

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
# --- issue 12 (NumPy half): the parts and the angle of a real number
CASES[np.imag] = CASES[np.real_if_close] = unary()
CASES[np.angle] = unary("nonzero") + [case(arr((3,), "nonzero"), deg=True)]
# --- end issue 12 block
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
from s2s.templates import ufuncs as _ufuncs  # noqa: E402
_XP = np.linspace(-1, 1, 4) + np.array([0, 0.03, -0.02, 0])
CASES[_ufuncs.interp_grad_fp] = [
    case((5,), at([-0.8, -0.1, 0.2, 0.55, 0.9]), const(_XP), const(np.zeros(4))),
    case(scalar(), at([-1.5, 0.2, 0.55, 1.7]), const(_XP), const(np.zeros(4))).note("outside the grid: fp[0] / fp[-1]"),
    case((2, 2), at([[-1.5, 0.2], [0.55, 1.7]]), const(_XP), const(np.zeros(4)), 0.0, 1.0).note("left/right given")]


CASES[np.polyval] = [case(arrays(scalar(), scalar(), scalar()), (4,)), case((3,), (2, 3)), case((4,), scalar()),
                     case((1,), (3,)).note("a constant polynomial")]
CASES[np.vander] = [case((4,)), case((3,), 5), case((3,), increasing=True), case(at([0.0, 1.0, -2.0]), 4).note("x = 0")]


# ---------------------------------------------------------------- reductions.py
def reduce_cases(domain="real"):
    """Axis None / int / negative / tuple, keepdims both ways, float32."""
    return [case(arr((5,), domain)), case(arr((2, 3), domain), axis=0),
            case(arr((2, 3), domain), axis=-1, keepdims=True), case(arr((2, 3, 4), domain), axis=(0, 2)),
            case(arr((2, 3, 4), domain), axis=(-1, 0), keepdims=True),
            case(arr((3, 4), domain, dtype="float32"), axis=1).tol(1e-2, 1e-2)]


ZEROS = [[1.5, 0.0, 2.0, -1.0], [0.0, 0.0, 3.0, 0.5], [0.7, 1.2, -0.4, 2.0]]
CASES[np.prod] = reduce_cases() + [case(at(ZEROS), axis=1).note("one and two zeros in a row: exact, no division"),
                                   case(at(ZEROS))]
CASES[np.nanprod] = reduce_cases("nans")
for _f in (np.max, np.amax, np.min, np.amin, np.ptp):
    CASES[_f] = reduce_cases("distinct") + ([case(distinct((4,)), initial=-5.0)] if _f not in (np.ptp,) else [])  # ties: tested away from them
for _f in (np.nanmax, np.nanmin):
    CASES[_f] = reduce_cases("nans")
for _f in (np.var, np.std):
    CASES[_f] = reduce_cases() + [case(arr((2, 5)), axis=1, ddof=1), case(arr((6,)), ddof=2),
                                  case(arr((3, 4)), axis=(0, 1), correction=1, keepdims=True)]
for _f in (np.nanvar, np.nanstd):
    CASES[_f] = reduce_cases("nans")[:2] + [case(arr((3, 6), "nans"), axis=1, ddof=1)]
CASES[np.nansum] = CASES[np.nanmean] = reduce_cases("nans")
CASES[np.average] = [case(arr((5,))), case(arr((2, 3)), axis=0), case(arr((2, 3)), weights=pos((2, 3))),
                     case(arr((2, 4)), axis=1, weights=pos((4,))),
                     case(arr((2, 3, 4)), axis=-1, weights=pos((4,)), keepdims=True),
                     case(arr((2, 3)), axis=None, weights=pos((2, 3)), keepdims=True)]
CASES[np.cumsum] = [case(arr((5,))), case(arr((2, 3))), case(arr((2, 3)), axis=0), case(arr((2, 3, 2)), axis=-2)]
CASES[np.nancumsum] = [case(arr((5,), "nans")), case(arr((3, 4), "nans"), axis=1)]
CASES[np.cumprod] = [case(arr((5,))), case(arr((2, 3))), case(arr((2, 3)), axis=0), case(arr((2, 3, 2)), axis=-2),
                     case(at(ZEROS), axis=1).note("zeros: exclusive products, no division"), case(at(ZEROS))]
CASES[np.nancumprod] = [case(arr((5,), "nans")), case(arr((3, 4), "nans"), axis=1)]
CASES[np.cumulative_sum] = [case(arr((5,))), case(arr((2, 3)), axis=0),
                            case(arr((2, 3)), axis=1, include_initial=True)]
CASES[np.cumulative_prod] = [case(arr((5,))), case(arr((2, 3)), axis=0),
                             case(arr((2, 3)), axis=1, include_initial=True), case(at(ZEROS), axis=1)]
CASES[np.trace] = [case(arr((3, 3))), case(arr((3, 4)), 1), case(arr((2, 3, 3)), -1, 1, 2),
                   case(arr((3, 2, 3)), offset=0, axis1=0, axis2=2)]
CASES[np.median] = [case(distinct((5,))), case(distinct((4,))), case(distinct((2, 5)), axis=1),
                    case(distinct((4, 2)), axis=0, keepdims=True), case(distinct((2, 3, 4)), axis=(0, 2))]
CASES[np.quantile] = [case(distinct((7,)), prob()), case(distinct((3, 5)), 0.3, axis=1),
                      case(distinct((4, 3)), scalar("prob"), axis=0, keepdims=True)]
CASES[np.percentile] = [case(distinct((7,)), 30.0), case(distinct((3, 5)), 65.0, axis=-1),
                        case(distinct((6,)), A((), "prob")).note("q in percent, here 0.1..0.9")]
CASES[np.bincount] = [case(const(np.array([0, 1, 1, 3])), arr((4,))),
                      case(const(np.array([2, 0, 2])), arr((3,)), minlength=5).note("minlength: empty bins")]
CASES[np.histogram] = [case(const(np.array([0.1, 0.5, 0.5, 0.9, 1.0, 2.0])), 3, range=const((0.0, 1.0)),
                            weights=arr((6,))).post("id", None).note("right edge in the last bin, 2.0 outside"),
                       case(const(np.array([[0.3, 0.7], [0.2, 0.9]])), const(np.array([0.0, 0.5, 1.0])),
                            weights=arr((2, 2))).post("id", None)]
CASES[np.diff] = [case(arr((5,))), case(arr((3, 4)), axis=0), case(arr((3, 5)), n=2),
                  case(arr((3, 4)), prepend=arr((3, 1)), append=scalar()),
                  case(arr((4, 3)), 1, 0, prepend=0.0)]
CASES[np.ediff1d] = [case(arr((5,))), case(arr((2, 3)), to_end=arr(()), to_begin=arr((2,)))]
CASES[np.trapezoid] = [case(arr((5,))), case(arr((3, 4)), dx=scalar("pos")), case(arr((5,)), arr((5,))),
                       case(arr((3, 4)), arr((4,))), case(arr((4, 3)), arr((4, 3)), axis=0)]
CASES[np.gradient] = [case((6,)), case((6,), scalar("pos")), case((5,), const(np.array([0.0, 0.5, 1.5, 1.7, 3.0]))),
                      case((7,), edge_order=2), case((4, 5)), case((4, 5), axis=1), case((3, 4), scalar("pos"), 2.0, edge_order=2),
                      case((3, 4, 5), axis=(0, 2)), case((2,)).note("two points")]
CASES[np.cov] = [case((3, 5)), case((5,)).note("one variable: a 0-d variance"), case((4, 2), rowvar=False),
                 case((2, 5), (5,)), case((3, 6), ddof=2), case((2, 5), bias=True), case((5, 2), (5, 1), rowvar=False)]
CASES[np.corrcoef] = [case((3, 5)), case((5,), (5,)), case((4, 2), rowvar=False), case((2, 6), (1, 6))]


# ---------------------------------------------------------------- shapes.py
CASES[np.ravel] = [case((2, 3)), case((2, 3, 2), order="F")]
CASES[np.squeeze] = [case((1, 3, 1)), case((1, 3, 1), axis=0), case((2, 1), axis=(1,))]
CASES[np.expand_dims] = [case((2, 3), 0), case((2, 3), axis=(0, -1))]
CASES[np.atleast_1d] = [case(scalar()), case(arr(())), case((3,))]
CASES[np.atleast_2d] = [case((3,)), case((2, 3))]
CASES[np.atleast_3d] = [case((3,)), case((2, 3)), case((2, 3, 2))]
CASES[np.broadcast_to] = [case((3,), const((2, 3))), case((2, 1), shape=(2, 4)), case(arr(()), const((3,))),
                          case(arr(()), 3).note("an int shape")]
CASES[np.broadcast_arrays] = [case((2, 1), (3,)), case((3,), arr(()), (2, 1, 1))]
CASES[np.swapaxes] = [case((2, 3), 0, 1), case((2, 3, 4), -1, 0)]
CASES[np.moveaxis] = [case((2, 3, 4), 0, -1), case((2, 3, 4), source=(0, 1), destination=(2, 0))]
CASES[np.rollaxis] = [case((2, 3, 4), 2), case((2, 3, 4), 0, 2), case((2, 3, 4), 1, -1), case((2, 3, 4), -1, 1)]
CASES[np.matrix_transpose] = CASES[np.linalg.matrix_transpose] = [case((2, 3)), case((4, 2, 3))]
CASES[np.concatenate] = [case(arrays((2, 3), (1, 3))), case(arrays((2, 3), (2, 2), (2, 1)), axis=1),
                         case(arrays((2, 3), (4,)), axis=None), case(arrays((2, 2, 3), (2, 1, 3)), axis=-2)]
CASES[np.stack] = [case(arrays((2, 3), (2, 3))), case(arrays((3,), (3,), (3,)), axis=1),
                   case(arrays((2, 3), (2, 3)), axis=-1)]
CASES[np.hstack] = [case(arrays((3,), (2,))), case(arrays((2, 3), (2, 1))), case(tuple_of((2,), (2,)))]
CASES[np.vstack] = [case(arrays((3,), (3,))), case(arrays((2, 3), (1, 3))), case(arrays((2, 3), (3,)))]
CASES[np.row_stack] = [case(arrays((2, 3), (3,))).note("deprecated alias of vstack")]
CASES[np.dstack] = [case(arrays((3,), (3,))), case(arrays((2, 3), (2, 3))), case(arrays((2, 3, 1), (2, 3, 2)))]
CASES[np.column_stack] = [case(arrays((3,), (3,))), case(arrays((3,), (3, 2)))]
CASES[np.append] = [case((3,), (2,)), case((2, 3), (2, 3)), case((2, 3), (2, 2), axis=1), case((2, 3), arr(()))]
CASES[np.split] = [case((6,), 3), case((4, 3), const([1, 3])), case((2, 6), 2, axis=1),
                   case((4, 3), 2).post("id", None).note("one piece unused: its gradient is a placeholder 0")]
CASES[np.array_split] = [case((7,), 3), case((2, 5), 2, axis=1)]
CASES[np.hsplit] = [case((6,), 2), case((2, 4), const([1]))]
CASES[np.vsplit] = [case((4, 3), 2)]
CASES[np.dsplit] = [case((2, 2, 4), 2)]
CASES[np.unstack] = [case((3, 2)), case((2, 3, 2), axis=1)]
CASES[np.tile] = [case((3,), 2), case((2, 3), const((2, 1))), case((3,), const((2, 2))),
                  case((2, 1, 3), const((2,)))]
CASES[np.repeat] = [case((3,), 2), case((2, 3), 2, axis=1), case((2, 3), const([1, 0, 2]), axis=1),
                    case((2, 2), 3)]
CASES[np.flip] = [case((4,)), case((2, 3), axis=0), case((2, 3, 2), axis=(0, 2))]
CASES[np.fliplr] = CASES[np.flipud] = [case((2, 3)), case((3, 2, 2))]
CASES[np.roll] = [case((5,), 2), case((2, 3), -1, axis=1), case((2, 3), 4), case((2, 3, 4), const((1, -2)), axis=(0, 2))]
CASES[np.rot90] = [case((2, 3)), case((2, 3), 2), case((2, 3, 4), -1, axes=(1, 2)), case((3, 3), 3)]
CASES[np.pad] = [case((3,), 2), case((2, 3), const(((1, 0), (2, 1)))), case((3,), 1, constant_values=scalar()),
                 case((4,), 2, mode="reflect"), case((2, 3), 2, mode="edge"), case((4,), const((1, 3)), mode="symmetric"),
                 case((2, 3), 1, mode="wrap")]
CASES[np.diag] = [case((3,)), case((3,), 1), case((3, 3)), case((3, 4), -1), case((4, 2), 1)]
CASES[np.diagflat] = [case((3,)), case((2, 2), -1)]
CASES[np.diagonal] = [case((3, 3)), case((3, 4), 1), case((2, 3, 3), 0, 1, 2), case((3, 2, 4), -1, axis1=0, axis2=2)]
CASES[np.linalg.diagonal] = [case((3, 3)), case((2, 3, 4), offset=1)]
CASES[np.triu] = CASES[np.tril] = [case((3, 3)), case((3, 4), 1), case((2, 3, 3), -1)]
CASES[np.take] = [case((5,), ints((3,), 0, 5)), case((3, 4), ints((2, 2), 0, 4), axis=1),
                  case((3, 4), const([0, 0, 2])).note("repeated indices accumulate"),
                  case((5,), const([7, -8]), mode="wrap"), case((3, 4), const([9, 1]), axis=0, mode="clip")]
CASES[np.take_along_axis] = [case((5,), const(np.array([4, 0, 0, 2]))),
                             case((3, 4), const(np.array([[0, 1], [3, 3], [2, 0]])), 1),
                             case((3, 4), const(np.array([[2, 0, 1, 1]])), axis=0)]
CASES[np.unique] = [case(distinct((5,))), case(distinct((3, 4))), case(distinct((3, 4)), return_counts=True),
                    case(distinct((3, 4)), return_index=True, return_inverse=True),
                    case(distinct((3, 2)), axis=0), case(distinct((2, 3)), axis=1)]
CASES[np.unique_values] = [case(distinct((5,))), case(distinct((2, 3)))]
CASES[np.sort] = [case(distinct((5,))), case(distinct((3, 4))), case(distinct((3, 4)), axis=0), case(distinct((2, 3)), axis=None)]
CASES[np.delete] = [case((5,), 1), case((3, 4), const([0, 2]), axis=1), case((2, 3), const([0, 5]))]
# --- issue 12 (NumPy half): partition, np.r_ / np.c_ (index_concat)
CASES[np.partition] = [case(distinct((6,)), 2), case(distinct((3, 5)), 1), case(distinct((4, 3)), const([0, 2]), axis=0),
                       case(distinct((2, 3)), 4, axis=None)]
from s2s import runtime as _rt12  # noqa: E402
CASES[_rt12.index_concat] = [case(const(np.r_), (3,), (2,)), case(const(np.r_), (3,), scalar(), const(slice(0, 2))),
                          case(const(np.c_), (3,), (3, 2)), case(const(np.r_), const("0,2"), (2, 3), (1, 3)),
                          case(const(np.r_), const("-1"), (2, 3), (2, 1))]
CASES[np.block] = [case(arrays((2, 2), (2, 3))), case(arrays(arrays((2, 2), (2, 1)), arrays((1, 2), (1, 1)))),
                   case(arrays(scalar(), (2,)))]
# np.put_along_axis (the normalizer writes y[along_axis_index(...)] = along_axis_values(v, ...))
CASES[_rt12.along_axis_values] = [
    case((3, 1), const(np.zeros((3, 4))), const(np.array([[0], [2], [1]])), 1),
    case((3, 2), const(np.zeros((3, 4))), const(np.array([[0, 0], [2, 3], [1, 1]])), 1).note("repeated: the last write wins"),
    case((1, 4), const(np.zeros((3, 4))), const(np.array([[0, 2, 2, 1]])), 0).note("broadcast values"),
    case((3,), const(np.zeros((2, 3))), const(np.array([5, 0, -1])), None).note("axis=None, -1 repeats 5")]
CASES[_rt12.along_axis_values_grad] = [
    case((4,), (3, 2), const(np.zeros((3, 4))), const(np.array([[0, 0], [2, 3], [1, 1]])), 1),
    case((2,), (3,), const(np.zeros((2, 3))), const(np.array([5, 0, -1])), None)]
# --- end issue 12 block
CASES[np.compress] = [case(const([True, False, True]), (3,)), case(const([False, True]), (3, 2), axis=1)]
CASES[np.extract] = [case(const(np.array([[True, False, True], [False, True, True]])), (2, 3))]
CASES[np.array] = [case((2, 3)), case(arrays((3,), (3,))), case(arrays(scalar(), scalar(), scalar())),
                   case(arrays(arrays(scalar(), scalar()), arrays(scalar(), scalar()))), case((3,), ndmin=2)]
CASES[np.asarray] = CASES[np.asanyarray] = [case((2, 3)), case(arrays((2,), (2,))), case(arrays(scalar(), scalar()))]
CASES[np.float64] = [case(scalar()), case(arr(())), case((2, 3)), case(arrays(scalar(), scalar())),
                     case(arr((3,), dtype="float32")).tol(1e-2, 1e-2)]
CASES[np.float32] = [case(scalar()).tol(1e-2, 1e-2).step(1e-3), case((2, 3)).tol(1e-2, 1e-2).step(1e-3),
                     case(arr((3,), dtype="float32")).tol(1e-2, 1e-2).step(1e-3)]   # rounds to float32
CASES[np.ascontiguousarray] = CASES[np.asfortranarray] = [case((2, 3)), case(arrays(scalar(), scalar()))]
CASES[np.copy] = [case((2, 3))]
CASES[np.full] = [case(const((2, 3)), scalar()), case(const((2, 3)), arr((3,))), case(4, arr(()))]
CASES[np.full_like] = [case(arr((2, 3)), scalar()).wrt(1), case(arr((2, 3)), arr((2, 1))).wrt(1)]
CASES[np.linspace] = [case(scalar(), scalar(), 5), case(scalar(), scalar(), 4, endpoint=False),
                      case((3,), (3,), 4), case((2,), scalar(), 3, axis=1)]
CASES[np.logspace] = [case(scalar(), scalar(), 5), case((3,), (3,), 4, base=pos((3,))),
                      case((2,), scalar(), 3, axis=1), case(scalar(), scalar(), 4, endpoint=False, base=2.0),
                      case(scalar(), scalar(), 3, base=scalar("pos"))]
CASES[np.geomspace] = [case(scalar("pos"), scalar("pos"), 5), case(pos((3,)), pos((3,)), 4, endpoint=False),
                       case(pos((2,)), scalar("pos"), 3, axis=1), case(at(-1.5), at(-3.0), 4).note("both negative")]
CASES[np.insert] = [case((5,), 2, scalar()), case((3, 4), 1, (4,), axis=0), case((3, 4), const([0, 2]), (3, 2), axis=1),
                    case((2, 3), const([1, 1]), (2,)).note("axis=None: inserted into the flattened array"),
                    case((3, 2), 0, arr(()), axis=1).note("a broadcast value")]
CASES[np.resize] = [case((3,), const((2, 4))), case((2, 3), 4), case((2, 3), const((2, 2)))]
_C1 = np.array([[True, False, True], [False, False, True]])
_C2 = np.array([[True, True, False], [False, True, False]])
CASES[np.select] = [case(const([_C1, _C2]), arrays((2, 3), (2, 3)), arr((2, 3))),
                    case(const([_C1, _C2]), arrays((2, 3), (3,)), scalar()).note("overlapping conditions: the first wins"),
                    case(const([_C1]), arrays((2, 3),))]
CASES[np.meshgrid] = [case((3,), (2,)), case((3,), (2,), indexing="ij"), case((2,), (3,), (2,))]


# ---------------------------------------------------------------- linalg.py
CASES[np.vdot] = [case((3,), (3,)), case((2, 3), (3, 2))]
CASES[np.inner] = [case((3,), (3,)), case((2, 3), (4, 3)), case((2, 2, 3), (3,)), case(arr(()), (2, 3))]
CASES[np.outer] = [case((3,), (4,)), case((2, 2), (3,))]
CASES[np.linalg.outer] = [case((3,), (4,))]
CASES[np.tensordot] = [case((2, 3), (3, 4), 1), case((2, 3, 4), (3, 4, 5)), case((3, 2, 4), (4, 3), const(([0, 2], [1, 0]))),
                       case((2, 3), (2, 3), axes=const(([1, 0], [1, 0]))), case((2, 3), (4,), 0)]
CASES[np.linalg.tensordot] = [case((2, 3), (3, 4), axes=1)]
CASES[np.einsum] = [case("ij,jk->ik", (2, 3), (3, 4)), case("ij->", (2, 3)), case("ii->i", (3, 3)),
                    case("ii", (3, 3)), case("ij,ij->i", (2, 3), (2, 3)), case("i,j", (2,), (3,)),
                    case("...ij,...jk->...ik", (5, 2, 3), (1, 3, 4)), case("bij,bjk", (2, 2, 3), (2, 3, 2)),
                    case("ij->j", (2, 3)), case("i,i,i->", (4,), (4,), (4,)), case("ji", (2, 3)),
                    case("i...->...", (2, 3, 4)), case("iij->ij", (3, 3, 2)),
                    # issue 12: the sublist form np.einsum(a, [0, 1], b, [1, 2], [0, 2])
                    case((2, 3), const([0, 1]), (3, 4), const([1, 2]), const([0, 2])), case((3, 3), const([0, 0])),
                    case((2, 3), const([Ellipsis, 1]), (3,), const([1]), const([Ellipsis]))]
CASES[np.kron] = [case((2,), (3,)), case((2, 2), (3, 2)), case((2,), (2, 3)), case((2, 1, 2), (3, 2))]
CASES[np.cross] = [case((3,), (3,)), case((4, 3), (4, 3)), case((4, 3), (3,)), case((3, 2), (3, 2), axis=0),
                   case((3, 4), (4, 3), axisa=0, axisb=1, axisc=0)]
CASES[np.linalg.cross] = [case((3,), (3,)), case((2, 3), (3,))]
CASES[np.linalg.matmul] = [case((2, 3), (3, 4)), case((3,), (3, 2)), case((5, 2, 3), (3,)), case((2, 1, 2, 3), (4, 3, 2))]
CASES[np.vecdot] = CASES[np.linalg.vecdot] = [case((3,), (3,)), case((2, 3), (3,)), case((4, 1, 3), (2, 3)),
                                              case((3, 2), (3, 2), axis=0)]
CASES[np.matvec] = [case((2, 3), (3,)), case((4, 2, 3), (3,)), case((2, 3), (5, 3))]
CASES[np.vecmat] = [case((3,), (3, 2)), case((4, 3), (3, 2)), case((3,), (5, 3, 2))]
CASES[np.linalg.multi_dot] = [case(arrays((2, 3), (3, 4), (4, 2))), case(arrays((3,), (3, 4), (4,))),
                              case(arrays((3,), (3, 2))), case(arrays((2, 3), (3, 3), (3, 3), (3,)))]
CASES[np.convolve] = [case((5,), (3,)), case((3,), (5,)), case((5,), (3,), "same"), case((4,), (4,), "same"),
                      case((6,), (3,), mode="valid"), case((3,), (6,), mode="valid")]
CASES[np.correlate] = [case((5,), (3,)), case((3,), (5,)), case((5,), (2,), "same"), case((5,), (3,), "full")]
CASES[np.linalg.trace] = [case((3, 3)), case((2, 3, 4), offset=1)]
CASES[np.linalg.inv] = [case(square(3)), case(square(2, batch=(4,)))]
CASES[np.linalg.det] = [case(square(3)), case(square(2, batch=(3,))), case(square(1)),
                        case(at([[1.0, 2.0], [2.0, 4.0]])).note("singular: the gradient is the cofactor matrix"),
                        case(at([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])).note("singular, rank 2"),
                        case(at([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])).note("rank 2, repeated rows")]
CASES[np.linalg.slogdet] = [case(square(3)), case(square(3, batch=(2,))),
                            case(square(3)).post(None, "id").note("sign is piecewise constant")]
CASES[np.linalg.solve] = [case(square(3), (3,)), case(square(3), (3, 2)), case(square(3, batch=(2,)), (2, 3, 1)),
                          case(square(2, batch=(4,)), (2, 3))]
CASES[np.linalg.pinv] = [case(fullrank(3, 2)), case(fullrank(2, 4)), case(fullrank(3, 3, batch=(2,)))]
CASES[np.linalg.matrix_power] = [case(square(3), 3), case(square(2), 1), case(square(3), 0), case(square(3), -2),
                                 case(square(2, batch=(2,)), 2)]
CASES[np.linalg.cholesky] = [case(spd(3)), case(spd(2, batch=(3,))), case(spd(3), upper=True)]
CASES[np.linalg.eigh] = [case(sym(3)).post("id", "sq").note("eigenvector signs are arbitrary: check v**2"),
                         case(sym(3, batch=(2,))).post("id", "sq"), case(sym(4), "U").post("id", "sq"),
                         case(sym(3)).post("id", None)]
CASES[np.linalg.eigvalsh] = [case(sym(3)), case(sym(3), UPLO="U"), case(sym(2, batch=(2,)))]
CASES[np.linalg.svd] = [case(fullrank(3, 3)).post("sq", "id", "sq").note("singular vector signs are arbitrary"),
                        case(fullrank(4, 2), full_matrices=False).post("sq", "id", "sq"),
                        case(fullrank(2, 4), full_matrices=False).post("sq", "id", "sq"),
                        case(fullrank(3, 2, batch=(2,)), full_matrices=False).post("sq", "id", "sq"),
                        case(fullrank(4, 3), compute_uv=False),
                        case(fullrank(3, 4)).post(None, "id", None).modes("reverse").note(
                            "full_matrices=True, non-square: the extra singular vectors have no derivative; "
                            "forward mode gives NaN there, reverse works while they get no gradient")]
# --- issue 12 (NumPy half): eig/eigvals (real spectra), lstsq, tensorsolve, tensorinv
_rs = np.random.default_rng(12)
def _real_spectrum(n, batch=()):
    p = _rs.standard_normal(tuple(batch) + (n, n)) + 3 * np.eye(n)
    return p @ (np.arange(1.0, n + 1) * np.eye(n)) @ np.linalg.inv(p)
def _well_conditioned(shape):
    n = int(np.sqrt(np.prod(shape)))
    return (3 * np.eye(n) + 0.3 * _rs.standard_normal((n, n))).reshape(shape)
CASES[np.linalg.eig] = [case(at(_real_spectrum(3))).post("id", "sq").note("eigenvector signs are arbitrary: check v**2"),
                        case(at(_real_spectrum(3, (2,)))).post("id", "sq"), case(at(_real_spectrum(4))).post("id", None)]
CASES[np.linalg.eigvals] = [case(at(_real_spectrum(3))), case(at(_real_spectrum(2, (3,))))]
CASES[np.linalg.lstsq] = [case(fullrank(4, 3), (4,), rcond=None).post("id", "id", None, "id"),
                          case(fullrank(5, 2), (5, 3)).post("id", "id", None, "id"),
                          case(fullrank(3, 3), (3,)).post("id", None, None, None).note("square: no residuals"),
                          case(fullrank(2, 4), (2,)).post("id", None, None, "id").note("wide: the minimum-norm solution")]
CASES[np.linalg.tensorsolve] = [case(at(_well_conditioned((6, 2, 3))), (6,)), case(at(_well_conditioned((2, 3, 6))), (2, 3)),
                                case(at(_well_conditioned((6, 2, 3))), (2, 3), axes=(0,))]
CASES[np.linalg.tensorinv] = [case(at(_well_conditioned((2, 3, 6)))), case(at(_well_conditioned((6, 2, 3))), ind=1),
                              case(at(_well_conditioned((2, 2, 2, 2))), ind=2)]
# --- end issue 12 block
CASES[np.linalg.svdvals] = [case(fullrank(3, 2)), case(fullrank(2, 3, batch=(2,)))]
CASES[np.linalg.qr] = [case(fullrank(3, 3)), case(fullrank(4, 2)), case(fullrank(2, 4)),
                       case(fullrank(4, 3, batch=(2,))), case(fullrank(4, 3), mode="r"), case(fullrank(3, 3), mode="complete")]
CASES[np.linalg.norm] = [
    case((4,)), case((2, 3)), case((2, 3), axis=1), case((2, 3, 4), axis=(0, 2), keepdims=True),
    case(away((5,)), 1), case(distinct((5,)), np.inf), case(distinct((5,)), -np.inf), case(away((4,)), 3),
    case(pos((4,)), 0.5), case((2, 3), "fro"), case(fullrank(3, 2), "nuc"), case(fullrank(3, 3), 2),
    case(fullrank(2, 3), -2), case(distinct((3, 4)), 1), case(distinct((3, 4)), -1), case(distinct((3, 4)), np.inf),
    case(distinct((3, 4)), -np.inf), case(fullrank(3, 2, batch=(2,)), "nuc", axis=(1, 2)),
    case(distinct((2, 3, 4)), 1, axis=(2, 0)), case((3, 4), None, axis=(1, 0), keepdims=True),
    case(away((3, 4)), 1, axis=0)]
CASES[np.linalg.vector_norm] = [case((4,)), case((2, 3)), case((2, 3), axis=0, ord=1), case((2, 3, 2), axis=(0, 2), keepdims=True),
                                case(distinct((5,)), ord=np.inf), case(pos((3, 2)), ord=3, axis=1)]
CASES[np.linalg.matrix_norm] = [case((2, 3)), case(fullrank(3, 2), ord="nuc"), case(fullrank(2, 2, batch=(3,)), ord=2),
                                case(distinct((2, 3, 4)), ord=np.inf, keepdims=True), case(distinct((3, 3)), ord=1)]


# ---------------------------------------------------------------- methods.py (args[0] is the array)
M = method
CASES[M("sum")] = CASES[M("mean")] = [case((2, 3)), case((2, 3), 0), case((2, 3, 2), axis=(0, 2), keepdims=True),
                                      case((2, 3), axis=-1)]
CASES[M("prod")] = [case((2, 3)), case((2, 3), 1), case(at(ZEROS), axis=0, keepdims=True)]
CASES[M("max")] = CASES[M("min")] = [case(distinct((2, 3))), case(distinct((2, 3)), 1), case(distinct((2, 3, 2)), axis=(0, 2), keepdims=True)]
CASES[M("var")] = CASES[M("std")] = [case((2, 3)), case((2, 4), 1), case((3, 4), axis=0, ddof=1, keepdims=True)]
CASES[M("cumsum")] = CASES[M("cumprod")] = [case((4,)), case((2, 3)), case((2, 3), 1), case((2, 3), axis=0)]
CASES[M("trace")] = [case((3, 3)), case((3, 4), 1), case((2, 3, 3), 0, 1, 2)]
CASES[M("reshape")] = [case((2, 3), 6), case((2, 3), 3, 2), case((2, 3), const((3, 2))), case((2, 3), -1, order="F")]
CASES[M("transpose")] = [case((2, 3)), case((2, 3, 4), 2, 0, 1), case((2, 3, 4), const((1, 2, 0))), case((2, 3), None)]
CASES[M("ravel")] = CASES[M("flatten")] = [case((2, 3)), case((2, 3), "F")]
CASES[M("squeeze")] = [case((1, 3, 1)), case((1, 3, 1), 0)]
CASES[M("swapaxes")] = [case((2, 3, 4), 0, 2)]
CASES[attr("T")] = [case((2, 3)), case((2, 3, 4)), case((3,))]
CASES[attr("mT")] = [case((2, 3)), case((4, 2, 3))]
CASES[attr("real")] = CASES[M("conj")] = CASES[M("conjugate")] = CASES[M("copy")] = [case((2, 3))]
CASES[attr("imag")] = [case((2, 3)), case((4,))]
CASES[M("dot")] = [case((2, 3), (3,)), case((2, 3), (3, 4)), case((3,), (3,)), case((3,), arr(()))]
CASES[M("clip")] = [case(distinct((3, 4)), -0.4, 0.5), case(distinct((2, 3)), max=0.2), case(distinct((2, 3)), scalar(), 1.0),
                    case(distinct((2, 3)), arr((3,), "unit"))]
CASES[M("astype")] = [case((2, 3), float), case((2, 3), np.float64),
                      case((2, 3), int).note("integer cast: zero gradient")]
CASES[M("tolist")] = [case((2, 3)), case((4,)), case(arr(()))]
CASES[M("item")] = [case((1,)), case((2, 3), 4), case((2, 3), 1, 2), case((2, 3), const((0, 1)))]
CASES[M("diagonal")] = [case((3, 3)), case((3, 4), 1), case((2, 3, 3), 0, 1, 2)]
CASES[M("repeat")] = [case((3,), 2), case((2, 3), const([1, 0, 2]), axis=1)]
CASES[M("take")] = [case((5,), const([0, 0, 3])), case((3, 4), const([1, 3]), axis=1), case((4,), const([5, -6]), mode="wrap")]
CASES[M("compress")] = [case((3,), const([True, False, True])), case((3, 2), const([False, True]), axis=1)]


# ---------------------------------------------------------------- pymath.py (Python floats)
def scal(domain="real", **kw):
    return [case(scalar(domain, **kw)), case(scalar(domain, **kw))]


for _f, _dom in [(math.log2, "pos"), (math.log10, "pos"), (math.log1p, "pos"), (math.expm1, "real"),
                 (math.exp2, "real"), (math.cbrt, "nonzero"), (math.asin, "unit"), (math.acos, "unit"),
                 (math.atan, "real"), (math.sinh, "real"), (math.cosh, "real"), (math.asinh, "real"),
                 (math.acosh, "gt1"), (math.atanh, "unit"), (math.degrees, "real"), (math.radians, "real"),
                 (math.erf, "real"), (math.erfc, "real"), (math.gamma, "pos"), (math.lgamma, "pos")]:
    CASES[_f] = [case(scalar(_dom))]
CASES[math.gamma] = CASES[math.gamma] + [case(at(-1.5)).note("negative non-integer: digamma by reflection"), case(at(7.3))]
CASES[math.lgamma] = CASES[math.lgamma] + [case(at(-2.5)), case(at(0.2)), case(at(12.0))]
CASES[math.fabs] = [case(scalar("nonzero")), case(arr((), "nonzero")).note("x[0] of an array: a NumPy scalar")]
CASES[math.copysign] = [case(scalar("nonzero"), scalar("nonzero")), case(arr((), "nonzero"), scalar("nonzero"))]
CASES[math.ldexp] = [case(scalar(), 3), case(scalar(), -2)]
CASES[math.atan2] = [case(scalar("nonzero"), scalar("nonzero")), case(at(0.3), at(-0.8))]
CASES[math.hypot] = [case(scalar(), scalar()), case(scalar(), scalar(), scalar())]
CASES[math.fmod] = [case(at(5.3), at(1.7)), case(at(-5.3), at(1.7))]
CASES[math.remainder] = [case(at(5.3), at(1.7)), case(at(-4.1), at(1.5))]
CASES[math.fsum] = [case(arrays(scalar(), scalar(), scalar())), case((4,))]
CASES[math.prod] = [case(arrays(scalar(), scalar(), scalar())), case(arrays(scalar(), at(0.0), scalar())),
                    case((3,)), case(arrays(scalar(), scalar()), start=scalar())]
import statistics as _statistics15  # noqa: E402
import heapq as _heapq15  # noqa: E402
_S3 = arrays(scalar(), scalar(), scalar())
CASES[_statistics15.mean] = [case(_S3), case((4,))]
CASES[_statistics15.fmean] = [case(_S3), case((4,)), case(_S3, const([1.0, 2.0, 0.5])).note("constant weights")]
CASES[_statistics15.variance] = CASES[_statistics15.stdev] = [case(_S3), case((4,)), case(_S3, scalar()).note("xbar given")]
CASES[_statistics15.pvariance] = CASES[_statistics15.pstdev] = [case(_S3), case((4,)), case(_S3, scalar()).note("mu given")]
CASES[_heapq15.nsmallest] = [case(2, distinct((5,))), case(2, arrays(scalar(), scalar(), scalar())),
                             case(2, distinct((4,)), key=abs)]
CASES[_heapq15.nlargest] = [case(3, distinct((5,))), case(1, arrays(scalar(), scalar())), case(2, distinct((4,)), key=abs)]
CASES[math.dist] = [case(arrays(scalar(), scalar()), arrays(scalar(), scalar())), case((3,), (3,))]
CASES[pow] = [case(scalar("pos"), scalar()), case(pos((2, 3)), 2.0), case(pos((2, 3)), (3,)), case(scalar("pos"), 3)]
CASES[max] = CASES[min] = [case(scalar(), scalar()), case(scalar(), scalar(), scalar()),
                           case(arrays(scalar(), scalar(), scalar())), case(distinct((4,)))]


# ---------------------------------------------------------------- scipy_rules.py / scipy_stats.py
try:
    import scipy.special as sc
    import scipy.linalg as sla
    from scipy.stats import norm as _norm
except ImportError:  # SciPy is optional
    sc = sla = _norm = None

if sc is not None:
    for _f, _dom in [(sc.expit, "real"), (sc.logit, "prob"), (sc.log_expit, "real"), (sc.softplus, "real"),
                     (sc.gammaln, "pos"), (sc.loggamma, "pos"), (sc.gamma, "pos"), (sc.digamma, "pos"),
                     (sc.erf, "real"), (sc.erfc, "real"), (sc.erfinv, "unit"), (sc.erfcx, "real"),
                     (sc.ndtr, "real"), (sc.log_ndtr, "real"), (sc.ndtri, "prob"), (sc.entr, "pos"),
                     (sc.i0, "real"), (sc.i1, "real"), (sc.i0e, "nonzero"), (sc.i1e, "nonzero"),
                     (sc.expm1, "real"), (sc.log1p, "pos"), (sc.exp2, "real"), (sc.exp10, "real"), (sc.cbrt, "nonzero")]:
        CASES[_f] = unary(_dom)[:2]
    CASES[sc.erfcinv] = [case(arr((4,), "prob")), case(A((2, 3), "prob"))]
    CASES[sc.i1] = CASES[sc.i1] + [case(at([0.0, 1.0]))]
    CASES[sc.digamma] = CASES[sc.digamma] + [case(at([-1.5, -0.3]))]
    CASES[sc.polygamma] = [case(1, pos((3,))), case(const(np.array([0, 2])), pos((2,))), case(2, pos((2, 3)))]
    CASES[sc.beta] = CASES[sc.betaln] = [case(pos((3,)), pos((3,))), case(pos((2, 3)), pos((3,))), case(pos((2, 1)), scalar("pos"))]
    CASES[sc.xlogy] = CASES[sc.xlog1py] = [
        case(pos((3,)), pos((3,))), case(pos((2, 3)), pos((3,))), case(arr(()), pos((2,)))]
    CASES[sc.rel_entr] = CASES[sc.kl_div] = [  # x log(x / y): x > 0 (at x < 0 the value is inf)
        case(pos((3,)), pos((3,))), case(pos((2, 3)), pos((3,))), case(pos(()), pos((2,)))]
    CASES[sc.xlogy] = CASES[sc.xlogy] + [case(at([0.0, 1.0]), pos((2,))).wrt(0).note("x = 0: d/dx = log y")]
    CASES[sc.logsumexp] = [case((5,)), case((2, 3), axis=1), case((2, 3, 4), axis=(0, 2), keepdims=True),
                           case((2, 3), b=pos((2, 3))), case((2, 3), axis=0, b=pos((3,))), case((3, 4), axis=-1, keepdims=True)]
    CASES[sc.softmax] = CASES[sc.log_softmax] = [case((5,)), case((2, 3), axis=1), case((2, 3), axis=0),
                                                 case((2, 3, 2), axis=(0, 2))]
    CASES[sla.expm] = [case((3, 3)), case((2, 2, 2))]
    CASES[sla.inv] = [case(square(3))]
    CASES[sla.det] = [case(square(3)), case(at([[1.0, 2.0], [2.0, 4.0]])).note("singular")]
    CASES[sla.cholesky] = [case(spd(3)), case(spd(3), lower=True)]
    CASES[sla.solve] = [case(square(3), (3,)), case(square(3), (3, 2)), case(spd(3), (3,), assume_a="pos"),
                        case(sym(3), (3, 2), assume_a="sym", lower=True), case(square(3), (3,), transposed=True)]
    CASES[sla.eigh] = [case(sym(3)).post("id", "sq").note("eigenvector signs are arbitrary: check v**2"),
                       case(sym(3), lower=False).post("id", "sq"), case(sym(4), eigvals_only=True)]
    CASES[sla.eigvalsh] = [case(sym(3)), case(sym(3), lower=False)]
    CASES[sla.svd] = [case(fullrank(3, 3)).post("sq", "id", "sq").note("singular vector signs are arbitrary"),
                      case(fullrank(4, 2), full_matrices=False).post("sq", "id", "sq"),
                      case(fullrank(4, 3), compute_uv=False)]
    CASES[sla.svdvals] = [case(fullrank(3, 2)), case(fullrank(2, 4))]
    CASES[sla.solve_triangular] = [case(square(3), (3,)), case(square(3), (3, 2), lower=True),
                                   case(square(3), (3,), trans=1), case(square(3), (3, 2), trans="T", lower=True),
                                   case(square(3), (3,), unit_diagonal=True)]
    import scipy.optimize as _so
    CASES[_so.rosen] = [case((5,)), case((4, 3))]
    CASES[_so.rosen_der] = [case((5,)), case((4, 2))]
    import scipy.spatial.distance as _ssd
    CASES[_ssd.cdist] = [case((4, 3), (5, 3)), case((4, 3), (2, 3), "sqeuclidean"), case((3, 2), (3, 2), metric="euclidean"),
                         case((4, 1), (3, 1), metric="sqeuclidean")]
    CASES[_ssd.pdist] = [case((4, 3)), case((5, 2), "sqeuclidean"), case((3, 1), metric="euclidean")]
    CASES[_ssd.squareform] = [case((6,)), case((3,)), case(sym(4), checks=False)]
if _norm is not None:
    from scipy.stats import entropy as _entropy
    CASES[_entropy] = [case(pos((4,))), case(pos((4,)), pos((4,))), case(pos((3, 2)), axis=1),
                       case(pos((4,)), base=2.0), case(pos((2, 3)), pos((2, 3)), axis=-1, base=10.0)]
    for _f in (_norm.logpdf, _norm.pdf, _norm.cdf, _norm.sf, _norm.logcdf, _norm.logsf):
        CASES[_f] = [case((4,)), case((2, 3), arr((3,)), pos((2, 1))), case((3,), loc=scalar(), scale=scalar("pos")),
                     case(scalar())]
    CASES[_norm.ppf] = [case(prob((4,))), case(prob((2, 3)), arr((3,)), pos((2, 1))), case(prob((3,)), loc=scalar(), scale=scalar("pos"))]


# ---------------------------------------------------------------- core rules (operators.py, numpy_core.py,
# pymath.py, structures.py, runtime_rules.py): cases so the registry test covers every key
def _core_cases():
    import s2s.runtime as rt
    import s2s.runtime_writes as rw
    from s2s import rule_helpers as helpers
    from s2s.templates import numpy_core, operators, runtime_rules
    for f in (operator.add, operator.sub, operator.mul, np.add, np.subtract, np.multiply):
        CASES[f] = binary() + [case(scalar(), scalar()), case((2, 3), scalar())]
    for f in (operator.truediv, np.divide):
        CASES[f] = binary("real", "nonzero") + [case(scalar(), scalar("nonzero"))]
    for f in (operator.pow, np.power):
        CASES[f] = binary("pos", "real") + [case(scalar("pos"), scalar()), case(pos((3,)), 2),
                                            # issue 12: x = 0 (d/dx of 0 ** 2 is 0, not nan; d/dy is 0 there)
                                            case(at([0.0, 1.0, 2.0]), 2.0).note("x = 0: y * x ** (y - 1)"),
                                            case(at([0.0, 1.5]), at([2.0, 3.0])).wrt(1).note("x = 0: d/dy is 0 there")]
    CASES[operator.or_] = [case(dict_of(a=(2,), c=(2,)), dict_of(b=(2,), c=scalar())).note("dicts: later keys win"),
                           case(dict_of(a=scalar()), dict_of(a=scalar())).note("q's a wins: p gets zero")]
    CASES[operator.mod] = [case(pos((2, 3)), pos((2, 3))), case(arr((2, 3)), pos((3,))), case(scalar("pos"), scalar("pos"))]
    CASES[operator.neg] = CASES[operator.pos] = CASES[np.negative] = unary() + [case(scalar())]
    for f in (operator.matmul, np.matmul):
        CASES[f] = [case((2, 3), (3, 4)), case((3,), (3,)), case((3,), (3, 2)), case((2, 3), (3,)),
                    case((5, 2, 3), (3, 4)), case((2, 1, 2, 3), (4, 3, 2))]
    for f, dom in [(np.exp, "real"), (np.log, "pos"), (np.sin, "real"), (np.cos, "real"), (np.tan, "unit"),
                   (np.tanh, "real"), (np.sqrt, "pos"), (np.square, "real")]:
        CASES[f] = unary(dom)
    CASES[np.abs] = unary(kinks=(0.0,))
    CASES[np.maximum] = CASES[np.minimum] = binary("distinct", "distinct")
    CASES[np.where] = [case(const(np.array([[True, False, True], [False, False, True]])), (2, 3), (2, 3)),
                       case(const(np.array([True, False, True])), (2, 3), arr(())), case(const(True), (3,), (2, 3))]
    CASES[np.sum] = CASES[np.mean] = reduce_cases()
    CASES[np.dot] = [case((3,), (3,)), case((2, 3), (3,)), case((3,), (3, 2)), case((2, 3), (3, 4)),
                     case(arr(()), (2, 3)), case((2, 3, 4), (4, 2)), case((2, 3), (2, 3, 2)),
                     case((3,), (2, 3, 4)).note("N-d y: not matmul, x's last axis meets y's second-to-last"),
                     case((2, 2, 3), (2, 3, 2)), case((2, 3), (2, 1, 3, 2))]
    CASES[np.reshape] = [case((2, 3), const((3, 2))), case((2, 3), -1), case((6,), shape=(2, 1, 3))]
    CASES[np.transpose] = [case((2, 3)), case((2, 3, 4), const((1, 2, 0))), case((2, 3, 4), axes=(2, 0, 1))]
    CASES[math.log] = [case(scalar("pos")), case(scalar("pos"), 3.0), case(scalar("pos"), scalar("gt1")),
                       case(scalar("pos"), scalar("prob")).note("a base below 1")]
    for f, dom in [(math.exp, "real"), (math.sin, "real"), (math.cos, "real"), (math.tan, "unit"),
                   (math.tanh, "real"), (math.sqrt, "pos")]:
        CASES[f] = [case(scalar(dom))]
    CASES[math.pow] = [case(scalar("pos"), scalar()), case(scalar("pos"), 3.0)]
    CASES[abs] = [case(scalar("nonzero")), case(away((2, 3)))]
    CASES[float] = [case(scalar()), case(arr(()))]
    CASES[list] = CASES[tuple] = [case((3,)), case((3, 2)), case(arrays(scalar(), scalar()))]
    CASES[sum] = [case(arrays(scalar(), scalar(), scalar())), case((3, 2)), case(arrays((2,), (2,)), scalar())]
    # generated-code helpers (their rules make gradients differentiable again)
    CASES[rt.unbroadcast] = [case((2, 3), (3,)), case((2, 3), (2, 3)), case((4, 2, 3), (2, 1))]
    CASES[rt.init_grad] = [case((2, 3), scalar()), case((2, 3), (2, 3))]
    CASES[rt.add_grad] = [case((2, 3), (2, 3)), case(scalar(), scalar())]
    CASES[rt.as_grad] = [case((2, 3), (2, 3)), case(arr(()), scalar())]
    CASES[rt.copy_grad] = CASES[rt.copy_value] = [case((2, 3))]
    from s2s import rule_helpers as _rh   # a user rule's gradient, checked for its shape
    CASES[_rh.number_array] = [case(arrays(scalar(), scalar())), case((2, 3))]
    CASES[_rh.rule_grad] = [case((2, 3), (2, 3), const(None), const("x")), case(scalar(), scalar(), const(None), const("x"))]
    if hasattr(rt, "copy_grad_list"):   # an array (or list) gradient of a list, as a list of rows
        CASES[rt.copy_grad_list] = [case((3, 2), const([np.zeros(2)] * 3)), case(arrays((2,), (2,)), const([0.0, 0.0]))]
    from s2s.templates import shapes as _shapes   # scatter_back / gather: the selections' adjoints (hvp through np.sort, np.take, ...)
    CASES[_shapes.scatter_back] = [case((3,), (5,), const(np.array([4, 0, 0]))),
                                   case((2, 2), (2, 3), const(np.array([[0, -1], [5, 5]]))).note("-1: no source")]
    CASES[_shapes.gather] = [case((5,), (5,), const(np.array([4, 0, -1]))), case((3,), (2, 3), const(np.array([[0, 5], [2, 2]])))]
    from s2s import dataclass_init as _dataclass_init15
    CASES[_dataclass_init15.astuple_item] = [case((2, 3)), case(arrays((2,), scalar())), case(scalar())]
    CASES[rt.copy_deep] = [case((2, 3)), case(arrays((2,), scalar())), case(dict_of(w=(2,), b=scalar()))]
    CASES[rt.GradList] = [case(arrays((2,), (3,))), case(tuple_of(scalar(), (2, 2)))]
    CASES[rt.GradDict] = [case(dict_of(w=(2, 3), b=scalar()))]
    CASES[rw.cast_grad] = [case((3,), const(np.zeros(3, dtype=int))).note("an int array: zero"),
                           case((3,), const(np.zeros(3))), case(scalar(), const(np.zeros(2, dtype=bool)))]
    CASES[rw.merged_grad] = [case(dict_of(a=(2,), c=(2,)), const({"a": np.zeros(2), "c": np.zeros(2)}),
                                  const(({"c": 0.0},))).note("c is written over by a later dict"),
                             case(dict_of(a=(2,), b=scalar()), const({"b": 0.0}), const(()))]
    CASES[rw.merged_grad_back] = [case(dict_of(a=(2,)), const({"a": np.zeros(2), "c": np.zeros(2)}),
                                       const({"a": 0.0}), const(())),
                                  case(dict_of(a=(2,)), const({"a": np.zeros(2), "c": np.zeros(2)}),
                                       const({"a": np.zeros(2)}), const(({"a": 1.0},))).note("a is written over: zero")]
    CASES[rt.add_at] = [case((5,), const(np.array([0, 0, 3])), (3,)).note("repeated indices accumulate"),
                        case((3, 4), const((slice(0, 2), 1)), (2,)), case((3, 2), 1, arr(()))]
    MUTATES.add(rt.add_at)   # add_at(g, index, v) adds into g in place: tests call it on a copy
    from s2s.lowered_calls import scatter_add   # np.add.at(a, index, v), lowered
    CASES[scatter_add] = [case((5,), const(np.array([0, 0, 3])), (3,)).note("repeated indices accumulate"),
                          case((3, 4), const((np.array([0, 2, 0]), np.array([1, 1, 1]))), (3,)),
                          case((3, 2), const(np.array([1, 1])), (2,)).note("whole rows, twice")]
    CASES[rt.get_item] = [case((4,), 1), case((3, 2), const((slice(0, 2), 1)))]
    CASES[rt.written_part] = [case((4,), const(np.array([1, 1, 2]))), case((3, 2), const((slice(0, 2), 1))),
                              case((3, 2), const(([0, 2, 0], [1, 1, 1])))]
    CASES[rt.written_part_back] = [case((3,), (4,), const(np.array([1, 1, 2]))),
                                   case((3,), (3, 2), const(([0, 2, 0], [1, 1, 1])))]
    CASES[runtime_rules.grad_like] = [case((2, 3), (2, 3))]
    CASES[helpers.grad_reduce] = [case((2,), (2, 3), axis=1), case(arr(()), (2, 3)), case((1, 3), (2, 3), axis=0, keepdims=True)]
    CASES[helpers.power_slope] = [case(pos((2, 3)), (2, 3)), case(pos((3,)), 2.0), case(scalar("pos"), scalar()),
                                  case(pos((3,)), 3.0, 2)]
    CASES[helpers.grad_reshape] = [case((6,), (2, 3)), case(arr(()), scalar())]
    CASES[helpers.dtype_grad] = [case((2, 3), const(None)), case((3,), const(np.float32)), case(scalar(), const(float)),
                                 case((2, 3), const(int)).note("an integer dtype: zero"),
                                 case(arrays((2,), scalar()), const(bool)).note("a list of gradients: zeros")]
    CASES[helpers.real_only] = [case((2, 3), (2, 3)), case(scalar(), scalar())]
    CASES[helpers.like] = [case((2, 3), (2, 3)), case(f32((3,)), (3,)), case(arr((2,)), f32((2,))).tol(1e-4, 1e-4).step(1e-3)
                           .note("rounds its float64 argument to float32: a difference with a float64 step (1e-6) sees "
                                 "that rounding (6e-8 relative: up to ~3% of the derivative); like is linear, so a large "
                                 "step has no truncation error"),
                           case(scalar(), scalar()), case(arrays((2,), (2,)), arrays((2,), (2,)))]
    CASES[tangent_like_key] = [case((3,), (2, 3)), case((2, 3), (2, 3))]
    for f in (operators.matmul_grad_x, operators.matmul_grad_y):
        CASES[f] = [case((2, 4), (2, 3), (3, 4)), case(arr(()), (3,), (3,)), case((2,), (3,), (3, 2)), case((5, 2), (5, 2, 3), (3,))]
    from s2s.templates import structures, linalg, methods
    CASES[methods.tolist_grad] = [case(arrays(arrays(scalar(), scalar()), arrays(scalar(), scalar())), (2, 2)),
                                  case(arrays(scalar(), scalar(), scalar()), (3,))]
    CASES[linalg.einsum_grads] = [case((2, 4), "ij,jk->ik", tuple_of((2, 3), (3, 4))),
                                  case(arr(()), "i,i->", tuple_of((3,), (3,))),
                                  case((3,), "ij,j->i", tuple_of((3, 2), (2,))),
                                  case((2,), "ii,ij->j", tuple_of((2, 2), (2, 2))).note("a diagonal"),
                                  case((2, 4), (2, 3), tuple_of(const([0, 1]), (3, 4), const([1, 2]), const([0, 2]))).note(
                                      "sublist form"),
                                  case((2, 4), (2, 3), tuple_of(const([0, 1]), (3, 4), const([1, 2]), const([0, 2])), True).note(
                                      "sublist form: the first operand's gradient")]
    CASES[linalg.cofactor] = [case(square(3)).modes("reverse").note(
                                  "no hvp: cofactor's second derivative is det's third, refused by design (test_review7)"),
                              case(square(3)).modes("forward"), case(square(2, batch=(3,))), case(square(1)),
                              case(at([[1.0, 2.0], [2.0, 4.0]])).note("singular"),
                              case(at([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])).note("rank 2"),
                              case(at(np.eye(3))).note("repeated singular values: the SVD has no derivative, cofactor has")]
    for f in (linalg.cofactor_tangent, linalg.cofactor_grad):
        CASES[f] = [case((3, 3), square(3)).wrt(0), case((2, 2), at([[1.0, 2.0], [2.0, 4.0]])).wrt(0).note(
            "singular; linear in the first argument, `a` is refused (no third derivative of det)")]
    CASES[structures.grad_to_sequence] = [case((2, 3), arrays((3,), (3,))), case((2,), arrays(scalar(), scalar()))]
    CASES[structures.grad_builtin_sum] = [case((3,), arrays((3,), (3,))), case((2,), (4, 2))]
    CASES[structures.keys_free] = [case((3,), (3,)), case(arrays(scalar(), scalar()), arrays(scalar(), scalar())),
                                   case(dict_of(a=scalar()), dict_of(a=scalar()))]
    CASES[structures.index_concat_grads] = [case((5,), const(np.r_), const((np.zeros(3), np.zeros(2)))),
                                            case((3, 2), const(np.c_), const((np.zeros(3), np.zeros(3)))),
                                            case((4,), const(np.r_), const((np.zeros(2), 1.0, slice(0, 1)))).note("a number and a slice")]
    CASES[structures.index_concat_tangent] = [case(tuple_of((3,), (2,)), const(np.r_), const((np.zeros(3), np.zeros(2))), const(np.zeros(5))),
                                              case(tuple_of((3,), (3, 2)), const(np.c_), const((np.zeros(3), np.zeros((3, 2)))), const(np.zeros((3, 3))))]
    CASES[structures.block_grad] = [case((2, 5), const([np.zeros((2, 2)), np.zeros((2, 3))])),
                                    case((3,), const([0.0, np.zeros(2)])).note("nested blocks: through np.block's own cases")]
    CASES[structures.block_tangent] = [case(arrays((2, 2), (2, 3)), const([np.zeros((2, 2)), np.zeros((2, 3))]), const(np.zeros((2, 5))))]
    CASES[structures.grad_stack] = [case((2, 3), arrays((3,), (3,)), 0), case((3, 2), arrays((3,), (3,)), 1)]
    for f in (numpy_core.dot_grad_x, numpy_core.dot_grad_y):
        CASES[f] = [case((2, 4), (2, 3), (3, 4)), case(arr(()), (3,), (3,)), case((2, 3), arr(()), (2, 3)),
                    case((2, 2, 2), (2, 3), (2, 3, 2)), case((2, 4), (3,), (2, 3, 4))]


from s2s.rule_helpers import tangent_like as tangent_like_key  # noqa: E402
_core_cases()


# ---------------------------------------------------------------- SciPy rules of issue #12 (tests/_cases_scipy.py)
from _cases_scipy import add_scipy_cases  # noqa: E402
add_scipy_cases(CASES)

# ---------------------------------------------------------------- review 14: rules that were declared non-differentiable
CASES[np.nextafter] = [case(arr((2, 3)), const(np.full((2, 3), 10.0))).note("one ulp toward y: derivative 1 in x")]
CASES[math.nextafter] = [case(scalar(), 10.0)]
CASES[np.histogram2d] = [case(const(np.array([0.1, 0.5, 0.9, 0.3])), const(np.array([0.2, 0.6, 0.4, 0.8])), 2,
                              range=const(((0.0, 1.0), (0.0, 1.0))), weights=arr((4,))).post("id", None, None)
                         .note("linear in weights=")]
CASES[np.histogramdd] = [case(const(np.array([[0.1, 0.2], [0.5, 0.6], [0.9, 0.4]])), 2,
                              range=const(((0.0, 1.0), (0.0, 1.0))), weights=arr((3,))).post("id", None)
                         .note("linear in weights=")]
CASES[np.histogram_bin_edges] = [case(const(np.array([0.1, 0.5, 0.9, 0.3])), 3, weights=arr((4,)))
                                 .note("the edges carry no derivative of the weights")]
