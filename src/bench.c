/*
 * bench.c - the measurements behind `cltrain bench`: the device's ceilings
 * (multiply-add rate, copy bandwidth), the matmul kernels as the network uses
 * them, and whole training steps.  Every figure comes from a run whose result
 * was checked against the CPU: the peak kernel's sum, the copied buffer,
 * sampled elements of each product, one verified training step.
 *
 * Timing: the work is enqueued R times back to back and waited for once, R
 * doubled until one batch takes at least 20 ms; five such batches are timed
 * and the median per-call time kept.  Leaves out: warm-up of clocks,
 * pinning, anything about the host's other load.
 */
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net_internal.h"
#include "ops.h"

#define TRY(expr) do { int st_ = (expr); if (st_ != CLT_OK) return st_; } while (0)
#define BATCHES 5
#define MIN_BATCH_S 0.02

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

typedef int (*work_fn)(clt_context *ctx, void *user);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median seconds of one call of fn, as the file comment describes. */
static int time_calls(clt_context *ctx, work_fn fn, void *user, double *seconds)
{
    TRY(fn(ctx, user)); /* warm-up: first launches pay for setup */
    TRY(clt_finish(ctx));

    long reps = 1;
    double t;
    for (;;) {
        double t0 = now();
        for (long r = 0; r < reps; r++)
            TRY(fn(ctx, user));
        TRY(clt_finish(ctx));
        t = now() - t0;
        if (t >= MIN_BATCH_S || reps >= (1L << 20))
            break;
        reps *= 2;
    }

    double per[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now();
        for (long r = 0; r < reps; r++)
            TRY(fn(ctx, user));
        TRY(clt_finish(ctx));
        per[b] = (now() - t0) / (double)reps;
    }
    qsort(per, BATCHES, sizeof per[0], cmp_double);
    *seconds = per[BATCHES / 2];
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Ceilings                                                                 */
/* ------------------------------------------------------------------------ */

#define FMA_ITERS 4096
#define FMA_SCALE 0.999

struct peak_job {
    cl_mem out;
    size_t items;
};

static int peak_call(clt_context *ctx, void *user)
{
    struct peak_job *j = user;
    int iters = FMA_ITERS;
    TRY(clt_arg(ctx, K_BENCH_FMA, 0, sizeof iters, &iters));
    TRY(clt_arg_real(ctx, K_BENCH_FMA, 1, FMA_SCALE));
    TRY(clt_arg(ctx, K_BENCH_FMA, 2, sizeof j->out, &j->out));
    return clt_enqueue(ctx, K_BENCH_FMA, j->items, 0);
}

int clt_bench_peak(clt_context *ctx, double *gflops)
{
    /* Enough work-items to fill every compute unit many times over. */
    struct peak_job j = {NULL, (size_t)ctx->info.compute_units * 2048};
    double seconds, first = 0;
    TRY(clt_buffer_create(ctx, j.items, &j.out));
    int st = time_calls(ctx, peak_call, &j, &seconds);

    /* The check: chain c starts at g + c and after n steps is
     * x^n (g + c - 1) + 1; work-item 0's sum is known in closed form. */
    if (st == CLT_OK)
        st = clt_buffer_read(ctx, j.out, &first, 1);
    clt_buffer_release(&j.out);
    TRY(st);
    double want = 0, decay = pow(FMA_SCALE, FMA_ITERS);
    for (int c = 0; c < 12; c++)
        want += 8 * ((c - 1) * decay + 1);
    if (!(fabs(first - want) <= 1e-3 * fabs(want)))
        return clt_fail(CLT_ERR_MISMATCH, "bench: the peak kernel summed to %g, not %g", first,
                        want);
    *gflops = 2.0 * 96 * FMA_ITERS * (double)j.items / seconds * 1e-9;
    return CLT_OK;
}

struct copy_job {
    cl_mem src, dst;
    int count;
};

static int copy_call(clt_context *ctx, void *user)
{
    struct copy_job *j = user;
    TRY(clt_arg(ctx, K_BENCH_COPY, 0, sizeof j->count, &j->count));
    TRY(clt_arg(ctx, K_BENCH_COPY, 1, sizeof j->src, &j->src));
    TRY(clt_arg(ctx, K_BENCH_COPY, 2, sizeof j->dst, &j->dst));
    return clt_enqueue(ctx, K_BENCH_COPY, (size_t)j->count, 0);
}

int clt_bench_copy(clt_context *ctx, int mib, double *gbs)
{
    size_t es = clt_precision_size(ctx->precision);
    struct copy_job j = {NULL, NULL, (int)((size_t)mib * 1048576 / es)};
    double *host = malloc((size_t)j.count * sizeof(double)), seconds = 0;
    if (!host)
        return clt_fail(CLT_ERR_NOMEM, "bench: out of memory for the copy");
    for (int i = 0; i < j.count; i++)
        host[i] = i % 1000;

    int st = clt_buffer_create(ctx, (size_t)j.count, &j.src);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, (size_t)j.count, &j.dst);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, j.src, host, (size_t)j.count);
    if (st == CLT_OK)
        st = time_calls(ctx, copy_call, &j, &seconds);
    if (st == CLT_OK) {
        memset(host, 0, (size_t)j.count * sizeof(double));
        st = clt_buffer_read(ctx, j.dst, host, (size_t)j.count);
    }
    for (int i = 0; st == CLT_OK && i < j.count; i++)
        if (host[i] != i % 1000)
            st = clt_fail(CLT_ERR_MISMATCH, "bench: the copy differs at element %d", i);
    free(host);
    clt_buffer_release(&j.src);
    clt_buffer_release(&j.dst);
    TRY(st);
    *gbs = 2.0 * (double)j.count * es / seconds * 1e-9;
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Matmul                                                                   */
/* ------------------------------------------------------------------------ */

struct matmul_job {
    const char *op;
    int M, N, K;
    cl_mem A, B, C;
};

static int matmul_call(clt_context *ctx, void *user)
{
    struct matmul_job *j = user;
    return clt_op_matmul(ctx, j->op, j->M, j->N, j->K, 1.0, j->A, j->B, j->C);
}

static double *random_matrix(clt_rng *rng, size_t count)
{
    double *v = malloc((count ? count : 1) * sizeof(double));
    if (v)
        for (size_t i = 0; i < count; i++)
            v[i] = 2 * clt_rng_double(rng) - 1;
    return v;
}

/* Checks 256 sampled elements (the four corners among them) of the device's
 * product against sums in double on the host.  The device's error is at most
 * about K eps sum_k |a b| (eps of its precision); one wrong or missing term
 * is of order sum_k |a b| / K, far larger for every K used here. */
static int check_product(clt_context *ctx, const struct matmul_job *j, const double *A,
                         const double *B, double *max_err)
{
    size_t count = (size_t)j->M * j->N;
    double *C = malloc(count * sizeof(double));
    if (!C)
        return clt_fail(CLT_ERR_NOMEM, "bench: out of memory checking a product");
    int st = clt_buffer_read(ctx, j->C, C, count);
    double eps = ctx->precision == CLT_DOUBLE ? 1.1e-16 : 6e-8, tol = j->K * eps;
    clt_rng rng;
    clt_rng_seed(&rng, 7);
    *max_err = 0;
    for (int s = 0; s < 256 && st == CLT_OK; s++) {
        int i = s < 4 ? (s & 1) * (j->M - 1) : (int)clt_rng_interval(&rng, j->M - 1);
        int c = s < 4 ? (s >> 1) * (j->N - 1) : (int)clt_rng_interval(&rng, j->N - 1);
        double sum = 0, size = 0;
        for (int k = 0; k < j->K; k++) {
            double a = j->op[0] == 't' ? A[(size_t)k * j->M + i] : A[(size_t)i * j->K + k];
            double b = j->op[1] == 't' ? B[(size_t)c * j->K + k] : B[(size_t)k * j->N + c];
            sum += a * b;
            size += fabs(a * b);
        }
        double err = fabs(C[(size_t)i * j->N + c] - sum) / (size > 0 ? size : 1);
        *max_err = err > *max_err ? err : *max_err;
        if (!(err <= tol))
            st = clt_fail(CLT_ERR_MISMATCH, "bench: matmul %s %dx%dx%d element (%d, %d): "
                          "device %.9g, host %.9g", j->op, j->M, j->N, j->K, i, c,
                          C[(size_t)i * j->N + c], sum);
    }
    free(C);
    return st;
}

int clt_bench_matmul(clt_context *ctx, const char *op, int M, int N, int K, double *gflops,
                     double *max_err)
{
    struct matmul_job j = {op, M, N, K, NULL, NULL, NULL};
    size_t na = (size_t)M * K, nb = (size_t)K * N;
    clt_rng rng;
    clt_rng_seed(&rng, 1);
    double *A = random_matrix(&rng, na), *B = random_matrix(&rng, nb), seconds = 0;
    int st = A && B ? CLT_OK : clt_fail(CLT_ERR_NOMEM, "bench: out of memory for a product");

    if (st == CLT_OK)
        st = clt_buffer_create(ctx, na, &j.A);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, nb, &j.B);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, (size_t)M * N, &j.C);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, j.A, A, na);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, j.B, B, nb);
    if (st == CLT_OK)
        st = matmul_call(ctx, &j);
    if (st == CLT_OK)
        st = check_product(ctx, &j, A, B, max_err);
    if (st == CLT_OK)
        st = time_calls(ctx, matmul_call, &j, &seconds);
    free(A);
    free(B);
    clt_buffer_release(&j.A);
    clt_buffer_release(&j.B);
    clt_buffer_release(&j.C);
    TRY(st);
    *gflops = 2.0 * M * N * (double)K / seconds * 1e-9;
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Training steps                                                           */
/* ------------------------------------------------------------------------ */

#define TRAIN_LR 0.1

static int step_call(clt_context *ctx, void *user)
{
    (void)ctx;
    clt_net *net = user;
    TRY(clt_net_forward(net));
    TRY(clt_net_backward(net));
    return clt_net_update(net, TRAIN_LR);
}

/* Random inputs in [0, 1) and one-hot targets of random classes. */
static int set_random_batch(clt_net *net, int m)
{
    const clt_shape *s = clt_net_shape(net);
    int n_in = s->n[0], n_out = s->n[s->L];
    double *X = malloc((size_t)n_in * m * sizeof(double));
    double *Y = calloc((size_t)n_out * m, sizeof(double));
    int st = X && Y ? CLT_OK : clt_fail(CLT_ERR_NOMEM, "bench: out of memory for a batch");
    clt_rng rng;
    clt_rng_seed(&rng, 2);
    for (size_t i = 0; st == CLT_OK && i < (size_t)n_in * m; i++)
        X[i] = clt_rng_double(&rng);
    for (int j = 0; st == CLT_OK && j < m; j++)
        Y[(size_t)clt_rng_interval(&rng, n_out - 1) * m + j] = 1;
    if (st == CLT_OK)
        st = clt_net_set_batch(net, X, Y, m);
    free(X);
    free(Y);
    return st;
}

/* One step under the --verify checker. */
static int verified_step(clt_net *net, double *max_err)
{
    clt_verify v;
    TRY(clt_verify_init(&v, net, clt_verify_tolerance(clt_context_precision(net->ctx))));
    int st = clt_verify_before(&v, net);
    if (st == CLT_OK)
        st = step_call(net->ctx, net);
    if (st == CLT_OK)
        st = clt_verify_after(&v, net, TRAIN_LR);
    *max_err = v.max_err;
    clt_verify_free(&v);
    return st;
}

int clt_bench_train(clt_context *ctx, const clt_shape *shape, int m, double *samples_per_s,
                    double *max_err)
{
    clt_params p;
    clt_net *net = NULL;
    double seconds = 0;
    TRY(clt_params_alloc(&p, shape));
    clt_params_init_numpy(&p, 1, 0.1);
    int st = clt_net_create(ctx, shape, m, &net);
    if (st == CLT_OK)
        st = clt_net_set_params(net, &p);
    if (st == CLT_OK)
        st = set_random_batch(net, m);
    if (st == CLT_OK)
        st = verified_step(net, max_err);
    if (st == CLT_OK)
        st = time_calls(ctx, step_call, net, &seconds);
    clt_net_free(net);
    clt_params_free(&p);
    TRY(st);
    *samples_per_s = m / seconds;
    return CLT_OK;
}
