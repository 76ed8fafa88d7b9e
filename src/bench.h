/*
 * bench.h - the measurements behind `cltrain bench`, private to the library
 * and the program.  Each function runs on an open context, checks the
 * result it times against the CPU, and returns a status; timings are medians
 * of several repetitions, each waited for once at its end.
 */
#ifndef CLT_BENCH_H
#define CLT_BENCH_H

#include "cltrain.h"

/* The device's multiply-add rate in GFLOP/s (one multiply-add = 2 flops). */
int clt_bench_peak(clt_context *ctx, double *gflops);

/* A device-to-device copy of `mib` MiB, in GB/s counting bytes read and
 * written. */
int clt_bench_copy(clt_context *ctx, int mib, double *gbs);

/* GFLOP/s of clt_op_matmul for op "nn", "nt" or "tn" with C (M, N) and inner
 * size K (2 M N K flops per product).  Checks 256 sampled elements against a
 * CPU product first; *max_err is the largest error found, relative to
 * sum_k |a b| of the element. */
int clt_bench_matmul(clt_context *ctx, const char *op, int M, int N, int K, double *gflops,
                     double *max_err);

/* Samples per second of full training steps (forward, backward, update) of
 * a sigmoid network with a softmax output at batch m, after one step was
 * checked against the CPU reference (the --verify checker); *max_err is its
 * largest error. */
int clt_bench_train(clt_context *ctx, const clt_shape *shape, int m, double *samples_per_s,
                    double *max_err);

#endif
