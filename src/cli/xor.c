/*
 * xor.c - `cltrain xor`: the notebook, on the device.
 *
 * A 2-n-1 sigmoid network (n = 2 by default) learns XOR from the four
 * samples with binary cross-entropy and full-batch gradient descent: weights
 * from np.random.seed(1) and randn * 0.1, zero biases, learning rate 1.0,
 * iterations 0..10000 inclusive, each one an update, and after the update
 * every 2000th the accuracy of a fresh prediction.  stdout carries exactly
 * what the notebook prints; everything else goes to stderr.
 *
 * Two paths print the same: without --verify, nets this small train in one
 * launch of kernels/tiny_net.cl, which runs every iteration and records the
 * predictions on the device (a dozen launches per iteration would cost far
 * more than the arithmetic); with --verify, or a net too large for one
 * work-item, each step is enqueued and checked as `cltrain train` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "ops.h"

#define PRINT_EVERY 2000

/* The notebook's data: X = X_raw.T is (2, 4), Y = y_raw.T is (1, 4). */
static const double xor_X[2 * 4] = {0, 0, 1, 1,
                                    0, 1, 0, 1};
static const double xor_Y[4] = {0, 1, 1, 0};

/* Runs a prediction on the device: predictions (A[L] > 0.5) into pred[4];
 * returns the accuracy, or -1 after a failure (status in *st). */
static double predict(clt_net *net, int L, int pred[4], int *st)
{
    double A[4];
    *st = clt_net_forward(net);
    if (*st == CLT_OK)
        *st = clt_net_read(net, CLT_BUF_A, L, A);
    if (*st != CLT_OK)
        return -1;
    int right = 0;
    for (int j = 0; j < 4; j++) {
        pred[j] = A[j] > 0.5;
        right += pred[j] == (int)xor_Y[j];
    }
    return right / 4.0;
}

/* The fused path's preconditions beyond the kernel's own (all sigmoid, which
 * xor always is): few enough weights that one work-item is the fastest way,
 * and few enough multiply-adds in all that one launch stays short. */
static int fused_fits(const clt_shape *s, int iterations)
{
    int64_t weights = 0;
    for (int l = 1; l <= s->L; l++)
        weights += (int64_t)s->n[l] * s->n[l - 1];
    return weights <= 4096 && weights * 4 * 3 * ((int64_t)iterations + 1) <= 4000000000LL;
}

/* Trains in one launch: params in, trained params out; pred gets the
 * predictions of every PRINT_EVERY-th iteration and then the final ones,
 * four per block. */
static int train_fused(clt_context *ctx, const clt_shape *s, clt_params *params, int iterations,
                       double lr, int *pred)
{
    int L = s->L, blocks = iterations / PRINT_EVERY + 2;
    size_t n_params = 0, n_work = 0;
    for (int l = 1; l <= L; l++) {
        n_params += (size_t)s->n[l] * s->n[l - 1] + s->n[l];
        n_work += 2 * (size_t)s->n[l] * 4;
    }
    double *packed = malloc(n_params * sizeof(double));
    if (!packed)
        return clt_fail(CLT_ERR_NOMEM, "out of memory packing the parameters");
    size_t off = 0;
    for (int l = 1; l <= L; l++) {
        size_t w = (size_t)s->n[l] * s->n[l - 1];
        memcpy(packed + off, params->W[l - 1], w * sizeof(double));
        memcpy(packed + off + w, params->b[l - 1], s->n[l] * sizeof(double));
        off += w + s->n[l];
    }

    cl_mem n = NULL, X = NULL, Y = NULL, P = NULL, work = NULL, out = NULL;
    cl_int err;
    n = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                       (size_t)(L + 1) * sizeof(int), (void *)s->n, &err);
    int st = CLT_OK;
    if (err != CL_SUCCESS)
        st = clt_fail(err, "allocating the layer widths: %s", clt_cl_error_name(err));
    if (st == CLT_OK) {
        out = clCreateBuffer(ctx->context, CL_MEM_WRITE_ONLY, (size_t)blocks * 4 * sizeof(int),
                             NULL, &err);
        if (err != CL_SUCCESS)
            st = clt_fail(err, "allocating the predictions: %s", clt_cl_error_name(err));
    }
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, 2 * 4, &X);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, 4, &Y);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, n_params, &P);
    if (st == CLT_OK)
        st = clt_buffer_create(ctx, n_work, &work);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, X, xor_X, 2 * 4);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, Y, xor_Y, 4);
    if (st == CLT_OK)
        st = clt_buffer_write(ctx, P, packed, n_params);

    if (st == CLT_OK)
        st = clt_op_tiny_net(ctx, L, n, 4, iterations, PRINT_EVERY, lr, X, Y, P, work, out);
    if (st == CLT_OK) {
        err = clEnqueueReadBuffer(ctx->queue, out, CL_TRUE, 0, (size_t)blocks * 4 * sizeof(int),
                                  pred, 0, NULL, NULL);
        if (err != CL_SUCCESS)
            st = clt_fail(err, "copying the predictions from the device: %s",
                          clt_cl_error_name(err));
    }
    if (st == CLT_OK)
        st = clt_buffer_read(ctx, P, packed, n_params);

    off = 0;
    for (int l = 1; st == CLT_OK && l <= L; l++) {
        size_t w = (size_t)s->n[l] * s->n[l - 1];
        memcpy(params->W[l - 1], packed + off, w * sizeof(double));
        memcpy(params->b[l - 1], packed + off + w, s->n[l] * sizeof(double));
        off += w + s->n[l];
    }
    cl_mem *bufs[] = {&n, &X, &Y, &P, &work, &out};
    for (int i = 0; i < 6; i++)
        clt_buffer_release(bufs[i]);
    free(packed);
    return st;
}

static double accuracy(const int pred[4])
{
    int right = 0;
    for (int j = 0; j < 4; j++)
        right += pred[j] == (int)xor_Y[j];
    return right / 4.0;
}

static void print_array(const char *label, const int v[4])
{
    printf("%s [%d %d %d %d]\n", label, v[0], v[1], v[2], v[3]);
}

int cmd_xor(int argc, char **argv)
{
    const char *precision = "float", *device = NULL, *hidden = "2", *save = NULL;
    uint32_t seed = 1;
    int iterations = 10000, verify = 0, quiet = 0;
    double lr = 1.0;
    opt opts[] = {
        {"precision", OPT_STRING, &precision, 0, 0, "float|double", "element type on the device"},
        {"device", OPT_STRING, &device, 0, 0, "SPEC",
         "device index or name part (cltrain devices)"},
        {"seed", OPT_U32, &seed, 0, 4294967295.0, "N", "numpy seed for the initial weights"},
        {"iterations", OPT_INT, &iterations, 0, 1e9, "N", "last iteration (0..N run)"},
        {"lr", OPT_DOUBLE, &lr, 1e-300, 1e300, "A", "learning rate"},
        {"hidden", OPT_STRING, &hidden, 0, 0, "N[,N...]", "hidden layer widths"},
        {"verify", OPT_FLAG, &verify, 0, 0, "", "check every step against the CPU reference"},
        {"save", OPT_STRING, &save, 0, 0, "FILE", "write the trained weights (safetensors)"},
        {"quiet", OPT_FLAG, &quiet, 0, 0, "", "nothing on stderr but errors"},
        {0},
    };
    int help;
    int rc = args_parse("xor", argc, argv, 2, opts, &help);
    if (help) {
        args_usage("xor", "Trains the notebook's XOR network; stdout is the notebook's output.",
                   opts);
        return 0;
    }
    if (rc)
        return rc;

    clt_shape shape = {0};
    int widths[CLT_MAX_LAYERS];
    int n_hidden = args_widths("xor", "hidden", hidden, widths, CLT_MAX_LAYERS - 1);
    if (n_hidden < 0)
        return 2;
    shape.L = n_hidden + 1;
    shape.n[0] = 2;
    for (int i = 0; i < n_hidden; i++)
        shape.n[i + 1] = widths[i];
    shape.n[shape.L] = 1;
    for (int l = 0; l < shape.L; l++)
        shape.act[l] = CLT_ACT_SIGMOID;

    clt_context *ctx = NULL;
    clt_net *net = NULL;
    clt_params params = {0};
    clt_verify check;
    int have_check = 0, st;
    int fused = !verify && fused_fits(&shape, iterations);
    double t0 = cli_now();

    rc = cli_open_device("xor", device, precision, quiet, &ctx);
    if (rc)
        return rc;
    st = clt_params_alloc(&params, &shape);
    if (st == CLT_OK)
        clt_params_init_numpy(&params, seed, 0.1);
    if (st == CLT_OK && !fused)
        st = clt_net_create(ctx, &shape, 4, &net);
    if (st == CLT_OK && !fused)
        st = clt_net_set_params(net, &params);
    if (st == CLT_OK && !fused)
        st = clt_net_set_batch(net, xor_X, xor_Y, 4);
    if (st == CLT_OK && verify) {
        st = clt_verify_init(&check, net, clt_verify_tolerance(clt_context_precision(ctx)));
        have_check = st == CLT_OK;
    }

    int pred[4];
    if (fused && st == CLT_OK) {
        /* One launch; then the notebook's lines from the recorded predictions. */
        int blocks = iterations / PRINT_EVERY + 2;
        int *all = malloc((size_t)blocks * 4 * sizeof(int));
        st = all ? train_fused(ctx, &shape, &params, iterations, lr, all)
                 : clt_fail(CLT_ERR_NOMEM, "out of memory for the predictions");
        for (int c = 0; st == CLT_OK && c < blocks - 1; c++)
            printf("Iteration %d   Accuracy: %.2f%%\n", c * PRINT_EVERY,
                   accuracy(all + 4 * c) * 100);
        if (st == CLT_OK)
            memcpy(pred, all + 4 * (blocks - 1), sizeof pred);
        free(all);
    }

    /* The notebook's loop: update, then every 2000th iteration predict. */
    for (int i = 0; !fused && i <= iterations && st == CLT_OK; i++) {
        st = clt_net_step(net, lr, verify ? &check : NULL);
        if (st == CLT_OK && i % PRINT_EVERY == 0) {
            double acc = predict(net, shape.L, pred, &st);
            if (st == CLT_OK)
                printf("Iteration %d   Accuracy: %.2f%%\n", i, acc * 100);
        }
    }

    if (st == CLT_OK) {
        double acc = fused ? accuracy(pred) : predict(net, shape.L, pred, &st);
        if (st == CLT_OK) {
            int truth[4] = {0, 1, 1, 0};
            char text[32];
            clt_format_pyfloat(text, sizeof text, acc);
            printf("\n");
            print_array("Predictions:", pred);
            print_array("True Labels:", truth);
            printf("Final Accuracy: %s\n", text);
            fflush(stdout);
        }
    }
    if (st == CLT_OK && save) {
        clt_model model = {0};
        if (!fused)
            st = clt_net_get_params(net, &params);
        model.params = params;
        model.precision = clt_context_precision(ctx);
        model.task = CLT_TASK_BINARY;
        model.n_classes = 2;
        if (st == CLT_OK)
            st = clt_model_save(save, &model);
        if (st == CLT_OK && !quiet)
            fprintf(stderr, "saved %s\n", save);
    }
    if (st == CLT_OK && !quiet) {
        if (verify)
            fprintf(stderr, "verify: %lld steps matched the CPU reference; largest error %.3g "
                    "(%s), tolerance %.3g\n", (long long)check.steps, check.max_err,
                    check.max_where[0] ? check.max_where : "-", check.tol);
        fprintf(stderr, "%d iterations in %.3f s\n", iterations + 1, cli_now() - t0);
    }

    rc = st == CLT_OK ? 0 : cli_fail("xor", st);
    if (have_check)
        clt_verify_free(&check);
    clt_params_free(&params);
    clt_net_free(net);
    clt_context_free(ctx);
    return rc;
}
