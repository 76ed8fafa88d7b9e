/* fuzz_fann.c - libFuzzer target for the FANN reader through
 * clt_dataset_parse.  The first three bytes make a small valid header
 * ("pairs inputs outputs", each 1..8) so that most inputs reach the number
 * and target code; the rest is the body.  A first byte of 0 passes the input
 * through unchanged instead, to reach the header checks.
 *
 * Left out on purpose: large announced sizes (the header checks and the
 * count-before-allocate path are covered by the pass-through mode). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    char *buf = malloc(size + 32);
    if (!buf)
        return 0;
    size_t n;
    if (data[0] == 0) {
        memcpy(buf, data + 1, size - 1);
        n = size - 1;
    } else {
        n = (size_t)sprintf(buf, "%d %d %d\n", data[0] % 8 + 1, data[1] % 8 + 1,
                            data[2] % 8 + 1);
        memcpy(buf + n, data + 3, size - 3);
        n += size - 3;
    }
    clt_dataset d;
    int st = clt_dataset_parse(buf, n, "fuzz.train", NULL, &d);
    fuzz_check_dataset(st, &d);
    clt_dataset_free(&d);
    free(buf);
    return 0;
}
