/*
 * bench.cl - the two ceilings `cltrain bench` measures a device by: its rate
 * of fused multiply-adds and its device-to-device copy bandwidth.  Not used
 * in training.
 *
 *   bench_fma   each work-item runs 12 independent chains of 8-wide
 *               multiply-adds, `iters` steps each (2 * 96 * iters flops:
 *               enough chains to cover two FMA units' latency), and
 *               writes their sum so nothing can be optimised away
 *   bench_copy  dst[g] = src[g] over count elements
 */

#define BF_VEC_(type, n) type##n
#define BF_VEC(type, n) BF_VEC_(type, n)
typedef BF_VEC(REAL, 8) bf_real8;

__kernel void bench_fma(const int iters, const real scale, __global real *out)
{
    const size_t g = get_global_id(0);
    const bf_real8 x = (bf_real8)(scale), y = (bf_real8)((real)1 - scale);
    bf_real8 c0 = (bf_real8)((real)g), c1 = c0 + (real)1, c2 = c0 + (real)2, c3 = c0 + (real)3;
    bf_real8 c4 = c0 + (real)4, c5 = c0 + (real)5, c6 = c0 + (real)6, c7 = c0 + (real)7;
    bf_real8 c8 = c0 + (real)8, c9 = c0 + (real)9, ca = c0 + (real)10, cb = c0 + (real)11;
    for (int i = 0; i < iters; i++) {
        c0 = mad(c0, x, y);
        c1 = mad(c1, x, y);
        c2 = mad(c2, x, y);
        c3 = mad(c3, x, y);
        c4 = mad(c4, x, y);
        c5 = mad(c5, x, y);
        c6 = mad(c6, x, y);
        c7 = mad(c7, x, y);
        c8 = mad(c8, x, y);
        c9 = mad(c9, x, y);
        ca = mad(ca, x, y);
        cb = mad(cb, x, y);
    }
    const bf_real8 s = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) +
                       ((c8 + c9) + (ca + cb));
    out[g] = ((s.s0 + s.s1) + (s.s2 + s.s3)) + ((s.s4 + s.s5) + (s.s6 + s.s7));
}

__kernel void bench_copy(const int count, __global const real *src, __global real *dst)
{
    const int g = get_global_id(0);
    if (g >= count)
        return;
    dst[g] = src[g];
}
