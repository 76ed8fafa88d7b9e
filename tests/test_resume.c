/*
 * test_resume.c - a run stopped inside an epoch and continued from its
 * checkpoint ends with exactly the parameters, bit for bit, of the run left
 * alone.  The stop is requested from the progress callback after a chosen
 * number of batches, so it lands inside an epoch every time (the shell test
 * tests/cli_resume.sh does the same with real signals and processes).  The
 * checkpoint also goes through its file format on the way.
 */
#include <math.h>
#include <string.h>

#include "testutil.h"

#define M 301
#define EPOCHS 4

typedef struct stopper {
    clt_trainer *t;
    int calls, stop_after;
} stopper;

static void maybe_stop(void *user, int epoch, int64_t done, int64_t total)
{
    (void)epoch;
    (void)done;
    (void)total;
    stopper *s = user;
    if (++s->calls == s->stop_after)
        clt_trainer_interrupt(s->t);
}

static void make_data(clt_dataset *d)
{
    memset(d, 0, sizeof *d);
    d->m = M;
    d->n_in = 3;
    d->n_out = 1;
    d->task = CLT_TASK_BINARY;
    d->n_classes = 2;
    d->X = malloc(3 * M * sizeof(double));
    d->Y = malloc(M * sizeof(double));
    for (int j = 0; j < M; j++) {
        d->X[j] = sin(0.3 * j);
        d->X[M + j] = cos(0.7 * j);
        d->X[2 * M + j] = sin(0.05 * j * j);
        d->Y[j] = d->X[j] * d->X[M + j] > 0;
    }
}

static int same_params(const clt_params *a, const clt_params *b)
{
    const clt_shape *s = &a->shape;
    for (int l = 1; l <= s->L; l++)
        if (memcmp(a->W[l - 1], b->W[l - 1], (size_t)s->n[l] * s->n[l - 1] * sizeof(double)) ||
            memcmp(a->b[l - 1], b->b[l - 1], (size_t)s->n[l] * sizeof(double)))
            return 0;
    return 1;
}

static void run(clt_context *ctx, const clt_dataset *d, int stop_after)
{
    clt_train_config cfg = {0};
    cfg.shape = (clt_shape){2, {3, 6, 1}, {CLT_ACT_TANH, CLT_ACT_SIGMOID}};
    cfg.batch = 16;
    cfg.lr = 0.4;
    cfg.seed = 11;
    cfg.init_scale = 0.5;

    /* the run left alone */
    clt_trainer *t;
    clt_epoch_stats es;
    clt_params whole = {0}, resumed = {0};
    CHECK_OK(clt_trainer_create(ctx, &cfg, d, NULL, &t));
    for (int e = 0; e < EPOCHS; e++)
        CHECK_OK(clt_trainer_epoch(t, &es));
    CHECK_OK(clt_trainer_params(t, &whole));
    clt_trainer_free(t);

    /* the run stopped after `stop_after` batches, saved and continued */
    stopper s = {NULL, 0, stop_after};
    cfg.progress = maybe_stop;
    cfg.progress_user = &s;
    cfg.progress_seconds = 0;
    CHECK_OK(clt_trainer_create(ctx, &cfg, d, NULL, &t));
    s.t = t;
    int st = CLT_OK, epochs = 0;
    while (st == CLT_OK && epochs < EPOCHS) {
        st = clt_trainer_epoch(t, &es);
        epochs += st == CLT_OK;
    }
    CHECK(st == CLT_ERR_INTERRUPTED);

    clt_checkpoint c, back;
    clt_model model = {0}, loaded;
    char path[64];
    snprintf(path, sizeof path, "test_resume_%d.ckpt", stop_after);
    CHECK_OK(clt_trainer_checkpoint(t, &c));
    CHECK(c.offset == (int64_t)((stop_after - 1) % 19 + 1) * 16); /* 19 batches an epoch */
    model.precision = clt_context_precision(ctx);
    model.task = CLT_TASK_BINARY;
    CHECK_OK(clt_checkpoint_save(path, &c, &model));
    clt_trainer_free(t);

    cfg.progress = NULL;
    CHECK_OK(clt_trainer_create(ctx, &cfg, d, NULL, &t));
    CHECK_OK(clt_checkpoint_load(path, &back, &loaded));
    CHECK(back.epoch == c.epoch && back.offset == c.offset &&
          memcmp(&back.rng, &c.rng, sizeof c.rng) == 0);
    CHECK_OK(clt_trainer_restore(t, &back));
    for (int e = back.epoch; e < EPOCHS; e++)
        CHECK_OK(clt_trainer_epoch(t, &es));
    CHECK_OK(clt_trainer_params(t, &resumed));
    if (!same_params(&whole, &resumed)) {
        fprintf(stderr, "%s: stopped after %d batches (epoch %d, offset %lld): the resumed run "
                "differs from the run left alone\n", clt_precision_name(clt_context_precision(ctx)),
                stop_after, c.epoch, (long long)c.offset);
        test_failures++;
    } else {
        printf("%s: stopped after %d batches (epoch %d, sample %lld): resumed bit for bit\n",
               clt_precision_name(clt_context_precision(ctx)), stop_after, c.epoch,
               (long long)c.offset);
    }
    remove(path);
    clt_checkpoint_free(&c);
    clt_checkpoint_free(&back);
    clt_model_free(&loaded);
    clt_params_free(&whole);
    clt_params_free(&resumed);
    clt_trainer_free(t);
}

int main(void)
{
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    clt_dataset d;
    make_data(&d);
    for (int p = 0; p < 2; p++) {
        clt_context *ctx;
        int st = clt_context_create(device, (clt_precision)p, NULL, &ctx);
        if (st == CLT_ERR_NO_FP64)
            continue;
        CHECK_OK(st);
        if (st != CLT_OK)
            break;
        run(ctx, &d, 5);     /* inside the first epoch */
        run(ctx, &d, 30);    /* inside the second */
        clt_context_free(ctx);
    }
    clt_dataset_free(&d);
    return test_verdict("test_resume");
}
