/* fuzz_csv.c - libFuzzer target for clt_dataset_parse on arbitrary text
 * (mostly CSV; FANN-looking input goes that way, as in real use).  The first
 * byte picks the label column (-4..3); the rest is the file.
 *
 * Left out on purpose: clt_dataset_load's file reading (plain stdio). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    clt_load_options opt = { (int)(data[0] % 8) - 4 };
    clt_dataset d;
    int st = clt_dataset_parse((const char *)data + 1, size - 1, "fuzz.csv", &opt, &d);
    fuzz_check_dataset(st, &d);
    clt_dataset_free(&d);
    return 0;
}
