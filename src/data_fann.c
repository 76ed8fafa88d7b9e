/* data_fann.c - reads FANN training files: a header line "pairs inputs
 * outputs", then for each pair its input numbers and its output numbers.
 * The numbers may be laid out in any whitespace (FANN's own files end each
 * line with a space); only their count matters.  The targets decide the task:
 * two levels (0/1, or FANN's symmetric -1/+1, mapped to 0/1) in one output
 * are a binary task, one-hot rows over several outputs are a multi-class task,
 * anything else is regression with the values kept as they are.
 *
 * Left out on purpose: FANN's other file kinds (networks, scaling
 * parameters), comments, and any repair of a short or long file: the count of
 * numbers must be exactly pairs * (inputs + outputs). */
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"

typedef struct fann_reader {
    const char *name;
    const char *buf;
    size_t size;
    size_t pos;      /* next byte to look at */
    long line;       /* line of buf[pos] */
} fann_reader;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next whitespace-separated token at or after r->pos; 0 at the end.
 * *line is the token's line. */
static int next_token(fann_reader *r, const char **tok, size_t *len, long *line)
{
    while (r->pos < r->size && is_space(r->buf[r->pos]))
        r->line += r->buf[r->pos++] == '\n';
    if (r->pos >= r->size)
        return 0;
    size_t start = r->pos;
    while (r->pos < r->size && !is_space(r->buf[r->pos]))
        r->pos++;
    *tok = r->buf + start;
    *len = r->pos - start;
    *line = r->line;
    return 1;
}

/* An unsigned decimal integer of at most 15 digits. */
static int parse_count(const char *s, size_t len, int64_t *v)
{
    if (len == 0 || len > 15)
        return 0;
    int64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

/* Reads the first non-blank line as the header and leaves r->pos after it. */
static int read_header(fann_reader *r, int64_t *pairs, int64_t *n_in, int64_t *n_out)
{
    while (r->pos < r->size && is_space(r->buf[r->pos]))
        r->line += r->buf[r->pos++] == '\n';
    long line = r->line;
    const char *start = r->buf + r->pos;
    const char *nl = memchr(start, '\n', r->size - r->pos);
    size_t len = nl ? (size_t)(nl - start) : r->size - r->pos;

    fann_reader h = { r->name, start, len, 0, line };
    int64_t v[3];
    int n = 0, ok = 1;
    const char *tok;
    size_t tlen;
    long tline;
    while (next_token(&h, &tok, &tlen, &tline)) {
        ok &= n < 3 && parse_count(tok, tlen, &v[n < 3 ? n : 0]);
        n++;
    }
    char ex[64];
    data_excerpt(ex, sizeof ex, start, len && start[len - 1] == '\r' ? len - 1 : len);
    if (!ok || n != 3)
        return clt_fail(CLT_ERR_FORMAT, "%s:%ld: header must be 'pairs inputs outputs' "
                        "(3 whole numbers), found '%s' (a first line without commas is read "
                        "as FANN)", r->name, line, ex);
    if (v[0] == 0 || v[1] == 0 || v[2] == 0)
        return clt_fail(CLT_ERR_FORMAT, "%s:%ld: pairs, inputs and outputs must all be "
                        "positive, found '%s'", r->name, line, ex);
    if (v[1] > 1000000000 || v[2] > 1000000000
        || v[0] > INT64_MAX / 4 / (v[1] + v[2]))
        return clt_fail(CLT_ERR_FORMAT, "%s:%ld: header announces more numbers than a file "
                        "can hold: '%s'", r->name, line, ex);
    *pairs = v[0];
    *n_in = v[1];
    *n_out = v[2];
    r->pos += len;
    return CLT_OK;
}

/* Checks that exactly `need` numbers follow the header, without reading them. */
static int count_numbers(fann_reader r, int64_t pairs, int64_t per_pair)
{
    int64_t need = pairs * per_pair, have = 0;
    const char *tok;
    size_t len;
    long line;
    while (next_token(&r, &tok, &len, &line)) {
        if (have == need)
            return clt_fail(CLT_ERR_FORMAT, "%s:%ld: more numbers than the %lld announced "
                            "pairs hold", r.name, line, (long long)pairs);
        have++;
    }
    if (have < need) {
        int64_t whole = have / per_pair, part = have % per_pair;
        if (part)
            return clt_fail(CLT_ERR_FORMAT, "%s: %lld pairs announced, file ends after %lld "
                            "and %lld of %lld numbers of the next", r.name, (long long)pairs,
                            (long long)whole, (long long)part, (long long)per_pair);
        return clt_fail(CLT_ERR_FORMAT, "%s: %lld pairs announced, file ends after %lld",
                        r.name, (long long)pairs, (long long)whole);
    }
    return CLT_OK;
}

/* Reads every pair: inputs into X, outputs into Y, both feature-major. */
static int read_numbers(fann_reader *r, clt_dataset *d)
{
    size_t m = (size_t)d->m;
    d->X = data_alloc_array((size_t)d->n_in * m, sizeof(double), 0);
    d->Y = data_alloc_array((size_t)d->n_out * m, sizeof(double), 0);
    if (!d->X || !d->Y)
        return data_nomem(r->name, "data");
    int per_pair = d->n_in + d->n_out;
    for (size_t j = 0; j < m; j++) {
        for (int k = 0; k < per_pair; k++) {
            const char *tok = NULL;
            size_t len = 0;
            long line = 0;
            double v = 0;
            next_token(r, &tok, &len, &line);    /* counted before: present */
            int got = data_number(tok, len, &v);
            if (got == DATA_NUM_NOMEM)
                return data_nomem(r->name, "number");
            if (got != DATA_NUM_OK) {
                char ex[64];
                data_excerpt(ex, sizeof ex, tok, len);
                return clt_fail(CLT_ERR_FORMAT, "%s:%ld: %s: '%s'", r->name, line,
                                got == DATA_NUM_BAD ? "not a number" : "NaN or infinite", ex);
            }
            if (k < d->n_in)
                d->X[(size_t)k * m + j] = v;
            else
                d->Y[(size_t)(k - d->n_in) * m + j] = v;
        }
    }
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Targets                                                                   */
/* ------------------------------------------------------------------------ */

/* 1 when every target is 0 or 1, 2 when every one is -1 or +1, else 0. */
static int two_levels(const clt_dataset *d)
{
    size_t n = (size_t)d->n_out * (size_t)d->m;
    int zero = 0, minus = 0;
    for (size_t k = 0; k < n; k++) {
        double y = d->Y[k];
        if (y != 0 && y != 1 && y != -1)
            return 0;
        zero |= y == 0;
        minus |= y == -1;
    }
    if (zero && minus)
        return 0;
    return minus ? 2 : 1;
}

/* *out = class index per row when every row is one-hot (or 0/1 for one
 * output), else NULL.  Y must already be 0/1. */
static int class_of_rows(const clt_dataset *d, const char *name, int **out)
{
    size_t m = (size_t)d->m;
    int *cls = data_alloc_array(m, sizeof *cls, 0);
    *out = NULL;
    if (!cls)
        return data_nomem(name, "labels");
    for (size_t j = 0; j < m; j++) {
        if (d->n_out == 1) {
            cls[j] = d->Y[j] == 1;
            continue;
        }
        int ones = 0;
        for (int o = 0; o < d->n_out; o++) {
            if (d->Y[(size_t)o * m + j] == 1) {
                cls[j] = o;
                ones++;
            }
        }
        if (ones != 1) {
            free(cls);
            return CLT_OK;
        }
    }
    *out = cls;
    return CLT_OK;
}

static int classify(clt_dataset *d, const char *name)
{
    size_t n = (size_t)d->n_out * (size_t)d->m;
    int kind = two_levels(d);
    d->task = CLT_TASK_REGRESSION;
    if (!kind)
        return CLT_OK;

    double *mapped = data_alloc_array(n, sizeof(double), 0);
    if (!mapped)
        return data_nomem(name, "targets");
    for (size_t k = 0; k < n; k++)
        mapped[k] = kind == 2 ? (d->Y[k] + 1) / 2 : d->Y[k];
    double *raw = d->Y;
    d->Y = mapped;
    int *cls;
    int st = class_of_rows(d, name, &cls);
    if (st || !cls) {
        /* Not one-hot: regression on the values as given. */
        d->Y = raw;
        free(mapped);
        return st;
    }
    free(raw);
    d->labels = cls;
    d->n_classes = d->n_out == 1 ? 2 : d->n_out;
    d->task = d->n_out == 1 ? CLT_TASK_BINARY : CLT_TASK_MULTICLASS;
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Entry                                                                     */
/* ------------------------------------------------------------------------ */

static int read_fann(fann_reader *r, clt_dataset *d)
{
    int64_t pairs = 0, n_in = 0, n_out = 0;
    int st = read_header(r, &pairs, &n_in, &n_out);
    if (!st)
        st = count_numbers(*r, pairs, n_in + n_out);
    if (st)
        return st;
    d->m = pairs;
    d->n_in = (int)n_in;
    d->n_out = (int)n_out;
    st = read_numbers(r, d);
    if (!st)
        st = classify(d, r->name);
    return st;
}

int data_parse_fann(const char *buf, size_t size, const char *name, clt_dataset *out)
{
    fann_reader r = { name, buf, size, 0, 1 };
    clt_dataset d = { 0 };
    int st = read_fann(&r, &d);
    if (st) {
        clt_dataset_free(&d);
        return st;
    }
    *out = d;
    return CLT_OK;
}
