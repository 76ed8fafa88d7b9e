/* rng.c - numpy's legacy random generator (np.random.seed / RandomState),
 * reproduced draw for draw: MT19937 seeded as numpy's mt19937_seed, the
 * 53-bit doubles of random_sample, the polar Gaussians of randn with their
 * cached second value, the masked rejection of random_interval, and the
 * Fisher-Yates shuffle behind permutation(n).
 *
 * Left out on purpose: seeding from arrays (init_by_array), numpy's newer
 * Generator/PCG64 API and every distribution the trainer does not use.
 * Results match numpy bit for bit only where the C library's log() and
 * sqrt() match the ones numpy was linked against (true on the same system).
 */
#include <math.h>

#include "cltrain.h"

#define MT_N 624
#define MT_M 397
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu
#define MT_MATRIX 0x9908b0dfu

void clt_rng_seed(clt_rng *rng, uint32_t seed)
{
    uint32_t s = seed;
    for (int i = 0; i < MT_N; i++) {
        rng->key[i] = s;
        s = 1812433253u * (s ^ (s >> 30)) + (uint32_t)(i + 1);
    }
    rng->pos = MT_N;
    rng->has_gauss = 0;
    rng->gauss = 0.0;
}

/* Refills the whole key array at once, as the reference MT19937 does. */
static void mt_generate(clt_rng *rng)
{
    uint32_t *k = rng->key;
    for (int i = 0; i < MT_N; i++) {
        uint32_t y = (k[i] & MT_UPPER) | (k[(i + 1) % MT_N] & MT_LOWER);
        k[i] = k[(i + MT_M) % MT_N] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX : 0u);
    }
    rng->pos = 0;
}

uint32_t clt_rng_u32(clt_rng *rng)
{
    if (rng->pos >= MT_N)
        mt_generate(rng);
    uint32_t y = rng->key[rng->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* numpy's next_uint64 for MT19937: the first draw is the high half. */
static uint64_t rng_u64(clt_rng *rng)
{
    uint64_t hi = clt_rng_u32(rng);
    uint64_t lo = clt_rng_u32(rng);
    return hi << 32 | lo;
}

double clt_rng_double(clt_rng *rng)
{
    uint32_t a = clt_rng_u32(rng) >> 5;
    uint32_t b = clt_rng_u32(rng) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

/* The polar method: two uniforms in the unit disc give two Gaussians; the
 * second one is kept for the next call, exactly as numpy's legacy_gauss. */
double clt_rng_gauss(clt_rng *rng)
{
    if (rng->has_gauss) {
        double kept = rng->gauss;
        rng->has_gauss = 0;
        rng->gauss = 0.0;
        return kept;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * clt_rng_double(rng) - 1.0;
        x2 = 2.0 * clt_rng_double(rng) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    rng->gauss = f * x1;
    rng->has_gauss = 1;
    return f * x2;
}

/* Draws under the smallest all-ones mask covering max until one is <= max;
 * 32-bit draws while max fits in 32 bits, 64-bit draws beyond. */
uint64_t clt_rng_interval(clt_rng *rng, uint64_t max)
{
    if (max == 0)
        return 0;
    uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;

    uint64_t value;
    if (max <= 0xffffffffu) {
        do {
            value = clt_rng_u32(rng) & mask;
        } while (value > max);
    } else {
        do {
            value = rng_u64(rng) & mask;
        } while (value > max);
    }
    return value;
}

/* np.random.permutation(n) is arange(n) put through the legacy shuffle:
 * for i from n-1 down to 1, swap element i with element random_interval(i). */
void clt_rng_permutation(clt_rng *rng, int64_t *perm, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    for (int64_t i = n - 1; i >= 1; i--) {
        int64_t j = (int64_t)clt_rng_interval(rng, (uint64_t)i);
        int64_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}
