"""The core form's building blocks: what an atom is, and the small nodes the normalizer and the
transforms build (names, assignments, subscripts, objects the normalizer introduces).

Every module that reads or writes core-form code imports these from here (s2s/normalize.py makes the
core form; the transforms read it).
"""
import gast

from .anno import setanno
from . import astutil

ATOMS = (gast.Name, gast.Constant)


def is_atom(node, ctx):
    if isinstance(node, ATOMS):
        return True
    if isinstance(node, gast.Attribute):  # np.pi, math.e: a global chain
        base = node.value
        while isinstance(base, gast.Attribute):
            base = base.value
        return isinstance(base, gast.Name) and (base.id not in ctx.locals
                                                or base.id in ctx.static_locals)
    return False


def _name(id_, ctx=gast.Load()):
    return gast.Name(id=id_, ctx=ctx, annotation=None, type_comment=None)


def _sub(seq, k):
    return gast.Subscript(value=seq, slice=_name(k), ctx=gast.Load())


def _assign(target, value, like):
    node = gast.Assign(targets=[_name(target, gast.Store())], value=value, type_comment=None)
    return gast.copy_location(node, like)


def _slice_call(node):
    """``a:b:c`` as the expression ``slice(a, b, c)``."""
    parts = [p if p is not None else gast.Constant(value=None, kind=None) for p in (node.lower, node.upper, node.step)]
    return gast.Call(func=runtime_name("slice"), args=parts, keywords=[])


def runtime_name(name, obj=None):
    """A Name for an object the normalizer introduces (bound in the generated namespace)."""
    import builtins

    from . import runtime
    node = _name(name)
    setanno(node, "obj", obj if obj is not None else getattr(runtime, name, None) or getattr(builtins, name))
    return node


def _renamed(node, renames):
    import copy

    node = copy.deepcopy(node)
    for n in astutil.walk_bfs(node):
        if isinstance(n, gast.Name) and n.id in renames:
            n.id = renames[n.id]
    return node
