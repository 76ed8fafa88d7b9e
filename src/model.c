/*
 * model.c - a trained network on disk, as safetensors that numpy, PyTorch and
 * the safetensors library read as they are.  Layout and metadata are described
 * at clt_model in cltrain.h.  What is left out on purpose: optimiser state
 * (plain SGD has none) and anything specific to a device.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

static const char *task_names[] = {"binary", "multiclass", "regression"};

static const char *loss_name(clt_activation out)
{
    return out == CLT_ACT_SOFTMAX ? "categorical_cross_entropy"
         : out == CLT_ACT_LINEAR ? "mean_squared_error" : "binary_cross_entropy";
}

/* Appends text to a growing string; returns 0 on success. */
static int append(char **s, size_t *len, const char *text)
{
    size_t add = strlen(text);
    char *grown = realloc(*s, *len + add + 1);
    if (!grown)
        return -1;
    memcpy(grown + *len, text, add + 1);
    *s = grown;
    *len += add;
    return 0;
}

static void set_meta(clt_meta *m, const char *key, char *value)
{
    snprintf(m->key, sizeof m->key, "%s", key);
    m->value = value;
}

int clt_model_save(const char *path, const clt_model *model)
{
    return clt_model_save_with(path, model, NULL, 0, NULL, 0);
}

int clt_model_save_with(const char *path, const clt_model *model, const clt_tensor *extra,
                        int n_extra, const clt_meta *extra_meta, int n_extra_meta)
{
    const clt_params *p = &model->params;
    const clt_shape *s = &p->shape;
    int L = s->L, n_t = 0, n_meta = 0, st = CLT_OK;
    clt_tensor tensors[2 * CLT_MAX_LAYERS + 2 + 8];
    clt_meta meta[10 + 16];
    void *converted[2 * CLT_MAX_LAYERS] = {0};
    char *layers = NULL, *acts = NULL, *classes = NULL;
    size_t layers_len = 0, acts_len = 0, classes_len = 0;
    char buf[32];

    memset(tensors, 0, sizeof tensors);
    for (int l = 0; l <= L && st == CLT_OK; l++) {
        snprintf(buf, sizeof buf, l ? ",%d" : "%d", s->n[l]);
        if (append(&layers, &layers_len, buf) ||
            (l > 0 && (append(&acts, &acts_len, l > 1 ? "," : "") ||
                       append(&acts, &acts_len, clt_activation_name(s->act[l - 1])))))
            st = clt_fail(CLT_ERR_NOMEM, "out of memory saving %s", path);
    }
    for (int c = 0; c < model->n_classes && model->class_names && st == CLT_OK; c++)
        if ((c && append(&classes, &classes_len, "\n")) ||
            append(&classes, &classes_len, model->class_names[c]))
            st = clt_fail(CLT_ERR_NOMEM, "out of memory saving %s", path);

    /* W1, b1, W2, b2, ... in the trained precision. */
    for (int l = 1; l <= L && st == CLT_OK; l++) {
        for (int which = 0; which < 2; which++) {
            clt_tensor *t = &tensors[n_t];
            size_t count = which == 0 ? (size_t)s->n[l] * s->n[l - 1] : (size_t)s->n[l];
            const double *src = which == 0 ? p->W[l - 1] : p->b[l - 1];
            snprintf(t->name, sizeof t->name, "%c%d", which == 0 ? 'W' : 'b', l);
            t->ndim = 2;
            t->shape[0] = s->n[l];
            t->shape[1] = which == 0 ? s->n[l - 1] : 1;
            t->dtype = model->precision == CLT_DOUBLE ? CLT_F64 : CLT_F32;
            if (t->dtype == CLT_F64) {
                t->data = (void *)src;
            } else {
                float *f = malloc(count * sizeof *f);
                if (!f) {
                    st = clt_fail(CLT_ERR_NOMEM, "out of memory saving %s", path);
                    break;
                }
                for (size_t i = 0; i < count; i++)
                    f[i] = (float)src[i];
                t->data = converted[n_t] = f;
            }
            n_t++;
        }
    }
    if (model->norm_mean && model->norm_std && st == CLT_OK) {
        const char *names[2] = {"norm_mean", "norm_std"};
        double *data[2] = {model->norm_mean, model->norm_std};
        for (int i = 0; i < 2; i++) {
            clt_tensor *t = &tensors[n_t++];
            snprintf(t->name, sizeof t->name, "%s", names[i]);
            t->dtype = CLT_F64;
            t->ndim = 1;
            t->shape[0] = s->n[0];
            t->data = data[i];
        }
    }

    char version[16];
    snprintf(version, sizeof version, "%d", CLT_MODEL_FORMAT_VERSION);
    set_meta(&meta[n_meta++], "format", "cltrain");
    set_meta(&meta[n_meta++], "format_version", version);
    set_meta(&meta[n_meta++], "layers", layers);
    set_meta(&meta[n_meta++], "activations", acts);
    set_meta(&meta[n_meta++], "output", (char *)clt_activation_name(s->act[L - 1]));
    set_meta(&meta[n_meta++], "loss", (char *)loss_name(s->act[L - 1]));
    set_meta(&meta[n_meta++], "task", (char *)task_names[model->task]);
    if (classes)
        set_meta(&meta[n_meta++], "classes", classes);
    if (n_extra > 8 || n_extra_meta > 16)
        st = clt_fail(CLT_ERR_ARG, "saving %s: too many extra entries", path);
    for (int i = 0; i < n_extra && st == CLT_OK; i++)
        tensors[n_t++] = extra[i];
    for (int i = 0; i < n_extra_meta && st == CLT_OK; i++)
        meta[n_meta++] = extra_meta[i];

    if (st == CLT_OK)
        st = clt_safetensors_write(path, tensors, n_t, meta, n_meta);

    for (int i = 0; i < 2 * CLT_MAX_LAYERS; i++)
        free(converted[i]);
    free(layers);
    free(acts);
    free(classes);
    return st;
}

/* Parses "2,2,1" into n[]; returns the number of widths or -1. */
static int parse_layers(const char *text, int *n, int max)
{
    int count = 0;
    while (text && *text) {
        char *end;
        long v = strtol(text, &end, 10);
        if (end == text || v < 1 || v > 100000000 || count == max)
            return -1;
        n[count++] = (int)v;
        if (*end == '\0')
            break;
        if (*end != ',')
            return -1;
        text = end + 1;
    }
    return count;
}

static int load_meta(const char *path, const clt_st_file *f, clt_model *model)
{
    clt_shape *s = &model->params.shape;
    const char *format = clt_st_meta(f, "format"), *version = clt_st_meta(f, "format_version");
    const char *layers = clt_st_meta(f, "layers"), *acts = clt_st_meta(f, "activations");
    const char *task = clt_st_meta(f, "task");

    if (!format || strcmp(format, "cltrain") != 0 || !version || !layers || !acts)
        return clt_fail(CLT_ERR_FORMAT, "%s: a safetensors file, but not a cltrain model "
                        "(metadata format/format_version/layers/activations missing)", path);
    char *end;
    long v = strtol(version, &end, 10);
    if (end == version || *end != '\0' || v < 1)
        return clt_fail(CLT_ERR_FORMAT, "%s: format_version '%s' is not a version number",
                        path, version);
    if (v > CLT_MODEL_FORMAT_VERSION)
        return clt_fail(CLT_ERR_FORMAT, "%s: model format version %ld is newer than this "
                        "cltrain reads (%d); use a newer cltrain", path, v,
                        CLT_MODEL_FORMAT_VERSION);

    int count = parse_layers(layers, s->n, CLT_MAX_LAYERS + 1);
    if (count < 2)
        return clt_fail(CLT_ERR_FORMAT, "%s: metadata layers '%s' is not a list of widths",
                        path, layers);
    s->L = count - 1;

    const char *a = acts;
    for (int l = 0; l < s->L; l++) {
        char name[16];
        size_t len = strcspn(a, ",");
        snprintf(name, sizeof name, "%.*s", (int)(len < 15 ? len : 15), a);
        int act = clt_activation_parse(name);
        if (act < 0 || len > 15)
            return clt_fail(CLT_ERR_FORMAT, "%s: metadata activations '%s': unknown or missing "
                            "activation for layer %d", path, acts, l + 1);
        s->act[l] = (clt_activation)act;
        a += len + (a[len] == ',');
    }
    if (*a)
        return clt_fail(CLT_ERR_FORMAT, "%s: metadata activations '%s' has more entries than "
                        "layers '%s'", path, acts, layers);

    model->task = s->act[s->L - 1] == CLT_ACT_LINEAR ? CLT_TASK_REGRESSION
                : s->n[s->L] == 1 ? CLT_TASK_BINARY : CLT_TASK_MULTICLASS;
    for (int t = 0; task && t < 3; t++)
        if (strcmp(task, task_names[t]) == 0)
            model->task = (clt_task)t;
    return CLT_OK;
}

/* Copies tensor `name` of the expected shape into dst (converted to double). */
static int take(const char *path, const clt_st_file *f, const char *name, int64_t rows,
                int64_t cols, int ndim, double *dst, clt_precision *prec)
{
    const clt_tensor *t = clt_st_tensor(f, name);
    if (!t)
        return clt_fail(CLT_ERR_FORMAT, "%s: tensor %s is missing", path, name);
    int64_t got_rows = t->ndim >= 1 ? t->shape[0] : 1;
    int64_t got_cols = t->ndim == 2 ? t->shape[1] : 1;
    if (t->ndim != ndim || got_rows != rows || got_cols != cols)
        return clt_fail(CLT_ERR_FORMAT, "%s: tensor %s has shape %s(%lld, %lld) but the metadata "
                        "layers say (%lld, %lld)", path, name,
                        t->ndim != ndim ? "rank-mismatched " : "",
                        (long long)got_rows, (long long)got_cols, (long long)rows, (long long)cols);
    size_t count = (size_t)(rows * cols);
    for (size_t i = 0; i < count; i++) {
        double v;
        if (t->dtype == CLT_F64)
            memcpy(&v, (const char *)t->data + i * 8, 8);
        else {
            float fv;
            memcpy(&fv, (const char *)t->data + i * 4, 4);
            v = fv;
        }
        if (!isfinite(v))
            return clt_fail(CLT_ERR_FORMAT, "%s: tensor %s element %zu is not finite", path,
                            name, i);
        dst[i] = v;
    }
    if (prec)
        *prec = t->dtype == CLT_F64 ? CLT_DOUBLE : CLT_FLOAT;
    return CLT_OK;
}

static int load_body(const char *path, const clt_st_file *f, clt_model *model)
{
    int st = load_meta(path, f, model);
    if (st != CLT_OK)
        return st;
    clt_shape shape = model->params.shape;
    st = clt_params_alloc(&model->params, &shape);
    if (st != CLT_OK)
        return st;

    const clt_shape *s = &model->params.shape;
    for (int l = 1; l <= s->L && st == CLT_OK; l++) {
        char name[16];
        snprintf(name, sizeof name, "W%d", l);
        st = take(path, f, name, s->n[l], s->n[l - 1], 2, model->params.W[l - 1],
                  l == 1 ? &model->precision : NULL);
        snprintf(name, sizeof name, "b%d", l);
        if (st == CLT_OK)
            st = take(path, f, name, s->n[l], 1, 2, model->params.b[l - 1], NULL);
    }
    if (st == CLT_OK && clt_st_tensor(f, "norm_mean")) {
        model->norm_mean = malloc((size_t)s->n[0] * sizeof(double));
        model->norm_std = malloc((size_t)s->n[0] * sizeof(double));
        if (!model->norm_mean || !model->norm_std)
            return clt_fail(CLT_ERR_NOMEM, "out of memory loading %s", path);
        st = take(path, f, "norm_mean", s->n[0], 1, 1, model->norm_mean, NULL);
        if (st == CLT_OK)
            st = take(path, f, "norm_std", s->n[0], 1, 1, model->norm_std, NULL);
    }

    const char *classes = clt_st_meta(f, "classes");
    if (st == CLT_OK && classes) {
        int count = 1;
        for (const char *c = classes; *c; c++)
            count += *c == '\n';
        model->class_names = calloc((size_t)count, sizeof(char *));
        if (!model->class_names)
            return clt_fail(CLT_ERR_NOMEM, "out of memory loading %s", path);
        model->n_classes = count;
        const char *c = classes;
        for (int i = 0; i < count; i++) {
            size_t len = strcspn(c, "\n");
            model->class_names[i] = malloc(len + 1);
            if (!model->class_names[i])
                return clt_fail(CLT_ERR_NOMEM, "out of memory loading %s", path);
            memcpy(model->class_names[i], c, len);
            model->class_names[i][len] = '\0';
            c += len + (c[len] == '\n');
        }
    }
    if (st == CLT_OK && model->task != CLT_TASK_REGRESSION && !model->n_classes)
        model->n_classes = s->n[s->L] == 1 ? 2 : s->n[s->L];
    int outputs_classes = s->n[s->L] == 1 ? 2 : s->n[s->L];
    if (st == CLT_OK && model->class_names && model->n_classes != outputs_classes)
        st = clt_fail(CLT_ERR_FORMAT, "%s: %d class names for an output of %d units", path,
                      model->n_classes, s->n[s->L]);
    return st;
}

int clt_model_load(const char *path, clt_model *model)
{
    clt_st_file f;
    memset(model, 0, sizeof *model);
    int st = clt_safetensors_read(path, &f);
    if (st != CLT_OK)
        return st;
    st = load_body(path, &f, model);
    clt_st_free(&f);
    if (st != CLT_OK)
        clt_model_free(model);
    return st;
}

void clt_model_free(clt_model *model)
{
    clt_params_free(&model->params);
    if (model->class_names)
        for (int i = 0; i < model->n_classes; i++)
            free(model->class_names[i]);
    free(model->class_names);
    free(model->norm_mean);
    free(model->norm_std);
    memset(model, 0, sizeof *model);
}

int clt_model_forward_cpu(const clt_model *model, const double *X, int64_t m, double *out)
{
    const clt_shape *s = &model->params.shape;
    size_t nx = (size_t)s->n[0] * m;
    double *Xn = malloc(nx * sizeof(double));
    clt_ref r;
    if (!Xn)
        return clt_fail(CLT_ERR_NOMEM, "out of memory for the forward pass");
    memcpy(Xn, X, nx * sizeof(double));
    if (model->norm_mean)
        for (int i = 0; i < s->n[0]; i++)
            for (int64_t j = 0; j < m; j++)
                Xn[(size_t)i * m + j] = (Xn[(size_t)i * m + j] - model->norm_mean[i]) /
                                        model->norm_std[i];
    int st = clt_ref_alloc(&r, s, m);
    if (st == CLT_OK) {
        clt_ref_forward(&r, &model->params, Xn);
        memcpy(out, r.A[s->L], (size_t)s->n[s->L] * m * sizeof(double));
        clt_ref_free(&r);
    }
    free(Xn);
    return st;
}
