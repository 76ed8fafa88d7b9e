/* fuzz_safetensors.c - libFuzzer target for clt_safetensors_parse: any bytes
 * must give CLT_OK or CLT_ERR_FORMAT, never a crash, leak or overread.  On
 * success the tensors are looked up and their data touched, so that ASan sees
 * any pointer outside the private copy.
 *
 *   CC=clang cmake -S . -B build-fuzz -DCLTRAIN_FUZZ=ON -DCLTRAIN_SANITIZE="address;undefined"
 *   cmake --build build-fuzz --target fuzz_safetensors
 *   build-fuzz/tests/fuzz/fuzz_safetensors -max_total_time=60 corpus/ tests/data/
 *
 * Left out on purpose: the writer (it takes no untrusted input).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

static volatile unsigned sink;   /* keeps the reads of the data */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    clt_st_file f;
    int st = clt_safetensors_parse(data, size, "fuzz.safetensors", &f);
    if (st != CLT_OK && st != CLT_ERR_FORMAT)
        abort();
    if (st != CLT_OK)
        return 0;
    for (int i = 0; i < f.n_tensors; i++) {
        const clt_tensor *t = clt_st_tensor(&f, f.tensors[i].name);
        size_t bytes = t->dtype == CLT_F64 ? 8 : 4;
        for (int d = 0; d < t->ndim; d++)
            bytes *= (size_t)t->shape[d];
        for (size_t b = 0; b < bytes; b++)
            sink += ((const unsigned char *)t->data)[b];
    }
    for (int i = 0; i < f.n_meta; i++)
        sink += (unsigned)strlen(clt_st_meta(&f, f.meta[i].key));
    clt_st_free(&f);
    return 0;
}
