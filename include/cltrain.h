/*
 * cltrain.h - the public interface of libcltrain.
 *
 * libcltrain trains dense feed-forward networks whose arithmetic runs in
 * OpenCL kernels.  It speaks the notebook's language throughout:
 *
 *   L        number of layers with weights (the input is layer 0)
 *   n[l]     units in layer l; n[0] is the number of input features
 *   m        samples in a batch
 *   W[l]     (n[l], n[l-1]) weights        b[l]  (n[l], 1) biases
 *   Z[l]     (n[l], m) pre-activations     A[l]  (n[l], m) activations
 *
 * Every matrix is stored row-major and densely: element (i, j) of an
 * (rows, cols) matrix lives at index i * cols + j.  A batch is therefore
 * feature-major: X[i * m + j] is feature i of sample j, as X in the notebook.
 *
 * Status codes.  Every function that can fail returns an int status: 0 on
 * success, one of OpenCL's own negative codes (kept as they are) when an
 * OpenCL call failed, or one of the CLT_ERR_* codes below (a range OpenCL does
 * not use).  The library never exits and never prints on its own behalf; it
 * leaves a one-line description of the most recent failure, naming the file,
 * line or argument at fault, in clt_last_error().  Only the program exits.
 */
#ifndef CLTRAIN_H
#define CLTRAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status                                                                    */
/* ------------------------------------------------------------------------ */

enum {
    CLT_OK = 0,
    CLT_ERR_NO_PLATFORM = -2001, /* the ICD loader found no OpenCL platform */
    CLT_ERR_NO_DEVICE = -2002,   /* no device matches the request */
    CLT_ERR_NO_FP64 = -2003,     /* double precision asked of a device without cl_khr_fp64 */
    CLT_ERR_NOMEM = -2004,       /* host allocation failed */
    CLT_ERR_IO = -2005,          /* a file could not be opened, read or written */
    CLT_ERR_FORMAT = -2006,      /* a file's content is malformed */
    CLT_ERR_ARG = -2007,         /* an argument is out of range or inconsistent */
    CLT_ERR_MISMATCH = -2008,    /* device and reference disagree (--verify) */
    CLT_ERR_TOO_LARGE = -2009,   /* the buffers do not fit on the device */
    CLT_ERR_NONFINITE = -2010,   /* a loss or value became NaN or Inf */
    CLT_ERR_BUILD = -2011,       /* a kernel program failed to build */
    CLT_ERR_INTERRUPTED = -2012, /* stopped by the user (SIGINT) */
};

/* The name of any status: "CL_OUT_OF_RESOURCES", "CLT_ERR_FORMAT", ... */
const char *clt_status_name(int status);

/* The description of the most recent failure in this thread ("" if none).
 * The string is owned by the library and valid until the next failure. */
const char *clt_last_error(void);

/* Records a failure description (printf-style) and returns status, so that a
 * failing function can end with `return clt_fail(CLT_ERR_IO, "...", ...)`. */
int clt_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ------------------------------------------------------------------------ */
/* Numbers                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum { CLT_FLOAT = 0, CLT_DOUBLE = 1 } clt_precision;

/* Bytes of one element in the given precision (4 or 8). */
size_t clt_precision_size(clt_precision p);

/* "float" or "double". */
const char *clt_precision_name(clt_precision p);

/* Parses a double the same way whatever the process's locale ("1.5" always
 * means one and a half).  Leading blanks are skipped; *end is set past the
 * number (to s when there is none).  Returns the value. */
double clt_strtod(const char *s, char **end);

/* Writes x as Python's repr(float) does: the shortest text that reads back to
 * the same double, "1.0" rather than "1", "1e-05" rather than "0.00001". */
void clt_format_pyfloat(char *buf, size_t size, double x);

/* ------------------------------------------------------------------------ */
/* Random numbers: numpy's legacy generator (np.random.seed / RandomState)    */
/* ------------------------------------------------------------------------ */

/* MT19937 state as numpy's RandomState keeps it, including the cached second
 * value of the polar Gaussian method.  Plain data: copy it to save it. */
typedef struct clt_rng {
    uint32_t key[624];
    int pos;
    int has_gauss;
    double gauss;
} clt_rng;

/* As np.random.seed(seed). */
void clt_rng_seed(clt_rng *rng, uint32_t seed);

/* The next 32 raw bits. */
uint32_t clt_rng_u32(clt_rng *rng);

/* As np.random.random_sample(): a 53-bit double in [0, 1). */
double clt_rng_double(clt_rng *rng);

/* As np.random.standard_normal() / randn(): polar method, second value cached. */
double clt_rng_gauss(clt_rng *rng);

/* As numpy's legacy random_interval(max): uniform integer in [0, max]. */
uint64_t clt_rng_interval(clt_rng *rng, uint64_t max);

/* Fills perm[0..n) with np.random.permutation(n) as RandomState computes it. */
void clt_rng_permutation(clt_rng *rng, int64_t *perm, int64_t n);

/* ------------------------------------------------------------------------ */
/* Files                                                                     */
/* ------------------------------------------------------------------------ */

/* An output file written atomically: the bytes go to a temporary file in the
 * same folder, which clt_outfile_commit() flushes to disk and renames over
 * path.  clt_outfile_abort() (or a crash) leaves any existing file at path as
 * it was.  The folder must exist and be writable; open reports otherwise. */
typedef struct clt_outfile {
    FILE *fp;          /* write through this */
    char *path;        /* final name (owned) */
    char *tmp_path;    /* temporary name (owned) */
} clt_outfile;

int clt_outfile_open(clt_outfile *out, const char *path);
int clt_outfile_commit(clt_outfile *out);
void clt_outfile_abort(clt_outfile *out);

/* ------------------------------------------------------------------------ */
/* Safetensors                                                               */
/* ------------------------------------------------------------------------ */

typedef enum { CLT_F32 = 0, CLT_F64 = 1 } clt_dtype;

/* One tensor to write or one that was read.  data is little-endian raw
 * elements of dtype, row-major, shape[0] * ... * shape[ndim-1] of them. */
typedef struct clt_tensor {
    char name[64];
    clt_dtype dtype;
    int ndim;             /* 1 or 2 (0 for a scalar) */
    int64_t shape[4];
    void *data;           /* owned by whoever made the tensor */
} clt_tensor;

/* A string-to-string metadata entry (safetensors allows only strings). */
typedef struct clt_meta {
    char key[64];
    char *value;          /* owned by whoever made the entry */
} clt_meta;

/* Writes tensors and metadata to path atomically (see clt_outfile). */
int clt_safetensors_write(const char *path, const clt_tensor *tensors, int n_tensors,
                          const clt_meta *meta, int n_meta);

/* A safetensors file read whole into memory. */
typedef struct clt_st_file {
    clt_tensor *tensors;  /* n_tensors of them; data point into a private copy */
    int n_tensors;
    clt_meta *meta;       /* n_meta of them */
    int n_meta;
    void *blob;           /* private: the file's bytes */
} clt_st_file;

/* Reads and validates a safetensors file (header length, JSON, dtypes,
 * shapes, offsets within the file, no overlaps).  Only F32 and F64 tensors
 * are accepted.  On failure nothing is left allocated. */
int clt_safetensors_read(const char *path, clt_st_file *out);

/* Looks up a tensor or a metadata value by name; NULL when absent. */
const clt_tensor *clt_st_tensor(const clt_st_file *f, const char *name);
const char *clt_st_meta(const clt_st_file *f, const char *key);

void clt_st_free(clt_st_file *f);

/* Reads and validates a safetensors image already in memory (used by the
 * reader above and by the fuzzer).  The file name is used in messages only.
 * The tensors' data point into a private copy of buf. */
int clt_safetensors_parse(const void *buf, size_t size, const char *name, clt_st_file *out);

/* ------------------------------------------------------------------------ */
/* Data sets                                                                 */
/* ------------------------------------------------------------------------ */

typedef enum {
    CLT_TASK_BINARY = 0,      /* one 0/1 target row */
    CLT_TASK_MULTICLASS = 1,  /* n_out one-hot target rows, n_out >= 2 classes */
    CLT_TASK_REGRESSION = 2,  /* n_out real-valued target rows */
} clt_task;

/* A data set in the notebook's layout: X is (n_in, m), Y is (n_out, m). */
typedef struct clt_dataset {
    int64_t m;            /* samples */
    int n_in;             /* input features */
    int n_out;            /* target rows */
    double *X;            /* n_in * m values, X[i * m + j] */
    double *Y;            /* n_out * m values, Y[i * m + j] */
    clt_task task;
    int n_classes;        /* 2 for binary, n_out for multi-class, 0 for regression */
    int *labels;          /* m class indices for classification, else NULL */
    char **class_names;   /* n_classes names: string labels, the header's names, or
                           * integer labels as text ("0", "7"); NULL when the file
                           * has none (FANN one-hot targets, IDX) */
} clt_dataset;

typedef struct clt_load_options {
    int label_col;        /* CSV: label column, 0-based; negative counts from
                           * the end (-1, the default, is the last column) */
} clt_load_options;

/* Loads a CSV or FANN file, recognised from its content.  Every error names
 * the file and line and what was wrong; nothing is padded or guessed. */
int clt_dataset_load(const char *path, const clt_load_options *opt, clt_dataset *out);

/* The same from bytes in memory (for tests and fuzzers); name is used in
 * messages only. */
int clt_dataset_parse(const char *buf, size_t size, const char *name,
                      const clt_load_options *opt, clt_dataset *out);

/* Loads an IDX image file and its IDX label file (gzip or raw, found from the
 * content), pixels scaled to [0, 1], labels as classes. */
int clt_dataset_load_idx(const char *images, const char *labels, clt_dataset *out);

/* The same from bytes in memory (already decompressed or gzip). */
int clt_dataset_parse_idx(const void *images, size_t images_size, const char *images_name,
                          const void *labels, size_t labels_size, const char *labels_name,
                          clt_dataset *out);

void clt_dataset_free(clt_dataset *d);

/* ------------------------------------------------------------------------ */
/* Devices                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct clt_device_info {
    int index;                 /* as listed by `cltrain devices` */
    char platform[128];
    char name[128];
    char type[16];             /* "GPU", "CPU", "ACCELERATOR", "OTHER" */
    unsigned compute_units;
    uint64_t global_mem;       /* bytes */
    uint64_t max_alloc;        /* bytes */
    int fp64;                  /* cl_khr_fp64 or double_fp_config != 0 */
} clt_device_info;

/* Lists every device of every platform.  *list is malloc'd (free() it).
 * Returns CLT_ERR_NO_PLATFORM when the loader has no platform at all. */
int clt_devices(clt_device_info **list, int *count);

/* Picks a device: spec is an index as listed, or a case-insensitive substring
 * of the device name; NULL or "" uses $CLTRAIN_DEVICE if set, else prefers the
 * first GPU, else the first device.
 * Writes the chosen index to *index. */
int clt_device_pick(const char *spec, int *index);

/* An OpenCL context, queue and the built kernel program for one device and
 * one precision.  Opaque. */
typedef struct clt_context clt_context;

/* Opens the device (as listed) and builds the kernels for precision p.
 * Extra build options (may be NULL) are appended to the defaults; a failed
 * build prints the device, the options and the build log to stderr. */
int clt_context_create(int device_index, clt_precision p, const char *extra_options,
                       clt_context **out);
void clt_context_free(clt_context *ctx);
const clt_device_info *clt_context_device(const clt_context *ctx);
clt_precision clt_context_precision(const clt_context *ctx);

/* ------------------------------------------------------------------------ */
/* Networks                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum {
    CLT_ACT_SIGMOID = 0,
    CLT_ACT_TANH = 1,
    CLT_ACT_RELU = 2,
    CLT_ACT_LINEAR = 3,   /* output only: identity, mean squared error */
    CLT_ACT_SOFTMAX = 4,  /* output only: softmax over n[L], categorical CE */
} clt_activation;

const char *clt_activation_name(clt_activation a);
/* Parses "sigmoid", "tanh", ...; returns -1 for an unknown name. */
int clt_activation_parse(const char *s);

#define CLT_MAX_LAYERS 32

/* The shape of a network: L layers, widths n[0..L], activation per layer
 * (act[l-1] is layer l's; act[L-1] is the output's and fixes the loss:
 * sigmoid -> binary cross-entropy, softmax -> categorical cross-entropy,
 * linear -> mean squared error; dZ[L] = A[L] - Y for each pair). */
typedef struct clt_shape {
    int L;
    int n[CLT_MAX_LAYERS + 1];
    clt_activation act[CLT_MAX_LAYERS];
} clt_shape;

/* Host-side parameters in double precision: W[l-1] is (n[l], n[l-1]),
 * b[l-1] is (n[l], 1), for l = 1..L. */
typedef struct clt_params {
    clt_shape shape;
    double *W[CLT_MAX_LAYERS];
    double *b[CLT_MAX_LAYERS];
} clt_params;

int clt_params_alloc(clt_params *p, const clt_shape *shape);
void clt_params_free(clt_params *p);
int clt_params_copy(clt_params *dst, const clt_params *src);

/* The notebook's initialisation: np.random.seed(seed), then for each layer
 * W = randn(n[l], n[l-1]) * scale (b stays zero).  The notebook's scale is 0.1. */
void clt_params_init_numpy(clt_params *p, uint32_t seed, double scale);

/* The same, drawing from an already seeded generator (which it advances). */
void clt_params_init_rng(clt_params *p, clt_rng *rng, double scale);

/* The loss of predictions A (n_out, m) against targets Y for the output
 * activation: mean over samples of BCE summed over outputs (sigmoid),
 * categorical CE (softmax), or mean squared error per output (linear). */
double clt_loss(clt_activation out, const double *A, const double *Y, int n_out, int64_t m);

/* Fraction of samples whose predicted class matches: A > 0.5 for one output
 * row, argmax otherwise; Y is read the same way (one-hot or 0/1). */
double clt_accuracy(const double *A, const double *Y, int n_out, int64_t m);


/* ------------------------------------------------------------------------ */
/* The network on the device                                                 */
/* ------------------------------------------------------------------------ */

/* A network resident on one device: W, b, dW, db for every layer, and Z, A,
 * dZ, dA (n[l], m) for a batch of up to max_m samples, all allocated once by
 * clt_net_create.  A[0] is the input batch X and Y the targets.  Opaque. */
typedef struct clt_net clt_net;

/* The buffers a caller may read (tests, --verify, saving). */
typedef enum {
    CLT_BUF_W, CLT_BUF_B, CLT_BUF_DW, CLT_BUF_DB,   /* l = 1..L */
    CLT_BUF_Z, CLT_BUF_DZ,                         /* l = 1..L, (n[l], m) */
    CLT_BUF_A,                                     /* l = 0..L, A[0] = X */
    CLT_BUF_DA,                                    /* l = 1..L-1 */
    CLT_BUF_Y,                                     /* l ignored, (n[L], m) */
} clt_buf;

/* Device bytes a network of this shape and batch needs (all buffers). */
uint64_t clt_net_bytes(const clt_shape *shape, int64_t max_m, clt_precision p);

/* Checks the shape (1 <= L <= CLT_MAX_LAYERS, widths >= 1, softmax only as
 * the output) and the sizes against the device, then allocates every buffer.
 * Refuses with CLT_ERR_TOO_LARGE, saying what is needed and what the device
 * has, when a buffer exceeds the maximum allocation or the total exceeds the
 * global memory; nothing is left allocated then. */
int clt_net_create(clt_context *ctx, const clt_shape *shape, int64_t max_m, clt_net **out);
void clt_net_free(clt_net *net);
const clt_shape *clt_net_shape(const clt_net *net);

/* Copies parameters host -> device / device -> host (converting precision). */
int clt_net_set_params(clt_net *net, const clt_params *p);
int clt_net_get_params(clt_net *net, clt_params *p);

/* Uploads a batch: X (n[0], m) and Y (n[L], m) (Y may be NULL for inference).
 * m must not exceed max_m.  Later steps use this m. */
int clt_net_set_batch(clt_net *net, const double *X, const double *Y, int64_t m);

/* The current batch size. */
int64_t clt_net_batch(const clt_net *net);

/* Enqueues one forward pass (Z, A for every layer), the backward pass
 * (dZ[L] = A[L] - Y, then dW, db, dA, dZ down to layer 1), and the SGD update
 * W -= lr dW, b -= lr db.  None of them waits for the device. */
int clt_net_forward(clt_net *net);
int clt_net_backward(clt_net *net);
int clt_net_update(clt_net *net, double lr);

/* Reads buffer `which` of layer l into dst (converted to double); waits.
 * clt_net_buf_count says how many values that is. */
int clt_net_read(clt_net *net, clt_buf which, int l, double *dst);
size_t clt_net_buf_count(const clt_net *net, clt_buf which, int l);

/* Waits for all enqueued work. */
int clt_net_finish(clt_net *net);

/* ------------------------------------------------------------------------ */
/* The CPU reference                                                         */
/* ------------------------------------------------------------------------ */

/* The same step in plain C and double precision, the oracle for the tests
 * and for --verify.  Holds Z, A, dZ, dA, dW, db for one batch size. */
typedef struct clt_ref {
    clt_shape shape;
    int64_t m;
    double *Z[CLT_MAX_LAYERS + 1], *A[CLT_MAX_LAYERS + 1];   /* index l = 1..L; A[0] unused */
    double *dZ[CLT_MAX_LAYERS + 1], *dA[CLT_MAX_LAYERS + 1];
    double *dW[CLT_MAX_LAYERS + 1], *db[CLT_MAX_LAYERS + 1];
} clt_ref;

int clt_ref_alloc(clt_ref *r, const clt_shape *shape, int64_t m);
void clt_ref_free(clt_ref *r);

/* Forward pass over X (n[0], m). */
void clt_ref_forward(clt_ref *r, const clt_params *p, const double *X);

/* Backward pass after clt_ref_forward, against Y (n[L], m). */
void clt_ref_backward(clt_ref *r, const clt_params *p, const double *X, const double *Y);

/* W -= lr dW, b -= lr db with the gradients of the last backward pass. */
void clt_ref_update(const clt_ref *r, clt_params *p, double lr);

/* ------------------------------------------------------------------------ */
/* Lockstep verification (--verify)                                          */
/* ------------------------------------------------------------------------ */

/* Runs the CPU reference beside the device.  Around each device step:
 * clt_verify_before() reads the device's parameters and batch; after the
 * step is enqueued, clt_verify_after() performs the same step on the CPU from
 * those parameters and compares every Z, A, dZ, dA, dW, db and the updated W
 * and b.  Each buffer's error is max |device - reference| divided by the size
 * of the quantities that produced it (see verify.c), so values that cancel
 * to nearly zero are judged against their inputs, not against themselves. */
typedef struct clt_verify {
    clt_ref ref;
    clt_params before, after;
    double *X, *Y, *dev;        /* scratch: batch, targets, one device buffer */
    double tol;                 /* largest acceptable error */
    double max_err;             /* largest error seen so far */
    char max_where[64];         /* where it was seen, e.g. "dW[2]" */
    int64_t steps;              /* steps compared */
} clt_verify;

/* The default tolerance for a precision, with its reasons in verify.c. */
double clt_verify_tolerance(clt_precision p);

int clt_verify_init(clt_verify *v, const clt_net *net, double tol);
int clt_verify_before(clt_verify *v, clt_net *net);
/* Returns CLT_ERR_MISMATCH, naming the first buffer and element over the
 * tolerance, when the device disagrees with the reference. */
int clt_verify_after(clt_verify *v, clt_net *net, double lr);

/* One training step on the current batch: forward, backward, update, all
 * enqueued; with v (may be NULL) wrapped in clt_verify_before/after. */
int clt_net_step(clt_net *net, double lr, clt_verify *v);
void clt_verify_free(clt_verify *v);

/* ------------------------------------------------------------------------ */
/* Models                                                                    */
/* ------------------------------------------------------------------------ */

#define CLT_MODEL_FORMAT_VERSION 1

/* A trained network and what is needed to use it on new data.  Saved as
 * safetensors: tensors W1..WL and b1..bL (dtype F32 or F64 as trained,
 * shaped as in the notebook: W1 is (n[1], n[0]), b1 is (n[1], 1)), plus
 * norm_mean and norm_std (F64, (n[0],)) when inputs were standardised, and
 * string metadata: format "cltrain", format_version, layers "2,2,1",
 * activations "sigmoid,sigmoid", output, loss, task, and classes (the class
 * names joined by newlines) when known. */
typedef struct clt_model {
    clt_params params;
    clt_precision precision;
    clt_task task;
    int n_classes;
    char **class_names;     /* n_classes strings or NULL (owned) */
    double *norm_mean;      /* n[0] values or NULL (owned) */
    double *norm_std;       /* n[0] values or NULL (owned) */
} clt_model;

/* Writes the model atomically (temporary file, flush to disk, rename). */
int clt_model_save(const char *path, const clt_model *model);

/* The same with extra tensors (at most 8) and metadata (at most 16) appended,
 * as a checkpoint needs; readers of models ignore what they do not know. */
int clt_model_save_with(const char *path, const clt_model *model, const clt_tensor *extra,
                        int n_extra, const clt_meta *extra_meta, int n_extra_meta);

/* Reads a model, rejecting with a message naming the file: not safetensors,
 * truncated, not a cltrain model, a newer format_version, a missing tensor,
 * or shapes that disagree with the metadata.  Nothing is left allocated on
 * failure. */
int clt_model_load(const char *path, clt_model *model);

/* Frees what the model owns (parameters included). */
void clt_model_free(clt_model *model);

/* Writes y (n[L], m) = the forward pass of the model on X (n[0], m) on the
 * CPU, in double precision (after applying the stored normalisation to a copy
 * of X).  Used by eval and predict on small data and by tests. */
int clt_model_forward_cpu(const clt_model *model, const double *X, int64_t m, double *out);

/* ------------------------------------------------------------------------ */
/* Training on a data set                                                    */
/* ------------------------------------------------------------------------ */

/* Standardisation: mean and std (std 0 replaced by 1, so such a feature is
 * only centred) of each input feature of d, n_in values each, malloc'd. */
int clt_dataset_stats(const clt_dataset *d, double **mean, double **std);

/* X[i, :] = (X[i, :] - mean[i]) / std[i] in place. */
void clt_dataset_normalize(clt_dataset *d, const double *mean, const double *std);

/* Moves a seeded share of d's samples into a new set: the samples at
 * positions perm[0 .. (1 - fraction) m) of a permutation drawn from seed stay
 * in *train, the rest go to *test.  d is consumed (freed). */
int clt_dataset_split(clt_dataset *d, double fraction, uint32_t seed, clt_dataset *train,
                      clt_dataset *test);

/* A training run on one device: the data sets live on the device for the
 * whole run (uploaded once), each epoch draws a permutation on the host,
 * uploads it (one small write), and every mini-batch is gathered into the
 * network's input on the device; nothing is allocated after creation. */
typedef struct clt_trainer clt_trainer;

typedef struct clt_train_config {
    clt_shape shape;
    int64_t batch;          /* samples per step; 0 or >= m means full batch */
    double lr;
    uint32_t seed;          /* initial weights, then each epoch's shuffle */
    double init_scale;      /* W = randn * init_scale (0.1 in the notebook) */
    int verify;             /* check every step against the CPU reference */
    double verify_tol;      /* 0: clt_verify_tolerance() of the precision */
    /* Optional: called inside an epoch, at most every progress_seconds, with
     * the samples of the epoch trained so far.  To know that, the trainer
     * waits for the device before each call, so leave it NULL unless someone
     * is watching (a progress bar on a terminal). */
    void (*progress)(void *user, int epoch, int64_t done, int64_t total);
    void *progress_user;
    double progress_seconds;
} clt_train_config;

/* Figures after one epoch.  NaN where there is nothing to report (no test
 * set; accuracy for regression). */
typedef struct clt_epoch_stats {
    int epoch;              /* 1-based */
    double train_loss, train_accuracy, test_loss, test_accuracy;
    double seconds;         /* wall time of the epoch's training steps */
    double samples_per_s;
    double verify_max_err;
} clt_epoch_stats;

/* test may be NULL.  The data sets must stay alive while the trainer does
 * (they are read again only for verification). */
int clt_trainer_create(clt_context *ctx, const clt_train_config *cfg, const clt_dataset *train,
                       const clt_dataset *test, clt_trainer **out);
void clt_trainer_free(clt_trainer *t);

/* Runs one epoch and evaluates loss and accuracy on the training set (and
 * the test set).  A loss that is NaN or Inf yields CLT_ERR_NONFINITE and the
 * parameters of the last good epoch are put back. */
int clt_trainer_epoch(clt_trainer *t, clt_epoch_stats *stats);

/* The current parameters (host copy, double). */
int clt_trainer_params(clt_trainer *t, clt_params *out);

/* Device bytes held by the run (network and resident data). */
uint64_t clt_trainer_device_bytes(const clt_trainer *t);

/* Requests a stop at the next batch boundary (safe from a signal handler).
 * clt_trainer_epoch then returns CLT_ERR_INTERRUPTED, and a checkpoint taken
 * after that resumes from that batch. */
void clt_trainer_interrupt(clt_trainer *t);

/* Where a run stands: enough to continue it bit for bit.  Plain SGD keeps no
 * optimiser state beyond the parameters, so there is none to store. */
typedef struct clt_checkpoint {
    clt_params params;      /* as on the device (exact in its precision) */
    int epoch;              /* epochs completed */
    int64_t offset;         /* samples of the next epoch already trained (0 at a boundary) */
    clt_rng rng;            /* the generator as it was before the next epoch's shuffle */
    int64_t batch;          /* the run's batch, learning rate, seed and number of */
    double lr;              /* training samples, checked on resume */
    uint32_t seed;
    int64_t samples;
} clt_checkpoint;

/* Takes a checkpoint (reads the parameters from the device; waits). */
int clt_trainer_checkpoint(clt_trainer *t, clt_checkpoint *out);

/* Puts a run back where the checkpoint was taken.  The shape must match;
 * the batch, learning rate, seed and number of samples must be the run's own. */
int clt_trainer_restore(clt_trainer *t, const clt_checkpoint *c);

/* A checkpoint on disk is a model file (clt_model_load and `cltrain eval`
 * read it) with the position and the generator's state added. */
int clt_checkpoint_save(const char *path, const clt_checkpoint *c, const clt_model *model);
int clt_checkpoint_load(const char *path, clt_checkpoint *c, clt_model *model);
void clt_checkpoint_free(clt_checkpoint *c);

#ifdef __cplusplus
}
#endif

#endif /* CLTRAIN_H */
