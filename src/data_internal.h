/* data_internal.h - what the data readers (data_csv.c, data_fann.c,
 * data_idx.c) share with dataset.c: reading a file whole, parsing one number
 * out of a field, checked allocation, and the final assembly of targets.
 * Private to the library; nothing here is part of the public interface. */
#ifndef CLT_DATA_INTERNAL_H
#define CLT_DATA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cltrain.h"

/* The most distinct labels a CSV label column may hold before it is refused
 * as a classification target (its one-hot Y would be classes x m doubles). */
#define DATA_MAX_CLASSES 10000

/* Reads a whole file into a malloc'd buffer with one NUL byte after the
 * content (not counted in *size).  CLT_ERR_IO names the path on failure. */
int data_read_file(const char *path, char **buf, size_t *size);

/* Outcomes of data_number. */
enum { DATA_NUM_OK = 0, DATA_NUM_BAD = 1, DATA_NUM_NONFINITE = 2, DATA_NUM_NOMEM = 3 };

/* Parses s[0..len) as one number with clt_strtod: blanks around it are
 * allowed, anything else left over makes it DATA_NUM_BAD; NaN and Inf are
 * DATA_NUM_NONFINITE.  s need not be NUL-terminated. */
int data_number(const char *s, size_t len, double *v);

/* The text of a field for a message: at most 40 bytes, then "...". */
void data_excerpt(char *dst, size_t dst_size, const char *s, size_t len);

/* Rejects text with a NUL byte or a control character other than tab, CR
 * and LF: "name:LINE: binary data at byte N".  Returns 0 or CLT_ERR_FORMAT. */
int data_check_text(const char *buf, size_t size, const char *name);

/* malloc/calloc of n * size bytes with the product checked; NULL on
 * overflow or when out of memory.  n == 0 still returns a valid pointer. */
void *data_alloc_array(size_t n, size_t size, int zero);

/* Fills d->Y and d->labels from class indices cls[0..m) for n_classes
 * classes (binary: one 0/1 row; more: one-hot rows) and sets task,
 * n_out and n_classes.  Takes ownership of cls (freed on failure). */
int data_set_classes(clt_dataset *d, int *cls, int n_classes, const char *name);

/* The two text readers.  buf[0..size) has passed data_check_text; out is
 * zeroed by the caller and filled only on success. */
int data_parse_csv(const char *buf, size_t size, const char *name,
                   const clt_load_options *opt, clt_dataset *out);
int data_parse_fann(const char *buf, size_t size, const char *name, clt_dataset *out);

/* "name: out of memory (what)" as CLT_ERR_NOMEM. */
int data_nomem(const char *name, const char *what);

#endif
