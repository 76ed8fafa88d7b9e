/*
 * reference.c - the CPU reference: the notebook's step written out in plain
 * C and double precision, with the operations in the order numpy performs
 * them (products first, then 1/m; A (1 - A) before multiplying by dA).  It is
 * the oracle the tests and --verify hold the device to, and is itself checked
 * against finite differences (tests/test_reference.c).  Deliberately simple:
 * no blocking, no threads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

int clt_ref_alloc(clt_ref *r, const clt_shape *s, int64_t m)
{
    memset(r, 0, sizeof *r);
    r->shape = *s;
    r->m = m;
    for (int l = 1; l <= s->L; l++) {
        size_t a = (size_t)s->n[l] * m, w = (size_t)s->n[l] * s->n[l - 1];
        r->Z[l] = malloc(a * sizeof(double));
        r->A[l] = malloc(a * sizeof(double));
        r->dZ[l] = malloc(a * sizeof(double));
        r->dA[l] = malloc(a * sizeof(double));
        r->dW[l] = malloc(w * sizeof(double));
        r->db[l] = malloc((size_t)s->n[l] * sizeof(double));
        if (!r->Z[l] || !r->A[l] || !r->dZ[l] || !r->dA[l] || !r->dW[l] || !r->db[l]) {
            clt_ref_free(r);
            return clt_fail(CLT_ERR_NOMEM, "out of memory for the CPU reference");
        }
    }
    return CLT_OK;
}

void clt_ref_free(clt_ref *r)
{
    for (int l = 0; l <= CLT_MAX_LAYERS; l++) {
        free(r->Z[l]);
        free(r->A[l]);
        free(r->dZ[l]);
        free(r->dA[l]);
        free(r->dW[l]);
        free(r->db[l]);
    }
    memset(r, 0, sizeof *r);
}

/* A (n, m) = g(Z) for one layer. */
static void activate(clt_activation act, int n, int64_t m, const double *Z, double *A)
{
    size_t count = (size_t)n * m;
    if (act == CLT_ACT_SOFTMAX) {
        for (int64_t j = 0; j < m; j++) {
            double top = Z[j], sum = 0;
            for (int i = 1; i < n; i++)
                top = fmax(top, Z[(size_t)i * m + j]);
            for (int i = 0; i < n; i++) {
                A[(size_t)i * m + j] = exp(Z[(size_t)i * m + j] - top);
                sum += A[(size_t)i * m + j];
            }
            for (int i = 0; i < n; i++)
                A[(size_t)i * m + j] /= sum;
        }
        return;
    }
    for (size_t g = 0; g < count; g++) {
        switch (act) {
        case CLT_ACT_TANH: A[g] = tanh(Z[g]); break;
        case CLT_ACT_RELU: A[g] = Z[g] > 0 ? Z[g] : 0; break;
        case CLT_ACT_LINEAR: A[g] = Z[g]; break;
        default: A[g] = 1 / (1 + exp(-Z[g])); break;
        }
    }
}

/* dZ = dA * g'(.), in terms of A. */
static void derive(clt_activation act, size_t count, const double *dA, const double *A, double *dZ)
{
    for (size_t g = 0; g < count; g++) {
        switch (act) {
        case CLT_ACT_TANH: dZ[g] = dA[g] * (1 - A[g] * A[g]); break;
        case CLT_ACT_RELU: dZ[g] = A[g] > 0 ? dA[g] : 0; break;
        case CLT_ACT_LINEAR:
        case CLT_ACT_SOFTMAX: dZ[g] = dA[g]; break;
        default: dZ[g] = dA[g] * (A[g] * (1 - A[g])); break;
        }
    }
}

void clt_ref_forward(clt_ref *r, const clt_params *p, const double *X)
{
    const clt_shape *s = &r->shape;
    int64_t m = r->m;
    for (int l = 1; l <= s->L; l++) {
        int n = s->n[l], k_in = s->n[l - 1];
        const double *W = p->W[l - 1], *b = p->b[l - 1];
        const double *Aprev = l == 1 ? X : r->A[l - 1];

        /* Z = W . A_prev, then + b */
        for (int i = 0; i < n; i++)
            for (int64_t j = 0; j < m; j++) {
                double acc = 0;
                for (int k = 0; k < k_in; k++)
                    acc += W[(size_t)i * k_in + k] * Aprev[(size_t)k * m + j];
                r->Z[l][(size_t)i * m + j] = acc + b[i];
            }
        activate(s->act[l - 1], n, m, r->Z[l], r->A[l]);
    }
}

void clt_ref_backward(clt_ref *r, const clt_params *p, const double *X, const double *Y)
{
    const clt_shape *s = &r->shape;
    int64_t m = r->m;
    int L = s->L;
    double inv_m = 1.0 / (double)m;

    for (size_t g = 0; g < (size_t)s->n[L] * m; g++)
        r->dZ[L][g] = r->A[L][g] - Y[g];

    for (int l = L; l >= 1; l--) {
        int n = s->n[l], k_in = s->n[l - 1];
        const double *Aprev = l == 1 ? X : r->A[l - 1];

        /* dW = 1/m dZ . A_prev^T */
        for (int i = 0; i < n; i++)
            for (int k = 0; k < k_in; k++) {
                double acc = 0;
                for (int64_t j = 0; j < m; j++)
                    acc += r->dZ[l][(size_t)i * m + j] * Aprev[(size_t)k * m + j];
                r->dW[l][(size_t)i * k_in + k] = inv_m * acc;
            }

        /* db = 1/m sum over columns of dZ, in increasing j */
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int64_t j = 0; j < m; j++)
                acc += r->dZ[l][(size_t)i * m + j];
            r->db[l][i] = inv_m * acc;
        }
        if (l == 1)
            break;

        /* dA_prev = W^T . dZ, then dZ_prev = dA_prev * g'(A_prev) */
        const double *W = p->W[l - 1];
        for (int k = 0; k < k_in; k++)
            for (int64_t j = 0; j < m; j++) {
                double acc = 0;
                for (int i = 0; i < n; i++)
                    acc += W[(size_t)i * k_in + k] * r->dZ[l][(size_t)i * m + j];
                r->dA[l - 1][(size_t)k * m + j] = acc;
            }
        derive(s->act[l - 2], (size_t)k_in * m, r->dA[l - 1], r->A[l - 1], r->dZ[l - 1]);
    }
}

void clt_ref_update(const clt_ref *r, clt_params *p, double lr)
{
    const clt_shape *s = &r->shape;
    for (int l = 1; l <= s->L; l++) {
        for (size_t g = 0; g < (size_t)s->n[l] * s->n[l - 1]; g++)
            p->W[l - 1][g] -= lr * r->dW[l][g];
        for (int i = 0; i < s->n[l]; i++)
            p->b[l - 1][i] -= lr * r->db[l][i];
    }
}
