/*
 * matmul.cl - the three products a dense layer needs, in their plain form:
 * one work-item per output element, the inner sum in increasing k.
 *
 *   matmul_nn  C (M, N) = alpha * A (M, K)   . B (K, N)    Z[l]   = W[l] A[l-1]
 *   matmul_nt  C (M, N) = alpha * A (M, K)   . B (N, K)^T  dW[l]  = 1/m dZ[l] A[l-1]^T
 *   matmul_tn  C (M, N) = alpha * A (K, M)^T . B (K, N)    dA[l-1] = W[l]^T dZ[l]
 *
 * Transposes are done by indexing; nothing is copied.  Global size is
 * (N, M) rounded up to any local size; work-items outside C do nothing.
 * These are the reference and the fallback for the tiled kernels.
 */

__kernel void matmul_nn(const int M, const int N, const int K, const real alpha,
                        __global const real *A, __global const real *B, __global real *C)
{
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (i >= M || j >= N)
        return;

    real acc = 0;
    for (int k = 0; k < K; k++)
        acc += A[(size_t)i * K + k] * B[(size_t)k * N + j];
    C[(size_t)i * N + j] = alpha * acc;
}

__kernel void matmul_nt(const int M, const int N, const int K, const real alpha,
                        __global const real *A, __global const real *B, __global real *C)
{
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (i >= M || j >= N)
        return;

    real acc = 0;
    for (int k = 0; k < K; k++)
        acc += A[(size_t)i * K + k] * B[(size_t)j * K + k];
    C[(size_t)i * N + j] = alpha * acc;
}

__kernel void matmul_tn(const int M, const int N, const int K, const real alpha,
                        __global const real *A, __global const real *B, __global real *C)
{
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (i >= M || j >= N)
        return;

    real acc = 0;
    for (int k = 0; k < K; k++)
        acc += A[(size_t)k * M + i] * B[(size_t)k * N + j];
    C[(size_t)i * N + j] = alpha * acc;
}
