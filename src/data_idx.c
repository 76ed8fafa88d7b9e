/* data_idx.c - reads an IDX image file and its IDX label file (the MNIST
 * family), each raw or gzip-compressed as found from its first bytes.  Pixels
 * become features scaled to [0, 1]; labels become classes 0..max, one-hot.
 *
 * Left out on purpose: IDX element types other than unsigned bytes, images of
 * other than 3 dimensions (count, rows, cols), and anything but an exact fit:
 * a file shorter or longer than its header announces is an error, as is a
 * label count that differs from the image count.  Memory grows only with the
 * data actually present (gzip output is never pre-sized from a header). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "data_internal.h"

#define IDX_IMAGES 0x00000803u
#define IDX_LABELS 0x00000801u

/* One input file's bytes after decompression. */
typedef struct idx_file {
    const char *name;
    const unsigned char *p;
    size_t n;
    unsigned char *owned;   /* the inflated copy, if gzip */
    int was_gzip;
} idx_file;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ------------------------------------------------------------------------ */
/* gzip                                                                      */
/* ------------------------------------------------------------------------ */

static int grow(unsigned char **buf, size_t *cap, const char *name)
{
    size_t bigger = *cap < ((size_t)1 << 20) ? (size_t)1 << 20 : *cap;
    if (bigger > SIZE_MAX - *cap)
        return data_nomem(name, "inflating");
    unsigned char *p = realloc(*buf, *cap + bigger);
    if (!p)
        return data_nomem(name, "inflating");
    *buf = p;
    *cap += bigger;
    return CLT_OK;
}

/* Feeds the next piece of input (zlib counts in unsigned int). */
static void feed(z_stream *z, const unsigned char *gz, size_t n)
{
    size_t used = (size_t)(z->next_in - gz);
    size_t left = n - used;
    z->avail_in = left > UINT_MAX ? UINT_MAX : (unsigned)left;
}

/* Inflates one or more concatenated gzip members into f->owned. */
static int inflate_all(idx_file *f, const unsigned char *gz, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return data_nomem(f->name, "zlib");
    unsigned char *out = NULL;
    size_t cap = 0, len = 0;
    int st = CLT_OK;
    z.next_in = (unsigned char *)gz;
    while (!st) {
        if (z.avail_in == 0)
            feed(&z, gz, n);
        if (len == cap && (st = grow(&out, &cap, f->name)))
            break;
        z.next_out = out + len;
        z.avail_out = cap - len > UINT_MAX ? UINT_MAX : (unsigned)(cap - len);
        unsigned before = z.avail_out;
        int ret = inflate(&z, Z_NO_FLUSH);
        len += before - z.avail_out;
        size_t at = (size_t)(z.next_in - gz);
        if (ret == Z_STREAM_END) {
            if (at == n)
                break;
            if (n - at >= 2 && gz[at] == 0x1f && gz[at + 1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            st = clt_fail(CLT_ERR_FORMAT, "%s: data after the end of the gzip stream at "
                          "byte %zu", f->name, at);
        } else if (ret == Z_BUF_ERROR && at == n && z.avail_out > 0) {
            st = clt_fail(CLT_ERR_FORMAT, "%s: gzip data ends early at byte %zu (truncated "
                          "file?)", f->name, at);
        } else if (ret == Z_MEM_ERROR) {
            st = data_nomem(f->name, "zlib");
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            st = clt_fail(CLT_ERR_FORMAT, "%s: corrupt gzip data near byte %zu: %s", f->name,
                          at, z.msg ? z.msg : "inflate failed");
        }
    }
    inflateEnd(&z);
    if (st) {
        free(out);
        return st;
    }
    f->owned = out;
    f->p = out;
    f->n = len;
    f->was_gzip = 1;
    return CLT_OK;
}

static int open_bytes(idx_file *f, const void *data, size_t n, const char *name)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->p = data;
    f->n = n;
    if (n == 0 || !data)
        return clt_fail(CLT_ERR_FORMAT, "%s: empty file", name);
    if (n >= 2 && f->p[0] == 0x1f && f->p[1] == 0x8b)
        return inflate_all(f, data, n);
    return CLT_OK;
}

/* ------------------------------------------------------------------------ */
/* IDX headers                                                               */
/* ------------------------------------------------------------------------ */

/* Checks the magic and that the header fits; reads its dimensions. */
static int read_header(const idx_file *f, uint32_t want, uint32_t *dims, int n_dims)
{
    const char *what = want == IDX_IMAGES ? "images" : "labels";
    size_t header = 4 + 4 * (size_t)n_dims;
    if (f->n < 4)
        return clt_fail(CLT_ERR_FORMAT, "%s: file ends at byte %zu, inside the IDX magic",
                        f->name, f->n);
    uint32_t magic = be32(f->p);
    if (magic != want) {
        int idx_like = (magic >> 16) == 0 && ((magic >> 8) & 0xff) >= 0x08
                       && ((magic >> 8) & 0xff) <= 0x0e;
        if (idx_like)
            return clt_fail(CLT_ERR_FORMAT, "%s: IDX magic 0x%08x where %s (0x%08x) were "
                            "expected", f->name, (unsigned)magic, what, (unsigned)want);
        return clt_fail(CLT_ERR_FORMAT, f->was_gzip ? "%s: gzip data that is not IDX "
                        "(magic 0x%08x)" : "%s: not gzip and not IDX (magic 0x%08x)",
                        f->name, (unsigned)magic);
    }
    if (f->n < header)
        return clt_fail(CLT_ERR_FORMAT, "%s: file ends at byte %zu, inside the %zu-byte IDX "
                        "header", f->name, f->n, header);
    for (int k = 0; k < n_dims; k++)
        dims[k] = be32(f->p + 4 + 4 * k);
    return CLT_OK;
}

/* The data after the header must be exactly `items` bytes. */
static int check_length(const idx_file *f, size_t header, uint64_t items, const char *what)
{
    uint64_t want = header + items;
    if ((uint64_t)f->n < want)
        return clt_fail(CLT_ERR_FORMAT, "%s: truncated: the header announces %llu bytes of %s, "
                        "data ends at byte %zu of %llu", f->name, (unsigned long long)items,
                        what, f->n, (unsigned long long)want);
    if ((uint64_t)f->n > want)
        return clt_fail(CLT_ERR_FORMAT, "%s: %llu bytes after the announced %s, from byte %llu",
                        f->name, (unsigned long long)(f->n - want), what,
                        (unsigned long long)want);
    return CLT_OK;
}

static int check_images(const idx_file *f, uint32_t *count, int *n_in)
{
    uint32_t d[3];
    int st = read_header(f, IDX_IMAGES, d, 3);
    if (st)
        return st;
    if (d[0] == 0 || d[1] == 0 || d[2] == 0)
        return clt_fail(CLT_ERR_FORMAT, "%s: no pixels: %u images of %u x %u", f->name,
                        (unsigned)d[0], (unsigned)d[1], (unsigned)d[2]);
    uint64_t pixels = (uint64_t)d[1] * d[2];
    if (pixels > INT_MAX)
        return clt_fail(CLT_ERR_FORMAT, "%s: images of %u x %u pixels are too large",
                        f->name, (unsigned)d[1], (unsigned)d[2]);
    st = check_length(f, 16, (uint64_t)d[0] * pixels, "pixels");
    *count = d[0];
    *n_in = (int)pixels;
    return st;
}

static int check_labels(const idx_file *f, uint32_t images, const char *images_name)
{
    uint32_t count;
    int st = read_header(f, IDX_LABELS, &count, 1);
    if (!st)
        st = check_length(f, 8, count, "labels");
    if (!st && count != images)
        st = clt_fail(CLT_ERR_FORMAT, "%s: %u labels for the %u images of %s", f->name,
                      (unsigned)count, (unsigned)images, images_name);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Assembly                                                                  */
/* ------------------------------------------------------------------------ */

/* X[i * m + j] = pixel i of image j / 255, a block of images at a time so
 * that both the reads and the writes stay in cache. */
static void scale_pixels(double *X, const unsigned char *pix, size_t m, size_t n_in)
{
    double lut[256];
    for (int v = 0; v < 256; v++)
        lut[v] = v / 255.0;
    const size_t block = 64;
    for (size_t j0 = 0; j0 < m; j0 += block) {
        size_t j1 = j0 + block < m ? j0 + block : m;
        for (size_t i = 0; i < n_in; i++)
            for (size_t j = j0; j < j1; j++)
                X[i * m + j] = lut[pix[j * n_in + i]];
    }
}

static int build(const idx_file *img, const idx_file *lab, uint32_t count, int n_in,
                 clt_dataset *d)
{
    size_t m = count;
    d->m = count;
    d->n_in = n_in;
    if ((size_t)n_in > SIZE_MAX / sizeof(double) / m)
        return data_nomem(img->name, "pixels");
    d->X = data_alloc_array((size_t)n_in * m, sizeof(double), 0);
    int *cls = data_alloc_array(m, sizeof *cls, 0);
    if (!d->X || !cls) {
        free(cls);
        return data_nomem(img->name, "pixels");
    }
    scale_pixels(d->X, img->p + 16, m, (size_t)n_in);
    int max = 1;
    for (size_t j = 0; j < m; j++) {
        cls[j] = lab->p[8 + j];
        max = cls[j] > max ? cls[j] : max;
    }
    return data_set_classes(d, cls, max + 1, lab->name);
}

int clt_dataset_parse_idx(const void *images, size_t images_size, const char *images_name,
                          const void *labels, size_t labels_size, const char *labels_name,
                          clt_dataset *out)
{
    if (!out)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_parse_idx: out is NULL");
    memset(out, 0, sizeof *out);
    images_name = images_name ? images_name : "<images>";
    labels_name = labels_name ? labels_name : "<labels>";
    idx_file img, lab;
    memset(&lab, 0, sizeof lab);
    uint32_t count = 0;
    int n_in = 0;
    int st = open_bytes(&img, images, images_size, images_name);
    if (!st)
        st = check_images(&img, &count, &n_in);
    if (!st)
        st = open_bytes(&lab, labels, labels_size, labels_name);
    if (!st)
        st = check_labels(&lab, count, images_name);
    clt_dataset d = { 0 };
    if (!st)
        st = build(&img, &lab, count, n_in, &d);
    free(img.owned);
    free(lab.owned);
    if (st) {
        clt_dataset_free(&d);
        return st;
    }
    *out = d;
    return CLT_OK;
}

int clt_dataset_load_idx(const char *images, const char *labels, clt_dataset *out)
{
    if (!out)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_load_idx: out is NULL");
    memset(out, 0, sizeof *out);
    if (!images || !labels)
        return clt_fail(CLT_ERR_ARG, "clt_dataset_load_idx: a path is NULL");
    char *img = NULL, *lab = NULL;
    size_t img_n = 0, lab_n = 0;
    int st = data_read_file(images, &img, &img_n);
    if (!st)
        st = data_read_file(labels, &lab, &lab_n);
    if (!st)
        st = clt_dataset_parse_idx(img, img_n, images, lab, lab_n, labels, out);
    free(img);
    free(lab);
    return st;
}
