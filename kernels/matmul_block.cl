/*
 * matmul_block.cl - the three products of matmul.cl, register-blocked
 * without local memory, for devices whose local memory is ordinary global
 * memory (CL_DEVICE_LOCAL_MEM_TYPE = CL_GLOBAL: CPUs such as PoCL's).  There
 * a copy into local memory buys nothing and the barriers it needs split each
 * work-item's loop, so every work-item reads its operands straight from
 * global memory, the caches doing what local memory does on a GPU.
 *
 *   matmul_block_nn  C (M, N) = alpha * A (M, K)   . B (K, N)
 *   matmul_block_tn  C (M, N) = alpha * A (K, M)^T . B (K, N)
 *       a work-item owns MT_RM rows x 8 MT_NV columns of C, its sums in
 *       increasing k, as the plain kernels;
 *   matmul_block_nt  C (M, N) = alpha * A (M, K)   . B (N, K)^T
 *       a work-item owns NT_RM x NT_CN elements of C; both operands run
 *       along k, so it sums 8 interleaved partial sums (k mod 8) in
 *       increasing k, adds them pairwise in a fixed order, then the last
 *       K mod 8 terms in increasing k: another fixed order, the same on
 *       every run.
 *
 * Order of the blocks: a work-item's linear index (gid1 x gsize0 + gid0)
 * names its block of C.  The block columns are cut into panels of `panel`
 * columns (the last one may be narrower); the indices run through a panel
 * row of blocks by row of blocks, then on to the next panel.  PoCL hands
 * consecutive indices to the same core, so the part of B a panel reads
 * stays in that core's cache while every row of A passes over it, instead
 * of all of B streaming from memory once per row of blocks.  The order
 * changes which work-item computes a block, never how: each sum is the same.
 *
 * Preconditions (the host tests them): M, N, K >= 1, panel >= 1, every
 * matrix under 2^31 elements; at least ceil(M / MT_RM) x ceil(N / 8 MT_NV)
 * work-items for nn and tn, ceil(M / NT_RM) x ceil(N / NT_CN) for nt, in any
 * 2-D shape and local size; work-items past the last block do nothing.
 * Blocks that cross an edge of C take a slower path with bounds checks; no
 * read or write leaves a matrix.
 *
 * Build options (defaults in brackets; MT_RM, MT_NV as in matmul_tiled.cl):
 *   -DNT_RM=n -DNT_CN=n   the nt block [3 x 4 in float, 2 x 4 in double]
 */

#ifndef MT_RM
#define MT_RM 4
#endif
#ifndef MT_NV
#define MT_NV 1
#endif
#ifndef NT_RM
#ifdef USE_FP64
#define NT_RM 2
#else
#define NT_RM 3
#endif
#endif
#ifndef NT_CN
#define NT_CN 4
#endif

#define MB_VEC_(type, n) type##n
#define MB_VEC(type, n) MB_VEC_(type, n)
typedef MB_VEC(REAL, 8) mb_real8;

/* Before every loop of a fixed trip count (the block sizes): PoCL does not
 * unroll them by itself and then keeps the accumulators in memory. */
#define MB_UNROLL _Pragma("unroll")

/* The top-left element (*i0, *j0) of this work-item's bh x bw block of C,
 * in the order described above; 0 for a work-item past the last block. */
inline int mb_block(const int M, const int N, const int bh, const int bw, const int panel,
                    int *i0, int *j0)
{
    const int rows = (M + bh - 1) / bh, cols = (N + bw - 1) / bw;
    const int id = (int)(get_global_id(1) * get_global_size(0) + get_global_id(0));
    if (id >= rows * cols)
        return 0;
    const int p = id / (rows * panel), first = p * panel;
    const int width = min(panel, cols - first), t = id - p * rows * panel;
    *i0 = (t / width) * bh;
    *j0 = (first + t % width) * bw;
    return 1;
}

/* nn and tn: ta is a constant in each caller. */
inline void mb_rows(const int ta, const int M, const int N, const int K, const real alpha,
                    __global const real *A, __global const real *B, __global real *C,
                    const int panel)
{
    int i0, j0;
    if (!mb_block(M, N, MT_RM, 8 * MT_NV, panel, &i0, &j0))
        return;

    mb_real8 acc[MT_RM][MT_NV];
    MB_UNROLL for (int r = 0; r < MT_RM; r++)
        MB_UNROLL for (int v = 0; v < MT_NV; v++)
            acc[r][v] = (mb_real8)(0);

    if (i0 + MT_RM <= M && j0 + 8 * MT_NV <= N) {
        /* inside C: whole vectors, no checks */
        for (int k = 0; k < K; k++) {
            __global const real *brow = B + (size_t)k * N + j0;
            mb_real8 b[MT_NV];
            MB_UNROLL for (int v = 0; v < MT_NV; v++)
                b[v] = vload8(v, brow);
            MB_UNROLL for (int r = 0; r < MT_RM; r++) {
                const real a = ta ? A[(size_t)k * M + i0 + r] : A[(size_t)(i0 + r) * K + k];
                MB_UNROLL for (int v = 0; v < MT_NV; v++)
                    acc[r][v] += a * b[v];
            }
        }
    } else {
        /* across an edge: missing rows and columns read as zero */
        for (int k = 0; k < K; k++) {
            __global const real *brow = B + (size_t)k * N;
            mb_real8 b[MT_NV];
            MB_UNROLL for (int v = 0; v < MT_NV; v++) {
                real t[8];
                MB_UNROLL for (int c = 0; c < 8; c++) {
                    const int j = j0 + 8 * v + c;
                    t[c] = j < N ? brow[j] : (real)0;
                }
                b[v] = vload8(0, t);
            }
            MB_UNROLL for (int r = 0; r < MT_RM; r++) {
                const int i = i0 + r;
                real a = 0;
                if (i < M)
                    a = ta ? A[(size_t)k * M + i] : A[(size_t)i * K + k];
                MB_UNROLL for (int v = 0; v < MT_NV; v++)
                    acc[r][v] += a * b[v];
            }
        }
    }

    for (int r = 0; r < MT_RM && i0 + r < M; r++) {
        __global real *row = C + (size_t)(i0 + r) * N;
        MB_UNROLL for (int v = 0; v < MT_NV; v++) {
            const int j = j0 + 8 * v;
            const mb_real8 out = alpha * acc[r][v];
            if (j + 8 <= N) {
                vstore8(out, 0, row + j);
            } else {
                real t[8];
                vstore8(out, 0, t);
                for (int c = 0; c < 8 && j + c < N; c++)
                    row[j + c] = t[c];
            }
        }
    }
}

__kernel void matmul_block_nn(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              const int panel)
{
    mb_rows(0, M, N, K, alpha, A, B, C, panel);
}

__kernel void matmul_block_tn(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              const int panel)
{
    mb_rows(1, M, N, K, alpha, A, B, C, panel);
}

/* The sum of a vector's lanes, pairwise in a fixed order. */
inline real mb_lanes(const mb_real8 v)
{
    return ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7));
}

__kernel void matmul_block_nt(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              const int panel)
{
    int i0, j0;
    if (!mb_block(M, N, NT_RM, NT_CN, panel, &i0, &j0))
        return;

    /* Rows past the edge of C read the last row instead (never stored), so
     * the loop needs no checks. */
    __global const real *a[NT_RM];
    __global const real *b[NT_CN];
    MB_UNROLL for (int r = 0; r < NT_RM; r++)
        a[r] = A + (size_t)min(i0 + r, M - 1) * K;
    MB_UNROLL for (int c = 0; c < NT_CN; c++)
        b[c] = B + (size_t)min(j0 + c, N - 1) * K;

    mb_real8 acc[NT_RM][NT_CN];
    MB_UNROLL for (int r = 0; r < NT_RM; r++)
        MB_UNROLL for (int c = 0; c < NT_CN; c++)
            acc[r][c] = (mb_real8)(0);

    const int k8 = K / 8;
    for (int q = 0; q < k8; q++) {
        mb_real8 bv[NT_CN];
        MB_UNROLL for (int c = 0; c < NT_CN; c++)
            bv[c] = vload8(q, b[c]);
        MB_UNROLL for (int r = 0; r < NT_RM; r++) {
            const mb_real8 av = vload8(q, a[r]);
            MB_UNROLL for (int c = 0; c < NT_CN; c++)
                acc[r][c] += av * bv[c];
        }
    }

    for (int r = 0; r < NT_RM && i0 + r < M; r++)
        for (int c = 0; c < NT_CN && j0 + c < N; c++) {
            real sum = mb_lanes(acc[r][c]);
            for (int k = 8 * k8; k < K; k++)
                sum += a[r][k] * b[c][k];
            C[(size_t)(i0 + r) * N + j0 + c] = alpha * sum;
        }
}
