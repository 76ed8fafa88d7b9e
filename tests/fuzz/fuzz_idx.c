/* fuzz_idx.c - libFuzzer target for clt_dataset_parse_idx.  The first two
 * bytes say where the image file ends and the label file begins; each part
 * may be raw IDX or gzip.
 *
 * Left out on purpose: clt_dataset_load_idx's file reading (plain stdio). */
#include "fuzz_check.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t split = ((size_t)data[0] << 8 | data[1]) % (size - 1);
    const uint8_t *images = data + 2;
    clt_dataset d;
    int st = clt_dataset_parse_idx(images, split, "fuzz-images", images + split,
                                   size - 2 - split, "fuzz-labels", &d);
    fuzz_check_dataset(st, &d);
    clt_dataset_free(&d);
    return 0;
}
