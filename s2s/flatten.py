"""``flatten(tree) -> (vector, unflatten)``: autograd's ``flatten``, JAX's ``ravel_pytree``.

A tree is nested lists, tuples, namedtuples, dicts, dataclass instances and
plain objects of arrays and numbers (see s2s/tree.py; a record's fields that
are not numbers, arrays or containers, such as a name or a function, are not
leaves: ``unflatten`` keeps them as they are). ``vector`` is one float64 array of every element, leaf
after leaf (int and bool leaves too); ``unflatten(v)`` rebuilds the tree from such a vector, each
leaf of its own type, shape and dtype (a Python int comes back an int, a float32 array float32), as
JAX's ``ravel_pytree``. None is an empty subtree; any other leaf that is not a number or an array (a
string) is a TypeError, as in JAX (a record's non-numeric fields are kept, see above).

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

from . import containers as _containers, record_types as _records, records as _record_rules  # noqa: F401  (register their rules)
from . import tree as _tree
from .registry import adjoint, d, tangent


def _record(t):
    return not _tree.is_node(t) and _records.is_record(t)


def _record_fields(t):
    """The fields of record ``t`` that hold leaves (numbers, arrays, containers, records)."""
    return [f for f in _records.fields(t) if _records._numeric(getattr(t, f))]


def _leaves(t, path=""):
    """The leaves of a tree, records included (their fields in declaration order). None is an empty
    subtree (JAX's convention); a leaf that is not a number or an array (a string) is refused."""
    if _record(t):
        return [leaf for f in _record_fields(t) for leaf in _leaves(getattr(t, f), f"{path}.{f}")]
    if isinstance(t, dict):
        return [leaf for k, v in t.items() for leaf in _leaves(v, f"{path}[{k!r}]")]
    if isinstance(t, (list, tuple)):
        return [leaf for i, v in enumerate(t) for leaf in _leaves(v, f"{path}[{i}]")]
    if t is None:
        return []
    if not _numeric_leaf(t):
        raise TypeError(f"s2s.flatten: the leaf tree{path} is a {type(t).__name__} ({t!r:.40}), not a number or an "
                        "array: flatten puts numbers and arrays into the vector (JAX's ravel_pytree refuses such "
                        "leaves too). Keep it out of the tree you flatten, or make it a field of a dataclass or "
                        "object in the tree (non-numeric fields are kept as they are, not flattened).")
    return [t]


def _numeric_leaf(t):
    if isinstance(t, (bool, int, float, np.generic)):
        return np.asarray(t).dtype.kind in "biuf"
    if isinstance(t, np.ndarray):
        return t.dtype.kind in "biuf"
    return hasattr(t, "shape") and hasattr(t, "dtype")   # another library's array


def _rebuild(t, it):
    """A tree shaped like ``t`` holding the leaves of iterator ``it``."""
    if _record(t):
        out = _records._shallow_copy(t)
        for f in _record_fields(t):
            object.__setattr__(out, f, _rebuild(getattr(t, f), it))
        return out
    if isinstance(t, dict):
        items = [(k, _rebuild(v, it)) for k, v in t.items()]
        return _tree.dict_like(t, items)
    if isinstance(t, tuple) and hasattr(t, "_fields"):
        return type(t)(*(_rebuild(v, it) for v in t))
    if isinstance(t, (list, tuple)):
        return type(t)(_rebuild(v, it) for v in t)
    if t is None:
        return None
    return next(it)


def _grad_leaves(g, like):
    """The parts of gradient (or tangent) ``g`` of tree ``like``, one per leaf of ``like``: ``g`` may be
    of like's type, an internal GradList/GradDict (sparse for a record), or a scalar zero for a subtree."""
    if like is None:   # an empty subtree
        return []
    if isinstance(g, (int, float)) and not isinstance(g, bool) and (_tree.is_node(like) or _record(like)):
        return [g] * len(_leaves(like))
    if _record(like):
        return [p for f in _record_fields(like)
                for p in _grad_leaves(_records.get_field(g, like, f), getattr(like, f))]
    if isinstance(like, dict):
        return [p for k, v in like.items() for p in _grad_leaves(g.get(k, 0.0), v)]
    if isinstance(like, (list, tuple)):
        if len(g) != len(like):
            raise ValueError(f"a gradient has {len(g)} parts but its tree has {len(like)}")
        return [p for a, v in zip(g, like) for p in _grad_leaves(a, v)]
    return [g]


def _ravel(leaves):
    parts = [np.ravel(np.asarray(leaf, dtype=np.float64)) for leaf in leaves]
    return np.concatenate(parts) if parts else np.zeros(0)


class Unflatten:
    """Rebuild a tree of ``flatten``'s structure from a vector. All instances compare equal,
    so the one rule registered below applies to every ``unflatten`` (the structure is in the
    instance, and the rules only need the tree they get or give)."""

    def __init__(self, tree):
        self.tree = tree
        self.leaves = _leaves(tree)
        self.sizes = [_tree.size(leaf) for leaf in self.leaves]

    def __call__(self, vector):
        """The tree with the values of ``vector``, each leaf of its original type and dtype (JAX's
        ``ravel_pytree``: an int or bool leaf comes back an int or bool, cast as NumPy casts)."""
        return self.build(vector, exact=True)

    def build(self, vector, exact=False):
        """The tree from ``vector``; ``exact=False`` (a gradient or tangent): float leaves for int and
        bool ones (the dtype policy: an integer input's gradient is float64)."""
        vector = np.asarray(vector)
        if vector.shape != (sum(self.sizes),):
            raise ValueError(f"unflatten: expected a vector of {sum(self.sizes)} elements, got shape {vector.shape}")
        parts, start = [], 0
        for leaf, n in zip(self.leaves, self.sizes):
            chunk = vector[start:start + n]
            start += n
            if _tree.is_number(leaf) or isinstance(leaf, bool):
                value = chunk[0]
                if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
                    value = type(leaf)(_nearest(value, leaf)) if exact else float(value)
                parts.append(value)
            elif exact and isinstance(leaf, np.generic):
                parts.append(leaf.dtype.type(_nearest(chunk[0], leaf)))
            else:
                dt = np.asarray(leaf).dtype if exact and hasattr(leaf, "dtype") else _tree.float_dtype(leaf)
                chunk = chunk.reshape(np.shape(leaf))
                parts.append((_nearest(chunk, leaf) if exact else chunk).astype(dt, copy=False))
        return _rebuild(self.tree, iter(parts))

    def __eq__(self, other):
        return isinstance(other, Unflatten)

    def __hash__(self):
        return hash(Unflatten)

    def __repr__(self):
        return f"<unflatten to {type(self.tree).__name__} of {len(self.leaves)} leaves>"


def flatten(tree):
    """``(vector, unflatten)`` for a nested list/tuple/namedtuple/dict/dataclass/object of arrays and numbers.

    Both directions are differentiable (autograd's ``flatten``): differentiate a loss of
    ``unflatten(v)`` with respect to the flat vector ``v``.

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> params = {"W": np.ones((2, 2)), "b": np.zeros(2)}
        >>> v, unflatten = s2s.flatten(params)
        >>> v.shape
        (6,)
        >>> def loss(v):
        ...     p = unflatten(v)
        ...     return np.sum(p["W"] ** 2) + np.sum(p["b"])
        >>> print(s2s.grad(loss)(v))
        [2. 2. 2. 2. 1. 1.]
    """
    return _ravel(_leaves(tree)), Unflatten(tree)


def _nearest(x, leaf):
    """x rounded to the nearest integer for an int or bool leaf (so a vector near the flattened one, as
    finite differences or an optimizer make, gives back the same ints: truncation would jump at every
    integer), x itself for a float leaf."""
    return np.rint(x) if _integral(leaf) else x


def _integral(leaf):
    return np.asarray(leaf).dtype.kind in "biu"


def ravel_like(g, like, cast=False):
    """The gradient (or tangent) ``g`` of tree ``like`` as one vector; missing or literal-zero parts are zeros.
    ``cast``: ``like`` is unflatten's result, whose int and bool leaves were cast from the vector (a
    step function: no derivative reaches the vector through them)."""
    leaves = _leaves(like)
    parts = _grad_leaves(g, like)
    return _ravel([np.zeros(_tree.shape(leaf)) if cast and _integral(leaf) else
                   np.broadcast_to(np.asarray(p, dtype=np.float64), _tree.shape(leaf))
                   for p, leaf in zip(parts, leaves)])


def unravel_like(vector, like, cast=False):
    """The vector ``vector`` as a tree of ``like``'s structure (the adjoint of flatten). ``cast``: the
    tangent of unflatten's result ``like``: zero for its int and bool leaves (see ravel_like)."""
    vector = np.broadcast_to(np.asarray(vector, dtype=np.float64), (sum(map(_tree.size, _leaves(like))),))
    if cast:
        keep = [np.full(_tree.size(leaf), not _integral(leaf)) for leaf in _leaves(like)]
        vector = vector * np.concatenate(keep) if keep else vector
    return Unflatten(like).build(vector)


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
    d[vector] = ravel_like(d[r], r, True)


@tangent(_UNFLATTEN)
def _unflatten_fwd(r, vector):
    d[r] = unravel_like(d[vector], r, True)


# the helpers the rules above put into generated code are linear in their first argument:
# forward mode over a generated gradient (hvp, grad of grad) goes through them
@tangent(ravel_like, constant=("like", "cast"))
def _ravel_like_fwd(r, g, like, cast=False):
    d[r] = ravel_like(d[g], like, cast)


@tangent(unravel_like, constant=("like", "cast"))
def _unravel_like_fwd(r, vector, like, cast=False):
    d[r] = unravel_like(d[vector], like, cast)


@tangent(flatten_grad, constant=("tree",))
def _flatten_grad_fwd(r, g, tree):
    d[r] = flatten_grad(d[g], tree)
