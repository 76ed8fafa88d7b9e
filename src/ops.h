/*
 * ops.h - one host call per kernel: sets the arguments and enqueues.  Shapes
 * are stated as in the kernels (see the files under kernels/); nothing here waits.
 * Private to the library and its tests.
 */
#ifndef CLT_OPS_H
#define CLT_OPS_H

#include "ocl.h"

/* The three products: op is "nn", "nt" or "tn" (see kernels/matmul.cl).
 * C (M, N) = alpha * op(A) op(B) with inner size K. */
int clt_op_matmul(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                  cl_mem A, cl_mem B, cl_mem C);

/* The paths clt_op_matmul chooses between, for tests and the benchmark: the
 * plain kernels of matmul.cl (any sizes), and the tiled kernels of
 * matmul_tiled.cl and blocked ones of matmul_block.cl, which fail with
 * CLT_ERR_ARG when their preconditions do not hold (a size below 1, or
 * work-groups that do not fit the device). */
int clt_op_matmul_plain(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C);
int clt_op_matmul_tiled(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C);
int clt_op_matmul_block(clt_context *ctx, const char *op, int M, int N, int K, double alpha,
                        cl_mem A, cl_mem B, cl_mem C);

/* Z (n, m) += b (n, 1) */
int clt_op_bias_add(clt_context *ctx, int n, int m, cl_mem Z, cl_mem b);

/* A (n, m) = act(Z); softmax works down columns, the others per element. */
int clt_op_act_forward(clt_context *ctx, clt_activation act, int n, int m, cl_mem Z, cl_mem A);

/* dZ = dA * act'(.) written in terms of A, over count elements.  Softmax has
 * no separate backward: it is only an output, whose dZ is A - Y. */
int clt_op_act_backward(clt_context *ctx, clt_activation act, int count, cl_mem dA, cl_mem A,
                        cl_mem dZ);

/* dZ = A - Y over count elements. */
int clt_op_output_delta(clt_context *ctx, int count, cl_mem A, cl_mem Y, cl_mem dZ);

/* db (n) = scale * row sums of dZ (n, m), summed in increasing column order. */
int clt_op_column_sum(clt_context *ctx, int n, int m, double scale, cl_mem dZ, cl_mem db);

/* P -= lr * dP over count elements. */
int clt_op_sgd(clt_context *ctx, int count, double lr, cl_mem P, cl_mem dP);

/* dst (n, m) column j = src (n, src_m) column idx[offset + j]. */
int clt_op_gather(clt_context *ctx, int n, int m, int src_m, int offset, cl_mem src, cl_mem idx,
                  cl_mem dst);

/* Whole training runs of a tiny sigmoid net in one launch of one work-item:
 * iterations 0..last with predictions every `every`; the arguments and the
 * buffers' layout as kernels/tiny_net.cl describes them. */
int clt_op_tiny_net(clt_context *ctx, int L, cl_mem n, int m, int last, int every, double lr,
                    cl_mem X, cl_mem Y, cl_mem P, cl_mem work, cl_mem pred);

#endif
