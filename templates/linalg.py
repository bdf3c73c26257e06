"""Linear algebra: products (vdot, inner, outer, tensordot, einsum, kron,
cross, multi_dot, vecdot, matvec, convolve), np.linalg decompositions and
inverses (inv, det, slogdet, solve, cholesky, eigh, eigvalsh, svd, svdvals,
qr, pinv, matrix_power) and norms (norm, vector_norm, matrix_norm).

All matrix rules work on stacks of matrices (the last two axes). The
formulas are the standard ones (Giles 2008, "Collected matrix derivative
results"; Murray 2016 for Cholesky; Townsend 2016 for the SVD; Walter and
Lehmann 2018 for QR).

Functions that read one triangle only (cholesky, eigh, eigvalsh) get the
gradient of exactly what NumPy computes: nonzero on that triangle, so it
agrees with finite differences in every direction, and with the symmetric
gradient on every symmetric direction. Their forward rules likewise use
only that triangle of the tangent.

Where a gradient is undefined the rules say so instead of returning
numbers: svd/eigh with repeated singular values/eigenvalues give inf/nan
(as every AD system), svd with full_matrices=True on a non-square matrix
and qr(mode='complete') on a tall one raise when the arbitrary extra
columns receive gradient.
"""
import string

import numpy as np

from s2s.registry import adjoint, tangent, d, no_derivative
from s2s.runtime import GradList, unbroadcast
from s2s.rule_helpers import fill_zero, is_zero, like, real_only, refuse, safe_div, tangent_like
from .operators import matmul_grad_x, matmul_grad_y
from .reductions import norm_axes, reduce_tangent, trace_grad

# --- the cofactor matrix: det's gradient, without inverting (exact for singular matrices)
def _prod_except(s):
    """(p1, p2) for the last axis of s: p1[i] = prod of s[k] for k != i and p2[i, j] = prod of s[k]
    for k not in (i, j) (0 on the diagonal), by prefix and suffix products: no division, so zeros in s
    (a singular matrix) are exact."""
    one = np.ones_like(s[..., :1])
    pre = np.cumprod(np.concatenate([one, s[..., :-1]], axis=-1), axis=-1)                    # k < i
    suf = np.flip(np.cumprod(np.concatenate([one, np.flip(s, -1)[..., :-1]], axis=-1), axis=-1), -1)  # k > i
    n = np.shape(s)[-1]
    above = np.triu(np.ones((n, n), dtype=bool), 1)
    mid = np.cumprod(np.where(above, s[..., None, :], np.ones_like(s[..., None, :])), axis=-1)  # i < k <= j
    mid = np.concatenate([np.ones_like(mid[..., :1]), mid[..., :-1]], axis=-1)                # i < k < j
    upper = np.triu(pre[..., :, None] * mid * suf[..., None, :], 1)
    return pre * suf, upper + mT(upper)


def _cofactor_parts(a):
    """a = u diag(s) vh; sign = det(u) det(vh) (+-1)."""
    u, s, vh = np.linalg.svd(np.asarray(a))
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return u, s, vh, sign


def cofactor(a):
    """The cofactor matrix adj(a)^T, det's gradient: det(a) inv(a)^T for a nonsingular a, and exact for a
    singular one. adj(u s vh) = adj(vh) adj(s) adj(u), and adj of an orthogonal q is det(q) q^T, so
    cof(a) = det(u) det(vh) u diag(prod_{k != i} s_k) vh."""
    u, s, vh, sign = _cofactor_parts(a)
    p1, _ = _prod_except(s)
    return sign[..., None, None] * (u * p1[..., None, :]) @ vh


def _adj_diag_tangent(e, p2):
    """The derivative of adj(diag(s)) in the direction e: -e_ij p2_ij off the diagonal and
    sum_{k != i} e_kk p2_ik on it (p2 from _prod_except)."""
    diag = np.diagonal(e, axis1=-2, axis2=-1)
    on = np.einsum("...ik,...k->...i", p2, diag)
    return -e * p2 + on[..., :, None] * np.eye(np.shape(e)[-1])


def cofactor_tangent(t, a):
    """Tangent of cofactor(a): with a = u s vh, sign u D(u^T t vh^T)^T vh (D = _adj_diag_tangent)."""
    u, s, vh, sign = _cofactor_parts(a)
    _, p2 = _prod_except(s)
    e = mT(u) @ np.broadcast_to(t, np.shape(a)) @ mT(vh)
    return sign[..., None, None] * u @ mT(_adj_diag_tangent(e, p2)) @ vh


def cofactor_grad(g, a):
    """The adjoint of cofactor_tangent in t: sign u D((u^T g vh^T)^T) vh."""
    u, s, vh, sign = _cofactor_parts(a)
    _, p2 = _prod_except(s)
    w = mT(mT(u) @ np.asarray(g) @ mT(vh))
    return sign[..., None, None] * u @ _adj_diag_tangent(w, p2) @ vh


def det_tangent(t, a):
    """Tangent of det(a): <cofactor(a), t> (det's gradient applied to t)."""
    return np.sum(cofactor(a) * np.broadcast_to(t, np.shape(a)), axis=(-2, -1))


def slogdet_tangent(t, a, z):
    """Tangent of slogdet's logabsdet: tr(solve(a, t)); at a singular matrix (sign 0, logabsdet -inf)
    <cofactor(a), t> / 0: +-inf, or nan where the cofactor is 0, as the derivative of log at 0."""
    t = np.broadcast_to(t, np.shape(a))
    if np.all(z[0] != 0):
        return np.trace(np.linalg.solve(a, t), axis1=-2, axis2=-1)
    return det_tangent(t, a) / (z[0] * np.exp(z[1]))


# --- products
@adjoint(np.vdot)
def vdot(z, a, b):
    d[a] = np.reshape(d[z] * np.ravel(b), np.shape(a))
    d[b] = np.reshape(d[z] * np.ravel(a), np.shape(b))
@tangent(np.vdot)
def vdot_fwd(z, a, b): d[z] = bilinear_tangent(np.vdot, d[a], d[b], a, b, z)
@adjoint(np.inner)
def inner(z, a, b):
    d[a] = inner_grad_a(d[z], a, b)
    d[b] = inner_grad_b(d[z], a, b)
@tangent(np.inner)
def inner_fwd(z, a, b): d[z] = bilinear_tangent(np.inner, d[a], d[b], a, b, z)
@adjoint(np.outer, np.linalg.outer)
def outer(z, a, b):
    d[a] = np.reshape(d[z] @ np.ravel(b), np.shape(a))
    d[b] = np.reshape(np.ravel(a) @ d[z], np.shape(b))
@tangent(np.outer, np.linalg.outer)
def outer_fwd(z, a, b): d[z] = bilinear_tangent(np.outer, d[a], d[b], a, b, z)
@adjoint(np.tensordot, np.linalg.tensordot)
def tensordot(z, a, b, axes=2):
    d[a] = tensordot_grad_a(d[z], a, b, axes)
    d[b] = tensordot_grad_b(d[z], a, b, axes)
@tangent(np.tensordot, np.linalg.tensordot)
def tensordot_fwd(z, a, b, axes=2): d[z] = bilinear_tangent(np.tensordot, d[a], d[b], a, b, z, axes)
@adjoint(np.einsum)
def einsum(z, subscripts, *operands, out=None, optimize=False):
    d[subscripts] = einsum_grads(d[z], subscripts, operands, True)   # the sublist form's first operand
    d[operands] = einsum_grads(d[z], subscripts, operands)
@tangent(np.einsum)
def einsum_fwd(z, subscripts, *operands, out=None, optimize=False):
    d[z] = einsum_tangent(d[operands], subscripts, operands, z, d[subscripts])
@adjoint(np.kron)
def kron(z, a, b):
    d[a] = kron_grad(d[z], a, b, 0)
    d[b] = kron_grad(d[z], a, b, 1)
@tangent(np.kron)
def kron_fwd(z, a, b): d[z] = bilinear_tangent(np.kron, d[a], d[b], a, b, z)
@adjoint(np.cross)
def cross(z, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    d[a] = cross_grad(d[z], a, b, axisa, axisb, axisc, axis, 0)
    d[b] = cross_grad(d[z], a, b, axisa, axisb, axisc, axis, 1)
@tangent(np.cross)
def cross_fwd(z, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    d[z] = cross_tangent(d[a], d[b], a, b, z, axisa, axisb, axisc, axis)
@adjoint(np.linalg.cross)
def linalg_cross(z, x1, x2, axis=-1):
    d[x1] = cross_grad(d[z], x1, x2, axis, axis, axis, axis, 0)
    d[x2] = cross_grad(d[z], x1, x2, axis, axis, axis, axis, 1)
@tangent(np.linalg.cross)
def linalg_cross_fwd(z, x1, x2, axis=-1):
    d[z] = cross_tangent(d[x1], d[x2], x1, x2, z, axis, axis, axis, axis)
@adjoint(np.linalg.matmul)
def linalg_matmul(z, x1, x2):
    d[x1] = matmul_grad_x(d[z], x1, x2)
    d[x2] = matmul_grad_y(d[z], x1, x2)
@tangent(np.linalg.matmul)
def linalg_matmul_fwd(z, x1, x2): d[z] = bilinear_tangent(np.matmul, d[x1], d[x2], x1, x2, z)
@adjoint(np.vecdot, np.linalg.vecdot)
def vecdot(z, x1, x2, axis=-1):
    d[x1] = unbroadcast(np.expand_dims(d[z], axis) * x2, x1)
    d[x2] = unbroadcast(np.expand_dims(d[z], axis) * x1, x2)
@tangent(np.vecdot, np.linalg.vecdot)
def vecdot_fwd(z, x1, x2, axis=-1): d[z] = bilinear_tangent(np.vecdot, d[x1], d[x2], x1, x2, z, axis=axis)
@adjoint(np.matvec)
def matvec(z, x1, x2):
    d[x1] = unbroadcast(d[z][..., :, None] * x2[..., None, :], x1)
    d[x2] = unbroadcast(np.matvec(np.swapaxes(x1, -1, -2), d[z]), x2)
@tangent(np.matvec)
def matvec_fwd(z, x1, x2): d[z] = bilinear_tangent(np.matvec, d[x1], d[x2], x1, x2, z)
@adjoint(np.vecmat)
def vecmat(z, x1, x2):
    d[x1] = unbroadcast(np.matvec(x2, d[z]), x1)
    d[x2] = unbroadcast(x1[..., :, None] * d[z][..., None, :], x2)
@tangent(np.vecmat)
def vecmat_fwd(z, x1, x2): d[z] = bilinear_tangent(np.vecmat, d[x1], d[x2], x1, x2, z)
@adjoint(np.linalg.multi_dot)
def multi_dot(z, arrays, out=None): d[arrays] = like(multi_dot_grads(d[z], arrays), arrays)
@tangent(np.linalg.multi_dot)
def multi_dot_fwd(z, arrays, out=None): d[z] = like(multi_dot_tangent(d[arrays], arrays, z), z)
@adjoint(np.convolve)
def convolve(z, a, v, mode="full"):
    d[a] = like(convolve_grad(d[z], a, v, mode, 0), a)
    d[v] = like(convolve_grad(d[z], a, v, mode, 1), v)
@tangent(np.convolve)
def convolve_fwd(z, a, v, mode="full"): d[z] = bilinear_tangent(np.convolve, d[a], d[v], a, v, z, mode)
@adjoint(np.correlate)
def correlate(z, a, v, mode="valid"):
    d[a] = like(convolve_grad(d[z], a, v[::-1], mode, 0), a)
    d[v] = like(convolve_grad(d[z], a, v[::-1], mode, 1)[::-1], v)
@tangent(np.correlate)
def correlate_fwd(z, a, v, mode="valid"): d[z] = bilinear_tangent(np.correlate, d[a], d[v], a, v, z, mode)
@adjoint(np.linalg.trace)
def linalg_trace(z, x, offset=0, dtype=None): d[x] = trace_grad(d[z], x, offset, -2, -1)
@tangent(np.linalg.trace)
def linalg_trace_fwd(z, x, offset=0, dtype=None): d[z] = np.linalg.trace(fill_zero(d[x], x), offset=offset)

# --- inverses and determinants
@adjoint(np.linalg.inv)
def inv(z, a): d[a] = -mT(z) @ d[z] @ mT(z)
@tangent(np.linalg.inv)
def inv_fwd(z, a): d[z] = -z @ d[a] @ z
@adjoint(np.linalg.det)
def det(z, a): d[a] = like(np.asarray(d[z])[..., None, None] * cofactor(a), a)
@tangent(np.linalg.det)
def det_fwd(z, a): d[z] = like(det_tangent(d[a], a), z)
@adjoint(np.linalg.slogdet)
def slogdet(z, a): d[a] = slogdet_grad(d[z], a, z)
@tangent(np.linalg.slogdet)
def slogdet_fwd(z, a): d[z] = like((np.zeros(np.shape(z[0])), slogdet_tangent(d[a], a, z)), z)
# the cofactor matrix (det's gradient) has its own rules: it is a polynomial in a, and its derivative
# at a singular matrix exists (the SVD it is computed with has none there)
@adjoint(cofactor)
def cofactor_adj(z, a): d[a] = like(cofactor_grad(d[z], a), a)
@tangent(cofactor)
def cofactor_fwd(z, a): d[z] = like(cofactor_tangent(d[a], a), a)
THIRD = ("det's third derivative (a derivative of its Hessian) has no rule in s2s: the SVD the Hessian is "
         "computed with has no derivative at repeated or zero singular values")
@adjoint(cofactor_tangent)
def cofactor_tangent_adj(z, t, a): d[t] = like(cofactor_grad(d[z], a), t)
@tangent(cofactor_tangent)
def cofactor_tangent_fwd(z, t, a): d[z] = cofactor_tangent(d[t], a)
@adjoint(cofactor_grad)
def cofactor_grad_adj(z, g, a): d[g] = like(cofactor_tangent(d[z], a), g)
@tangent(cofactor_grad)
def cofactor_grad_fwd(z, g, a): d[z] = cofactor_grad(d[g], a)
no_derivative(cofactor_tangent, a=THIRD)
no_derivative(cofactor_grad, a=THIRD)
@adjoint(np.linalg.solve)
def solve(z, a, b):
    d[a] = solve_grad_a(d[z], a, b, z)
    d[b] = solve_grad_b(d[z], a, b)
@tangent(np.linalg.solve)
def solve_fwd(z, a, b): d[z] = solve_tangent(d[a], d[b], a, b, z)
@adjoint(np.linalg.pinv)
def pinv(z, a, rcond=None, hermitian=False, rtol=None): d[a] = like(pinv_grad(d[z], a, z), a)
@tangent(np.linalg.pinv)
def pinv_fwd(z, a, rcond=None, hermitian=False, rtol=None): d[z] = like(pinv_tangent(d[a], a, z), z)
@adjoint(np.linalg.matrix_power)
def matrix_power(z, a, n): d[a] = like(matrix_power_grad(d[z], a, n), a)
@tangent(np.linalg.matrix_power)
def matrix_power_fwd(z, a, n): d[z] = like(matrix_power_tangent(d[a], a, n), z)

@adjoint(np.linalg.lstsq)
def lstsq(z, a, b, rcond=None):
    d[a] = like(lstsq_grad_a(d[z], a, b, z), a)
    d[b] = like(lstsq_grad_b(d[z], a, b, z), b)
@tangent(np.linalg.lstsq)
def lstsq_fwd(z, a, b, rcond=None): d[z] = like(lstsq_tangent(d[a], d[b], a, b, z), z)
@adjoint(np.linalg.tensorsolve)
def tensorsolve(z, a, b, axes=None):
    d[a] = like(tensorsolve_grad_a(d[z], a, b, z, axes), a)
    d[b] = like(tensorsolve_grad_b(d[z], a, b, axes), b)
@tangent(np.linalg.tensorsolve)
def tensorsolve_fwd(z, a, b, axes=None): d[z] = like(tensorsolve_tangent(d[a], d[b], a, b, z, axes), z)
@adjoint(np.linalg.tensorinv, constant=("ind",))
def tensorinv(z, a, ind=2): d[a] = like(tensorinv_grad(d[z], a, z, ind), a)
@tangent(np.linalg.tensorinv, constant=("ind",))
def tensorinv_fwd(z, a, ind=2): d[z] = like(tensorinv_tangent(d[a], a, z, ind), z)

# --- decompositions
@adjoint(np.linalg.cholesky)
def cholesky(z, a, upper=False): d[a] = like(cholesky_grad(d[z], z, upper), a)
@tangent(np.linalg.cholesky)
def cholesky_fwd(z, a, upper=False): d[z] = like(cholesky_tangent(d[a], z, upper), z)
@adjoint(np.linalg.eigh)
def eigh(z, a, UPLO="L"): d[a] = like(eigh_grad(d[z], z, UPLO), a)
@tangent(np.linalg.eigh)
def eigh_fwd(z, a, UPLO="L"): d[z] = like(eigh_tangent(d[a], z, UPLO), z)
@adjoint(np.linalg.eigvalsh)
def eigvalsh(z, a, UPLO="L"): d[a] = like(eigh_grad((d[z], 0), np.linalg.eigh(a, UPLO), UPLO), a)
@tangent(np.linalg.eigvalsh)
def eigvalsh_fwd(z, a, UPLO="L"): d[z] = like(eigh_tangent(d[a], np.linalg.eigh(a, UPLO), UPLO)[0], z)
@adjoint(np.linalg.eig)
def eig(z, a): d[a] = like(eig_grad(d[z], z), a)
@tangent(np.linalg.eig)
def eig_fwd(z, a): d[z] = like(eig_tangent(d[a], a, z), z)
@adjoint(np.linalg.eigvals)
def eigvals(z, a): d[a] = like(eig_grad((d[z], 0), np.linalg.eig(a), "eigvals"), a)
@tangent(np.linalg.eigvals)
def eigvals_fwd(z, a): d[z] = like(eig_tangent(d[a], a, np.linalg.eig(a), "eigvals")[0], z)
@adjoint(np.linalg.svd)
def svd(z, a, full_matrices=True, compute_uv=True, hermitian=False):
    d[a] = like(svd_grad(d[z], a, z, full_matrices, compute_uv), a)
@tangent(np.linalg.svd)
def svd_fwd(z, a, full_matrices=True, compute_uv=True, hermitian=False):
    d[z] = like(svd_tangent(d[a], a, z, full_matrices, compute_uv), z)
@adjoint(np.linalg.svdvals)
def svdvals(z, x): d[x] = svd_grad(d[z], x, z, False, False)
@tangent(np.linalg.svdvals)
def svdvals_fwd(z, x): d[z] = svd_tangent(d[x], x, z, False, False)
@adjoint(np.linalg.qr)
def qr(z, a, mode="reduced"): d[a] = qr_grad(d[z], a, z, mode)
@tangent(np.linalg.qr)
def qr_fwd(z, a, mode="reduced"): d[z] = qr_tangent(d[a], a, z, mode)

# --- norms
@adjoint(np.linalg.norm)
def norm(z, x, ord=None, axis=None, keepdims=False): d[x] = norm_grad(d[z], x, z, ord, axis, keepdims)
@tangent(np.linalg.norm)
def norm_fwd(z, x, ord=None, axis=None, keepdims=False):
    d[z] = reduce_tangent(d[x], norm_grad(1.0, x, z, ord, axis, keepdims), norm_reduced_axes(x, ord, axis), keepdims, z)
@adjoint(np.linalg.vector_norm)
def vector_norm(z, x, axis=None, keepdims=False, ord=2):
    d[x] = norm_grad(d[z], x, z, ord, axis, keepdims, "vector")
@tangent(np.linalg.vector_norm)
def vector_norm_fwd(z, x, axis=None, keepdims=False, ord=2):
    d[z] = reduce_tangent(d[x], norm_grad(1.0, x, z, ord, axis, keepdims, "vector"), axis, keepdims, z)
@adjoint(np.linalg.matrix_norm)
def matrix_norm(z, x, keepdims=False, ord="fro"):
    d[x] = norm_grad(d[z], x, z, ord, (-2, -1), keepdims, "matrix")
@tangent(np.linalg.matrix_norm)
def matrix_norm_fwd(z, x, keepdims=False, ord="fro"):
    d[z] = reduce_tangent(d[x], norm_grad(1.0, x, z, ord, (-2, -1), keepdims, "matrix"), (-2, -1), keepdims, z)


# ---------------------------------------------------------------- helpers

def mT(x):
    """Transpose of the last two axes (a stack of matrices)."""
    return np.swapaxes(x, -1, -2)


def _eye_like(x):
    return np.eye(np.shape(x)[-1])


def bilinear_tangent(op, ta, tb, a, b, z, *args, **kwargs):
    """Tangent of a bilinear op(a, b): op(ta, b) + op(a, tb), skipping placeholder zeros."""
    out = 0.0
    if not is_zero(ta):
        out = out + op(np.broadcast_to(ta, np.shape(a)), b, *args, **kwargs)
    if not is_zero(tb):
        out = out + op(a, np.broadcast_to(tb, np.shape(b)), *args, **kwargs)
    return tangent_like(out, z)


def inner_grad_a(g, a, b):
    """Gradient of np.inner(a, b) (contraction over the last axes) with respect to a."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * b, a)
    na, nb = np.ndim(a) - 1, np.ndim(b) - 1
    return np.tensordot(g, b, axes=(list(range(na, na + nb)), list(range(nb))))


def inner_grad_b(g, a, b):
    """Gradient of np.inner(a, b) with respect to b."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * a, b)
    na = np.ndim(a) - 1
    return np.tensordot(g, a, axes=(list(range(na)), list(range(na))))


def _tensordot_axes(a, b, axes):
    na, nb = np.ndim(a), np.ndim(b)
    if np.ndim(axes) == 0:
        n = int(axes)
        return list(range(na - n, na)), list(range(n))
    xa, xb = axes
    xa = [xa] if np.ndim(xa) == 0 else list(xa)
    xb = [xb] if np.ndim(xb) == 0 else list(xb)
    return [int(i) % na for i in xa], [int(i) % nb for i in xb]


def tensordot_grad_a(g, a, b, axes=2):
    """Gradient of np.tensordot(a, b, axes) with respect to a."""
    xa, xb = _tensordot_axes(a, b, axes)
    free_a = [i for i in range(np.ndim(a)) if i not in xa]
    free_b = [i for i in range(np.ndim(b)) if i not in xb]
    r = np.tensordot(g, b, axes=(list(range(len(free_a), np.ndim(g))), free_b))
    order = free_a + [xa[xb.index(j)] for j in sorted(xb)]
    return np.transpose(r, np.argsort(order))


def tensordot_grad_b(g, a, b, axes=2):
    """Gradient of np.tensordot(a, b, axes) with respect to b."""
    xa, xb = _tensordot_axes(a, b, axes)
    free_a = [i for i in range(np.ndim(a)) if i not in xa]
    free_b = [i for i in range(np.ndim(b)) if i not in xb]
    r = np.tensordot(a, g, axes=(free_a, list(range(len(free_a)))))
    order = [xb[xa.index(i)] for i in sorted(xa)] + free_b
    return np.transpose(r, np.argsort(order))


def _einsum_parse(subscripts, shapes):
    """Explicit per-operand label lists and the output labels, ellipses spelled out.

    Ellipsis dimensions that an operand broadcasts (size 1 where another
    operand has more) get a label of their own, summed away."""
    if not isinstance(subscripts, str):   # np.einsum(a, [0, 1], b, [1, 2], [0, 2]): the sublist form
        from s2s.errors import DifferentiationError
        from s2s.runtime import _user_line
        raise DifferentiationError(_user_line() + "s2s differentiates np.einsum only with its subscripts as a string; "
                                   "the sublist form einsum(a, [0, 1], b, [1, 2], [0, 2]) is not supported.\n"
                                   "Write np.einsum('ij,jk->ik', a, b) instead.")
    subs = subscripts.replace(" ", "")
    if "->" in subs:
        ins, out = subs.split("->")
    else:
        ins, out = subs, None
    ins = ins.split(",")
    used = set(c for c in subs if c.isalpha())
    free = iter(c for c in string.ascii_letters if c not in used)
    n_ell = max([len(sh) - (len(s) - 3) for s, sh in zip(ins, shapes) if "..." in s] + [0])
    ell = [next(free) for _ in range(n_ell)]
    labels = []
    for s, sh in zip(ins, shapes):
        if "..." in s:
            pre, post = s.split("...")
            k = len(sh) - len(pre) - len(post)
            labels.append(list(pre) + ell[n_ell - k:] + list(post))
        else:
            labels.append(list(s))
    if out is None:
        counts = {}
        for lab in labels:
            for c in lab:
                counts[c] = counts.get(c, 0) + 1
        out_labels = ell + sorted(c for c, n in counts.items() if n == 1 and c not in ell)
    elif "..." in out:
        pre, post = out.split("...")
        out_labels = list(pre) + ell + list(post)
    else:
        out_labels = list(out)
    # broadcast ellipsis dims: a size-1 dim where others are larger is its own (summed) label
    size = {}
    for lab, sh in zip(labels, shapes):
        for c, n in zip(lab, sh):
            size[c] = max(size.get(c, 1), n)
    for lab, sh in zip(labels, shapes):
        for j, (c, n) in enumerate(zip(lab, sh)):
            if c in ell and n == 1 and size[c] > 1:
                lab[j] = next(free)
    for lab, sh in zip(labels, shapes):
        for c, n in zip(lab, sh):
            size.setdefault(c, n)
    return labels, out_labels, size, free


def _einsum_grads_str(g, subscripts, operands):
    """Gradients of np.einsum(subscripts, *operands) (string form) with respect to every operand.

    The gradient of operand i is itself an einsum: g contracted with the
    other operands onto operand i's labels. Labels repeated in operand i
    (diagonals) are reached through identity matrices, labels only operand
    i has (sums) through vectors of ones."""
    shapes = [np.shape(op) for op in operands]
    labels, out_labels, size, free = _einsum_parse(subscripts, shapes)
    grads = []
    for i, op in enumerate(operands):
        specs = [out_labels] + [labels[j] for j in range(len(operands)) if j != i]
        ops = [g] + [operands[j] for j in range(len(operands)) if j != i]
        target, seen = [], set()
        for c in labels[i]:
            if c in seen:
                f = next(free)
                specs.append([c, f])
                ops.append(np.eye(size[c]))
                target.append(f)
            else:
                seen.add(c)
                target.append(c)
        have = set(c for s in specs for c in s)
        for c in target:
            if c not in have:
                specs.append([c])
                ops.append(np.ones(size[c]))
                have.add(c)
        expr = ",".join("".join(s) for s in specs) + "->" + "".join(target)
        r = np.einsum(expr, *ops)
        if np.ndim(r) == len(shapes[i]) and np.shape(r) != shapes[i]:   # a size-1 axis einsum broadcast
            r = np.sum(r, axis=tuple(k for k, (a, b) in enumerate(zip(np.shape(r), shapes[i])) if a != b),
                       keepdims=True)
        grads.append(np.reshape(r, np.shape(op)))
    return grads


def _einsum_std(subscripts, operands):
    """Either calling form of np.einsum as (subscripts string, arrays, the position of each array in
    ``(subscripts,) + operands``): the sublist form np.einsum(a, [0, 1], b, [1, 2], [0, 2]) has its
    arrays at the even positions."""
    if isinstance(subscripts, str):
        return subscripts, list(operands), list(range(1, len(operands) + 1))
    args = (subscripts,) + tuple(operands)
    n = len(args) // 2

    def labels(sub):
        return "".join("..." if s is Ellipsis else string.ascii_letters[int(s)] for s in sub)
    spec = ",".join(labels(args[2 * i + 1]) for i in range(n))
    if len(args) % 2:
        spec += "->" + labels(args[-1])
    return spec, [args[2 * i] for i in range(n)], [2 * i for i in range(n)]


def _pick(out, operands, first):
    """The gradients of the operands (a GradList), or of the sublist form's first operand."""
    return out[0] if first else GradList(out[1:])


def einsum_grads(g, subscripts, operands, first=False):
    """Gradients of np.einsum (either calling form) with respect to every operand after the first
    argument, or (first=True) with respect to the first argument (an array in the sublist form)."""
    spec, arrays, pos = _einsum_std(subscripts, operands)
    out = [0.0] * (len(operands) + 1)
    for p, gi in zip(pos, _einsum_grads_str(g, spec, arrays)):
        out[p] = gi
    return _pick(out, operands, first)


def _all_tangents(ts, t0, n):
    """Tangents of ``(subscripts,) + operands`` from the operands' (a list, or one placeholder zero)."""
    return [t0] + (list(ts) if isinstance(ts, (list, tuple)) else [ts] * n)


def einsum_tangent(ts, subscripts, operands, z, t0=0.0):
    """Tangent of np.einsum: one einsum per operand with a tangent (multilinearity); t0 is the tangent
    of the first argument (an operand in the sublist form, a constant string otherwise)."""
    spec, arrays, pos = _einsum_std(subscripts, operands)
    all_ts = _all_tangents(ts, t0, len(operands))
    out = 0.0
    for i, p in enumerate(pos):
        if is_zero(all_ts[p]):
            continue
        ops = list(arrays)
        ops[i] = np.broadcast_to(all_ts[p], np.shape(arrays[i]))
        out = out + np.einsum(spec, *ops)
    return tangent_like(out, z)


def _seed_tangents(dz, n, first):
    """A cotangent of einsum_grads' output as tangents of ``(subscripts,) + operands``."""
    return [dz] + [0.0] * n if first else _all_tangents(dz, 0.0, n)


def einsum_grads_dual(dz, subscripts, operands, g, first=False):
    """The adjoint of einsum_grads in g: einsum_grads' output cotangent dz, used as operand tangents."""
    all_ts = _seed_tangents(dz, len(operands), first)
    return einsum_tangent(all_ts[1:], subscripts, operands, g, all_ts[0])


def _einsum_cross(g, all_ts, subscripts, operands):
    """For every argument i: the sum over j != i of einsum_grads(g, ...)[i] with operand j replaced by
    its tangent (how the gradients of the others move when operand j moves)."""
    spec, arrays, pos = _einsum_std(subscripts, operands)
    out = [0.0] * (len(operands) + 1)
    for j, pj in enumerate(pos):
        if is_zero(all_ts[pj]):
            continue
        ops = list(arrays)
        ops[j] = np.broadcast_to(all_ts[pj], np.shape(arrays[j]))
        grads = _einsum_grads_str(g, spec, ops)
        for i, pi in enumerate(pos):
            if i != j:
                out[pi] = out[pi] + grads[i]
    return [fill_zero(o, x) if k in pos else 0.0 for k, (o, x) in enumerate(zip(out, (subscripts,) + tuple(operands)))]


def einsum_cross(g, dz, subscripts, operands, first=False, of_first=False):
    """The adjoint of einsum_grads(g, ..., first) in the operands (of_first: in the first argument)."""
    out = _einsum_cross(g, _seed_tangents(dz, len(operands), first), subscripts, operands)
    return _pick(out, operands, of_first)


def einsum_grads_tangent(tg, ts, g, subscripts, operands, first=False, t0=0.0):
    """Tangent of einsum_grads (it is linear in g and in every operand it reads)."""
    cross = _pick(_einsum_cross(g, _all_tangents(ts, t0, len(operands)), subscripts, operands), operands, first)
    if is_zero(tg):
        return cross
    base = einsum_grads(tg, subscripts, operands, first)
    return base + cross if first else GradList(a + b for a, b in zip(base, cross))


def kron_grad(g, a, b, which=0):
    """Gradient of np.kron(a, b) with respect to a (which=0) or b (which=1)."""
    nd = max(np.ndim(a), np.ndim(b))
    sa = (1,) * (nd - np.ndim(a)) + np.shape(a)
    sb = (1,) * (nd - np.ndim(b)) + np.shape(b)
    inter = [n for pair in zip(sa, sb) for n in pair]
    G = np.reshape(g, inter)
    ia, ib = list(range(0, 2 * nd, 2)), list(range(1, 2 * nd, 2))
    both = list(range(2 * nd))  # G's axes interleave a's and b's
    if which == 0:
        r = np.einsum(G, both, np.reshape(b, sb), ib, ia)
        return np.reshape(r, np.shape(a))
    r = np.einsum(G, both, np.reshape(a, sa), ia, ib)
    return np.reshape(r, np.shape(b))


def cross_grad(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None, which=0):
    """Gradient of np.cross(a, b) (3-vectors): <g, a x b> = <a, b x g> = <b, g x a>."""
    if axis is not None:
        axisa = axisb = axisc = axis
    if np.shape(a)[axisa] != 3 or np.shape(b)[axisb] != 3:
        raise refuse("cross", "s2s differentiates np.cross of 3-vectors only.")
    if which == 0:
        return unbroadcast(np.cross(b, g, axisa=axisb, axisb=axisc, axisc=axisa), a)
    return unbroadcast(np.cross(g, a, axisa=axisc, axisb=axisa, axisc=axisb), b)


def cross_tangent(ta, tb, a, b, z, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Tangent of np.cross."""
    kw = dict(axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)
    return bilinear_tangent(np.cross, ta, tb, a, b, z, **kw)


def _md_promote(arrays):
    mats = [np.asarray(x) for x in arrays]
    if mats[0].ndim == 1:
        mats[0] = mats[0][None, :]
    if mats[-1].ndim == 1:
        mats[-1] = mats[-1][:, None]
    return mats


def _chain(mats, n):
    out = np.eye(n)
    for m in mats:
        out = out @ m
    return out


def multi_dot_grads(g, arrays):
    """Gradients of np.linalg.multi_dot(arrays): L_i^T G R_i^T for each factor."""
    mats = _md_promote(arrays)
    G = np.reshape(g, (mats[0].shape[0], mats[-1].shape[1]))
    out = []
    for i, x in enumerate(arrays):
        left = _chain(mats[:i], mats[0].shape[0])
        right = _chain(mats[i + 1:], mats[i].shape[1])
        out.append(np.reshape(left.T @ G @ right.T, np.shape(x)))
    return GradList(out)


def multi_dot_tangent(ts, arrays, z):
    """Tangent of np.linalg.multi_dot."""
    out = 0.0
    for i, t in enumerate(ts):
        if is_zero(t):
            continue
        arrs = list(arrays)
        arrs[i] = np.broadcast_to(t, np.shape(arrays[i]))
        out = out + np.linalg.multi_dot(arrs)
    return tangent_like(out, z)


def convolve_grad(g, a, v, mode="full", which=0):
    """Gradient of np.convolve(a, v, mode) for a (which=0) or v (which=1)."""
    na, nv = np.size(a), np.size(v)
    full = na + nv - 1
    lo = {"full": 0, "same": (min(na, nv) - 1) // 2, "valid": min(na, nv) - 1}[mode]
    gf = np.zeros(full)
    gf[lo:lo + np.size(g)] = g
    other = v if which == 0 else a
    return np.correlate(gf, other, "valid")


# --- inverses, determinants, solves
def slogdet_grad(gz, a, z=None):
    """Gradient of np.linalg.slogdet: only logabsdet carries gradient, inv(a)^T. At a singular matrix
    (sign 0, logabsdet -inf) it is cofactor(a) / 0: +-inf, or nan where the cofactor is 0, as the
    derivative of log at 0 (JAX gives inf/nan there too)."""
    glog = gz[1] if isinstance(gz, (tuple, list)) else gz
    if is_zero(glog):
        return np.zeros(np.shape(a))
    if z is None or np.all(z[0] != 0):
        return np.asarray(glog)[..., None, None] * mT(np.linalg.inv(a))
    return (np.asarray(glog) / (z[0] * np.exp(z[1])))[..., None, None] * cofactor(a)


def _as_matrix_rhs(a, b):
    """NumPy 2 solve: b is a vector only when it is 1-d."""
    return np.ndim(b) == 1


def solve_grad_b(g, a, b):
    """Gradient of x = solve(a, b) with respect to b: solve(a^T, g)."""
    if _as_matrix_rhs(a, b):
        return unbroadcast(np.linalg.solve(mT(a), np.asarray(g)[..., None])[..., 0], b)
    return unbroadcast(np.linalg.solve(mT(a), g), b)


def solve_grad_a(g, a, b, x):
    """Gradient of x = solve(a, b) with respect to a: -solve(a^T, g) x^T."""
    gb = np.linalg.solve(mT(a), np.asarray(g)[..., None] if _as_matrix_rhs(a, b) else g)
    xm = np.asarray(x)[..., None] if _as_matrix_rhs(a, b) else x
    return unbroadcast(-gb @ mT(xm), a)


def solve_tangent(ta, tb, a, b, x):
    """Tangent of x = solve(a, b): solve(a, tb - ta x)."""
    vec = _as_matrix_rhs(a, b)
    rhs = 0.0
    if not is_zero(tb):
        rhs = np.broadcast_to(tb, np.shape(b))
        rhs = rhs[..., None] if vec else rhs
    if not is_zero(ta):
        xm = np.asarray(x)[..., None] if vec else x
        rhs = rhs - ta @ xm
    out = np.linalg.solve(a, np.broadcast_to(rhs, np.shape(x) + ((1,) if vec else ())))
    return tangent_like(out[..., 0] if vec else out, x)


def pinv_grad(g, a, p):
    """Gradient of P = pinv(A) (constant rank; Golub and Pereyra 1973):
    -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)."""
    a = np.asarray(a)
    im = np.eye(a.shape[-2])
    in_ = np.eye(a.shape[-1])
    pt, gt = mT(p), mT(g)
    return (-pt @ g @ pt + (im - a @ p) @ gt @ p @ pt + pt @ p @ gt @ (in_ - p @ a))


def pinv_tangent(t, a, p):
    """Tangent of P = pinv(A): -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P."""
    a = np.asarray(a)
    im = np.eye(a.shape[-2])
    in_ = np.eye(a.shape[-1])
    tt = mT(t)
    return -p @ t @ p + p @ mT(p) @ tt @ (im - a @ p) + (in_ - p @ a) @ tt @ mT(p) @ p


def matrix_power_grad(g, a, n):
    """Gradient of matrix_power(a, n): sum_k (A^T)^k G (A^T)^(n-1-k); n < 0 through inv(a)."""
    a = np.asarray(a)
    if n == 0:
        return np.zeros(a.shape)
    if n < 0:
        b = np.linalg.inv(a)
        gb = matrix_power_grad(g, b, -n)
        return -mT(b) @ gb @ mT(b)
    at = mT(a)
    powers = [np.broadcast_to(np.eye(a.shape[-1]), a.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ at)
    return sum(powers[k] @ g @ powers[n - 1 - k] for k in range(n))


def matrix_power_tangent(t, a, n):
    """Tangent of matrix_power(a, n): sum_k A^k dA A^(n-1-k); n < 0 through inv(a)."""
    a = np.asarray(a)
    if n == 0:
        return np.zeros(a.shape)
    if n < 0:
        b = np.linalg.inv(a)
        return matrix_power_tangent(-b @ t @ b, b, -n)
    powers = [np.broadcast_to(np.eye(a.shape[-1]), a.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ a)
    return sum(powers[k] @ t @ powers[n - 1 - k] for k in range(n))


# --- one-triangle functions
def _tri_grad(x, uplo):
    """The gradient with respect to the triangle NumPy reads, from a full-matrix gradient x."""
    n = np.shape(x)[-1]
    both = x + mT(x)
    strict = np.tril(np.ones((n, n)), -1) if uplo == "L" else np.triu(np.ones((n, n)), 1)
    return x * np.eye(n) + both * strict


def _tri_sym(t, uplo):
    """The symmetric matrix NumPy sees when it reads one triangle of t."""
    t = np.asarray(t, dtype=float)
    if uplo == "L":
        return np.tril(t) + mT(np.tril(t, -1))
    return np.triu(t) + mT(np.triu(t, 1))


def _phi(x):
    """Lower triangle with the diagonal halved."""
    return np.tril(x) - 0.5 * x * np.eye(np.shape(x)[-1])


def cholesky_grad(g, z, upper=False):
    """Gradient of L = cholesky(A) (Murray 2016): S = L^-T Phi(L^T G) L^-1, on the triangle read."""
    L = mT(z) if upper else z
    gl = mT(g) if upper else g
    p = _phi(mT(L) @ gl)
    s = np.linalg.solve(mT(L), mT(np.linalg.solve(mT(L), mT(p))))
    return _tri_grad(0.5 * (s + mT(s)), "U" if upper else "L")


def cholesky_tangent(t, z, upper=False):
    """Tangent of L = cholesky(A): dL = L Phi(L^-1 dA L^-T)."""
    L = mT(z) if upper else z
    ts = _tri_sym(t, "U" if upper else "L")
    x = np.linalg.solve(L, mT(np.linalg.solve(L, mT(ts))))
    dl = L @ _phi(x)
    return mT(dl) if upper else dl


def _eig_f(w):
    """F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it."""
    diff = w[..., None, :] - w[..., :, None]
    n = np.shape(w)[-1]
    eye = np.eye(n)
    return (1 - eye) / (diff + eye)


def eigh_grad(gz, z, UPLO="L"):
    """Gradient of (w, V) = eigh(A): V (diag(gw) + F o (V^T gV)) V^T, on the triangle read."""
    w, v = z
    gw, gv = gz
    inner = 0.0
    if not is_zero(gw):
        inner = np.asarray(gw)[..., None, :] * np.eye(np.shape(w)[-1])
    if not is_zero(gv):
        inner = inner + _eig_f(w) * (mT(v) @ gv)
    full = v @ inner @ mT(v) if not np.isscalar(inner) else np.zeros(np.shape(v))
    return _tri_grad(full, UPLO)


def eigh_tangent(t, z, UPLO="L"):
    """Tangent of (w, V) = eigh(A): dw = diag(V^T dA V), dV = V (F o (V^T dA V))."""
    w, v = z
    m = mT(v) @ _tri_sym(t, UPLO) @ v
    dw = np.diagonal(m, axis1=-2, axis2=-1).copy()
    dv = v @ (_eig_f(w) * m)
    return (dw, dv)


def _real_spectrum(w, v, callee):
    if np.iscomplexobj(w) or np.iscomplexobj(v):
        raise refuse(callee, f"np.linalg.{callee}: this matrix has complex eigenvalues, and s2s differentiates "
                     "real-valued code only.", "Differentiate matrices with real spectra (or use eigh for symmetric "
                     "ones), or pass the real and imaginary parts as two real arrays.")


def eig_grad(gz, z, callee="eig"):
    """Gradient of (w, V) = eig(A) for a real spectrum (distinct eigenvalues, unit-norm columns of V):
    V^-T (diag(gw) + F o (V^T gV')) V^T with gV' = gV - V diag(diag(V^T gV)) (the normalization)."""
    w, v = z
    _real_spectrum(w, v, callee)
    gw, gv = gz
    inner = 0.0
    if not is_zero(gw):
        inner = np.asarray(gw)[..., None, :] * np.eye(np.shape(w)[-1])
    if not is_zero(gv):
        gv = np.asarray(gv)
        gv = gv - v * np.sum(v * gv, axis=-2, keepdims=True)
        inner = inner + _eig_f(w) * (mT(v) @ gv)
    if np.isscalar(inner):
        return np.zeros(np.shape(v))
    return np.linalg.solve(mT(v), inner @ mT(v))


def eig_tangent(t, a, z, callee="eig"):
    """Tangent of (w, V) = eig(A), real spectrum: P = V^-1 dA V, dw = diag(P), dV = V (F o P) with
    each column's component along itself removed (V's columns keep unit norm)."""
    w, v = z
    _real_spectrum(w, v, callee)
    p = np.linalg.solve(v, np.broadcast_to(t, np.shape(a)) @ v)
    dw = np.diagonal(p, axis1=-2, axis2=-1).copy()
    dv = v @ (_eig_f(w) * p)
    dv = dv - v * np.sum(v * dv, axis=-2, keepdims=True)
    return (dw, dv)


def _lstsq_cols(a, b, x):
    """b and x as matrices (a vector b is one column)."""
    if np.ndim(b) == 1:
        return np.asarray(b, dtype=float)[:, None], np.asarray(x)[:, None]
    return np.asarray(b, dtype=float), np.asarray(x)


def lstsq_grad_a(gz, a, b, z):
    """Gradient of (x, residuals, rank, s) = lstsq(a, b) with respect to a (full rank: x = pinv(a) b;
    residuals = |b - a x|^2 per column, whose gradient in x vanishes at the optimum)."""
    x, res, rank, s = z
    gx, gres, _, gs = gz
    a = np.asarray(a, dtype=float)
    bm, xm = _lstsq_cols(a, b, x)
    out = np.zeros(a.shape)
    if not is_zero(gx):
        p = np.linalg.pinv(a)
        gxm = np.reshape(gx, xm.shape)
        out = out + pinv_grad(gxm @ bm.T, a, p)
    if not is_zero(gres) and np.size(res):
        r = bm - a @ xm
        out = out - 2 * (r * np.reshape(gres, (-1,))) @ xm.T
    if not is_zero(gs):
        out = out + svd_grad(gs, a, s, False, False)
    return out


def lstsq_grad_b(gz, a, b, z):
    """Gradient of lstsq(a, b) with respect to b: pinv(a)^T gx + 2 r gres."""
    x, res, rank, s = z
    gx, gres = gz[0], gz[1]
    a = np.asarray(a, dtype=float)
    bm, xm = _lstsq_cols(a, b, x)
    out = np.zeros(bm.shape)
    if not is_zero(gx):
        out = out + np.linalg.pinv(a).T @ np.reshape(gx, xm.shape)
    if not is_zero(gres) and np.size(res):
        out = out + 2 * (bm - a @ xm) * np.reshape(gres, (-1,))
    return np.reshape(out, np.shape(b))


def lstsq_tangent(ta, tb, a, b, z):
    """Tangent of lstsq: dx = dP b + P db, dres = 2 r^T (db - dA x) per column, ds from the SVD."""
    x, res, rank, s = z
    a = np.asarray(a, dtype=float)
    bm, xm = _lstsq_cols(a, b, x)
    p = np.linalg.pinv(a)
    dx = np.zeros(xm.shape)
    rhs = np.zeros(bm.shape)   # db - dA x
    ds = np.zeros(np.shape(s))
    if not is_zero(ta):
        ta = np.broadcast_to(ta, a.shape)
        dx = dx + pinv_tangent(ta, a, p) @ bm
        rhs = rhs - ta @ xm
        ds = svd_tangent(ta, a, s, False, False)
    if not is_zero(tb):
        tbm = np.reshape(np.broadcast_to(tb, np.shape(b)), bm.shape)
        dx = dx + p @ tbm
        rhs = rhs + tbm
    dres = 2 * np.sum((bm - a @ xm) * rhs, axis=0) if np.size(res) else np.zeros(np.shape(res))
    return (np.reshape(dx, np.shape(x)), np.reshape(dres, np.shape(res)), 0, ds)


def _tensor_matrix(a, b, axes):
    """tensorsolve's view of a: (moved a, the square matrix, x's shape), as NumPy builds them."""
    a = np.asarray(a, dtype=float)
    order = list(range(a.ndim))
    if axes is not None:
        for k in axes:
            order.remove(k)
            order.insert(a.ndim, k)
    moved = a.transpose(order)
    xshape = moved.shape[-(a.ndim - np.ndim(b)):]
    n = int(np.prod(xshape))
    return order, moved.reshape(n, n), xshape


def tensorsolve_grad_a(g, a, b, x, axes=None):
    """Gradient of x = tensorsolve(a, b): the matrix solve's -A^-T g x^T, back in a's layout."""
    order, m, xshape = _tensor_matrix(a, b, axes)
    gb = np.linalg.solve(m.T, np.ravel(g))
    gm = -np.outer(gb, np.ravel(x))
    return np.transpose(gm.reshape([np.shape(a)[i] for i in order]), np.argsort(order))


def tensorsolve_grad_b(g, a, b, axes=None):
    """Gradient of x = tensorsolve(a, b) with respect to b: A^-T g."""
    order, m, xshape = _tensor_matrix(a, b, axes)
    return np.linalg.solve(m.T, np.ravel(g)).reshape(np.shape(b))


def tensorsolve_tangent(ta, tb, a, b, x, axes=None):
    """Tangent of x = tensorsolve(a, b): A^-1 (db - dA x)."""
    order, m, xshape = _tensor_matrix(a, b, axes)
    rhs = np.zeros(m.shape[0])
    if not is_zero(tb):
        rhs = rhs + np.ravel(np.broadcast_to(tb, np.shape(b)))
    if not is_zero(ta):
        tm = np.broadcast_to(ta, np.shape(a)).transpose(order).reshape(m.shape)
        rhs = rhs - tm @ np.ravel(x)
    return np.linalg.solve(m, rhs).reshape(xshape)


def _tensorinv_shapes(a, ind):
    shape = np.shape(a)
    n = int(np.prod(shape[:ind]))
    return shape, n


def tensorinv_grad(g, a, z, ind=2):
    """Gradient of tensorinv(a, ind) = inv(A).reshape(...): -Z^T G Z^T on the matrices."""
    shape, n = _tensorinv_shapes(a, ind)
    zm = np.reshape(z, (-1, n))
    gm = np.reshape(g, zm.shape)
    return (-zm.T @ gm @ zm.T).reshape(shape)


def tensorinv_tangent(t, a, z, ind=2):
    """Tangent of tensorinv: -Z dA Z on the matrices."""
    shape, n = _tensorinv_shapes(a, ind)
    zm = np.reshape(z, (-1, n))
    tm = np.reshape(np.broadcast_to(t, shape), (n, -1))
    return (-zm @ tm @ zm).reshape(np.shape(z))


def _svd_parts(a, z, full_matrices, compute_uv):
    """(u, s, v) of the thin SVD, v = Vh^T."""
    if compute_uv:
        u, s, vh = z
    else:
        s = z
        u, _, vh = np.linalg.svd(a, full_matrices=False)
    k = np.shape(s)[-1]
    return u[..., :, :k], s, mT(vh[..., :k, :])


def svd_grad(gz, a, z, full_matrices=True, compute_uv=True):
    """Gradient of the SVD (Townsend 2016), thin factors; singular values must be distinct."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    u, s, v = _svd_parts(a, z, full_matrices, compute_uv)
    k = np.shape(s)[-1]
    if not compute_uv:
        return (u * np.asarray(gz)[..., None, :]) @ mT(v)
    gu, gs, gvh = gz
    gu = np.zeros(np.shape(z[0])) if is_zero(gu) else np.asarray(gu)
    gvh = np.zeros(np.shape(z[2])) if is_zero(gvh) else np.asarray(gvh)
    if full_matrices and m != n:
        if np.any(gu[..., :, k:] != 0) or np.any(gvh[..., k:, :] != 0):
            raise refuse("svd", "np.linalg.svd(full_matrices=True) of a non-square matrix: the extra singular "
                         "vectors are an arbitrary completion, and their gradient is undefined.",
                         "Use full_matrices=False, or use only the first min(m, n) columns of u and rows of vh.")
    gu = gu[..., :, :k]
    gv = mT(gvh[..., :k, :])
    f = _eig_f(s * s)  # 1 / (s_j^2 - s_i^2)
    utgu = mT(u) @ gu
    vtgv = mT(v) @ gv
    t = (f * (utgu - mT(utgu))) * s[..., None, :]
    if not is_zero(gs):
        t = t + np.asarray(gs)[..., :, None] * np.eye(k)
    t = t + s[..., :, None] * (f * (vtgv - mT(vtgv)))
    out = u @ t @ mT(v)
    out = out + (np.eye(m) - u @ mT(u)) @ gu @ (mT(v) / s[..., :, None])
    out = out + (u / s[..., None, :]) @ mT(gv) @ (np.eye(n) - v @ mT(v))
    return out


def svd_tangent(t, a, z, full_matrices=True, compute_uv=True):
    """Tangent of the SVD: dS = diag(U^T dA V), dU and dV from Townsend 2016 (thin factors)."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    u, s, v = _svd_parts(a, z, full_matrices, compute_uv)
    k = np.shape(s)[-1]
    t = np.broadcast_to(t, a.shape)
    p = mT(u) @ t @ v
    ds = np.diagonal(p, axis1=-2, axis2=-1).copy()
    if not compute_uv:
        return ds
    f = _eig_f(s * s)
    S = s[..., None, :] * np.eye(k)
    du = u @ (f * (p @ S + S @ mT(p))) + (np.eye(m) - u @ mT(u)) @ t @ (v / s[..., None, :])
    dv = v @ (f * (S @ p + mT(p) @ S)) + (np.eye(n) - v @ mT(v)) @ mT(t) @ (u / s[..., None, :])
    if full_matrices and m != n:
        # the extra columns of U (rows of Vh) are an arbitrary completion chosen inside LAPACK: their
        # derivative is undefined, NaN (the reverse rule refuses when they receive gradient)
        du = np.concatenate([du, np.full(du.shape[:-1] + (m - k,), np.nan)], axis=-1)
        dv = np.concatenate([dv, np.full(dv.shape[:-1] + (n - k,), np.nan)], axis=-1)
    return (du, ds, mT(dv))


def _copyltu(m):
    return np.tril(m) + mT(np.tril(m, -1))


def _qr_grad_tall(q, r, gq, gr):
    """Gradient of reduced QR of a tall or square matrix (Walter and Lehmann 2018)."""
    m = r @ mT(gr) - mT(gq) @ q
    b = gq + q @ _copyltu(m)
    return mT(np.linalg.solve(r, mT(b)))


def qr_grad(gz, a, z, mode="reduced"):
    """Gradient of np.linalg.qr for modes reduced/complete (square) and r; wide matrices by
    splitting A = [X Y] with X square."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    if mode == "r":
        q, r = np.linalg.qr(a)
        gq, gr = 0, gz
    elif mode in ("reduced", "complete"):
        q, r = z
        gq, gr = gz
        if mode == "complete" and m > n:
            raise refuse("qr", "np.linalg.qr(mode='complete') of a tall matrix: the extra columns of q are an "
                         "arbitrary completion, and the gradient is undefined.", "Use mode='reduced'.")
    else:
        raise NotImplementedError(f"s2s: qr mode {mode!r} has no gradient rule")
    gq = np.zeros(np.shape(q)) if is_zero(gq) else np.asarray(gq)
    gr = np.zeros(np.shape(r)) if is_zero(gr) else np.asarray(gr)
    if m >= n:
        return _qr_grad_tall(q, r, gq, gr)
    u = r[..., :, :m]
    gu, gv = gr[..., :, :m], gr[..., :, m:]
    y = a[..., :, m:]
    gy = q @ gv
    gx = _qr_grad_tall(q, u, gq + y @ mT(gv), gu)
    return np.concatenate([gx, gy], axis=-1)


def _qr_tangent_tall(t, q, r):
    x = mT(q) @ mT(np.linalg.solve(mT(r), mT(t)))  # Q^T dA R^-1
    low = np.tril(x, -1)
    omega = low - mT(low)
    dr = (x - omega) @ r
    dq = mT(np.linalg.solve(mT(r), mT(t - q @ dr)))  # (dA - Q dR) R^-1
    return dq, dr


def qr_tangent(t, a, z, mode="reduced"):
    """Tangent of np.linalg.qr (same modes as qr_grad)."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    t = np.broadcast_to(t, a.shape)
    if mode == "r":
        q, r = np.linalg.qr(a)
    elif mode in ("reduced", "complete") and not (mode == "complete" and m > n):
        q, r = z
    else:
        raise NotImplementedError(f"s2s: qr mode {mode!r} has no derivative rule here")
    if m >= n:
        dq, dr = _qr_tangent_tall(t, q, r)
    else:
        u, v = r[..., :, :m], r[..., :, m:]
        dq, du = _qr_tangent_tall(t[..., :, :m], q, u)
        dv = mT(q) @ (t[..., :, m:] - dq @ v)
        dr = np.concatenate([du, dv], axis=-1)
    return dr if mode == "r" else (dq, dr)


# --- norms
def _norm_kind(x, ord, axis):
    nd = np.ndim(x)
    if axis is None:
        if ord is None:
            return "vector", tuple(range(nd))
        if nd == 1:
            return "vector", (0,)
        if nd == 2:
            return "matrix", (0, 1)
        raise ValueError("Improper number of dimensions to norm.")
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    if len(axes) == 1:
        return "vector", (axes[0] % nd,)
    return "matrix", tuple(a % nd for a in axes)


def norm_reduced_axes(x, ord=None, axis=None):
    """The axes np.linalg.norm reduces (for the tangent)."""
    return _norm_kind(x, ord, axis)[1]


def _share(mask, axes):
    n = np.sum(mask, axis=axes, keepdims=True)
    return mask / np.maximum(n, 1)


def norm_grad(g, x, z, ord=None, axis=None, keepdims=False, kind=None):
    """Gradient of np.linalg.norm (and vector_norm / matrix_norm) for every ord NumPy has.

    Vector: 2 (x / |x|), 1 (sign x), inf/-inf (the extremal entries, ties
    share), 0 (count: zero), p (sign x |x|^(p-1) / |x|_p^(p-1)). Matrix:
    'fro', 'nuc' (U V^T), 2/-2 (u v^T of the largest/smallest singular
    value), 1/-1 and inf/-inf (sign x on the extremal column/row). The
    gradient at a zero vector (2-norm) is taken as 0."""
    real_only(x, x)   # the norm of a complex array would give a silently complex gradient
    return like(_norm_grad(g, x, z, ord, axis, keepdims, kind), x)


def _norm_grad(g, x, z, ord=None, axis=None, keepdims=False, kind=None):
    x = np.asarray(x)
    if x.dtype.kind in "iub":
        x = x.astype(float)
    if kind is None:
        kind, axes = _norm_kind(x, ord, axis)
    elif kind == "vector":
        axes = norm_axes(axis, x.ndim)
    else:
        axes = tuple(a % x.ndim for a in axis)
    ge = _expand_axes(g, x, axes, keepdims)
    ze = _expand_axes(z, x, axes, keepdims)
    if kind == "vector":
        if ord is None or ord == 2:
            w = safe_div(x, ze)
        elif ord == 1:
            w = np.sign(x)
        elif ord == np.inf or ord == -np.inf:
            w = np.sign(x) * _share(np.abs(x) == ze, axes)
        elif ord == 0:
            w = np.zeros(x.shape)
        else:
            w = safe_div(np.sign(x) * np.abs(x) ** (ord - 1), ze ** (ord - 1))
        return ge * w
    xm = np.moveaxis(x, axes, (-2, -1))
    zm = np.moveaxis(ze, axes, (-2, -1))
    if ord is None or ord == "fro":
        w = safe_div(xm, zm)
    elif ord in ("nuc", 2, -2):
        u, s, vh = np.linalg.svd(xm, full_matrices=False)
        if ord == "nuc":
            w = u @ vh
        else:
            i = 0 if ord == 2 else -1
            w = u[..., :, [i]] @ vh[..., [i], :]
    elif ord in (1, -1):
        cols = np.sum(np.abs(xm), axis=-2, keepdims=True)
        ext = np.max(cols, -1, keepdims=True) if ord == 1 else np.min(cols, -1, keepdims=True)
        w = np.sign(xm) * _share(cols == ext, (-1,))
    elif ord in (np.inf, -np.inf):
        rows = np.sum(np.abs(xm), axis=-1, keepdims=True)
        ext = np.max(rows, -2, keepdims=True) if ord == np.inf else np.min(rows, -2, keepdims=True)
        w = np.sign(xm) * _share(rows == ext, (-2,))
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    return ge * np.moveaxis(w, (-2, -1), axes)


def _expand_axes(g, x, axes, keepdims):
    """g (a reduction's output or its gradient) with the reduced axes kept as size 1."""
    g = np.asarray(g, dtype=float)
    shape = tuple(1 if i in axes else n for i, n in enumerate(np.shape(x)))
    return np.broadcast_to(g, shape) if g.ndim == 0 else np.reshape(g, shape)


# einsum's gradient helper, differentiated again (Hessian-vector products through einsum): g -> grads
# is the adjoint of the operands -> einsum map, and each gradient is linear in the other operands
@adjoint(einsum_grads, constant=("first",))
def einsum_grads_adj(z, g, subscripts, operands, first=False):
    d[g] = einsum_grads_dual(d[z], subscripts, operands, g, first)
    d[subscripts] = einsum_cross(g, d[z], subscripts, operands, first, True)
    d[operands] = einsum_cross(g, d[z], subscripts, operands, first)
@tangent(einsum_grads, constant=("first",))
def einsum_grads_fwd(z, g, subscripts, operands, first=False):
    d[z] = einsum_grads_tangent(d[g], d[operands], g, subscripts, operands, first, d[subscripts])
