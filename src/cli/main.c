/*
 * main.c - the cltrain program: one subcommand per job, each in its own file.
 * Results go to stdout; progress, device names and errors go to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"xor", cmd_xor, "train the notebook's 2-2-1 XOR network and print its output"},
    {"train", cmd_train, "train a network on a data file (CSV, FANN or IDX)"},
    {"eval", cmd_eval, "evaluate a saved model on a data file"},
    {"predict", cmd_predict, "write a saved model's predictions as CSV"},
    {"devices", cmd_devices, "list the OpenCL devices"},
    {"bench", cmd_bench, "measure kernel and training speed on a device"},
};
#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

static void usage(FILE *to)
{
    fprintf(to, "usage: cltrain COMMAND [options]   (cltrain COMMAND --help for its options)\n\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

int cli_fail(const char *cmd, int status)
{
    const char *msg = clt_last_error();
    fprintf(stderr, "cltrain %s: %s\n", cmd, *msg ? msg : clt_status_name(status));
    return 1;
}

int cli_precision(const char *cmd, const char *text)
{
    if (strcmp(text, "float") == 0)
        return CLT_FLOAT;
    if (strcmp(text, "double") == 0)
        return CLT_DOUBLE;
    fprintf(stderr, "cltrain %s: --precision: '%s' is not float or double\n", cmd, text);
    return -1;
}

int cli_open_device(const char *cmd, const char *spec, const char *precision, int quiet,
                    clt_context **ctx)
{
    int p = cli_precision(cmd, precision);
    if (p < 0)
        return 2;
    int index;
    int st = clt_device_pick(spec, &index);
    if (st == CLT_OK)
        st = clt_context_create(index, (clt_precision)p, NULL, ctx);
    if (st != CLT_OK)
        return cli_fail(cmd, st);
    if (!quiet) {
        const clt_device_info *d = clt_context_device(*ctx);
        fprintf(stderr, "device %d: %s (%s, %s), %s precision\n", d->index, d->name, d->type,
                d->platform, clt_precision_name((clt_precision)p));
    }
    return 0;
}

double cli_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* Results go to stdout: a write that failed there (a full disk, a closed
 * pipe) must not pass for success. */
static int finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cltrain: writing the results to standard output failed: %s\n",
                strerror(errno));
        return rc ? rc : 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return finish(0);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cltrain 0.1.0\n");
        return 0;
    }
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return finish(commands[i].run(argc, argv));
    fprintf(stderr, "cltrain: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
