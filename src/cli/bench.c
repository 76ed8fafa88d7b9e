/*
 * bench.c - `cltrain bench`: measures the device and prints one table, and
 * with --json FILE writes the same figures as one JSON object:
 *
 *   {"device": NAME, "peak_gflops": X, "copy_gbs": X,
 *    "matmul": [{"op": "nn"|"nt"|"tn", "m": M, "n": N, "k": K,
 *                "precision": "float"|"double", "gflops": X}, ...],
 *    "train": [{"layers": "784,256,256,10", "batch": B, "precision": P,
 *               "samples_per_s": X}, ...]}
 *
 * peak_gflops and copy_gbs are the float figures; the table also shows the
 * double peak, which the double products are measured against.  The products
 * are the three a layer uses at its own shapes (forward W.A: nn, n_out x m x
 * n_in; dW = dZ.A^T: nt, n_out x n_in x m; dA = W^T.dZ: tn, n_in x m x n_out)
 * for the layers of real nets, plus squares.  The tall layer stands for a
 * whole MNIST-sized set in one product (m = 60000); its m is capped at 16384
 * to keep the run short on small devices.  Then training steps, and the
 * whole-process time of `cltrain xor` (this program, run again; its output
 * is checked).  --quick keeps the figures the targets need and drops the
 * rest.  What it leaves out: comparisons with other libraries (scripts/bench
 * runs those).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "bench.h"
#include "cli.h"

#define MAX_ROWS 128

typedef struct {
    char op[3];
    int m, n, k;
    clt_precision p;
    double gflops;
} matmul_row;

typedef struct {
    char layers[64];
    int batch;
    clt_precision p;
    double samples_per_s;
} train_row;

typedef struct {
    char device[128];
    double peak[2], copy[2];
    matmul_row mm[MAX_ROWS];
    int n_mm;
    train_row tr[MAX_ROWS];
    int n_tr;
} results;

/* Layers of real nets: n_out, n_in, batch. */
static const int layers[][3] = {
    {256, 784, 128}, {256, 256, 128}, {10, 256, 128}, {128, 784, 16384},
};
static const int squares[] = {512, 1024, 2048};

static int run_matmul(clt_context *ctx, results *r, const char *op, int m, int n, int k)
{
    clt_precision p = clt_context_precision(ctx);
    matmul_row *row = &r->mm[r->n_mm];
    double err;
    int st = clt_bench_matmul(ctx, op, m, n, k, &row->gflops, &err);
    if (st != CLT_OK)
        return st;
    snprintf(row->op, sizeof row->op, "%s", op);
    row->m = m;
    row->n = n;
    row->k = k;
    row->p = p;
    r->n_mm++;
    printf("matmul %s %5d x %5d x %5d  %-6s %8.1f GFLOP/s %5.1f%% of peak  (checked, error "
           "%.1e)\n", op, m, n, k, clt_precision_name(p), row->gflops,
           100 * row->gflops / r->peak[p], err);
    fflush(stdout);
    return CLT_OK;
}

static int run_train(clt_context *ctx, results *r, const clt_shape *s, int batch)
{
    train_row *row = &r->tr[r->n_tr];
    double err;
    int st = clt_bench_train(ctx, s, batch, &row->samples_per_s, &err);
    if (st != CLT_OK)
        return st;
    int len = 0;
    for (int l = 0; l <= s->L; l++)
        len += snprintf(row->layers + len, sizeof row->layers - len, "%s%d", l ? "," : "",
                        s->n[l]);
    row->batch = batch;
    row->p = clt_context_precision(ctx);
    r->n_tr++;
    printf("train  %-16s batch %5d  %-6s %10.0f samples/s  (one step verified, error %.1e)\n",
           row->layers, batch, clt_precision_name(row->p), row->samples_per_s, err);
    fflush(stdout);
    return CLT_OK;
}

static clt_shape net_shape(int n_in, int width, int depth, int n_out)
{
    clt_shape s = {0};
    s.L = depth + 1;
    s.n[0] = n_in;
    for (int l = 1; l <= depth; l++) {
        s.n[l] = width;
        s.act[l - 1] = CLT_ACT_SIGMOID;
    }
    s.n[s.L] = n_out;
    s.act[s.L - 1] = CLT_ACT_SOFTMAX;
    return s;
}

/* Everything measured in one precision. */
static int run_precision(const char *device, clt_precision p, int quick, results *r)
{
    clt_context *ctx;
    int index;
    int st = clt_device_pick(device, &index);
    if (st == CLT_OK)
        st = clt_context_create(index, p, NULL, &ctx);
    if (st != CLT_OK)
        return st;
    snprintf(r->device, sizeof r->device, "%s", clt_context_device(ctx)->name);

    st = clt_bench_peak(ctx, &r->peak[p]);
    if (st == CLT_OK)
        st = clt_bench_copy(ctx, 256, &r->copy[p]);
    if (st == CLT_OK)
        printf("device %s, %s: FMA peak %.1f GFLOP/s, copy %.1f GB/s\n", r->device,
               clt_precision_name(p), r->peak[p], r->copy[p]);

    static const char *ops[] = {"nn", "nt", "tn"};
    for (size_t l = 0; st == CLT_OK && l < sizeof layers / sizeof layers[0]; l++) {
        int n_out = layers[l][0], n_in = layers[l][1], m = layers[l][2];
        st = run_matmul(ctx, r, "nn", n_out, m, n_in);
        if (st == CLT_OK)
            st = run_matmul(ctx, r, "nt", n_out, n_in, m);
        if (st == CLT_OK)
            st = run_matmul(ctx, r, "tn", n_in, m, n_out);
    }
    for (size_t q = 0; st == CLT_OK && q < sizeof squares / sizeof squares[0]; q++) {
        int n = squares[q];
        if (quick && n != 1024)
            continue;
        for (int o = 0; o < 3 && st == CLT_OK; o++)
            st = run_matmul(ctx, r, ops[o], n, n, n);
    }

    /* Training: the targets' nets, then (full run, float) batch and width
     * series for the plot. */
    clt_shape mnist = net_shape(784, 256, 2, 10), narrow = net_shape(64, 256, 2, 10);
    clt_shape wide = net_shape(784, 4096, 1, 10);
    if (st == CLT_OK)
        st = run_train(ctx, r, &mnist, 128);
    if (st == CLT_OK && p == CLT_FLOAT) {
        st = run_train(ctx, r, &mnist, 1024);
        if (st == CLT_OK)
            st = run_train(ctx, r, &narrow, 128);
        if (st == CLT_OK)
            st = run_train(ctx, r, &wide, 128);
        static const int batches[] = {16, 32, 64, 256, 512};
        for (size_t b = 0; !quick && st == CLT_OK && b < sizeof batches / sizeof batches[0]; b++)
            st = run_train(ctx, r, &mnist, batches[b]);
        static const int widths[] = {64, 256, 1024};
        for (size_t w = 0; !quick && st == CLT_OK && w < sizeof widths / sizeof widths[0]; w++) {
            clt_shape s = net_shape(784, widths[w], 1, 10);
            st = run_train(ctx, r, &s, 128);
        }
    }
    clt_context_free(ctx);
    return st;
}

/* Median whole-process seconds of `cltrain xor` (this program again), five
 * runs after one that warms the kernel cache; each run's stdout must end
 * with the notebook's final line.  Returns -1 when it could not be run. */
static double time_xor(const char *device)
{
    double times[5];
    for (int run = 0; run < 6; run++) {
        int fds[2];
        if (pipe(fds) != 0)
            return -1;
        double t0 = cli_now();
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
            if (device)
                execl("/proc/self/exe", "cltrain", "xor", "--quiet", "--device", device,
                      (char *)NULL);
            else
                execl("/proc/self/exe", "cltrain", "xor", "--quiet", (char *)NULL);
            _exit(127);
        }
        close(fds[1]);
        char out[4096];
        size_t len = 0;
        ssize_t got;
        while ((got = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
            len += (size_t)got;
        close(fds[0]);
        out[len] = '\0';
        int status;
        waitpid(pid, &status, 0);
        double t = cli_now() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
            !strstr(out, "Final Accuracy: 1.0\n"))
            return -1;
        if (run > 0)
            times[run - 1] = t;
    }
    for (int i = 1; i < 5; i++)
        for (int j = i; j > 0 && times[j] < times[j - 1]; j--) {
            double t = times[j];
            times[j] = times[j - 1];
            times[j - 1] = t;
        }
    return times[2];
}

static int write_json(const char *path, const results *r)
{
    clt_outfile out;
    int st = clt_outfile_open(&out, path);
    if (st != CLT_OK)
        return st;
    FILE *f = out.fp;
    fprintf(f, "{\"device\": \"");
    for (const char *c = r->device; *c; c++)
        fprintf(f, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
    fprintf(f, "\", \"peak_gflops\": %.6g, \"copy_gbs\": %.6g,\n \"matmul\": [", r->peak[0],
            r->copy[0]);
    for (int i = 0; i < r->n_mm; i++) {
        const matmul_row *m = &r->mm[i];
        fprintf(f, "%s\n  {\"op\": \"%s\", \"m\": %d, \"n\": %d, \"k\": %d, \"precision\": "
                "\"%s\", \"gflops\": %.6g}", i ? "," : "", m->op, m->m, m->n, m->k,
                clt_precision_name(m->p), m->gflops);
    }
    fprintf(f, "],\n \"train\": [");
    for (int i = 0; i < r->n_tr; i++) {
        const train_row *t = &r->tr[i];
        fprintf(f, "%s\n  {\"layers\": \"%s\", \"batch\": %d, \"precision\": \"%s\", "
                "\"samples_per_s\": %.6g}", i ? "," : "", t->layers, t->batch,
                clt_precision_name(t->p), t->samples_per_s);
    }
    fprintf(f, "]}\n");
    if (ferror(f)) {
        clt_outfile_abort(&out);
        return clt_fail(CLT_ERR_IO, "%s: could not write", path);
    }
    return clt_outfile_commit(&out);
}

int cmd_bench(int argc, char **argv)
{
    const char *device = NULL, *json = NULL;
    int quick = 0, no_double = 0;
    opt opts[] = {
        {"device", OPT_STRING, &device, 0, 0, "SPEC",
         "device index or name part (cltrain devices)"},
        {"json", OPT_STRING, &json, 0, 0, "FILE", "also write the figures as JSON"},
        {"quick", OPT_FLAG, &quick, 0, 0, "", "only the figures the targets need"},
        {"no-double", OPT_FLAG, &no_double, 0, 0, "", "skip double precision"},
        {0},
    };
    int help;
    int rc = args_parse("bench", argc, argv, 2, opts, &help);
    if (help) {
        args_usage("bench", "Measures the device's ceilings, the matmul kernels, training "
                   "steps and `cltrain xor`, each from a checked run.", opts);
        return 0;
    }
    if (rc)
        return rc;

    results *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "cltrain bench: out of memory\n");
        return 1;
    }
    int st = run_precision(device, CLT_FLOAT, quick, r);
    if (st == CLT_OK && !no_double) {
        st = run_precision(device, CLT_DOUBLE, quick, r);
        if (st == CLT_ERR_NO_FP64) {
            printf("double: not supported by the device, not measured\n");
            st = CLT_OK;
        }
    }
    if (st == CLT_OK) {
        double xor_s = time_xor(device);
        if (xor_s < 0)
            printf("cltrain xor: could not be run and checked\n");
        else
            printf("cltrain xor: %.3f s whole process (median of 5, warm kernel cache)\n", xor_s);
    }
    if (st == CLT_OK && json)
        st = write_json(json, r);
    rc = st == CLT_OK ? 0 : cli_fail("bench", st);
    free(r);
    return rc;
}
