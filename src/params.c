/*
 * params.c - host-side parameters (double precision, the notebook's shapes),
 * the numpy-identical initialisation, and the loss and accuracy the program
 * reports.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

static const char *act_names[] = {"sigmoid", "tanh", "relu", "linear", "softmax"};

const char *clt_activation_name(clt_activation a)
{
    return (unsigned)a < 5 ? act_names[a] : "?";
}

int clt_activation_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, act_names[i]) == 0)
            return i;
    return -1;
}

int clt_params_alloc(clt_params *p, const clt_shape *shape)
{
    memset(p, 0, sizeof *p);
    p->shape = *shape;
    for (int l = 1; l <= shape->L; l++) {
        p->W[l - 1] = calloc((size_t)shape->n[l] * shape->n[l - 1], sizeof(double));
        p->b[l - 1] = calloc((size_t)shape->n[l], sizeof(double));
        if (!p->W[l - 1] || !p->b[l - 1]) {
            clt_params_free(p);
            return clt_fail(CLT_ERR_NOMEM, "out of memory for the parameters");
        }
    }
    return CLT_OK;
}

void clt_params_free(clt_params *p)
{
    for (int l = 0; l < CLT_MAX_LAYERS; l++) {
        free(p->W[l]);
        free(p->b[l]);
        p->W[l] = p->b[l] = NULL;
    }
}

int clt_params_copy(clt_params *dst, const clt_params *src)
{
    const clt_shape *s = &src->shape;
    int st = clt_params_alloc(dst, s);
    if (st != CLT_OK)
        return st;
    for (int l = 1; l <= s->L; l++) {
        memcpy(dst->W[l - 1], src->W[l - 1], (size_t)s->n[l] * s->n[l - 1] * sizeof(double));
        memcpy(dst->b[l - 1], src->b[l - 1], (size_t)s->n[l] * sizeof(double));
    }
    return CLT_OK;
}

/* np.random.seed(seed); then, layer by layer, W = np.random.randn(n[l], n[l-1])
 * * scale, filled row by row as numpy fills C-ordered arrays; b = zeros. */
void clt_params_init_rng(clt_params *p, clt_rng *rng, double scale)
{
    const clt_shape *s = &p->shape;
    for (int l = 1; l <= s->L; l++) {
        size_t count = (size_t)s->n[l] * s->n[l - 1];
        for (size_t i = 0; i < count; i++)
            p->W[l - 1][i] = clt_rng_gauss(rng) * scale;
        memset(p->b[l - 1], 0, (size_t)s->n[l] * sizeof(double));
    }
}

void clt_params_init_numpy(clt_params *p, uint32_t seed, double scale)
{
    clt_rng rng;
    clt_rng_seed(&rng, seed);
    clt_params_init_rng(p, &rng, scale);
}

/* Probabilities are kept inside [EPS, 1 - EPS] before taking logs, so a
 * prediction of exactly 0 or 1 (which float sigmoid reaches for |z| > ~17)
 * gives a large but finite loss instead of inf. */
#define LOG_EPS 1e-12

static double safe_log(double p)
{
    if (!(p > LOG_EPS))      /* also catches NaN: returns log(EPS) only for p <= EPS */
        return isnan(p) ? p : log(LOG_EPS);
    return log(p > 1.0 - LOG_EPS ? 1.0 - LOG_EPS : p);
}

double clt_loss(clt_activation out, const double *A, const double *Y, int n_out, int64_t m)
{
    double total = 0;
    for (int i = 0; i < n_out; i++) {
        for (int64_t j = 0; j < m; j++) {
            double a = A[(size_t)i * m + j], y = Y[(size_t)i * m + j];
            if (out == CLT_ACT_LINEAR)
                total += (a - y) * (a - y);
            else if (out == CLT_ACT_SOFTMAX)
                total -= y * safe_log(a);
            else
                total -= y * safe_log(a) + (1 - y) * safe_log(1 - a);
        }
    }
    return out == CLT_ACT_LINEAR ? total / ((double)m * n_out) : total / (double)m;
}

static int argmax_col(const double *M, int rows, int64_t m, int64_t j)
{
    int best = 0;
    for (int i = 1; i < rows; i++)
        if (M[(size_t)i * m + j] > M[(size_t)best * m + j])
            best = i;
    return best;
}

double clt_accuracy(const double *A, const double *Y, int n_out, int64_t m)
{
    int64_t right = 0;
    for (int64_t j = 0; j < m; j++) {
        if (n_out == 1)
            right += (A[j] > 0.5) == (Y[j] > 0.5);
        else
            right += argmax_col(A, n_out, m, j) == argmax_col(Y, n_out, m, j);
    }
    return m ? (double)right / (double)m : 0.0;
}
