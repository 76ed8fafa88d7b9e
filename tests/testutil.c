#include "testutil.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

int test_failures = 0;

int test_verdict(const char *name)
{
    if (test_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

int test_skip(const char *why)
{
    printf("skipped: %s\n", why);
    return TEST_SKIP;
}

static const char *join(const char *dir, const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, rel);
    return buf;
}

const char *test_fixture(const char *rel)
{
    const char *dir = getenv("CLTRAIN_TESTS");
    return join(dir ? dir : ".", rel);
}

const char *test_data_path(const char *rel)
{
    const char *dir = getenv("CLTRAIN_DATA");
    if (!dir)
        return NULL;
    const char *p = join(dir, rel);
    return access(p, R_OK) == 0 ? p : NULL;
}

int test_close(double got, double want, double abs_tol, double rel_tol)
{
    if (isnan(got) || isnan(want))
        return 0;
    if (got == want)
        return 1;
    return fabs(got - want) <= abs_tol + rel_tol * fabs(want);
}

int test_small(void)
{
    const char *s = getenv("CLTRAIN_TEST_SMALL");
    return s && strcmp(s, "1") == 0;
}

int test_device(void)
{
    int index = -1;
    int st = clt_device_pick(getenv("CLTRAIN_DEVICE"), &index);
    if (st != 0) {
        printf("no OpenCL device: %s\n", clt_last_error());
        return -1;
    }
    return index;
}
