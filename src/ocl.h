/*
 * ocl.h - the OpenCL side of libcltrain, private to the library: the context
 * structure, the kernel table and the one idiom every OpenCL call goes through.
 */
#ifndef CLT_OCL_H
#define CLT_OCL_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include "cltrain.h"

/* "CL_INVALID_VALUE" and so on; "unknown status" for codes OpenCL lacks. */
const char *clt_cl_error_name(int code);

/* Checks one OpenCL status: on failure records "<what>: <CL name>" and
 * returns the status from the enclosing function.  `what` says what was being
 * done, in the words a user would recognise. */
#define CL_CHECK(call, what)                                                   \
    do {                                                                       \
        cl_int cl_status_ = (call);                                            \
        if (cl_status_ != CL_SUCCESS)                                          \
            return clt_fail(cl_status_, "%s: %s", (what),                      \
                            clt_cl_error_name(cl_status_));                    \
    } while (0)

/* Every kernel the library builds, by name. */
enum clt_kernel_id {
    K_MATMUL_NN, K_MATMUL_NT, K_MATMUL_TN,
    K_BIAS_ADD,
    K_SIGMOID_FWD, K_SIGMOID_BWD, K_TANH_FWD, K_TANH_BWD, K_RELU_FWD, K_RELU_BWD,
    K_COPY_FWD, K_SOFTMAX_FWD,
    K_OUTPUT_DELTA, K_SGD_UPDATE, K_GATHER_COLUMNS, K_COLUMN_SUM,
    K_MATMUL_TILED_NN, K_MATMUL_TILED_NT, K_MATMUL_TILED_TN,   /* matmul_tiled.cl */
    K_MATMUL_BLOCK_NN, K_MATMUL_BLOCK_NT, K_MATMUL_BLOCK_TN,   /* matmul_block.cl */
    K_TINY_NET_TRAIN,                                          /* tiny_net.cl */
    K_BENCH_FMA, K_BENCH_COPY,                                 /* bench.cl */
    K_COUNT
};

struct clt_context {
    clt_device_info info;
    clt_precision precision;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    cl_program program;
    cl_kernel kernels[K_COUNT];
    size_t group_limit[K_COUNT]; /* min(kernel's and device's work-group size); 0 = not read */
    char options[512];         /* the build options used */

    /* Device limits, read when the context is opened. */
    size_t max_group;          /* CL_DEVICE_MAX_WORK_GROUP_SIZE */
    size_t max_items[3];       /* CL_DEVICE_MAX_WORK_ITEM_SIZES, first three dimensions */
    cl_ulong local_mem;        /* CL_DEVICE_LOCAL_MEM_SIZE, bytes */
    int local_is_global;       /* CL_DEVICE_LOCAL_MEM_TYPE is CL_GLOBAL (CPUs) */

    /* The tiled matmul's register block (the MT_* build options of
     * matmul_tiled.cl and matmul_block.cl) and the local size ops.c chose
     * for it on first use: tile_ready 0 = not chosen yet, 1 = usable,
     * -1 = preconditions fail. */
    int mt_rm, mt_nv, mt_tk;
    int tile_ready;
    size_t tile_local[2];
    /* The same for matmul_block.cl (NT_* build options for its nt kernel). */
    int nt_rm, nt_cn;
    int block_ready;
    size_t block_local[2];
};

/* Enqueues kernel k over a 1-D or 2-D range of at least g0 (x g1) work-items
 * (g1 = 0 for 1-D) with the given arguments already set.  The local size is
 * chosen here, a power of two within the kernel's and the device's limits
 * (so a device that allows only 1 or 3 work-items per group still works), and
 * the global size is rounded up to a multiple of it: every kernel launched
 * this way checks its global index against the problem size. */
int clt_enqueue(clt_context *ctx, enum clt_kernel_id k, size_t g0, size_t g1);

/* The same over a 2-D range with an explicit local size (l0, l1): the global
 * size must already be a multiple of it in each dimension. */
int clt_enqueue_local(clt_context *ctx, enum clt_kernel_id k, size_t g0, size_t g1, size_t l0,
                      size_t l1);

/* CL_KERNEL_WORK_GROUP_SIZE and CL_KERNEL_LOCAL_MEM_SIZE of kernel k. */
int clt_kernel_limits(clt_context *ctx, enum clt_kernel_id k, size_t *group, cl_ulong *local);

/* Sets argument i of kernel k; `what` names the kernel in messages. */
int clt_arg(clt_context *ctx, enum clt_kernel_id k, int i, size_t size, const void *value);

/* Sets a real-valued scalar argument in the context's precision. */
int clt_arg_real(clt_context *ctx, enum clt_kernel_id k, int i, double value);

/* Device buffers of `count` reals in the context's precision. */
int clt_buffer_create(clt_context *ctx, size_t count, cl_mem *out);
int clt_buffer_write(clt_context *ctx, cl_mem buf, const double *src, size_t count);
int clt_buffer_read(clt_context *ctx, cl_mem buf, double *dst, size_t count);
void clt_buffer_release(cl_mem *buf);

/* Waits for everything enqueued so far. */
int clt_finish(clt_context *ctx);

#endif
