/* bench.c - `cltrain bench`. */
#include <stdio.h>

#include "cli.h"

int cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cltrain bench: not available in this build yet\n");
    return 1;
}
