/*
 * test_matmul_fast.c - the fast matmul kernels (matmul_tiled.cl and
 * matmul_block.cl) against the CPU, forced onto every size, in float and
 * double:
 *
 *   - every product (nn, nt, tn) at awkward sizes (1, 3, 17, 65, 257, and
 *     non-multiples of every block), with guard elements after C that must
 *     come back untouched, under several local sizes (1 x 1, 3 x 1, 1 x 3,
 *     3 x 3 and the default);
 *   - the same product twice on random data: bit for bit the same;
 *   - short lockstep training runs through each fast path with the --verify
 *     checker (every buffer of every step against the CPU reference);
 *   - and all of the first item again in child processes whose PoCL reports
 *     a maximum work-group size of 1, 3 and 64 (POCL_MAX_WORK_GROUP_SIZE; on
 *     other platforms the children merely repeat the run).
 *
 * Tolerance: inputs are small integers divided by 8, so every product and
 * every partial sum here is exact in float and double (at most 300 terms of
 * multiples of 1/64 below 2^24 / 64): whatever the summation order, the
 * device must match exactly.
 */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_internal.h"
#include "ops.h"
#include "testutil.h"

#define GUARD 64
#define SENTINEL 4321.0

typedef int (*matmul_fn)(clt_context *, const char *, int, int, int, double, cl_mem, cl_mem,
                         cl_mem);

static double *pattern(size_t count, int salt)
{
    double *v = malloc((count ? count : 1) * sizeof(double));
    for (size_t i = 0; i < count; i++)
        v[i] = (double)((int)((i * 7 + salt * 13) % 17) - 8) / 8.0;
    return v;
}

static cl_mem upload(clt_context *ctx, const double *v, size_t n)
{
    cl_mem b = NULL;
    CHECK_OK(clt_buffer_create(ctx, n, &b));
    CHECK_OK(clt_buffer_write(ctx, b, v, n));
    return b;
}

/* op(A) is (M, K), op(B) is (K, N); C compared exactly, guards after it. */
static void check_product(clt_context *ctx, matmul_fn fn, const char *path, const char *op,
                          int M, int N, int K)
{
    size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
    double *A = pattern(na, 1), *B = pattern(nb, 2), *want = malloc(nc * sizeof(double));
    double *got = malloc((nc + GUARD) * sizeof(double)), alpha = 0.5;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < K; k++)
                acc += (op[0] == 't' ? A[(size_t)k * M + i] : A[(size_t)i * K + k]) *
                       (op[1] == 't' ? B[(size_t)j * K + k] : B[(size_t)k * N + j]);
            want[(size_t)i * N + j] = alpha * acc;
        }
    for (size_t i = 0; i < nc + GUARD; i++)
        got[i] = SENTINEL;

    cl_mem dA = upload(ctx, A, na), dB = upload(ctx, B, nb), dC = upload(ctx, got, nc + GUARD);
    CHECK_OK(fn(ctx, op, M, N, K, alpha, dA, dB, dC));
    CHECK_OK(clt_buffer_read(ctx, dC, got, nc + GUARD));

    int bad = 0;
    for (size_t i = 0; i < nc; i++)
        if (got[i] != want[i] && bad++ < 3)
            fprintf(stderr, "%s %s %dx%dx%d: element %zu: device %.17g, CPU %.17g\n", path, op,
                    M, N, K, i, got[i], want[i]);
    for (size_t i = nc; i < nc + GUARD; i++)
        if (got[i] != SENTINEL && bad++ < 3)
            fprintf(stderr, "%s %s %dx%dx%d: wrote past C at +%zu\n", path, op, M, N, K, i - nc);
    if (bad)
        test_failures++;
    free(A);
    free(B);
    free(want);
    free(got);
    clt_buffer_release(&dA);
    clt_buffer_release(&dB);
    clt_buffer_release(&dC);
}

static const int sizes[][3] = {
    {1, 1, 1}, {3, 17, 65}, {17, 65, 3}, {65, 257, 17}, {257, 3, 65}, {1, 257, 17},
    {33, 1, 300}, {9, 23, 8}, {64, 64, 64}, {100, 31, 129},
};

/* The blocked kernels also with panels of one block column (0 KiB) and of a
 * few, the last one narrower (3 KiB), besides the default. */
static void all_products(clt_context *ctx)
{
    static const char *ops[] = {"nn", "nt", "tn"};
    static const char *panels[] = {NULL, "0", "3"};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int o = 0; o < 3; o++) {
            check_product(ctx, clt_op_matmul_tiled, "tiled", ops[o], sizes[s][0], sizes[s][1],
                          sizes[s][2]);
            for (int q = 0; q < 3; q++) {
                if (panels[q])
                    setenv("CLTRAIN_MATMUL_PANEL_KB", panels[q], 1);
                check_product(ctx, clt_op_matmul_block, "block", ops[o], sizes[s][0],
                              sizes[s][1], sizes[s][2]);
                unsetenv("CLTRAIN_MATMUL_PANEL_KB");
            }
        }
}

/* The same random product twice: identical bits. */
static void repeatable(clt_context *ctx, matmul_fn fn, const char *op)
{
    const int M = 70, N = 90, K = 200;
    clt_rng rng;
    clt_rng_seed(&rng, 11);
    double *A = malloc(M * K * sizeof(double)), *B = malloc(K * N * sizeof(double));
    double *c1 = malloc(M * N * sizeof(double)), *c2 = malloc(M * N * sizeof(double));
    for (int i = 0; i < M * K; i++)
        A[i] = clt_rng_gauss(&rng);
    for (int i = 0; i < K * N; i++)
        B[i] = clt_rng_gauss(&rng);
    cl_mem dA = upload(ctx, A, M * K), dB = upload(ctx, B, K * N), dC = NULL;
    CHECK_OK(clt_buffer_create(ctx, M * N, &dC));
    CHECK_OK(fn(ctx, op, M, N, K, 1.0, dA, dB, dC));
    CHECK_OK(clt_buffer_read(ctx, dC, c1, M * N));
    CHECK_OK(fn(ctx, op, M, N, K, 1.0, dA, dB, dC));
    CHECK_OK(clt_buffer_read(ctx, dC, c2, M * N));
    if (memcmp(c1, c2, M * N * sizeof(double)) != 0) {
        fprintf(stderr, "%s: two runs of the same product differ\n", op);
        test_failures++;
    }
    free(A);
    free(B);
    free(c1);
    free(c2);
    clt_buffer_release(&dA);
    clt_buffer_release(&dB);
    clt_buffer_release(&dC);
}

/* Five verified steps of a net whose products are all awkward sizes. */
static void lockstep(clt_context *ctx)
{
    clt_shape s = {3, {65, 257, 17, 3}, {CLT_ACT_TANH, CLT_ACT_SIGMOID, CLT_ACT_SOFTMAX}};
    const int m = 33;
    double *X = malloc((size_t)65 * m * sizeof(double)), *Y = calloc((size_t)3 * m,
                                                                       sizeof(double));
    for (int g = 0; g < 65 * m; g++)
        X[g] = sin(0.37 * g + 1);
    for (int j = 0; j < m; j++)
        Y[(j % 3) * m + j] = 1;
    clt_params p;
    clt_net *net = NULL;
    clt_verify v;
    CHECK_OK(clt_params_alloc(&p, &s));
    clt_params_init_numpy(&p, 4, 0.3);
    CHECK_OK(clt_net_create(ctx, &s, m, &net));
    CHECK_OK(clt_net_set_params(net, &p));
    CHECK_OK(clt_net_set_batch(net, X, Y, m));
    CHECK_OK(clt_verify_init(&v, net, clt_verify_tolerance(clt_context_precision(ctx))));
    int st = CLT_OK;
    for (int i = 0; i < 5 && st == CLT_OK; i++) {
        st = clt_net_step(net, 0.5, &v);
    }
    CHECK_OK(st);
    printf("  lockstep 65-257-17-3, m=33, 5 steps through the %s path: largest error %.3g\n",
           getenv("CLTRAIN_MATMUL"), v.max_err);
    clt_verify_free(&v);
    clt_net_free(net);
    clt_params_free(&p);
    free(X);
    free(Y);
}

static void run(clt_precision p, int device, int child)
{
    static const char *locals[] = {"1x1", "3x1", "1x3", "3x3", NULL};
    for (int l = 0; l < (child ? 1 : 5); l++) {
        if (locals[l] && !child)
            setenv("CLTRAIN_MATMUL_LOCAL", locals[l], 1);
        else
            unsetenv("CLTRAIN_MATMUL_LOCAL");
        clt_context *ctx;
        int st = clt_context_create(device, p, NULL, &ctx);
        if (st == CLT_ERR_NO_FP64) {
            printf("double precision not supported by the device: not tested\n");
            return;
        }
        CHECK_OK(st);
        if (st != CLT_OK)
            return;
        all_products(ctx);
        if (!locals[l] || child)
            printf("%s: local sizes tiled %zux%zu, block %zux%zu (device maximum %zu)\n",
                   clt_precision_name(p), ctx->tile_local[0], ctx->tile_local[1],
                   ctx->block_local[0], ctx->block_local[1], ctx->max_group);
        if (!child && !locals[l]) {
            static const char *ops[] = {"nn", "nt", "tn"};
            for (int o = 0; o < 3; o++) {
                repeatable(ctx, clt_op_matmul_tiled, ops[o]);
                repeatable(ctx, clt_op_matmul_block, ops[o]);
            }
            setenv("CLTRAIN_MATMUL", "tiled", 1);
            lockstep(ctx);
            setenv("CLTRAIN_MATMUL", "block", 1);
            lockstep(ctx);
            unsetenv("CLTRAIN_MATMUL");
        }
        clt_context_free(ctx);
    }
}

/* Runs this program again with POCL_MAX_WORK_GROUP_SIZE=limit. */
static void child_with_limit(const char *self, const char *limit)
{
    pid_t pid = fork();
    if (pid == 0) {
        setenv("POCL_MAX_WORK_GROUP_SIZE", limit, 1);
        execl(self, self, "--child", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "with POCL_MAX_WORK_GROUP_SIZE=%s the checks failed\n", limit);
        test_failures++;
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int child = argc > 1 && strcmp(argv[1], "--child") == 0;
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    if (child)
        printf("child with POCL_MAX_WORK_GROUP_SIZE=%s:\n", getenv("POCL_MAX_WORK_GROUP_SIZE"));
    run(CLT_FLOAT, device, child);
    run(CLT_DOUBLE, device, child);
    if (!child) {
        child_with_limit("/proc/self/exe", "1");
        child_with_limit("/proc/self/exe", "3");
        child_with_limit("/proc/self/exe", "64");
    }
    return test_verdict(child ? "test_matmul_fast (child)" : "test_matmul_fast");
}
