/* fuzz_check.h - what every successfully parsed data set must satisfy, for
 * the data fuzzers: shapes positive, values finite, labels and one-hot rows
 * consistent with the task.  A violation traps, so libFuzzer reports it.
 *
 * Left out on purpose: checking values against the input (the unit tests
 * do that with exact fixtures). */
#ifndef CLT_FUZZ_CHECK_H
#define CLT_FUZZ_CHECK_H

#include <math.h>
#include <string.h>

#include "cltrain.h"

#define FUZZ_ASSERT(c) do { if (!(c)) __builtin_trap(); } while (0)

static inline void fuzz_check_dataset(int st, const clt_dataset *d)
{
    if (st != 0) {
        clt_dataset z;
        memset(&z, 0, sizeof z);
        FUZZ_ASSERT(memcmp(d, &z, sizeof z) == 0);
        FUZZ_ASSERT(clt_last_error()[0] != '\0');
        return;
    }
    size_t m = (size_t)d->m;
    FUZZ_ASSERT(d->m > 0 && d->n_in > 0 && d->n_out > 0 && d->X && d->Y);
    for (size_t k = 0; k < (size_t)d->n_in * m; k++)
        FUZZ_ASSERT(isfinite(d->X[k]));
    for (size_t k = 0; k < (size_t)d->n_out * m; k++)
        FUZZ_ASSERT(isfinite(d->Y[k]));
    if (d->task == CLT_TASK_REGRESSION) {
        FUZZ_ASSERT(!d->labels && d->n_classes == 0 && !d->class_names);
        return;
    }
    FUZZ_ASSERT(d->labels && d->n_classes >= 2);
    FUZZ_ASSERT(d->task == CLT_TASK_BINARY ? d->n_out == 1 && d->n_classes == 2
                                           : d->n_out == d->n_classes);
    for (size_t j = 0; j < m; j++) {
        int c = d->labels[j];
        FUZZ_ASSERT(c >= 0 && c < d->n_classes);
        if (d->task == CLT_TASK_BINARY) {
            FUZZ_ASSERT(d->Y[j] == c);
            continue;
        }
        for (int o = 0; o < d->n_out; o++)
            FUZZ_ASSERT(d->Y[(size_t)o * m + j] == (o == c));
    }
    for (int c = 0; d->class_names && c < d->n_classes; c++)
        FUZZ_ASSERT(d->class_names[c] != NULL);
}

#endif
