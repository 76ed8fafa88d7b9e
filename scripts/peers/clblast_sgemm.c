/*
 * clblast_sgemm.c - CLBlast's SGEMM on an OpenCL device, for scripts/bench:
 * for each "op m n k" line on stdin (op nn, nt or tn as in cltrain's JSON)
 * prints "op m n k GFLOP/s", the median of five timed batches of calls,
 * each batch waited for once.  Row-major, alpha 1, beta 0.  The device is
 * the first one whose name contains argv[1] (default: the first device).
 * Not part of cltrain; checks nothing but CLBlast's status codes.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    cl_platform_id plats[8];
    cl_uint np = 0;
    cl_device_id dev = NULL;
    if (clGetPlatformIDs(8, plats, &np) != CL_SUCCESS || np == 0) {
        fprintf(stderr, "clblast_sgemm: no OpenCL platform\n");
        return 1;
    }
    for (cl_uint p = 0; p < np && !dev; p++) {
        cl_device_id devs[16];
        cl_uint nd = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 16, devs, &nd) != CL_SUCCESS)
            continue;
        for (cl_uint d = 0; d < nd && !dev; d++) {
            char name[256] = "";
            clGetDeviceInfo(devs[d], CL_DEVICE_NAME, sizeof name - 1, name, NULL);
            if (argc < 2 || strstr(name, argv[1]))
                dev = devs[d];
        }
    }
    if (!dev) {
        fprintf(stderr, "clblast_sgemm: no matching device\n");
        return 1;
    }
    cl_int err;
    cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
    cl_command_queue q = err == CL_SUCCESS ? clCreateCommandQueue(ctx, dev, 0, &err) : NULL;
    if (err != CL_SUCCESS) {
        fprintf(stderr, "clblast_sgemm: cannot open the device (%d)\n", err);
        return 1;
    }

    char op[8];
    int m, n, k;
    while (scanf("%7s %d %d %d", op, &m, &n, &k) == 4) {
        size_t sa = (size_t)m * k, sb = (size_t)k * n, sc = (size_t)m * n;
        float *h = malloc((sa > sb ? sa : sb) * sizeof(float));
        for (size_t i = 0; i < (sa > sb ? sa : sb); i++)
            h[i] = (float)((i * 7 % 17) - 8) / 8.0f;
        cl_mem A = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sa * 4, h, &err);
        cl_mem B = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sb * 4, h, &err);
        cl_mem C = clCreateBuffer(ctx, CL_MEM_READ_WRITE, sc * 4, NULL, &err);
        free(h);
        CLBlastTranspose ta = op[0] == 't' ? CLBlastTransposeYes : CLBlastTransposeNo;
        CLBlastTranspose tb = op[1] == 't' ? CLBlastTransposeYes : CLBlastTransposeNo;
        size_t lda = op[0] == 't' ? m : k, ldb = op[1] == 't' ? k : n;
#define CALL CLBlastSgemm(CLBlastLayoutRowMajor, ta, tb, m, n, k, 1.0f, A, 0, lda, B, 0, ldb, \
                          0.0f, C, 0, n, &q, NULL)
        CLBlastStatusCode st = CALL;
        clFinish(q);
        if (st != CLBlastSuccess) {
            fprintf(stderr, "clblast_sgemm: %s %d %d %d: status %d\n", op, m, n, k, (int)st);
            printf("%s %d %d %d nan\n", op, m, n, k);
            continue;
        }
        long reps = 1;
        for (;;) {
            double t0 = now();
            for (long r = 0; r < reps; r++)
                CALL;
            clFinish(q);
            if (now() - t0 >= 0.02 || reps >= 4096)
                break;
            reps *= 2;
        }
        double per[5];
        for (int b = 0; b < 5; b++) {
            double t0 = now();
            for (long r = 0; r < reps; r++)
                CALL;
            clFinish(q);
            per[b] = (now() - t0) / reps;
        }
        qsort(per, 5, sizeof per[0], cmp);
        printf("%s %d %d %d %.6g\n", op, m, n, k, 2.0 * m * n * (double)k / per[2] * 1e-9);
        fflush(stdout);
        clReleaseMemObject(A);
        clReleaseMemObject(B);
        clReleaseMemObject(C);
    }
    clReleaseCommandQueue(q);
    clReleaseContext(ctx);
    return 0;
}
