/*
 * ocl.c - finding devices, opening one, building the kernels for a precision,
 * and the small wrappers every other file uses to set arguments, enqueue and
 * move buffers.  Every OpenCL status is checked and turned into one line
 * naming what was being done; a failed build prints its log to stderr.
 *
 * Environment read here:
 *   CLTRAIN_DEVICE           device spec when none is given (index or name part)
 *   CLTRAIN_KERNEL_OPTIONS   extra kernel build options, appended last
 *   CLTRAIN_DISABLE_FP64     if set to 1, behave as if the device lacked fp64
 *                            (to exercise that path on devices that have it)
 *   CLTRAIN_MATMUL_BLOCK     RMxNV[xTK]: the tiled matmul's register block and tile
 *                            depth (tuning)
 */
#include "ocl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_sources.h"

const char *clt_cl_error_name(int code)
{
    switch (code) {
#define N(x) case x: return #x;
    N(CL_SUCCESS) N(CL_DEVICE_NOT_FOUND) N(CL_DEVICE_NOT_AVAILABLE)
    N(CL_COMPILER_NOT_AVAILABLE) N(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    N(CL_OUT_OF_RESOURCES) N(CL_OUT_OF_HOST_MEMORY) N(CL_PROFILING_INFO_NOT_AVAILABLE)
    N(CL_MEM_COPY_OVERLAP) N(CL_IMAGE_FORMAT_MISMATCH) N(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    N(CL_BUILD_PROGRAM_FAILURE) N(CL_MAP_FAILURE) N(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    N(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST) N(CL_COMPILE_PROGRAM_FAILURE)
    N(CL_LINKER_NOT_AVAILABLE) N(CL_LINK_PROGRAM_FAILURE) N(CL_DEVICE_PARTITION_FAILED)
    N(CL_KERNEL_ARG_INFO_NOT_AVAILABLE) N(CL_INVALID_VALUE) N(CL_INVALID_DEVICE_TYPE)
    N(CL_INVALID_PLATFORM) N(CL_INVALID_DEVICE) N(CL_INVALID_CONTEXT)
    N(CL_INVALID_QUEUE_PROPERTIES) N(CL_INVALID_COMMAND_QUEUE) N(CL_INVALID_HOST_PTR)
    N(CL_INVALID_MEM_OBJECT) N(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR) N(CL_INVALID_IMAGE_SIZE)
    N(CL_INVALID_SAMPLER) N(CL_INVALID_BINARY) N(CL_INVALID_BUILD_OPTIONS)
    N(CL_INVALID_PROGRAM) N(CL_INVALID_PROGRAM_EXECUTABLE) N(CL_INVALID_KERNEL_NAME)
    N(CL_INVALID_KERNEL_DEFINITION) N(CL_INVALID_KERNEL) N(CL_INVALID_ARG_INDEX)
    N(CL_INVALID_ARG_VALUE) N(CL_INVALID_ARG_SIZE) N(CL_INVALID_KERNEL_ARGS)
    N(CL_INVALID_WORK_DIMENSION) N(CL_INVALID_WORK_GROUP_SIZE) N(CL_INVALID_WORK_ITEM_SIZE)
    N(CL_INVALID_GLOBAL_OFFSET) N(CL_INVALID_EVENT_WAIT_LIST) N(CL_INVALID_EVENT)
    N(CL_INVALID_OPERATION) N(CL_INVALID_GL_OBJECT) N(CL_INVALID_BUFFER_SIZE)
    N(CL_INVALID_MIP_LEVEL) N(CL_INVALID_GLOBAL_WORK_SIZE) N(CL_INVALID_PROPERTY)
    N(CL_INVALID_IMAGE_DESCRIPTOR) N(CL_INVALID_COMPILER_OPTIONS) N(CL_INVALID_LINKER_OPTIONS)
    N(CL_INVALID_DEVICE_PARTITION_COUNT)
#undef N
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return "unknown status";
    }
}

/* ------------------------------------------------------------------------ */
/* Enumeration                                                              */
/* ------------------------------------------------------------------------ */

/* Calls fn(platform, device, info) for each device of each platform, in the
 * order `cltrain devices` lists them.  Stops early when fn returns non-zero. */
typedef int (*device_fn)(cl_device_id dev, const clt_device_info *info, void *user);

static int fp64_disabled(void)
{
    const char *s = getenv("CLTRAIN_DISABLE_FP64");
    return s && strcmp(s, "1") == 0;
}

static int describe(cl_platform_id plat, cl_device_id dev, int index, clt_device_info *info)
{
    cl_device_type type;
    cl_uint units;
    cl_ulong mem, alloc;
    cl_device_fp_config fp64 = 0;

    memset(info, 0, sizeof *info);
    info->index = index;
    CL_CHECK(clGetPlatformInfo(plat, CL_PLATFORM_NAME, sizeof info->platform - 1,
                               info->platform, NULL), "reading the platform name");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof info->name - 1, info->name, NULL),
             "reading the device name");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof type, &type, NULL),
             "reading the device type");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL),
             "reading the compute units");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL),
             "reading the global memory size");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof alloc, &alloc, NULL),
             "reading the maximum allocation size");
    CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL),
             "reading the double precision support");

    strcpy(info->type, (type & CL_DEVICE_TYPE_GPU) ? "GPU"
                       : (type & CL_DEVICE_TYPE_CPU) ? "CPU"
                       : (type & CL_DEVICE_TYPE_ACCELERATOR) ? "ACCELERATOR" : "OTHER");
    info->compute_units = units;
    info->global_mem = mem;
    info->max_alloc = alloc;
    info->fp64 = fp64 != 0 && !fp64_disabled();
    return CLT_OK;
}

static int for_each_device(device_fn fn, void *user)
{
    cl_uint n_plat = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &n_plat);
    if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (err == CL_SUCCESS && n_plat == 0))
        return clt_fail(CLT_ERR_NO_PLATFORM,
                        "no OpenCL platform found (install pocl-opencl-icd for the CPU, "
                        "or your GPU's OpenCL driver)");
    CL_CHECK(err, "listing OpenCL platforms");

    cl_platform_id plats[16];
    if (n_plat > 16)
        n_plat = 16;
    CL_CHECK(clGetPlatformIDs(n_plat, plats, NULL), "listing OpenCL platforms");

    int index = 0;
    for (cl_uint p = 0; p < n_plat; p++) {
        cl_uint n_dev = 0;
        err = clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n_dev);
        if (err == CL_DEVICE_NOT_FOUND)
            continue;
        CL_CHECK(err, "listing a platform's devices");

        cl_device_id devs[64];
        if (n_dev > 64)
            n_dev = 64;
        CL_CHECK(clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, n_dev, devs, NULL),
                 "listing a platform's devices");
        for (cl_uint d = 0; d < n_dev; d++) {
            clt_device_info info;
            int st = describe(plats[p], devs[d], index++, &info);
            if (st != CLT_OK)
                return st;
            st = fn(devs[d], &info, user);
            if (st != 0)
                return st > 0 ? CLT_OK : st;
        }
    }
    if (index == 0)
        return clt_fail(CLT_ERR_NO_DEVICE, "the OpenCL platforms have no devices");
    return CLT_OK;
}

struct list_state {
    clt_device_info *list;
    int count;
};

static int collect(cl_device_id dev, const clt_device_info *info, void *user)
{
    (void)dev;
    struct list_state *s = user;
    clt_device_info *grown = realloc(s->list, (size_t)(s->count + 1) * sizeof *grown);
    if (!grown)
        return clt_fail(CLT_ERR_NOMEM, "out of memory listing devices");
    s->list = grown;
    s->list[s->count++] = *info;
    return 0;
}

int clt_devices(clt_device_info **list, int *count)
{
    struct list_state s = {NULL, 0};
    int st = for_each_device(collect, &s);
    if (st != CLT_OK) {
        free(s.list);
        return st;
    }
    *list = s.list;
    *count = s.count;
    return CLT_OK;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

int clt_device_pick(const char *spec, int *index)
{
    clt_device_info *list;
    int count;
    if (!spec || !*spec)
        spec = getenv("CLTRAIN_DEVICE");
    int st = clt_devices(&list, &count);
    if (st != CLT_OK)
        return st;

    int found = -1;
    if (!spec || !*spec) {
        found = 0;
        for (int i = 0; i < count; i++) {
            if (strcmp(list[i].type, "GPU") == 0) {
                found = i;
                break;
            }
        }
    } else {
        char *end;
        long v = strtol(spec, &end, 10);
        if (*end == '\0') {
            if (v >= 0 && v < count)
                found = (int)v;
        } else {
            for (int i = 0; i < count && found < 0; i++)
                if (contains_nocase(list[i].name, spec))
                    found = i;
        }
    }
    free(list);
    if (found < 0)
        return clt_fail(CLT_ERR_NO_DEVICE,
                        "device '%s': no such device (see `cltrain devices`; %d listed)",
                        spec, count);
    *index = found;
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Context and program                                                      */
/* ------------------------------------------------------------------------ */

struct find_state {
    int want;
    cl_device_id dev;
    clt_device_info info;
};

static int find(cl_device_id dev, const clt_device_info *info, void *user)
{
    struct find_state *s = user;
    if (info->index != s->want)
        return 0;
    s->dev = dev;
    s->info = *info;
    return 1;
}

static const char *kernel_names[K_COUNT] = {
    [K_MATMUL_NN] = "matmul_nn", [K_MATMUL_NT] = "matmul_nt", [K_MATMUL_TN] = "matmul_tn",
    [K_BIAS_ADD] = "bias_add",
    [K_SIGMOID_FWD] = "sigmoid_forward", [K_SIGMOID_BWD] = "sigmoid_backward",
    [K_TANH_FWD] = "tanh_forward", [K_TANH_BWD] = "tanh_backward",
    [K_RELU_FWD] = "relu_forward", [K_RELU_BWD] = "relu_backward",
    [K_COPY_FWD] = "copy_forward", [K_SOFTMAX_FWD] = "softmax_forward",
    [K_OUTPUT_DELTA] = "output_delta", [K_SGD_UPDATE] = "sgd_update",
    [K_GATHER_COLUMNS] = "gather_columns", [K_COLUMN_SUM] = "column_sum",
    [K_MATMUL_TILED_NN] = "matmul_tiled_nn", [K_MATMUL_TILED_NT] = "matmul_tiled_nt",
    [K_MATMUL_TILED_TN] = "matmul_tiled_tn", [K_TINY_NET_TRAIN] = "tiny_net_train",
    [K_MATMUL_BLOCK_NN] = "matmul_block_nn", [K_MATMUL_BLOCK_NT] = "matmul_block_nt",
    [K_MATMUL_BLOCK_TN] = "matmul_block_tn",
    [K_BENCH_FMA] = "bench_fma", [K_BENCH_COPY] = "bench_copy",
};

/* Prints the device, the options and the build log of a failed build. */
static void print_build_log(clt_context *ctx)
{
    size_t size = 0;
    fprintf(stderr, "cltrain: kernel build failed on device '%s' with options '%s'\n",
            ctx->info.name, ctx->options);
    if (clGetProgramBuildInfo(ctx->program, ctx->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size)
        != CL_SUCCESS || size == 0) {
        fprintf(stderr, "cltrain: (the device gave no build log)\n");
        return;
    }
    char *log = malloc(size + 1);
    if (!log)
        return;
    if (clGetProgramBuildInfo(ctx->program, ctx->device, CL_PROGRAM_BUILD_LOG, size, log, NULL)
        == CL_SUCCESS) {
        log[size] = '\0';
        fprintf(stderr, "--- build log ---\n%s\n--- end of build log ---\n", log);
    }
    free(log);
}

/* The device's limits on work-groups and local memory, which the tiled
 * kernels are sized by. */
static int read_limits(clt_context *ctx)
{
    cl_uint dims = 0;
    size_t items[16] = {0};
    CL_CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof ctx->max_group,
                             &ctx->max_group, NULL), "reading the maximum work-group size");
    CL_CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, sizeof dims, &dims,
                             NULL), "reading the work-item dimensions");
    if (dims > 16)
        dims = 16;
    CL_CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_WORK_ITEM_SIZES, dims * sizeof(size_t),
                             items, NULL), "reading the maximum work-item sizes");
    CL_CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof ctx->local_mem,
                             &ctx->local_mem, NULL), "reading the local memory size");
    cl_device_local_mem_type type;
    CL_CHECK(clGetDeviceInfo(ctx->device, CL_DEVICE_LOCAL_MEM_TYPE, sizeof type, &type, NULL),
             "reading the local memory type");
    ctx->local_is_global = type == CL_GLOBAL;
    for (int d = 0; d < 3; d++)
        ctx->max_items[d] = d < (int)dims ? items[d] : 1;
    return CLT_OK;
}

/* The fast matmuls' register block: 8 accumulators of 8 floats (or 4 of 8
 * doubles) and their operands fit a CPU's 16 vector registers (measured
 * with PoCL on AVX2: larger blocks spill); GPUs get 4 x 8 per work-item.
 * CLTRAIN_MATMUL_BLOCK=RMxNV[xTK] overrides. */
static void choose_block(clt_context *ctx)
{
    int cpu = strcmp(ctx->info.type, "CPU") == 0;
    ctx->mt_tk = 32;
    ctx->mt_rm = cpu ? (ctx->precision == CLT_DOUBLE ? 4 : 8) : 4;
    ctx->mt_nv = 1;
    ctx->nt_rm = ctx->precision == CLT_DOUBLE ? 2 : 3;
    ctx->nt_cn = 4;
    const char *env = getenv("CLTRAIN_MATMUL_BLOCK");
    int rm, nv, tk = ctx->mt_tk;
    if (env && sscanf(env, "%dx%dx%d", &rm, &nv, &tk) >= 2 && rm >= 1 && rm <= 16 && nv >= 1 &&
        nv <= 4 && tk >= 1 && tk <= 512) {
        ctx->mt_rm = rm;
        ctx->mt_nv = nv;
        ctx->mt_tk = tk;
    }
}

static int build_program(clt_context *ctx, const char *extra)
{
    const char *texts[32];
    size_t lens[32];
    int n = 0;
    cl_int err;

    /* common.cl first: it defines `real` for the others. */
    for (int i = 0; i < clt_kernel_source_count; i++)
        if (strcmp(clt_kernel_sources[i].name, "common.cl") == 0) {
            texts[n] = clt_kernel_sources[i].text;
            lens[n++] = clt_kernel_sources[i].len;
        }
    for (int i = 0; i < clt_kernel_source_count && n < 32; i++)
        if (strcmp(clt_kernel_sources[i].name, "common.cl") != 0) {
            texts[n] = clt_kernel_sources[i].text;
            lens[n++] = clt_kernel_sources[i].len;
        }

    ctx->program = clCreateProgramWithSource(ctx->context, (cl_uint)n, texts, lens, &err);
    CL_CHECK(err, "creating the kernel program");

    /* No -cl-fast-relaxed-math, on purpose: the kernels must keep IEEE
     * semantics for inf and NaN and match the reference. */
    const char *env = getenv("CLTRAIN_KERNEL_OPTIONS");
    snprintf(ctx->options, sizeof ctx->options,
             "-cl-std=CL1.2 -DREAL=%s%s -DMT_RM=%d -DMT_NV=%d -DMT_TK=%d -DNT_RM=%d -DNT_CN=%d"
             "%s%s%s%s",
             ctx->precision == CLT_DOUBLE ? "double" : "float",
             ctx->precision == CLT_DOUBLE ? " -DUSE_FP64" : "", ctx->mt_rm, ctx->mt_nv,
             ctx->mt_tk, ctx->nt_rm, ctx->nt_cn, extra ? " " : "", extra ? extra : "",
             env ? " " : "", env ? env : "");

    err = clBuildProgram(ctx->program, 1, &ctx->device, ctx->options, NULL, NULL);
    if (err == CL_BUILD_PROGRAM_FAILURE || err == CL_INVALID_BUILD_OPTIONS) {
        print_build_log(ctx);
        return clt_fail(CLT_ERR_BUILD, "building the kernels for '%s' failed (%s; options '%s')",
                        ctx->info.name, clt_cl_error_name(err), ctx->options);
    }
    CL_CHECK(err, "building the kernel program");

    for (int k = 0; k < K_COUNT; k++) {
        ctx->kernels[k] = clCreateKernel(ctx->program, kernel_names[k], &err);
        if (err != CL_SUCCESS)
            return clt_fail(err, "creating kernel %s: %s", kernel_names[k],
                            clt_cl_error_name(err));
    }
    return CLT_OK;
}

int clt_context_create(int device_index, clt_precision p, const char *extra_options,
                       clt_context **out)
{
    struct find_state fs = {device_index, NULL, {0}};
    int st = for_each_device(find, &fs);
    if (st != CLT_OK)
        return st;
    if (!fs.dev)
        return clt_fail(CLT_ERR_NO_DEVICE, "device %d: no such device", device_index);
    if (p == CLT_DOUBLE && !fs.info.fp64)
        return clt_fail(CLT_ERR_NO_FP64,
                        "--precision double: device '%s' does not support double precision "
                        "(cl_khr_fp64); use --precision float or another device",
                        fs.info.name);

    clt_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return clt_fail(CLT_ERR_NOMEM, "out of memory opening the device");
    ctx->info = fs.info;
    ctx->precision = p;
    ctx->device = fs.dev;

    cl_int err;
    ctx->context = clCreateContext(NULL, 1, &ctx->device, NULL, NULL, &err);
    if (err == CL_SUCCESS)
        ctx->queue = clCreateCommandQueue(ctx->context, ctx->device, 0, &err);
    if (err != CL_SUCCESS) {
        st = clt_fail(err, "opening device '%s': %s", fs.info.name, clt_cl_error_name(err));
        clt_context_free(ctx);
        return st;
    }

    st = read_limits(ctx);
    choose_block(ctx);
    if (st == CLT_OK)
        st = build_program(ctx, extra_options);
    if (st != CLT_OK) {
        clt_context_free(ctx);
        return st;
    }
    *out = ctx;
    return CLT_OK;
}

void clt_context_free(clt_context *ctx)
{
    if (!ctx)
        return;
    for (int k = 0; k < K_COUNT; k++)
        if (ctx->kernels[k])
            clReleaseKernel(ctx->kernels[k]);
    if (ctx->program)
        clReleaseProgram(ctx->program);
    if (ctx->queue)
        clReleaseCommandQueue(ctx->queue);
    if (ctx->context)
        clReleaseContext(ctx->context);
    free(ctx);
}

const clt_device_info *clt_context_device(const clt_context *ctx)
{
    return &ctx->info;
}

clt_precision clt_context_precision(const clt_context *ctx)
{
    return ctx->precision;
}

/* ------------------------------------------------------------------------ */
/* Launches and buffers                                                     */
/* ------------------------------------------------------------------------ */

int clt_arg(clt_context *ctx, enum clt_kernel_id k, int i, size_t size, const void *value)
{
    cl_int err = clSetKernelArg(ctx->kernels[k], (cl_uint)i, size, value);
    if (err != CL_SUCCESS)
        return clt_fail(err, "setting argument %d of kernel %s: %s", i, kernel_names[k],
                        clt_cl_error_name(err));
    return CLT_OK;
}

int clt_arg_real(clt_context *ctx, enum clt_kernel_id k, int i, double value)
{
    if (ctx->precision == CLT_DOUBLE)
        return clt_arg(ctx, k, i, sizeof(double), &value);
    float f = (float)value;
    return clt_arg(ctx, k, i, sizeof(float), &f);
}

/* The largest power of two that is at most n (n >= 1). */
static size_t floor_pow2(size_t n)
{
    size_t p = 1;
    while (p * 2 <= n)
        p *= 2;
    return p;
}

static size_t round_up(size_t n, size_t multiple)
{
    return (n + multiple - 1) / multiple * multiple;
}

int clt_enqueue(clt_context *ctx, enum clt_kernel_id k, size_t g0, size_t g1)
{
    cl_uint dims = g1 ? 2 : 1;
    if (g0 == 0)
        return CLT_OK; /* an empty problem: nothing to launch */

    if (ctx->group_limit[k] == 0) {
        size_t group;
        cl_ulong local_mem;
        int st = clt_kernel_limits(ctx, k, &group, &local_mem);
        if (st != CLT_OK)
            return st;
        group = group < ctx->max_group ? group : ctx->max_group;
        ctx->group_limit[k] = group ? group : 1;
    }

    /* 1-D: up to 64 work-items a group; 2-D: up to 16 along x, the rest along y. */
    size_t limit = ctx->group_limit[k], local[2], global[2];
    local[0] = floor_pow2(limit < 64 ? limit : 64);
    if (local[0] > ctx->max_items[0])
        local[0] = floor_pow2(ctx->max_items[0]);
    local[1] = 1;
    if (dims == 2) {
        local[0] = local[0] > 16 ? 16 : local[0];
        size_t rest = floor_pow2(limit / local[0]);
        local[1] = rest > 4 ? 4 : rest;
        if (local[1] > ctx->max_items[1])
            local[1] = floor_pow2(ctx->max_items[1]);
    }
    global[0] = round_up(g0, local[0]);
    global[1] = round_up(g1 ? g1 : 1, local[1]);

    cl_int err = clEnqueueNDRangeKernel(ctx->queue, ctx->kernels[k], dims, NULL, global, local,
                                        0, NULL, NULL);
    if (err != CL_SUCCESS)
        return clt_fail(err, "launching kernel %s (%zu x %zu in groups of %zu x %zu): %s",
                        kernel_names[k], g0, g1 ? g1 : 1, local[0], local[1],
                        clt_cl_error_name(err));
    return CLT_OK;
}

int clt_enqueue_local(clt_context *ctx, enum clt_kernel_id k, size_t g0, size_t g1, size_t l0,
                      size_t l1)
{
    size_t global[2] = {g0, g1}, local[2] = {l0, l1};
    if (g0 == 0 || g1 == 0)
        return CLT_OK; /* an empty problem: nothing to launch */
    cl_int err = clEnqueueNDRangeKernel(ctx->queue, ctx->kernels[k], 2, NULL, global, local, 0,
                                        NULL, NULL);
    if (err != CL_SUCCESS)
        return clt_fail(err, "launching kernel %s (%zu x %zu in groups of %zu x %zu): %s",
                        kernel_names[k], g0, g1, l0, l1, clt_cl_error_name(err));
    return CLT_OK;
}

int clt_kernel_limits(clt_context *ctx, enum clt_kernel_id k, size_t *group, cl_ulong *local)
{
    CL_CHECK(clGetKernelWorkGroupInfo(ctx->kernels[k], ctx->device, CL_KERNEL_WORK_GROUP_SIZE,
                                      sizeof *group, group, NULL),
             "reading a kernel's work-group size");
    CL_CHECK(clGetKernelWorkGroupInfo(ctx->kernels[k], ctx->device, CL_KERNEL_LOCAL_MEM_SIZE,
                                      sizeof *local, local, NULL),
             "reading a kernel's local memory use");
    return CLT_OK;
}

int clt_buffer_create(clt_context *ctx, size_t count, cl_mem *out)
{
    cl_int err;
    size_t bytes = (count ? count : 1) * clt_precision_size(ctx->precision);
    *out = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (err != CL_SUCCESS)
        return clt_fail(err, "allocating a %zu-byte device buffer: %s", bytes,
                        clt_cl_error_name(err));
    return CLT_OK;
}

/* Converts count doubles to the device precision in a scratch array (or
 * uses src as is for double) and writes them with a blocking write. */
int clt_buffer_write(clt_context *ctx, cl_mem buf, const double *src, size_t count)
{
    if (count == 0)
        return CLT_OK;
    if (ctx->precision == CLT_DOUBLE) {
        CL_CHECK(clEnqueueWriteBuffer(ctx->queue, buf, CL_TRUE, 0, count * sizeof(double), src,
                                      0, NULL, NULL), "copying to the device");
        return CLT_OK;
    }
    float *tmp = malloc(count * sizeof *tmp);
    if (!tmp)
        return clt_fail(CLT_ERR_NOMEM, "out of memory copying to the device");
    for (size_t i = 0; i < count; i++)
        tmp[i] = (float)src[i];
    cl_int err = clEnqueueWriteBuffer(ctx->queue, buf, CL_TRUE, 0, count * sizeof(float), tmp,
                                      0, NULL, NULL);
    free(tmp);
    CL_CHECK(err, "copying to the device");
    return CLT_OK;
}

int clt_buffer_read(clt_context *ctx, cl_mem buf, double *dst, size_t count)
{
    if (count == 0)
        return CLT_OK;
    if (ctx->precision == CLT_DOUBLE) {
        CL_CHECK(clEnqueueReadBuffer(ctx->queue, buf, CL_TRUE, 0, count * sizeof(double), dst,
                                     0, NULL, NULL), "copying from the device");
        return CLT_OK;
    }
    float *tmp = malloc(count * sizeof *tmp);
    if (!tmp)
        return clt_fail(CLT_ERR_NOMEM, "out of memory copying from the device");
    cl_int err = clEnqueueReadBuffer(ctx->queue, buf, CL_TRUE, 0, count * sizeof(float), tmp,
                                     0, NULL, NULL);
    if (err == CL_SUCCESS)
        for (size_t i = 0; i < count; i++)
            dst[i] = tmp[i];
    free(tmp);
    CL_CHECK(err, "copying from the device");
    return CLT_OK;
}

void clt_buffer_release(cl_mem *buf)
{
    if (*buf)
        clReleaseMemObject(*buf);
    *buf = NULL;
}

int clt_finish(clt_context *ctx)
{
    CL_CHECK(clFinish(ctx->queue), "waiting for the device");
    return CLT_OK;
}
