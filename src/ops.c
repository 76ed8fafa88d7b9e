/*
 * ops.c - host wrappers of the kernels in the .cl files under kernels/: argument order and
 * launch shape live here and nowhere else.
 *
 * The matmul dispatch picks a fast kernel when its preconditions hold and the
 * product is large enough to gain: matmul_block.cl where the device's local
 * memory is global memory (CPUs), matmul_tiled.cl elsewhere (GPUs); else the
 * plain kernels of matmul.cl.  Environment read here:
 *   CLTRAIN_MATMUL         plain | tiled | block: force one path for every
 *                          size (a fast one only where its preconditions
 *                          hold), for tests and the benchmark; unset: choose
 *   CLTRAIN_MATMUL_LOCAL   LXxLY: preferred local size of the tiled kernels
 *                          (halved as needed to fit the device)
 *   CLTRAIN_MATMUL_PANEL_KB  KiB of B per panel of the blocked kernels
 *                          (default PANEL_BYTES; 0: one block column)
 */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARG(k, i, v)                                                    \
    do {                                                                \
        int st_ = clt_arg(ctx, k, i, sizeof(v), &(v));                  \
        if (st_)                                                        \
            return st_;                                                 \
    } while (0)
#define ARG_REAL(k, i, v)                                               \
    do {                                                                \
        int st_ = clt_arg_real(ctx, k, i, v);                           \
        if (st_)                                                        \
            return st_;                                                 \
    } while (0)

int clt_op_matmul_plain(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C)
{
    enum clt_kernel_id k = strcmp(op, "nt") == 0 ? K_MATMUL_NT
                         : strcmp(op, "tn") == 0 ? K_MATMUL_TN : K_MATMUL_NN;
    ARG(k, 0, M);
    ARG(k, 1, N);
    ARG(k, 2, K);
    ARG_REAL(k, 3, alpha);
    ARG(k, 4, A);
    ARG(k, 5, B);
    ARG(k, 6, C);
    return clt_enqueue(ctx, k, (size_t)N, (size_t)M);
}

/* Bytes of the two local tiles of matmul_tiled.cl for a local size lx x ly. */
static cl_ulong tile_bytes(const clt_context *ctx, size_t lx, size_t ly)
{
    size_t tm = (size_t)ctx->mt_rm * ly, tn = (size_t)8 * ctx->mt_nv * lx;
    return (cl_ulong)ctx->mt_tk * (tm + tn) * clt_precision_size(ctx->precision);
}

/* Halves (lx, ly) until the group fits the device's and the kernels'
 * limits and, with its local tiles (tile = 1), the local memory left over
 * by the kernels.  Returns 1 if the final shape fits, 0 if even 1 x 1 does
 * not. */
static int fit_local(const clt_context *ctx, size_t limit, cl_ulong used, int tile, size_t *lx,
                     size_t *ly)
{
    for (;;) {
        int fits = *lx * *ly <= limit && *lx <= ctx->max_items[0] && *ly <= ctx->max_items[1] &&
                   (!tile || used + tile_bytes(ctx, *lx, *ly) <= ctx->local_mem);
        if (fits)
            return 1;
        if (*lx == 1 && *ly == 1)
            return 0;
        if (*lx >= *ly)
            *lx = (*lx + 1) / 2;
        else
            *ly = (*ly + 1) / 2;
    }
}

/* The smallest CL_KERNEL_WORK_GROUP_SIZE and largest local memory use of the
 * three kernels starting at `first`. */
static int kernel_limits(clt_context *ctx, enum clt_kernel_id first, size_t *limit,
                         cl_ulong *used)
{
    *limit = ctx->max_group;
    *used = 0;
    for (int k = first; k < (int)first + 3; k++) {
        size_t group;
        cl_ulong local;
        int st = clt_kernel_limits(ctx, (enum clt_kernel_id)k, &group, &local);
        if (st != CLT_OK)
            return st;
        *limit = group < *limit ? group : *limit;
        *used = local > *used ? local : *used;
    }
    return CLT_OK;
}

/* Chooses the local sizes of the fast kernels once per context: the
 * preferred shape (CLTRAIN_MATMUL_LOCAL=LXxLY, else 8 x 8 on GPUs and 4 x 4
 * on CPUs, where a work-group is a loop on one core and smaller blocks share
 * the cores out more evenly), halved until it fits every limit the device
 * and the compiled kernels report.  A path whose kernels cannot fit is
 * marked unusable (-1). */
static int choose_local(clt_context *ctx)
{
    int cpu = strcmp(ctx->info.type, "CPU") == 0;
    size_t px = cpu ? 4 : 8, py = cpu ? 4 : 8;
    const char *env = getenv("CLTRAIN_MATMUL_LOCAL");
    unsigned ex, ey;
    if (env && sscanf(env, "%ux%u", &ex, &ey) == 2 && ex >= 1 && ey >= 1) {
        px = ex;
        py = ey;
    }

    size_t limit;
    cl_ulong used;
    int st = kernel_limits(ctx, K_MATMUL_TILED_NN, &limit, &used);
    if (st != CLT_OK)
        return st;
    ctx->tile_local[0] = px;
    ctx->tile_local[1] = py;
    ctx->tile_ready = limit >= 1 && fit_local(ctx, limit, used, 1, &ctx->tile_local[0],
                                              &ctx->tile_local[1]) ? 1 : -1;

    /* The blocked kernels run on CPUs, where PoCL and others turn a group into
     * a loop over its work-items; single work-items measured fastest (the
     * loop does not vectorise across work-items that use vectors already). */
    st = kernel_limits(ctx, K_MATMUL_BLOCK_NN, &limit, &used);
    if (st != CLT_OK)
        return st;
    ctx->block_local[0] = env ? px : 1;
    ctx->block_local[1] = env ? py : 1;
    ctx->block_ready = limit >= 1 && fit_local(ctx, limit, used, 0, &ctx->block_local[0],
                                               &ctx->block_local[1]) ? 1 : -1;
    return CLT_OK;
}

int clt_op_matmul_tiled(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C)
{
    if (ctx->tile_ready == 0) {
        int st = choose_local(ctx);
        if (st != CLT_OK)
            return st;
    }
    if (ctx->tile_ready < 0)
        return clt_fail(CLT_ERR_ARG, "the tiled matmul does not fit on device '%s'",
                        ctx->info.name);
    if (M < 1 || N < 1 || K < 1)
        return clt_fail(CLT_ERR_ARG, "tiled matmul of %d x %d x %d: every size must be >= 1",
                        M, N, K);

    enum clt_kernel_id k = strcmp(op, "nt") == 0 ? K_MATMUL_TILED_NT
                         : strcmp(op, "tn") == 0 ? K_MATMUL_TILED_TN : K_MATMUL_TILED_NN;
    size_t lx = ctx->tile_local[0], ly = ctx->tile_local[1];
    size_t tm = (size_t)ctx->mt_rm * ly, tn = (size_t)8 * ctx->mt_nv * lx;
    size_t es = clt_precision_size(ctx->precision);
    ARG(k, 0, M);
    ARG(k, 1, N);
    ARG(k, 2, K);
    ARG_REAL(k, 3, alpha);
    ARG(k, 4, A);
    ARG(k, 5, B);
    ARG(k, 6, C);
    int st = clt_arg(ctx, k, 7, (size_t)ctx->mt_tk * tm * es, NULL);
    if (st == CLT_OK)
        st = clt_arg(ctx, k, 8, (size_t)ctx->mt_tk * tn * es, NULL);
    if (st != CLT_OK)
        return st;
    return clt_enqueue_local(ctx, k, (N + tn - 1) / tn * lx, (M + tm - 1) / tm * ly, lx, ly);
}

/* Rounds n up to a multiple of q. */
static size_t round_up(size_t n, size_t q)
{
    return (n + q - 1) / q * q;
}

/* Column blocks per panel of matmul_block.cl (see its "Order of the
 * blocks"): as many as keep the part of B the panel reads (K x `width`
 * columns of C per block) within PANEL_BYTES, which leaves room for the
 * rows of A in a CPU core's L2 cache; at least one, at most all.
 * CLTRAIN_MATMUL_PANEL_KB overrides PANEL_BYTES, for measurements. */
#define PANEL_BYTES (128 * 1024)
static int block_panel(size_t width, int N, int K, size_t es)
{
    size_t bytes = PANEL_BYTES;
    const char *env = getenv("CLTRAIN_MATMUL_PANEL_KB");
    if (env && atoi(env) >= 0)
        bytes = (size_t)atoi(env) * 1024;
    size_t cols = ((size_t)N + width - 1) / width;
    size_t panel = bytes / ((size_t)K * width * es);
    return panel < 1 ? 1 : panel > cols ? (int)cols : (int)panel;
}

int clt_op_matmul_block(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C)
{
    if (ctx->block_ready == 0) {
        int st = choose_local(ctx);
        if (st != CLT_OK)
            return st;
    }
    if (ctx->block_ready < 0)
        return clt_fail(CLT_ERR_ARG, "the blocked matmul does not fit on device '%s'",
                        ctx->info.name);
    if (M < 1 || N < 1 || K < 1)
        return clt_fail(CLT_ERR_ARG, "blocked matmul of %d x %d x %d: every size must be >= 1",
                        M, N, K);

    int nt = strcmp(op, "nt") == 0;
    enum clt_kernel_id k = nt ? K_MATMUL_BLOCK_NT
                         : strcmp(op, "tn") == 0 ? K_MATMUL_BLOCK_TN : K_MATMUL_BLOCK_NN;
    /* work-items: one per block of C (see matmul_block.cl for the shapes) */
    size_t rows = nt ? (size_t)ctx->nt_rm : (size_t)ctx->mt_rm;
    size_t cols = nt ? (size_t)ctx->nt_cn : (size_t)8 * ctx->mt_nv;
    size_t lx = ctx->block_local[0], ly = ctx->block_local[1];
    ARG(k, 0, M);
    ARG(k, 1, N);
    ARG(k, 2, K);
    ARG_REAL(k, 3, alpha);
    ARG(k, 4, A);
    ARG(k, 5, B);
    ARG(k, 6, C);
    size_t blocks = ((size_t)M + rows - 1) / rows * ((N + cols - 1) / cols);
    int panel = block_panel(cols, N, K, clt_precision_size(ctx->precision));
    ARG(k, 7, panel);
    return clt_enqueue_local(ctx, k, round_up((blocks + ly - 1) / ly, lx), ly, lx, ly);
}

int clt_op_matmul(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                  cl_mem A, cl_mem B, cl_mem C)
{
    const char *mode = getenv("CLTRAIN_MATMUL");
    int force = mode && (strcmp(mode, "plain") == 0 || strcmp(mode, "tiled") == 0 ||
                         strcmp(mode, "block") == 0);
    if (force && strcmp(mode, "plain") == 0)
        return clt_op_matmul_plain(ctx, op, M, N, K, alpha, A, B, C);
    if (ctx->tile_ready == 0) {
        int st = choose_local(ctx);
        if (st != CLT_OK)
            return st;
    }

    /* Below about 2^15 multiply-adds the blocks are mostly padding and the
     * plain kernel is as fast.  Where local memory is global memory the
     * blocked kernels skip the copy into it; elsewhere the tiled ones use it. */
    int use_block = force ? strcmp(mode, "block") == 0 : ctx->local_is_global;
    int usable = M >= 1 && N >= 1 && K >= 1 &&
                 (use_block ? ctx->block_ready : ctx->tile_ready) > 0;
    if (usable && (force || (int64_t)M * N * K >= 32768))
        return use_block ? clt_op_matmul_block(ctx, op, M, N, K, alpha, A, B, C)
                         : clt_op_matmul_tiled(ctx, op, M, N, K, alpha, A, B, C);
    return clt_op_matmul_plain(ctx, op, M, N, K, alpha, A, B, C);
}

int clt_op_bias_add(clt_context *ctx, int n, int m, cl_mem Z, cl_mem b)
{
    ARG(K_BIAS_ADD, 0, n);
    ARG(K_BIAS_ADD, 1, m);
    ARG(K_BIAS_ADD, 2, Z);
    ARG(K_BIAS_ADD, 3, b);
    return clt_enqueue(ctx, K_BIAS_ADD, (size_t)n * m, 0);
}

int clt_op_act_forward(clt_context *ctx, clt_activation act, int n, int m, cl_mem Z, cl_mem A)
{
    if (act == CLT_ACT_SOFTMAX) {
        ARG(K_SOFTMAX_FWD, 0, n);
        ARG(K_SOFTMAX_FWD, 1, m);
        ARG(K_SOFTMAX_FWD, 2, Z);
        ARG(K_SOFTMAX_FWD, 3, A);
        return clt_enqueue(ctx, K_SOFTMAX_FWD, (size_t)m, 0);
    }
    enum clt_kernel_id k = act == CLT_ACT_TANH ? K_TANH_FWD
                         : act == CLT_ACT_RELU ? K_RELU_FWD
                         : act == CLT_ACT_LINEAR ? K_COPY_FWD : K_SIGMOID_FWD;
    int count = n * m;
    ARG(k, 0, count);
    ARG(k, 1, Z);
    ARG(k, 2, A);
    return clt_enqueue(ctx, k, (size_t)count, 0);
}

int clt_op_act_backward(clt_context *ctx, clt_activation act, int count, cl_mem dA, cl_mem A,
                        cl_mem dZ)
{
    if (act == CLT_ACT_LINEAR || act == CLT_ACT_SOFTMAX) {
        /* identity: dZ = dA */
        ARG(K_COPY_FWD, 0, count);
        ARG(K_COPY_FWD, 1, dA);
        ARG(K_COPY_FWD, 2, dZ);
        return clt_enqueue(ctx, K_COPY_FWD, (size_t)count, 0);
    }
    enum clt_kernel_id k = act == CLT_ACT_TANH ? K_TANH_BWD
                         : act == CLT_ACT_RELU ? K_RELU_BWD : K_SIGMOID_BWD;
    ARG(k, 0, count);
    ARG(k, 1, dA);
    ARG(k, 2, A);
    ARG(k, 3, dZ);
    return clt_enqueue(ctx, k, (size_t)count, 0);
}

int clt_op_output_delta(clt_context *ctx, int count, cl_mem A, cl_mem Y, cl_mem dZ)
{
    ARG(K_OUTPUT_DELTA, 0, count);
    ARG(K_OUTPUT_DELTA, 1, A);
    ARG(K_OUTPUT_DELTA, 2, Y);
    ARG(K_OUTPUT_DELTA, 3, dZ);
    return clt_enqueue(ctx, K_OUTPUT_DELTA, (size_t)count, 0);
}

int clt_op_column_sum(clt_context *ctx, int n, int m, double scale, cl_mem dZ, cl_mem db)
{
    ARG(K_COLUMN_SUM, 0, n);
    ARG(K_COLUMN_SUM, 1, m);
    ARG_REAL(K_COLUMN_SUM, 2, scale);
    ARG(K_COLUMN_SUM, 3, dZ);
    ARG(K_COLUMN_SUM, 4, db);
    return clt_enqueue(ctx, K_COLUMN_SUM, (size_t)n, 0);
}

int clt_op_sgd(clt_context *ctx, int count, double lr, cl_mem P, cl_mem dP)
{
    ARG(K_SGD_UPDATE, 0, count);
    ARG_REAL(K_SGD_UPDATE, 1, lr);
    ARG(K_SGD_UPDATE, 2, P);
    ARG(K_SGD_UPDATE, 3, dP);
    return clt_enqueue(ctx, K_SGD_UPDATE, (size_t)count, 0);
}

int clt_op_gather(clt_context *ctx, int n, int m, int src_m, int offset, cl_mem src, cl_mem idx,
                  cl_mem dst)
{
    ARG(K_GATHER_COLUMNS, 0, n);
    ARG(K_GATHER_COLUMNS, 1, m);
    ARG(K_GATHER_COLUMNS, 2, src_m);
    ARG(K_GATHER_COLUMNS, 3, offset);
    ARG(K_GATHER_COLUMNS, 4, src);
    ARG(K_GATHER_COLUMNS, 5, idx);
    ARG(K_GATHER_COLUMNS, 6, dst);
    return clt_enqueue(ctx, K_GATHER_COLUMNS, (size_t)n * m, 0);
}

int clt_op_tiny_net(clt_context *ctx, int L, cl_mem n, int m, int last, int every, double lr,
                    cl_mem X, cl_mem Y, cl_mem P, cl_mem work, cl_mem pred)
{
    ARG(K_TINY_NET_TRAIN, 0, L);
    ARG(K_TINY_NET_TRAIN, 1, n);
    ARG(K_TINY_NET_TRAIN, 2, m);
    ARG(K_TINY_NET_TRAIN, 3, last);
    ARG(K_TINY_NET_TRAIN, 4, every);
    ARG_REAL(K_TINY_NET_TRAIN, 5, lr);
    ARG(K_TINY_NET_TRAIN, 6, X);
    ARG(K_TINY_NET_TRAIN, 7, Y);
    ARG(K_TINY_NET_TRAIN, 8, P);
    ARG(K_TINY_NET_TRAIN, 9, work);
    ARG(K_TINY_NET_TRAIN, 10, pred);
    return clt_enqueue_local(ctx, K_TINY_NET_TRAIN, 1, 1, 1, 1);
}
