"""``flatten(tree) -> (vector, unflatten)``: autograd's ``flatten``, JAX's ``ravel_pytree``.

A tree is nested lists, tuples, namedtuples and dicts of arrays and numbers
(see s2s/tree.py). ``vector`` is one float64 array of every element, leaf
after leaf; ``unflatten(v)`` rebuilds the tree from such a vector (a Python
number leaf comes back as a float, an array with its shape and dtype).

Both directions are differentiable by s2s, in reverse and forward mode (the
rules are at the end of this module): ``unflatten`` is linear, its adjoint
flattens the gradient of the tree, and the adjoint of ``flatten`` unflattens
the gradient of the vector::

    flat, unflatten = s2s.flatten(params)
    def objective(v):
        return loss(unflatten(v))
    s2s.grad(objective)(flat)            # the flat gradient of loss
"""
import numpy as np

from . import containers as _containers, records as _records  # noqa: F401  (register their rules)
from . import tree as _tree
from .registry import adjoint, d, tangent


def _ravel(leaves):
    parts = [np.ravel(np.asarray(leaf, dtype=np.float64)) for leaf in leaves]
    return np.concatenate(parts) if parts else np.zeros(0)


class Unflatten:
    """Rebuild a tree of ``flatten``'s structure from a vector. All instances compare equal,
    so the one rule registered below applies to every ``unflatten`` (the structure is in the
    instance, and the rules only need the tree they get or give)."""

    def __init__(self, tree):
        self.tree = tree
        self.leaves = _tree.leaves(tree)
        self.sizes = [_tree.size(leaf) for leaf in self.leaves]

    def __call__(self, vector):
        vector = np.asarray(vector)
        if vector.shape != (sum(self.sizes),):
            raise ValueError(f"unflatten: expected a vector of {sum(self.sizes)} elements, got shape {vector.shape}")
        parts, start = [], 0
        for leaf, n in zip(self.leaves, self.sizes):
            chunk = vector[start:start + n]
            start += n
            if _tree.is_number(leaf):
                parts.append(float(chunk[0]) if np.ndim(chunk[0]) == 0 and not isinstance(chunk[0], np.ndarray)
                             else chunk[0])
            else:
                parts.append(chunk.reshape(np.shape(leaf)).astype(_tree.float_dtype(leaf), copy=False))
        return _tree.rebuild(self.tree, parts)

    def __eq__(self, other):
        return isinstance(other, Unflatten)

    def __hash__(self):
        return hash(Unflatten)

    def __repr__(self):
        return f"<unflatten to {type(self.tree).__name__} of {len(self.leaves)} leaves>"


def flatten(tree):
    """``(vector, unflatten)`` for a nested list/tuple/namedtuple/dict of arrays and numbers."""
    return _ravel(_tree.leaves(tree)), Unflatten(tree)


def ravel_like(g, like):
    """The gradient (or tangent) ``g`` of tree ``like`` as one vector; missing or literal-zero parts are zeros."""
    leaves = _tree.leaves(like)
    if _tree.is_node(like) and _tree.is_node(g):
        parts = _tree.leaves(g)
        if len(parts) != len(leaves):
            raise ValueError(f"a gradient has {len(parts)} parts but its tree has {len(leaves)}")
    else:
        parts = [g] * len(leaves)   # a scalar zero for the whole tree
    return _ravel([np.broadcast_to(np.asarray(p, dtype=np.float64), _tree.shape(leaf))
                   for p, leaf in zip(parts, leaves)])


def unravel_like(vector, like):
    """The vector ``vector`` as a tree of ``like``'s structure (the adjoint of flatten)."""
    return Unflatten(like)(np.broadcast_to(np.asarray(vector, dtype=np.float64), (sum(map(_tree.size, _tree.leaves(like))),)))


def flatten_grad(g, tree):
    """The gradient of ``tree`` from the gradient ``g`` of ``flatten(tree)`` (only its vector part carries one)."""
    gv = g[0] if isinstance(g, (list, tuple)) else g
    return unravel_like(gv, tree)


def flatten_tangent(t, tree):
    """The tangent of ``flatten(tree)``: the tangent vector, and no tangent for unflatten."""
    return (ravel_like(t, tree), 0.0)


_UNFLATTEN = Unflatten([])   # the key of the rules: equal to every Unflatten


@adjoint(flatten)
def _flatten_adj(r, tree):
    d[tree] = flatten_grad(d[r], tree)


@tangent(flatten)
def _flatten_fwd(r, tree):
    d[r] = flatten_tangent(d[tree], tree)


@adjoint(_UNFLATTEN)
def _unflatten_adj(r, vector):
    d[vector] = ravel_like(d[r], r)


@tangent(_UNFLATTEN)
def _unflatten_fwd(r, vector):
    d[r] = unravel_like(d[vector], r)


# the helpers the rules above put into generated code are linear in their first argument:
# forward mode over a generated gradient (hvp, grad of grad) goes through them
@tangent(ravel_like, constant=("like",))
def _ravel_like_fwd(r, g, like):
    d[r] = ravel_like(d[g], like)


@tangent(unravel_like, constant=("like",))
def _unravel_like_fwd(r, vector, like):
    d[r] = unravel_like(d[vector], like)


@tangent(flatten_grad, constant=("tree",))
def _flatten_grad_fwd(r, g, tree):
    d[r] = flatten_grad(d[g], tree)
