"""The same workloads differentiated by the peers: autograd, JAX, PyTorch.

Each peer runs the *same source* as ``workloads.py`` (the functions' text
is executed again with ``np`` and ``math`` bound to the peer's array
module), so every tool differentiates the same computation. JAX gets
``lax.fori_loop`` ports of the two 1000-step loops (see ``_jax_ports``). Everything here is optional: a peer that is not
installed is reported as such, and nothing outside benchmarks/ imports it.

``make(peer)`` returns ``{workload: (grad_fn, convert)}`` where
``convert(args)`` turns the NumPy inputs into the peer's own (done once,
outside the timed region) and ``grad_fn(*converted)`` computes the
gradients for the workload's ``wrt``, returning NumPy-convertible values.
"""
import inspect
import math
import types

import numpy as np

from . import workloads as W

NAMES = {"scalar_loop": "scalar_loop", "logreg": "logreg_loss", "mlp": "mlp_loss",
         "rnn": "rnn_loss", "inplace": "inplace_loop"}


def _rebind(fn_name, np_mod, math_mod):
    """Execute the workload's own source with ``np``/``math`` replaced."""
    src = inspect.getsource(getattr(W, fn_name))
    ns = {"np": np_mod, "math": math_mod, "stop_gradient": lambda x: x}
    exec(compile(src, f"<{fn_name} for a peer>", "exec"), ns)
    return ns[fn_name]


# ---------------------------------------------------------------- autograd
def _autograd():
    import autograd
    import autograd.numpy as anp

    mathmod = types.SimpleNamespace(sin=anp.sin, cos=anp.cos, exp=anp.exp, log=anp.log, tanh=anp.tanh)
    out = {}
    for key, wrt in _WRT.items():
        f = _rebind(NAMES[key], anp, mathmod)
        g = autograd.grad(f, argnum=wrt if len(wrt) > 1 else wrt[0])
        out[key] = (g, lambda args: args)
    return out


# ---------------------------------------------------------------- JAX
def _jax(jit):
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)   # float64, like the NumPy code

    ports = _jax_ports(jax, jnp)
    out = {}
    for key, wrt in _WRT.items():
        f = ports[key] if key in ports else _rebind(NAMES[key], jnp, jnp)
        g = jax.grad(f, argnums=wrt if len(wrt) > 1 else wrt[0])
        if jit:
            g = jax.jit(g)
        out[key] = (_blocking(g, jax), lambda args, jnp=jnp: tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a
                                                                 for a in args))
    return out


def _jax_ports(jax, jnp):
    """JAX versions of the two 1000-step scalar loops, written with lax.fori_loop.

    Run as the same Python source, JAX is pathological there (measured
    once on the benchmark machine: the scalar loop's gradient took 9.5 s a
    call eager and 96 s to compile under jit; the in-place loop, rewritten
    with ``.at[i].set``, 16 s eager and 204 s to compile), so these ports
    are what a JAX user writes. The RNN's 50-step loop runs as written.
    """
    lax = jax.lax

    def scalar_loop(x, a):
        def step(i, y):
            u = jnp.sin(x * y)
            v = jnp.tanh(y) * 0.5
            return y * 0.9 + u * 0.1 + jnp.exp(-v * v) * 0.01
        return lax.fori_loop(0, 1000, step, a)

    def inplace_loop(x):
        def step(i, y):
            return y.at[i].set(0.9 * y[i - 1] + jnp.sin(x[i]))
        y = jnp.zeros_like(x).at[0].set(x[0])
        y = lax.fori_loop(1, x.shape[0], step, y)
        return jnp.sum(y * y)

    return {"scalar_loop": scalar_loop, "inplace": inplace_loop}


def _blocking(g, jax):
    def run(*args):
        return jax.block_until_ready(g(*args))
    return run


# ---------------------------------------------------------------- PyTorch
class _TorchNP:
    """The NumPy names the workloads use, on torch tensors."""

    def __init__(self, torch):
        self.torch = torch
        for n in ("tanh", "exp", "log", "sin", "cos", "zeros_like"):
            setattr(self, n, getattr(torch, n))

    def sum(self, x, axis=None, keepdims=False):
        return self.torch.sum(x) if axis is None else self.torch.sum(x, dim=axis, keepdim=keepdims)

    def mean(self, x, axis=None, keepdims=False):
        return self.torch.mean(x) if axis is None else self.torch.mean(x, dim=axis, keepdim=keepdims)

    def max(self, x, axis=None, keepdims=False):
        return self.torch.amax(x) if axis is None else self.torch.amax(x, dim=axis, keepdim=keepdims)


def _torch():
    import torch
    tnp = _TorchNP(torch)
    out = {}
    for key, wrt in _WRT.items():
        f = _rebind(NAMES[key], tnp, tnp)

        def grad_fn(*args, f=f, wrt=wrt):
            loss = f(*args)
            gs = torch.autograd.grad(loss, [args[i] for i in wrt])
            return gs[0] if len(gs) == 1 else tuple(gs)

        def convert(args, wrt=wrt):
            conv = []
            for i, a in enumerate(args):
                t = torch.tensor(a, dtype=torch.float64)
                if i in wrt:
                    t.requires_grad_(True)
                conv.append(t)
            return tuple(conv)

        out[key] = (grad_fn, convert)
    return out


_WRT = {k: v for k, v in W.WRT.items() if k in NAMES}   # the helper workloads are s2s-only

PEERS = {
    "autograd": _autograd,
    "jax": lambda: _jax(False),
    "jax.jit": lambda: _jax(True),
    "torch": _torch,
}


def make(peer):
    return PEERS[peer]()


def to_numpy(g):
    if isinstance(g, (tuple, list)):
        return tuple(to_numpy(e) for e in g)
    if hasattr(g, "detach"):
        g = g.detach()
    return np.asarray(g, dtype=np.float64)
