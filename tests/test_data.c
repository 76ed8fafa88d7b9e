/* test_data.c - the data readers: CSV, FANN and IDX happy paths from small
 * fixtures with exact values, the tolerated variations (CRLF, blank lines, no
 * final newline, headers of both kinds), every error kind with its message,
 * and the real data sets when CLTRAIN_DATA points at them (the full
 * Fashion-MNIST training set only with CLTRAIN_TEST_BIG=1).
 *
 * Left out on purpose: training on the data (other tests) and timing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static int parse(const char *text, const char *name, clt_dataset *d)
{
    return clt_dataset_parse(text, strlen(text), name, NULL, d);
}

static int parse_col(const char *text, int label_col, clt_dataset *d)
{
    clt_load_options opt = { label_col };
    return clt_dataset_parse(text, strlen(text), "col.csv", &opt, d);
}

static int is_zeroed(const clt_dataset *d)
{
    clt_dataset z;
    memset(&z, 0, sizeof z);
    return memcmp(d, &z, sizeof z) == 0;
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Checks a failed call: its status, that *d was left zeroed, and that the
 * message holds each of up to three fragments (file name, line, what). */
#define CHECK_FAIL(call, d, status, a, b, c)                                     \
    do {                                                                         \
        int st_ = (call);                                                        \
        const char *msg_ = clt_last_error();                                     \
        CHECK(st_ == (status));                                                  \
        CHECK(is_zeroed(d));                                                     \
        CHECK(contains(msg_, a));                                                \
        CHECK(contains(msg_, b));                                                \
        CHECK(contains(msg_, c));                                                \
        if (st_ != (status) || !contains(msg_, a) || !contains(msg_, b)          \
            || !contains(msg_, c))                                               \
            fprintf(stderr, "  status %d, message: %s\n", st_, msg_);            \
    } while (0)

static int same(const double *got, const double *want, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (got[k] != want[k]) {
            fprintf(stderr, "  element %zu: got %.17g, want %.17g\n", k, got[k], want[k]);
            return 0;
        }
    return 1;
}

static int same_int(const int *got, const int *want, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (got[k] != want[k]) {
            fprintf(stderr, "  element %zu: got %d, want %d\n", k, got[k], want[k]);
            return 0;
        }
    return 1;
}

static const char *const bits[] = { "0", "1" };

static int names_are(const clt_dataset *d, const char *const *want, int n)
{
    if (!d->class_names || d->n_classes != n)
        return 0;
    for (int c = 0; c < n; c++)
        if (strcmp(d->class_names[c], want[c]) != 0)
            return 0;
    return 1;
}

static int count_label(const clt_dataset *d, int label)
{
    int n = 0;
    for (int64_t j = 0; j < d->m; j++)
        n += d->labels[j] == label;
    return n;
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                       */
/* ------------------------------------------------------------------------ */

static void test_csv_header(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/csv_header.csv"), NULL, &d));
    CHECK(d.m == 3 && d.n_in == 2 && d.n_out == 1);
    CHECK(d.task == CLT_TASK_BINARY && d.n_classes == 2 && names_are(&d, bits, 2));
    static const double X[] = { 1, 3, -1, 2, 4.5, 0.25 }, Y[] = { 0, 1, 1 };
    static const int labels[] = { 0, 1, 1 };
    CHECK(d.X && same(d.X, X, 6));
    CHECK(d.Y && same(d.Y, Y, 3));
    CHECK(d.labels && same_int(d.labels, labels, 3));
    clt_dataset_free(&d);
    CHECK(is_zeroed(&d));
}

static void test_csv_sklearn_header(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/csv_sklearn.csv"), NULL, &d));
    CHECK(d.m == 3 && d.n_in == 2 && d.n_out == 3 && d.n_classes == 3);
    CHECK(d.task == CLT_TASK_MULTICLASS);
    static const char *const names[] = { "cat", "dog", "bird" };
    CHECK(names_are(&d, names, 3));
    static const double X[] = { 1, 3, 5, 2, 4, 6 };
    static const double Y[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    CHECK(d.X && same(d.X, X, 6));
    CHECK(d.Y && same(d.Y, Y, 9));
    clt_dataset_free(&d);

    /* A scikit-learn header whose counts do not match the file. */
    CHECK_FAIL(parse("4,2,a,b\n1,2,0\n3,4,1\n", "sk.csv", &d), &d, CLT_ERR_FORMAT,
               "sk.csv:1:", "announces 4 samples", "");
    /* The header names classes 0, 1, 2 in order; a file holding only some
     * of them takes the names of those it holds. */
    static const char *const ab[] = { "a", "b" }, *const bc[] = { "b", "c" };
    CHECK_OK(parse("2,2,a,b,c\n1,2,0\n3,4,1\n", "sk.csv", &d));
    CHECK(d.task == CLT_TASK_BINARY && names_are(&d, ab, 2));
    clt_dataset_free(&d);
    CHECK_OK(parse("2,2,a,b,c\n1,2,2\n3,4,1\n", "sk.csv", &d));
    CHECK(d.task == CLT_TASK_BINARY && names_are(&d, bc, 2));
    clt_dataset_free(&d);
    /* A label the header has no name for: the labels name themselves. */
    static const char *const own[] = { "0", "7" };
    CHECK_OK(parse("2,2,a,b,c\n1,2,0\n3,4,7\n", "sk.csv", &d));
    CHECK(d.task == CLT_TASK_BINARY && names_are(&d, own, 2));
    clt_dataset_free(&d);
}

static void test_csv_crlf_blank_no_final_newline(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/csv_crlf.csv"), NULL, &d));
    CHECK(d.m == 3 && d.n_in == 2 && d.task == CLT_TASK_BINARY);
    static const double X[] = { 1, 3, 5, 2, 4, 0.6 }, Y[] = { 1, 0, 1 };
    CHECK(d.X && same(d.X, X, 6));
    CHECK(d.Y && same(d.Y, Y, 3));
    clt_dataset_free(&d);

    /* A UTF-8 byte-order mark is skipped. */
    CHECK_OK(parse("\xEF\xBB\xBF" "1,2,0\n3,4,1\n", "bom.csv", &d));
    CHECK(d.m == 2 && d.n_in == 2);
    clt_dataset_free(&d);
}

static void test_csv_string_labels(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/csv_strings.csv"), NULL, &d));
    CHECK(d.m == 4 && d.n_in == 2 && d.n_out == 3 && d.task == CLT_TASK_MULTICLASS);
    static const char *const names[] = { "setosa", "versicolor", "virginica" };
    static const int labels[] = { 0, 2, 1, 0 };
    CHECK(names_are(&d, names, 3));
    CHECK(d.labels && same_int(d.labels, labels, 4));
    static const double Y[] = { 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0 };
    CHECK(d.Y && same(d.Y, Y, 12));
    clt_dataset_free(&d);

    /* Text labels without a header: the first line is data (bytewise order). */
    CHECK_OK(parse("1,1,b\n2,2,a\n3,3,B\n", "s.csv", &d));
    CHECK(d.m == 3 && d.task == CLT_TASK_MULTICLASS);
    static const char *const names2[] = { "B", "a", "b" };
    static const int labels2[] = { 2, 1, 0 };
    CHECK(names_are(&d, names2, 3));
    CHECK(d.labels && same_int(d.labels, labels2, 3));
    clt_dataset_free(&d);
}

static void test_csv_integer_labels(void)
{
    clt_dataset d;
    CHECK_OK(parse("0.5,10\n1,9\n2,10\n3,-1\n", "i.csv", &d));
    static const char *const values[] = { "-1", "9", "10" };
    CHECK(d.task == CLT_TASK_MULTICLASS && d.n_classes == 3 && names_are(&d, values, 3));
    static const int labels[] = { 2, 1, 2, 0 };
    CHECK(d.labels && same_int(d.labels, labels, 4));
    clt_dataset_free(&d);
}

static void test_csv_regression(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/csv_regression.csv"), NULL, &d));
    CHECK(d.m == 3 && d.n_in == 2 && d.n_out == 1 && d.task == CLT_TASK_REGRESSION);
    CHECK(d.n_classes == 0 && !d.labels && !d.class_names);
    static const double X[] = { 1, 2, 3, 2, 3, 4 }, Y[] = { 0.5, 1.5, -2 };
    CHECK(d.X && same(d.X, X, 6));
    CHECK(d.Y && same(d.Y, Y, 3));
    clt_dataset_free(&d);
}

static void test_csv_label_column(void)
{
    clt_dataset d;
    CHECK_OK(parse_col("1,2,3\n0,5,6\n", 0, &d));
    static const double X[] = { 2, 5, 3, 6 }, Y[] = { 1, 0 };
    CHECK(d.n_in == 2 && d.X && same(d.X, X, 4) && d.Y && same(d.Y, Y, 2));
    clt_dataset_free(&d);

    CHECK_OK(parse_col("2,1,3\n5,0,6\n", -2, &d));
    CHECK(d.n_in == 2 && d.X && same(d.X, X, 4) && d.Y && same(d.Y, Y, 2));
    clt_dataset_free(&d);

    CHECK_FAIL(parse_col("1,2,3\n0,5,6\n", 3, &d), &d, CLT_ERR_ARG, "col.csv", "column 3",
               "3 fields");
    CHECK_FAIL(parse_col("1,2,3\n0,5,6\n", -4, &d), &d, CLT_ERR_ARG, "col.csv", "column -4",
               "");
}

static void test_csv_errors(void)
{
    clt_dataset d;
    CHECK_FAIL(parse("a,b,c\n1,2,0\n3,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT,
               "data.csv:3:", "expected 3 fields, found 2", "");
    CHECK_FAIL(parse("1,2,0\n3,4,1\n\n5,abc,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT,
               "data.csv:4:", "field 2 is not a number", "'abc'");
    CHECK_FAIL(parse("1,2,0\n3,,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT, "data.csv:2:",
               "field 2 is not a number", "");
    CHECK_FAIL(parse("1,2,0\n3,4 5,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT, "data.csv:2:",
               "not a number", "'4 5'");
    CHECK_FAIL(parse("1,2,0\n3,nan,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT, "data.csv:2:",
               "NaN or infinite", "'nan'");
    CHECK_FAIL(parse("1,2,0\ninf,2,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT, "data.csv:2:",
               "field 1", "NaN or infinite");
    CHECK_FAIL(parse("1,2,0\n3,1e999,1\n", "data.csv", &d), &d, CLT_ERR_FORMAT,
               "data.csv:2:", "NaN or infinite", "");
    CHECK_FAIL(parse("1,2,0.5\n3,4,nan\n", "data.csv", &d), &d, CLT_ERR_FORMAT,
               "data.csv:2:", "label", "NaN");
    CHECK_FAIL(parse("1,2,1\n3,4,1\n", "one.csv", &d), &d, CLT_ERR_FORMAT, "one.csv",
               "one class", "'1'");
    CHECK_FAIL(parse("1,2,0\n3,4,\n", "e.csv", &d), &d, CLT_ERR_FORMAT, "e.csv:2:",
               "label", "empty");
    CHECK_FAIL(parse("", "empty.csv", &d), &d, CLT_ERR_FORMAT, "empty.csv", "empty file", "");
    CHECK_FAIL(parse(" \n\r\n\n", "blank.csv", &d), &d, CLT_ERR_FORMAT, "blank.csv",
               "empty file", "");
    CHECK_FAIL(parse("a,b,c\n", "h.csv", &d), &d, CLT_ERR_FORMAT, "h.csv:1:",
               "no data lines", "");
    CHECK_FAIL(parse("1\n2\n", "one.csv", &d), &d, CLT_ERR_FORMAT, "one.csv:2:",
               "at least 2 fields", "");
    CHECK_FAIL(parse("1,2,0\n3,4\r5,1\n", "cr.csv", &d), &d, CLT_ERR_FORMAT, "cr.csv:2:",
               "carriage return", "");
    static const char bin[] = "1,2,0\n3,4,1\n5,\0006,1\n";
    CHECK_FAIL(clt_dataset_parse(bin, sizeof bin - 1, "bin.csv", NULL, &d), &d,
               CLT_ERR_FORMAT, "bin.csv:3:", "binary data at byte 14", "");
    CHECK_FAIL(parse("1,2,0\n\x01", "ctl.csv", &d), &d, CLT_ERR_FORMAT, "ctl.csv:2:",
               "binary data at byte 6", "");
    char *many = malloc(20 * 10002);
    size_t len = 0;
    for (int k = 0; many && k <= 10001; k++)
        len += (size_t)sprintf(many + len, "%d,%d\n", k, k);
    CHECK_FAIL(clt_dataset_parse(many, len, "many.csv", NULL, &d), &d, CLT_ERR_FORMAT,
               "many.csv", "more than 10000 distinct labels", "");
    free(many);
    CHECK_FAIL(clt_dataset_load("/nonexistent/dir/x.csv", NULL, &d), &d, CLT_ERR_IO,
               "/nonexistent/dir/x.csv", "cannot open", "");
}

/* ------------------------------------------------------------------------ */
/* FANN                                                                      */
/* ------------------------------------------------------------------------ */

static void test_fann_xor(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/fann_xor.data"), NULL, &d));
    CHECK(d.m == 4 && d.n_in == 2 && d.n_out == 1);
    CHECK(d.task == CLT_TASK_BINARY && d.n_classes == 2 && !d.class_names);
    static const double X[] = { -1, -1, 1, 1, -1, 1, -1, 1 }, Y[] = { 0, 1, 1, 0 };
    static const int labels[] = { 0, 1, 1, 0 };
    CHECK(d.X && same(d.X, X, 8));
    CHECK(d.Y && same(d.Y, Y, 4));
    CHECK(d.labels && same_int(d.labels, labels, 4));
    clt_dataset_free(&d);
}

static void test_fann_onehot(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/fann_onehot.train"), NULL, &d));
    CHECK(d.m == 3 && d.n_in == 2 && d.n_out == 3 && d.n_classes == 3);
    CHECK(d.task == CLT_TASK_MULTICLASS && !d.class_names);
    static const double X[] = { 0.5, 1, 0, 0.25, 0, 1 };
    static const double Y[] = { 0, 1, 0, 0, 0, 1, 1, 0, 0 };
    static const int labels[] = { 2, 0, 1 };
    CHECK(d.X && same(d.X, X, 6));
    CHECK(d.Y && same(d.Y, Y, 9));
    CHECK(d.labels && same_int(d.labels, labels, 3));
    clt_dataset_free(&d);

    /* -1/+1 one-hot rows map to 0/1. */
    CHECK_OK(parse("2 1 2\n0\n1 -1\n1\n-1 1\n", "sym.train", &d));
    static const double Ys[] = { 1, 0, 0, 1 };
    CHECK(d.task == CLT_TASK_MULTICLASS && d.Y && same(d.Y, Ys, 4));
    clt_dataset_free(&d);
}

static void test_fann_regression(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_fixture("data/fann_regression.train"), NULL, &d));
    CHECK(d.m == 2 && d.n_in == 1 && d.n_out == 2 && d.task == CLT_TASK_REGRESSION);
    CHECK(d.n_classes == 0 && !d.labels);
    static const double X[] = { 0.5, 1 }, Y[] = { 0.25, 0.125, 0.75, 2 };
    CHECK(d.X && same(d.X, X, 2) && d.Y && same(d.Y, Y, 4));
    clt_dataset_free(&d);

    /* Two levels over several outputs but not one-hot: regression, as given. */
    CHECK_OK(parse("2 1 2\n0\n1 1\n1\n0 0\n", "multi.train", &d));
    static const double Ym[] = { 1, 0, 1, 0 };
    CHECK(d.task == CLT_TASK_REGRESSION && d.Y && same(d.Y, Ym, 4));
    clt_dataset_free(&d);
    /* -1, 0 and 1 together are three levels: regression, values kept. */
    CHECK_OK(parse("3 1 1\n0 -1\n0 0\n0 1\n", "three.train", &d));
    static const double Y3[] = { -1, 0, 1 };
    CHECK(d.task == CLT_TASK_REGRESSION && d.Y && same(d.Y, Y3, 3));
    clt_dataset_free(&d);
}

static void test_fann_errors(void)
{
    clt_dataset d;
    CHECK_FAIL(parse("4 2\n1 2\n", "x.train", &d), &d, CLT_ERR_FORMAT, "x.train:1:",
               "header must be 'pairs inputs outputs'", "");
    CHECK_FAIL(parse("\n4 2 1.5\n1 2\n", "x.train", &d), &d, CLT_ERR_FORMAT, "x.train:2:",
               "header must be", "'4 2 1.5'");
    CHECK_FAIL(parse("0 2 1\n", "x.train", &d), &d, CLT_ERR_FORMAT, "x.train:1:",
               "positive", "");
    CHECK_FAIL(parse("3 2 1\n1 2\n1\n3 4\n0\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train: 3 pairs announced, file ends after 2", "", "");
    CHECK_FAIL(parse("3 2 1\n1 2\n1\n3 4\n0\n5\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train: 3 pairs announced, file ends after 2", "1 of 3", "");
    CHECK_FAIL(parse("1 2 1\n1 2\n1\n\n3\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train:5:", "more numbers than the 1 announced", "");
    CHECK_FAIL(parse("2 2 1\n1 2\n1\n3 x4\n0\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train:4:", "not a number", "'x4'");
    CHECK_FAIL(parse("2 2 1\n1 2\n1\n3 4\nnan\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train:5:", "NaN or infinite", "");
    CHECK_FAIL(parse("1 1 1\n1,5 1\n", "x.train", &d), &d, CLT_ERR_FORMAT, "x.train:2:",
               "not a number", "'1,5'");
    CHECK_FAIL(parse("99999999999999 99999999 1\n1 1\n", "x.train", &d), &d,
               CLT_ERR_FORMAT, "x.train:1:", "more numbers than a file can hold", "");
    CHECK_FAIL(parse("1 2 1\n1 \x7f 2\n", "x.train", &d), &d, CLT_ERR_FORMAT,
               "x.train:2:", "binary data at byte 8", "");
}

/* ------------------------------------------------------------------------ */
/* IDX                                                                       */
/* ------------------------------------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The images of the fixtures: 3 images of 2 x 2, labels 3 0 1. */
static size_t make_images(unsigned char *buf)
{
    static const unsigned char pix[] = { 0, 255, 51, 102, 255, 0, 0, 255, 10, 20, 30, 40 };
    put32(buf, 0x803);
    put32(buf + 4, 3);
    put32(buf + 8, 2);
    put32(buf + 12, 2);
    memcpy(buf + 16, pix, sizeof pix);
    return 16 + sizeof pix;
}

static size_t make_labels(unsigned char *buf)
{
    put32(buf, 0x801);
    put32(buf + 4, 3);
    buf[8] = 3;
    buf[9] = 0;
    buf[10] = 1;
    return 11;
}

/* gzip of src with zlib (window bits 15 + 16 ask for the gzip wrapper). */
static size_t gzip_bytes(const unsigned char *src, size_t n, unsigned char *dst, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (unsigned char *)src;
    z.avail_in = (unsigned)n;
    z.next_out = dst;
    z.avail_out = (unsigned)cap;
    int ret = deflate(&z, Z_FINISH);
    size_t out = z.total_out;
    deflateEnd(&z);
    return ret == Z_STREAM_END ? out : 0;
}

static void check_idx_values(const clt_dataset *d)
{
    CHECK(d->m == 3 && d->n_in == 4 && d->n_out == 4 && d->n_classes == 4);
    CHECK(d->task == CLT_TASK_MULTICLASS && !d->class_names);
    const double X[] = { 0, 1, 10 / 255.0, 1, 0, 20 / 255.0,
                         0.2, 0, 30 / 255.0, 0.4, 1, 40 / 255.0 };
    static const double Y[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0 };
    static const int labels[] = { 3, 0, 1 };
    CHECK(d->X && same(d->X, X, 12));
    CHECK(d->Y && same(d->Y, Y, 12));
    CHECK(d->labels && same_int(d->labels, labels, 3));
}

static void test_idx_ok(void)
{
    unsigned char img[64], lab[16], gz_img[256], gz_lab[256];
    size_t ni = make_images(img), nl = make_labels(lab);
    size_t gi = gzip_bytes(img, ni, gz_img, sizeof gz_img);
    size_t gl = gzip_bytes(lab, nl, gz_lab, sizeof gz_lab);
    CHECK(gi > 0 && gl > 0);
    clt_dataset d;

    CHECK_OK(clt_dataset_parse_idx(img, ni, "img", lab, nl, "lab", &d));
    check_idx_values(&d);
    clt_dataset_free(&d);
    CHECK_OK(clt_dataset_parse_idx(gz_img, gi, "img.gz", gz_lab, gl, "lab.gz", &d));
    check_idx_values(&d);
    clt_dataset_free(&d);
    char img_path[4096];
    snprintf(img_path, sizeof img_path, "%s", test_fixture("data/idx_images.gz"));
    CHECK_OK(clt_dataset_load_idx(img_path, test_fixture("data/idx_labels.idx"), &d));
    check_idx_values(&d);
    clt_dataset_free(&d);

    /* Two gzip members one after the other read as one stream. */
    unsigned char two[512];
    size_t g1 = gzip_bytes(img, 10, two, sizeof two);
    size_t g2 = gzip_bytes(img + 10, ni - 10, two + g1, sizeof two - g1);
    CHECK(g1 > 0 && g2 > 0);
    CHECK_OK(clt_dataset_parse_idx(two, g1 + g2, "two.gz", lab, nl, "lab", &d));
    check_idx_values(&d);
    clt_dataset_free(&d);

    /* All labels 0: still two classes (binary). */
    unsigned char zero[16];
    memcpy(zero, lab, nl);
    zero[8] = zero[9] = zero[10] = 0;
    CHECK_OK(clt_dataset_parse_idx(img, ni, "img", zero, nl, "lab", &d));
    CHECK(d.task == CLT_TASK_BINARY && d.n_classes == 2 && d.n_out == 1);
    clt_dataset_free(&d);
}

static void test_idx_errors(void)
{
    unsigned char img[64], lab[16], gz[256], bad[64];
    size_t ni = make_images(img), nl = make_labels(lab);
    clt_dataset d;

    CHECK_FAIL(clt_dataset_parse_idx(img, ni - 1, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "truncated", "ends at byte 27");
    memcpy(bad, img, ni);
    bad[ni] = 7;
    CHECK_FAIL(clt_dataset_parse_idx(bad, ni + 1, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "1 bytes after", "byte 28");
    CHECK_FAIL(clt_dataset_parse_idx(img, 10, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "byte 10", "16-byte IDX header");
    CHECK_FAIL(clt_dataset_parse_idx(img, 2, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "byte 2", "magic");
    CHECK_FAIL(clt_dataset_parse_idx(img, 0, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "empty", "");
    CHECK_FAIL(clt_dataset_parse_idx(img, ni, "img", lab, nl - 1, "lab", &d), &d,
               CLT_ERR_FORMAT, "lab:", "truncated", "ends at byte 10");
    CHECK_FAIL(clt_dataset_parse_idx(lab, nl, "img", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img:", "0x00000801", "images");
    CHECK_FAIL(clt_dataset_parse_idx(img, ni, "img", img, ni, "lab", &d), &d,
               CLT_ERR_FORMAT, "lab:", "0x00000803", "labels");
    memcpy(bad, "\x12\x34\x56\x78", 4);
    CHECK_FAIL(clt_dataset_parse_idx(bad, ni, "images.gz", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "images.gz:", "not gzip and not IDX", "0x12345678");
    size_t g = gzip_bytes(bad, ni, gz, sizeof gz);
    CHECK_FAIL(clt_dataset_parse_idx(gz, g, "images.gz", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "images.gz:", "gzip data that is not IDX", "0x12345678");

    /* Counts must agree. */
    memcpy(bad, lab, nl);
    put32(bad + 4, 2);
    CHECK_FAIL(clt_dataset_parse_idx(img, ni, "img", bad, nl - 1, "lab", &d), &d,
               CLT_ERR_FORMAT, "lab:", "2 labels for the 3 images", "img");

    /* Damaged gzip: cut short, corrupted, followed by junk. */
    g = gzip_bytes(img, ni, gz, sizeof gz);
    CHECK_FAIL(clt_dataset_parse_idx(gz, g - 5, "img.gz", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img.gz:", "ends early at byte", "");
    gz[3] = 0xff;   /* reserved flag bits */
    CHECK_FAIL(clt_dataset_parse_idx(gz, g, "img.gz", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img.gz:", "corrupt gzip data near byte", "");
    g = gzip_bytes(img, ni, gz, sizeof gz);
    gz[g] = 'x';
    CHECK_FAIL(clt_dataset_parse_idx(gz, g + 1, "img.gz", lab, nl, "lab", &d), &d,
               CLT_ERR_FORMAT, "img.gz:", "after the end of the gzip stream", "");

    CHECK_FAIL(clt_dataset_load_idx("/nonexistent/img", "/nonexistent/lab", &d), &d,
               CLT_ERR_IO, "/nonexistent/img", "cannot open", "");
}

/* ------------------------------------------------------------------------ */
/* The real data sets                                                        */
/* ------------------------------------------------------------------------ */

static int test_real_csv(void)
{
    const char *p = test_data_path("breast_cancer.csv");
    if (!p)
        return 0;
    clt_dataset d;
    CHECK_OK(clt_dataset_load(p, NULL, &d));
    static const char *const names[] = { "malignant", "benign" };
    CHECK(d.m == 569 && d.n_in == 30 && d.n_out == 1 && d.task == CLT_TASK_BINARY);
    CHECK(names_are(&d, names, 2));
    CHECK(d.labels && count_label(&d, 0) == 212 && count_label(&d, 1) == 357);
    CHECK(d.X && d.X[0] == 17.99 && d.X[569] == 10.38);   /* first row's features */
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("iris.csv"), NULL, &d));
    static const char *const iris[] = { "setosa", "versicolor", "virginica" };
    CHECK(d.m == 150 && d.n_in == 4 && d.n_out == 3 && d.task == CLT_TASK_MULTICLASS);
    CHECK(names_are(&d, iris, 3) && d.labels && count_label(&d, 2) == 50);
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("digits.csv"), NULL, &d));
    CHECK(d.m == 1797 && d.n_in == 64 && d.n_out == 10 && d.n_classes == 10);
    static const char *const digits[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
    CHECK(names_are(&d, digits, 10) && d.labels && count_label(&d, 0) == 178 &&
          count_label(&d, 8) == 174);
    clt_dataset_free(&d);
    return 1;
}

static void test_real_fann(void)
{
    clt_dataset d;
    CHECK_OK(clt_dataset_load(test_data_path("fann/mushroom.train"), NULL, &d));
    CHECK(d.m == 4062 && d.n_in == 125 && d.n_out == 2 && d.n_classes == 2);
    CHECK(d.task == CLT_TASK_MULTICLASS && d.labels);
    CHECK(d.labels && count_label(&d, 0) == 2078 && count_label(&d, 1) == 1984);
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("fann/building.train"), NULL, &d));
    CHECK(d.m == 2104 && d.n_in == 14 && d.n_out == 3 && d.task == CLT_TASK_REGRESSION);
    CHECK(!d.labels && d.n_classes == 0);
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("fann/xor.data"), NULL, &d));
    static const double Y[] = { 0, 1, 1, 0 };
    CHECK(d.m == 4 && d.n_in == 2 && d.task == CLT_TASK_BINARY && d.Y && same(d.Y, Y, 4));
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("fann/thyroid.train"), NULL, &d));
    CHECK(d.m == 3600 && d.n_out == 3 && d.task == CLT_TASK_MULTICLASS);
    CHECK(d.labels && count_label(&d, 0) == 89 && count_label(&d, 2) == 3319);
    clt_dataset_free(&d);

    CHECK_OK(clt_dataset_load(test_data_path("fann/parity8.train"), NULL, &d));
    CHECK(d.m == 256 && d.task == CLT_TASK_BINARY && d.labels && count_label(&d, 1) == 128);
    clt_dataset_free(&d);
}

static void test_real_idx(void)
{
    clt_dataset d;
    const char *img = test_data_path("mnist/t10k-images-idx3-ubyte.gz");
    char img_path[4096];
    snprintf(img_path, sizeof img_path, "%s", img ? img : "");
    CHECK_OK(clt_dataset_load_idx(img_path, test_data_path("mnist/t10k-labels-idx1-ubyte.gz"),
                                  &d));
    static const int counts[] = { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 };
    CHECK(d.m == 10000 && d.n_in == 784 && d.n_out == 10 && d.n_classes == 10);
    CHECK(d.task == CLT_TASK_MULTICLASS && d.labels);
    for (int c = 0; c < 10 && d.labels; c++)
        CHECK(count_label(&d, c) == counts[c]);
    double lo = 1, hi = 0;
    for (size_t k = 0; d.X && k < (size_t)d.m * 784; k++) {
        lo = d.X[k] < lo ? d.X[k] : lo;
        hi = d.X[k] > hi ? d.X[k] : hi;
    }
    CHECK(lo == 0 && hi == 1);
    clt_dataset_free(&d);

    /* The full Fashion-MNIST training set, only when asked (376 MB of X). */
    if (!getenv("CLTRAIN_TEST_BIG"))
        return;
    img = test_data_path("mnist/fashion/train-images-idx3-ubyte.gz");
    snprintf(img_path, sizeof img_path, "%s", img ? img : "");
    CHECK_OK(clt_dataset_load_idx(img_path,
                                  test_data_path("mnist/fashion/train-labels-idx1-ubyte.gz"),
                                  &d));
    CHECK(d.m == 60000 && d.n_in == 784 && d.n_classes == 10);
    for (int c = 0; c < 10 && d.labels; c++)
        CHECK(count_label(&d, c) == 6000);
    clt_dataset_free(&d);
}

int main(void)
{
    test_csv_header();
    test_csv_sklearn_header();
    test_csv_crlf_blank_no_final_newline();
    test_csv_string_labels();
    test_csv_integer_labels();
    test_csv_regression();
    test_csv_label_column();
    test_csv_errors();
    test_fann_xor();
    test_fann_onehot();
    test_fann_regression();
    test_fann_errors();
    test_idx_ok();
    test_idx_errors();
    if (test_real_csv()) {
        test_real_fann();
        test_real_idx();
    } else {
        printf("note: CLTRAIN_DATA not set or lacks the data sets; real-data checks skipped\n");
    }
    return test_verdict("test_data");
}
