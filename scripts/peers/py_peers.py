#!/usr/bin/env python3
"""The Python peers of scripts/bench, on the same shapes as `cltrain bench`.

  py_peers.py numpy|torch matmul   reads "op m n k" lines, prints "op m n k GFLOP/s"
  py_peers.py numpy|torch train    prints "layers batch samples/s" for 784-256-256-10
                                   at batch 128 and 1024 and 64-256-256-10 at 128
  py_peers.py numpy blas           names the BLAS numpy calls (threadpoolctl, else
                                   numpy's build configuration)

float32 throughout, as cltrain's float figures; the training step is cltrain's
(sigmoid hidden layers, softmax output, forward + backward + SGD update) on one
fixed random batch.  Timings are medians of five batches of calls.
"""
import sys
import time


def median_time(fn):
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        if time.perf_counter() - t0 >= 0.02 or reps >= 4096:
            break
        reps *= 2
    per = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        per.append((time.perf_counter() - t0) / reps)
    return sorted(per)[2]


def blas_name(np):
    try:
        from threadpoolctl import threadpool_info
        libs = [f"{i['internal_api']} {i.get('version')} ({i['filepath']})"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        if libs:
            return "; ".join(libs)
    except ImportError:
        pass
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        np.show_config()
    text = buf.getvalue().lower()
    return "openblas (np.show_config)" if "openblas" in text else "not openblas: " + text[:200]


def main():
    lib, what = sys.argv[1], sys.argv[2]
    if lib == "torch":
        import torch
        torch.set_grad_enabled(False)
        xp = torch

        def rand(*shape):
            return torch.rand(*shape, dtype=torch.float32)

        def T(a):
            return a.T
        sync = lambda: None
    else:
        import numpy as np
        xp = np
        rng = np.random.default_rng(1)

        def rand(*shape):
            return rng.random(shape, dtype=np.float32)

        def T(a):
            return a.T
        if what == "blas":
            print(blas_name(np))
            return

    if what == "matmul":
        for line in sys.stdin:
            op, m, n, k = line.split()
            m, n, k = int(m), int(n), int(k)
            A = rand(k, m) if op[0] == "t" else rand(m, k)
            B = rand(n, k) if op[1] == "t" else rand(k, n)
            a = T(A) if op[0] == "t" else A
            b = T(B) if op[1] == "t" else B
            t = median_time(lambda: a @ b)
            print(f"{op} {m} {n} {k} {2.0 * m * n * k / t * 1e-9:.6g}", flush=True)
        return

    def sigmoid(z):
        return 1 / (1 + xp.exp(-z))

    for layers, m in (((784, 256, 256, 10), 128), ((784, 256, 256, 10), 1024),
                      ((64, 256, 256, 10), 128)):
        W = [rand(layers[i + 1], layers[i]) * 0.1 for i in range(len(layers) - 1)]
        b = [rand(layers[i + 1], 1) * 0 for i in range(len(layers) - 1)]
        X = rand(layers[0], m)
        Y = rand(layers[-1], m) * 0
        for j in range(m):
            Y[j % layers[-1], j] = 1

        def step():
            A = [X]
            for l in range(len(W)):
                Z = W[l] @ A[-1] + b[l]
                if l == len(W) - 1:
                    E = xp.exp(Z - Z.max(0, keepdims=True) if lib == "numpy"
                               else Z - Z.max(0, keepdim=True).values)
                    A.append(E / E.sum(0, keepdims=True) if lib == "numpy"
                             else E / E.sum(0, keepdim=True))
                else:
                    A.append(sigmoid(Z))
            dZ = A[-1] - Y
            for l in range(len(W) - 1, -1, -1):
                dW = (dZ @ T(A[l])) / m
                db = dZ.sum(1, keepdims=True) / m if lib == "numpy" else dZ.sum(1, keepdim=True) / m
                if l > 0:
                    dA = T(W[l]) @ dZ
                    dZ = dA * (A[l] * (1 - A[l]))
                W[l] -= 0.1 * dW
                b[l] -= 0.1 * db

        t = median_time(step)
        print(f"{','.join(map(str, layers))} {m} {m / t:.6g}", flush=True)


if __name__ == "__main__":
    main()
