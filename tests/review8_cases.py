"""Every wrong gradient the session-8 reviewer found (their WRONG_NUMBERS.py, kept as it was written: minimal
functions with inputs in ``cases``); tests/test_review8_wrong.py checks each is refused or right."""
import copy
import numpy as np
import s2s

def chained_assign(x):                      # F1 p01
    a = b = np.zeros(3)
    a[0] = x[0] * 2.0
    a[1] = x[1] ** 2
    return np.sum(b * x)

def unpack_rows(S):                         # F2 p01
    state = S * 1.0
    pos, vel = state
    pos += 0.1 * vel
    return np.sum(state ** 2)

def split_views(x):                         # F3 p01
    y = x * 1.0
    a, b = np.split(y, 2)
    a *= 2.0
    return np.sum(y * x)

def astype_nocopy(x):                       # F4 p01
    y = x * 1.0
    z = y.astype(np.float64, copy=False)
    z[0] = 0.0
    return np.sum(y * x)

def list_copy_shares_arrays(x):             # F6 p02
    y = x * 1.0
    a = [y, y * 2.0]
    b = list(a)
    b[0] += 1.0
    return np.sum(a[0] * x)

def list_extend_alias(x):                   # F7 p02
    a = [x]
    b = a
    b.extend([x ** 2, x ** 3])
    return sum(np.sum(v) for v in a)

def list_insert_alias(x):                   # F7 p02
    a = [x]
    b = a
    b.insert(0, x * 5.0)
    return np.sum(a[0])

def dict_update_alias(x):                   # F9 p02
    d = {"a": x}
    e = d
    e.update({"a": x ** 2})
    return np.sum(d["a"])

def dict_setdefault(x):                     # F10 p02
    d = {}
    v = d.setdefault("h", x * 1.0)
    v += 1.0
    return np.sum(d["h"] * x)

def _ident(a):
    return a

def helper_identity_then_write(x):          # F11 p02
    y = x * 1.0
    z = _ident(y)
    z[0] = 0.0
    return np.sum(y * x)

def _first(lst):
    return lst[0]

def helper_element_then_write(x):           # F12 p02
    y = x * 1.0
    lst = [y, y * 2]
    z = _first(lst)
    z *= 2.0
    return np.sum(y * x)

def hist_same_array(x):                     # F13 p03
    h = np.zeros(3)
    hs = []
    for t in range(3):
        h[:] = np.tanh(h + x * t)
        hs.append(h)
    return np.sum(hs[0])

def dict_ior(p, q):                         # F14 p02
    r = dict(p)
    r |= q
    return np.sum(r["a"] * r["b"])

def setfield_flat(x):                       # F15 p04
    y = x * 1.0
    y.flat[0] = 0.0
    return np.sum(y * x)

def append_then_iadd(x):                    # F22 p21
    hs = []
    h = x * 1.0
    for t in range(3):
        hs.append(h)
        h += 0.1 * x
    return np.sum(hs[0] * x)

def dict_then_iadd(x):                      # F23 p21
    h = x * 1.0
    d = {"h": h}
    h += x ** 2
    return np.sum(d["h"])

def tuple_then_setitem(x):                  # F23 p21
    h = x * 1.0
    t = (h, 2.0)
    h[0] = 0.0
    return np.sum(t[0] * x)

def _pair(y):
    return y, y

def helper_returns_pair(x):                 # F24 p21
    y = x * 1.0
    a, b = _pair(y)
    a[0] = 0.0
    return np.sum(b * x)

def list_of_rows(Y):                        # F25 p21
    Z = Y * 1.0
    rows = list(Z)
    rows[0] *= 2.0
    return np.sum(Z * Y)

def dict_zip_rows(Y):                       # F25 p21
    Z = Y * 1.0
    d = dict(zip(["a", "b"], Z))
    d["a"] *= 2.0
    return np.sum(Z * Y)

def list_first_name_write(x):               # F32 p29
    a = [x]
    b = a
    a.append(x ** 2)
    return sum(np.sum(v) for v in b)

def _head(a):
    return a[:2]

def helper_view_write(x):                   # F33 p29
    y = x * 1.0
    h = _head(y)
    h *= 2.0
    return np.sum(y * x)

def reversed_list(W, b, X):                 # F37 p35
    ps = [W * 1.0, b * 1.0]
    for p in reversed(ps):
        p *= 0.5
    return np.sum(np.tanh(X @ ps[0] + ps[1]))

def tuple_unpack_loop(W, b, X):             # F37 p35
    layers = [(W * 1.0, b * 1.0)]
    for Wl, bl in layers:
        Wl *= 0.5
        bl += 1.0
    return np.sum(np.tanh(X @ layers[0][0] + layers[0][1]))

def rows_of_slice(A):                       # F37 p35
    B = np.exp(A)
    for row in B[1:]:
        row /= row.sum()
    return np.sum(B * np.arange(B.size).reshape(B.shape))

def sgd_step_lists(W, b, X):                # F37 p35 (zip: the known class, in its common form)
    params = [W * 1.0, b * 1.0]
    for step in range(2):
        h = np.tanh(X @ params[0] + params[1])
        grads = [X.T @ (1 - h ** 2), np.sum(1 - h ** 2, axis=0)]
        for p, g in zip(params, grads):
            p -= 0.1 * g
    return np.sum(np.tanh(X @ params[0] + params[1]))

def nested_helper_inner(v):
    v[0] = v[0] * 3.0

def nested_helper_outer(ps):
    nested_helper_inner(ps[0])

def nested_helpers(W, X):                   # F39 p41
    ps = [W * 1.0]
    nested_helper_outer(ps)
    return np.sum(np.tanh(X @ ps[0]))

def comp_copy(x):                           # F40 p42
    ps = [x * 1.0, x * 2.0]
    qs = [p for p in ps]
    qs[0] *= 3.0
    return np.sum(ps[0] * x)

def concat_copy(x):                         # F40 p42
    ps = [x * 1.0, x * 2.0]
    qs = ps + []
    qs[1] += 1.0
    return np.sum(ps[1] * x)

def star_copy(x):                           # F40 p42
    ps = [x * 1.0, x * 2.0]
    qs = [*ps]
    qs[0] *= 3.0
    return np.sum(ps[0] * x)

def map_identity(x):                        # F40 p42
    ps = [x * 1.0, x * 2.0]
    for p in map(lambda v: v, ps):
        p *= 0.5
    return np.sum(ps[0] * x)

def dict_comp_copy(x):                      # F40 p42
    d = {"a": x * 1.0}
    e = {k: v for k, v in d.items()}
    e["a"] *= 3.0
    return np.sum(d["a"] * x)

def dict_copy_method(x):                    # F40 p42
    d = {"a": x * 1.0}
    e = d.copy()
    e["a"] *= 3.0
    return np.sum(d["a"] * x)

def list_copy_method(x):                    # F40 p42
    a = [x * 1.0]
    b = a.copy()
    b[0] *= 3.0
    return np.sum(a[0] * x)

def center_columns(A):                      # F42 p44
    B = A * 1.0
    for col in B.T:
        col -= col.mean()
    return np.sum(B ** 3)

def enumerate_slice(A):                     # F43 p44
    B = np.exp(A)
    for i, row in enumerate(B[1:]):
        row /= row.sum()
    return np.sum(B * np.arange(B.size).reshape(B.shape))

def enum_zip(A, w):                         # F43 p44
    B = A * 1.0
    for i, (row, wi) in enumerate(zip(B, w)):
        row *= wi
    return np.sum(B ** 2)

def sorted_items(W, b, X):                  # F43 p44
    p = {"W": W * 1.0, "b": b * 1.0}
    for k, v in sorted(p.items()):
        v *= 0.5
    return np.sum(np.tanh(X @ p["W"] + p["b"]))

def ternary_two_arrays(x):                  # F43 p44
    y = x * 1.0
    w = x * 2.0
    z = y if x[0] > 0 else w
    z[0] = 0.0
    return np.sum(y * x) + np.sum(w * x)

def ternary_in_tuple(x):                    # F43 p44
    y = x * 1.0
    a, b = (y, y) if x[0] > 0 else (y.copy(), y)
    a[1] = 0.0
    return np.sum(b * x)

def nested_unpack(x):                       # F43 p44
    y = x * 1.0
    (a, b), c = (y, y * 2.0), y
    a[0] = 0.0
    return np.sum(c * x)

def sg_write(x):                            # F48 p51
    y = x * 1.0
    z = s2s.stop_gradient(y)
    z[0] = 0.0
    return np.sum(y * x)

def flip_view(x):                           # F57 p69
    y = x * 1.0
    z = np.flip(y)
    z[0] = 0.0
    return np.sum(y * x)

def hsplit_views(X):                        # F57 p69
    Y = X * 1.0
    a, b, c = np.hsplit(Y, 3)
    a *= 2.0
    return np.sum(Y * X)

def unstack_views(X):                       # F57 p69
    Y = X * 1.0
    r0, r1 = np.unstack(Y)
    r0 += 1.0
    return np.sum(Y * X)

def reshape_target(x):                      # F57 p69
    A = np.zeros((2, 2))
    A.reshape(-1)[1] = x[0] * 3.0
    return np.sum(A * x[1])

from collections import namedtuple as _nt
_P = _nt("_P", "W b")

def nt_field_write(p, X):                   # F59 p72
    p.W[0, 0] = 0.0
    return np.sum(np.tanh(X @ p.W + p.b))

def nt_field_local_iadd(p, X):              # F59 p71
    bb = p.b
    bb *= 2.0
    return np.sum(np.tanh(X @ p.W + p.b))

def mlp_dict_of_dicts_values(params, X):    # F62 p84 (no aliasing)
    h = X
    for layer in params.values():
        h = np.tanh(h @ layer["W"] + layer["b"])
    return np.sum(h ** 2)

def l2_values(params):                      # F62 p83
    return sum(np.sum(p["W"] ** 2) for p in params.values())

def w_ascontig(X):                          # F72 p117
    Y = X * 1.0
    Z = np.ascontiguousarray(Y)
    Z[0, 0] = 0.0
    return np.sum(Y * X)

def solve_overwrite_b(a, y):                # F71 p116
    import scipy.linalg as sla
    A = np.array([[2.0, 0.3], [0.3, 1.5]]) * a
    b = y * 1.0
    x = sla.solve(A, b, overwrite_b=True)
    return np.sum(x ** 2) + np.sum(b * y)

def _prefixes(x):
    buf = []
    for i in range(len(x)):
        buf.append(x[i] ** 2)
        yield buf

def prefix_sums(x):                         # F73 p120
    out = list(_prefixes(x))
    return sum(out[0])

class _Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
    def __call__(self, x):
        return x @ self.W + self.b
    def parameters(self):
        return [self.W, self.b]

def one_step_index(W, b, X, y):             # F75 p128
    m = _Linear(W * 1.0, b * 1.0)
    err = m(X) - y
    ps = m.parameters()
    ps[0] -= 0.5 * (X.T @ err / len(y))
    return np.mean((m(X) - y) ** 2)

def merged(a, b):                           # F83 p149
    d = {**{"u": a}, **{"v": b}}
    return np.sum(d["u"] * d["v"])

x3 = np.array([0.5, -1.2, 2.0]); x4 = np.array([0.5, -1.2, 2.0, 0.7])
S = np.array([[0.3, -0.4, 1.1], [0.9, 0.2, -0.5]])
Y = np.array([[0.1, 0.5, -0.3], [1.0, 0.2, 0.4]])
A = np.array([[0.1, 0.5, -0.3], [1.0, 0.2, 0.4], [0.3, -0.2, 0.0]])
A9 = np.array([[0.1, 0.5, -0.3], [1.0, 0.2, 0.4], [0.3, -0.2, 0.9]])
_rng = np.random.default_rng(0)
W = _rng.standard_normal((3, 2)); b = _rng.standard_normal(2); X = _rng.standard_normal((4, 3))
cases = [(chained_assign, (x3,), 0), (unpack_rows, (S,), 0), (split_views, (x4,), 0), (astype_nocopy, (x4,), 0),
         (list_copy_shares_arrays, (x3,), 0), (list_extend_alias, (x3,), 0), (list_insert_alias, (x3,), 0),
         (dict_update_alias, (x3,), 0), (dict_setdefault, (x3,), 0), (helper_identity_then_write, (x3,), 0),
         (helper_element_then_write, (x3,), 0), (hist_same_array, (x3,), 0), (dict_ior, ({"a": x3}, {"b": x3[::-1].copy()}), 0),
         (setfield_flat, (x3,), 0), (append_then_iadd, (x3,), 0), (dict_then_iadd, (x3,), 0), (tuple_then_setitem, (x3,), 0),
         (helper_returns_pair, (x3,), 0), (list_of_rows, (Y,), 0), (dict_zip_rows, (Y,), 0), (list_first_name_write, (x3,), 0),
         (helper_view_write, (x3,), 0), (reversed_list, (W, b, X), (0, 1)), (tuple_unpack_loop, (W, b, X), (0, 1)),
         (rows_of_slice, (A,), 0), (sgd_step_lists, (W, b, X), (0, 1)), (nested_helpers, (W, X), 0),
         (comp_copy, (x4,), 0), (concat_copy, (x4,), 0), (star_copy, (x4,), 0), (map_identity, (x4,), 0),
         (dict_comp_copy, (x4,), 0), (dict_copy_method, (x4,), 0), (list_copy_method, (x4,), 0),
         (center_columns, (A9,), 0), (enumerate_slice, (A9,), 0), (enum_zip, (A9, np.array([2.0, 3.0, 0.5])), (0, 1)),
         (sorted_items, (W, b, X), (0, 1)), (ternary_two_arrays, (x3,), 0), (ternary_in_tuple, (x3,), 0),
         (nested_unpack, (x3,), 0), (sg_write, (x3,), 0),
         (flip_view, (x4,), 0), (hsplit_views, (Y,), 0), (unstack_views, (Y,), 0), (reshape_target, (x4,), 0),
         (nt_field_write, (_P(W, b), X), 0), (nt_field_local_iadd, (_P(W, b), X), 0),
         (mlp_dict_of_dicts_values, ({"l1": {"W": W, "b": b}, "l2": {"W": W.T.copy(), "b": np.ones(3)}}, X), 0),
         (w_ascontig, (Y,), 0), (solve_overwrite_b, (1.3, np.array([0.5, -1.0])), (0, 1)),
         (prefix_sums, (x3,), 0),
         (one_step_index, (W, b, X, X @ W * 0.5 + 0.1), (0, 1)),
         (merged, (np.array([1.0, 2.0]), np.array([3.0, 4.0])), (0, 1)),
         (l2_values, ({"a": {"W": np.array([1.0, 2.0]), "b": np.zeros(2)}, "b": {"W": np.array([3.0]), "b": 0.0}},), 0)]

def flat(g):
    if isinstance(g, dict):
        return np.concatenate([flat(g[k]) for k in sorted(g)])
    if isinstance(g, (list, tuple)):
        return np.concatenate([flat(q) for q in g])
    return np.ravel(np.asarray(g, float))
