/*
 * test_reference.c - the CPU reference checked against finite differences,
 * so the oracle the device is held to is not trusted on faith.
 *
 * For a small 3-layer net and each output kind, the loss J(W, b) (the
 * quantity whose gradient dZ[L] = A - Y gives: BCE summed over outputs for
 * sigmoid, categorical CE for softmax, half the summed squared error for
 * linear, each averaged over the m samples) is evaluated at W +- h and
 * compared with the reference's dW and db.  Central differences with
 * h = 1e-5 have truncation error O(h^2) ~ 1e-10 and rounding error
 * ~ eps * J / h ~ 1e-11, so 1e-6 absolute plus 1e-5 relative leaves a wide
 * margin while a wrong sign, index or factor fails by orders of magnitude.
 */
#include <math.h>
#include <string.h>

#include "testutil.h"

#define M 5

/* The loss that dZ[L] = A - Y is the gradient of (see the file comment). */
static double objective(const clt_shape *s, const clt_params *p, const double *X, const double *Y)
{
    clt_ref r;
    clt_ref_alloc(&r, s, M);
    clt_ref_forward(&r, p, X);
    int n = s->n[s->L];
    const double *A = r.A[s->L];
    double J = 0;
    for (int g = 0; g < n * M; g++) {
        switch (s->act[s->L - 1]) {
        case CLT_ACT_LINEAR: J += 0.5 * (A[g] - Y[g]) * (A[g] - Y[g]); break;
        case CLT_ACT_SOFTMAX: J -= Y[g] * log(A[g]); break;
        default: J -= Y[g] * log(A[g]) + (1 - Y[g]) * log(1 - A[g]); break;
        }
    }
    clt_ref_free(&r);
    return J / M;
}

static void check_param(const char *what, const clt_shape *s, clt_params *p, double *v,
                        double analytic, const double *X, const double *Y)
{
    const double h = 1e-5;
    double keep = *v;
    *v = keep + h;
    double up = objective(s, p, X, Y);
    *v = keep - h;
    double down = objective(s, p, X, Y);
    *v = keep;
    double numeric = (up - down) / (2 * h);
    if (!test_close(analytic, numeric, 1e-6, 1e-5)) {
        fprintf(stderr, "%s: reference %.10g, finite difference %.10g\n", what, analytic, numeric);
        test_failures++;
    }
}

static void run(clt_activation hidden, clt_activation out, int n_out)
{
    clt_shape s = {3, {4, 6, 3, n_out}, {hidden, hidden, out}};
    clt_params p;
    clt_ref r;
    double X[4 * M], Y[4 * M];

    CHECK_OK(clt_params_alloc(&p, &s));
    clt_params_init_numpy(&p, 7, 0.5);
    for (int l = 0; l < s.L; l++)
        for (int i = 0; i < s.n[l + 1]; i++)
            p.b[l][i] = 0.1 * (i + 1) - 0.2;       /* non-zero biases, so db is tested */
    for (int g = 0; g < 4 * M; g++)
        X[g] = sin(1.3 * g) * 1.5;
    for (int j = 0; j < M; j++)
        for (int i = 0; i < n_out; i++) {
            if (out == CLT_ACT_SOFTMAX)
                Y[i * M + j] = (j % n_out) == i;
            else if (out == CLT_ACT_LINEAR)
                Y[i * M + j] = cos(0.7 * (i * M + j));
            else
                Y[i * M + j] = (i + j) % 2;
        }

    CHECK_OK(clt_ref_alloc(&r, &s, M));
    clt_ref_forward(&r, &p, X);
    clt_ref_backward(&r, &p, X, Y);

    char what[96];
    for (int l = 1; l <= s.L; l++) {
        for (int g = 0; g < s.n[l] * s.n[l - 1]; g++) {
            snprintf(what, sizeof what, "%s/%s dW[%d][%d]", clt_activation_name(hidden),
                     clt_activation_name(out), l, g);
            check_param(what, &s, &p, &p.W[l - 1][g], r.dW[l][g], X, Y);
        }
        for (int i = 0; i < s.n[l]; i++) {
            snprintf(what, sizeof what, "%s/%s db[%d][%d]", clt_activation_name(hidden),
                     clt_activation_name(out), l, i);
            check_param(what, &s, &p, &p.b[l - 1][i], r.db[l][i], X, Y);
        }
    }
    clt_ref_free(&r);
    clt_params_free(&p);
}

int main(void)
{
    run(CLT_ACT_SIGMOID, CLT_ACT_SIGMOID, 1);    /* the notebook's pair */
    run(CLT_ACT_SIGMOID, CLT_ACT_SIGMOID, 2);
    run(CLT_ACT_TANH, CLT_ACT_SOFTMAX, 3);
    run(CLT_ACT_RELU, CLT_ACT_LINEAR, 2);
    run(CLT_ACT_TANH, CLT_ACT_LINEAR, 1);
    return test_verdict("test_reference");
}
