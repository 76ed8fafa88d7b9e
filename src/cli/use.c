/*
 * use.c - `cltrain eval` and `cltrain predict`: a saved model applied to a
 * data file on the device.
 *
 * The data's targets are matched to the model's outputs by class name when
 * both know the names (so a file holding only some of the classes still
 * lines up), by position otherwise; a label the model does not know, or a
 * feature count that differs from the model's, is refused with the file
 * named.  Inputs are standardised with the statistics stored in the model.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

#define EVAL_BATCH 4096

typedef struct use_args {
    const char *model, *data, *labels, *output, *device, *precision;
    int label_col, json, quiet;
} use_args;

/* Rebuilds d's targets as the model's outputs (n_out rows); returns 0 or an
 * exit status after a message.
 * Known limitation: targets without class names (FANN one-hot) are matched
 * to the model's outputs by position, and every file needs its label column,
 * predict's too: a file of features alone reads as one feature short. */
static int align_targets(const char *cmd, const use_args *a, const clt_model *model,
                         clt_dataset *d)
{
    const clt_shape *s = &model->params.shape;
    int n_out = s->n[s->L];

    if (d->n_in != s->n[0]) {
        fprintf(stderr, "cltrain %s: %s has %d features but the model %s expects %d\n", cmd,
                a->data, d->n_in, a->model, s->n[0]);
        return 1;
    }
    if (model->task == CLT_TASK_REGRESSION || !d->labels) {
        if (d->n_out != n_out) {
            fprintf(stderr, "cltrain %s: %s has %d targets but the model %s has %d outputs\n",
                    cmd, a->data, d->n_out, a->model, n_out);
            return 1;
        }
        return 0;
    }

    int k = model->n_classes;
    int *map = malloc((size_t)d->n_classes * sizeof(int));
    double *Y = calloc((size_t)n_out * d->m, sizeof(double));
    if (!map || !Y) {
        free(map);
        free(Y);
        fprintf(stderr, "cltrain %s: out of memory\n", cmd);
        return 1;
    }
    for (int c = 0; c < d->n_classes; c++) {
        map[c] = c;
        if (d->class_names && model->class_names) {
            map[c] = -1;
            for (int i = 0; i < k; i++)
                if (strcmp(d->class_names[c], model->class_names[i]) == 0)
                    map[c] = i;
        }
        if (map[c] < 0 || map[c] >= k) {
            fprintf(stderr, "cltrain %s: %s has a label '%s' that is not one of the model's %d "
                    "classes\n", cmd, a->data, d->class_names ? d->class_names[c] : "?", k);
            free(map);
            free(Y);
            return 1;
        }
    }
    for (int64_t j = 0; j < d->m; j++) {
        int c = map[d->labels[j]];
        d->labels[j] = c;
        if (n_out == 1)
            Y[j] = c;
        else
            Y[(size_t)c * d->m + j] = 1;
    }
    free(map);
    free(d->Y);
    d->Y = Y;
    d->n_out = n_out;
    return 0;
}

/* Loads the model and the data and runs the forward pass on the device;
 * *out is (n[L], m).  Returns 0 or an exit status. */
static int run_model(const char *cmd, const use_args *a, clt_model *model, clt_dataset *d,
                     double **out)
{
    clt_context *ctx = NULL;
    clt_net *net = NULL;
    clt_load_options lo = {a->label_col};
    int st = clt_model_load(a->model, model);
    if (st != CLT_OK)
        return cli_fail(cmd, st);
    st = a->labels ? clt_dataset_load_idx(a->data, a->labels, d)
                   : clt_dataset_load(a->data, &lo, d);
    if (st != CLT_OK)
        return cli_fail(cmd, st);
    int rc = align_targets(cmd, a, model, d);
    if (rc)
        return rc;
    if (model->norm_mean)
        clt_dataset_normalize(d, model->norm_mean, model->norm_std);

    const char *prec = a->precision ? a->precision : clt_precision_name(model->precision);
    rc = cli_open_device(cmd, a->device, prec, a->quiet, &ctx);
    if (rc)
        return rc;

    const clt_shape *s = &model->params.shape;
    int64_t batch = d->m < EVAL_BATCH ? d->m : EVAL_BATCH;
    size_t n_out = (size_t)s->n[s->L];
    double *A = malloc(n_out * d->m * sizeof(double));
    double *X = malloc((size_t)s->n[0] * batch * sizeof(double));
    double *Ab = malloc(n_out * batch * sizeof(double));
    st = !A || !X || !Ab ? clt_fail(CLT_ERR_NOMEM, "out of memory") : CLT_OK;
    if (st == CLT_OK)
        st = clt_net_create(ctx, s, batch, &net);
    if (st == CLT_OK)
        st = clt_net_set_params(net, &model->params);

    for (int64_t off = 0; off < d->m && st == CLT_OK; off += batch) {
        int64_t m = d->m - off < batch ? d->m - off : batch;
        for (int i = 0; i < s->n[0]; i++)
            memcpy(X + (size_t)i * m, d->X + (size_t)i * d->m + off, (size_t)m * sizeof(double));
        st = clt_net_set_batch(net, X, NULL, m);
        if (st == CLT_OK)
            st = clt_net_forward(net);
        if (st == CLT_OK)
            st = clt_net_read(net, CLT_BUF_A, s->L, Ab);
        for (size_t i = 0; i < n_out && st == CLT_OK; i++)
            memcpy(A + i * d->m + off, Ab + i * m, (size_t)m * sizeof(double));
    }
    free(X);
    free(Ab);
    clt_net_free(net);
    clt_context_free(ctx);
    if (st != CLT_OK) {
        free(A);
        return cli_fail(cmd, st);
    }
    *out = A;
    return 0;
}

static int parse(const char *cmd, int argc, char **argv, use_args *a, int for_predict)
{
    a->label_col = -1;
    opt opts[] = {
        {"model", OPT_STRING, &a->model, 0, 0, "FILE", "a model saved by cltrain train --save"},
        {"data", OPT_STRING, &a->data, 0, 0, "FILE", "data: CSV, FANN, or IDX images"},
        {"labels", OPT_STRING, &a->labels, 0, 0, "FILE", "IDX labels for IDX --data"},
        {"label-col", OPT_INT, &a->label_col, -1000000, 1000000, "N", "CSV label column"},
        {for_predict ? "output" : "json", for_predict ? OPT_STRING : OPT_FLAG,
         for_predict ? (void *)&a->output : (void *)&a->json, 0, 0, "FILE",
         for_predict ? "write the CSV here (default: stdout)" : "print one JSON object"},
        {"device", OPT_STRING, &a->device, 0, 0, "SPEC", "device index or name part"},
        {"precision", OPT_STRING, &a->precision, 0, 0, "float|double", "default: as trained"},
        {"quiet", OPT_FLAG, &a->quiet, 0, 0, "", "nothing on stderr but errors"},
        {0},
    };
    int help;
    int rc = args_parse(cmd, argc, argv, 2, opts, &help);
    if (help) {
        args_usage(cmd, for_predict ? "Writes a model's predictions for a data file as CSV."
                   : "Prints a model's loss and accuracy on a data file.", opts);
        return -1;
    }
    if (rc)
        return rc;
    if (!a->model || !a->data) {
        fprintf(stderr, "cltrain %s: --model FILE and --data FILE are required\n", cmd);
        return 2;
    }
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    use_args a = {0};
    int rc = parse("eval", argc, argv, &a, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    a.quiet |= a.json;

    clt_model model = {0};
    clt_dataset d = {0};
    double *A = NULL;
    rc = run_model("eval", &a, &model, &d, &A);
    if (rc == 0) {
        const clt_shape *s = &model.params.shape;
        int n_out = s->n[s->L];
        clt_activation out = s->act[s->L - 1];
        double loss = clt_loss(out, A, d.Y, n_out, d.m);
        double mse = clt_loss(CLT_ACT_LINEAR, A, d.Y, n_out, d.m);
        int classify = model.task != CLT_TASK_REGRESSION;
        double acc = classify ? clt_accuracy(A, d.Y, n_out, d.m) : NAN;
        if (a.json) {
            char acc_text[32] = "null";
            if (classify)
                snprintf(acc_text, sizeof acc_text, "%.17g", acc);
            printf("{\"samples\": %lld, \"loss\": %.17g, \"accuracy\": %s, \"mse\": %.17g}\n",
                   (long long)d.m, loss, acc_text, mse);
        } else {
            printf("samples %lld\nloss %.6f\n", (long long)d.m, loss);
            if (classify)
                printf("accuracy %.4f\n", acc);
            printf("mse %.6g\n", mse);
        }
    }
    free(A);
    clt_model_free(&model);
    clt_dataset_free(&d);
    return rc;
}

/* The class of sample j: above 0.5 for one output, the argmax otherwise. */
static int class_of(const double *A, int n_out, int64_t m, int64_t j)
{
    if (n_out == 1)
        return A[j] > 0.5;
    int best = 0;
    for (int i = 1; i < n_out; i++)
        if (A[(size_t)i * m + j] > A[(size_t)best * m + j])
            best = i;
    return best;
}

static void write_predictions(FILE *fp, const clt_model *model, const double *A, int64_t m)
{
    const clt_shape *s = &model->params.shape;
    int n_out = s->n[s->L];
    int classify = model->task != CLT_TASK_REGRESSION;

    if (classify) {
        fprintf(fp, "class");
        if (n_out == 1)
            fprintf(fp, ",p_%s", model->class_names ? model->class_names[1] : "1");
        for (int i = 0; n_out > 1 && i < n_out; i++) {
            if (model->class_names)
                fprintf(fp, ",p_%s", model->class_names[i]);
            else
                fprintf(fp, ",p_%d", i);
        }
    } else {
        for (int i = 0; i < n_out; i++)
            fprintf(fp, "%sy%d", i ? "," : "", i);
    }
    fprintf(fp, "\n");

    for (int64_t j = 0; j < m; j++) {
        if (classify) {
            int c = class_of(A, n_out, m, j);
            if (model->class_names)
                fprintf(fp, "%s", model->class_names[c]);
            else
                fprintf(fp, "%d", c);
        }
        for (int i = 0; i < n_out; i++)
            fprintf(fp, "%s%.9g", classify || i ? "," : "", A[(size_t)i * m + j]);
        fprintf(fp, "\n");
    }
}

int cmd_predict(int argc, char **argv)
{
    use_args a = {0};
    int rc = parse("predict", argc, argv, &a, 1);
    if (rc)
        return rc < 0 ? 0 : rc;

    clt_model model = {0};
    clt_dataset d = {0};
    clt_outfile out = {0};
    double *A = NULL;

    /* Open the output first: a folder that does not exist fails before any work. */
    if (a.output) {
        int st = clt_outfile_open(&out, a.output);
        if (st != CLT_OK)
            return cli_fail("predict", st);
    }
    rc = run_model("predict", &a, &model, &d, &A);
    if (rc == 0) {
        write_predictions(out.fp ? out.fp : stdout, &model, A, d.m);
        if (out.fp) {
            int st = clt_outfile_commit(&out);
            if (st != CLT_OK)
                rc = cli_fail("predict", st);
        }
    }
    if (out.fp)
        clt_outfile_abort(&out);
    free(A);
    clt_model_free(&model);
    clt_dataset_free(&d);
    return rc;
}
