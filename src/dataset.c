/* dataset.c - the front door of the data readers: reading a file whole,
 * telling FANN from CSV by content, freeing a data set, and the small helpers
 * the readers share (numbers in fields, binary-data check, class targets).
 *
 * Left out on purpose: guessing a format from the file name, streaming (files
 * are read whole; the largest supported set, Fashion-MNIST, is 47 MB), and
 * any encoding other than ASCII/UTF-8 text (a UTF-8 byte-order mark is
 * skipped, other bytes >= 0x80 are passed through as they are). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                            */
/* ------------------------------------------------------------------------ */

int data_nomem(const char *name, const char *what)
{
    return clt_fail(CLT_ERR_NOMEM, "%s: out of memory (%s)", name, what);
}

void *data_alloc_array(size_t n, size_t size, int zero)
{
    if (n == 0)
        n = 1;
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return zero ? calloc(n, size) : malloc(n * size);
}

int data_read_file(const char *path, char **buf, size_t *size)
{
    *buf = NULL;
    *size = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return clt_fail(CLT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));

    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    while (data) {
        len += fread(data + len, 1, cap - 1 - len, fp);
        if (len < cap - 1)
            break;
        char *bigger = cap <= SIZE_MAX / 2 ? realloc(data, cap * 2) : NULL;
        if (!bigger) {
            free(data);
            data = NULL;
            break;
        }
        data = bigger;
        cap *= 2;
    }
    int failed = ferror(fp);
    int err = errno;
    fclose(fp);
    if (!data)
        return data_nomem(path, "reading the file");
    if (failed) {
        free(data);
        return clt_fail(CLT_ERR_IO, "%s: read error: %s", path, strerror(err));
    }
    data[len] = '\0';
    *buf = data;
    *size = len;
    return CLT_OK;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int data_number(const char *s, size_t len, double *v)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    if (len == 0)
        return DATA_NUM_BAD;

    /* clt_strtod wants a terminated string: copy the field out. */
    char small[128];
    char *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy)
        return DATA_NUM_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    char *end = copy;
    double x = clt_strtod(copy, &end);
    int whole = end == copy + len;
    if (copy != small)
        free(copy);
    if (!whole)
        return DATA_NUM_BAD;
    *v = x;
    return isfinite(x) ? DATA_NUM_OK : DATA_NUM_NONFINITE;
}

void data_excerpt(char *dst, size_t dst_size, const char *s, size_t len)
{
    const size_t max = 40;
    if (len > max)
        snprintf(dst, dst_size, "%.*s...", (int)max, s);
    else
        snprintf(dst, dst_size, "%.*s", (int)len, s);
}

int data_check_text(const char *buf, size_t size, const char *name)
{
    long line = 1;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') {
            line++;
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            return clt_fail(CLT_ERR_FORMAT, "%s:%ld: binary data at byte %zu (0x%02x)",
                            name, line, i, c);
    }
    return CLT_OK;
}

int data_set_classes(clt_dataset *d, int *cls, int n_classes, const char *name)
{
    size_t m = (size_t)d->m;
    int n_out = n_classes == 2 ? 1 : n_classes;
    double *Y = NULL;
    if ((size_t)n_out <= SIZE_MAX / sizeof(double) / (m ? m : 1))
        Y = data_alloc_array((size_t)n_out * m, sizeof(double), 1);
    if (!Y) {
        free(cls);
        return data_nomem(name, "targets");
    }
    for (size_t j = 0; j < m; j++) {
        if (n_classes == 2)
            Y[j] = cls[j];
        else
            Y[(size_t)cls[j] * m + j] = 1.0;
    }
    d->Y = Y;
    d->labels = cls;
    d->n_out = n_out;
    d->n_classes = n_classes;
    d->task = n_classes == 2 ? CLT_TASK_BINARY : CLT_TASK_MULTICLASS;
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */
/* ------------------------------------------------------------------------ */

/* FANN when the first non-blank line has no comma and at least two
 * blank-separated tokens (a FANN header, maybe a malformed one, which the
 * FANN reader then reports); CSV otherwise. */
static int looks_like_fann(const char *buf, size_t size)
{
    size_t i = 0;
    while (i < size) {
        size_t end = i;
        while (end < size && buf[end] != '\n')
            end++;
        int tokens = 0, in_token = 0, comma = 0;
        for (size_t k = i; k < end; k++) {
            char c = buf[k];
            int space = is_blank(c) || c == '\r';
            comma |= c == ',';
            tokens += !space && !in_token;
            in_token = !space;
        }
        if (tokens > 0)
            return !comma && tokens >= 2;
        i = end + 1;
    }
    return 0;
}

static int all_blank(const char *buf, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (!is_blank(buf[i]) && buf[i] != '\r' && buf[i] != '\n')
            return 0;
    return 1;
}

/* Parses text whose buffer the caller owns. */
static int parse_text(const char *buf, size_t size, const char *name,
                      const clt_load_options *opt, clt_dataset *out)
{
    int st = data_check_text(buf, size, name);
    if (st)
        return st;
    if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        size -= 3;
    }
    if (all_blank(buf, size))
        return clt_fail(CLT_ERR_FORMAT, "%s: empty file", name);
    if (looks_like_fann(buf, size))
        return data_parse_fann(buf, size, name, out);
    return data_parse_csv(buf, size, name, opt, out);
}

int clt_dataset_parse(const char *buf, size_t size, const char *name,
                      const clt_load_options *opt, clt_dataset *out)
{
    if (!out)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_parse: out is NULL");
    memset(out, 0, sizeof *out);
    if (!name)
        name = "<memory>";
    if (!buf && size > 0)
        return clt_fail(CLT_ERR_ARG, "%s: NULL buffer of %zu bytes", name, size);
    if (size == 0)
        return clt_fail(CLT_ERR_FORMAT, "%s: empty file", name);
    int st = parse_text(buf, size, name, opt, out);
    if (st)
        memset(out, 0, sizeof *out);
    return st;
}

int clt_dataset_load(const char *path, const clt_load_options *opt, clt_dataset *out)
{
    if (!out)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_load: out is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_load: path is NULL");
    char *buf;
    size_t size;
    int st = data_read_file(path, &buf, &size);
    if (st)
        return st;
    st = clt_dataset_parse(buf, size, path, opt, out);
    free(buf);
    return st;
}

void clt_dataset_free(clt_dataset *d)
{
    if (!d)
        return;
    free(d->X);
    free(d->Y);
    free(d->labels);
    if (d->class_names) {
        for (int c = 0; c < d->n_classes; c++)
            free(d->class_names[c]);
        free(d->class_names);
    }
    memset(d, 0, sizeof *d);
}
