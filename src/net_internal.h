/* net_internal.h - the device network's layout, shared by net.c and the
 * training loop (which gathers mini-batches straight into A[0] and Y). */
#ifndef CLT_NET_INTERNAL_H
#define CLT_NET_INTERNAL_H

#include "ocl.h"

struct clt_net {
    clt_context *ctx;
    clt_shape shape;
    int64_t max_m;
    int64_t m;                                  /* current batch */
    cl_mem W[CLT_MAX_LAYERS + 1], b[CLT_MAX_LAYERS + 1];     /* l = 1..L */
    cl_mem dW[CLT_MAX_LAYERS + 1], db[CLT_MAX_LAYERS + 1];
    cl_mem Z[CLT_MAX_LAYERS + 1], dZ[CLT_MAX_LAYERS + 1];
    cl_mem A[CLT_MAX_LAYERS + 1];                             /* l = 0..L */
    cl_mem dA[CLT_MAX_LAYERS + 1];                            /* l = 1..L-1 */
    cl_mem Y;
};

#endif
