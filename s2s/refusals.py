"""The reverse transform's refusals in the forward sweep: what s2s cannot differentiate correctly, said
at the user's line before any code is generated (s2s/errors.py; effects.py holds the analyses)."""
import gast

from . import aliasing, analyze, astutil, effect_checks, effects, effects_returns, guards, registry
from .anno import getanno


def _may_share(self, arr, s):
    """``arr`` may share memory with another variable at the write ``s``: it is bound to another variable
    or part of one somewhere (flow-insensitively), unless at ``s`` it surely holds a new array
    (aliasing.fresh_at: ``un = np.zeros_like(u)`` at the top of each time step, then ``un[1:-1] = ...``)."""
    return (arr in self.facts.copied or arr in self.facts.from_subscript) \
        and not aliasing.fresh_at(self.fn, arr, s, self.ctx)


def check_held_write(self, arr, s):
    """Refuse the in-place write normalize makes of ``lst[i] += v`` (anno "held") when the item may be an
    array another name shares (``lst = [y]``) and a derivative flows into it: Python changes ``y`` too,
    which neither transform follows."""
    held = getanno(s, "held", None)
    if held is None or not (arr in self.varied or analyze.names_in(s.value) & self.varied):
        return
    lst = effect_checks.shown([held], self.ctx)
    what = "gradient" if isinstance(self, ReverseRefusals) else "derivative"
    raise self.ctx.error(s, f"this changes an item of `{lst}` in place (`+=` and the like on an array change the "
                         f"array itself), and that array may be another variable's too (`{lst}` was given one); "
                         f"s2s does not follow the change through to the other variable, so its {what} would be "
                         "wrong.", effect_checks.held_fix(s, lst, self.ctx))


def check_unfollowed_write(self, arr, s):
    """Forward mode: refuse a write into ``arr`` in place when ``arr`` carries a derivative and may share
    memory with another variable (``for q in rows: q *= 2`` with ``rows = [y, w]``, ``a, b = np.split(y, 2);
    a *= 2``): the write changes the other variable, whose tangent would not follow. A view of an array
    (``v = y[::2]``) with a tangent is followed: its tangent is the same view of the other tangent."""
    if arr not in self.varied or getattr(self.ctx.fn, "s2s_generated", False) \
            or not _may_share(self, arr, s):
        return
    if arr in self.active:
        if getattr(self, "_followed", None) is None:
            self._followed = (aliasing.views(self.fn.body), aliasing.holders(self.fn.body))
        bases, holders = self._followed[0].get(arr), self._followed[1]
        if bases is None and arr not in self.facts.from_subscript:
            return   # y itself, with t = y, v = y[::2] bound to it: their tangents follow y's (fuzz case 43)
        if bases and not bases & holders:
            return   # v = y[::2], v = y.T: v's tangent is the same view of y's tangent, and sees the write
    shown = effect_checks.written_name(arr, s, self.ctx)
    kind = "aug" if getanno(s, "aug", False) else "item"
    raise self.ctx.error(s, f"writing into `{shown}` in place, when it may share memory with another variable (it "
                         "was assigned another variable, or an element, slice or view of one), is not supported by "
                         "s2s here: the other variable's derivative would not follow the write.",
                         effect_checks.alias_fix(self.fn, shown, self.ctx, kind))


def check_returned_alias(self, arr, s):
    """Refuse ``arr[i] = v`` when ``arr`` may be (part of) another variable read afterwards, through a
    function of yours that returns its argument (``w = h(z)`` with ``def h(a): return a``), and a
    derivative flows into the write or through ``arr``: the other variable's tangent would not follow.
    (Also the write of ``lst[i] += v`` into an item another name may share: ``check_held_write``.)"""
    check_held_write(self, arr, s)
    if isinstance(self, ForwardRefusals):
        check_unfollowed_write(self, arr, s)
    if getattr(self, "_returned", None) is None:
        self._returned = effects_returns.call_aliases(self.fn.body, self.ctx)
        self._returned_live = aliasing.live_after(self.fn.body) if self._returned else {}
    partners = set(self._returned.get(arr, ())) | {w for w, args in self._returned.items() if arr in args}
    if partners & self._returned_live.get(id(s), set()) \
            and (arr in self.varied or analyze.names_in(s.value) & self.varied):   # (z[0] = 5.0 changes y too)
        shown = effect_checks.shown([arr], self.ctx)
        raise self.ctx.error(s, f"writing into `{shown}` in place, when it may share memory with another "
                             "variable (a function of yours returns its argument, which was bound to a variable "
                             "here), is not supported by s2s.",
                             "Copy the function's result first (`.copy()`), or build a new array.")


class ReverseRefusals:
    """Refusals of ``Reverse`` (a mixin: the state lives on the transform)."""

    check_returned_alias = check_returned_alias

    def check_assign(self, s, var):
        """Refuse ``var = value`` (``s``): an object built from a value carrying a gradient, a complex
        value on the gradient's path, or ``var += v`` on an array another variable may share."""
        if var in self.active and isinstance(s.value, gast.Call):
            self.check_constructor(s)
        if var in self.active and guards.reads_complex(s.value, self.complex):
            raise self.ctx.error(s, guards.COMPLEX_MESSAGE, guards.COMPLEX_HINT)
        if getanno(s, "aug", False) and var in self.facts.copied and var in self.varied and var not in self.scalars \
                and not aliasing.fresh_at(self.fn, var, s, self.ctx):
            shown = effect_checks.written_name(var, s, self.ctx)
            raise self.ctx.error(s, f"`{shown}` may share its array with another variable (it was assigned one), and "
                                 "an augmented assignment would change both in place; s2s does not track such aliases.",
                                 effect_checks.alias_fix(self.fn, shown, self.ctx, "aug"))

    def check_item_write(self, s):
        """Refuse a write into part of a value (``s``) the backward sweep cannot undo or follow: a nested
        target (``xs[0][0] = v``), an array that may share memory with another variable, or one with
        views read afterwards."""
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript) \
                and not isinstance(s.targets[0].value, gast.Name) and effects._root(s.targets[0]) in self.ctx.locals \
                and (analyze.names_in(s.value) & self.varied or effects._root(s.targets[0]) in self.varied) \
                and not effects.object_state(s.targets[0]):
            # xs[0][0] = v carrying a gradient: the adjoint of xs[0] would not follow (a constant written into
            # a constant, xs[t][k] = 1 in a one-hot encoding, is saved and undone: reverse.fwd_stmt; object
            # state, box.d["k"] = v, is effect_checks.check_state's)
            raise self.ctx.error(s, "s2s cannot differentiate an assignment to this kind of target.",
                                 "Assign to a plain variable or to `name[index]`.")
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript) \
                and isinstance(s.targets[0].value, gast.Name):
            arr = s.targets[0].value.id
            self.check_returned_alias(arr, s)
            if arr in self.varied and _may_share(self, arr, s) \
                    and not (getanno(s, "aug", False) and arr in self.scalars):   # (a number: x = x + v runs)
                if getanno(s, "aug", False):   # x += v on an array, written x[...] = x + v by normalize
                    shown = effect_checks.written_name(arr, s, self.ctx)
                    raise self.ctx.error(s, f"`{shown}` may share its array with another variable (it was assigned "
                                         "one, "
                                         "or part of one), and an augmented assignment changes both in place; s2s "
                                         "does not track such aliases.",
                                         effect_checks.alias_fix(self.fn, shown, self.ctx, "aug"))
                shown = effect_checks.written_name(arr, s, self.ctx)
                raise self.ctx.error(s, f"writing into `{shown}` in place, when it may share memory with another "
                                     "variable (it was assigned another variable, or an element, slice or view of "
                                     "one), is not supported by s2s.",
                                     effect_checks.alias_fix(self.fn, shown, self.ctx, "item"))
            self.check_views_written(arr, s)

    def check_mutating_call(self, s):
        """Refuse a call to a function of yours that changes an argument in place while a value
        carrying a gradient goes into the call (effect_checks.check_changed_arguments)."""
        for call in astutil.walk(s.value):   # also calls inside an expression: `cond = h(t) > 0.0`
            if isinstance(call, gast.Call):
                effect_checks.check_changed_arguments(call, s, self.ctx, self.varied, "gradient", self.local_types,
                                                self.facts.useful_sharing)

    def check_constructor(self, s):
        """Refuse ``b = Box(x)`` for x carrying a gradient here, at this line (the backward sweep,
        which walks the statements last to first, would blame the later line that reads ``b.a``)."""
        import sys
        kind, key = analyze.callee(s.value, self.ctx)
        if kind != "global" or not isinstance(key, type) or registry.lookup_adjoint(key) is not None \
                or registry.is_nondiff(key):
            return
        root = (getattr(key, "__module__", None) or "builtins").split(".")[0]
        if root in sys.stdlib_module_names or root in ("builtins", "numpy", "scipy", "s2s", "templates"):
            return   # the user's classes only (map(f, xs), np.float64(x) are handled as calls)
        args = list(s.value.args) + [k.value for k in s.value.keywords]
        if any(analyze.names_in(a) & self.active for a in args):
            var = s.targets[0].id
            later = ""
            for line in sorted({n.lineno for n in astutil.walk_bfs(self.fn) if isinstance(n, gast.Name) and n.id == var
                                and isinstance(n.ctx, gast.Load)
                                and getattr(n, "lineno", 0) > getattr(s, "lineno", 0)}):
                import linecache
                text = linecache.getline(self.ctx.filename, self.ctx.line_offset + line).strip()
                if text:
                    later = f" (`{var}` is read at line {self.ctx.line_offset + line}: `{text}`)"
                break
            raise self.ctx.error(s, f"s2s cannot differentiate through building a `{key.__name__}` object from a value "
                                 f"that carries a gradient{later}.",
                                 "Pass the value to a method or function that uses it instead of storing it in an "
                                 "object, or pass its fields as arguments. Objects built in the function, also a list "
                                 "of them written out (`layers = [Dense(W1, b1), Dense(W2, b2)]`) and looped over, "
                                 "are followed when they stay in the function.")

    def check_views_written(self, arr, s):
        """Refuse ``x[i] = v`` when a view of ``x`` bound before (``t = x[1]``) carries a gradient and is
        read afterwards: the write changes it, which the backward sweep would not see."""
        if not hasattr(self, "_views"):
            self._views = aliasing.views(self.fn.body)
            self._live = aliasing.live_after(self.fn.body)
            self._order = aliasing.binding_order(self.fn.body)
        later = self._live.get(id(s), set())
        hit = sorted(v for v, bases in self._views.items() if arr in bases and v != arr and v in self.varied
                     and v not in self.scalars and v in later and aliasing.bound_before(v, s, self._order))
        since = aliasing.fresh_since(self.fn, arr, s, self.ctx) if hit else None
        if since is not None:   # arr is a new array here: only views bound since then share it
            bound = {t.id for st in since for t in astutil.walk_bfs(st) if isinstance(t, gast.Name)
                     and isinstance(t.ctx, gast.Store)}
            hit = [v for v in hit if v in bound]
        if hit:
            v = effect_checks.shown(hit, self.ctx)
            read = _element_read(self.fn, v, self.ctx)   # t_3 = y[0], s2s's temporary: shown as `y[0]`
            read = read if read and effect_checks.user_name([v], self.ctx) is None else None
            shown = f"`{read}`" if read else f"`{v}`"
            err = self.ctx.error(s, f"writing into `{effect_checks.shown([arr], self.ctx)}` in place changes {shown}, "
                                 "which may be a "
                                 f"view of it (bound to part of it before) and is used afterwards; s2s does not follow "
                                 "a write through to the views of an array.",
                                 f"Take a copy where it is read (`{read}.copy()`)." if read
                                 else effect_checks.alias_fix(self.fn, v, self.ctx, "view"))
            # an element read (y[0]) is a number when y's ndim is known to be 1: code per argument signature
            err.needs_class = not self.facts.ndims and all(_element_read(self.fn, h, self.ctx) for h in hit)
            raise err


def _element_read(fn, name, ctx):
    """The source of ``x[i]`` when ``name`` is bound only to an index read ``name = x[i]`` (no slice), else None."""
    for _ in range(8):   # through copies of the name (t_3 = t_1; t_1 = y[0])
        values = [n.value for n in astutil.walk(fn) if isinstance(n, gast.Assign) and len(n.targets) == 1
                  and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name]
        if len(values) != 1 or not isinstance(values[0], gast.Name):
            break
        name = values[0].id
    if len(values) != 1 or not isinstance(values[0], gast.Subscript) or not isinstance(values[0].value, gast.Name) \
            or any(isinstance(e, gast.Slice) for e in astutil.walk(values[0].slice)):
        return None
    from .calls import source
    return source(values[0])


class ForwardRefusals:
    """Refusals of ``Forward`` (a mixin: the state lives on the transform)."""

    check_returned_alias = check_returned_alias

    def check_mutating_call(self, call, s):
        """Refuse a call to a function of yours that changes an argument in place while a value
        carrying a derivative goes into the call (as the reverse transform does)."""
        for n in astutil.walk_bfs(call):   # also calls inside an expression: `cond = h(t) > 0.0`
            if isinstance(n, gast.Call):
                effect_checks.check_changed_arguments(n, s, self.ctx, self.varied, "derivative", self.local_types,
                                                self.facts.useful_sharing)

    def check_aug_alias(self, var, s):
        """Refuse ``x += v`` (in place for arrays) when ``x`` may share its array with another variable
        (``t = x``), as the reverse transform does: the other variable's tangent would not follow."""
        if not getanno(s, "aug", False) or var not in self.facts.copied or var not in self.varied \
                or aliasing.fresh_at(self.fn, var, s, self.ctx) \
                or getattr(self.ctx.fn, "s2s_generated", False):
            return   # (a generated gradient makes an adjoint private before it adds to it in place)
        if var in self.facts.scalars:
            return
        shown = effect_checks.written_name(var, s, self.ctx)
        raise self.ctx.error(s, f"`{shown}` may share its array with another variable (it was assigned one), and an "
                             "augmented assignment would change both in place; s2s does not track such aliases.",
                             effect_checks.alias_fix(self.fn, shown, self.ctx, "aug"))
