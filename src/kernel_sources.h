/* The .cl files under kernels/, carried inside the binary (generated at build time
 * by cmake/embed_kernels.cmake).  Each text is NUL-terminated; len excludes it. */
#ifndef CLT_KERNEL_SOURCES_H
#define CLT_KERNEL_SOURCES_H

#include <stddef.h>

struct clt_kernel_source {
    const char *name;   /* file name, e.g. "matmul.cl" */
    const char *text;
    size_t len;
};

extern const struct clt_kernel_source clt_kernel_sources[];
extern const int clt_kernel_source_count;

#endif
