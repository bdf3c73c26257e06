"""Annotations on AST nodes: what one pass leaves on a node for a later pass to read.

Every annotation s2s puts on a gast node is declared in ``KEYS`` below, with the
pass that sets it and what it means; ``setanno`` refuses an undeclared key, so a
new annotation is added here first (Tangent's ``annotations.py`` is the model).
An annotation ``key`` is stored as the node attribute ``s2s_<key>``, which
``astutil.clone`` keeps and ``copy.deepcopy`` copies.

Attributes on generated *functions* (``gen.s2s_request``, ``gen.s2s_source``,
...) are not annotations; docs/architecture.md lists them.
"""

import types

KEYS = {
    # normalize / control
    "obj": "a Name standing for a Python object (a helper, a module, a closure value): codegen binds it",
    "aug": "a statement written from the user's augmented assignment (x += v)",
    "swap": "the names of the user's `u, un = un, u` on the statements binding them (normalize.py): they exchange "
            "values, neither shares the other's (aliasing.views)",
    "held": "the list or dict a statement written from the user's `lst[i] += v` changes an item of in place "
            "(normalize.py; the item may be an array another name shares)",
    "state_store": "a store into an object's attribute that the function reads back as a variable (control.py)",
    "inlined": "a node inlined from a callee (lowering.py): (file, line, function) of its source there, for errors",
    "result_binding": "an inlined callee's result bound to the caller's names (lowering.py): not a user's alias",
    "aliases": "the core FunctionDef: (copied, from_subscript), the names bound to another variable (a = b: both; a "
               "loop's sequence and the name it came from) and those bound to an element or slice (a = b[i]) "
               "(normalize.py; read as facts.copied, facts.from_subscript)",
    # jumps
    "exit": "a synthetic Break that ends a loop body (jumps.py)",
    "breaks": "a loop that may stop early (jumps.py)",
    # reverse
    "save": "a save or restore statement of the forward/backward sweep: the saved variable",
    "recompute": "a statement of the backward sweep recomputing a variable: its name",
    "int": "a Name known to hold an int (a range loop's index)",
    "counter": "a loop of the forward sweep: the name counting its iterations",
    "init": "a loop of the forward sweep: the variables saved before it runs",
    "split": "a call of a helper's forward half: (the original callee, how it was called), to undo if unused",
    "primal": "a BinOp of the primal's own code: the optimizer does not rewrite it algebraically",
    # forward
    "tangent": "a d[...] leaf of a filled tangent template that carries a tangent",
    "zero_tangent": "a d[...] leaf of a filled tangent template whose tangent is zero",
    # checkpointing, codegen
    "checkpoint": "a loop's iter: the snapshots expression of a checkpointed loop (or 'auto')",
    "line": "a generated statement: the user's line it comes from (codegen's # file:N comments)",
}

_PREFIX = "s2s_"


def _attr(key):
    if key not in KEYS:
        raise KeyError(f"undeclared AST annotation {key!r}: declare it in s2s/anno.py KEYS")
    return _PREFIX + key


class _Shared:
    """A module held by an annotation: ``copy.deepcopy`` of the node keeps the module itself (a module
    cannot be copied)."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo):
        return self


def setanno(node, key, value=True):
    """Annotate ``node`` with ``key`` (declared in ``KEYS``)."""
    setattr(node, _attr(key), _Shared(value) if isinstance(value, types.ModuleType) else value)
    return node


def _plain(value):
    return value.value if isinstance(value, _Shared) else value


def getanno(node, key, default=None):
    """The annotation ``key`` of ``node``, or ``default``."""
    return _plain(getattr(node, _attr(key), default))


def hasanno(node, key):
    return hasattr(node, _attr(key))


def ownanno(node, key, default=None):
    """The annotation set on ``node`` itself (never one its class or a function it wraps provides)."""
    return _plain(node.__dict__.get(_attr(key), default))


def delanno(node, key):
    if hasattr(node, _attr(key)):
        delattr(node, _attr(key))
