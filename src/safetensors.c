/* safetensors.c - reads and writes the safetensors format: an 8-byte
 * little-endian header length N, N bytes of JSON describing each tensor
 * ({"name":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},...} and an
 * optional "__metadata__" object of strings), then the tensors' raw
 * little-endian bytes.
 *
 * The reader is strict and bounds-checked throughout, fit to be fed any bytes:
 * its JSON parser knows only the shapes this header can take (objects,
 * strings with every escape, non-negative integers, arrays of them) and
 * checks UTF-8; every tensor must be F32 or F64 with at most 4 dimensions,
 * its byte span must match its shape, and the spans must tile the data area
 * exactly (no overlaps, no holes, nothing after the last one), as the format's
 * description demands.
 *
 * Left out on purpose: every other dtype (BF16, F16, integers, ...), memory
 * mapping (files are read whole; the models here are small), numbers written
 * with fractions or exponents, and JSON values the format never uses (true,
 * false, null).  Tensor names and metadata keys must fit clt_tensor's and
 * clt_meta's 64-byte fields and may not hold control characters.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

#define ST_MAX_HEADER 100000000u   /* as the reference implementation: 100 MB */
#define ST_MAX_DIMS 4
#define ST_NAME_SIZE 64            /* clt_tensor.name and clt_meta.key */
#define META_KEY "__metadata__"

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */
/* ------------------------------------------------------------------------ */

static int host_is_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* Reverses the bytes of each of count elements of size bytes, in place. */
static void swap_elements(unsigned char *p, size_t count, size_t size)
{
    for (size_t i = 0; i < count; i++, p += size) {
        for (size_t a = 0, b = size - 1; a < b; a++, b--) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
    }
}

static size_t dtype_size(clt_dtype d)
{
    return d == CLT_F64 ? 8 : 4;
}

/* Length (1..4) of the valid UTF-8 sequence at s, 0 if it is not one:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_length(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    if (c < 0x80)
        return 1;
    if (c < 0xc2)
        return 0;
    n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (n == 0 || avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
        (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

static int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        size_t n = utf8_length(p, left);
        if (n == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

static int has_control(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

/* A growing text buffer; after a failed allocation it stays failed. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown) {
            t->oom = 1;
            return;
        }
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void text_str(text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

static void text_int(text *t, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    text_str(t, buf);
}

/* s as a JSON string: quotes, backslashes and control characters escaped,
 * other bytes (UTF-8, checked by the caller) as they are. */
static void text_json_string(text *t, const char *s)
{
    text_add(t, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            text_add(t, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            text_add(t, esc, 6);
        } else {
            text_add(t, s, 1);
        }
    }
    text_add(t, "\"", 1);
}

/* Elements and bytes of a tensor to be written; -1 if the shape is invalid. */
static int64_t tensor_bytes(const clt_tensor *t)
{
    int64_t count = 1;
    if (t->ndim < 0 || t->ndim > ST_MAX_DIMS)
        return -1;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] < 0)
            return -1;
        if (t->shape[d] != 0 && count > INT64_MAX / 8 / t->shape[d])
            return -1;
        count *= t->shape[d];
    }
    return count * (int64_t)dtype_size(t->dtype);
}

static int name_ok(const char *field)
{
    return memchr(field, '\0', ST_NAME_SIZE) != NULL && !has_control(field) &&
           utf8_valid(field);
}

/* Checks what the caller handed in; names must be distinct. */
static int check_write_args(const char *path, const clt_tensor *tensors, int n_tensors,
                            const clt_meta *meta, int n_meta)
{
    if (n_tensors < 0 || n_meta < 0 || (n_tensors && !tensors) || (n_meta && !meta))
        return clt_fail(CLT_ERR_ARG, "%s: invalid tensor or metadata list", path);
    for (int i = 0; i < n_tensors; i++) {
        const clt_tensor *t = &tensors[i];
        if (!name_ok(t->name) || strcmp(t->name, META_KEY) == 0)
            return clt_fail(CLT_ERR_ARG, "%s: tensor %d has an invalid name", path, i);
        if (t->dtype != CLT_F32 && t->dtype != CLT_F64)
            return clt_fail(CLT_ERR_ARG, "%s: tensor '%s' has an unknown dtype", path, t->name);
        int64_t bytes = tensor_bytes(t);
        if (bytes < 0)
            return clt_fail(CLT_ERR_ARG, "%s: tensor '%s' has an invalid shape", path, t->name);
        if (bytes > 0 && !t->data)
            return clt_fail(CLT_ERR_ARG, "%s: tensor '%s' has no data", path, t->name);
        for (int j = 0; j < i; j++) {
            if (strcmp(tensors[j].name, t->name) == 0)
                return clt_fail(CLT_ERR_ARG, "%s: tensor name '%s' appears twice", path,
                                t->name);
        }
    }
    for (int i = 0; i < n_meta; i++) {
        if (!name_ok(meta[i].key) || !meta[i].value || !utf8_valid(meta[i].value))
            return clt_fail(CLT_ERR_ARG, "%s: metadata entry %d is invalid", path, i);
        for (int j = 0; j < i; j++) {
            if (strcmp(meta[j].key, meta[i].key) == 0)
                return clt_fail(CLT_ERR_ARG, "%s: metadata key '%s' appears twice", path,
                                meta[i].key);
        }
    }
    return CLT_OK;
}

/* The JSON header, padded with spaces to a multiple of 8 bytes so that the
 * data after it (8 + N bytes into the file) starts 8-byte aligned. */
static void build_header(text *h, const clt_tensor *tensors, int n_tensors,
                         const clt_meta *meta, int n_meta)
{
    int64_t offset = 0;
    text_str(h, "{");
    for (int i = 0; i < n_tensors; i++) {
        const clt_tensor *t = &tensors[i];
        int64_t bytes = tensor_bytes(t);
        if (i > 0)
            text_str(h, ",");
        text_json_string(h, t->name);
        text_str(h, t->dtype == CLT_F64 ? ":{\"dtype\":\"F64\",\"shape\":["
                                        : ":{\"dtype\":\"F32\",\"shape\":[");
        for (int d = 0; d < t->ndim; d++) {
            if (d > 0)
                text_str(h, ",");
            text_int(h, t->shape[d]);
        }
        text_str(h, "],\"data_offsets\":[");
        text_int(h, offset);
        text_str(h, ",");
        text_int(h, offset + bytes);
        text_str(h, "]}");
        offset += bytes;
    }
    if (n_meta > 0) {
        text_str(h, n_tensors > 0 ? ",\"" META_KEY "\":{" : "\"" META_KEY "\":{");
        for (int i = 0; i < n_meta; i++) {
            if (i > 0)
                text_str(h, ",");
            text_json_string(h, meta[i].key);
            text_str(h, ":");
            text_json_string(h, meta[i].value);
        }
        text_str(h, "}");
    }
    text_str(h, "}");
    while (h->len % 8 != 0)
        text_str(h, " ");
}

/* One tensor's elements in little-endian order, in blocks when swapping. */
static int write_data(FILE *fp, const clt_tensor *t)
{
    size_t bytes = (size_t)tensor_bytes(t), size = dtype_size(t->dtype);
    const unsigned char *p = t->data;
    if (host_is_little_endian())
        return bytes == 0 || fwrite(p, 1, bytes, fp) == bytes;
    unsigned char block[4096];
    while (bytes > 0) {
        size_t n = bytes < sizeof block ? bytes : sizeof block;
        memcpy(block, p, n);
        swap_elements(block, n / size, size);
        if (fwrite(block, 1, n, fp) != n)
            return 0;
        p += n;
        bytes -= n;
    }
    return 1;
}

int clt_safetensors_write(const char *path, const clt_tensor *tensors, int n_tensors,
                          const clt_meta *meta, int n_meta)
{
    int st = check_write_args(path, tensors, n_tensors, meta, n_meta);
    if (st != CLT_OK)
        return st;

    text h = {0};
    build_header(&h, tensors, n_tensors, meta, n_meta);
    if (h.oom) {
        free(h.s);
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory for the header", path);
    }

    clt_outfile out;
    st = clt_outfile_open(&out, path);
    if (st != CLT_OK) {
        free(h.s);
        return st;
    }
    unsigned char len8[8];
    for (int i = 0; i < 8; i++)
        len8[i] = (unsigned char)((uint64_t)h.len >> (8 * i));
    int ok = fwrite(len8, 1, 8, out.fp) == 8 && fwrite(h.s, 1, h.len, out.fp) == h.len;
    for (int i = 0; ok && i < n_tensors; i++)
        ok = write_data(out.fp, &tensors[i]);
    free(h.s);
    /* A failed fwrite leaves the stream's error flag set; commit reports it
     * with the reason and removes the temporary file. */
    (void)ok;
    return clt_outfile_commit(&out);
}

/* ------------------------------------------------------------------------ */
/* Reading: the JSON header                                                  */
/* ------------------------------------------------------------------------ */

/* The header being parsed and what has been found in it so far. */
typedef struct {
    const unsigned char *start, *p, *end;
    const char *name;             /* the file, for messages */
    clt_tensor *tensors;
    int64_t (*spans)[2];          /* data_offsets of each tensor */
    int n_tensors, cap_tensors;
    clt_meta *meta;
    int n_meta, cap_meta;
    int seen_meta;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int syntax_error(const parser *ps, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return clt_fail(CLT_ERR_FORMAT, "%s: header byte %ld: %s", ps->name,
                    (long)(ps->p - ps->start), msg);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int format_error(const char *name, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return clt_fail(CLT_ERR_FORMAT, "%s: %s", name, msg);
}

static void skip_space(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* Skips blanks; true if the next byte is c (which is then consumed). */
static int accept(parser *ps, char c)
{
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == (unsigned char)c) {
        ps->p++;
        return 1;
    }
    return 0;
}

static int expect(parser *ps, char c)
{
    if (accept(ps, c))
        return CLT_OK;
    if (ps->p >= ps->end)
        return syntax_error(ps, "header ends where '%c' was expected", c);
    return syntax_error(ps, "expected '%c'", c);
}

static int hex4(const unsigned char *p, unsigned *value)
{
    *value = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        *value = *value << 4 | d;
    }
    return 1;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* The escape after a backslash at ps->p (which points past the backslash),
 * decoded into out; q is the string's closing quote. */
static int parse_escape(parser *ps, const unsigned char *q, char *out, size_t *n)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    unsigned char c = *ps->p;
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        *out = to[hit - from];
        *n = 1;
        ps->p++;
        return CLT_OK;
    }
    unsigned cp, low;
    if (c != 'u' || q - ps->p < 5 || !hex4(ps->p + 1, &cp))
        return syntax_error(ps, "invalid escape in string");
    ps->p += 5;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return syntax_error(ps, "unpaired surrogate \\u%04x in string", cp);
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (q - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || !hex4(ps->p + 2, &low) ||
            low < 0xdc00 || low > 0xdfff)
            return syntax_error(ps, "unpaired surrogate \\u%04x in string", cp);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        ps->p += 6;
    }
    if (cp == 0)
        return syntax_error(ps, "\\u0000 in a string is not supported");
    *n = put_utf8(out, cp);
    return CLT_OK;
}

/* A JSON string, decoded into a new malloc'd C string at *out. */
static int parse_string(parser *ps, char **out)
{
    *out = NULL;
    int st = expect(ps, '"');
    if (st != CLT_OK)
        return st;
    size_t avail = (size_t)(ps->end - ps->p), i = 0;
    while (i < avail && ps->p[i] != '"')
        i += ps->p[i] == '\\' ? 2 : 1;
    if (i >= avail)
        return syntax_error(ps, "unterminated string");
    const unsigned char *q = ps->p + i;
    char *s = malloc(i + 1);   /* decoding never lengthens */
    size_t len = 0;
    if (!s)
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", ps->name);
    while (ps->p < q) {
        size_t n;
        if (*ps->p == '\\') {
            ps->p++;
            st = parse_escape(ps, q, s + len, &n);
        } else if (*ps->p < 0x20) {
            st = syntax_error(ps, "control character in string");
        } else if ((n = utf8_length(ps->p, (size_t)(q - ps->p))) == 0) {
            st = syntax_error(ps, "invalid UTF-8 in string");
        } else {
            memcpy(s + len, ps->p, n);
            ps->p += n;
        }
        if (st != CLT_OK) {
            free(s);
            return st;
        }
        len += n;
    }
    s[len] = '\0';
    ps->p = q + 1;
    *out = s;
    return CLT_OK;
}

/* A string that must fit a 64-byte name field, copied there. */
static int parse_name(parser *ps, char field[ST_NAME_SIZE], const char *what)
{
    char *s;
    skip_space(ps);
    const unsigned char *at = ps->p;
    int st = parse_string(ps, &s);
    if (st != CLT_OK)
        return st;
    size_t len = strlen(s);
    int bad_char = has_control(s);
    if (len < ST_NAME_SIZE && !bad_char)
        memcpy(field, s, len + 1);
    free(s);
    if (len < ST_NAME_SIZE && !bad_char)
        return CLT_OK;
    ps->p = at;   /* report at the start of the string */
    if (bad_char)
        return syntax_error(ps, "%s holds a control character", what);
    return syntax_error(ps, "%s is %zu bytes long (at most %d)", what, len, ST_NAME_SIZE - 1);
}

/* A non-negative integer without fraction or exponent. */
static int parse_uint(parser *ps, int64_t *v, const char *what)
{
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == '-')
        return syntax_error(ps, "%s is negative", what);
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
        return syntax_error(ps, "expected a number for %s", what);
    if (*ps->p == '0' && ps->p + 1 < ps->end && ps->p[1] >= '0' && ps->p[1] <= '9')
        return syntax_error(ps, "number with a leading zero in %s", what);
    int64_t value = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        int digit = *ps->p - '0';
        if (value > (INT64_MAX - digit) / 10)
            return syntax_error(ps, "%s is too large", what);
        value = value * 10 + digit;
        ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E'))
        return syntax_error(ps, "%s is not an integer", what);
    *v = value;
    return CLT_OK;
}

/* After an element: ',' (more follow, returns 1) or the closing bracket
 * (returns 0); anything else is an error (returns the status). */
static int next_or_close(parser *ps, char close, int *more)
{
    if (accept(ps, ',')) {
        *more = 1;
        return CLT_OK;
    }
    *more = 0;
    if (accept(ps, close))
        return CLT_OK;
    return syntax_error(ps, "expected ',' or '%c'", close);
}

/* "shape": [d0, d1, ...] with at most four entries. */
static int parse_shape(parser *ps, clt_tensor *t)
{
    int st = expect(ps, '['), more = 1;
    t->ndim = 0;
    if (st == CLT_OK && accept(ps, ']'))
        return CLT_OK;
    while (st == CLT_OK && more) {
        if (t->ndim == ST_MAX_DIMS)
            return syntax_error(ps, "tensor '%s' has more than %d dimensions", t->name,
                                ST_MAX_DIMS);
        st = parse_uint(ps, &t->shape[t->ndim], "a dimension");
        if (st == CLT_OK) {
            t->ndim++;
            st = next_or_close(ps, ']', &more);
        }
    }
    return st;
}

/* "data_offsets": [begin, end]. */
static int parse_offsets(parser *ps, int64_t span[2])
{
    int st = expect(ps, '[');
    if (st == CLT_OK)
        st = parse_uint(ps, &span[0], "a data offset");
    if (st == CLT_OK)
        st = expect(ps, ',');
    if (st == CLT_OK)
        st = parse_uint(ps, &span[1], "a data offset");
    if (st == CLT_OK)
        st = expect(ps, ']');
    return st;
}

static int parse_dtype(parser *ps, clt_tensor *t)
{
    char *s;
    const unsigned char *at;
    skip_space(ps);
    at = ps->p;
    int st = parse_string(ps, &s);
    if (st != CLT_OK)
        return st;
    if (strcmp(s, "F32") == 0 || strcmp(s, "F64") == 0) {
        t->dtype = s[1] == '6' ? CLT_F64 : CLT_F32;
        free(s);
        return CLT_OK;
    }
    int printable = strlen(s) <= 16 && !has_control(s);
    ps->p = at;
    st = syntax_error(ps, "tensor '%s': dtype \"%s\" is not supported (only F32 and F64)",
                      t->name, printable ? s : "...");
    free(s);
    return st;
}

/* {"dtype": ..., "shape": [...], "data_offsets": [b, e]}, each field once. */
static int parse_tensor(parser *ps, clt_tensor *t, int64_t span[2])
{
    int seen[3] = {0, 0, 0}, more = 1;
    int st = expect(ps, '{');
    if (st == CLT_OK && accept(ps, '}'))
        more = 0;
    while (st == CLT_OK && more) {
        char key[ST_NAME_SIZE];
        skip_space(ps);
        const unsigned char *at = ps->p;
        st = parse_name(ps, key, "a field name");
        if (st == CLT_OK)
            st = expect(ps, ':');
        if (st != CLT_OK)
            return st;
        int field = strcmp(key, "dtype") == 0 ? 0 : strcmp(key, "shape") == 0 ? 1
                  : strcmp(key, "data_offsets") == 0 ? 2 : -1;
        if (field < 0 || seen[field]) {
            ps->p = at;
            return syntax_error(ps, "tensor '%s': %s field \"%s\"", t->name,
                                field < 0 ? "unknown" : "repeated", key);
        }
        seen[field] = 1;
        st = field == 0 ? parse_dtype(ps, t)
           : field == 1 ? parse_shape(ps, t) : parse_offsets(ps, span);
        if (st == CLT_OK)
            st = next_or_close(ps, '}', &more);
    }
    if (st == CLT_OK && !(seen[0] && seen[1] && seen[2]))
        st = syntax_error(ps, "tensor '%s' lacks \"%s\"", t->name,
                          !seen[0] ? "dtype" : !seen[1] ? "shape" : "data_offsets");
    return st;
}

/* "__metadata__": {"key": "value", ...}, strings only. */
static int parse_metadata(parser *ps)
{
    int more = 1;
    int st = expect(ps, '{');
    if (st == CLT_OK && accept(ps, '}'))
        more = 0;
    while (st == CLT_OK && more) {
        if (ps->n_meta == ps->cap_meta) {
            int cap = ps->cap_meta ? 2 * ps->cap_meta : 8;
            clt_meta *grown = realloc(ps->meta, (size_t)cap * sizeof *grown);
            if (!grown)
                return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", ps->name);
            ps->meta = grown;
            ps->cap_meta = cap;
        }
        clt_meta *m = &ps->meta[ps->n_meta];
        m->value = NULL;
        st = parse_name(ps, m->key, "a metadata key");
        if (st == CLT_OK)
            st = expect(ps, ':');
        skip_space(ps);
        if (st == CLT_OK && (ps->p >= ps->end || *ps->p != '"'))
            st = syntax_error(ps, "metadata '%s': value is not a string", m->key);
        if (st == CLT_OK)
            st = parse_string(ps, &m->value);
        if (st == CLT_OK) {
            ps->n_meta++;
            st = next_or_close(ps, '}', &more);
        }
    }
    return st;
}

/* One top-level entry: a tensor, or the metadata object. */
static int parse_entry(parser *ps)
{
    char key[ST_NAME_SIZE];
    skip_space(ps);
    const unsigned char *at = ps->p;
    int st = parse_name(ps, key, "a tensor name");
    if (st == CLT_OK)
        st = expect(ps, ':');
    if (st != CLT_OK)
        return st;
    if (strcmp(key, META_KEY) == 0) {
        if (ps->seen_meta) {
            ps->p = at;
            return syntax_error(ps, "\"" META_KEY "\" appears twice");
        }
        ps->seen_meta = 1;
        return parse_metadata(ps);
    }
    if (ps->n_tensors == ps->cap_tensors) {
        int cap = ps->cap_tensors ? 2 * ps->cap_tensors : 8;
        clt_tensor *t = realloc(ps->tensors, (size_t)cap * sizeof *t);
        if (t)
            ps->tensors = t;
        int64_t(*s)[2] = realloc(ps->spans, (size_t)cap * sizeof *s);
        if (s)
            ps->spans = s;
        if (!t || !s)
            return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", ps->name);
        ps->cap_tensors = cap;
    }
    clt_tensor *t = &ps->tensors[ps->n_tensors];
    memset(t, 0, sizeof *t);
    memcpy(t->name, key, sizeof key);
    st = parse_tensor(ps, t, ps->spans[ps->n_tensors]);
    if (st == CLT_OK)
        ps->n_tensors++;
    return st;
}

/* The whole header: one object, then nothing but blanks. */
static int parse_header(parser *ps)
{
    int more = 1, st;
    if (ps->p >= ps->end || *ps->p != '{')
        return syntax_error(ps, "the header does not start with '{'");
    ps->p++;
    if (accept(ps, '}'))
        more = 0;
    for (st = CLT_OK; st == CLT_OK && more;) {
        st = parse_entry(ps);
        if (st == CLT_OK)
            st = next_or_close(ps, '}', &more);
    }
    if (st != CLT_OK)
        return st;
    skip_space(ps);
    if (ps->p != ps->end)
        return syntax_error(ps, "unexpected bytes after the header object");
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* Reading: checking the tensors against the data                           */
/* ------------------------------------------------------------------------ */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names (tensor names, or metadata keys) must be distinct. */
static int check_unique(const char *name, const char **names, int n, const char *what)
{
    qsort(names, (size_t)n, sizeof *names, compare_names);
    for (int i = 1; i < n; i++) {
        if (strcmp(names[i - 1], names[i]) == 0)
            return format_error(name, "%s '%s' appears twice", what, names[i]);
    }
    return CLT_OK;
}

static int check_names(const parser *ps)
{
    int n = ps->n_tensors > ps->n_meta ? ps->n_tensors : ps->n_meta;
    const char **names = malloc((size_t)(n ? n : 1) * sizeof *names);
    if (!names)
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", ps->name);
    for (int i = 0; i < ps->n_tensors; i++)
        names[i] = ps->tensors[i].name;
    int st = check_unique(ps->name, names, ps->n_tensors, "tensor");
    for (int i = 0; st == CLT_OK && i < ps->n_meta; i++)
        names[i] = ps->meta[i].key;
    if (st == CLT_OK)
        st = check_unique(ps->name, names, ps->n_meta, "metadata key");
    free(names);
    return st;
}

/* "[3, 4]" */
static void shape_text(const clt_tensor *t, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "[");
    for (int d = 0; d < t->ndim && len < size; d++)
        len += (size_t)snprintf(buf + len, size - len, "%s%lld", d ? ", " : "",
                                (long long)t->shape[d]);
    if (len < size)
        snprintf(buf + len, size - len, "]");
}

/* A tensor's span must hold exactly its shape's bytes and lie in the data. */
static int check_span(const char *name, const clt_tensor *t, const int64_t span[2],
                      uint64_t data_size)
{
    uint64_t count = 1, size = dtype_size(t->dtype);
    for (int d = 0; d < t->ndim; d++) {
        uint64_t dim = (uint64_t)t->shape[d];
        if (dim != 0 && count > data_size / dim)
            count = data_size + 1;   /* more than the file holds; a later 0 still zeroes it */
        else
            count *= dim;
    }
    if (span[0] > span[1])
        return format_error(name, "tensor '%s': data_offsets [%lld, %lld] run backwards",
                            t->name, (long long)span[0], (long long)span[1]);
    if ((uint64_t)span[1] > data_size)
        return format_error(name, "tensor '%s': data_offsets [%lld, %lld] exceed the %llu "
                            "bytes of data", t->name, (long long)span[0],
                            (long long)span[1], (unsigned long long)data_size);
    uint64_t have = (uint64_t)(span[1] - span[0]);
    if (count <= data_size && count * size == have)
        return CLT_OK;
    char shape[128], need[32];
    shape_text(t, shape, sizeof shape);
    if (count > data_size)
        snprintf(need, sizeof need, "more than %llu", (unsigned long long)data_size);
    else
        snprintf(need, sizeof need, "%llu", (unsigned long long)(count * size));
    return format_error(name, "tensor '%s': shape %s of %s needs %s bytes but data_offsets "
                        "[%lld, %lld] span %llu", t->name, shape,
                        t->dtype == CLT_F64 ? "F64" : "F32", need, (long long)span[0],
                        (long long)span[1], (unsigned long long)have);
}

typedef struct {
    int64_t begin, end;
    int index;
} span_ref;

static int compare_spans(const void *a, const void *b)
{
    const span_ref *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

/* Sorted by offset, the spans must follow one another from 0 to the end of
 * the data with neither overlap nor gap. */
static int check_tiling(const parser *ps, uint64_t data_size)
{
    int n = ps->n_tensors;
    span_ref *refs = malloc((size_t)(n ? n : 1) * sizeof *refs);
    if (!refs)
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", ps->name);
    for (int i = 0; i < n; i++)
        refs[i] = (span_ref){ps->spans[i][0], ps->spans[i][1], i};
    qsort(refs, (size_t)n, sizeof *refs, compare_spans);
    int64_t at = 0;
    int st = CLT_OK;
    for (int i = 0; i < n && st == CLT_OK; i++) {
        const char *t = ps->tensors[refs[i].index].name;
        if (refs[i].begin < at)
            st = format_error(ps->name, "tensor '%s' overlaps tensor '%s'", t,
                              ps->tensors[refs[i - 1].index].name);
        else if (refs[i].begin > at)
            st = format_error(ps->name, "%lld unused bytes before tensor '%s'",
                              (long long)(refs[i].begin - at), t);
        at = refs[i].end;
    }
    if (st == CLT_OK && (uint64_t)at != data_size)
        st = format_error(ps->name, "%llu bytes after the last tensor belong to none",
                          (unsigned long long)(data_size - (uint64_t)at));
    free(refs);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Reading: putting the result together                                      */
/* ------------------------------------------------------------------------ */

static void parser_free(parser *ps)
{
    for (int i = 0; i < ps->n_meta; i++)
        free(ps->meta[i].value);
    free(ps->meta);
    free(ps->tensors);
    free(ps->spans);
}

static size_t round8(size_t n)
{
    return (n + 7) / 8 * 8;
}

/* Copies the data into one private block (malloc-aligned).  A tensor whose
 * offset is not a multiple of its element size gets an aligned copy after
 * the data, so every data pointer can be read as float* or double*. */
static int attach_data(parser *ps, const unsigned char *data, size_t data_size,
                       void **blob_out)
{
    size_t extra = 0;
    for (int i = 0; i < ps->n_tensors; i++) {
        if ((uint64_t)ps->spans[i][0] % dtype_size(ps->tensors[i].dtype) != 0)
            extra += round8((size_t)(ps->spans[i][1] - ps->spans[i][0]));
    }
    unsigned char *blob = malloc(round8(data_size) + extra + 1);
    if (!blob)
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory for %zu bytes of data", ps->name,
                        data_size);
    if (data_size)
        memcpy(blob, data, data_size);
    unsigned char *tail = blob + round8(data_size);
    for (int i = 0; i < ps->n_tensors; i++) {
        clt_tensor *t = &ps->tensors[i];
        size_t begin = (size_t)ps->spans[i][0], bytes = (size_t)ps->spans[i][1] - begin;
        size_t size = dtype_size(t->dtype);
        t->data = blob + begin;
        if (begin % size != 0) {
            memcpy(tail, blob + begin, bytes);
            t->data = tail;
            tail += round8(bytes);
        }
        if (!host_is_little_endian())
            swap_elements(t->data, bytes / size, size);
    }
    *blob_out = blob;
    return CLT_OK;
}

/* Reads the 8-byte length and checks it against the file. */
static int check_length(const unsigned char *b, size_t size, const char *name,
                        uint64_t *header_len)
{
    if (size < 8)
        return format_error(name, "not a safetensors file: %zu bytes, too short for the 8-byte "
                            "header length", size);
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--)
        n = n << 8 | b[i];
    if (n > ST_MAX_HEADER)
        return format_error(name, "not a safetensors file: header length %llu exceeds the "
                            "limit of %u bytes", (unsigned long long)n, ST_MAX_HEADER);
    if (n > size - 8)
        return format_error(name, "header length %llu exceeds file size %zu",
                            (unsigned long long)n, size);
    *header_len = n;
    return CLT_OK;
}

int clt_safetensors_parse(const void *buf, size_t size, const char *name, clt_st_file *out)
{
    const unsigned char *b = buf;
    uint64_t header_len = 0;
    memset(out, 0, sizeof *out);
    if (!name)
        name = "safetensors";
    if (!b && size)
        return clt_fail(CLT_ERR_ARG, "%s: no buffer", name);

    int st = check_length(b, size, name, &header_len);
    if (st != CLT_OK)
        return st;
    parser ps = {.start = b + 8, .p = b + 8, .end = b + 8 + header_len, .name = name};
    st = parse_header(&ps);
    if (st == CLT_OK)
        st = check_names(&ps);
    uint64_t data_size = size - 8 - header_len;
    for (int i = 0; st == CLT_OK && i < ps.n_tensors; i++)
        st = check_span(name, &ps.tensors[i], ps.spans[i], data_size);
    if (st == CLT_OK)
        st = check_tiling(&ps, data_size);
    if (st == CLT_OK)
        st = attach_data(&ps, b + 8 + header_len, (size_t)data_size, &out->blob);
    if (st != CLT_OK) {
        parser_free(&ps);
        return st;
    }
    free(ps.spans);
    out->tensors = ps.tensors;
    out->n_tensors = ps.n_tensors;
    out->meta = ps.meta;
    out->n_meta = ps.n_meta;
    return CLT_OK;
}

/* The file's bytes in a malloc'd buffer; works for pipes as well as files. */
static int read_all(const char *path, unsigned char **data, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return clt_fail(CLT_ERR_IO, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, fp);
        if (len < cap)
            break;
        unsigned char *grown = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!grown)
            free(buf);
        buf = grown;
        cap *= 2;
    }
    int err = ferror(fp) ? errno : 0;
    fclose(fp);
    if (!buf)
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory reading the file", path);
    if (err) {
        free(buf);
        return clt_fail(CLT_ERR_IO, "%s: read failed: %s", path, strerror(err));
    }
    *data = buf;
    *size = len;
    return CLT_OK;
}

int clt_safetensors_read(const char *path, clt_st_file *out)
{
    unsigned char *data = NULL;
    size_t size = 0;
    memset(out, 0, sizeof *out);
    int st = read_all(path, &data, &size);
    if (st != CLT_OK)
        return st;
    st = clt_safetensors_parse(data, size, path, out);
    free(data);
    return st;
}

const clt_tensor *clt_st_tensor(const clt_st_file *f, const char *name)
{
    for (int i = 0; i < f->n_tensors; i++) {
        if (strcmp(f->tensors[i].name, name) == 0)
            return &f->tensors[i];
    }
    return NULL;
}

const char *clt_st_meta(const clt_st_file *f, const char *key)
{
    for (int i = 0; i < f->n_meta; i++) {
        if (strcmp(f->meta[i].key, key) == 0)
            return f->meta[i].value;
    }
    return NULL;
}

void clt_st_free(clt_st_file *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_meta; i++)
        free(f->meta[i].value);
    free(f->meta);
    free(f->tensors);
    free(f->blob);
    memset(f, 0, sizeof *f);
}
