/*
 * test_numerics.c - the activations, softmax and the losses stay finite for
 * any finite input, in float and in double:
 *
 *   - sigmoid, tanh and softmax on the device for z from 0 to +-1e4 and on to
 *     the largest finite value of the precision: every output finite and in
 *     range (sigmoid in [0, 1], tanh in [-1, 1], softmax columns in [0, 1]
 *     summing to 1), sigmoid saturated exactly (sigmoid(1e4) = 1), tanh to
 *     within OpenCL's 5 ulp of +-1, and the backward kernels finite at saturated A (0, 1, -1);
 *   - clt_loss at predictions that are exactly wrong and certain (a target of
 *     1 predicted at exactly 0.0, of 0 at exactly 1.0, a softmax class given
 *     probability 0) costs exactly the clamp's -log(1e-12), right ones ~0;
 *   - the default kernel build options hold no fast or unsafe math;
 *   - CLTRAIN_DISABLE_FP64=1 makes double precision refused (CLT_ERR_NO_FP64).
 *
 * Sums are checked to 8 ulp of the precision times the column length: each
 * of softmax's divisions and additions rounds once.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ocl.h"
#include "ops.h"
#include "testutil.h"

static clt_context *ctx;

/* Runs one forward activation over Z (n, m) and returns A (malloc'd). */
static double *forward(clt_activation act, int n, int m, const double *Z)
{
    size_t count = (size_t)n * m;
    double *A = malloc(count * sizeof(double));
    cl_mem dZ = NULL, dA = NULL;
    CHECK_OK(clt_buffer_create(ctx, count, &dZ));
    CHECK_OK(clt_buffer_create(ctx, count, &dA));
    CHECK_OK(clt_buffer_write(ctx, dZ, Z, count));
    CHECK_OK(clt_op_act_forward(ctx, act, n, m, dZ, dA));
    CHECK_OK(clt_buffer_read(ctx, dA, A, count));
    clt_buffer_release(&dZ);
    clt_buffer_release(&dA);
    return A;
}

static void expect(int ok, const char *what, double z, double a)
{
    if (!ok) {
        fprintf(stderr, "%s %s: z = %.17g gave %.17g\n",
                ctx ? clt_precision_name(clt_context_precision(ctx)) : "host", what, z, a);
        test_failures++;
    }
}

static void elementwise(double top, double ulp)
{
    /* the inputs: exact 0, moderate, where exp() overflows in float (88.7)
     * and double (709.8), the 1e4, and the largest finite value */
    const double mags[] = {0, 1, 20, 40, 88, 89, 709, 710, 1e4, 1e30, top};
    enum { NM = sizeof mags / sizeof mags[0], N = 2 * NM };
    double Z[N];
    for (int i = 0; i < NM; i++) {
        Z[2 * i] = mags[i];
        Z[2 * i + 1] = -mags[i];
    }

    double *S = forward(CLT_ACT_SIGMOID, 1, N, Z);
    double *T = forward(CLT_ACT_TANH, 1, N, Z);
    for (int i = 0; i < N; i++) {
        expect(isfinite(S[i]) && S[i] >= 0 && S[i] <= 1, "sigmoid finite, in [0, 1]", Z[i], S[i]);
        expect(isfinite(T[i]) && T[i] >= -1 && T[i] <= 1, "tanh finite, in [-1, 1]", Z[i], T[i]);
        /* 1 / (1 + exp(-z)) is exactly 1 or 0 once exp over- or underflows;
         * OpenCL lets tanh be 5 ulp off, so it need only come that close */
        if (fabs(Z[i]) >= 1e4) {
            expect(S[i] == (Z[i] > 0 ? 1.0 : 0.0), "sigmoid saturates exactly", Z[i], S[i]);
            expect(fabs(T[i] - (Z[i] > 0 ? 1.0 : -1.0)) <= 5 * ulp, "tanh saturates", Z[i], T[i]);
        }
    }
    expect(S[0] == 0.5 && T[0] == 0, "sigmoid(0) = 0.5, tanh(0) = 0", 0, S[0]);

    /* backward at the saturated outputs: dZ = dA * g'(A) stays finite */
    double A[] = {0, 1, -1, 0.5}, dA[] = {1e30, -1e30, 3, -3}, dZ[4];
    clt_activation acts[] = {CLT_ACT_SIGMOID, CLT_ACT_TANH, CLT_ACT_RELU};
    for (int a = 0; a < 3; a++) {
        cl_mem bA = NULL, bdA = NULL, bdZ = NULL;
        CHECK_OK(clt_buffer_create(ctx, 4, &bA));
        CHECK_OK(clt_buffer_create(ctx, 4, &bdA));
        CHECK_OK(clt_buffer_create(ctx, 4, &bdZ));
        CHECK_OK(clt_buffer_write(ctx, bA, A, 4));
        CHECK_OK(clt_buffer_write(ctx, bdA, dA, 4));
        CHECK_OK(clt_op_act_backward(ctx, acts[a], 4, bdA, bA, bdZ));
        CHECK_OK(clt_buffer_read(ctx, bdZ, dZ, 4));
        for (int i = 0; i < 4; i++)
            expect(isfinite(dZ[i]), clt_activation_name(acts[a]), A[i], dZ[i]);
        clt_buffer_release(&bA);
        clt_buffer_release(&bdA);
        clt_buffer_release(&bdZ);
    }
    free(S);
    free(T);
}

static void softmax(double top, double ulp)
{
    /* columns of n = 3: spread far apart, all equal and very negative, the
     * extremes of the precision, and a tie at the top */
    enum { n = 3, m = 6 };
    const double cols[m][n] = {
        {1e4, -1e4, 0}, {-1e4, -1e4, -1e4}, {top, -top, 0}, {-top, -top, -top},
        {top, top, -top}, {88, 710, -710},
    };
    double Z[n * m];
    for (int j = 0; j < m; j++)
        for (int i = 0; i < n; i++)
            Z[i * m + j] = cols[j][i];
    double *A = forward(CLT_ACT_SOFTMAX, n, m, Z);
    for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double a = A[i * m + j];
            expect(isfinite(a) && a >= 0 && a <= 1, "softmax finite, in [0, 1]", Z[i * m + j], a);
            sum += a;
        }
        expect(fabs(sum - 1) <= 8 * ulp * n, "softmax column sums to 1", cols[j][0], sum);
    }
    expect(A[0 * m + 0] == 1 && A[1 * m + 0] == 0, "softmax of (1e4, -1e4, 0)", 1e4, A[0]);
    free(A);
}

static void losses(void)
{
    /* clt_loss is computed on the host in double, from outputs the device
     * rounded: exactly 0 and exactly 1 are what a float sigmoid gives at
     * z < -104 and z > 17.  Probabilities are clamped to [1e-12, 1 - 1e-12]
     * (params.c), so a certain wrong answer costs -log(1e-12) = 27.6 and a
     * certain right one about 1e-12. */
    const double worst = -log(1e-12);
    double wrong_A[] = {0.0, 1.0}, wrong_Y[] = {1.0, 0.0};
    double bce = clt_loss(CLT_ACT_SIGMOID, wrong_A, wrong_Y, 1, 2);
    expect(fabs(bce - worst) < 1e-9, "BCE of certain, wrong predictions is -log(1e-12)", 0, bce);
    double right_A[] = {1.0, 0.0}, right_Y[] = {1.0, 0.0};
    double bce0 = clt_loss(CLT_ACT_SIGMOID, right_A, right_Y, 1, 2);
    expect(bce0 >= 0 && bce0 < 1e-11, "BCE of certain, right predictions near 0", 0, bce0);

    /* softmax, 3 classes x 2 samples: the true class at probability 0 */
    double sA[] = {0, 1, 1, 0, 0, 0}, sY[] = {1, 0, 0, 1, 0, 0};
    double ce = clt_loss(CLT_ACT_SOFTMAX, sA, sY, 3, 2);
    expect(fabs(ce - worst) < 1e-9, "cross-entropy of a class at probability 0", 0, ce);
    double ce0 = clt_loss(CLT_ACT_SOFTMAX, sA, sA, 3, 2);
    expect(ce0 >= 0 && ce0 < 1e-11, "cross-entropy of right one-hot predictions", 0, ce0);

    /* mean squared error of large (squarable) outputs */
    double lA[] = {1e150, -1e150}, lY[] = {0, 1};
    double mse = clt_loss(CLT_ACT_LINEAR, lA, lY, 1, 2);
    expect(isfinite(mse) && mse > 1e299, "MSE of outputs of 1e150", 1e150, mse);
}

static void options(void)
{
    const char *bad[] = {"-cl-fast-relaxed-math", "-cl-unsafe-math-optimizations",
                         "-cl-finite-math-only", "-cl-no-signed-zeros"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(ctx->options, bad[i])) {
            fprintf(stderr, "the default build options hold %s: '%s'\n", bad[i], ctx->options);
            test_failures++;
        }
}

int main(void)
{
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    unsetenv("CLTRAIN_KERNEL_OPTIONS"); /* the defaults are what is checked */

    for (int p = 0; p < 2; p++) {
        int st = clt_context_create(device, (clt_precision)p, NULL, &ctx);
        if (st == CLT_ERR_NO_FP64) {
            printf("double: not supported by the device, skipped\n");
            continue;
        }
        CHECK_OK(st);
        if (st != CLT_OK)
            break;
        double top = p == CLT_DOUBLE ? DBL_MAX : FLT_MAX;
        double ulp = p == CLT_DOUBLE ? DBL_EPSILON : FLT_EPSILON;
        options();
        elementwise(top, ulp);
        softmax(top, ulp);
        printf("%s: activations and softmax finite up to %g\n", clt_precision_name(p), top);
        clt_context_free(ctx);
        ctx = NULL;
    }
    losses();

    /* a device without fp64 refuses double before building anything */
    setenv("CLTRAIN_DISABLE_FP64", "1", 1);
    int st = clt_context_create(device, CLT_DOUBLE, NULL, &ctx);
    if (st != CLT_ERR_NO_FP64 || !strstr(clt_last_error(), "--precision double")) {
        fprintf(stderr, "with CLTRAIN_DISABLE_FP64=1 double gave %s: %s\n", clt_status_name(st),
                clt_last_error());
        test_failures++;
        if (st == CLT_OK)
            clt_context_free(ctx);
    }
    return test_verdict("test_numerics");
}
