"""Forward mode's tangent bookkeeping: lazy zeros and tangents that share memory.

Zero tangents are lazy: ``self.zero`` maps each active name whose tangent is known to be zero at this
point to how to build that zero (``"num"``: ``0.0``, ``"like"``: ``zeros_like(x)``); reads see the literal
0 and ``materialize`` writes the zero out only where a name is needed. A tangent expression that may be
(part of) another name's tangent is copied when either is written in place (``_tangent_written``,
``_passes_through``, ``_fresh``). ``Forward`` (s2s/forward.py) holds the state these methods use.
"""
import gast
import numpy as np

from . import aliasing, analyze, effects, runtime
from .coreform import _name
from .optimize.zeros import _const
from .transform_util import _assign, _call


class Tangents:
    """Tangent names and lazy zeros of ``Forward`` (a mixin: the state lives on the transform)."""

    def tangent_of(self, node):
        """The tangent of an atom: ``dx`` for an active name, else the literal 0."""
        if isinstance(node, gast.Name) and node.id in self.active and node.id not in self.zero:
            return self.dref(node.id)
        return _const(0)

    def zero_expr(self, var, kind="like"):
        if kind == "num":
            return _const(0.0)
        return _call(self.helper("zeros_like"), _name(var))

    def zero_kind(self, value):
        numeric = isinstance(value, gast.Constant) and (value.value is None or type(value.value) in (int, float, bool))
        return "num" if numeric else "like"

    def set_zero(self, var, value=None):
        """The tangent of ``var`` is zero from here on (written out only if needed)."""
        self.zero[var] = self.zero_kind(value)
        return []

    def set_tangent(self, var, expr):
        self.zero.pop(var, None)
        return [_assign(self.dname(var), expr)]

    def materialize(self, names):
        """``dv = 0.0`` / ``dv = zeros_like(v)`` for the zero tangents among ``names``."""
        out = []
        for v in sorted(names):
            kind = self.zero.pop(v, None)
            if kind is not None:
                out.append(_assign(self.dname(v), self.zero_expr(v, kind)))
        return out

    def _tangent_root(self, expr):
        """The tangent names ``expr`` may be (a part of), following the tangents earlier ones pass through
        (``dt_20 = tangent_like(dy4, t_20)``, then ``dt5 = tangent_like(dt_20, t5)``: dt_20 and dy4); None
        if none."""
        while True:
            if isinstance(expr, (gast.Subscript, gast.Attribute)):
                expr = expr.value
            elif isinstance(expr, gast.Call) and expr.args and self._passes_through(expr.func):
                expr = expr.args[0]
            elif isinstance(expr, gast.Call) and isinstance(expr.func, gast.Attribute) \
                    and expr.func.attr in aliasing.VIEW_METHODS and self.resolve(expr.func) is None:
                expr = expr.func.value   # dy.reshape(3), dy.ravel()
            else:
                break
        if not isinstance(expr, gast.Name):
            return None
        name, names = expr.id, [expr.id]
        while name in self._tan_alias and self._tan_alias[name] not in names:
            name = self._tan_alias[name]
            names.append(name)
        return names

    def _tangent_written(self, expr, var):
        """True when ``expr`` may be (a part of) the tangent of a name written in place while ``var`` is
        still to be read: ``dy``, ``dy[0]``, ``dy.T``, ``tangent_like(dy, z)``, ``unbroadcast(dy, z)``,
        ``np.reshape(dy, s)`` (these may return their argument itself), or a tangent that is one of those."""
        roots = self._tangent_root(expr)
        if roots is None:
            return False
        if not hasattr(self, "_live_at_write"):   # {name written in place: names live after such a write}
            live = aliasing.live_after(self.fn.body)
            self._live_at_write = {}
            for st in analyze._walk_stmts(self.fn.body):
                if not isinstance(st, (gast.If, gast.For, gast.While)):
                    for n in effects.written_in_place(gast.Module(body=[st], type_ignores=[])):
                        self._live_at_write.setdefault(n, set()).update(live.get(id(st), ()))
        if not hasattr(self, "_copies_of"):   # y_ = y__1: y_ holds var's value (and its tangent) too
            self._copies_of = {}
            for n, bases in aliasing.views(self.fn.body).items():
                for b in bases:
                    self._copies_of.setdefault(b, set()).add(n)
        holders = {var} | self._copies_of.get(var, set())
        return any(self.tan.get(v) in roots and holders & self._live_at_write.get(v, set()) for v in self.in_place)

    def _passes_through(self, func):
        """Functions that may return their first argument itself (or a view of it)."""
        obj = self.resolve(func)
        if obj is None:
            return False
        from . import rule_helpers as helpers
        known = {helpers.tangent_like, runtime.unbroadcast, runtime.as_grad, runtime.init_grad, helpers.grad_reshape,
                 np.asarray, np.asanyarray, np.real, np.conjugate} | set(aliasing.VIEW_FUNCTIONS)
        try:
            return obj in known
        except TypeError:
            return False

    def assign_expr(self, var, expr, value):
        """``dvar = expr``, or a (lazy) zero tangent when the expression vanished."""
        return self.set_zero(var, value) if expr is None else self.set_tangent(var, expr)

    def _fresh(self, expr):
        """True when ``expr`` surely builds a new value (safe to write into)."""
        if isinstance(expr, (gast.BinOp, gast.UnaryOp, gast.List, gast.Dict)):
            return True
        if isinstance(expr, gast.Call):
            obj = self.resolve(expr.func)
            return obj in (runtime.zeros_like, runtime.copy_grad, getattr(runtime, "copy_value", None),
                           getattr(runtime, "copy_deep", None), np.zeros, np.array)
        return False
