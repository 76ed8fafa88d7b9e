/* args.c - see args.h. */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

static const opt *find(const opt *opts, const char *name, size_t len)
{
    for (const opt *o = opts; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static int set_number(const char *cmd, const opt *o, const char *text)
{
    char *end;
    errno = 0;
    double v = clt_strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        fprintf(stderr, "cltrain %s: --%s: '%s' is not a number\n", cmd, o->name, text);
        return 2;
    }
    if ((o->kind == OPT_INT || o->kind == OPT_U32) && v != floor(v)) {
        fprintf(stderr, "cltrain %s: --%s: '%s' is not a whole number\n", cmd, o->name, text);
        return 2;
    }
    if (v < o->min || v > o->max) {
        fprintf(stderr, "cltrain %s: --%s: %s is out of range (%.10g to %.10g)\n", cmd, o->name,
                text, o->min, o->max);
        return 2;
    }
    if (o->kind == OPT_INT)
        *(int *)o->value = (int)v;
    else if (o->kind == OPT_U32)
        *(uint32_t *)o->value = (uint32_t)v;
    else
        *(double *)o->value = v;
    return 0;
}

int args_parse(const char *cmd, int argc, char **argv, int first, const opt *opts,
               int *help_shown)
{
    *help_shown = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help_shown = 1;
            return 1;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "cltrain %s: unexpected argument '%s' (options start with --; "
                    "see cltrain %s --help)\n", cmd, a, cmd);
            return 2;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const opt *o = find(opts, name, len);
        if (!o) {
            fprintf(stderr, "cltrain %s: unknown option '%.*s' (see cltrain %s --help)\n", cmd,
                    (int)len + 2, a, cmd);
            return 2;
        }
        if (o->kind == OPT_FLAG) {
            if (eq) {
                fprintf(stderr, "cltrain %s: --%s takes no value\n", cmd, o->name);
                return 2;
            }
            *(int *)o->value = 1;
            continue;
        }
        const char *text = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!text || (!eq && strncmp(text, "--", 2) == 0 && text[2] != '\0')) {
            fprintf(stderr, "cltrain %s: --%s needs a value (%s)\n", cmd, o->name, o->meta);
            return 2;
        }
        if (o->kind == OPT_STRING) {
            if (*text == '\0') {
                fprintf(stderr, "cltrain %s: --%s needs a non-empty value (%s)\n", cmd, o->name,
                        o->meta);
                return 2;
            }
            *(const char **)o->value = text;
        } else if (set_number(cmd, o, text) != 0) {
            return 2;
        }
    }
    return 0;
}

void args_usage(const char *cmd, const char *summary, const opt *opts)
{
    printf("usage: cltrain %s [options]\n%s\n\noptions:\n", cmd, summary);
    for (const opt *o = opts; o->name; o++) {
        char left[48], def[64] = "";
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->kind == OPT_FLAG ? "" : " ",
                 o->kind == OPT_FLAG ? "" : o->meta);
        if (o->kind == OPT_INT)
            snprintf(def, sizeof def, " (default %d)", *(int *)o->value);
        else if (o->kind == OPT_U32)
            snprintf(def, sizeof def, " (default %u)", (unsigned)*(uint32_t *)o->value);
        else if (o->kind == OPT_DOUBLE)
            snprintf(def, sizeof def, " (default %g)", *(double *)o->value);
        else if (o->kind == OPT_STRING && *(const char **)o->value)
            snprintf(def, sizeof def, " (default %s)", *(const char **)o->value);
        printf("  %-24s %s%s\n", left, o->help, def);
    }
}

int args_widths(const char *cmd, const char *option, const char *text, int *widths, int max)
{
    int count = 0;
    const char *p = text;
    while (*p) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || (*end != ',' && *end != '\0') || errno == ERANGE) {
            fprintf(stderr, "cltrain %s: --%s: '%s' is not a list of widths like 16 or 64,32\n",
                    cmd, option, text);
            return -1;
        }
        if (v < 1 || v > 1000000) {
            fprintf(stderr, "cltrain %s: --%s: width %ld is out of range (1 to 1000000)\n", cmd,
                    option, v);
            return -1;
        }
        if (count == max) {
            fprintf(stderr, "cltrain %s: --%s: at most %d hidden layers\n", cmd, option, max);
            return -1;
        }
        widths[count++] = (int)v;
        p = *end == ',' ? end + 1 : end;
        if (*end == ',' && *p == '\0') {
            fprintf(stderr, "cltrain %s: --%s: '%s' ends with a comma\n", cmd, option, text);
            return -1;
        }
    }
    if (count == 0)
        fprintf(stderr, "cltrain %s: --%s needs at least one width\n", cmd, option);
    return count ? count : -1;
}
