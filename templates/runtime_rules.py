"""Rules for the helpers that generated code calls, so generated code is differentiable too.

A generated gradient calls s2s.runtime (unbroadcast, init_grad, zeros_like,
add_grad, as_grad, copy_grad, add_at) and the shared helpers of the rule
modules (grad_reduce, grad_reshape, matmul_grad_x/y, dot_grad_x/y,
tangent_like). Each has a reverse (``@adjoint``) and a forward
(``@tangent``) rule here, which is what grad(grad(f)), jvp(grad(f)) and
hvp run on. All of them are linear in their gradient argument; the other
arguments only give shapes, except the matmul/dot helpers, which are
bilinear.

The stack pushes and pops of generated loops (``stack.append(x)``,
``x = stack.pop()``) need no rule: forward mode mirrors them on a tangent
stack (see s2s/forward.py).
"""
import numpy as np

from s2s import runtime, runtime_writes
from s2s.registry import adjoint, array_valued, d, nondifferentiable, tangent, zero_if
from s2s.lowered_calls import scatter_add
from s2s.runtime import add_at, add_grad, as_grad, copy_deep, copy_grad, copy_value, get_item, init_grad, unbroadcast
from s2s.rule_helpers import (dtype_grad, grad_reduce, grad_reshape, power_slope, power_slope_dy, real_sign, reduced_count,
                              number_array, rule_grad, safe_div, tangent_like)
from .numpy_core import dot_grad_x, dot_grad_y
from .operators import matmul_grad_x, matmul_grad_y
from .structures import (block_grad, block_tangent, grad_builtin_sum, grad_stack, grad_to_sequence, index_concat_grads,
                         index_concat_tangent)


def grad_like(g, x):
    """``g`` summed (or broadcast) to the structure and shape of ``x``."""
    if isinstance(x, (list, tuple)):
        gs = g if isinstance(g, (list, tuple)) else [g] * len(x)
        return type(x)(grad_like(a, b) for a, b in zip(gs, x))
    if isinstance(x, dict):
        return {k: grad_like(g[k], v) for k, v in x.items()}
    return unbroadcast(g, x)


def list_grad_back(dz, g):
    """The gradient of copy_grad_list's ``g`` from that of its list of rows: rows stacked back into
    an array ``g``, summed for a scalar ``g`` (each element was that number), elementwise for a list."""
    if isinstance(g, (list, tuple)):
        return grad_like(dz, g)
    if np.ndim(g) == 0:
        return unbroadcast(sum(np.sum(e) for e in dz), g) if len(dz) else unbroadcast(0.0, g)
    return unbroadcast(np.stack([np.asarray(e) for e in dz]).reshape(np.shape(g)), g)


def scatter_grad(g, x, index):
    """The gradient of ``x[index]`` spread back to x: zeros with ``g`` added at ``index``."""
    out = runtime.zeros_like(x)
    return runtime.add_at(out, index, g)


# literal-zero folding for the forward pass (see s2s/forward.py): linear in argument 0
# Forward mode: when a call of a generated-code helper is zero because its arguments are (registry.zero_if).
zero_if(unbroadcast, as_grad, copy_grad, rule_grad, number_array, grad_reduce, grad_reshape, tangent_like, runtime.GradList, runtime.GradDict,
        grad_like, scatter_grad, grad_to_sequence, grad_builtin_sum, grad_stack, get_item, copy_value, copy_deep,
        runtime_writes.cast_grad, runtime_writes.merged_grad, any_of=(0,))
zero_if(init_grad, any_of=(1,))
zero_if(add_at, all_of=(2,), keeps=0)
zero_if(add_grad, all_of=(0, 1))
zero_if(scatter_add, all_of=(0, 2))
zero_if(matmul_grad_x, dot_grad_x, any_of=(0, 2))
zero_if(matmul_grad_y, dot_grad_y, any_of=(0, 1))

nondifferentiable(runtime.zeros_like)
nondifferentiable(runtime.shape_of)   # a saved shape (for unbroadcast) carries no derivative
nondifferentiable(reduced_count)      # how many elements a reduction averaged: an integer


# ---------------------------------------------------------------- s2s.runtime
@adjoint(unbroadcast, constant=('x',))
def unbroadcast_adj(z, g, x): d[g] = unbroadcast(d[z], g)
@tangent(unbroadcast, constant=('x',))
def unbroadcast_fwd(z, g, x): d[z] = unbroadcast(d[g], x)

@adjoint(init_grad, constant=('z',))
def init_grad_adj(r, z, dz): d[dz] = grad_like(d[r], dz)
@tangent(init_grad, constant=('z',))
def init_grad_fwd(r, z, dz): d[r] = init_grad(z, d[dz])

@adjoint(add_grad)
def add_grad_adj(z, a, b):
    d[a] = grad_like(d[z], a)
    d[b] = grad_like(d[z], b)
@tangent(add_grad)
def add_grad_fwd(z, a, b): d[z] = add_grad(d[a], d[b])

@adjoint(as_grad, constant=('x',))
def as_grad_adj(z, g, x): d[g] = grad_like(d[z], g)
@tangent(as_grad, constant=('x',))
def as_grad_fwd(z, g, x): d[z] = as_grad(d[g], x)

@adjoint(number_array)
def number_array_adj(z, t): d[t] = grad_to_sequence(d[z], t)
@tangent(number_array)
def number_array_fwd(z, t): d[z] = number_array(d[t])

@adjoint(rule_grad, constant=("x", "rule", "param"))
def rule_grad_adj(z, g, x, rule, param): d[g] = rule_grad(d[z], x, rule, param)
@tangent(rule_grad, constant=("x", "rule", "param"))
def rule_grad_fwd(z, g, x, rule, param): d[z] = rule_grad(d[g], x, rule, param)

@adjoint(copy_grad)
def copy_grad_adj(z, g): d[g] = d[z]
@tangent(copy_grad)
def copy_grad_fwd(z, g): d[z] = copy_grad(d[g])
@adjoint(runtime_writes.merged_grad, constant=("part", "later"))
def merged_grad_adj(z, g, part, later): d[g] = runtime_writes.merged_grad_back(d[z], g, part, later)
@tangent(runtime_writes.merged_grad, constant=("part", "later"))
def merged_grad_fwd(z, g, part, later): d[z] = runtime_writes.merged_grad(d[g], part, later)
@adjoint(runtime_writes.merged_grad_back, constant=("g", "part", "later"))
def merged_grad_back_adj(z, dz, g, part, later): d[dz] = runtime_writes.merged_grad(d[z], part, later)
@tangent(runtime_writes.merged_grad_back, constant=("g", "part", "later"))
def merged_grad_back_fwd(z, dz, g, part, later): d[z] = runtime_writes.merged_grad_back(d[dz], g, part, later)
@adjoint(runtime_writes.cast_grad, constant=("arr",))
def cast_grad_adj(z, g, arr): d[g] = runtime_writes.cast_grad(d[z], arr)
@tangent(runtime_writes.cast_grad, constant=("arr",))
def cast_grad_fwd(z, g, arr): d[z] = runtime_writes.cast_grad(d[g], arr)
@adjoint(runtime.written_part, constant=("index",))
def written_part_adj(z, g, index): d[g] = runtime.written_part_back(d[z], g, index)
@tangent(runtime.written_part, constant=("index",))
def written_part_fwd(z, g, index): d[z] = runtime.written_part(d[g], index)
@adjoint(runtime.written_part_back, constant=("g", "index"))
def written_part_back_adj(z, dz, g, index): d[dz] = runtime.written_part(d[z], index)
@tangent(runtime.written_part_back, constant=("g", "index"))
def written_part_back_fwd(z, dz, g, index): d[z] = runtime.written_part_back(d[dz], g, index)
# the adjoint of a list the backward sweep pops from
@adjoint(runtime.copy_grad_list, constant=("x",))
def copy_grad_list_adj(z, g, x): d[g] = list_grad_back(d[z], g)
@tangent(runtime.copy_grad_list, constant=("x",))
def copy_grad_list_fwd(z, g, x): d[z] = runtime.copy_grad_list(d[g], x)
nondifferentiable(runtime.zero_grad)   # the gradient of an argument nothing flows to

@adjoint(add_at)
def add_at_adj(z, g, index, v):
    d[g] = d[z]
    d[v] = grad_like(d[z][index], v)
@tangent(add_at)
def add_at_fwd(z, g, index, v): d[z] = add_at(d[g], index, d[v])

@adjoint(scatter_add)   # np.add.at(a, index, v), lowered by s2s/lowered_calls.py
def scatter_add_adj(z, a, index, v):
    d[a] = grad_like(d[z], a)
    d[v] = grad_like(d[z][index], v)
@tangent(scatter_add)
def scatter_add_fwd(z, a, index, v): d[z] = scatter_add(d[a], index, d[v], a)

@adjoint(get_item)
def get_item_adj(z, x, index): d[x] = scatter_grad(d[z], x, index)
@tangent(get_item)
def get_item_fwd(z, x, index): d[z] = get_item(d[x], index)

@tangent(copy_value)   # its adjoint is in structures.py
def copy_value_fwd(z, x): d[z] = copy_value(d[x])
@tangent(copy_deep)    # its adjoint is in structures.py
def copy_deep_fwd(z, x): d[z] = copy_deep(d[x])

# GradList / GradDict: a list / dict of gradients (``+`` adds elementwise); built by the gradient helpers
@adjoint(runtime.GradList)
def grad_list_adj(z, iterable=()): d[iterable] = d[z]
@tangent(runtime.GradList)
def grad_list_fwd(z, iterable=()): d[z] = runtime.GradList(d[iterable])
@adjoint(runtime.GradDict)
def grad_dict_adj(z, mapping=()): d[mapping] = d[z]
@tangent(runtime.GradDict)
def grad_dict_fwd(z, mapping=()): d[z] = runtime.GradDict(d[mapping])

@adjoint(grad_like, constant=('x',))
def grad_like_adj(z, g, x): d[g] = grad_like(d[z], g)
@tangent(grad_like, constant=('x',))
def grad_like_fwd(z, g, x): d[z] = grad_like(d[g], x)


# ---------------------------------------------------------------- shared helpers of the rule modules
@adjoint(grad_reduce, constant=('x',))
def grad_reduce_adj(z, g, x, axis=None, keepdims=False):
    d[g] = grad_like(np.sum(d[z], axis=axis, keepdims=keepdims), g)
@tangent(grad_reduce, constant=('x',))
def grad_reduce_fwd(z, g, x, axis=None, keepdims=False): d[z] = grad_reduce(d[g], x, axis, keepdims)

@adjoint(dtype_grad, constant=('dtype',))
def dtype_grad_adj(z, g, dtype): d[g] = dtype_grad(d[z], dtype)
@tangent(dtype_grad, constant=('dtype',))
def dtype_grad_fwd(z, g, dtype): d[z] = dtype_grad(d[g], dtype)

@adjoint(grad_reshape, constant=('x',))
def grad_reshape_adj(z, g, x): d[g] = np.reshape(d[z], np.shape(g))
@tangent(grad_reshape, constant=('x',))
def grad_reshape_fwd(z, g, x): d[z] = grad_reshape(d[g], x)

@adjoint(tangent_like, constant=('z',))
def tangent_like_adj(r, t, z): d[t] = unbroadcast(d[r], t)
@tangent(tangent_like, constant=('z',))
def tangent_like_fwd(r, t, z): d[r] = tangent_like(d[t], z)

# matmul_grad_x(g, x, y) = d<g, x @ y>/dx: linear in g and in y (x gives only a shape)
@adjoint(matmul_grad_x, constant=('x',))
def matmul_grad_x_adj(z, g, x, y):
    d[g] = unbroadcast(np.matmul(d[z], y), g)
    d[y] = matmul_grad_y(g, d[z], y)
@tangent(matmul_grad_x, constant=('x',))
def matmul_grad_x_fwd(z, g, x, y): d[z] = matmul_grad_x(d[g], x, y) + matmul_grad_x(g, x, d[y])

# matmul_grad_y(g, x, y) = d<g, x @ y>/dy: linear in g and in x
@adjoint(matmul_grad_y, constant=('y',))
def matmul_grad_y_adj(z, g, x, y):
    d[g] = unbroadcast(np.matmul(x, d[z]), g)
    d[x] = matmul_grad_x(g, x, d[z])
@tangent(matmul_grad_y, constant=('y',))
def matmul_grad_y_fwd(z, g, x, y): d[z] = matmul_grad_y(d[g], x, y) + matmul_grad_y(g, d[x], y)

@adjoint(dot_grad_x, constant=('x',))
def dot_grad_x_adj(z, g, x, y):
    d[g] = unbroadcast(np.dot(d[z], y), g)
    d[y] = dot_grad_y(g, d[z], y)
@tangent(dot_grad_x, constant=('x',))
def dot_grad_x_fwd(z, g, x, y): d[z] = dot_grad_x(d[g], x, y) + dot_grad_x(g, x, d[y])

@adjoint(dot_grad_y, constant=('y',))
def dot_grad_y_adj(z, g, x, y):
    d[g] = unbroadcast(np.dot(x, d[z]), g)
    d[x] = dot_grad_x(g, x, d[z])
@tangent(dot_grad_y, constant=('y',))
def dot_grad_y_fwd(z, g, x, y): d[z] = dot_grad_y(d[g], x, y) + dot_grad_y(g, d[x], y)

# structures.py: np.array(list) / list(x), sum(list), np.stack(list), all linear in g
@adjoint(grad_to_sequence, constant=('x',))
def grad_to_sequence_adj(z, g, x): d[g] = np.reshape(np.array(d[z], dtype=float), np.shape(g))
@tangent(grad_to_sequence, constant=('x',))
def grad_to_sequence_fwd(z, g, x): d[z] = grad_to_sequence(d[g], x)

@adjoint(grad_builtin_sum, constant=('x',))
def grad_builtin_sum_adj(z, g, x): d[g] = unbroadcast(sum(d[z]), g)
@tangent(grad_builtin_sum, constant=('x',))
def grad_builtin_sum_fwd(z, g, x): d[z] = grad_builtin_sum(d[g], x)

@adjoint(grad_stack, constant=('arrays',))
def grad_stack_adj(z, g, arrays, axis): d[g] = np.stack(d[z], axis)
@tangent(grad_stack, constant=('arrays',))
def grad_stack_fwd(z, g, arrays, axis): d[z] = grad_stack(d[g], arrays, axis)

# np.r_ / np.c_ (structures.py): both helpers are linear in the gradient (tangent); the items give only ids
@adjoint(index_concat_grads, constant=("maker", "items"))
def index_concat_grads_adj(z, g, maker, items): d[g] = index_concat_tangent(d[z], maker, items, g)
@tangent(index_concat_grads, constant=("maker", "items"))
def index_concat_grads_fwd(z, g, maker, items): d[z] = index_concat_grads(d[g], maker, items)
@adjoint(index_concat_tangent, constant=("maker", "items", "like_z"))
def index_concat_tangent_adj(z, ts, maker, items, like_z): d[ts] = index_concat_grads(d[z], maker, items)
@tangent(index_concat_tangent, constant=("maker", "items", "like_z"))
def index_concat_tangent_fwd(z, ts, maker, items, like_z): d[z] = index_concat_tangent(d[ts], maker, items, like_z)

# np.block (structures.py): the same, for nested lists of blocks
@adjoint(block_grad, constant=("arrays",))
def block_grad_adj(z, g, arrays): d[g] = block_tangent(d[z], arrays, g)
@tangent(block_grad, constant=("arrays",))
def block_grad_fwd(z, g, arrays): d[z] = block_grad(d[g], arrays)
@adjoint(block_tangent, constant=("arrays", "like_z"))
def block_tangent_adj(z, ts, arrays, like_z): d[ts] = block_grad(d[z], arrays)
@tangent(block_tangent, constant=("arrays", "like_z"))
def block_tangent_fwd(z, ts, arrays, like_z): d[z] = block_tangent(d[ts], arrays, like_z)

# gradient helpers that return arrays or numbers, never a GradList (registry.array_valued)
array_valued(runtime.unbroadcast, runtime.init_grad, grad_reduce, grad_reshape, safe_div, real_sign, power_slope,
             power_slope_dy)


# power_slope(x, y, k): the k-th derivative of x ** y in x (0 where its coefficient is 0), called by the power
# rules; its own derivatives (the next one in x, power_slope_dy in y) make hvp and Hessians of powers work.
@adjoint(power_slope, constant=("k",))
def power_slope_(z, x, y, k=1):
    d[x] = unbroadcast(d[z] * power_slope(x, y, k + 1), x)
    d[y] = unbroadcast(d[z] * power_slope_dy(x, y, k), y)
@tangent(power_slope, constant=("k",))
def power_slope_fwd(z, x, y, k=1):
    d[z] = tangent_like(d[x] * power_slope(x, y, k + 1) + d[y] * power_slope_dy(x, y, k), z)
