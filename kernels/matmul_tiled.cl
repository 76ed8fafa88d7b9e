/*
 * matmul_tiled.cl - the three products of matmul.cl, blocked for speed:
 *
 *   matmul_tiled_nn  C (M, N) = alpha * A (M, K)   . B (K, N)
 *   matmul_tiled_nt  C (M, N) = alpha * A (M, K)   . B (N, K)^T
 *   matmul_tiled_tn  C (M, N) = alpha * A (K, M)^T . B (K, N)
 *
 * They compute what the plain kernels compute, each output's inner sum in
 * increasing k; only the rounding of fused multiply-adds may differ.
 *
 * Blocking.  A work-group of LX x LY work-items (any shape the host picks,
 * 1 x 1 included) owns a TM x TN block of C, TM = MT_RM * LY and
 * TN = MT_RN * LX.  Per step of MT_TK along k it copies the A and B slices it
 * needs into local memory, transposed products read through their indices as
 * they are copied, then every work-item accumulates its own MT_RM x MT_RN
 * register block from local memory: MT_RM rows times MT_NV vectors of 8.
 *
 * Preconditions (the host tests them before choosing these kernels):
 *   - the global size is (ceil(N / TN) * LX, ceil(M / TM) * LY) with local
 *     size (LX, LY), and the host passes the local tiles As (MT_TK * TM reals)
 *     and Bs (MT_TK * TN reals), which must fit in the device's local memory;
 *   - M, N, K >= 1 and every matrix under 2^31 elements.
 * Any M, N, K is handled: slices past the edges of A and B are filled with
 * zeros, and stores past the edges of C are skipped.  What is left out: no
 * vector loads from global memory (rows need not be aligned), no double
 * buffering of the tiles.
 *
 * Build options (defaults in brackets):
 *   -DMT_RM=n   rows of C per work-item [4]
 *   -DMT_NV=n   vectors of 8 columns of C per work-item [1]
 *   -DMT_TK=n   depth of one local tile along k [32]
 */

#ifndef MT_RM
#define MT_RM 4
#endif
#ifndef MT_NV
#define MT_NV 1
#endif
#ifndef MT_TK
#define MT_TK 32
#endif
#define MT_RN (8 * MT_NV)

#define MT_VEC_(type, n) type##n
#define MT_VEC(type, n) MT_VEC_(type, n)
typedef MT_VEC(REAL, 8) real8;

/* One work-group's block of C; ta and tb are constants in each caller, so
 * the compiler keeps only the indexing of that product. */
inline void mt_block(const int ta, const int tb, const int M, const int N, const int K,
                     const real alpha, __global const real *A, __global const real *B,
                     __global real *C, __local real *As, __local real *Bs)
{
    const int lx = get_local_id(0), ly = get_local_id(1);
    const int LX = get_local_size(0), LY = get_local_size(1);
    const int TM = MT_RM * LY, TN = MT_RN * LX;
    const int i0 = get_group_id(1) * TM, j0 = get_group_id(0) * TN;
    const int lid = ly * LX + lx, n_items = LX * LY;

    real8 acc[MT_RM][MT_NV];
    for (int r = 0; r < MT_RM; r++)
        for (int v = 0; v < MT_NV; v++)
            acc[r][v] = (real8)(0);

    for (int k0 = 0; k0 < K; k0 += MT_TK) {
        /* As[kk * TM + r] = op(A)(i0 + r, k0 + kk); consecutive work-items
         * read consecutive addresses of A in either layout. */
        for (int e = lid; e < MT_TK * TM; e += n_items) {
            const int r = ta ? e % TM : e / MT_TK;
            const int kk = ta ? e / TM : e % MT_TK;
            const int i = i0 + r, k = k0 + kk;
            real a = 0;
            if (i < M && k < K)
                a = ta ? A[(size_t)k * M + i] : A[(size_t)i * K + k];
            As[kk * TM + r] = a;
        }
        /* Bs[kk * TN + c] = op(B)(k0 + kk, j0 + c) */
        for (int e = lid; e < MT_TK * TN; e += n_items) {
            const int c = tb ? e / MT_TK : e % TN;
            const int kk = tb ? e % MT_TK : e / TN;
            const int j = j0 + c, k = k0 + kk;
            real b = 0;
            if (j < N && k < K)
                b = tb ? B[(size_t)j * K + k] : B[(size_t)k * N + j];
            Bs[kk * TN + c] = b;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        const __local real *as = As + ly * MT_RM;
        const __local real *bs = Bs + lx * MT_RN;
        for (int kk = 0; kk < MT_TK; kk++) {
            real8 b[MT_NV];
            for (int v = 0; v < MT_NV; v++)
                b[v] = vload8(v, bs + kk * TN);
            for (int r = 0; r < MT_RM; r++) {
                const real a = as[kk * TM + r];
                for (int v = 0; v < MT_NV; v++)
                    acc[r][v] += a * b[v];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    /* Whole vectors where the block lies inside C, single elements at edges. */
    const int jw = j0 + lx * MT_RN;
    for (int r = 0; r < MT_RM; r++) {
        const int i = i0 + ly * MT_RM + r;
        if (i >= M)
            break;
        __global real *row = C + (size_t)i * N;
        for (int v = 0; v < MT_NV; v++) {
            const int j = jw + 8 * v;
            const real8 out = alpha * acc[r][v];
            if (j + 8 <= N) {
                vstore8(out, 0, row + j);
            } else {
                real tmp[8];
                vstore8(out, 0, tmp);
                for (int c = 0; c < 8 && j + c < N; c++)
                    row[j + c] = tmp[c];
            }
        }
    }
}

__kernel void matmul_tiled_nn(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              __local real *As, __local real *Bs)
{
    mt_block(0, 0, M, N, K, alpha, A, B, C, As, Bs);
}

__kernel void matmul_tiled_nt(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              __local real *As, __local real *Bs)
{
    mt_block(0, 1, M, N, K, alpha, A, B, C, As, Bs);
}

__kernel void matmul_tiled_tn(const int M, const int N, const int K, const real alpha,
                              __global const real *A, __global const real *B, __global real *C,
                              __local real *As, __local real *Bs)
{
    mt_block(1, 0, M, N, K, alpha, A, B, C, As, Bs);
}
