"""numba implementations of the helpers generated code calls (``backend="numba"``), and numba's type
inference run alone (the types of a function's variables, no machine code)."""
import threading

import numpy as np

from .. import rule_helpers, runtime

_lock = threading.RLock()

_RUNTIME = ("unbroadcast", "shape_of", "init_grad", "as_grad", "zeros_like", "zero_grad", "copy_grad", "add_grad",
            "broadcast_shape")
_RULE_HELPERS = ("grad_reduce", "reduced_count", "real_only", "real_sign", "safe_div", "power_slope")
RUNTIME_NAMES = {}
RUNTIME_OBJECTS = {}
for _n in _RUNTIME:
    RUNTIME_NAMES[id(getattr(runtime, _n))] = _n
    RUNTIME_OBJECTS[id(getattr(runtime, _n))] = getattr(runtime, _n)
for _n in _RULE_HELPERS:
    RUNTIME_NAMES[id(getattr(rule_helpers, _n))] = _n
    RUNTIME_OBJECTS[id(getattr(rule_helpers, _n))] = getattr(rule_helpers, _n)

_HELPERS = {}


def version_of(obj):
    """The function numba-compiled code calls in place of s2s's helper ``obj``, or None (no numba version)."""
    stub = helpers().get(RUNTIME_NAMES.get(id(obj)))
    if stub is not None and RUNTIME_OBJECTS.get(id(obj)) is obj:
        return stub
    from .numba_templates import TABLE
    key = (getattr(obj, "__module__", None), getattr(obj, "__qualname__", None))
    if key in TABLE and callable(obj):
        return helpers()[key[1]]
    return None


def is_own(obj):
    """Whether ``obj`` is a function of s2s's own (a runtime or rule helper), not the user's."""
    mod = getattr(obj, "__module__", None) or ""
    return callable(obj) and (mod == "s2s" or mod.startswith("s2s.")) and not getattr(obj, "s2s_generated", False)


def helpers():
    """{name: the function numba-compiled code calls in place of s2s's helper of that name}."""
    if not _HELPERS:
        register()
    return _HELPERS


def register():
    """numba implementations of the runtime helpers generated code calls (numbers and arrays)."""
    with _lock:
        if _HELPERS:
            return
        import numba
        from numba.core import types as nt
        from numba.extending import overload

        @numba.njit(cache=False)
        def grow_tape(tape):
            new = np.empty(2 * len(tape) + 16, tape.dtype)
            new[:len(tape)] = tape
            return new

        from . import numba_templates
        stubs = {}
        extra = {key[1]: params for key, params in numba_templates.TABLE.items()}
        extra["copy_value"] = "v"
        for name in _RUNTIME + _RULE_HELPERS + tuple(extra):
            params = extra.get(name) or {
                      "grad_reduce": "g, x, axis=None, keepdims=False", "reduced_count": "x, axis=None",
                      "unbroadcast": "g, x", "init_grad": "z, dz", "as_grad": "g, x", "add_grad": "a, b",
                      "broadcast_shape": "a, b, c=None", "real_only": "g, x", "safe_div": "a, b",
                      "power_slope": "x, y, k=1"}.get(
                name, "x")
            ns = {}
            exec(f"def {name}({params}):\n    raise NotImplementedError\n", ns)
            stubs[name] = ns[name]

        def scalar(t):
            return isinstance(t, (nt.Number, nt.Boolean))

        def array(t):
            return isinstance(t, nt.Array)

        @numba.njit(cache=False)
        def sum_to(g, xs):
            """g summed over the axes where the shape xs (len <= g.ndim) is 1 or missing."""
            gs = g.shape
            off = len(gs) - len(xs)
            out = np.zeros(xs, g.dtype).ravel()
            flat = np.ascontiguousarray(g).ravel()
            for k in range(flat.size):
                rem, tgt, mul = k, 0, 1
                for d in range(len(gs) - 1, -1, -1):
                    i = rem % gs[d]
                    rem //= gs[d]
                    if d >= off:
                        if xs[d - off] != 1:
                            tgt += i * mul
                        mul *= xs[d - off]
                out[tgt] += flat[k]
            return out.reshape(xs)

        @overload(stubs["unbroadcast"], jit_options={"cache": False})
        def _unbroadcast(g, x):
            if scalar(x) and scalar(g):
                return lambda g, x: g
            if scalar(x) and array(g):
                return lambda g, x: g.sum()
            if array(x) and scalar(g):
                return lambda g, x: np.full(x.shape, g)
            if array(x) and array(g) and g.ndim >= x.ndim:
                def impl(g, x):
                    if g.shape == x.shape:
                        return np.ascontiguousarray(g)
                    return sum_to(g, x.shape)
                return impl
            if array(x) and array(g):
                return lambda g, x: np.ascontiguousarray(np.broadcast_to(g, x.shape))

        @overload(stubs["broadcast_shape"], jit_options={"cache": False})
        def _broadcast_shape(a, b, c=None):   # a value of the broadcast shape, as unbroadcast takes it
            if not (c is None or isinstance(c, (nt.NoneType, nt.Omitted))):
                return None
            if scalar(a) and scalar(b):
                return lambda a, b, c=None: 0.0
            if (scalar(a) or array(a)) and (scalar(b) or array(b)):
                return lambda a, b, c=None: np.empty(np.broadcast_shapes(np.shape(a), np.shape(b)))

        @overload(stubs["shape_of"], jit_options={"cache": False})
        def _shape_of(x):
            return lambda x: x

        @overload(stubs["init_grad"], jit_options={"cache": False})
        def _init_grad(z, dz):
            if scalar(z) and scalar(dz):
                return lambda z, dz: dz
            if array(z) and scalar(dz):
                return lambda z, dz: np.full(z.shape, dz)
            if array(z) and array(dz):
                return lambda z, dz: dz

        @overload(stubs["as_grad"], jit_options={"cache": False})
        def _as_grad(g, x):
            if scalar(x) and scalar(g):
                return lambda g, x: float(g)
            if array(x) and array(g):
                return lambda g, x: g
            if array(x) and scalar(g):
                return lambda g, x: np.full(x.shape, g)

        def _zeros(x):
            if scalar(x):
                return lambda x: 0.0
            if array(x):
                if isinstance(x.dtype, nt.Float):
                    return lambda x: np.zeros(x.shape, x.dtype)
                return lambda x: np.zeros(x.shape)
        overload(stubs["zeros_like"], jit_options={"cache": False})(_zeros)
        overload(stubs["zero_grad"], jit_options={"cache": False})(_zeros)

        @overload(stubs["copy_grad"], jit_options={"cache": False})
        def _copy_grad(x):
            if scalar(x):
                return lambda x: x
            if array(x):
                return lambda x: x.copy()

        @overload(stubs["add_grad"], jit_options={"cache": False})
        def _add_grad(a, b):
            if (scalar(a) or array(a)) and (scalar(b) or array(b)):
                return lambda a, b: a + b

        @overload(stubs["grad_reduce"], jit_options={"cache": False})
        def _grad_reduce(g, x, axis=None, keepdims=False):
            if not (axis is None or isinstance(axis, (nt.NoneType, nt.Omitted))):
                return None
            if scalar(x):
                return lambda g, x, axis=None, keepdims=False: g
            if array(x) and scalar(g):
                return lambda g, x, axis=None, keepdims=False: np.full(x.shape, g)

        @overload(stubs["grad_reduce"], jit_options={"cache": False})
        def _grad_reduce_axis(g, x, axis=None, keepdims=False):   # a matrix reduced over one integer axis
            if not (isinstance(axis, nt.Integer) and array(x) and x.ndim == 2 and array(g)
                    and (g.ndim == 1 and (keepdims is None or isinstance(keepdims, (nt.Omitted, nt.Boolean)))
                         or g.ndim == 2)):
                return None
            dt = x.dtype if isinstance(x.dtype, nt.Float) else g.dtype

            def impl(g, x, axis=None, keepdims=False):   # g: the reduced values (keepdims=True: 2-d)
                n, m = x.shape
                ax = axis % 2
                out = np.empty((n, m), dt)
                for i in range(n):
                    for j in range(m):
                        out[i, j] = g[j] if ax == 0 else g[i]
                return out

            def impl_kept(g, x, axis=None, keepdims=False):
                n, m = x.shape
                ax = axis % 2
                out = np.empty((n, m), dt)
                for i in range(n):
                    for j in range(m):
                        out[i, j] = g[0, j] if ax == 0 else g[i, 0]
                return out
            return impl if g.ndim == 1 else impl_kept

        @overload(stubs["reduced_count"], jit_options={"cache": False})
        def _reduced_count(x, axis=None):
            if not (axis is None or isinstance(axis, (nt.NoneType, nt.Omitted))):
                return None
            if scalar(x):
                return lambda x, axis=None: 1
            if array(x):
                return lambda x, axis=None: max(x.size, 1)

        @overload(stubs["real_only"], jit_options={"cache": False})
        def _real_only(g, x):   # complex arguments are refused before compiling
            return lambda g, x: g

        @overload(stubs["real_sign"], jit_options={"cache": False})
        def _real_sign(x):
            if scalar(x) or array(x):
                return lambda x: np.sign(x)

        @overload(stubs["safe_div"], jit_options={"cache": False})
        def _safe_div(a, b):
            if scalar(a) and scalar(b):
                return lambda a, b: 0.0 if b == 0 else a / b
            if (scalar(a) or array(a)) and (scalar(b) or array(b)):
                return lambda a, b: np.where(b == 0, 0.0, a / np.where(b == 0, 1.0, b))

        @overload(stubs["power_slope"], jit_options={"cache": False})
        def _power_slope(x, y, k=1):
            if scalar(x) and scalar(y):
                def impl(x, y, k=1):
                    coef = y
                    for j in range(1, k):
                        coef = coef * (y - j)
                    if coef == 0:
                        return 0.0
                    return coef * float(x) ** (y - k)
                return impl
            if array(x) and scalar(y):
                def impl_array(x, y, k=1):
                    coef = y
                    for j in range(1, k):
                        coef = coef * (y - j)
                    if coef == 0:
                        return np.zeros(x.shape)
                    return coef * np.power(x.astype(np.float64), y - k)
                return impl_array

        numba_templates.implement(stubs, numba)
        _HELPERS.update(stubs)
        _HELPERS["grow_tape"] = grow_tape


# ---------------------------------------------------------------- numba's type inference alone

_TYPE_ONLY = []


def infer(fn, argtypes):
    """numba's types of ``fn``'s variables for ``argtypes`` (type inference only, no machine code)."""
    from numba.core import compiler, typed_passes
    from numba.core.compiler_machinery import FunctionPass, PassManager, register_pass
    from numba.core.registry import cpu_target
    if not _TYPE_ONLY:
        @register_pass(mutates_CFG=False, analysis_only=True)
        class S2SCaptureTypes(FunctionPass):
            _name = "s2s_capture_types"

            def __init__(self):
                FunctionPass.__init__(self)

            def run_pass(self, state):
                state.cr = dict(state.typemap)
                return False

        class TypeOnly(compiler.CompilerBase):
            def define_pipelines(self):
                pm = PassManager("s2s_type_only")
                for p, d in compiler.DefaultPassBuilder.define_untyped_pipeline(self.state).passes:
                    pm.add_pass(p, d)
                pm.add_pass(typed_passes.NopythonTypeInference, "nopython frontend")
                pm.add_pass(S2SCaptureTypes, "s2s: capture the types")
                pm.finalize()
                return [pm]
        _TYPE_ONLY.append(TypeOnly)
    flags = compiler.Flags()
    flags.nrt = True
    return compiler.compile_extra(cpu_target.typing_context, cpu_target.target_context, fn, tuple(argtypes),
                                  None, flags, {}, pipeline_class=_TYPE_ONLY[0])
