/*
 * reduce.cl - the column sum that gives the bias gradient:
 *
 *   db (n, 1) = scale * sum over j of dZ (n, m)[:, j]      scale = 1/m
 *
 * One work-item per row adds its m values in increasing j.  The order is
 * fixed by the code, not by the work-group shape or the device's scheduling,
 * so a run repeats bit for bit.
 */

__kernel void column_sum(const int n, const int m, const real scale,
                         __global const real *dZ, __global real *db)
{
    const int i = get_global_id(0);
    if (i >= n)
        return;

    const __global real *row = dZ + (size_t)i * m;
    real acc = 0;
    for (int j = 0; j < m; j++)
        acc += row[j];
    db[i] = scale * acc;
}
