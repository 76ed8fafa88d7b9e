#!/usr/bin/env python3
"""The notebook's XOR code, verbatim in its arithmetic, run with numpy in
float64.  Prints the notebook's output, then the final weights one per line
as `NAME INDEX VALUE` (%.17g), so tests can hold cltrain's saved weights to
an independent source.  Usage: numpy_xor.py [--weights-only]
"""
import sys

import numpy as np

X_raw = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y_raw = np.array([[0], [1], [1], [0]])
X = X_raw.T
Y = y_raw.T


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def sigmoid_deriv(A):
    return A * (1 - A)


def init_params(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.1
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.1
    b2 = np.zeros((n_y, 1))
    return W1, b1, W2, b2


def forward_prop(W1, b1, W2, b2, X):
    Z1 = W1.dot(X) + b1
    A1 = sigmoid(Z1)
    Z2 = W2.dot(A1) + b2
    A2 = sigmoid(Z2)
    return Z1, A1, Z2, A2


def backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y):
    m = X.shape[1]
    dZ2 = A2 - Y
    dW2 = (1 / m) * dZ2.dot(A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = W2.T.dot(dZ2)
    dZ1 = dA1 * sigmoid_deriv(A1)
    dW1 = (1 / m) * dZ1.dot(X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return dW1, db1, dW2, db2


def update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
    W1 -= alpha * dW1
    b1 -= alpha * db1
    W2 -= alpha * dW2
    b2 -= alpha * db2
    return W1, b1, W2, b2


def predict(X, W1, b1, W2, b2):
    _, _, _, A2 = forward_prop(W1, b1, W2, b2, X)
    return (A2 > 0.5).astype(int)


def gradient_descent(X, Y, iterations=10000, alpha=1.0, quiet=False):
    W1, b1, W2, b2 = init_params(X.shape[0], 2, 1)
    for i in range(iterations + 1):
        Z1, A1, Z2, A2 = forward_prop(W1, b1, W2, b2, X)
        dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)
        W1, b1, W2, b2 = update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha)
        if i % 2000 == 0 and not quiet:
            predictions = predict(X, W1, b1, W2, b2)
            acc = np.mean(predictions == Y)
            print(f"Iteration {i}   Accuracy: {acc*100:.2f}%")
    return W1, b1, W2, b2


def main():
    quiet = "--weights-only" in sys.argv
    W1, b1, W2, b2 = gradient_descent(X, Y, quiet=quiet)
    if not quiet:
        preds = predict(X, W1, b1, W2, b2)
        print("\nPredictions:", preds.flatten())
        print("True Labels:", Y.flatten())
        print("Final Accuracy:", np.mean(preds == Y))
    else:
        for name, v in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
            for i, x in enumerate(v.flatten()):
                print(f"{name} {i} {x:.17g}")


if __name__ == "__main__":
    main()
