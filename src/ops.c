/*
 * ops.c - host wrappers of the kernels in the .cl files under kernels/: argument order and
 * launch shape live here and nowhere else.
 */
#include "ops.h"

#include <string.h>

#define ARG(k, i, v) do { int st_ = clt_arg(ctx, k, i, sizeof(v), &(v)); if (st_) return st_; } while (0)
#define ARG_REAL(k, i, v) do { int st_ = clt_arg_real(ctx, k, i, v); if (st_) return st_; } while (0)

int clt_op_matmul(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                  cl_mem A, cl_mem B, cl_mem C)
{
    enum clt_kernel_id k = strcmp(op, "nt") == 0 ? K_MATMUL_NT
                         : strcmp(op, "tn") == 0 ? K_MATMUL_TN : K_MATMUL_NN;
    ARG(k, 0, M);
    ARG(k, 1, N);
    ARG(k, 2, K);
    ARG_REAL(k, 3, alpha);
    ARG(k, 4, A);
    ARG(k, 5, B);
    ARG(k, 6, C);
    return clt_enqueue(ctx, k, (size_t)N, (size_t)M);
}

int clt_op_bias_add(clt_context *ctx, int n, int m, cl_mem Z, cl_mem b)
{
    ARG(K_BIAS_ADD, 0, n);
    ARG(K_BIAS_ADD, 1, m);
    ARG(K_BIAS_ADD, 2, Z);
    ARG(K_BIAS_ADD, 3, b);
    return clt_enqueue(ctx, K_BIAS_ADD, (size_t)n * m, 0);
}

int clt_op_act_forward(clt_context *ctx, clt_activation act, int n, int m, cl_mem Z, cl_mem A)
{
    if (act == CLT_ACT_SOFTMAX) {
        ARG(K_SOFTMAX_FWD, 0, n);
        ARG(K_SOFTMAX_FWD, 1, m);
        ARG(K_SOFTMAX_FWD, 2, Z);
        ARG(K_SOFTMAX_FWD, 3, A);
        return clt_enqueue(ctx, K_SOFTMAX_FWD, (size_t)m, 0);
    }
    enum clt_kernel_id k = act == CLT_ACT_TANH ? K_TANH_FWD
                         : act == CLT_ACT_RELU ? K_RELU_FWD
                         : act == CLT_ACT_LINEAR ? K_COPY_FWD : K_SIGMOID_FWD;
    int count = n * m;
    ARG(k, 0, count);
    ARG(k, 1, Z);
    ARG(k, 2, A);
    return clt_enqueue(ctx, k, (size_t)count, 0);
}

int clt_op_act_backward(clt_context *ctx, clt_activation act, int count, cl_mem dA, cl_mem A,
                        cl_mem dZ)
{
    if (act == CLT_ACT_LINEAR || act == CLT_ACT_SOFTMAX) {
        /* identity: dZ = dA */
        ARG(K_COPY_FWD, 0, count);
        ARG(K_COPY_FWD, 1, dA);
        ARG(K_COPY_FWD, 2, dZ);
        return clt_enqueue(ctx, K_COPY_FWD, (size_t)count, 0);
    }
    enum clt_kernel_id k = act == CLT_ACT_TANH ? K_TANH_BWD
                         : act == CLT_ACT_RELU ? K_RELU_BWD : K_SIGMOID_BWD;
    ARG(k, 0, count);
    ARG(k, 1, dA);
    ARG(k, 2, A);
    ARG(k, 3, dZ);
    return clt_enqueue(ctx, k, (size_t)count, 0);
}

int clt_op_output_delta(clt_context *ctx, int count, cl_mem A, cl_mem Y, cl_mem dZ)
{
    ARG(K_OUTPUT_DELTA, 0, count);
    ARG(K_OUTPUT_DELTA, 1, A);
    ARG(K_OUTPUT_DELTA, 2, Y);
    ARG(K_OUTPUT_DELTA, 3, dZ);
    return clt_enqueue(ctx, K_OUTPUT_DELTA, (size_t)count, 0);
}

int clt_op_column_sum(clt_context *ctx, int n, int m, double scale, cl_mem dZ, cl_mem db)
{
    ARG(K_COLUMN_SUM, 0, n);
    ARG(K_COLUMN_SUM, 1, m);
    ARG_REAL(K_COLUMN_SUM, 2, scale);
    ARG(K_COLUMN_SUM, 3, dZ);
    ARG(K_COLUMN_SUM, 4, db);
    return clt_enqueue(ctx, K_COLUMN_SUM, (size_t)n, 0);
}

int clt_op_sgd(clt_context *ctx, int count, double lr, cl_mem P, cl_mem dP)
{
    ARG(K_SGD_UPDATE, 0, count);
    ARG_REAL(K_SGD_UPDATE, 1, lr);
    ARG(K_SGD_UPDATE, 2, P);
    ARG(K_SGD_UPDATE, 3, dP);
    return clt_enqueue(ctx, K_SGD_UPDATE, (size_t)count, 0);
}

int clt_op_gather(clt_context *ctx, int n, int m, int src_m, int offset, cl_mem src, cl_mem idx,
                  cl_mem dst)
{
    ARG(K_GATHER_COLUMNS, 0, n);
    ARG(K_GATHER_COLUMNS, 1, m);
    ARG(K_GATHER_COLUMNS, 2, src_m);
    ARG(K_GATHER_COLUMNS, 3, offset);
    ARG(K_GATHER_COLUMNS, 4, src);
    ARG(K_GATHER_COLUMNS, 5, idx);
    ARG(K_GATHER_COLUMNS, 6, dst);
    return clt_enqueue(ctx, K_GATHER_COLUMNS, (size_t)n * m, 0);
}
