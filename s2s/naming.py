"""Fresh, readable names that never collide with the user's, nor read as theirs.

A temporary is ``t``, ``t_1``, ... and the adjoint (or tangent) of ``x`` is ``dx``. Where that
would read as one of the user's own names (a time step ``dt`` beside temporaries ``t_1``, whose
adjoints would be ``dt_1``; a spacing ``dx`` beside a variable ``x``, whose adjoint would be
``dx_1``), temporaries take another base (``tmp``) and the adjoint is ``d_x``.
"""
import re

import gast

from . import astutil


class Namer:
    """Hands out names not used anywhere in the function being compiled, and records which of them are
    locals of the function.

    ``locals`` are the local names the compiler's passes introduce (temporaries, a parameter's private
    copy, an inlined callee's renamed locals): a pass declares them here (``local``, ``declare``), and
    ``Context.locals`` is parse's locals plus these (the one answer to "is this name local"). A name
    handed out by ``name`` and not declared is not a local: one that stands for an object (annotation
    ``obj``), the generated function's own name, the transforms' adjoints.
    """

    def __init__(self, taken=()):
        self.taken = set(taken)
        self.user = frozenset(self.taken)   # the user's names (and globals read): what fresh names must not look like
        self.locals = set()
        self._temp = None

    def _reads_as_user(self, name):
        """True if ``name``, or ``name`` without a ``_N`` suffix, is one of the user's names."""
        return name in self.user or re.sub(r"_\d+$", "", name) in self.user

    def _temp_base(self):
        if self._temp is None:
            self._temp = next((b for b in ("t", "tmp", "tv", "tt")
                               if not self._reads_as_user(b) and not self._reads_as_user("d" + b)), "t")
        return self._temp

    @classmethod
    def for_tree(cls, tree, extra=()):
        """A Namer for the function ``tree``: every name in it is taken (with ``extra``)."""
        taken = set(extra)
        for n in astutil.walk(tree):
            if type(n) is gast.Name:
                taken.add(n.id)
            elif isinstance(n, (gast.FunctionDef, gast.ClassDef)):
                taken.add(n.name)
                if isinstance(n, gast.FunctionDef):
                    taken.update(a.id for a in n.args.args + n.args.kwonlyargs + n.args.posonlyargs)
        return cls(taken)

    def name(self, base):
        """``base`` itself if free, else base_1, base_2, ... (``t``: the temporaries' base)."""
        base = base or "t"
        if base == "t":
            base = self._temp_base()
        if base not in self.taken:
            self.taken.add(base)
            return base
        i = 1
        while f"{base}_{i}" in self.taken:
            i += 1
        out = f"{base}_{i}"
        self.taken.add(out)
        return out

    def temp(self):
        return self.name("t")

    def grad(self, var):
        """Adjoint (or tangent) name for a primal variable: x -> dx (d_x where dx is the user's)."""
        v = var.lstrip("_")
        return self.name("d_" + v if self._reads_as_user("d" + v) else "d" + v)

    def reserve(self, name):
        self.taken.add(name)

    def local(self, base):
        """A fresh name (as ``name``) declared a local of the function."""
        out = self.name(base)
        self.locals.add(out)
        return out

    def declare(self, names):
        """Declare ``names`` (handed out here, for the code a pass writes) locals of the function."""
        self.locals.update(names)


def rename_tangents(fdef, tparams, wanted, namer):
    """``tparams`` (a forward-mode function's tangent parameters) renamed to ``wanted`` in the finished
    ``fdef``; returns the new list. Forward mode over a generated gradient (hvp) finds the gradient's own
    ``dw`` taken and names w's tangent ``d_w``, where jvp names it ``dw``: the tangent a caller passes by
    name is named as jvp names it (the gradient's ``dw`` becomes ``grad_w``). A name that is a parameter
    of ``fdef`` is left as it is."""
    params = {a.id for a in fdef.args.posonlyargs + fdef.args.args + fdef.args.kwonlyargs}
    swap, out = {}, []
    for tp, want in zip(tparams, wanted):
        if want is None or want == tp or want in params or want in swap or want in swap.values():
            out.append(tp)
            continue
        swap[want] = namer.name("grad_" + want[1:].lstrip("_"))
        swap[tp] = want
        out.append(want)
    if swap:
        for n in astutil.walk(fdef):
            if type(n) is gast.Name and n.id in swap:
                n.id = swap[n.id]
    return out
