/*
 * args.h - the program's small option parser.  Options are `--name value`,
 * `--name=value` or bare flags; every mistake becomes one line on stderr that
 * names the command and the option, and a non-zero exit.
 */
#ifndef CLT_ARGS_H
#define CLT_ARGS_H

#include <stdint.h>

typedef enum { OPT_FLAG, OPT_STRING, OPT_INT, OPT_U32, OPT_DOUBLE } opt_kind;

typedef struct opt {
    const char *name;      /* without the dashes: "lr" */
    opt_kind kind;
    void *value;           /* int * for OPT_FLAG and OPT_INT, uint32_t * for OPT_U32,
                            * double * for OPT_DOUBLE, const char ** for OPT_STRING */
    double min, max;       /* accepted range for numbers (inclusive) */
    const char *meta;      /* "N", "FILE", ... for the usage text */
    const char *help;      /* one line; the default is printed from *value */
} opt;

/* Parses argv[first..argc) against opts (terminated by a zero entry).
 * Returns 0, or prints the error and returns 2 (the exit status for usage
 * errors), or 1 after printing the usage when --help was given (*help_shown
 * is then set). */
int args_parse(const char *cmd, int argc, char **argv, int first, const opt *opts,
               int *help_shown);

/* Prints "usage: cltrain CMD [options]" and each option with its default. */
void args_usage(const char *cmd, const char *summary, const opt *opts);

/* Parses "16,8" into widths[]; returns the count, or -1 with a message. */
int args_widths(const char *cmd, const char *option, const char *text, int *widths, int max);

#endif
