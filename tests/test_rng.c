/* test_rng.c - clt_rng against numpy's legacy RandomState, bit for bit.
 *
 * The expected values below were printed by
 *     /usr/bin/python3 tests/numpy_rng_values.py
 * (numpy 1.24.2; the script says which numpy call produced each table) and are
 * compared with ==, not with a tolerance: the generator is deterministic.
 */
#include <stdint.h>
#include <string.h>

#include "testutil.h"

/* BEGIN values from: /usr/bin/python3 tests/numpy_rng_values.py (numpy 1.24.2) */
static const uint32_t SEEDS[4] = {0u, 1u, 42u, 4294967295u};
static const uint32_t KEY_HEAD[4][3] = {
    {0u, 1u, 1812433255u},
    {1u, 1812433254u, 3713160357u},
    {42u, 3107752595u, 1895908407u},
    {4294967295u, 1340201581u, 3941791902u},
};
static const uint32_t U32[4][4] = {
    {2357136044u, 2546248239u, 3071714933u, 3626093760u},
    {1791095845u, 4282876139u, 3093770124u, 4005303368u},
    {1608637542u, 3421126067u, 4083286876u, 787846414u},
    {419326371u, 479346978u, 3918654476u, 2416749639u},
};
static const double GAUSS[4][7] = {
    {
        1.764052345967664, 0.40015720836722329, 0.9787379841057392, 2.2408931992014578,
        1.8675579901499675, -0.97727787987641102, 0.95008841752558937
    },
    {
        1.6243453636632417, -0.61175641365007538, -0.5281717522634557, -1.0729686221561705,
        0.86540762932467852, -2.3015386968802827, 1.74481176421648
    },
    {
        0.49671415301123267, -0.13826430117118466, 0.64768853810069249, 1.5230298564080254,
        -0.23415337472333597, -0.23413695694918055, 1.5792128155073915
    },
    {
        0.64840867423065274, 0.66932353063381611, -1.0805437227474493, 0.28450104479863092,
        0.11388773652167104, 0.86762189379293819, -0.044026015448043285
    },
};
static const double UNIFORM[4][5] = {
    {
        0.54881350392732475, 0.71518936637241948, 0.60276337607164387, 0.54488318299689686,
        0.42365479933890471
    },
    {
        0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977,
        0.14675589081711304
    },
    {
        0.37454011884736249, 0.95071430640991617, 0.73199394181140509, 0.5986584841970366,
        0.15601864044243652
    },
    {
        0.097632028994013798, 0.91238284530262181, 0.78903530185163995, 0.78000359811346776,
        0.01793967398674523
    },
};
static const int64_t PERM[4][10] = {
    {2, 8, 4, 9, 1, 6, 7, 3, 0, 5},
    {2, 9, 6, 4, 0, 3, 1, 7, 8, 5},
    {8, 1, 5, 0, 7, 2, 9, 4, 3, 6},
    {6, 9, 5, 1, 8, 0, 7, 4, 2, 3},
};
static const uint64_t INTERVAL_MAX[12] = {
    UINT64_C(0), UINT64_C(1), UINT64_C(5), UINT64_C(6), UINT64_C(255), UINT64_C(1000),
    UINT64_C(2147483648), UINT64_C(4294967295), UINT64_C(4294967296), UINT64_C(1099511627779),
    UINT64_C(9223372036854775806), UINT64_C(18446744073709551615)
};
static const uint64_t INTERVAL[4][12] = {
    {
        UINT64_C(0), UINT64_C(0), UINT64_C(5), UINT64_C(0), UINT64_C(67), UINT64_C(763),
        UINT64_C(1819583497), UINT64_C(2678185683), UINT64_C(1277901399), UINT64_C(300891291096),
        UINT64_C(8553068346248842636), UINT64_C(7073247613084517057)
    },
    {
        UINT64_C(0), UINT64_C(1), UINT64_C(3), UINT64_C(4), UINT64_C(72), UINT64_C(767),
        UINT64_C(550290313), UINT64_C(1298508491), UINT64_C(396591248), UINT64_C(554850762700),
        UINT64_C(7155690149713980141), UINT64_C(12354633802726935942)
    },
    {
        UINT64_C(0), UINT64_C(0), UINT64_C(3), UINT64_C(4), UINT64_C(14), UINT64_C(106),
        UINT64_C(670094950), UINT64_C(1914837113), UINT64_C(429389014), UINT64_C(375095422324),
        UINT64_C(1865242737500154727), UINT64_C(13061633640337809538)
    },
    {
        UINT64_C(0), UINT64_C(1), UINT64_C(2), UINT64_C(4), UINT64_C(71), UINT64_C(948),
        UINT64_C(77050329), UINT64_C(1217888032), UINT64_C(2987145323), UINT64_C(116697488525),
        UINT64_C(991259994952170583), UINT64_C(18161844358027317974)
    },
};
static const double MIXED[4][12] = {
    {
        1.764052345967664, 0.40015720836722329, 0.9787379841057392, 0.42365479933890471,
        2.2408931992014578, 1, 3, 4, 0, 2, -0.10321885179355784, 0.41059850193837233
    },
    {
        1.6243453636632417, -0.61175641365007538, -0.5281717522634557, 0.39676747423066994,
        -1.0729686221561705, 3, 1, 4, 0, 2, -1.0170141364670207, 0.63736181406132442
    },
    {
        0.49671415301123267, -0.13826430117118466, 0.64768853810069249, 0.15601864044243652,
        1.5230298564080254, 1, 0, 3, 4, 2, 0.27904129220013768, 1.0105152848065264
    },
    {
        0.64840867423065274, 0.66932353063381611, -1.0805437227474493, 0.90937507279777052,
        0.28450104479863092, 2, 0, 3, 4, 1, -0.026158136126360088, 1.0043764198646392
    },
};
static const double LONG_LAST[4][2] = {
    {-1.3109703704412123, 0.50177313069994522},
    {1.3868255939410441, 0.94672826960795242},
    {-0.74490264480644908, 0.28218707469320015},
    {1.4450975481204069, 0.17947030169391298},
};
/* END values */

#define N_SEEDS ((int)(sizeof SEEDS / sizeof SEEDS[0]))
#define N_INTERVALS ((int)(sizeof INTERVAL_MAX / sizeof INTERVAL_MAX[0]))

/* Reports a mismatch with both values in full so a failure is easy to read. */
static void check_double(const char *what, uint32_t seed, int i, double got, double want)
{
    if (memcmp(&got, &want, sizeof got) != 0) {
        fprintf(stderr, "%s seed %u [%d]: got %.17g, numpy %.17g\n", what, seed, i, got, want);
        test_failures++;
    }
}

static void check_u64(const char *what, uint32_t seed, int i, uint64_t got, uint64_t want)
{
    if (got != want) {
        fprintf(stderr, "%s seed %u [%d]: got %llu, numpy %llu\n", what, seed, i,
                (unsigned long long)got, (unsigned long long)want);
        test_failures++;
    }
}

static void test_seed(int s)
{
    uint32_t seed = SEEDS[s];
    clt_rng rng;

    clt_rng_seed(&rng, seed);
    CHECK(rng.pos == 624 && rng.has_gauss == 0);
    for (int i = 0; i < 3; i++)
        check_u64("key", seed, i, rng.key[i], KEY_HEAD[s][i]);
    for (int i = 0; i < 4; i++)
        check_u64("u32", seed, i, clt_rng_u32(&rng), U32[s][i]);

    clt_rng_seed(&rng, seed);
    for (int i = 0; i < 7; i++)
        check_double("randn", seed, i, clt_rng_gauss(&rng), GAUSS[s][i]);
    CHECK(rng.has_gauss == 1);

    clt_rng_seed(&rng, seed);
    for (int i = 0; i < 5; i++)
        check_double("random_sample", seed, i, clt_rng_double(&rng), UNIFORM[s][i]);

    int64_t perm[10];
    clt_rng_seed(&rng, seed);
    clt_rng_permutation(&rng, perm, 10);
    for (int i = 0; i < 10; i++)
        check_u64("permutation", seed, i, (uint64_t)perm[i], (uint64_t)PERM[s][i]);

    clt_rng_seed(&rng, seed);
    for (int i = 0; i < N_INTERVALS; i++)
        check_u64("interval", seed, i, clt_rng_interval(&rng, INTERVAL_MAX[i]), INTERVAL[s][i]);
}

/* randn(3), random_sample(), randn(), permutation(5), randn(2) on one state. */
static void test_mixed(int s)
{
    uint32_t seed = SEEDS[s];
    double got[12];
    int64_t perm[5];
    clt_rng rng;
    clt_rng_seed(&rng, seed);
    for (int i = 0; i < 3; i++)
        got[i] = clt_rng_gauss(&rng);
    got[3] = clt_rng_double(&rng);
    got[4] = clt_rng_gauss(&rng);
    clt_rng_permutation(&rng, perm, 5);
    for (int i = 0; i < 5; i++)
        got[5 + i] = (double)perm[i];
    got[10] = clt_rng_gauss(&rng);
    got[11] = clt_rng_gauss(&rng);
    for (int i = 0; i < 12; i++)
        check_double("mixed", seed, i, got[i], MIXED[s][i]);
}

/* The 2000th value of each stream, past two refills of the state. */
static void test_long(int s)
{
    uint32_t seed = SEEDS[s];
    clt_rng rng;
    double x = 0.0;
    clt_rng_seed(&rng, seed);
    for (int i = 0; i < 2000; i++)
        x = clt_rng_gauss(&rng);
    check_double("randn(2000)[-1]", seed, 0, x, LONG_LAST[s][0]);
    clt_rng_seed(&rng, seed);
    for (int i = 0; i < 2000; i++)
        x = clt_rng_double(&rng);
    check_double("random_sample(2000)[-1]", seed, 0, x, LONG_LAST[s][1]);
}

/* The state is plain data: a copy continues exactly like the original. */
static void test_copy(void)
{
    clt_rng a, b;
    clt_rng_seed(&a, 7);
    clt_rng_gauss(&a);
    b = a;
    for (int i = 0; i < 1000; i++) {
        double x = clt_rng_gauss(&a), y = clt_rng_gauss(&b);
        CHECK(memcmp(&x, &y, sizeof x) == 0);
    }
}

/* Permutations of the edge sizes are valid and every interval stays in range. */
static void test_edges(void)
{
    clt_rng rng;
    int64_t one = -1;
    clt_rng_seed(&rng, 3);
    clt_rng_permutation(&rng, &one, 1);
    CHECK(one == 0);
    clt_rng_permutation(&rng, NULL, 0);

    int64_t perm[100];
    int seen[100] = {0};
    clt_rng_permutation(&rng, perm, 100);
    for (int i = 0; i < 100; i++) {
        CHECK(perm[i] >= 0 && perm[i] < 100);
        if (perm[i] >= 0 && perm[i] < 100)
            seen[perm[i]]++;
    }
    for (int i = 0; i < 100; i++)
        CHECK(seen[i] == 1);
    for (int i = 0; i < 1000; i++)
        CHECK(clt_rng_interval(&rng, 9) <= 9);
    for (int i = 0; i < 1000; i++) {
        double u = clt_rng_double(&rng);
        CHECK(u >= 0.0 && u < 1.0);
    }
}

int main(void)
{
    for (int s = 0; s < N_SEEDS; s++) {
        test_seed(s);
        test_mixed(s);
        test_long(s);
    }
    test_copy();
    test_edges();
    return test_verdict("test_rng");
}
