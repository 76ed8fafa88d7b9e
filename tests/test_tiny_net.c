/*
 * test_tiny_net.c - the one-launch training of kernels/tiny_net.cl against
 * the CPU reference stepped the same number of times, in float and double:
 * the notebook's 2-2-1 XOR net, and a deeper 2-5-3-1 with awkward widths, 601
 * iterations with predictions every 100 (the last one, 600, a checkpoint
 * too, and 0).
 *
 * Tolerance, relative to the largest parameter: double 1e-9 (each step
 * rounds at 1e-16 and 600 steps of gradient descent on this net do not
 * amplify it past 1e-12 in practice; 1e-9 leaves room and still catches any
 * wrong term); float 1e-4, the bound cli_xor.sh holds `cltrain xor` to after
 * 10001 steps.  Predictions must match exactly except where the reference's
 * output is within the tolerance of 0.5.
 */
#include <math.h>
#include <string.h>

#include "ops.h"
#include "testutil.h"

#define ITER 600
#define EVERY 100
#define BLOCKS (ITER / EVERY + 2)

static const double X[8] = {0, 0, 1, 1, 0, 1, 0, 1};
static const double Y[4] = {0, 1, 1, 0};

static size_t pack(const clt_params *p, double *out)
{
    const clt_shape *s = &p->shape;
    size_t off = 0;
    for (int l = 1; l <= s->L; l++) {
        size_t w = (size_t)s->n[l] * s->n[l - 1];
        if (out) {
            memcpy(out + off, p->W[l - 1], w * sizeof(double));
            memcpy(out + off + w, p->b[l - 1], s->n[l] * sizeof(double));
        }
        off += w + s->n[l];
    }
    return off;
}

static void check(clt_context *ctx, const clt_shape *s)
{
    double tol = clt_context_precision(ctx) == CLT_DOUBLE ? 1e-9 : 1e-4;
    clt_params p;
    CHECK_OK(clt_params_alloc(&p, s));
    clt_params_init_numpy(&p, 1, 0.5);
    size_t np = pack(&p, NULL), nw = 0;
    for (int l = 1; l <= s->L; l++)
        nw += 2 * (size_t)s->n[l] * 4;
    double *packed = malloc(np * sizeof(double)), *got = malloc(np * sizeof(double));
    pack(&p, packed);

    /* the device: one launch */
    cl_int err;
    cl_mem n = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                              (size_t)(s->L + 1) * sizeof(int), (void *)s->n, &err);
    CHECK(err == CL_SUCCESS);
    cl_mem pred = clCreateBuffer(ctx->context, CL_MEM_WRITE_ONLY, BLOCKS * 4 * sizeof(int), NULL,
                                 &err);
    CHECK(err == CL_SUCCESS);
    cl_mem dX, dY, dP, work;
    CHECK_OK(clt_buffer_create(ctx, 8, &dX));
    CHECK_OK(clt_buffer_create(ctx, 4, &dY));
    CHECK_OK(clt_buffer_create(ctx, np, &dP));
    CHECK_OK(clt_buffer_create(ctx, nw, &work));
    CHECK_OK(clt_buffer_write(ctx, dX, X, 8));
    CHECK_OK(clt_buffer_write(ctx, dY, Y, 4));
    CHECK_OK(clt_buffer_write(ctx, dP, packed, np));
    CHECK_OK(clt_op_tiny_net(ctx, s->L, n, 4, ITER, EVERY, 1.0, dX, dY, dP, work, pred));
    int dev_pred[BLOCKS * 4];
    CHECK(clEnqueueReadBuffer(ctx->queue, pred, CL_TRUE, 0, sizeof dev_pred, dev_pred, 0, NULL,
                              NULL) == CL_SUCCESS);
    CHECK_OK(clt_buffer_read(ctx, dP, got, np));

    /* the reference: ITER + 1 steps, predicting at each checkpoint */
    clt_ref r;
    CHECK_OK(clt_ref_alloc(&r, s, 4));
    int block = 0, bad = 0;
    for (int i = 0; i <= ITER + 1; i++) {
        clt_ref_forward(&r, &p, X);
        int copies = (i > 0 && (i - 1) % EVERY == 0) + (i == ITER + 1);
        for (int c = 0; c < copies; c++, block++)
            for (int j = 0; j < 4; j++) {
                double a = r.A[s->L][j];
                if (fabs(a - 0.5) > tol && dev_pred[block * 4 + j] != (a > 0.5) && bad++ < 3)
                    fprintf(stderr, "prediction block %d sample %d: device %d, reference %.6f\n",
                            block, j, dev_pred[block * 4 + j], a);
            }
        if (i == ITER + 1)
            break;
        clt_ref_backward(&r, &p, X, Y);
        clt_ref_update(&r, &p, 1.0);
    }
    CHECK(block == BLOCKS);

    pack(&p, packed);
    double top = 0, worst = 0;
    for (size_t i = 0; i < np; i++)
        top = fmax(top, fabs(packed[i]));
    for (size_t i = 0; i < np; i++)
        worst = fmax(worst, fabs(got[i] - packed[i]) / top);
    if (!(worst <= tol)) {
        fprintf(stderr, "parameters differ by %.3g of the largest (tolerance %.3g)\n", worst, tol);
        bad++;
    }
    if (bad)
        test_failures++;
    printf("  %d layers, %s: parameters within %.3g of the reference after %d steps\n", s->L,
           clt_precision_name(clt_context_precision(ctx)), worst, ITER + 1);

    clt_ref_free(&r);
    clt_params_free(&p);
    free(packed);
    free(got);
    cl_mem *bufs[] = {&n, &pred, &dX, &dY, &dP, &work};
    for (int i = 0; i < 6; i++)
        clt_buffer_release(bufs[i]);
}

int main(void)
{
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    for (int p = CLT_FLOAT; p <= CLT_DOUBLE; p++) {
        clt_context *ctx;
        int st = clt_context_create(device, (clt_precision)p, NULL, &ctx);
        if (st == CLT_ERR_NO_FP64) {
            printf("double precision not supported by the device: not tested\n");
            continue;
        }
        CHECK_OK(st);
        if (st != CLT_OK)
            continue;
        clt_shape xor_net = {2, {2, 2, 1}, {CLT_ACT_SIGMOID, CLT_ACT_SIGMOID}};
        clt_shape deeper = {3, {2, 5, 3, 1}, {CLT_ACT_SIGMOID, CLT_ACT_SIGMOID, CLT_ACT_SIGMOID}};
        check(ctx, &xor_net);
        check(ctx, &deeper);
        clt_context_free(ctx);
    }
    return test_verdict("test_tiny_net");
}
