"""Nested containers (lists, tuples, namedtuples, dicts) of numbers and arrays.

``jacobian`` and ``hessian`` of container inputs and outputs assemble nested
containers of blocks from these (JAX's ``jacrev`` convention); ``flatten``
builds on them too. A leaf is anything that is not a list, tuple or dict.
"""
import numpy as np


def dict_like(x, items):
    """A dict of ``x``'s type holding ``items``: a plain dict for a dict, an OrderedDict for an OrderedDict,
    a defaultdict with x's ``default_factory``, another dict subclass as its constructor makes it from
    ``items``. (Nothing is changed in place here: s2s's effect analysis reads this helper of generated
    code, and a write into a copy of ``x`` would make every function calling ``as_grad`` copy its arguments.)"""
    cls = type(x)
    if cls is dict:
        return dict(items)
    factory = getattr(x, "default_factory", _NO_FACTORY)
    return cls(items) if factory is _NO_FACTORY else cls(factory, items)


_NO_FACTORY = object()


dict_like.s2s_pure = True   # a new dict: the effect analysis must not read `out.clear()` as a write into x


def is_node(x):
    return isinstance(x, (list, tuple, dict))


def leaves(tree):
    """The leaves of ``tree`` in a fixed order (dict insertion order, then indices)."""
    if isinstance(tree, dict):
        return [leaf for v in tree.values() for leaf in leaves(v)]
    if isinstance(tree, (list, tuple)):
        return [leaf for v in tree for leaf in leaves(v)]
    return [tree]


def rebuild(tree, new_leaves):
    """A container shaped like ``tree`` holding ``new_leaves`` (in ``leaves`` order)."""
    it = iter(new_leaves)

    def build(t):
        if isinstance(t, dict):
            return dict_like(t, [(k, build(v)) for k, v in t.items()])
        if isinstance(t, tuple) and hasattr(t, "_fields"):
            return type(t)(*(build(v) for v in t))
        if isinstance(t, (list, tuple)):
            return type(t)(build(v) for v in t)
        return next(it)
    out = build(tree)
    return out


def is_number(x):
    return isinstance(x, (float, int)) and not isinstance(x, bool)


def shape(leaf):
    return () if is_number(leaf) else np.shape(leaf)


def size(leaf):
    return int(np.prod(shape(leaf), dtype=int))


def float_dtype(leaf):
    dt = getattr(leaf, "dtype", None)
    return dt if dt is not None and np.issubdtype(dt, np.floating) else np.float64


def zero(leaf):
    """A zero tangent/seed for one leaf: 0.0 for a Python number, else zeros of its shape."""
    return 0.0 if is_number(leaf) or not isinstance(leaf, np.ndarray) and np.ndim(leaf) == 0 \
        else np.zeros(np.shape(leaf), dtype=float_dtype(leaf))


def zeros(tree):
    return rebuild(tree, [zero(leaf) for leaf in leaves(tree)])


def one_hots(tree):
    """(leaf index, element index, a tree of zeros with a one at that element), for every element."""
    ls = leaves(tree)
    base = [zero(leaf) for leaf in ls]
    for k, leaf in enumerate(ls):
        for e in range(size(leaf)):
            parts = list(base)
            if isinstance(parts[k], np.ndarray):
                hot = np.zeros(parts[k].size, dtype=parts[k].dtype)
                hot[e] = 1.0
                parts[k] = hot.reshape(parts[k].shape)
            else:
                parts[k] = 1.0
            yield k, e, rebuild(tree, parts)


def block(outer, inner):
    """An empty block of shape ``shape(outer) + shape(inner)``, rows (outer elements) first, of the leaves'
    float dtype (float32 leaves give a float32 block; a Python number or an int leaf is float64)."""
    return np.zeros((size(outer), size(inner)), dtype=np.result_type(float_dtype(outer), float_dtype(inner)))


def finish(b, outer, inner):
    """The block ``b`` (outer elements x inner elements) reshaped to ``shape(outer) + shape(inner)``.

    A float when both leaves are Python numbers (the gradient of a number is a float).
    """
    full = tuple(shape(outer)) + tuple(shape(inner))
    if not full and not isinstance(outer, np.ndarray) and not isinstance(inner, np.ndarray):
        return float(b[0, 0])
    return b.reshape(full)
