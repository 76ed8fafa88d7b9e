/*
 * common.cl - the element type and helpers every kernel file shares.  The
 * host prepends this file to the others, so each kernel file can rely on it.
 *
 * Build options (defaults make each file compile on its own):
 *   -DREAL=float|double   element type of every buffer (default float)
 *   -DUSE_FP64            enable cl_khr_fp64; the host sets it with REAL=double
 *
 * Shapes follow the notebook: W (n_out, n_in), Z and A (n, m), all row-major,
 * so element (i, j) of an (rows, cols) matrix is at i * cols + j.  Sizes are
 * passed as int; indices are formed in size_t so large buffers do not wrap.
 *
 * Kernels here never assume a work-group shape: each work-item checks its
 * global index against the problem size, so the host may round global sizes
 * up to any local size.
 */
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#ifndef REAL
#define REAL float
#endif

typedef REAL real;
