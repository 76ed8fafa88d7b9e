/* status.c - one status space for the library: OpenCL's negative codes kept as
 * they are, cltrain's own in the -2001.. range, one function naming either,
 * and the thread's last error message. */
#include <stdarg.h>
#include <stdio.h>

#include "cltrain.h"
#include "ocl.h"

static _Thread_local char last_error[1024];

const char *clt_last_error(void)
{
    return last_error;
}

int clt_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

const char *clt_status_name(int status)
{
    switch (status) {
    case CLT_OK: return "CLT_OK";
    case CLT_ERR_NO_PLATFORM: return "CLT_ERR_NO_PLATFORM";
    case CLT_ERR_NO_DEVICE: return "CLT_ERR_NO_DEVICE";
    case CLT_ERR_NO_FP64: return "CLT_ERR_NO_FP64";
    case CLT_ERR_NOMEM: return "CLT_ERR_NOMEM";
    case CLT_ERR_IO: return "CLT_ERR_IO";
    case CLT_ERR_FORMAT: return "CLT_ERR_FORMAT";
    case CLT_ERR_ARG: return "CLT_ERR_ARG";
    case CLT_ERR_MISMATCH: return "CLT_ERR_MISMATCH";
    case CLT_ERR_TOO_LARGE: return "CLT_ERR_TOO_LARGE";
    case CLT_ERR_NONFINITE: return "CLT_ERR_NONFINITE";
    case CLT_ERR_BUILD: return "CLT_ERR_BUILD";
    case CLT_ERR_INTERRUPTED: return "CLT_ERR_INTERRUPTED";
    default: return clt_cl_error_name(status);
    }
}

size_t clt_precision_size(clt_precision p)
{
    return p == CLT_DOUBLE ? sizeof(double) : sizeof(float);
}

const char *clt_precision_name(clt_precision p)
{
    return p == CLT_DOUBLE ? "double" : "float";
}
