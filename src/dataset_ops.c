/*
 * dataset_ops.c - what the trainer does to a loaded data set before it goes
 * to the device: standardising features with the training part's statistics,
 * and a seeded train/test split.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

int clt_dataset_stats(const clt_dataset *d, double **mean_out, double **std_out)
{
    double *mean = calloc((size_t)d->n_in, sizeof(double));
    double *std = calloc((size_t)d->n_in, sizeof(double));
    if (!mean || !std) {
        free(mean);
        free(std);
        return clt_fail(CLT_ERR_NOMEM, "out of memory for the feature statistics");
    }
    for (int i = 0; i < d->n_in; i++) {
        const double *row = d->X + (size_t)i * d->m;
        double sum = 0, sq = 0;
        for (int64_t j = 0; j < d->m; j++)
            sum += row[j];
        mean[i] = d->m ? sum / (double)d->m : 0;
        for (int64_t j = 0; j < d->m; j++)
            sq += (row[j] - mean[i]) * (row[j] - mean[i]);
        std[i] = d->m ? sqrt(sq / (double)d->m) : 0;
        if (!(std[i] > 0))
            std[i] = 1; /* a constant feature is only centred */
    }
    *mean_out = mean;
    *std_out = std;
    return CLT_OK;
}

void clt_dataset_normalize(clt_dataset *d, const double *mean, const double *std)
{
    for (int i = 0; i < d->n_in; i++) {
        double *row = d->X + (size_t)i * d->m;
        for (int64_t j = 0; j < d->m; j++)
            row[j] = (row[j] - mean[i]) / std[i];
    }
}

/* Copies the columns cols[0..count) of src into a new data set. */
static int take_columns(const clt_dataset *src, const int64_t *cols, int64_t count,
                        clt_dataset *dst)
{
    memset(dst, 0, sizeof *dst);
    dst->m = count;
    dst->n_in = src->n_in;
    dst->n_out = src->n_out;
    dst->task = src->task;
    dst->n_classes = src->n_classes;
    dst->X = malloc((size_t)src->n_in * count * sizeof(double));
    dst->Y = malloc((size_t)src->n_out * count * sizeof(double));
    if (src->labels)
        dst->labels = malloc((size_t)count * sizeof(int));
    if (src->class_names)
        dst->class_names = calloc((size_t)src->n_classes, sizeof(char *));
    if (!dst->X || !dst->Y || (src->labels && !dst->labels) ||
        (src->class_names && !dst->class_names)) {
        clt_dataset_free(dst);
        return clt_fail(CLT_ERR_NOMEM, "out of memory splitting the data");
    }
    for (int i = 0; i < src->n_in; i++)
        for (int64_t j = 0; j < count; j++)
            dst->X[(size_t)i * count + j] = src->X[(size_t)i * src->m + cols[j]];
    for (int i = 0; i < src->n_out; i++)
        for (int64_t j = 0; j < count; j++)
            dst->Y[(size_t)i * count + j] = src->Y[(size_t)i * src->m + cols[j]];
    for (int64_t j = 0; src->labels && j < count; j++)
        dst->labels[j] = src->labels[cols[j]];
    for (int c = 0; src->class_names && c < src->n_classes; c++) {
        dst->class_names[c] = strdup(src->class_names[c] ? src->class_names[c] : "");
        if (!dst->class_names[c]) {
            clt_dataset_free(dst);
            return clt_fail(CLT_ERR_NOMEM, "out of memory splitting the data");
        }
    }
    return CLT_OK;
}

int clt_dataset_split(clt_dataset *d, double fraction, uint32_t seed, clt_dataset *train,
                      clt_dataset *test)
{
    int64_t m = d->m, n_test = (int64_t)floor(fraction * (double)m + 0.5);
    if (!(fraction > 0 && fraction < 1) || n_test < 1 || n_test >= m) {
        clt_dataset_free(d);
        return clt_fail(CLT_ERR_ARG, "--split %g of %lld samples leaves an empty part; use a "
                        "fraction between 0 and 1 that keeps samples on both sides",
                        fraction, (long long)m);
    }
    int64_t *perm = malloc((size_t)m * sizeof *perm);
    if (!perm) {
        clt_dataset_free(d);
        return clt_fail(CLT_ERR_NOMEM, "out of memory splitting the data");
    }
    clt_rng rng;
    clt_rng_seed(&rng, seed);
    clt_rng_permutation(&rng, perm, m);

    int st = take_columns(d, perm, m - n_test, train);
    if (st == CLT_OK) {
        st = take_columns(d, perm + (m - n_test), n_test, test);
        if (st != CLT_OK)
            clt_dataset_free(train);
    }
    free(perm);
    clt_dataset_free(d);
    return st;
}
