/*
 * tiny_net.cl - whole training runs of a tiny sigmoid network in one launch,
 * for problems like the notebook's XOR (2-2-1 on 4 samples), where launching
 * a dozen kernels per iteration costs far more than the arithmetic.
 *
 * tiny_net_train runs iterations 0..last of full-batch gradient descent, each
 * the notebook's step (forward, backward, update), with every operation in
 * the order and form the step-by-step kernels use:
 *
 *   Z[l] = W[l] A[l-1] (sum in increasing k), then + b[l]; A[l] = 1/(1+exp(-Z))
 *   dZ[L] = A[L] - Y
 *   dW[l] = 1/m * (dZ[l] A[l-1]^T) (sum in increasing j); db[l] likewise
 *   dA[l-1] = W[l]^T dZ[l] (sum in increasing i); dZ[l-1] = dA (A (1 - A))
 *   W[l] -= lr dW[l]; b[l] -= lr db[l]
 *
 * and after the update of every iteration i with i % every == 0 (and once
 * more after the last) it records the predictions A[L] > 0.5 of a fresh
 * forward pass, as the notebook prints them.
 *
 * Preconditions (the host tests them): every layer sigmoid; launched as one
 * work-item (global size 1, local size 1: valid on every device); the
 * buffers laid out as below.  What is left out: no parallelism at all - one
 * work-item does everything, which is the fastest way for nets this small
 * and slow for anything larger, so the host uses it only for tiny nets.
 *
 *   n     L + 1 widths n[0..L]
 *   X     (n[0], m) inputs          Y  (n[L], m) targets
 *   P     for l = 1..L: W[l] (n[l], n[l-1]) then b[l] (n[l]), read and updated
 *   work  for l = 1..L: A[l] (n[l], m) then dZ[l] (n[l], m)
 *   pred  (last / every + 2) blocks of n[L] * m ints: one per checkpoint,
 *         then the final one
 */

/* Offsets of layer l's W in P and of its A in work. */
inline size_t tn_param_offset(const int l, __global const int *n)
{
    size_t off = 0;
    for (int q = 1; q < l; q++)
        off += (size_t)n[q] * n[q - 1] + n[q];
    return off;
}

inline size_t tn_work_offset(const int l, __global const int *n, const int m)
{
    size_t off = 0;
    for (int q = 1; q < l; q++)
        off += 2 * (size_t)n[q] * m;
    return off;
}

/* A[1..L] from X and the current parameters. */
inline void tn_forward(const int L, __global const int *n, const int m,
                       __global const real *X, __global const real *P, __global real *work)
{
    for (int l = 1; l <= L; l++) {
        __global const real *W = P + tn_param_offset(l, n);
        __global const real *b = W + (size_t)n[l] * n[l - 1];
        __global const real *prev = l == 1 ? X : work + tn_work_offset(l - 1, n, m);
        __global real *A = work + tn_work_offset(l, n, m);
        const int rows = n[l], inner = n[l - 1];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < m; j++) {
                real acc = 0;
                for (int k = 0; k < inner; k++)
                    acc += W[i * inner + k] * prev[k * m + j];
                real z = (real)1 * acc;
                z += b[i];
                A[i * m + j] = (real)1 / ((real)1 + exp(-z));
            }
    }
}

__kernel void tiny_net_train(const int L, __global const int *n, const int m, const int last,
                             const int every, const real lr, __global const real *X,
                             __global const real *Y, __global real *P, __global real *work,
                             __global int *pred)
{
    const real inv_m = (real)(1.0 / m);
    const int n_out = n[L];
    __global real *AL = work + tn_work_offset(L, n, m);
    int block = 0;

    for (int it = 0; it <= last + 1; it++) {
        tn_forward(L, n, m, X, P, work);

        /* the predictions after iteration it - 1, and after the last */
        const int checkpoint = it > 0 && (it - 1) % every == 0;
        for (int copy = 0; copy < checkpoint + (it == last + 1); copy++) {
            for (int g = 0; g < n_out * m; g++)
                pred[block * n_out * m + g] = AL[g] > (real)0.5;
            block++;
        }
        if (it == last + 1)
            break;

        /* dZ[L] = A[L] - Y */
        __global real *dZL = AL + (size_t)n_out * m;
        for (int g = 0; g < n_out * m; g++)
            dZL[g] = AL[g] - Y[g];

        for (int l = L; l >= 1; l--) {
            __global real *W = P + tn_param_offset(l, n);
            __global real *b = W + (size_t)n[l] * n[l - 1];
            __global const real *prev = l == 1 ? X : work + tn_work_offset(l - 1, n, m);
            __global const real *dZ = work + tn_work_offset(l, n, m) + (size_t)n[l] * m;
            const int rows = n[l], inner = n[l - 1];

            /* dA[l-1] and dZ[l-1] with W[l] as it was before this update */
            if (l > 1) {
                __global real *dZprev = work + tn_work_offset(l - 1, n, m) + (size_t)inner * m;
                for (int k = 0; k < inner; k++)
                    for (int j = 0; j < m; j++) {
                        real acc = 0;
                        for (int i = 0; i < rows; i++)
                            acc += W[i * inner + k] * dZ[i * m + j];
                        const real da = (real)1 * acc;
                        const real a = prev[k * m + j];
                        dZprev[k * m + j] = da * (a * ((real)1 - a));
                    }
            }

            /* W[l] -= lr dW[l], b[l] -= lr db[l] */
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < inner; k++) {
                    real acc = 0;
                    for (int j = 0; j < m; j++)
                        acc += dZ[i * m + j] * prev[k * m + j];
                    const real dw = inv_m * acc;
                    W[i * inner + k] -= lr * dw;
                }
                real acc = 0;
                for (int j = 0; j < m; j++)
                    acc += dZ[i * m + j];
                const real db = inv_m * acc;
                b[i] -= lr * db;
            }
        }
    }
}
