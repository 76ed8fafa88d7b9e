/* test_safetensors.c - clt_safetensors_write / _read / _parse: round trips of
 * F32 and F64 tensors with metadata, the file layout, every truncation of a
 * valid file, a catalogue of malformed headers (each must fail with
 * CLT_ERR_FORMAT and a message naming the file and the fault), random byte
 * corruption, and a file written by Python's json + numpy
 * (tests/data/st_python.safetensors, made by tests/py_safetensors_numpy.py).
 *
 * With CLTRAIN_ST_OUT set, the round-trip file is also written there, for
 * tests/py_safetensors_numpy.py to read back with numpy.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define NAME "model.safetensors"

static char folder[4096];

/* ------------------------------------------------------------------------ */
/* The round-trip content (tests/py_safetensors_numpy.py knows it too)       */
/* ------------------------------------------------------------------------ */

static float w1[6] = {-1.0f, 0.1f, 2.5f, -0.0f, 1e-30f, 3.4e38f};
static double b1[3] = {0.1, -2.0, 1e300};
static double scalar[1] = {3.25};
static float x4[4] = {1.0f, 2.0f, 3.0f, 4.0f};
static double odd[2] = {1.5, -1.5};
#define ODD_NAME "layer \"2\"\\W \xc3\xa9"
#define NOTE "two\nlines\t\"q\" \\ \x01 \xc3\xbc"

static int make_tensors(clt_tensor *t)
{
    memset(t, 0, 6 * sizeof *t);
    t[0] = (clt_tensor){"W1", CLT_F32, 2, {3, 2}, w1};
    t[1] = (clt_tensor){"b1", CLT_F64, 2, {3, 1}, b1};
    t[2] = (clt_tensor){"s", CLT_F64, 0, {0}, scalar};
    t[3] = (clt_tensor){"x4", CLT_F32, 4, {2, 1, 2, 1}, x4};
    t[4] = (clt_tensor){"empty", CLT_F32, 2, {0, 5}, NULL};
    t[5] = (clt_tensor){ODD_NAME, CLT_F64, 1, {2}, odd};
    return 6;
}

static int make_meta(clt_meta *m)
{
    m[0] = (clt_meta){"format", "pt"};
    m[1] = (clt_meta){"note", NOTE};
    m[2] = (clt_meta){"empty", ""};
    return 3;
}

static int64_t tensor_size(const clt_tensor *t)
{
    int64_t n = t->dtype == CLT_F64 ? 8 : 4;
    for (int d = 0; d < t->ndim; d++)
        n *= t->shape[d];
    return n;
}

static int same_tensor(const clt_tensor *got, const clt_tensor *want)
{
    if (!got || got->dtype != want->dtype || got->ndim != want->ndim)
        return 0;
    for (int d = 0; d < want->ndim; d++) {
        if (got->shape[d] != want->shape[d])
            return 0;
    }
    int64_t n = tensor_size(want);
    return n == 0 || memcmp(got->data, want->data, (size_t)n) == 0;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static const char *in_folder(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", folder, name);
    return buf;
}

static unsigned char *load(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    *size = buf ? fread(buf, 1, (size_t)n, fp) : 0;
    fclose(fp);
    return buf;
}

/* header (JSON text) with its length in front and data_len bytes after it. */
static unsigned char *image(const char *header, size_t data_len, size_t *size)
{
    size_t n = strlen(header);
    *size = 8 + n + data_len;
    unsigned char *buf = calloc(*size, 1);
    for (int i = 0; i < 8; i++)
        buf[i] = (unsigned char)((uint64_t)n >> (8 * i));
    memcpy(buf + 8, header, n);
    for (size_t i = 0; i < data_len; i++)
        buf[8 + n + i] = (unsigned char)(i * 37 + 1);
    return buf;
}

/* Parsing must fail with CLT_ERR_FORMAT, a message starting with the file's
 * name and containing want. */
static void expect_bad(const unsigned char *buf, size_t size, const char *want, int line)
{
    clt_st_file f;
    int st = clt_safetensors_parse(buf, size, NAME, &f);
    const char *err = clt_last_error();
    if (st != CLT_ERR_FORMAT || strncmp(err, NAME ": ", strlen(NAME) + 2) != 0 ||
        strstr(err, want) == NULL) {
        fprintf(stderr, "line %d: status %d, message \"%s\", wanted \"%s\"\n", line, st, err,
                want);
        test_failures++;
    }
    if (st == CLT_OK)
        clt_st_free(&f);
    CHECK(f.tensors == NULL && f.meta == NULL && f.blob == NULL);
}

static void bad_header(const char *header, size_t data_len, const char *want, int line)
{
    size_t size;
    unsigned char *buf = image(header, data_len, &size);
    expect_bad(buf, size, want, line);
    free(buf);
}

#define BAD(header, data_len, want) bad_header(header, data_len, want, __LINE__)

static int parse_ok(const char *header, size_t data_len, clt_st_file *f)
{
    size_t size;
    unsigned char *buf = image(header, data_len, &size);
    int st = clt_safetensors_parse(buf, size, NAME, f);
    if (st != CLT_OK)
        fprintf(stderr, "unexpected failure: %s\n", clt_last_error());
    free(buf);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */
/* ------------------------------------------------------------------------ */

static void check_layout(const unsigned char *buf, size_t size, const clt_tensor *t, int n)
{
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | buf[i];
    CHECK(hlen % 8 == 0 && 8 + hlen <= size);
    CHECK(buf[8] == '{' && (buf[8 + hlen - 1] == ' ' || buf[8 + hlen - 1] == '}'));
    size_t at = 8 + (size_t)hlen;
    for (int i = 0; i < n; i++) {   /* the data follow in the order given */
        size_t bytes = (size_t)tensor_size(&t[i]);
        CHECK(at + bytes <= size && (bytes == 0 || memcmp(buf + at, t[i].data, bytes) == 0));
        at += bytes;
    }
    CHECK(at == size);
}

static void test_round_trip(void)
{
    clt_tensor t[6];
    clt_meta m[3];
    int nt = make_tensors(t), nm = make_meta(m);
    char path[4200];
    in_folder(path, sizeof path, "rt.safetensors");
    CHECK_OK(clt_safetensors_write(path, t, nt, m, nm));

    const char *extra = getenv("CLTRAIN_ST_OUT");
    if (extra && *extra)
        CHECK_OK(clt_safetensors_write(extra, t, nt, m, nm));

    clt_st_file f;
    CHECK_OK(clt_safetensors_read(path, &f));
    CHECK(f.n_tensors == nt && f.n_meta == nm);
    for (int i = 0; i < nt; i++) {
        const clt_tensor *got = clt_st_tensor(&f, t[i].name);
        CHECK(same_tensor(got, &t[i]));
        CHECK(!got || (uintptr_t)got->data % 8 == 0);
    }
    for (int i = 0; i < f.n_tensors && i < nt; i++)   /* in file order */
        CHECK(strcmp(f.tensors[i].name, t[i].name) == 0);
    for (int i = 0; i < nm; i++) {
        const char *v = clt_st_meta(&f, m[i].key);
        CHECK(v && strcmp(v, m[i].value) == 0);
    }
    CHECK(clt_st_tensor(&f, "nope") == NULL && clt_st_meta(&f, "nope") == NULL);
    clt_st_free(&f);
    CHECK(f.n_tensors == 0 && f.tensors == NULL);
    clt_st_free(&f);   /* twice is harmless */

    size_t size;
    unsigned char *buf = load(path, &size);
    CHECK(buf != NULL);
    if (buf)
        check_layout(buf, size, t, nt);
    free(buf);
    unlink(path);
}

/* No metadata, no tensors: "{}" padded to 8 bytes. */
static void test_empty(void)
{
    char path[4200];
    in_folder(path, sizeof path, "empty.safetensors");
    CHECK_OK(clt_safetensors_write(path, NULL, 0, NULL, 0));
    size_t size;
    unsigned char *buf = load(path, &size);
    CHECK(buf && size == 16 && buf[0] == 8 && memcmp(buf + 8, "{}      ", 8) == 0);
    free(buf);
    clt_st_file f;
    CHECK_OK(clt_safetensors_read(path, &f));
    CHECK(f.n_tensors == 0 && f.n_meta == 0);
    clt_st_free(&f);
    unlink(path);
}

static void test_truncated(void)
{
    clt_tensor t[6];
    clt_meta m[3];
    int nt = make_tensors(t), nm = make_meta(m);
    char path[4200];
    in_folder(path, sizeof path, "trunc.safetensors");
    CHECK_OK(clt_safetensors_write(path, t, nt, m, nm));
    size_t size;
    unsigned char *buf = load(path, &size);
    unlink(path);
    if (!buf)
        return;
    for (size_t n = 0; n < size; n++) {
        unsigned char *copy = malloc(n ? n : 1);   /* exact size, for ASan */
        memcpy(copy, buf, n);
        expect_bad(copy, n, "", __LINE__);
        free(copy);
    }
    clt_st_file f;
    CHECK_OK(clt_safetensors_parse(buf, size, NAME, &f));
    clt_st_free(&f);
    free(buf);
}

static void test_bad_length(void)
{
    unsigned char small[7] = {0};
    expect_bad(small, sizeof small, "too short", __LINE__);
    expect_bad(NULL, 0, "too short", __LINE__);

    unsigned char buf[120] = {0};
    buf[0] = 999999 & 0xff;
    buf[1] = (999999 >> 8) & 0xff;
    buf[2] = 999999 >> 16;
    expect_bad(buf, sizeof buf, "header length 999999 exceeds file size 120", __LINE__);

    memset(buf, 0, 8);
    buf[3] = 0x10;   /* 2^28 > 100 MB */
    expect_bad(buf, sizeof buf, "not a safetensors file: header length", __LINE__);
    memset(buf, 0xff, 8);
    expect_bad(buf, sizeof buf, "header length", __LINE__);
    memset(buf, 0, 8);   /* empty header */
    expect_bad(buf, sizeof buf, "does not start with '{'", __LINE__);
}

static void test_bad_headers(void)
{
    const char *ok = "\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]";
    char h[512];

    BAD("{", 0, "header ends");
    BAD("[]", 0, "does not start with '{'");
    BAD(" {}", 0, "does not start with '{'");
    BAD("{}x", 0, "unexpected bytes after");
    BAD("{\"a\"}", 0, "expected ':'");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", 8, "expected ','");
    BAD("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "\"BF16\"");
    BAD("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "\"I64\"");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
        "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8");
    BAD("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "needs 16");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8, "exceed the 8");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "backwards");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
        "\"data_offsets\":[0,8]}}", 8, "needs more than 8");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,2],\"data_offsets\":[0,8]}}", 8,
        "more than 4 dimensions");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "negative");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-1,8]}}", 8, "negative");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8,
        "not an integer");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}", 8,
        "not an integer");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]}}", 8, "leading zero");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}",
        8, "too large");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[true],\"data_offsets\":[0,8]}}", 8,
        "expected a number");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,],\"data_offsets\":[0,8]}}", 8,
        "expected a number");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8, "expected ','");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8,
        "expected ']'");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "lacks \"data_offsets\"");
    BAD("{\"a\":{}}", 0, "lacks \"dtype\"");
    BAD("{\"a\":null}", 0, "expected '{'");
    BAD("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}", 0, "repeated field \"dtype\"");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8,
        "unknown field \"x\"");

    snprintf(h, sizeof h, "{\"a\":{%s},\"a\":{%s}}", ok, ok);
    BAD(h, 16, "tensor 'a' appears twice");
    snprintf(h, sizeof h, "{\"a\":{%s},\"b\":{%s}}", ok, ok);
    BAD(h, 8, "overlaps");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
        "4 unused bytes before tensor 'a'");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12,
        "4 bytes after the last tensor");
    BAD("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[2,10]}}", 10, "overlaps");

    BAD("{\"__metadata__\":{\"k\":1}}", 0, "metadata 'k': value is not a string");
    BAD("{\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}}", 0, "metadata key 'k' appears twice");
    BAD("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "appears twice");
    BAD("{\"__metadata__\":[]}", 0, "expected '{'");

    BAD("{\"a\\x\":{}}", 0, "invalid escape");
    BAD("{\"a\\u12\":{}}", 0, "invalid escape");
    BAD("{\"a\\ud800\":{}}", 0, "unpaired surrogate");
    BAD("{\"a\\udc00x\":{}}", 0, "unpaired surrogate");
    BAD("{\"a\\ud800\\u0041\":{}}", 0, "unpaired surrogate");
    BAD("{\"a\\u0000\":{}}", 0, "\\u0000");
    BAD("{\"a\tb\":{}}", 0, "control character");
    BAD("{\"a\\u0009b\":{}}", 0, "control character");
    BAD("{\"a\xff\":{}}", 0, "invalid UTF-8");
    BAD("{\"a\xc0\x80\":{}}", 0, "invalid UTF-8");
    BAD("{\"a\xed\xa0\x80\":{}}", 0, "invalid UTF-8");
    BAD("{\"a\xe2\x82\":{}}", 0, "invalid UTF-8");
    BAD("{\"a", 0, "unterminated string");
    BAD("{\"a\\\"", 0, "unterminated string");
    BAD("{\"0123456789012345678901234567890123456789012345678901234567890123\":{}}", 0,
        "64 bytes long");
    BAD("{a:{}}", 0, "expected '\"'");
}

/* Headers that are unusual but valid. */
static void test_good_headers(void)
{
    clt_st_file f;
    /* blanks everywhere, metadata first, escapes and a surrogate pair in a
     * name, an F64 tensor at an offset that is not a multiple of 8. */
    const char *h = " \n{ \"__metadata__\" : { \"k\\u00e9\" : \"v\\n\\\"\\/\" } ,\r\n"
                    "\"a\" : {\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]},\t"
                    "\"\\ud83d\\ude00b\":{\"data_offsets\":[4,12],\"dtype\":\"F64\","
                    "\"shape\":[]}, \"z\":{\"dtype\":\"F32\",\"shape\":[0,3],"
                    "\"data_offsets\":[12,12]} }   ";
    CHECK(parse_ok(h + 2, 12, &f) == CLT_OK);
    if (f.n_tensors == 3) {
        const clt_tensor *b = clt_st_tensor(&f, "\xf0\x9f\x98\x80" "b");
        CHECK(b && b->dtype == CLT_F64 && b->ndim == 0 && (uintptr_t)b->data % 8 == 0);
        unsigned char want[8];
        for (int i = 0; i < 8; i++)
            want[i] = (unsigned char)((4 + i) * 37 + 1);
        CHECK(b && memcmp(b->data, want, 8) == 0);
        const clt_tensor *z = clt_st_tensor(&f, "z");
        CHECK(z && z->ndim == 2 && z->shape[0] == 0 && z->shape[1] == 3);
        const char *v = clt_st_meta(&f, "k\xc3\xa9");
        CHECK(v && strcmp(v, "v\n\"/") == 0);
    }
    clt_st_free(&f);
    BAD(h, 12, "does not start with '{'");   /* but the header must open with '{' */
    CHECK(parse_ok("{}", 0, &f) == CLT_OK && f.n_tensors == 0);
    clt_st_free(&f);
}

static void test_write_errors(void)
{
    clt_tensor t[6];
    clt_meta m[3];
    int nt = make_tensors(t), nm = make_meta(m);
    char path[4200];
    in_folder(path, sizeof path, "bad.safetensors");

    t[1].ndim = 5;
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    t[1].ndim = 2;
    t[1].shape[0] = -3;
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    t[1].shape[0] = 3;
    strcpy(t[1].name, "W1");
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    CHECK(strstr(clt_last_error(), "'W1' appears twice") != NULL);
    strcpy(t[1].name, "__metadata__");
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    strcpy(t[1].name, "b1");
    t[1].data = NULL;
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    t[1].data = b1;
    t[1].dtype = (clt_dtype)7;
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    t[1].dtype = CLT_F64;
    strcpy(m[1].key, "format");
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    strcpy(m[1].key, "note");
    m[1].value = "\xff";
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_ARG);
    m[1].value = NOTE;
    CHECK(access(path, F_OK) != 0);

    in_folder(path, sizeof path, "missing/bad.safetensors");
    CHECK(clt_safetensors_write(path, t, nt, m, nm) == CLT_ERR_IO);
    CHECK(strstr(clt_last_error(), path) != NULL);

    clt_st_file f;
    CHECK(clt_safetensors_read(path, &f) == CLT_ERR_IO);
    CHECK(strstr(clt_last_error(), path) != NULL);
    CHECK(f.tensors == NULL && f.blob == NULL);
}

/* Random damage to a valid file: parse must return OK or CLT_ERR_FORMAT and
 * never crash (worth running under -fsanitize=address). */
static void test_corruption(void)
{
    clt_tensor t[6];
    clt_meta m[3];
    int nt = make_tensors(t), nm = make_meta(m);
    char path[4200];
    in_folder(path, sizeof path, "corrupt.safetensors");
    CHECK_OK(clt_safetensors_write(path, t, nt, m, nm));
    size_t size;
    unsigned char *buf = load(path, &size);
    unlink(path);
    if (!buf)
        return;
    static const char tokens[] = "{}[]:,\"\\u0123456789-.eE \xff\x80";
    clt_rng rng;
    clt_rng_seed(&rng, 11);
    unsigned char *copy = malloc(size);
    int ok = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, buf, size);
        int edits = 1 + (int)clt_rng_interval(&rng, 3);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)clt_rng_interval(&rng, size - 1);
            if (at >= 8 && clt_rng_interval(&rng, 1))
                copy[at] = (unsigned char)tokens[clt_rng_interval(&rng, sizeof tokens - 2)];
            else
                copy[at] = (unsigned char)clt_rng_u32(&rng);
        }
        size_t n = size - (size_t)clt_rng_interval(&rng, 3);
        clt_st_file f;
        int st = clt_safetensors_parse(copy, n, NAME, &f);
        CHECK(st == CLT_OK || st == CLT_ERR_FORMAT);
        if (st == CLT_OK) {
            ok++;
            clt_st_free(&f);
        }
    }
    printf("corruption: %d of 20000 damaged files still parsed\n", ok);
    free(copy);
    free(buf);
}

/* tests/data/st_python.safetensors was written by tests/py_safetensors_numpy.py
 * with Python's json and numpy, the way the reference library lays files out. */
static void test_python_fixture(void)
{
    if (!getenv("CLTRAIN_TESTS")) {
        printf("CLTRAIN_TESTS not set; the Python-written fixture is skipped\n");
        return;
    }
    const char *path = test_fixture("data/st_python.safetensors");
    clt_st_file f;
    CHECK_OK(clt_safetensors_read(path, &f));
    const clt_tensor *w = clt_st_tensor(&f, "weight");
    const clt_tensor *b = clt_st_tensor(&f, "bias");
    const clt_tensor *s = clt_st_tensor(&f, "scalar");
    CHECK(w && w->dtype == CLT_F32 && w->ndim == 2 && w->shape[0] == 2 && w->shape[1] == 3);
    for (int i = 0; w && i < 6; i++)
        CHECK(((const float *)w->data)[i] == (float)i * 0.5f - 1.0f);
    CHECK(b && b->dtype == CLT_F64 && b->ndim == 1 && b->shape[0] == 3);
    if (b) {
        const double *v = b->data;
        CHECK(v[0] == 0.1 && v[1] == 0.2 && v[2] == -0.3);
    }
    CHECK(s && s->dtype == CLT_F64 && s->ndim == 0 && *(const double *)s->data == 3.25);
    const char *src = clt_st_meta(&f, "source");
    const char *uni = clt_st_meta(&f, "\xc3\xbcn\xc3\xaf");
    CHECK(src && strcmp(src, "numpy") == 0);
    CHECK(uni && strcmp(uni, "v\xc3\xa4lue \"q\" \xe2\x82\xac \xf0\x9f\x98\x80") == 0);
    clt_st_free(&f);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/clt_st.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        return test_skip("cannot make a scratch folder");

    test_round_trip();
    test_empty();
    test_truncated();
    test_bad_length();
    test_bad_headers();
    test_good_headers();
    test_write_errors();
    test_corruption();
    test_python_fixture();

    rmdir(folder);
    return test_verdict("test_safetensors");
}
