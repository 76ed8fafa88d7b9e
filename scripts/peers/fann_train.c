/*
 * fann_train.c - FANN's training speed for scripts/bench: a 784-256-256-10
 * sigmoid network trained by fann_train_epoch (batch gradient descent, so
 * forward, backward and update over the whole set) on random data of
 * argv[1] samples (default 1024); prints samples per second, the median of
 * three epochs.  Not part of cltrain.
 */
#include <fann.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    unsigned m = argc > 1 ? (unsigned)atoi(argv[1]) : 1024;
    struct fann *net = fann_create_standard(4, 784, 256, 256, 10);
    struct fann_train_data *d = fann_create_train(m, 784, 10);
    if (!net || !d)
        return 1;
    srand(1);
    for (unsigned j = 0; j < m; j++) {
        for (unsigned i = 0; i < 784; i++)
            d->input[j][i] = (fann_type)rand() / RAND_MAX;
        for (unsigned i = 0; i < 10; i++)
            d->output[j][i] = (rand() % 10) == (int)i;
    }
    fann_set_activation_function_hidden(net, FANN_SIGMOID);
    fann_set_activation_function_output(net, FANN_SIGMOID);
    fann_set_training_algorithm(net, FANN_TRAIN_BATCH);
    double t[3];
    for (int e = 0; e < 3; e++) {
        double t0 = now();
        fann_train_epoch(net, d);
        t[e] = now() - t0;
    }
    double a = t[0], b = t[1], c = t[2];
    double med = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
    printf("%.6g\n", m / med);
    fann_destroy_train(d);
    fann_destroy(net);
    return 0;
}
