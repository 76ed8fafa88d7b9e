/*
 * test_colsum.c - the column sum that gives db, at m = 1, 3, 255, 256, 257,
 * 1000 and 60000, against exact integer sums.
 *
 * Row i of dZ holds the integers (j mod 7) - 3 + i for j = 0..m-1, so the row
 * sum is known in closed form and every partial sum is an integer well below
 * 2^24: the kernel must reproduce it exactly in float and in double.  With
 * scale = 1 the result is the sum itself; a second run with scale 1/m checks
 * that the scale is applied once, after the sum (1/m * s as numpy does).
 */
#include <math.h>

#include "ocl.h"
#include "ops.h"
#include "testutil.h"

static double row_sum(int i, int m)
{
    /* (j mod 7) - 3 sums to 0 over each full cycle of 7 */
    double s = 0;
    for (int j = (m / 7) * 7; j < m; j++)
        s += (j % 7) - 3;
    return s + (double)i * m;
}

static void check(clt_context *ctx, int n, int m)
{
    size_t count = (size_t)n * m;
    double *dZ = malloc(count * sizeof(double)), db[5];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            dZ[(size_t)i * m + j] = (j % 7) - 3 + i;

    cl_mem bz, bb;
    CHECK_OK(clt_buffer_create(ctx, count, &bz));
    CHECK_OK(clt_buffer_create(ctx, (size_t)n, &bb));
    CHECK_OK(clt_buffer_write(ctx, bz, dZ, count));

    for (int pass = 0; pass < 2; pass++) {
        double scale = pass ? 1.0 / m : 1.0;
        CHECK_OK(clt_op_column_sum(ctx, n, m, scale, bz, bb));
        CHECK_OK(clt_buffer_read(ctx, bb, db, (size_t)n));
        for (int i = 0; i < n; i++) {
            double want = row_sum(i, m);
            if (pass) {
                /* the device multiplies in its own precision */
                want = clt_context_precision(ctx) == CLT_FLOAT
                           ? (double)((float)(1.0 / m) * (float)want)
                           : (1.0 / m) * want;
            }
            if (db[i] != want) {
                fprintf(stderr, "%s m=%d row %d scale %g: got %.17g, want %.17g\n",
                        clt_precision_name(clt_context_precision(ctx)), m, i, scale, db[i], want);
                test_failures++;
            }
        }
    }
    clt_buffer_release(&bz);
    clt_buffer_release(&bb);
    free(dZ);
}

int main(void)
{
    int device = test_device();
    if (device < 0)
        return test_skip("no OpenCL device");
    static const int ms[] = {1, 3, 255, 256, 257, 1000, 60000};
    for (int p = 0; p < 2; p++) {
        clt_context *ctx;
        int st = clt_context_create(device, (clt_precision)p, NULL, &ctx);
        if (st == CLT_ERR_NO_FP64)
            continue;
        CHECK_OK(st);
        if (st != CLT_OK)
            break;
        for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++)
            check(ctx, 5, ms[k]);
        clt_context_free(ctx);
    }
    return test_verdict("test_colsum");
}
