/*
 * checkpoint.c - a training run's position on disk.  A checkpoint is a model
 * file (so `cltrain eval` reads it) with these additions:
 *
 *   metadata  checkpoint_epoch, checkpoint_offset (samples of the next epoch
 *             already trained), checkpoint_batch, checkpoint_lr (hex float,
 *             exact), rng_pos, rng_has_gauss, rng_gauss (hex float),
 *             checkpoint_seed, checkpoint_samples
 *   tensor    rng_key, F64 (624,): the MT19937 key (32-bit integers, exact
 *             in a double)
 *
 * The parameters are stored in the precision they had on the device, so a
 * resumed run starts from exactly the same bits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

#define N_KEY 624
#define N_META 9

static const char *keys[N_META] = {"checkpoint_epoch", "checkpoint_offset", "checkpoint_batch",
                                   "checkpoint_lr", "rng_pos", "rng_has_gauss", "rng_gauss",
                                   "checkpoint_seed", "checkpoint_samples"};

int clt_checkpoint_save(const char *path, const clt_checkpoint *c, const clt_model *model)
{
    char text[N_META][64];
    clt_meta meta[N_META];
    snprintf(text[0], 64, "%d", c->epoch);
    snprintf(text[1], 64, "%lld", (long long)c->offset);
    snprintf(text[2], 64, "%lld", (long long)c->batch);
    snprintf(text[3], 64, "%a", c->lr);
    snprintf(text[4], 64, "%d", c->rng.pos);
    snprintf(text[5], 64, "%d", c->rng.has_gauss);
    snprintf(text[6], 64, "%a", c->rng.gauss);
    snprintf(text[7], 64, "%u", (unsigned)c->seed);
    snprintf(text[8], 64, "%lld", (long long)c->samples);
    for (int i = 0; i < N_META; i++) {
        snprintf(meta[i].key, sizeof meta[i].key, "%s", keys[i]);
        meta[i].value = text[i];
    }

    double key[N_KEY];
    for (int i = 0; i < N_KEY; i++)
        key[i] = c->rng.key[i];
    clt_tensor t = {0};
    snprintf(t.name, sizeof t.name, "rng_key");
    t.dtype = CLT_F64;
    t.ndim = 1;
    t.shape[0] = N_KEY;
    t.data = key;

    clt_model m = *model;
    m.params = c->params;
    return clt_model_save_with(path, &m, &t, 1, meta, N_META);
}

static int number(const char *path, const clt_st_file *f, const char *key, double *out,
                  int hex)
{
    const char *v = clt_st_meta(f, key);
    char *end;
    if (!v)
        return clt_fail(CLT_ERR_FORMAT, "%s: not a checkpoint (metadata %s missing)", path, key);
    *out = hex ? strtod(v, &end) : (double)strtoll(v, &end, 10);
    if (end == v || *end != '\0')
        return clt_fail(CLT_ERR_FORMAT, "%s: checkpoint metadata %s is '%s', not a number",
                        path, key, v);
    return CLT_OK;
}

static int read_position(const char *path, const clt_st_file *f, clt_checkpoint *c)
{
    double v[N_META];
    for (int i = 0; i < N_META; i++) {
        int st = number(path, f, keys[i], &v[i], i == 3 || i == 6);
        if (st != CLT_OK)
            return st;
    }
    const clt_tensor *t = clt_st_tensor(f, "rng_key");
    if (!t || t->dtype != CLT_F64 || t->ndim != 1 || t->shape[0] != N_KEY)
        return clt_fail(CLT_ERR_FORMAT, "%s: checkpoint tensor rng_key missing or not F64 (624,)",
                        path);
    if (v[0] < 0 || v[1] < 0 || v[2] < 1 || !(v[3] > 0) || v[4] < 0 || v[4] > N_KEY ||
        v[7] < 0 || v[7] > 4294967295.0 || v[8] < 1)
        return clt_fail(CLT_ERR_FORMAT, "%s: checkpoint position out of range", path);
    c->epoch = (int)v[0];
    c->offset = (int64_t)v[1];
    c->batch = (int64_t)v[2];
    c->lr = v[3];
    c->rng.pos = (int)v[4];
    c->rng.has_gauss = v[5] != 0;
    c->rng.gauss = v[6];
    c->seed = (uint32_t)v[7];
    c->samples = (int64_t)v[8];
    for (int i = 0; i < N_KEY; i++) {
        double k;
        memcpy(&k, (const char *)t->data + (size_t)i * 8, 8);
        if (!(k >= 0 && k <= 4294967295.0) || k != (double)(uint32_t)k)
            return clt_fail(CLT_ERR_FORMAT, "%s: rng_key[%d] is not a 32-bit integer", path, i);
        c->rng.key[i] = (uint32_t)k;
    }
    return CLT_OK;
}

int clt_checkpoint_load(const char *path, clt_checkpoint *c, clt_model *model)
{
    memset(c, 0, sizeof *c);
    int st = clt_model_load(path, model);
    if (st != CLT_OK)
        return st;

    clt_st_file f;
    st = clt_safetensors_read(path, &f);
    if (st == CLT_OK) {
        st = read_position(path, &f, c);
        clt_st_free(&f);
    }
    if (st == CLT_OK) {
        /* the parameters move from the model to the checkpoint */
        c->params = model->params;
        memset(&model->params, 0, sizeof model->params);
    } else {
        clt_model_free(model);
    }
    return st;
}

void clt_checkpoint_free(clt_checkpoint *c)
{
    clt_params_free(&c->params);
}
