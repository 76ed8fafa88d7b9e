/*
 * net.c - a dense network resident on one OpenCL device: every buffer is
 * allocated once in clt_net_create, and forward, backward and update only
 * enqueue kernels, so a training loop makes no host round trip unless it asks
 * to read something.
 *
 * Legend: L layers, n[l] units in layer l, m samples in the batch.
 *   forward   Z[l] = W[l] A[l-1] + b[l]     A[l] = g[l](Z[l])
 *   backward  dZ[L] = A[L] - Y
 *             dW[l] = 1/m dZ[l] A[l-1]^T   db[l] = 1/m sum_j dZ[l][:, j]
 *             dA[l-1] = W[l]^T dZ[l]       dZ[l-1] = dA[l-1] * g'[l-1]
 *   update    W[l] -= lr dW[l]             b[l] -= lr db[l]
 */
#include "net_internal.h"
#include "ops.h"

#include <stdlib.h>
#include <string.h>

#define TRY(expr) do { int st_ = (expr); if (st_ != CLT_OK) return st_; } while (0)

static int check_shape(const clt_shape *s, int64_t max_m)
{
    if (s->L < 1 || s->L > CLT_MAX_LAYERS)
        return clt_fail(CLT_ERR_ARG, "a network needs 1 to %d layers, not %d",
                        CLT_MAX_LAYERS, s->L);
    for (int l = 0; l <= s->L; l++)
        if (s->n[l] < 1)
            return clt_fail(CLT_ERR_ARG, "layer %d has %d units; every layer needs at least 1",
                            l, s->n[l]);
    for (int l = 1; l < s->L; l++)
        if (s->act[l - 1] == CLT_ACT_SOFTMAX)
            return clt_fail(CLT_ERR_ARG, "softmax is only available on the output layer");
    if (max_m < 1)
        return clt_fail(CLT_ERR_ARG, "the batch must hold at least one sample");

    /* Kernels index with int: every matrix must have fewer than 2^31 elements. */
    for (int l = 0; l <= s->L; l++)
        if ((int64_t)s->n[l] * max_m > INT32_MAX ||
            (l > 0 && (int64_t)s->n[l] * s->n[l - 1] > INT32_MAX))
            return clt_fail(CLT_ERR_TOO_LARGE,
                            "layer %d with a batch of %lld has more than 2^31 elements; "
                            "use a smaller batch", l, (long long)max_m);
    return CLT_OK;
}

uint64_t clt_net_bytes(const clt_shape *s, int64_t max_m, clt_precision p)
{
    uint64_t elems = (uint64_t)s->n[0] * max_m + (uint64_t)s->n[s->L] * max_m;  /* X, Y */
    for (int l = 1; l <= s->L; l++) {
        elems += 2 * ((uint64_t)s->n[l] * s->n[l - 1] + s->n[l]);     /* W, dW, b, db */
        elems += 3 * (uint64_t)s->n[l] * max_m;                       /* Z, A, dZ */
        if (l < s->L)
            elems += (uint64_t)s->n[l] * max_m;                       /* dA */
    }
    return elems * clt_precision_size(p);
}

/* The largest single buffer, to compare with the device's maximum allocation. */
static uint64_t largest_buffer(const clt_shape *s, int64_t max_m, clt_precision p)
{
    uint64_t top = 0;
    for (int l = 0; l <= s->L; l++) {
        uint64_t act = (uint64_t)s->n[l] * max_m;
        uint64_t w = l > 0 ? (uint64_t)s->n[l] * s->n[l - 1] : 0;
        top = act > top ? act : top;
        top = w > top ? w : top;
    }
    return top * clt_precision_size(p);
}

static int allocate(clt_net *net)
{
    clt_context *ctx = net->ctx;
    const clt_shape *s = &net->shape;
    size_t m = (size_t)net->max_m;

    TRY(clt_buffer_create(ctx, (size_t)s->n[0] * m, &net->A[0]));
    TRY(clt_buffer_create(ctx, (size_t)s->n[s->L] * m, &net->Y));
    for (int l = 1; l <= s->L; l++) {
        size_t w = (size_t)s->n[l] * s->n[l - 1], a = (size_t)s->n[l] * m;
        TRY(clt_buffer_create(ctx, w, &net->W[l]));
        TRY(clt_buffer_create(ctx, w, &net->dW[l]));
        TRY(clt_buffer_create(ctx, (size_t)s->n[l], &net->b[l]));
        TRY(clt_buffer_create(ctx, (size_t)s->n[l], &net->db[l]));
        TRY(clt_buffer_create(ctx, a, &net->Z[l]));
        TRY(clt_buffer_create(ctx, a, &net->A[l]));
        TRY(clt_buffer_create(ctx, a, &net->dZ[l]));
        if (l < s->L)
            TRY(clt_buffer_create(ctx, a, &net->dA[l]));
    }
    return CLT_OK;
}

int clt_net_create(clt_context *ctx, const clt_shape *shape, int64_t max_m, clt_net **out)
{
    TRY(check_shape(shape, max_m));

    const clt_device_info *dev = clt_context_device(ctx);
    clt_precision p = clt_context_precision(ctx);
    uint64_t total = clt_net_bytes(shape, max_m, p), top = largest_buffer(shape, max_m, p);
    if (top > dev->max_alloc || total > dev->global_mem)
        return clt_fail(CLT_ERR_TOO_LARGE,
                        "the network needs %.1f MiB on the device (largest buffer %.1f MiB) but "
                        "'%s' has %.1f MiB (largest allocation %.1f MiB); use a smaller --batch "
                        "or narrower layers",
                        total / 1048576.0, top / 1048576.0, dev->name,
                        dev->global_mem / 1048576.0, dev->max_alloc / 1048576.0);

    clt_net *net = calloc(1, sizeof *net);
    if (!net)
        return clt_fail(CLT_ERR_NOMEM, "out of memory creating the network");
    net->ctx = ctx;
    net->shape = *shape;
    net->max_m = max_m;
    net->m = max_m;

    int st = allocate(net);
    if (st != CLT_OK) {
        clt_net_free(net);
        return st;
    }
    *out = net;
    return CLT_OK;
}

void clt_net_free(clt_net *net)
{
    if (!net)
        return;
    for (int l = 0; l <= CLT_MAX_LAYERS; l++) {
        clt_buffer_release(&net->W[l]);
        clt_buffer_release(&net->b[l]);
        clt_buffer_release(&net->dW[l]);
        clt_buffer_release(&net->db[l]);
        clt_buffer_release(&net->Z[l]);
        clt_buffer_release(&net->A[l]);
        clt_buffer_release(&net->dZ[l]);
        clt_buffer_release(&net->dA[l]);
    }
    clt_buffer_release(&net->Y);
    free(net);
}

const clt_shape *clt_net_shape(const clt_net *net)
{
    return &net->shape;
}

int clt_net_set_params(clt_net *net, const clt_params *p)
{
    const clt_shape *s = &net->shape;
    for (int l = 1; l <= s->L; l++) {
        TRY(clt_buffer_write(net->ctx, net->W[l], p->W[l - 1], (size_t)s->n[l] * s->n[l - 1]));
        TRY(clt_buffer_write(net->ctx, net->b[l], p->b[l - 1], (size_t)s->n[l]));
    }
    return CLT_OK;
}

int clt_net_get_params(clt_net *net, clt_params *p)
{
    const clt_shape *s = &net->shape;
    for (int l = 1; l <= s->L; l++) {
        TRY(clt_buffer_read(net->ctx, net->W[l], p->W[l - 1], (size_t)s->n[l] * s->n[l - 1]));
        TRY(clt_buffer_read(net->ctx, net->b[l], p->b[l - 1], (size_t)s->n[l]));
    }
    return CLT_OK;
}

int clt_net_set_batch(clt_net *net, const double *X, const double *Y, int64_t m)
{
    if (m < 1 || m > net->max_m)
        return clt_fail(CLT_ERR_ARG, "batch of %lld samples: the network holds 1 to %lld",
                        (long long)m, (long long)net->max_m);
    net->m = m;
    TRY(clt_buffer_write(net->ctx, net->A[0], X, (size_t)net->shape.n[0] * m));
    if (Y)
        TRY(clt_buffer_write(net->ctx, net->Y, Y, (size_t)net->shape.n[net->shape.L] * m));
    return CLT_OK;
}

int64_t clt_net_batch(const clt_net *net)
{
    return net->m;
}

int clt_net_forward(clt_net *net)
{
    const clt_shape *s = &net->shape;
    int m = (int)net->m;
    for (int l = 1; l <= s->L; l++) {
        TRY(clt_op_matmul(net->ctx, "nn", s->n[l], m, s->n[l - 1], 1.0, net->W[l], net->A[l - 1],
                          net->Z[l]));
        TRY(clt_op_bias_add(net->ctx, s->n[l], m, net->Z[l], net->b[l]));
        TRY(clt_op_act_forward(net->ctx, s->act[l - 1], s->n[l], m, net->Z[l], net->A[l]));
    }
    return CLT_OK;
}

int clt_net_backward(clt_net *net)
{
    const clt_shape *s = &net->shape;
    int m = (int)net->m, L = s->L;
    double inv_m = 1.0 / m;

    TRY(clt_op_output_delta(net->ctx, s->n[L] * m, net->A[L], net->Y, net->dZ[L]));
    for (int l = L; l >= 1; l--) {
        TRY(clt_op_matmul(net->ctx, "nt", s->n[l], s->n[l - 1], m, inv_m, net->dZ[l],
                          net->A[l - 1], net->dW[l]));
        TRY(clt_op_column_sum(net->ctx, s->n[l], m, inv_m, net->dZ[l], net->db[l]));
        if (l == 1)
            break;
        TRY(clt_op_matmul(net->ctx, "tn", s->n[l - 1], m, s->n[l], 1.0, net->W[l], net->dZ[l],
                          net->dA[l - 1]));
        TRY(clt_op_act_backward(net->ctx, s->act[l - 2], s->n[l - 1] * m, net->dA[l - 1],
                                net->A[l - 1], net->dZ[l - 1]));
    }
    return CLT_OK;
}

int clt_net_update(clt_net *net, double lr)
{
    const clt_shape *s = &net->shape;
    for (int l = 1; l <= s->L; l++) {
        TRY(clt_op_sgd(net->ctx, s->n[l] * s->n[l - 1], lr, net->W[l], net->dW[l]));
        TRY(clt_op_sgd(net->ctx, s->n[l], lr, net->b[l], net->db[l]));
    }
    return CLT_OK;
}

static cl_mem pick(clt_net *net, clt_buf which, int l)
{
    int L = net->shape.L;
    int in_1_L = l >= 1 && l <= L;
    switch (which) {
    case CLT_BUF_W: return in_1_L ? net->W[l] : NULL;
    case CLT_BUF_B: return in_1_L ? net->b[l] : NULL;
    case CLT_BUF_DW: return in_1_L ? net->dW[l] : NULL;
    case CLT_BUF_DB: return in_1_L ? net->db[l] : NULL;
    case CLT_BUF_Z: return in_1_L ? net->Z[l] : NULL;
    case CLT_BUF_DZ: return in_1_L ? net->dZ[l] : NULL;
    case CLT_BUF_A: return l >= 0 && l <= L ? net->A[l] : NULL;
    case CLT_BUF_DA: return l >= 1 && l < L ? net->dA[l] : NULL;
    case CLT_BUF_Y: return net->Y;
    }
    return NULL;
}

size_t clt_net_buf_count(const clt_net *net, clt_buf which, int l)
{
    const clt_shape *s = &net->shape;
    if (which == CLT_BUF_Y)
        return (size_t)s->n[s->L] * net->m;
    if (l < 0 || l > s->L)
        return 0;
    switch (which) {
    case CLT_BUF_W:
    case CLT_BUF_DW: return l ? (size_t)s->n[l] * s->n[l - 1] : 0;
    case CLT_BUF_B:
    case CLT_BUF_DB: return (size_t)s->n[l];
    default: return (size_t)s->n[l] * net->m;
    }
}

int clt_net_read(clt_net *net, clt_buf which, int l, double *dst)
{
    cl_mem buf = pick(net, which, l);
    if (!buf)
        return clt_fail(CLT_ERR_ARG, "buffer %d of layer %d does not exist", (int)which, l);
    return clt_buffer_read(net->ctx, buf, dst, clt_net_buf_count(net, which, l));
}

int clt_net_finish(clt_net *net)
{
    return clt_finish(net->ctx);
}
