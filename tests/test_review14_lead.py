"""Review 14 findings fixed by the lead: each program is one a new user brought, checked against finite
differences in reverse, forward and hvp mode (tests/test_real_programs.py check_all)."""
import numpy as np
import pytest

from tests.test_real_programs import check_all

sp = pytest.importorskip("scipy.sparse")

N = 5
LAPLACIAN = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(N, N)).tocsr()
X = np.linspace(0.1, 1.0, N)


def laplacian_smooth(x):   # a constant scipy.sparse matrix times a vector, on either side (crashed: AxisError)
    return x @ (LAPLACIAN @ x) + np.sum((x @ LAPLACIAN) ** 2)


def every_entry(M):   # np.ndindex(M.shape) walked by a for loop (crashed: ndindex has no len)
    total = 0.0
    for idx in np.ndindex(M.shape):
        total = total + M[idx] ** 2 * (1.0 + idx[0])
    return total


def sorted_plus_item(x):   # sorted(x) of an array, then an array read (crashed: GradList meets an array)
    s = sorted(x)
    return sum(s) * s[-1] + x[0] ** 2


@pytest.mark.parametrize("f, x", [(laplacian_smooth, X), (every_entry, X[:4].reshape(2, 2)),
                                  (sorted_plus_item, np.array([0.3, -0.8, 1.3]))],
                         ids=["sparse", "ndindex", "sorted"])
def test_review14_programs(f, x):
    check_all(f, x)


def l_model_forward(W, X):   # Andrew Ng's course: the activations kept in a list of caches, returned
    caches = []
    A = X
    for _ in range(2):
        A_prev = A
        A = np.tanh(W @ A_prev)
        caches.append(A)
    return A, caches


def l_model_cost(W, X):
    AL, caches = l_model_forward(W, X)
    return np.sum(AL ** 2) + 0.1 * np.sum(caches[0])


def test_helper_returning_a_list_of_new_arrays_does_not_change_its_argument():
    """The list appends arrays made in the helper (A = np.tanh(...)), never X: not refused as a change of X."""
    check_all(l_model_cost, np.eye(3) * 0.5 + 0.1, np.ones((3, 2)))


def holds_its_argument(W, X):
    caches = []
    A = X
    caches.append(A)   # the caller gets X back inside the list
    return np.tanh(W @ A), caches


def changes_it_through_the_list(W, X):
    X = X * 1.0
    out, caches = holds_its_argument(W, X)
    caches[0] *= 3.0
    return np.sum(out) + np.sum(X * W)


def test_a_list_holding_the_argument_is_still_followed():
    import s2s
    W, X = np.eye(2) * 0.5, np.ones((2, 2))
    try:
        g = s2s.grad(changes_it_through_the_list)(W, X)
    except s2s.DifferentiationError:
        return   # refused: fine
    eps = 1e-6
    fd = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = eps
        fd[idx] = (changes_it_through_the_list(W + E, X) - changes_it_through_the_list(W - E, X)) / (2 * eps)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- writes into a container made fresh before a loop
def functional_update(lr, w0):   # new = {} each step, filled by a loop, then params = new: never shared
    params = {"w": w0, "b": 0.0}
    for _ in range(2):
        g = {"w": params["w"] * 2, "b": params["b"] + 1}
        new = {}
        for k in params:
            new[k] = params[k] - lr * g[k]
        params = new
    return np.sum(params["w"] ** 2) + params["b"] ** 2


class Adam:   # a textbook Adam: state dicts on self, returns a new params dict
    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.m = {}
        self.v = {}
        self.t = 0

    def step(self, params, g):
        self.t += 1
        new = {}
        for k in params:
            if k not in self.m:
                self.m[k] = np.zeros_like(params[k])
                self.v[k] = np.zeros_like(params[k])
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g[k] ** 2
            mhat = self.m[k] / (1 - self.beta1 ** self.t)
            vhat = self.v[k] / (1 - self.beta2 ** self.t)
            new[k] = params[k] - self.lr * mhat / (np.sqrt(vhat) + self.eps)
        return new


_r = np.random.default_rng(0)
XA, YA = _r.standard_normal((8, 3)), _r.standard_normal(8)


def adam_validation(lr, w0):   # a hyper-gradient through three Adam steps
    params = {"w": w0, "b": 0.0}
    opt = Adam(lr)
    for _ in range(3):
        r = XA @ params["w"] + params["b"] - YA
        params = opt.step(params, {"w": XA.T @ r / len(YA), "b": np.mean(r)})
    return np.mean((XA @ params["w"] + params["b"] - YA) ** 2)


class Conv1D:   # a layer filling a fresh output buffer row by row
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        n = x.shape[0] - self.w.shape[0] + 1
        out = np.zeros(n)
        for i in range(n):
            out[i] = np.sum(x[i:i + self.w.shape[0]] * self.w)
        return out


class Tanh:
    def forward(self, x):
        return np.tanh(x)


def conv_net(w, X):
    layers = [Conv1D(w), Tanh()]
    h = X
    for layer in layers:
        h = layer.forward(h)
    return np.sum(h ** 2)


@pytest.mark.parametrize("f, args", [(functional_update, (0.1, np.array([0.3, -0.5]))),
                                     (adam_validation, (0.05, np.array([0.2, -0.1, 0.4]))),
                                     (conv_net, (np.array([0.5, -0.3]), np.array([0.3, 1.0, -0.5, 0.8])))],
                         ids=["functional_update", "adam", "conv"])
def test_fresh_containers_filled_in_loops(f, args):
    """Refused before as writing into a variable that may share memory with another (`new` and `params`
    alias flow-insensitively; the write happens after `new = {}` made it fresh in that step)."""
    check_all(f, *args)


def shares_in_the_loop(x):   # the write happens after another name took the array: still refused or right
    out = np.zeros(3)
    keep = []
    for i in range(3):
        keep.append(out)
        out[i] = x[i] * 2.0
    return np.sum(keep[0] * x)


def test_a_container_leaked_in_the_loop_is_not_taken_for_fresh():
    _right_or_refused(shares_in_the_loop, np.array([0.3, -0.2, 0.5]))


# ---------------------------------------------------------------- functions held in module globals
import functools  # noqa: E402


def weighted_loss(w, X, y, reg=0.1, p=2):
    return np.sum(np.abs(X @ w - y) ** p) + reg * np.sum(w ** 2)


PARTIAL_LOSS = functools.partial(weighted_loss, reg=0.7, p=3)
RELU = functools.partial(np.maximum, 0.0)
SQUARE_ALL = np.vectorize(lambda t: t * t * 1.5)
_g = np.random.default_rng(1)
XP, YP = _g.standard_normal((5, 3)), _g.standard_normal(5)


def uses_global_partial(w):
    return PARTIAL_LOSS(w, XP, YP) + 0.5 * np.sum(RELU(w) ** 2)


def uses_global_vectorize(w):
    return np.sum(SQUARE_ALL(w) * w)


@pytest.mark.parametrize("f", [uses_global_partial, uses_global_vectorize])
def test_partials_and_vectorize_objects_held_in_globals(f):
    check_all(f, np.array([0.4, -0.3, 0.9]))


def softmax_inplace(z, axis=-1):   # rebinds its parameter to a new array, then works on it in place
    z = z - z.max(axis=axis, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=axis, keepdims=True)
    return z


def softmax_loss(x):
    return np.sum(softmax_inplace(np.outer(x, x)) * np.arange(9.0).reshape(3, 3))


def writes_then_rebinds(z):   # the write comes first: the caller's array changes (refused or followed)
    z[0] = z[0] * 2.0
    z = z * 3.0
    return z


def writes_first_loss(x):
    y = x * 1.0
    out = writes_then_rebinds(y)
    return np.sum(out) + np.sum(y * x)


def test_helper_rebinding_its_parameter_first_does_not_change_it():
    check_all(softmax_loss, np.array([0.31, -0.83, 1.37]))


def test_helper_writing_before_rebinding_still_changes_it():
    _right_or_refused(writes_first_loss, np.array([0.3, -0.2, 0.5]))


def penalty(*ws, scale=1.0, **kw):   # wrt into *ws of a function with **kwargs (raised a bare ValueError)
    return scale * sum(np.sum(w ** 2) for w in ws) * kw.get("extra", 1.0)


def test_wrt_into_star_args_with_kwargs():
    import s2s
    a, b = np.array([0.3, -0.2]), np.array([0.5, 0.1, -0.4])
    ga, gb = s2s.grad(penalty, wrt=[0, 1])(a, b, scale=0.5, extra=2.0)
    np.testing.assert_allclose(ga, 2.0 * a)
    np.testing.assert_allclose(gb, 2.0 * b)
    assert s2s.jvp(penalty, wrt=[0])(a, b, np.ones(2), scale=0.5, extra=2.0) == pytest.approx(2.0 * np.sum(a))
    value, back = s2s.vjp(penalty, wrt=[1])(a, b, extra=3.0)
    np.testing.assert_allclose(back(1.0), 6.0 * b)


class Linear:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return x @ self.W


class MLP:
    def __init__(self, Ws):
        self.layers = [Linear(W) for W in Ws]

    def __call__(self, x):
        for layer in self.layers:
            x = np.tanh(layer(x))
        return x


def model_loss(model, X):
    return np.sum(model(X) ** 2)


def loss_through_helper(X, model):   # the model object passed on to a helper that calls it
    return model_loss(model, X) + np.sum(X ** 3)


def test_callable_model_called_in_a_helper_hvp():
    rng = np.random.default_rng(0)
    model = MLP([rng.standard_normal((3, 3)) * 0.5, rng.standard_normal((3, 3)) * 0.5])
    check_all(loss_through_helper, rng.standard_normal((4, 3)), model)


def _pair(a):
    return a, a


def pair_aliases(x):   # a and b are the same array (h): a += x changes b, in the primal and the gradient
    h = x * 1.0
    a, b = _pair(h)
    a += x
    return np.sum(b * x) + np.sum(x ** 2)


def test_items_of_a_local_tuple_keep_their_sharing():
    """state_reads copied `t[0]` and `t[1]` of a helper's returned tuple (taken for a global container's
    items), so `a += x` no longer changed `b`: a wrong value and gradient (tests/alias_variants.py)."""
    import s2s
    x = np.array([0.3, -0.5, 1.2])
    try:
        g = s2s.grad(pair_aliases)(x)
    except s2s.DifferentiationError:
        return
    eps = 1e-6
    fd = np.array([(pair_aliases(x + eps * e) - pair_aliases(x - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def diag_times_zero(x):   # the gradient reaching np.diag is the number 0.0 (crashed: diag of a number)
    K = np.outer(x, x) + np.diag(x ** 2) * 0.0
    return np.sum(K)


def test_diag_with_a_folded_zero_gradient():
    check_all(diag_times_zero, np.array([1.0, 2.0, 0.5]))


def _right_or_refused(f, x):
    """s2s.grad(f)(x) agrees with central differences, or s2s refuses f (never a wrong number)."""
    import s2s
    try:
        g = s2s.grad(f)(x)
    except s2s.DifferentiationError:
        return
    eps = 1e-6
    fd = np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
