/*
 * test_kernels.c - every kernel against the CPU reference's arithmetic, at
 * awkward sizes, in float and double, with guard elements on both sides of
 * every output that must come back untouched.
 *
 * Outputs live in a sub-buffer that starts one alignment unit into a larger
 * buffer filled with a sentinel; after the kernel the whole buffer is read
 * back and the cells before and after the output are checked.
 *
 * Tolerance: inputs are small integers divided by 8 (exact in float), so the
 * products and sums of the matmuls are exact in both precisions up to 2^24;
 * the transcendental kernels (sigmoid, tanh, softmax) are compared with
 * |d - r| <= 4 ulp of the precision times max(1, |r|) (OpenCL allows
 * exp/tanh up to 3-5 ulp in float).
 */
#include <math.h>
#include <string.h>

#include "ocl.h"
#include "ops.h"
#include "testutil.h"

#define GUARD_AFTER 64
#define SENTINEL 12345.0

static clt_context *ctx;
static size_t align_elems;   /* elements in one base-address alignment unit */
static double ulp4;          /* 4 ulp of the precision */

typedef struct guarded {
    cl_mem whole, view;
    size_t count;            /* elements in the view */
} guarded;

static guarded make_output(size_t count)
{
    guarded g = {0};
    size_t total = align_elems + count + GUARD_AFTER;
    double *fill = malloc(total * sizeof(double));
    for (size_t i = 0; i < total; i++)
        fill[i] = SENTINEL;
    CHECK_OK(clt_buffer_create(ctx, total, &g.whole));
    CHECK_OK(clt_buffer_write(ctx, g.whole, fill, total));
    free(fill);

    size_t es = clt_precision_size(clt_context_precision(ctx));
    cl_buffer_region region = {align_elems * es, (count ? count : 1) * es};
    cl_int err;
    g.view = clCreateSubBuffer(g.whole, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region,
                               &err);
    CHECK(err == CL_SUCCESS);
    g.count = count;
    return g;
}

/* Reads the output; checks the guards; returns the values (malloc'd). */
static double *read_output(guarded *g, const char *what)
{
    size_t total = align_elems + g->count + GUARD_AFTER;
    double *all = malloc(total * sizeof(double));
    CHECK_OK(clt_buffer_read(ctx, g->whole, all, total));
    for (size_t i = 0; i < align_elems; i++)
        if (all[i] != SENTINEL) {
            fprintf(stderr, "%s: guard before the output overwritten at -%zu\n", what,
                    align_elems - i);
            test_failures++;
            break;
        }
    for (size_t i = align_elems + g->count; i < total; i++)
        if (all[i] != SENTINEL) {
            fprintf(stderr, "%s: guard after the output overwritten at +%zu\n", what,
                    i - align_elems - g->count);
            test_failures++;
            break;
        }
    double *out = malloc((g->count ? g->count : 1) * sizeof(double));
    memcpy(out, all + align_elems, g->count * sizeof(double));
    free(all);
    clReleaseMemObject(g->view);
    clReleaseMemObject(g->whole);
    return out;
}

static cl_mem make_input(const double *v, size_t count)
{
    cl_mem b;
    CHECK_OK(clt_buffer_create(ctx, count, &b));
    CHECK_OK(clt_buffer_write(ctx, b, v, count));
    return b;
}

/* Small integers / 8: exact in float, products and short sums exact too. */
static double *pattern(size_t count, int salt)
{
    double *v = malloc((count ? count : 1) * sizeof(double));
    for (size_t i = 0; i < count; i++)
        v[i] = (double)((int)((i * 7 + salt * 13) % 17) - 8) / 8.0;
    return v;
}

static int compare(const char *what, const double *got, const double *want, size_t n,
                   double rel)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double tol = rel * fmax(1.0, fabs(want[i]));
        if (!(fabs(got[i] - want[i]) <= tol)) {
            if (bad < 3)
                fprintf(stderr, "%s: element %zu: device %.17g, reference %.17g\n", what, i,
                        got[i], want[i]);
            bad++;
        }
    }
    if (bad) {
        fprintf(stderr, "%s: %d of %zu elements differ\n", what, bad, n);
        test_failures++;
    }
    return bad;
}

/* op(A) is (M, K), op(B) is (K, N). */
static void test_matmul(const char *op, int M, int N, int K)
{
    size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
    double *A = pattern(na, 1), *B = pattern(nb, 2), *C = calloc(nc ? nc : 1, sizeof(double));
    double alpha = 0.5;

    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < K; k++) {
                double a = op[0] == 't' ? A[(size_t)k * M + i] : A[(size_t)i * K + k];
                double b = op[1] == 't' ? B[(size_t)j * K + k] : B[(size_t)k * N + j];
                acc += a * b;
            }
            C[(size_t)i * N + j] = alpha * acc;
        }

    cl_mem dA = make_input(A, na), dB = make_input(B, nb);
    guarded out = make_output(nc);
    CHECK_OK(clt_op_matmul(ctx, op, M, N, K, alpha, dA, dB, out.view));
    char what[64];
    snprintf(what, sizeof what, "matmul_%s %dx%dx%d", op, M, N, K);
    double *got = read_output(&out, what);
    compare(what, got, C, nc, 0); /* exact: see the file comment */
    free(got);
    free(A);
    free(B);
    free(C);
    clReleaseMemObject(dA);
    clReleaseMemObject(dB);
}

static void test_elementwise(int n, int m)
{
    size_t count = (size_t)n * m;
    double *Z = pattern(count, 3), *b = pattern((size_t)n, 4);
    double *want = malloc(count * sizeof(double));
    char what[64];

    /* Z spans large magnitudes too: saturated sigmoid/tanh must stay finite. */
    for (size_t i = 0; i < count; i += 5)
        Z[i] *= (i % 2 ? 1e4 : 40);

    /* bias_add */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            want[(size_t)i * m + j] = Z[(size_t)i * m + j] + b[i];
    {
        guarded out = make_output(count);
        CHECK_OK(clt_buffer_write(ctx, out.view, Z, count));
        cl_mem db = make_input(b, (size_t)n);
        CHECK_OK(clt_op_bias_add(ctx, n, m, out.view, db));
        snprintf(what, sizeof what, "bias_add %dx%d", n, m);
        double *got = read_output(&out, what);
        compare(what, got, want, count, ulp4);
        free(got);
        clReleaseMemObject(db);
    }

    /* forward activations, through the reference's own layer */
    clt_activation acts[] = {CLT_ACT_SIGMOID, CLT_ACT_TANH, CLT_ACT_RELU, CLT_ACT_LINEAR,
                             CLT_ACT_SOFTMAX};
    for (int a = 0; a < 5; a++) {
        /* The reference value, computed as reference.c does. */
        for (int j = 0; j < m; j++) {
            double top = -INFINITY, sum = 0;
            for (int i = 0; i < n; i++)
                top = fmax(top, Z[(size_t)i * m + j]);
            for (int i = 0; i < n; i++) {
                double z = Z[(size_t)i * m + j], v;
                switch (acts[a]) {
                case CLT_ACT_SIGMOID: v = 1 / (1 + exp(-z)); break;
                case CLT_ACT_TANH: v = tanh(z); break;
                case CLT_ACT_RELU: v = z > 0 ? z : 0; break;
                case CLT_ACT_LINEAR: v = z; break;
                default: v = exp(z - top); sum += v; break;
                }
                want[(size_t)i * m + j] = v;
            }
            if (acts[a] == CLT_ACT_SOFTMAX)
                for (int i = 0; i < n; i++)
                    want[(size_t)i * m + j] /= sum;
        }
        cl_mem dZ = make_input(Z, count);
        guarded out = make_output(count);
        CHECK_OK(clt_op_act_forward(ctx, acts[a], n, m, dZ, out.view));
        snprintf(what, sizeof what, "%s_forward %dx%d", clt_activation_name(acts[a]), n, m);
        double *got = read_output(&out, what);
        for (size_t i = 0; i < count; i++)
            if (!isfinite(got[i])) {
                fprintf(stderr, "%s: element %zu is not finite\n", what, i);
                test_failures++;
                break;
            }
        compare(what, got, want, count, ulp4 * (acts[a] == CLT_ACT_SOFTMAX ? n + 4 : 1));
        free(got);
        clReleaseMemObject(dZ);
    }

    /* backward activations: dZ = dA * g'(A) with A in [0, 1] */
    double *A = pattern(count, 5), *dA = pattern(count, 6);
    for (size_t i = 0; i < count; i++)
        A[i] = fabs(A[i]);
    clt_activation back[] = {CLT_ACT_SIGMOID, CLT_ACT_TANH, CLT_ACT_RELU, CLT_ACT_LINEAR};
    for (int a = 0; a < 4; a++) {
        for (size_t i = 0; i < count; i++) {
            double d = back[a] == CLT_ACT_SIGMOID ? A[i] * (1 - A[i])
                     : back[a] == CLT_ACT_TANH ? 1 - A[i] * A[i]
                     : back[a] == CLT_ACT_RELU ? (A[i] > 0) : 1;
            want[i] = dA[i] * d;
        }
        cl_mem ddA = make_input(dA, count), dAct = make_input(A, count);
        guarded out = make_output(count);
        CHECK_OK(clt_op_act_backward(ctx, back[a], (int)count, ddA, dAct, out.view));
        snprintf(what, sizeof what, "%s_backward %dx%d", clt_activation_name(back[a]), n, m);
        double *got = read_output(&out, what);
        compare(what, got, want, count, ulp4);
        free(got);
        clReleaseMemObject(ddA);
        clReleaseMemObject(dAct);
    }

    /* output_delta and sgd_update */
    for (size_t i = 0; i < count; i++)
        want[i] = A[i] - dA[i];
    {
        cl_mem dAct = make_input(A, count), dY = make_input(dA, count);
        guarded out = make_output(count);
        CHECK_OK(clt_op_output_delta(ctx, (int)count, dAct, dY, out.view));
        snprintf(what, sizeof what, "output_delta %dx%d", n, m);
        double *got = read_output(&out, what);
        compare(what, got, want, count, 0);
        free(got);
        clReleaseMemObject(dAct);
        clReleaseMemObject(dY);
    }
    for (size_t i = 0; i < count; i++)
        want[i] = A[i] - 0.25 * dA[i];
    {
        cl_mem dP = make_input(dA, count);
        guarded out = make_output(count);
        CHECK_OK(clt_buffer_write(ctx, out.view, A, count));
        CHECK_OK(clt_op_sgd(ctx, (int)count, 0.25, out.view, dP));
        snprintf(what, sizeof what, "sgd_update %dx%d", n, m);
        double *got = read_output(&out, what);
        compare(what, got, want, count, 0);
        free(got);
        clReleaseMemObject(dP);
    }

    /* gather_columns: a reversed order, from offset 1 */
    if (m > 1) {
        int src_m = m, mm = m - 1;
        int *idx = malloc((size_t)src_m * sizeof(int));
        for (int j = 0; j < src_m; j++)
            idx[j] = src_m - 1 - j;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < mm; j++)
                want[(size_t)i * mm + j] = Z[(size_t)i * src_m + idx[1 + j]];
        cl_int err;
        cl_mem didx = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                     (size_t)src_m * sizeof(int), idx, &err);
        CHECK(err == CL_SUCCESS);
        cl_mem src = make_input(Z, count);
        guarded out = make_output((size_t)n * mm);
        CHECK_OK(clt_op_gather(ctx, n, mm, src_m, 1, src, didx, out.view));
        snprintf(what, sizeof what, "gather_columns %dx%d", n, mm);
        double *got = read_output(&out, what);
        compare(what, got, want, (size_t)n * mm, 0); /* Z's values are exact in float */
        free(got);
        free(idx);
        clReleaseMemObject(src);
        clReleaseMemObject(didx);
    }
    free(A);
    free(dA);
    free(Z);
    free(b);
    free(want);
}

static void run(clt_precision p, int device)
{
    int st = clt_context_create(device, p, NULL, &ctx);
    if (st == CLT_ERR_NO_FP64) {
        printf("double precision not supported by the device: double kernels not tested\n");
        return;
    }
    CHECK_OK(st);
    if (st != CLT_OK)
        return;
    cl_uint align_bits;
    CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align_bits,
                          &align_bits, NULL) == CL_SUCCESS);
    align_elems = align_bits / 8 / clt_precision_size(p);
    if (align_elems == 0)
        align_elems = 1;
    ulp4 = 4 * (p == CLT_DOUBLE ? 2.220446049250313e-16 : 1.1920928955078125e-07);

    /* The sizes the issue names: 1x1, 2x4, 3x5.5x7, 17x33.33x65, 257x129.129x3,
     * and a non-square large one. */
    static const int shapes[][3] = {
        {1, 1, 1}, {2, 4, 4}, {3, 7, 5}, {17, 65, 33}, {257, 3, 129}, {300, 700, 513},
    };
    const char *ops[] = {"nn", "nt", "tn"};
    /* Small mode (CLTRAIN_TEST_SMALL=1, for the simulator) leaves out the
     * products above 10^6 multiply-adds and the elementwise sets above 10^4. */
    const double most = test_small() ? 1e6 : INFINITY;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int o = 0; o < 3; o++)
            if ((double)shapes[s][0] * shapes[s][1] * shapes[s][2] <= most)
                test_matmul(ops[o], shapes[s][0], shapes[s][1], shapes[s][2]);

    static const int ew[][2] = {{1, 1}, {2, 4}, {3, 5}, {17, 65}, {257, 3}, {10, 1000}};
    for (size_t s = 0; s < sizeof ew / sizeof ew[0]; s++)
        if ((double)ew[s][0] * ew[s][1] * 100 <= most)
            test_elementwise(ew[s][0], ew[s][1]);

    printf("%s kernels tested on %s\n", clt_precision_name(p), clt_context_device(ctx)->name);
    clt_context_free(ctx);
    ctx = NULL;
}

int main(void)
{
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    run(CLT_FLOAT, device);
    run(CLT_DOUBLE, device);
    return test_verdict("test_kernels");
}
