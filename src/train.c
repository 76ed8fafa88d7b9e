/*
 * train.c - mini-batch SGD over a data set resident on the device.
 *
 * The training and test sets are uploaded once.  Each epoch draws a
 * permutation from the run's generator (numpy's legacy stream: the same one
 * that drew the initial weights), uploads it, and each batch is gathered
 * column by column from the resident set into the network's A[0] and Y by a
 * kernel; the last batch of an epoch is simply shorter.  Between the first
 * and the last batch of an epoch the host only enqueues: it waits once at the
 * end, to time the epoch, then evaluates loss and accuracy on the training
 * and test sets, which needs the outputs on the host.
 *
 * Full batch (batch >= m) skips the shuffle, which cannot change a sum of all
 * samples except in its rounding, and gathers the data once.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net_internal.h"
#include "ops.h"

#define TRY(expr) do { int st_ = (expr); if (st_ != CLT_OK) return st_; } while (0)

/* One data set on the device: X (n_in, m), Y (n_out, m), and the identity
 * order, through which evaluation gathers its batches. */
typedef struct resident {
    const clt_dataset *host;
    cl_mem X, Y, idx;
} resident;

struct clt_trainer {
    clt_context *ctx;
    clt_train_config cfg;
    clt_net *net;
    resident train, test;
    int has_test;
    int64_t batch;
    clt_rng rng;
    clt_rng epoch_rng;          /* rng as it was before this epoch's shuffle */
    int64_t offset;             /* samples of the current epoch already trained */
    int64_t *perm;
    int *shuffle_host;          /* the epoch's order, as uploaded */
    cl_mem shuffle;             /* the epoch's order on the device (training set) */
    double *out;                /* A[L] of one batch, for evaluation */
    clt_params good;            /* parameters after the last good epoch */
    clt_verify check;
    int verifying;
    int holds_full_batch;       /* A[0] and Y hold the training set in order */
    int epoch;
    double next_progress;       /* when to call cfg.progress next */
    volatile sig_atomic_t stop;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int upload(clt_trainer *t, resident *r, const clt_dataset *d)
{
    clt_context *ctx = t->ctx;
    cl_int err;

    r->host = d;
    TRY(clt_buffer_create(ctx, (size_t)d->n_in * d->m, &r->X));
    TRY(clt_buffer_create(ctx, (size_t)d->n_out * d->m, &r->Y));
    TRY(clt_buffer_write(ctx, r->X, d->X, (size_t)d->n_in * d->m));
    TRY(clt_buffer_write(ctx, r->Y, d->Y, (size_t)d->n_out * d->m));

    int *order = malloc((size_t)d->m * sizeof(int));
    if (!order)
        return clt_fail(CLT_ERR_NOMEM, "out of memory for the sample order");
    for (int64_t j = 0; j < d->m; j++)
        order[j] = (int)j;
    r->idx = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                            (size_t)d->m * sizeof(int), order, &err);
    free(order);
    CL_CHECK(err, "allocating the sample order on the device");
    return CLT_OK;
}

static void release(resident *r)
{
    clt_buffer_release(&r->X);
    clt_buffer_release(&r->Y);
    if (r->idx)
        clReleaseMemObject(r->idx);
    r->idx = NULL;
}

static uint64_t resident_bytes(const clt_dataset *d, clt_precision p)
{
    return (uint64_t)(d->n_in + d->n_out) * d->m * clt_precision_size(p) +
           (uint64_t)d->m * sizeof(int);
}

uint64_t clt_trainer_device_bytes(const clt_trainer *t)
{
    clt_precision p = clt_context_precision(t->ctx);
    uint64_t bytes = clt_net_bytes(&t->cfg.shape, t->batch, p) + resident_bytes(t->train.host, p)
                     + (uint64_t)t->train.host->m * sizeof(int);          /* the shuffle */
    if (t->has_test)
        bytes += resident_bytes(t->test.host, p);
    return bytes;
}

static int check_sizes(clt_context *ctx, const clt_train_config *cfg, const clt_dataset *train,
                       const clt_dataset *test, int64_t batch)
{
    const clt_device_info *dev = clt_context_device(ctx);
    clt_precision p = clt_context_precision(ctx);
    uint64_t need = clt_net_bytes(&cfg->shape, batch, p) + resident_bytes(train, p) +
                    (uint64_t)train->m * sizeof(int);

    if (test)
        need += resident_bytes(test, p);
    uint64_t biggest = (uint64_t)train->n_in * train->m * clt_precision_size(p);
    if (train->m > INT32_MAX || (test && test->m > INT32_MAX))
        return clt_fail(CLT_ERR_TOO_LARGE, "more than 2^31 samples are not supported");
    if (need > dev->global_mem || biggest > dev->max_alloc)
        return clt_fail(CLT_ERR_TOO_LARGE,
                        "training needs %.1f MiB on the device (the data set alone %.1f MiB in "
                        "one buffer) but '%s' has %.1f MiB (largest allocation %.1f MiB); use a "
                        "smaller --batch or narrower layers%s",
                        need / 1048576.0, biggest / 1048576.0, dev->name,
                        dev->global_mem / 1048576.0, dev->max_alloc / 1048576.0,
                        p == CLT_DOUBLE ? ", or --precision float" : "");
    return CLT_OK;
}

static int create(clt_trainer *t, const clt_dataset *train, const clt_dataset *test)
{
    const clt_shape *s = &t->cfg.shape;
    if (train->n_in != s->n[0] || train->n_out != s->n[s->L])
        return clt_fail(CLT_ERR_ARG, "the data has %d inputs and %d outputs but the network "
                        "%d and %d", train->n_in, train->n_out, s->n[0], s->n[s->L]);
    if (test && (test->n_in != train->n_in || test->n_out != train->n_out))
        return clt_fail(CLT_ERR_ARG, "the test data has %d inputs and %d outputs but the "
                        "training data %d and %d", test->n_in, test->n_out, train->n_in,
                        train->n_out);
    TRY(check_sizes(t->ctx, &t->cfg, train, test, t->batch));

    clt_params init;
    TRY(clt_params_alloc(&init, s));
    clt_rng_seed(&t->rng, t->cfg.seed);
    clt_params_init_rng(&init, &t->rng, t->cfg.init_scale);
    int st = clt_net_create(t->ctx, s, t->batch, &t->net);
    if (st == CLT_OK)
        st = clt_net_set_params(t->net, &init);
    if (st == CLT_OK)
        st = clt_params_copy(&t->good, &init);
    clt_params_free(&init);
    TRY(st);

    TRY(upload(t, &t->train, train));
    if (test) {
        t->has_test = 1;
        TRY(upload(t, &t->test, test));
    }
    t->perm = malloc((size_t)train->m * sizeof *t->perm);
    t->shuffle_host = malloc((size_t)train->m * sizeof *t->shuffle_host);
    cl_int err;
    t->shuffle = clCreateBuffer(t->ctx->context, CL_MEM_READ_ONLY,
                                (size_t)train->m * sizeof(int), NULL, &err);
    CL_CHECK(err, "allocating the epoch's sample order on the device");
    t->out = malloc((size_t)s->n[s->L] * t->batch * sizeof(double));
    if (!t->perm || !t->shuffle_host || !t->out)
        return clt_fail(CLT_ERR_NOMEM, "out of memory for the training run");
    if (t->cfg.verify) {
        t->net->m = t->batch;
        TRY(clt_verify_init(&t->check, t->net, t->cfg.verify_tol > 0 ? t->cfg.verify_tol
                            : clt_verify_tolerance(clt_context_precision(t->ctx))));
        t->verifying = 1;
    }
    return CLT_OK;
}

int clt_trainer_create(clt_context *ctx, const clt_train_config *cfg, const clt_dataset *train,
                       const clt_dataset *test, clt_trainer **out)
{
    if (train->m < 1)
        return clt_fail(CLT_ERR_ARG, "the training data has no samples");
    if (!(cfg->lr > 0) || !isfinite(cfg->lr))
        return clt_fail(CLT_ERR_ARG, "the learning rate must be a positive number");

    clt_trainer *t = calloc(1, sizeof *t);
    if (!t)
        return clt_fail(CLT_ERR_NOMEM, "out of memory for the training run");
    t->ctx = ctx;
    t->cfg = *cfg;
    t->batch = cfg->batch <= 0 || cfg->batch > train->m ? train->m : cfg->batch;

    int st = create(t, train, test);
    if (st != CLT_OK) {
        clt_trainer_free(t);
        return st;
    }
    *out = t;
    return CLT_OK;
}

void clt_trainer_free(clt_trainer *t)
{
    if (!t)
        return;
    if (t->verifying)
        clt_verify_free(&t->check);
    release(&t->train);
    release(&t->test);
    clt_net_free(t->net);
    clt_params_free(&t->good);
    free(t->perm);
    free(t->shuffle_host);
    if (t->shuffle)
        clReleaseMemObject(t->shuffle);
    free(t->out);
    free(t);
}

void clt_trainer_interrupt(clt_trainer *t)
{
    t->stop = 1;
}

/* Gathers samples order[offset .. offset + m) of r into the network's A[0]
 * and Y. */
static int gather(clt_trainer *t, resident *r, cl_mem order, int64_t offset, int64_t m)
{
    const clt_shape *s = &t->cfg.shape;
    clt_net *net = t->net;
    net->m = m;
    TRY(clt_op_gather(t->ctx, s->n[0], (int)m, (int)r->host->m, (int)offset, r->X, order,
                      net->A[0]));
    TRY(clt_op_gather(t->ctx, s->n[s->L], (int)m, (int)r->host->m, (int)offset, r->Y, order,
                      net->Y));
    return CLT_OK;
}

static int step(clt_trainer *t)
{
    return clt_net_step(t->net, t->cfg.lr, t->verifying ? &t->check : NULL);
}

/* Loss and accuracy of the current parameters over a resident set, in
 * batches, in the set's own order. */
static int evaluate(clt_trainer *t, resident *r, double *loss, double *accuracy)
{
    const clt_dataset *d = r->host;
    const clt_shape *s = &t->cfg.shape;
    int n_out = s->n[s->L];
    double total_loss = 0, right = 0;
    double *Y = malloc((size_t)n_out * t->batch * sizeof(double));
    if (!Y)
        return clt_fail(CLT_ERR_NOMEM, "out of memory evaluating");

    int st = CLT_OK;
    for (int64_t off = 0; off < d->m && st == CLT_OK; off += t->batch) {
        int64_t m = d->m - off < t->batch ? d->m - off : t->batch;
        t->net->m = m;
        if (r == &t->train && t->holds_full_batch)
            st = CLT_OK; /* A[0] already holds exactly this batch */
        else
            st = gather(t, r, r->idx, off, m);
        if (st == CLT_OK)
            st = clt_net_forward(t->net);
        if (st == CLT_OK)
            st = clt_net_read(t->net, CLT_BUF_A, s->L, t->out);
        if (st != CLT_OK)
            break;
        for (int i = 0; i < n_out; i++)
            for (int64_t j = 0; j < m; j++)
                Y[(size_t)i * m + j] = d->Y[(size_t)i * d->m + off + j];
        total_loss += clt_loss(s->act[s->L - 1], t->out, Y, n_out, m) * (double)m;
        right += clt_accuracy(t->out, Y, n_out, m) * (double)m;
    }
    free(Y);
    *loss = total_loss / (double)d->m;
    *accuracy = d->task == CLT_TASK_REGRESSION ? NAN : right / (double)d->m;
    return st;
}

static int train_epoch(clt_trainer *t)
{
    resident *r = &t->train;
    int64_t m_all = r->host->m;
    cl_int err;

    if (t->stop)
        return clt_fail(CLT_ERR_INTERRUPTED, "interrupted before epoch %d", t->epoch + 1);
    if (t->batch >= m_all) {
        if (!t->holds_full_batch) {
            TRY(gather(t, r, r->idx, 0, m_all));
            t->holds_full_batch = 1;
        }
        t->net->m = m_all;
        return step(t);
    }

    /* A fresh order for this epoch (the same one again when resuming inside
     * it); the previous epoch's evaluation waited for the device, so
     * shuffle_host is free to overwrite. */
    t->epoch_rng = t->rng;
    clt_rng_permutation(&t->rng, t->perm, m_all);
    for (int64_t j = 0; j < m_all; j++)
        t->shuffle_host[j] = (int)t->perm[j];
    err = clEnqueueWriteBuffer(t->ctx->queue, t->shuffle, CL_FALSE, 0,
                               (size_t)m_all * sizeof(int), t->shuffle_host, 0, NULL, NULL);
    CL_CHECK(err, "copying the epoch's sample order to the device");
    t->holds_full_batch = 0;

    for (int64_t off = t->offset; off < m_all; off += t->batch) {
        if (t->stop) {
            t->offset = off;
            return clt_fail(CLT_ERR_INTERRUPTED, "interrupted in epoch %d after %lld of %lld "
                            "samples", t->epoch + 1, (long long)off, (long long)m_all);
        }
        int64_t m = m_all - off < t->batch ? m_all - off : t->batch;
        TRY(gather(t, r, t->shuffle, off, m));
        TRY(step(t));
        if (t->cfg.progress && now() >= t->next_progress) {
            TRY(clt_finish(t->ctx));
            t->cfg.progress(t->cfg.progress_user, t->epoch + 1, off + m, m_all);
            t->next_progress = now() + t->cfg.progress_seconds;
        }
    }
    t->offset = 0;
    return CLT_OK;
}

int clt_trainer_epoch(clt_trainer *t, clt_epoch_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->test_loss = stats->test_accuracy = NAN;
    stats->epoch = t->epoch + 1;

    double t0 = now();
    int st = train_epoch(t);
    if (st == CLT_OK)
        st = clt_finish(t->ctx);
    stats->seconds = now() - t0;
    if (st != CLT_OK)
        return st;
    stats->samples_per_s = (double)t->train.host->m / stats->seconds;
    stats->verify_max_err = t->verifying ? t->check.max_err : NAN;

    TRY(evaluate(t, &t->train, &stats->train_loss, &stats->train_accuracy));
    if (t->has_test) {
        TRY(evaluate(t, &t->test, &stats->test_loss, &stats->test_accuracy));
        t->holds_full_batch = 0;
    }
    t->epoch++;

    if (!isfinite(stats->train_loss)) {
        TRY(clt_net_set_params(t->net, &t->good));
        char kept[48];
        if (t->epoch > 1)
            snprintf(kept, sizeof kept, "the model of epoch %d", t->epoch - 1);
        else
            snprintf(kept, sizeof kept, "no earlier epoch");
        return clt_fail(CLT_ERR_NONFINITE,
                        "epoch %d: the training loss became %s; the learning rate %g is probably "
                        "too large, try a smaller --lr (%s is kept)", t->epoch,
                        isnan(stats->train_loss) ? "NaN" : "infinite", t->cfg.lr, kept);
    }
    return clt_net_get_params(t->net, &t->good);
}

int clt_trainer_params(clt_trainer *t, clt_params *out)
{
    return clt_params_copy(out, &t->good);
}

int clt_trainer_checkpoint(clt_trainer *t, clt_checkpoint *c)
{
    memset(c, 0, sizeof *c);
    TRY(clt_params_alloc(&c->params, &t->cfg.shape));
    int st = clt_net_get_params(t->net, &c->params); /* waits for the queue */
    if (st != CLT_OK) {
        clt_params_free(&c->params);
        return st;
    }
    c->epoch = t->epoch;
    c->offset = t->offset;
    /* Inside an epoch, the generator must be rewound to draw its shuffle again. */
    c->rng = t->offset ? t->epoch_rng : t->rng;
    c->batch = t->batch;
    c->lr = t->cfg.lr;
    c->seed = t->cfg.seed;
    c->samples = t->train.host->m;
    return CLT_OK;
}

int clt_trainer_restore(clt_trainer *t, const clt_checkpoint *c)
{
    const clt_shape *a = &t->cfg.shape, *b = &c->params.shape;
    int same = a->L == b->L;
    for (int l = 0; same && l <= a->L; l++)
        same = a->n[l] == b->n[l] && (l == a->L || a->act[l] == b->act[l]);
    if (!same)
        return clt_fail(CLT_ERR_ARG, "the checkpoint's network differs from this run's "
                        "(check --hidden, --activation, --output and the data)");
    if (c->batch != t->batch || c->lr != t->cfg.lr)
        return clt_fail(CLT_ERR_ARG, "the checkpoint was made with batch %lld and lr %.10g; "
                        "this run has batch %lld and lr %.10g: resume with the same options",
                        (long long)c->batch, c->lr, (long long)t->batch, t->cfg.lr);
    if (c->seed != t->cfg.seed || c->samples != t->train.host->m)
        return clt_fail(CLT_ERR_ARG, "the checkpoint was made with seed %u on %lld training "
                        "samples; this run has seed %u and %lld samples: resume with the same "
                        "data, --seed and --split", (unsigned)c->seed, (long long)c->samples,
                        (unsigned)t->cfg.seed, (long long)t->train.host->m);
    if (c->offset < 0 || c->offset >= t->train.host->m || c->epoch < 0)
        return clt_fail(CLT_ERR_ARG, "the checkpoint's position (epoch %d, sample %lld) does "
                        "not fit this data set of %lld samples", c->epoch,
                        (long long)c->offset, (long long)t->train.host->m);

    TRY(clt_net_set_params(t->net, &c->params));
    clt_params_free(&t->good);
    TRY(clt_params_copy(&t->good, &c->params));
    t->epoch = c->epoch;
    t->offset = c->offset;
    t->rng = c->rng;
    t->holds_full_batch = 0;
    return CLT_OK;
}
