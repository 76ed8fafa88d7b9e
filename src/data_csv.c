/* data_csv.c - reads comma-separated data sets: numeric feature columns and
 * one label column, with an optional header line (column names, or
 * scikit-learn's "n_samples,n_features,class names..." line).  The label
 * column decides the task: integer or text labels are classes, other numbers
 * are a regression target.
 *
 * Left out on purpose: quoting and escaped commas (fields are split at every
 * comma), separators other than the comma, missing values (an empty or
 * non-numeric feature is an error, never a zero), several target columns, and
 * old Mac line ends (a lone CR inside a line is an error). */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"

typedef struct span {
    const char *s;
    size_t len;
} span;

typedef struct csv_line {
    span text;
    long lineno;
} csv_line;

typedef struct csv_reader {
    const char *name;
    csv_line *lines;      /* non-blank lines */
    size_t n_lines;
    int header;           /* lines[0] is a header */
    int n_fields;         /* fields per data line */
    int label;            /* label column, 0-based */
    span *fields;         /* scratch: one line's fields */
    span *header_names;   /* scikit-learn class names (into the buffer) */
    int n_header_names;
} csv_reader;

static span trim(span f)
{
    while (f.len > 0 && (f.s[0] == ' ' || f.s[0] == '\t')) {
        f.s++;
        f.len--;
    }
    while (f.len > 0 && (f.s[f.len - 1] == ' ' || f.s[f.len - 1] == '\t'))
        f.len--;
    return f;
}

/* Splits the buffer into its non-blank lines, LF or CRLF ended. */
static int split_lines(csv_reader *r, const char *buf, size_t size)
{
    size_t cap = 1;
    for (size_t i = 0; i < size; i++)
        cap += buf[i] == '\n';
    r->lines = data_alloc_array(cap, sizeof *r->lines, 0);
    if (!r->lines)
        return data_nomem(r->name, "line table");

    long lineno = 0;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(buf + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - buf) : size;
        span t = { buf + i, end - i };
        lineno++;
        i = end + 1;
        if (t.len > 0 && t.s[t.len - 1] == '\r')
            t.len--;
        if (memchr(t.s, '\r', t.len))
            return clt_fail(CLT_ERR_FORMAT, "%s:%ld: carriage return inside a line",
                            r->name, lineno);
        if (trim(t).len > 0)
            r->lines[r->n_lines++] = (csv_line){ t, lineno };
    }
    return CLT_OK;
}

static int count_fields(span line)
{
    long n = 1;
    for (size_t i = 0; i < line.len; i++)
        n += line.s[i] == ',';
    return n > 1000000000L ? 1000000000 : (int)n;
}

/* Splits a line into r->fields (room for r->n_fields); returns the count. */
static int split_fields(const csv_reader *r, span line)
{
    int n = 0;
    const char *p = line.s, *end = line.s + line.len;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (n < r->n_fields)
            r->fields[n] = trim((span){ p, (size_t)(stop - p) });
        n += n < 1000000000;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

static int is_number(span f)
{
    double v;
    return data_number(f.s, f.len, &v) == DATA_NUM_OK;
}

static int resolve_label(csv_reader *r, const clt_load_options *opt, long lineno)
{
    int want = opt ? opt->label_col : -1;
    int64_t col = want < 0 ? (int64_t)r->n_fields + want : want;
    if (col < 0 || col >= r->n_fields)
        return clt_fail(CLT_ERR_ARG, "%s:%ld: label column %d does not exist (lines have %d "
                        "fields)", r->name, lineno, want, r->n_fields);
    r->label = (int)col;
    return CLT_OK;
}

/* A first line is a header when its field count differs from the second
 * line's, when a feature field is not a number, or when its label is text
 * while the second line's label is a number.
 * Known limitation: a first data line holding NaN, Inf or NA is taken for a
 * header (and skipped) rather than refused as it is on any later line. */
static int decide_header(csv_reader *r, const clt_load_options *opt)
{
    span first = r->lines[0].text;
    int nf0 = count_fields(first);
    int nf1 = r->n_lines > 1 ? count_fields(r->lines[1].text) : nf0;
    r->n_fields = nf1;
    if (nf1 < 2)
        return clt_fail(CLT_ERR_FORMAT, "%s:%ld: need at least 2 fields (features and a "
                        "label), found %d", r->name, r->lines[r->n_lines > 1].lineno, nf1);
    r->fields = data_alloc_array((size_t)nf1, sizeof *r->fields, 0);
    if (!r->fields)
        return data_nomem(r->name, "fields");
    int st = resolve_label(r, opt, r->lines[0].lineno);
    if (st)
        return st;
    if (nf0 != nf1) {
        r->header = 1;
        return CLT_OK;
    }
    split_fields(r, first);
    for (int k = 0; k < nf0; k++)
        if (k != r->label && !is_number(r->fields[k]))
            r->header = 1;
    if (!r->header && r->n_lines > 1 && !is_number(r->fields[r->label])) {
        split_fields(r, r->lines[1].text);
        r->header = is_number(r->fields[r->label]);
    }
    return CLT_OK;
}

static int parse_count(span f, int64_t *v)
{
    if (f.len == 0 || f.len > 15)
        return 0;
    int64_t x = 0;
    for (size_t i = 0; i < f.len; i++) {
        if (f.s[i] < '0' || f.s[i] > '9')
            return 0;
        x = x * 10 + (f.s[i] - '0');
    }
    *v = x;
    return 1;
}

/* scikit-learn's header: "n_samples,n_features,name0,name1,...".  Its
 * class names are kept when the counts match the file.  When they do not, a
 * header shaped unlike the data lines is an error (a cut or padded file); one
 * of the data lines' shape is taken for plain column names. */
static int read_sklearn_header(csv_reader *r)
{
    span line = r->lines[0].text;
    int nf0 = count_fields(line);
    if (!r->header || nf0 < 2)
        return CLT_OK;
    span *names = data_alloc_array((size_t)nf0, sizeof *names, 0);
    if (!names)
        return data_nomem(r->name, "header");
    const char *p = line.s, *end = line.s + line.len;
    for (int k = 0; k < nf0; k++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        names[k] = trim((span){ p, (size_t)(stop - p) });
        p = comma ? comma + 1 : end;
    }
    int64_t m = (int64_t)(r->n_lines - 1), n_in = r->n_fields - 1, am, an;
    int counts = parse_count(names[0], &am) && parse_count(names[1], &an);
    if (counts && (am != m || an != n_in) && nf0 != r->n_fields) {
        free(names);
        return clt_fail(CLT_ERR_FORMAT, "%s:%ld: header announces %lld samples of %lld "
                        "features, the file has %lld of %lld", r->name, r->lines[0].lineno,
                        (long long)am, (long long)an, (long long)m, (long long)n_in);
    }
    if (!counts || am != m || an != n_in) {
        free(names);
        return CLT_OK;
    }
    r->header_names = names;
    r->n_header_names = nf0 - 2;
    return CLT_OK;
}

/* Reads every data line's features into X (feature-major). */
static int read_features(csv_reader *r, clt_dataset *d, span *labels)
{
    size_t m = (size_t)d->m;
    if ((size_t)d->n_in > SIZE_MAX / sizeof(double) / m)
        return data_nomem(r->name, "features");
    d->X = data_alloc_array((size_t)d->n_in * m, sizeof(double), 0);
    if (!d->X)
        return data_nomem(r->name, "features");
    for (size_t j = 0; j < m; j++) {
        const csv_line *line = &r->lines[(size_t)r->header + j];
        int n = split_fields(r, line->text);
        if (n != r->n_fields)
            return clt_fail(CLT_ERR_FORMAT, "%s:%ld: expected %d fields, found %d", r->name,
                            line->lineno, r->n_fields, n);
        for (int k = 0, i = 0; k < n; k++) {
            if (k == r->label) {
                labels[j] = r->fields[k];
                continue;
            }
            span f = r->fields[k];
            double v = 0;
            int got = data_number(f.s, f.len, &v);
            if (got == DATA_NUM_NOMEM)
                return data_nomem(r->name, "number");
            if (got != DATA_NUM_OK) {
                char ex[64];
                data_excerpt(ex, sizeof ex, f.s, f.len);
                return clt_fail(CLT_ERR_FORMAT, "%s:%ld: field %d is %s: '%s'", r->name,
                                line->lineno, k + 1,
                                got == DATA_NUM_BAD ? "not a number" : "NaN or infinite", ex);
            }
            d->X[(size_t)i++ * m + j] = v;
        }
    }
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Labels                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct label_key {
    span text;
    double value;
    size_t row;
} label_key;

static int cmp_value(const void *a, const void *b)
{
    double x = ((const label_key *)a)->value, y = ((const label_key *)b)->value;
    return (x > y) - (x < y);
}

static int cmp_text(const void *a, const void *b)
{
    span x = ((const label_key *)a)->text, y = ((const label_key *)b)->text;
    int c = memcmp(x.s, y.s, x.len < y.len ? x.len : y.len);
    return c ? c : (x.len > y.len) - (x.len < y.len);
}

static int same_class(const label_key *a, const label_key *b, int numeric)
{
    return numeric ? a->value == b->value : cmp_text(a, b) == 0;
}

static char *dup_span(span t)
{
    char *s = malloc(t.len + 1);
    if (s) {
        memcpy(s, t.s, t.len);
        s[t.len] = '\0';
    }
    return s;
}

/* Copies n names into d->class_names. */
static int set_names(clt_dataset *d, const span *names, int n, const char *name)
{
    d->class_names = calloc((size_t)n, sizeof *d->class_names);
    if (!d->class_names)
        return data_nomem(name, "class names");
    d->n_classes = n;   /* so that clt_dataset_free frees what was copied */
    for (int c = 0; c < n; c++)
        if (!(d->class_names[c] = dup_span(names[c])))
            return data_nomem(name, "class names");
    return CLT_OK;
}

/* Integer labels name their classes by value ("0", "7", "-1"), written the
 * same way whatever the file wrote ("1.0" and "1" are one class, "1"), so a
 * model and a later file that holds only some of the classes agree. */
static int set_number_names(clt_dataset *d, const label_key *sorted, size_t m, int n,
                            const char *name)
{
    d->class_names = calloc((size_t)n, sizeof *d->class_names);
    if (!d->class_names)
        return data_nomem(name, "class names");
    d->n_classes = n;
    int c = 0;
    for (size_t k = 0; k < m && c < n; k++) {
        if (k > 0 && sorted[k].value == sorted[k - 1].value)
            continue;
        char text[32];
        snprintf(text, sizeof text, "%.0f", sorted[k].value);
        if (!(d->class_names[c++] = strdup(text)))
            return data_nomem(name, "class names");
    }
    return CLT_OK;
}

/* A scikit-learn header names the classes 0, 1, 2, ... in order: its names
 * apply when every label is one of those integers (a file may hold only
 * some of the classes, as a test part often does). */
static int header_names_fit(const csv_reader *r, const label_key *sorted, size_t m)
{
    for (size_t k = 0; k < m; k++) {
        double v = sorted[k].value;
        if (v < 0 || v >= r->n_header_names || v != floor(v))
            return 0;
    }
    return 1;
}

/* Each class takes the header's name for its label value. */
static int set_header_names(clt_dataset *d, const csv_reader *r, const label_key *sorted,
                            size_t m, int n)
{
    d->class_names = calloc((size_t)n, sizeof *d->class_names);
    if (!d->class_names)
        return data_nomem(r->name, "class names");
    d->n_classes = n;
    int c = 0;
    for (size_t k = 0; k < m && c < n; k++) {
        if (k > 0 && sorted[k].value == sorted[k - 1].value)
            continue;
        if (!(d->class_names[c++] = dup_span(r->header_names[2 + (int)sorted[k].value])))
            return data_nomem(r->name, "class names");
    }
    return CLT_OK;
}

/* Sorted keys -> class index per row and one name per class. */
static int number_classes(csv_reader *r, clt_dataset *d, label_key *keys, int numeric)
{
    size_t m = (size_t)d->m;
    qsort(keys, m, sizeof *keys, numeric ? cmp_value : cmp_text);
    int *cls = data_alloc_array(m, sizeof *cls, 0);
    span *names = data_alloc_array(m, sizeof *names, 0);
    if (!cls || !names) {
        free(cls);
        free(names);
        return data_nomem(r->name, "labels");
    }
    int n = 0;
    for (size_t k = 0; k < m; k++) {
        if (k == 0 || !same_class(&keys[k - 1], &keys[k], numeric))
            names[n++] = keys[k].text;
        cls[keys[k].row] = n - 1;
        if (n > DATA_MAX_CLASSES)
            break;
    }
    int st = CLT_OK;
    char ex[64];
    data_excerpt(ex, sizeof ex, names[0].s, names[0].len);
    if (n < 2)
        st = clt_fail(CLT_ERR_FORMAT, "%s: every label in column %d is '%s': cannot train a "
                      "classifier on one class", r->name, r->label + 1, ex);
    else if (n > DATA_MAX_CLASSES)
        st = clt_fail(CLT_ERR_FORMAT, "%s: the label column %d holds more than %d distinct "
                      "labels: too many classes", r->name, r->label + 1, DATA_MAX_CLASSES);
    if (!st && !numeric)
        st = set_names(d, names, n, r->name);
    else if (!st && r->header_names && header_names_fit(r, keys, m))
        st = set_header_names(d, r, keys, m, n);
    else if (!st)
        st = set_number_names(d, keys, m, n, r->name);
    free(names);
    if (st) {
        free(cls);
        return st;
    }
    return data_set_classes(d, cls, n, r->name);
}

/* Integer or text labels are classes; other numbers are a regression target. */
static int read_labels(csv_reader *r, clt_dataset *d, const span *labels)
{
    size_t m = (size_t)d->m;
    label_key *keys = data_alloc_array(m, sizeof *keys, 0);
    if (!keys)
        return data_nomem(r->name, "labels");
    int numeric = 1, integer = 1, st = CLT_OK;
    for (size_t j = 0; j < m && !st; j++) {
        long lineno = r->lines[(size_t)r->header + j].lineno;
        keys[j] = (label_key){ labels[j], 0, j };
        int got = labels[j].len ? data_number(labels[j].s, labels[j].len, &keys[j].value)
                                : DATA_NUM_BAD;
        if (labels[j].len == 0)
            st = clt_fail(CLT_ERR_FORMAT, "%s:%ld: the label (field %d) is empty", r->name,
                          lineno, r->label + 1);
        else if (got == DATA_NUM_NOMEM)
            st = data_nomem(r->name, "number");
        else if (got == DATA_NUM_NONFINITE)
            st = clt_fail(CLT_ERR_FORMAT, "%s:%ld: the label (field %d) is NaN or infinite: "
                          "'%.*s'", r->name, lineno, r->label + 1,
                          labels[j].len > 40 ? 40 : (int)labels[j].len, labels[j].s);
        numeric &= got == DATA_NUM_OK;
        integer &= got == DATA_NUM_OK && keys[j].value == floor(keys[j].value)
                   && fabs(keys[j].value) <= 9007199254740992.0;
    }
    if (!st && numeric && !integer) {
        d->Y = data_alloc_array(m, sizeof(double), 0);
        if (!d->Y)
            st = data_nomem(r->name, "targets");
        for (size_t j = 0; !st && j < m; j++)
            d->Y[j] = keys[j].value;
        d->n_out = 1;
        d->task = CLT_TASK_REGRESSION;
    } else if (!st) {
        st = number_classes(r, d, keys, numeric);
    }
    free(keys);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Entry                                                                     */
/* ------------------------------------------------------------------------ */

static int read_csv(csv_reader *r, const char *buf, size_t size,
                    const clt_load_options *opt, clt_dataset *d)
{
    int st = split_lines(r, buf, size);
    if (!st && r->n_lines == 0)
        st = clt_fail(CLT_ERR_FORMAT, "%s: empty file", r->name);
    if (!st)
        st = decide_header(r, opt);
    if (!st && r->n_lines <= (size_t)r->header)
        st = clt_fail(CLT_ERR_FORMAT, "%s:%ld: no data lines after the header", r->name,
                      r->lines[0].lineno);
    if (!st)
        st = read_sklearn_header(r);
    if (st)
        return st;

    d->m = (int64_t)(r->n_lines - (size_t)r->header);
    d->n_in = r->n_fields - 1;
    span *labels = data_alloc_array((size_t)d->m, sizeof *labels, 0);
    if (!labels)
        return data_nomem(r->name, "labels");
    st = read_features(r, d, labels);
    if (!st)
        st = read_labels(r, d, labels);
    free(labels);
    return st;
}

int data_parse_csv(const char *buf, size_t size, const char *name,
                   const clt_load_options *opt, clt_dataset *out)
{
    csv_reader r = { .name = name };
    clt_dataset d = { 0 };
    int st = read_csv(&r, buf, size, opt, &d);
    free(r.lines);
    free(r.fields);
    free(r.header_names);
    if (st) {
        clt_dataset_free(&d);
        return st;
    }
    *out = d;
    return CLT_OK;
}
