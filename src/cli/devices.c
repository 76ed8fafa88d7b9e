/* devices.c - `cltrain devices`: one line per OpenCL device, numbered as
 * --device and CLTRAIN_DEVICE take them. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"

int cmd_devices(int argc, char **argv)
{
    opt opts[] = {{0}};
    int help;
    int rc = args_parse("devices", argc, argv, 2, opts, &help);
    if (help) {
        args_usage("devices", "Lists every OpenCL device of every platform.", opts);
        return 0;
    }
    if (rc)
        return rc;

    clt_device_info *list;
    int count;
    int st = clt_devices(&list, &count);
    if (st != CLT_OK)
        return cli_fail("devices", st);

    printf("%-5s %-28s %-36s %-5s %5s %10s %10s %5s\n", "index", "platform", "name", "type",
           "units", "memory", "max alloc", "fp64");
    for (int i = 0; i < count; i++) {
        const clt_device_info *d = &list[i];
        printf("%-5d %-28.28s %-36.36s %-5s %5u %7.0f MiB %6.0f MiB %5s\n", d->index, d->platform,
               d->name, d->type, d->compute_units, d->global_mem / 1048576.0,
               d->max_alloc / 1048576.0, d->fp64 ? "yes" : "no");
    }
    free(list);
    return 0;
}
