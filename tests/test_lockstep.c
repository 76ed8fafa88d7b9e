/*
 * test_lockstep.c - the device against the CPU reference every iteration,
 * every buffer compared (Z, A, dZ, dA, dW, db and the updated W, b), using
 * the same checker as --verify (see verify.c for the error measure and the
 * tolerances and why they are right):
 *
 *   - 200 iterations of a 4-layer 5-7-3-1 sigmoid net on m = 37 samples;
 *   - 200 iterations of the notebook's XOR net;
 *   - 60 iterations for each hidden activation and output kind, at awkward
 *     widths;
 *   - a mini-batch run through the trainer (batch 16 of 37: a short last
 *     batch) with --verify's checker on;
 *   - and a check that the checker fails when a device buffer is disturbed.
 *
 * In float and in double.
 */
#include <math.h>
#include <string.h>

#include "net_internal.h"
#include "testutil.h"

static void fill_data(int n_in, int n_out, int m, clt_activation out, double *X, double *Y)
{
    for (int g = 0; g < n_in * m; g++)
        X[g] = sin(0.37 * g + 1) * 2;
    for (int j = 0; j < m; j++)
        for (int i = 0; i < n_out; i++) {
            if (out == CLT_ACT_LINEAR)
                Y[i * m + j] = cos(0.5 * (i + j));
            else if (out == CLT_ACT_SOFTMAX)
                Y[i * m + j] = (j % n_out) == i;
            else
                Y[i * m + j] = ((j * 3 + i) % 5) < 2;
        }
}

/* Runs `iters` verified steps; returns the largest error seen, or -1. */
static double lockstep(clt_context *ctx, const clt_shape *s, int m, int iters, double lr)
{
    double *X = malloc((size_t)s->n[0] * m * sizeof(double));
    double *Y = malloc((size_t)s->n[s->L] * m * sizeof(double));
    clt_params p;
    clt_net *net = NULL;
    clt_verify v;
    double result = -1;

    fill_data(s->n[0], s->n[s->L], m, s->act[s->L - 1], X, Y);
    CHECK_OK(clt_params_alloc(&p, s));
    clt_params_init_numpy(&p, 3, 0.5);
    int st = clt_net_create(ctx, s, m, &net);
    if (st == CLT_OK)
        st = clt_net_set_params(net, &p);
    if (st == CLT_OK)
        st = clt_net_set_batch(net, X, Y, m);
    if (st == CLT_OK)
        st = clt_verify_init(&v, net, clt_verify_tolerance(clt_context_precision(ctx)));
    CHECK_OK(st);
    if (st == CLT_OK) {
        for (int i = 0; i < iters && st == CLT_OK; i++) {
            st = clt_net_step(net, lr, &v);
        }
        CHECK_OK(st);
        if (st == CLT_OK) {
            CHECK(v.steps == iters);
            result = v.max_err;
        }

        /* The checker must notice a disturbed gradient: add 5% of the
         * largest |dW| (plus 0.01) to one element of dW[1] after a step,
         * an error the size of a term dropped from a sum of ~20. */
        st = clt_verify_before(&v, net);
        if (st == CLT_OK)
            st = clt_net_forward(net);
        if (st == CLT_OK)
            st = clt_net_backward(net);
        size_t nw = clt_net_buf_count(net, CLT_BUF_DW, 1);
        double *dW = malloc(nw * sizeof(double)), top = 0;
        CHECK_OK(clt_net_read(net, CLT_BUF_DW, 1, dW));
        for (size_t i = 0; i < nw; i++)
            top = fmax(top, fabs(dW[i]));
        dW[nw / 2] += 0.05 * top + 0.01;
        CHECK_OK(clt_buffer_write(ctx, net->dW[1], dW, nw));
        free(dW);
        CHECK_OK(clt_net_update(net, lr));
        st = clt_verify_after(&v, net, lr);
        if (st != CLT_ERR_MISMATCH) {
            fprintf(stderr, "a disturbed dW[1] was not detected (status %s)\n",
                    clt_status_name(st));
            test_failures++;
        } else if (!strstr(clt_last_error(), "W[1]")) {
            /* named either as dW[1] or, where dW's scale is larger than W's,
             * as the W[1] that the disturbed gradient updated */
            fprintf(stderr, "the mismatch message does not name layer 1: %s\n", clt_last_error());
            test_failures++;
        }
        clt_verify_free(&v);
    }
    clt_net_free(net);
    clt_params_free(&p);
    free(X);
    free(Y);
    return result;
}

/* Iterations to run: n, or 3 in small mode (CLTRAIN_TEST_SMALL=1, for the
 * simulator), enough for every kernel to run on parameters it updated. */
static int iterations(int n)
{
    return test_small() && n > 3 ? 3 : n;
}

static void minibatch(clt_context *ctx)
{
    const int m = 37;
    clt_dataset d = {0};
    d.m = m;
    d.n_in = 5;
    d.n_out = 3;
    d.task = CLT_TASK_MULTICLASS;
    d.n_classes = 3;
    d.X = malloc(5 * m * sizeof(double));
    d.Y = malloc(3 * m * sizeof(double));
    fill_data(5, 3, m, CLT_ACT_SOFTMAX, d.X, d.Y);

    clt_train_config cfg = {0};
    cfg.shape = (clt_shape){2, {5, 9, 3}, {CLT_ACT_TANH, CLT_ACT_SOFTMAX}};
    cfg.batch = 16;
    cfg.lr = 0.3;
    cfg.seed = 5;
    cfg.init_scale = 0.5;
    cfg.verify = 1;
    clt_trainer *t;
    int st = clt_trainer_create(ctx, &cfg, &d, &d, &t);
    CHECK_OK(st);
    if (st == CLT_OK) {
        clt_epoch_stats es;
        int epochs = iterations(10);
        for (int e = 0; e < epochs && st == CLT_OK; e++)
            st = clt_trainer_epoch(t, &es);
        CHECK_OK(st);
        if (st == CLT_OK) {
            printf("  mini-batch 5-9-3 tanh/softmax, batch 16 of 37, %d epochs: largest error "
                   "%.3g, loss %.4f\n", epochs, es.verify_max_err, es.train_loss);
            CHECK(es.test_loss == es.train_loss); /* the same data, evaluated twice */
        }
        clt_trainer_free(t);
    }
    free(d.X);
    free(d.Y);
}

static void run(clt_precision p, int device)
{
    clt_context *ctx;
    int st = clt_context_create(device, p, NULL, &ctx);
    if (st == CLT_ERR_NO_FP64) {
        printf("%s: not supported by the device, skipped\n", clt_precision_name(p));
        return;
    }
    CHECK_OK(st);
    if (st != CLT_OK)
        return;
    printf("%s precision:\n", clt_precision_name(p));

    clt_shape deep = {3, {5, 7, 3, 1}, {CLT_ACT_SIGMOID, CLT_ACT_SIGMOID, CLT_ACT_SIGMOID}};
    printf("  5-7-3-1 sigmoid, m=37, %d iterations: largest error %.3g\n", iterations(200),
           lockstep(ctx, &deep, 37, iterations(200), 0.5));
    clt_shape xor_net = {2, {2, 2, 1}, {CLT_ACT_SIGMOID, CLT_ACT_SIGMOID}};
    printf("  XOR 2-2-1, m=4, %d iterations: largest error %.3g\n", iterations(200),
           lockstep(ctx, &xor_net, 4, iterations(200), 1.0));

    static const struct { clt_activation hidden, out; int n_out; } kinds[] = {
        {CLT_ACT_TANH, CLT_ACT_SIGMOID, 1}, {CLT_ACT_RELU, CLT_ACT_SOFTMAX, 4},
        {CLT_ACT_SIGMOID, CLT_ACT_SOFTMAX, 3}, {CLT_ACT_TANH, CLT_ACT_LINEAR, 2},
        {CLT_ACT_RELU, CLT_ACT_LINEAR, 1}, {CLT_ACT_SIGMOID, CLT_ACT_SIGMOID, 3},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        clt_shape s = {3, {17, 33, 5, kinds[k].n_out},
                       {kinds[k].hidden, kinds[k].hidden, kinds[k].out}};
        printf("  17-33-5-%d %s/%s, m=65, %d iterations: largest error %.3g\n",
               kinds[k].n_out, clt_activation_name(kinds[k].hidden),
               clt_activation_name(kinds[k].out), iterations(60),
               lockstep(ctx, &s, 65, iterations(60), 0.1));
    }
    minibatch(ctx);
    clt_context_free(ctx);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* keep stdout and stderr in order */
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    run(CLT_FLOAT, device);
    run(CLT_DOUBLE, device);
    return test_verdict("test_lockstep");
}
