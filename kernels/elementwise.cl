/*
 * elementwise.cl - bias broadcast, activations and their derivatives, the
 * output error, the SGD update and the mini-batch gather.  One work-item per
 * element; global size rounded up to any local size.
 *
 * Each backward kernel takes dA and the layer's output A (not Z): every
 * derivative used here is a function of A, and A is what the forward pass
 * keeps.  dZ may alias dA (the update reads element g before writing it).
 */

/* Z (n, m) += b (n, 1) broadcast over the m columns. */
__kernel void bias_add(const int n, const int m, __global real *Z, __global const real *b)
{
    const size_t g = get_global_id(0);
    if (g >= (size_t)n * m)
        return;
    Z[g] += b[g / m];
}

/* A = 1 / (1 + exp(-Z)).  For very negative Z, exp overflows to +inf and A
 * becomes exactly 0, never NaN. */
__kernel void sigmoid_forward(const int count, __global const real *Z, __global real *A)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    A[g] = (real)1 / ((real)1 + exp(-Z[g]));
}

/* dZ = dA * A (1 - A), the notebook's sigmoid_deriv(A) times dA. */
__kernel void sigmoid_backward(const int count, __global const real *dA,
                               __global const real *A, __global real *dZ)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    const real a = A[g];
    dZ[g] = dA[g] * (a * ((real)1 - a));
}

__kernel void tanh_forward(const int count, __global const real *Z, __global real *A)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    A[g] = tanh(Z[g]);
}

/* dZ = dA * (1 - A^2) */
__kernel void tanh_backward(const int count, __global const real *dA,
                            __global const real *A, __global real *dZ)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    const real a = A[g];
    dZ[g] = dA[g] * ((real)1 - a * a);
}

__kernel void relu_forward(const int count, __global const real *Z, __global real *A)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    A[g] = fmax(Z[g], (real)0);
}

/* dZ = dA where the unit was active (A > 0), else 0; relu'(0) is taken as 0. */
__kernel void relu_backward(const int count, __global const real *dA,
                            __global const real *A, __global real *dZ)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    dZ[g] = A[g] > (real)0 ? dA[g] : (real)0;
}

/* A = Z, for a linear output layer. */
__kernel void copy_forward(const int count, __global const real *Z, __global real *A)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    A[g] = Z[g];
}

/* Softmax down each column of Z (n, m): one work-item per sample.  The
 * column's maximum is subtracted first, so exp never overflows and the
 * largest term is exactly 1: A stays finite for any finite Z. */
__kernel void softmax_forward(const int n, const int m, __global const real *Z, __global real *A)
{
    const int j = get_global_id(0);
    if (j >= m)
        return;

    real top = Z[j];
    for (int i = 1; i < n; i++)
        top = fmax(top, Z[(size_t)i * m + j]);

    real sum = 0;
    for (int i = 0; i < n; i++) {
        const real e = exp(Z[(size_t)i * m + j] - top);
        A[(size_t)i * m + j] = e;
        sum += e;
    }
    for (int i = 0; i < n; i++)
        A[(size_t)i * m + j] /= sum;
}

/* dZ[L] = A[L] - Y: the output error of each activation-loss pair. */
__kernel void output_delta(const int count, __global const real *A, __global const real *Y,
                           __global real *dZ)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    dZ[g] = A[g] - Y[g];
}

/* P -= lr * dP, for W and b alike. */
__kernel void sgd_update(const int count, const real lr, __global real *P, __global const real *dP)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    P[g] -= lr * dP[g];
}

/* dst (n, m) column j = src (n, src_m) column idx[offset + j]: gathers a
 * mini-batch from the resident data set in the order of a permutation. */
__kernel void gather_columns(const int n, const int m, const int src_m, const int offset,
                             __global const real *src, __global const int *idx,
                             __global real *dst)
{
    const size_t g = get_global_id(0);
    if (g >= (size_t)n * m)
        return;
    const size_t i = g / m, j = g % m;
    dst[g] = src[i * src_m + idx[offset + j]];
}
