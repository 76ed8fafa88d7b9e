/* cli.h - what the subcommands of the program share. */
#ifndef CLT_CLI_H
#define CLT_CLI_H

#include "cltrain.h"

/* Prints "cltrain CMD: <the library's last error>" and returns the exit status
 * for a failure (1). */
int cli_fail(const char *cmd, int status);

/* Picks the device (spec or $CLTRAIN_DEVICE or the default), opens it for
 * precision p and says which device on stderr unless quiet. */
int cli_open_device(const char *cmd, const char *spec, const char *precision, int quiet,
                    clt_context **ctx);

/* Parses "float" / "double". Returns -1 (after a message) for anything else. */
int cli_precision(const char *cmd, const char *text);

/* Seconds on a monotonic clock. */
double cli_now(void);

int cmd_devices(int argc, char **argv);
int cmd_xor(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
