/* Small helpers shared by the C tests.  A test's exit status is its verdict:
 * 0 passed, 1 failed, 77 skipped (CTest's SKIP_RETURN_CODE). */
#ifndef CLT_TESTUTIL_H
#define CLT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "cltrain.h"

#define TEST_SKIP 77

extern int test_failures;

/* Records a failure with the file and line, and carries on. */
#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            test_failures++;                                                     \
        }                                                                        \
    } while (0)

/* Like CHECK, for a status: prints the status name and the library's message. */
#define CHECK_OK(expr)                                                           \
    do {                                                                         \
        int st_ = (expr);                                                        \
        if (st_ != 0) {                                                          \
            fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__,   \
                    #expr, clt_status_name(st_), clt_last_error());              \
            test_failures++;                                                     \
        }                                                                        \
    } while (0)

/* 0 if the test passed so far, 1 otherwise; prints a closing line. */
int test_verdict(const char *name);

/* Prints why the test is skipped and returns TEST_SKIP for main to return. */
int test_skip(const char *why);

/* Path of a file under the tests folder (CLTRAIN_TESTS) or the public data
 * folder (CLTRAIN_DATA); static buffer.  test_data_path returns NULL when the
 * data folder or file is absent. */
const char *test_fixture(const char *rel);
const char *test_data_path(const char *rel);

/* |got - want| <= abs_tol + rel_tol * |want|, NaN never close. */
int test_close(double got, double want, double abs_tol, double rel_tol);

/* 1 when CLTRAIN_TEST_SMALL=1: the device tests then keep to small sizes and
 * few iterations, for slow devices such as the Oclgrind simulator. */
int test_small(void);

/* Opens the device tests use (CLTRAIN_DEVICE or the default); returns its
 * index, or -1 after printing why when no OpenCL device is available. */
int test_device(void);

#endif
