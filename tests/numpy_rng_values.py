#!/usr/bin/python3
"""Prints the expected values of tests/test_rng.c as C literals, from numpy.

Run with a python3 that has numpy (on the development machine that is
/usr/bin/python3, numpy 1.24):

    /usr/bin/python3 tests/numpy_rng_values.py > /tmp/rng_values.h

and paste the output over the block between the BEGIN/END markers in
tests/test_rng.c.  Every value comes from np.random.RandomState(seed), the
generator behind np.random.seed(); doubles are printed with %.17g so that
they read back bit for bit.  The generator is deterministic, so the values
never change between numpy versions that keep the legacy RandomState stream
(numpy promises that they all do).
"""
import sys

try:
    import numpy as np
except ImportError:
    print("numpy is missing", file=sys.stderr)
    sys.exit(77)

SEEDS = [0, 1, 42, 4294967295]
N_GAUSS = 7          # odd, so the last value leaves a cached second Gaussian
N_UNIFORM = 5
N_U32 = 4
PERM_N = 10
# Largest values of the intervals [0, max]; each is drawn once, in order, from
# one RandomState: 32-bit draws up to 2**32 - 1, 64-bit draws beyond.
INTERVAL_MAX = [0, 1, 5, 6, 255, 1000, 2**31, 2**32 - 1, 2**32, 2**40 + 3,
                2**63 - 2, 2**64 - 1]
N_LONG = 2000        # crosses two refills of the 624-word state


def c_double(x):
    return "%.17g" % float(x)


def wrap(items, indent, width=99):
    """Joins items with ", " into lines of at most width characters."""
    lines, line = [], indent
    for i, item in enumerate(items):
        piece = item + ("," if i + 1 < len(items) else "")
        if line.strip() and len(line) + 1 + len(piece) > width:
            lines.append(line.rstrip())
            line = indent
        line += ("" if not line.strip() else " ") + piece
    lines.append(line)
    return "\n".join(lines)


def c_array(ctype, name, values, fmt):
    items = [fmt(v) for v in values]
    one_line = "static const %s %s = {%s};" % (ctype, name, ", ".join(items))
    if len(one_line) <= 99:
        return one_line
    return "static const %s %s = {\n%s\n};" % (ctype, name, wrap(items, "    "))


def per_seed(name, ctype, fmt, fn):
    rows = []
    for s in SEEDS:
        items = [fmt(v) for v in fn(s)]
        row = "    {" + ", ".join(items) + "},"
        if len(row) > 99:
            row = "    {\n" + wrap(items, "        ") + "\n    },"
        rows.append(row)
    return "static const %s %s = {\n%s\n};" % (ctype, name, "\n".join(rows))


def u64(v):
    return "UINT64_C(%d)" % int(v)


def main():
    out = []
    out.append("/* BEGIN values from: /usr/bin/python3 tests/numpy_rng_values.py"
               " (numpy %s) */" % np.__version__)
    out.append(c_array("uint32_t", "SEEDS[%d]" % len(SEEDS), SEEDS, lambda v: "%du" % v))
    # RandomState(s).get_state()[1]: the key array right after seeding
    out.append(per_seed("KEY_HEAD[%d][3]" % len(SEEDS), "uint32_t", lambda v: "%du" % v,
                        lambda s: np.random.RandomState(s).get_state()[1][:3]))
    # RandomState(s).randint(0, 2**32, size=N_U32, dtype=np.uint32): raw draws
    out.append(per_seed("U32[%d][%d]" % (len(SEEDS), N_U32), "uint32_t", lambda v: "%du" % v,
                        lambda s: np.random.RandomState(s).randint(
                            0, 2**32, size=N_U32, dtype=np.uint32)))
    # RandomState(s).randn(N_GAUSS)
    out.append(per_seed("GAUSS[%d][%d]" % (len(SEEDS), N_GAUSS), "double", c_double,
                        lambda s: np.random.RandomState(s).randn(N_GAUSS)))
    # RandomState(s).random_sample(N_UNIFORM)
    out.append(per_seed("UNIFORM[%d][%d]" % (len(SEEDS), N_UNIFORM), "double", c_double,
                        lambda s: np.random.RandomState(s).random_sample(N_UNIFORM)))
    # RandomState(s).permutation(PERM_N)
    out.append(per_seed("PERM[%d][%d]" % (len(SEEDS), PERM_N), "int64_t", lambda v: "%d" % v,
                        lambda s: np.random.RandomState(s).permutation(PERM_N)))

    # One RandomState per seed, rs.randint(0, m + 1, dtype=np.uint64) for each m
    # in INTERVAL_MAX in turn (randint's masked rejection is random_interval).
    def intervals(s):
        rs = np.random.RandomState(s)
        return [rs.randint(0, m + 1, dtype=np.uint64) for m in INTERVAL_MAX]
    out.append(c_array("uint64_t", "INTERVAL_MAX[%d]" % len(INTERVAL_MAX), INTERVAL_MAX, u64))
    out.append(per_seed("INTERVAL[%d][%d]" % (len(SEEDS), len(INTERVAL_MAX)), "uint64_t",
                        u64, intervals))

    # Interleaved calls on one RandomState: randn(3) leaves a cached Gaussian,
    # random_sample() does not touch it, randn() returns it, permutation(5)
    # and randn(2) carry on from the same stream.
    def mixed(s):
        rs = np.random.RandomState(s)
        v = list(rs.randn(3))
        v.append(rs.random_sample())
        v.append(rs.randn())
        v.extend(float(p) for p in rs.permutation(5))
        v.extend(rs.randn(2))
        return v
    out.append(per_seed("MIXED[%d][12]" % len(SEEDS), "double", c_double, mixed))

    # RandomState(s).randn(N_LONG)[-1] and random_sample(N_LONG)[-1]
    out.append(per_seed("LONG_LAST[%d][2]" % len(SEEDS), "double", c_double,
                        lambda s: [np.random.RandomState(s).randn(N_LONG)[-1],
                                   np.random.RandomState(s).random_sample(N_LONG)[-1]]))
    out.append("/* END values */")
    print("\n".join(out))


if __name__ == "__main__":
    main()
