/*
 * train.c - `cltrain train`: a network trained on a data file.
 *
 * The data's shape decides the network's ends: n[0] is the number of input
 * features and n[L] the number of targets; --hidden sets the widths between.
 * The output activation and loss follow the task unless --output says
 * otherwise (one 0/1 target: sigmoid and binary cross-entropy; classes:
 * softmax and categorical cross-entropy; real targets: linear and mean
 * squared error).  One line per epoch goes to stdout; the device, the chosen
 * settings and a progress bar (on a terminal) go to stderr.
 */
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"

static clt_trainer *running;   /* for the SIGINT handler */

static void on_sigint(int sig)
{
    (void)sig;
    if (running)
        clt_trainer_interrupt(running);
    signal(SIGINT, SIG_DFL); /* a second Ctrl-C stops at once */
}

typedef struct train_args {
    const char *data, *labels, *test, *test_labels, *hidden, *activation, *output;
    const char *precision, *device, *save, *metrics, *checkpoint, *resume;
    int label_col, batch, epochs, every, normalize, verify, quiet, checkpoint_every;
    uint32_t seed;
    double lr, split, init_scale;
} train_args;

static int load(const char *file, const char *labels, int label_col, clt_dataset *d)
{
    clt_load_options o = {label_col};
    return labels ? clt_dataset_load_idx(file, labels, d) : clt_dataset_load(file, &o, d);
}

static const char *task_text(clt_task t)
{
    return t == CLT_TASK_BINARY ? "binary classification"
         : t == CLT_TASK_MULTICLASS ? "multi-class classification" : "regression";
}

/* Builds the network's shape from the data and the options. */
static int make_shape(const train_args *a, const clt_dataset *d, clt_shape *s)
{
    int widths[CLT_MAX_LAYERS];
    int n_hidden = args_widths("train", "hidden", a->hidden, widths, CLT_MAX_LAYERS - 1);
    if (n_hidden < 0)
        return 2;
    int hid = clt_activation_parse(a->activation);
    if (hid < 0 || hid == CLT_ACT_SOFTMAX || hid == CLT_ACT_LINEAR) {
        fprintf(stderr, "cltrain train: --activation: '%s' is not sigmoid, tanh or relu\n",
                a->activation);
        return 2;
    }
    int out = d->task == CLT_TASK_BINARY ? CLT_ACT_SIGMOID
            : d->task == CLT_TASK_MULTICLASS ? CLT_ACT_SOFTMAX : CLT_ACT_LINEAR;
    if (a->output) {
        out = clt_activation_parse(a->output);
        if (out != CLT_ACT_SIGMOID && out != CLT_ACT_SOFTMAX && out != CLT_ACT_LINEAR) {
            fprintf(stderr, "cltrain train: --output: '%s' is not sigmoid, softmax or linear\n",
                    a->output);
            return 2;
        }
        if (out == CLT_ACT_SOFTMAX && d->n_out < 2) {
            fprintf(stderr, "cltrain train: --output softmax needs at least two outputs; the "
                    "data has one target (use sigmoid)\n");
            return 2;
        }
    }
    memset(s, 0, sizeof *s);
    s->L = n_hidden + 1;
    s->n[0] = d->n_in;
    for (int i = 0; i < n_hidden; i++) {
        s->n[i + 1] = widths[i];
        s->act[i] = (clt_activation)hid;
    }
    s->n[s->L] = d->n_out;
    s->act[s->L - 1] = (clt_activation)out;
    return 0;
}

static void fmt(char *buf, size_t size, double v, const char *f)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, size, f, v);
}

/* The live progress bar on a terminal: the epoch's share of samples, and an
 * estimate of the time left from the pace so far. */
typedef struct bar {
    int epochs, first_epoch;
    double start;
} bar;

static void draw_bar(void *user, int epoch, int64_t done, int64_t total)
{
    const bar *b = user;
    double part = (double)(epoch - 1 - b->first_epoch) + (double)done / (double)total;
    double whole = (double)(b->epochs - b->first_epoch), elapsed = cli_now() - b->start;
    int width = 30, filled = (int)(part / whole * width);
    double eta = part > 0 ? elapsed / part * (whole - part) : 0;
    fprintf(stderr, "\r[%.*s%*s] epoch %d/%d %3.0f%%  ETA %d:%02d ", filled,
            "==============================", width - filled, "", epoch, b->epochs,
            100.0 * (double)done / (double)total, (int)eta / 60, (int)eta % 60);
    fflush(stderr);
}

#define INTERRUPT_CHECKPOINT "cltrain-interrupted.ckpt"

/* Writes a checkpoint of the run to path; returns a library status. */
static int write_checkpoint(clt_trainer *tr, const clt_model *model, const char *path)
{
    clt_checkpoint c;
    int st = clt_trainer_checkpoint(tr, &c);
    if (st == CLT_OK) {
        st = clt_checkpoint_save(path, &c, model);
        clt_checkpoint_free(&c);
    }
    return st;
}

/* In float precision every value is rounded to float on the device: one
 * beyond float's range would become infinite.  Returns 0 or 1 after saying
 * where the first such value is. */
static int check_float_range(const char *file, const clt_dataset *d)
{
    const double *parts[2] = {d->X, d->Y};
    int rows[2] = {d->n_in, d->n_out};
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < rows[p]; i++)
            for (int64_t j = 0; j < d->m; j++) {
                double v = parts[p][(size_t)i * d->m + j];
                if (fabs(v) > FLT_MAX) {
                    fprintf(stderr, "cltrain train: %s: sample %lld has %s %d = %g, beyond the "
                            "range of float; use --normalize or --precision double\n", file,
                            (long long)j + 1, p ? "target" : "feature", i + 1, v);
                    return 1;
                }
            }
    return 0;
}

/* One run, after the options are parsed; returns the exit status. */
static int run(const train_args *a)
{
    clt_dataset train = {0}, test = {0};
    clt_context *ctx = NULL;
    clt_trainer *tr = NULL;
    clt_model model = {0};
    clt_outfile metrics = {0};
    int have_test = 0, rc = 1, st;
    int tty = isatty(STDERR_FILENO) && !a->quiet;

    /* Output folders are checked before any work: a run must not train for
     * an hour and then find it cannot save. */
    const char *outputs[3] = {a->save, a->checkpoint, a->metrics};
    const char *names[3] = {"--save", "--checkpoint", "--metrics"};
    for (int i = 0; i < 3; i++)
        for (int k = i + 1; k < 3; k++)
            if (outputs[i] && outputs[k] && strcmp(outputs[i], outputs[k]) == 0) {
                fprintf(stderr, "cltrain train: %s and %s name the same file '%s'\n", names[i],
                        names[k], outputs[i]);
                return 2;
            }
    for (int i = 0; i < 3; i++) {
        clt_outfile probe;
        if (!outputs[i])
            continue;
        st = clt_outfile_open(&probe, outputs[i]);
        if (st != CLT_OK)
            return cli_fail("train", st);
        clt_outfile_abort(&probe);
    }

    st = load(a->data, a->labels, a->label_col, &train);
    if (st != CLT_OK)
        return cli_fail("train", st);
    if (a->test) {
        st = load(a->test, a->test_labels, a->label_col, &test);
        if (st != CLT_OK) {
            clt_dataset_free(&train);
            return cli_fail("train", st);
        }
        have_test = 1;
        if (test.n_in != train.n_in || test.n_out != train.n_out) {
            fprintf(stderr, "cltrain train: --test %s has %d inputs and %d targets but --data %s "
                    "has %d and %d\n", a->test, test.n_in, test.n_out, a->data, train.n_in,
                    train.n_out);
            goto done;
        }
    } else if (a->split > 0) {
        clt_dataset whole = train;
        memset(&train, 0, sizeof train);
        st = clt_dataset_split(&whole, a->split, a->seed, &train, &test);
        if (st != CLT_OK) {
            rc = cli_fail("train", st);
            goto done;
        }
        have_test = 1;
    }

    clt_shape shape;
    rc = make_shape(a, &train, &shape);
    if (rc)
        goto done;
    rc = 1;

    if (a->normalize) {
        st = clt_dataset_stats(&train, &model.norm_mean, &model.norm_std);
        if (st != CLT_OK) {
            rc = cli_fail("train", st);
            goto done;
        }
        clt_dataset_normalize(&train, model.norm_mean, model.norm_std);
        if (have_test)
            clt_dataset_normalize(&test, model.norm_mean, model.norm_std);
    }

    if (strcmp(a->precision, "float") == 0 &&
        (check_float_range(a->data, &train) || (have_test && check_float_range(
            a->test ? a->test : a->data, &test))))
        goto done;

    rc = cli_open_device("train", a->device, a->precision, a->quiet, &ctx);
    if (rc)
        goto done;
    rc = 1;

    bar progress = {a->epochs, 0, cli_now()};
    clt_train_config cfg = {0};
    if (tty) {
        cfg.progress = draw_bar;
        cfg.progress_user = &progress;
        cfg.progress_seconds = 0.25;
    }
    cfg.shape = shape;
    cfg.batch = a->batch;
    cfg.lr = a->lr;
    cfg.seed = a->seed;
    cfg.init_scale = a->init_scale;
    cfg.verify = a->verify;
    st = clt_trainer_create(ctx, &cfg, &train, have_test ? &test : NULL, &tr);
    if (st != CLT_OK) {
        rc = cli_fail("train", st);
        goto done;
    }

    int first_epoch = 0;
    if (a->resume) {
        clt_checkpoint c;
        clt_model saved;
        st = clt_checkpoint_load(a->resume, &c, &saved);
        if (st == CLT_OK) {
            if (saved.precision != clt_context_precision(ctx))
                st = clt_fail(CLT_ERR_ARG, "%s was made in %s precision; resume with "
                              "--precision %s", a->resume, clt_precision_name(saved.precision),
                              clt_precision_name(saved.precision));
            else if ((saved.norm_mean != NULL) != (a->normalize != 0))
                st = clt_fail(CLT_ERR_ARG, "%s was made %s --normalize; resume with the same "
                              "options", a->resume, saved.norm_mean ? "with" : "without");
            else if (c.epoch >= a->epochs)
                st = clt_fail(CLT_ERR_ARG, "%s already holds %d epochs; give --epochs above "
                              "that to train more", a->resume, c.epoch);
            else
                st = clt_trainer_restore(tr, &c);
            first_epoch = c.epoch;
            clt_checkpoint_free(&c);
            clt_model_free(&saved);
        }
        if (st != CLT_OK) {
            rc = cli_fail("train", st);
            goto done;
        }
        if (!a->quiet)
            fprintf(stderr, "resuming from %s: %d epochs done\n", a->resume, first_epoch);
        progress.first_epoch = first_epoch;
    }

    model.precision = clt_context_precision(ctx);
    model.task = train.task;
    model.n_classes = train.n_classes;
    model.class_names = train.class_names;

    if (!a->quiet) {
        fprintf(stderr, "data: %lld samples, %d inputs, %s", (long long)train.m, train.n_in,
                task_text(train.task));
        if (train.n_classes)
            fprintf(stderr, " (%d classes)", train.n_classes);
        if (have_test)
            fprintf(stderr, "; test: %lld samples", (long long)test.m);
        fprintf(stderr, "\nnetwork:");
        for (int l = 0; l <= shape.L; l++)
            fprintf(stderr, "%s%d", l ? "-" : " ", shape.n[l]);
        fprintf(stderr, ", hidden %s, output %s (%s)%s; batch %lld, lr %g\n",
                clt_activation_name(shape.act[0]), clt_activation_name(shape.act[shape.L - 1]),
                shape.act[shape.L - 1] == CLT_ACT_SOFTMAX ? "categorical cross-entropy"
                : shape.act[shape.L - 1] == CLT_ACT_LINEAR ? "mean squared error"
                : "binary cross-entropy", a->output ? "" : ", chosen from the data",
                (long long)(a->batch > 0 && a->batch < train.m ? a->batch : train.m), a->lr);
        fprintf(stderr, "device memory: %.2f MiB (network and resident data)\n",
                clt_trainer_device_bytes(tr) / 1048576.0);
    }

    if (a->metrics) {
        st = clt_outfile_open(&metrics, a->metrics);
        if (st != CLT_OK) {
            rc = cli_fail("train", st);
            goto done;
        }
        fprintf(metrics.fp, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
    }

    running = tr;
    signal(SIGINT, on_sigint);
    clt_epoch_stats es;
    st = CLT_OK;
    int good_epochs = first_epoch;
    for (int e = first_epoch; e < a->epochs && st == CLT_OK; e++) {
        st = clt_trainer_epoch(tr, &es);
        if (st != CLT_OK)
            break;
        good_epochs++;
        if (a->checkpoint && (es.epoch % a->checkpoint_every == 0 || es.epoch == a->epochs)) {
            st = write_checkpoint(tr, &model, a->checkpoint);
            if (st != CLT_OK)
                break;
        }
        if (metrics.fp) {
            char b[4][32];
            fmt(b[0], 32, es.train_accuracy, "%.6f");
            fmt(b[1], 32, es.test_loss, "%.6f");
            fmt(b[2], 32, es.test_accuracy, "%.6f");
            fprintf(metrics.fp, "%d,%.6f,%s,%s,%s,%.4f\n", es.epoch, es.train_loss, b[0], b[1],
                    b[2], es.seconds);
        }
        if (!a->quiet && (es.epoch % a->every == 0 || es.epoch == a->epochs)) {
            if (tty)
                fprintf(stderr, "\r%*s\r", 72, "");
            printf("epoch %d  loss %.6f", es.epoch, es.train_loss);
            if (!isnan(es.train_accuracy))
                printf("  accuracy %.4f", es.train_accuracy);
            if (!isnan(es.test_loss))
                printf("  test_loss %.6f", es.test_loss);
            if (!isnan(es.test_accuracy))
                printf("  test_accuracy %.4f", es.test_accuracy);
            printf("  %.0f samples/s\n", es.samples_per_s);
            fflush(stdout);
        }
        if (tty)
            draw_bar(&progress, es.epoch, 1, 1);
    }
    if (tty)
        fprintf(stderr, "\n");
    signal(SIGINT, SIG_DFL);
    running = NULL;

    int trained_ok = st == CLT_OK;
    if (st == CLT_ERR_INTERRUPTED) {
        /* Ctrl-C: keep where the run stands, say where, and stop. */
        const char *path = a->checkpoint ? a->checkpoint : INTERRUPT_CHECKPOINT;
        fprintf(stderr, "cltrain train: %s\n", clt_last_error());
        st = write_checkpoint(tr, &model, path);
        if (st == CLT_OK)
            fprintf(stderr, "cltrain train: checkpoint written to %s; continue with the same "
                    "options and --resume %s\n", path, path);
        else
            cli_fail("train", st);
        rc = 130;
        goto done;
    }
    if (!trained_ok)
        cli_fail("train", st);
    if (a->verify && !a->quiet && trained_ok)
        fprintf(stderr, "verify: every step matched the CPU reference; largest error %.3g\n",
                es.verify_max_err);

    /* What the run produced is kept when it trained, and when it stopped on a
     * non-finite loss after at least one good epoch (then the model of the
     * last good epoch).  After any other failure, or when the model cannot be
     * saved, existing files at --save and --metrics are left as they were. */
    int keep = trained_ok || (st == CLT_ERR_NONFINITE && good_epochs > 0);
    if (!keep && a->save && st == CLT_ERR_NONFINITE)
        fprintf(stderr, "cltrain train: no epoch ended with a finite loss; %s not written\n",
                a->save);
    if (a->save && keep) {
        st = clt_trainer_params(tr, &model.params);
        if (st == CLT_OK)
            st = clt_model_save(a->save, &model);
        clt_params_free(&model.params);
        if (st != CLT_OK) {
            cli_fail("train", st);
            trained_ok = keep = 0;
        } else if (!a->quiet) {
            fprintf(stderr, "saved %s\n", a->save);
        }
    }
    if (metrics.fp && keep) {
        st = clt_outfile_commit(&metrics);
        if (st != CLT_OK) {
            cli_fail("train", st);
            trained_ok = 0;
        }
    }
    rc = trained_ok ? 0 : 1;

done:
    model.class_names = NULL; /* owned by the data set */
    if (metrics.fp)
        clt_outfile_abort(&metrics);
    clt_trainer_free(tr);
    clt_context_free(ctx);
    free(model.norm_mean);
    free(model.norm_std);
    clt_dataset_free(&train);
    if (have_test)
        clt_dataset_free(&test);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    train_args a = {0};
    a.hidden = "16";
    a.activation = "sigmoid";
    a.precision = "float";
    a.label_col = -1;
    a.epochs = 100;
    a.seed = 1;
    a.every = 1;
    a.checkpoint_every = 1;
    a.lr = 0.5;
    a.init_scale = 0.1;
    opt opts[] = {
        {"data", OPT_STRING, &a.data, 0, 0, "FILE", "training data: CSV, FANN, or IDX images"},
        {"labels", OPT_STRING, &a.labels, 0, 0, "FILE", "IDX labels for IDX --data"},
        {"test", OPT_STRING, &a.test, 0, 0, "FILE", "test data, same format as --data"},
        {"test-labels", OPT_STRING, &a.test_labels, 0, 0, "FILE", "IDX labels for IDX --test"},
        {"split", OPT_DOUBLE, &a.split, 0, 0.99, "F", "hold out this fraction as test (seeded)"},
        {"label-col", OPT_INT, &a.label_col, -1000000, 1000000, "N",
         "CSV label column, 0-based; negative counts from the end"},
        {"hidden", OPT_STRING, &a.hidden, 0, 0, "N[,N...]", "hidden layer widths"},
        {"activation", OPT_STRING, &a.activation, 0, 0, "NAME", "hidden: sigmoid, tanh, relu"},
        {"output", OPT_STRING, &a.output, 0, 0, "NAME",
         "sigmoid, softmax or linear (default: from the data)"},
        {"batch", OPT_INT, &a.batch, 0, 2147483647.0, "M", "samples per step; 0 = full batch"},
        {"epochs", OPT_INT, &a.epochs, 1, 100000000, "N", "passes over the data"},
        {"lr", OPT_DOUBLE, &a.lr, 1e-12, 1e6, "A", "learning rate"},
        {"seed", OPT_U32, &a.seed, 0, 4294967295.0, "N", "initial weights, shuffles and split"},
        {"init-scale", OPT_DOUBLE, &a.init_scale, 0, 100, "S", "W = randn * S"},
        {"normalize", OPT_FLAG, &a.normalize, 0, 0, "", "standardise inputs (stats kept in model)"},
        {"precision", OPT_STRING, &a.precision, 0, 0, "float|double", "element type on the device"},
        {"device", OPT_STRING, &a.device, 0, 0, "SPEC", "device index or name part"},
        {"verify", OPT_FLAG, &a.verify, 0, 0, "", "check every step against the CPU reference"},
        {"save", OPT_STRING, &a.save, 0, 0, "FILE", "write the model (safetensors)"},
        {"metrics", OPT_STRING, &a.metrics, 0, 0, "FILE", "write one CSV row per epoch"},
        {"checkpoint", OPT_STRING, &a.checkpoint, 0, 0, "FILE",
         "save the run's state here (atomically) every --checkpoint-every epochs"},
        {"checkpoint-every", OPT_INT, &a.checkpoint_every, 1, 100000000, "N",
         "epochs between checkpoints"},
        {"resume", OPT_STRING, &a.resume, 0, 0, "FILE",
         "continue from a checkpoint (give the run's other options again)"},
        {"every", OPT_INT, &a.every, 1, 100000000, "K", "print every K-th epoch"},
        {"quiet", OPT_FLAG, &a.quiet, 0, 0, "", "print nothing but errors"},
        {0},
    };
    int help;
    int rc = args_parse("train", argc, argv, 2, opts, &help);
    if (help) {
        args_usage("train", "Trains a network on a data file.", opts);
        return 0;
    }
    if (rc)
        return rc;
    if (!a.data) {
        fprintf(stderr, "cltrain train: --data FILE is required (see cltrain train --help)\n");
        return 2;
    }
    if (a.test && a.split > 0) {
        fprintf(stderr, "cltrain train: give --test or --split, not both\n");
        return 2;
    }
    if (a.test_labels && !a.test) {
        fprintf(stderr, "cltrain train: --test-labels needs --test\n");
        return 2;
    }
    if ((a.labels != NULL) != (a.test_labels != NULL) && a.test) {
        fprintf(stderr, "cltrain train: IDX data needs --labels and --test-labels together\n");
        return 2;
    }
    return run(&a);
}
