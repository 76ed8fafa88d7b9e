/*
 * verify.c - the device checked against the CPU reference, step by step.
 *
 * How an error is measured.  For each buffer, err = max |d - r| / scale where
 * d is the device's value, r the reference's, and scale the size of the
 * quantities that produced the buffer, carried down the backward pass:
 *
 *   Z[l]  = W A + b       scale = max(|Z|, |W| |A[l-1]|, |b|)
 *   A[l]                  scale = max(|A|, 1)     activations are O(1) or follow Z
 *   dZ[L] = A - Y         s[L]  = max(|dZ|, |A[L]|, |Y|)
 *   dW[l] = dZ A^T / m    scale = max(|dW|, s[l] |A[l-1]|)
 *   db[l] = sum dZ / m    scale = max(|db|, s[l])
 *   dA[l] = W^T dZ        scale = max(|dA|, |W[l+1]| s[l+1])
 *   dZ[l] = dA g'(A)      s[l]  = max(|dZ|, scale of dA[l])
 *   W, b after the step   scale = max(|W|, |b|, lr |dW|, lr |db|)
 *
 * (|M| is the largest absolute value in M.)  A - Y near the end of training
 * is a difference of two numbers close to 1: its rounding error is of the
 * order of eps |A|, not eps |dZ|, and that error flows into every gradient.
 * Judging each gradient against its own size would fail for rounding alone;
 * judging it against the sizes it was computed from does not, and a wrong
 * index or a missing term still shows as an error of order 1.
 *
 * Tolerances.  Float: each value is rounded to 24 bits (eps = 6e-8) at every
 * operation and a sum of K terms carries at most about sqrt(K) to K such
 * roundings of its largest term; 1e-4 leaves room for sums over 10^4..10^6
 * terms plus one step's propagation through the layers, while a wrong index
 * or a missing term shows as an error of order 1.  Double: eps = 1.1e-16, and
 * the same allowance gives 1e-12.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

double clt_verify_tolerance(clt_precision p)
{
    return p == CLT_DOUBLE ? 1e-12 : 1e-4;
}

static double max_abs(const double *x, size_t n)
{
    double top = 0;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, fabs(x[i]));
    return top;
}

int clt_verify_init(clt_verify *v, const clt_net *net, double tol)
{
    const clt_shape *s = clt_net_shape(net);
    int64_t m = clt_net_batch(net);
    size_t biggest = 0;

    memset(v, 0, sizeof *v);
    v->tol = tol;
    for (int l = 0; l <= s->L; l++) {
        size_t a = (size_t)s->n[l] * m, w = l ? (size_t)s->n[l] * s->n[l - 1] : 0;
        biggest = a > biggest ? a : biggest;
        biggest = w > biggest ? w : biggest;
    }
    int st = clt_ref_alloc(&v->ref, s, m);
    if (st == CLT_OK)
        st = clt_params_alloc(&v->before, s);
    if (st == CLT_OK)
        st = clt_params_alloc(&v->after, s);
    v->X = malloc((size_t)s->n[0] * m * sizeof(double));
    v->Y = malloc((size_t)s->n[s->L] * m * sizeof(double));
    v->dev = malloc(biggest * sizeof(double));
    if (st == CLT_OK && (!v->X || !v->Y || !v->dev))
        st = clt_fail(CLT_ERR_NOMEM, "out of memory for --verify");
    if (st != CLT_OK)
        clt_verify_free(v);
    return st;
}

void clt_verify_free(clt_verify *v)
{
    clt_ref_free(&v->ref);
    clt_params_free(&v->before);
    clt_params_free(&v->after);
    free(v->X);
    free(v->Y);
    free(v->dev);
    v->X = v->Y = v->dev = NULL;
}

int clt_verify_before(clt_verify *v, clt_net *net)
{
    const clt_shape *s = clt_net_shape(net);
    int64_t m = clt_net_batch(net);

    /* The reference is sized for one batch; a shorter last batch re-sizes it. */
    if (m != v->ref.m) {
        clt_ref_free(&v->ref);
        int st = clt_ref_alloc(&v->ref, s, m);
        if (st != CLT_OK)
            return st;
    }
    int st = clt_net_get_params(net, &v->before);
    if (st == CLT_OK)
        st = clt_net_read(net, CLT_BUF_A, 0, v->X);
    if (st == CLT_OK)
        st = clt_net_read(net, CLT_BUF_Y, 0, v->Y);
    return st;
}

/* Compares one device buffer with the reference; records the largest error
 * and fails on the first element over the tolerance. */
static int compare(clt_verify *v, clt_net *net, clt_buf which, int l, const char *name,
                   const double *ref, size_t n, double scale)
{
    int st = clt_net_read(net, which, l, v->dev);
    if (st != CLT_OK)
        return st;

    scale = fmax(scale, max_abs(ref, n));
    if (scale == 0)
        scale = 1; /* an all-zero buffer: judge the device's values absolutely */

    for (size_t i = 0; i < n; i++) {
        double err = fabs(v->dev[i] - ref[i]) / scale;
        if (isnan(err) || err > v->tol)
            return clt_fail(CLT_ERR_MISMATCH,
                            "--verify: step %lld: %s[%d] element %zu: device %.17g, reference "
                            "%.17g (error %.3g > tolerance %.3g)",
                            (long long)v->steps + 1, name, l, i, v->dev[i], ref[i], err, v->tol);
        if (err > v->max_err) {
            v->max_err = err;
            snprintf(v->max_where, sizeof v->max_where, "%s[%d]", name, l);
        }
    }
    return CLT_OK;
}

int clt_verify_after(clt_verify *v, clt_net *net, double lr)
{
    const clt_shape *s = clt_net_shape(net);
    int64_t m = clt_net_batch(net);
    int L = s->L;
    clt_ref *r = &v->ref;
    int st;

    clt_ref_forward(r, &v->before, v->X);
    clt_ref_backward(r, &v->before, v->X, v->Y);
    clt_params_free(&v->after);
    st = clt_params_copy(&v->after, &v->before);
    if (st != CLT_OK)
        return st;
    clt_ref_update(r, &v->after, lr);

#define CMP(which, l, name, ref, n, scale)                                      \
    do {                                                                        \
        st = compare(v, net, which, l, name, ref, n, scale);                    \
        if (st != CLT_OK)                                                       \
            return st;                                                          \
    } while (0)

    for (int l = 1; l <= L; l++) {
        size_t a = (size_t)s->n[l] * m, w = (size_t)s->n[l] * s->n[l - 1];
        const double *Aprev = l == 1 ? v->X : r->A[l - 1];
        double mW = max_abs(v->before.W[l - 1], w), mb = max_abs(v->before.b[l - 1], s->n[l]);

        CMP(CLT_BUF_Z, l, "Z", r->Z[l], a, fmax(mW * max_abs(Aprev, (size_t)s->n[l - 1] * m), mb));
        CMP(CLT_BUF_A, l, "A", r->A[l], a, 1.0);
    }

    /* Backward, from the output down, carrying the scale of dZ. */
    size_t aL = (size_t)s->n[L] * m;
    double s_dZ = fmax(max_abs(r->dZ[L], aL), fmax(max_abs(r->A[L], aL), max_abs(v->Y, aL)));
    for (int l = L; l >= 1; l--) {
        size_t a = (size_t)s->n[l] * m, w = (size_t)s->n[l] * s->n[l - 1];
        const double *Aprev = l == 1 ? v->X : r->A[l - 1];
        double mAprev = max_abs(Aprev, (size_t)s->n[l - 1] * m);

        CMP(CLT_BUF_DZ, l, "dZ", r->dZ[l], a, s_dZ);
        CMP(CLT_BUF_DW, l, "dW", r->dW[l], w, s_dZ * mAprev);
        CMP(CLT_BUF_DB, l, "db", r->db[l], s->n[l], s_dZ);

        double mW = max_abs(v->before.W[l - 1], w), mb = max_abs(v->before.b[l - 1], s->n[l]);
        double step = fmax(lr * max_abs(r->dW[l], w), lr * max_abs(r->db[l], s->n[l]));
        double mparam = fmax(fmax(mW, mb), step);
        CMP(CLT_BUF_W, l, "W", v->after.W[l - 1], w, mparam);
        CMP(CLT_BUF_B, l, "b", v->after.b[l - 1], s->n[l], mparam);

        if (l > 1) {
            size_t aprev = (size_t)s->n[l - 1] * m;
            double s_dA = fmax(max_abs(r->dA[l - 1], aprev), mW * s_dZ);
            CMP(CLT_BUF_DA, l - 1, "dA", r->dA[l - 1], aprev, s_dA);
            s_dZ = fmax(max_abs(r->dZ[l - 1], aprev), s_dA);
        }
    }
#undef CMP
    v->steps++;
    return CLT_OK;
}

int clt_net_step(clt_net *net, double lr, clt_verify *v)
{
    int st = v ? clt_verify_before(v, net) : CLT_OK;
    if (st == CLT_OK)
        st = clt_net_forward(net);
    if (st == CLT_OK)
        st = clt_net_backward(net);
    if (st == CLT_OK)
        st = clt_net_update(net, lr);
    if (st == CLT_OK && v)
        st = clt_verify_after(v, net, lr);
    return st;
}
