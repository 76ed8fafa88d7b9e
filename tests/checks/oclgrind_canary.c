/*
 * oclgrind_canary.c - a program with a deliberate fault in its kernel: one
 * work-item writes one element past the end of its buffer.  The
 * oclgrind_canary test runs it through checks/oclgrind.sh and expects that
 * to fail, which shows that a report from Oclgrind does fail a test.
 *
 * Exits 0 when every OpenCL call succeeded (the fault itself goes unseen on
 * an ordinary device), 77 when there is no OpenCL device.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>

static const char *source =
    "__kernel void past_the_end(__global float *p, const int n)\n"
    "{\n"
    "    const int g = get_global_id(0);\n"
    "    if (g <= n)                 /* should be g < n */\n"
    "        p[g] = (float)g;\n"
    "}\n";

int main(void)
{
    cl_platform_id plat;
    cl_device_id dev;
    cl_int err;
    if (clGetPlatformIDs(1, &plat, NULL) != CL_SUCCESS ||
        clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, 1, &dev, NULL) != CL_SUCCESS) {
        printf("skipped: no OpenCL device\n");
        return 77;
    }
    cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
    if (err != CL_SUCCESS)
        return 1;
    cl_command_queue q = clCreateCommandQueue(ctx, dev, 0, &err);
    cl_program prog = clCreateProgramWithSource(ctx, 1, &source, NULL, &err);
    if (err != CL_SUCCESS || clBuildProgram(prog, 1, &dev, "", NULL, NULL) != CL_SUCCESS)
        return 1;
    cl_kernel k = clCreateKernel(prog, "past_the_end", &err);

    /* 16 floats and a work-item for each of 17 positions */
    int n = 16;
    float host[16] = {0};
    cl_mem buf = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof host,
                                host, &err);
    size_t global = 17;
    int ok = err == CL_SUCCESS &&
             clSetKernelArg(k, 0, sizeof buf, &buf) == CL_SUCCESS &&
             clSetKernelArg(k, 1, sizeof n, &n) == CL_SUCCESS &&
             clEnqueueNDRangeKernel(q, k, 1, NULL, &global, NULL, 0, NULL, NULL) == CL_SUCCESS &&
             clEnqueueReadBuffer(q, buf, CL_TRUE, 0, sizeof host, host, 0, NULL, NULL)
                 == CL_SUCCESS;

    clReleaseMemObject(buf);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    clReleaseCommandQueue(q);
    clReleaseContext(ctx);
    printf("canary ran: p[15] = %g\n", host[15]);
    return ok ? 0 : 1;
}
