/* test_numfmt.c - clt_format_pyfloat against Python's repr(float), and
 * clt_strtod in the "C" locale and, when one is installed, a locale whose
 * decimal point is a comma.
 *
 * The table's expected strings were printed by Python itself: for each value v
 *     /usr/bin/python3 -c 'v = ...; print("{%s, \"%s\"}," % (v.hex(), repr(v)))'
 * (values given as hexadecimal literals so that the C side gets the very same
 * double).  The powers of two 2^-1017 ... 2^-705 are cases where the correctly
 * rounded shortest-length candidate does not read back but its upper
 * neighbour does.
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"

static const struct {
    double x;
    const char *repr;
} CASES[] = {
    {0x1.0000000000000p+0, "1.0"},
    {0x1.0000000000000p-1, "0.5"},
    {0x1.8000000000000p-1, "0.75"},
    {0x1.9000000000000p+6, "100.0"},
    {0x1.4f8b588e368f1p-17, "1e-05"},
    {0x1.aa535d3d0c000p+53, "1.5e+16"},
    {0x1.1c37937e08000p+53, "1e+16"},
    {0x1.a36e2eb1c432dp-14, "0.0001"},
    {-0x0.0p+0, "-0.0"},
    {0x0.0p+0, "0.0"},
    {0x1.c12218377de40p+46, "123456789012345.0"},
    {0x1.18b54f22aeb03p+50, "1234567890123456.8"},
    {0x1.999999999999ap-4, "0.1"},
    {0x1.3333333333334p-2, "0.30000000000000004"},
    {0x1.5555555555555p-2, "0.3333333333333333"},
    {0x1.5555555555555p-1, "0.6666666666666666"},
    {-0x1.8000000000000p+0, "-1.5"},
    {0x1.0f0cf064dd592p+73, "1e+22"},
    {0x1.52d02c7e14af6p+76, "1e+23"},
    {0x1.0000000000000p+53, "9007199254740992.0"},
    {0x0.0000000000001p-1022, "5e-324"},
    {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"},
    {0x1.0000000000000p-1022, "2.2250738585072014e-308"},
    {0x0.fffffffffffffp-1022, "2.225073858507201e-308"},
    {0x1.f75104d551d69p-14, "0.00012"},
    {0x1.a36371ea531a8p-14, "9.999e-05"},
    {0x1.c6bf526340000p+49, "1000000000000000.0"},
    {0x1.1c37937e07fffp+53, "9999999999999998.0"},
    {0x1.5ee2a2eb5a5c4p+53, "1.2345678901234568e+16"},
    {0x1.921f9f01b866ep+1, "3.14159"},
    {0x1.249ad2594c37dp+332, "1e+100"},
    {0x1.49da7e361ce4cp-33, "1.5e-10"},
    {0x1.edd2f1a9fbe77p+6, "123.456"},
    {0x1.0624dd2f1a9fcp-10, "0.001"},
    {0x0.012688b70e62bp-1022, "1e-310"},
    {0x1.1666666666666p+2, "4.35"},
    {0x1.0000000000000p+63, "9.223372036854776e+18"},
    {0x1.0000000000000p+64, "1.8446744073709552e+19"},
    {0x1.9999999999999p-1, "0.7999999999999999"},
    {0x1.a36e2e6b65cccp-14, "9.9999999e-05"},
    {-0x1.0c6f7a0b5ed8dp-22, "-2.5e-07"},
    {0x1.ddd4baa009303p+999, "1e+301"},
    {0x1.2599ed7c6fbd2p-14, "7e-05"},
    {0x1.34a0000000000p+10, "1234.5"},
    {0x1.1c37937e07fffp+53, "9999999999999998.0"},
    {0x1.3333333333333p-2, "0.3"},
    {0x1.0000000000000p-1017, "7.120236347223045e-307"},
    {0x1.0000000000000p-1007, "7.291122019556398e-304"},
    {0x1.0000000000000p-957, "8.209073602596753e-289"},
    {0x1.0000000000000p-808, "5.858190679279809e-244"},
    {0x1.0000000000000p-705, "5.940911144672375e-213"},
    {0x1.fe185ca57c517p+78, "6.02214076e+23"},
    {-0x1.4f8b588e368f1p-17, "-1e-05"},
    {0x1.0000000000000p+16, "65536.0"},
    {0x0.0000000000002p-1022, "1e-323"},
    {0x1.894911862d918p+4, "24.580338977940386"},
    {0x1.57a689bf747bbp+42, "5903871311313.933"},
    {-0x1.c12cf53b76506p+29, "-941989543.4327705"},
    {0x1.7262a44b5daf2p-18, "5.519171348714339e-06"},
    {0x1.06142c9856decp-35, "2.979491062738484e-11"},
    {-0x1.cd182c02efe6ap+32, "-7735880706.937113"},
    {0x1.cc8e8be886e9bp+12, "7368.909157301906"},
    {0x1.8e00b0b2bf884p+49, "875217184718608.5"},
    {-0x1.aea584869626bp-25, "-5.0133857111462675e-08"},
    {-0x1.93f4b7f94d2adp-33, "-1.8369789005097204e-10"},
    {0x1.0437426de52e9p+13, "8326.907436171039"},
    {-0x1.39f5aed4136b0p-54, "-6.807915752839235e-17"},
};

#define N_CASES ((int)(sizeof CASES / sizeof CASES[0]))

static void test_repr_table(void)
{
    for (int i = 0; i < N_CASES; i++) {
        char buf[64];
        clt_format_pyfloat(buf, sizeof buf, CASES[i].x);
        if (strcmp(buf, CASES[i].repr) != 0) {
            fprintf(stderr, "repr(%a): got \"%s\", python \"%s\"\n", CASES[i].x, buf,
                    CASES[i].repr);
            test_failures++;
        }
    }
}

static void test_repr_special(void)
{
    char buf[64];
    clt_format_pyfloat(buf, sizeof buf, INFINITY);
    CHECK(strcmp(buf, "inf") == 0);
    clt_format_pyfloat(buf, sizeof buf, -INFINITY);
    CHECK(strcmp(buf, "-inf") == 0);
    clt_format_pyfloat(buf, sizeof buf, NAN);
    CHECK(strcmp(buf, "nan") == 0);
    clt_format_pyfloat(buf, sizeof buf, -NAN);
    CHECK(strcmp(buf, "nan") == 0);

    /* A short buffer gets a truncated, terminated string. */
    char small[4] = "xxx";
    clt_format_pyfloat(small, sizeof small, 123.25);
    CHECK(strcmp(small, "123") == 0);
}

/* Significant digits of a repr string: those of the mantissa without the
 * zeros at either end. */
static int count_digits(const char *s)
{
    char digits[64];
    int n = 0;
    for (; *s && *s != 'e' && n < 63; s++) {
        if ((*s >= '1' && *s <= '9') || (*s == '0' && n > 0))
            digits[n++] = *s;
    }
    while (n > 0 && digits[n - 1] == '0')
        n--;
    return n;
}

/* Random bit patterns: every output reads back exactly, and no %.{p}g with
 * fewer significant digits would have read back. */
static void test_repr_random(void)
{
    clt_rng rng;
    clt_rng_seed(&rng, 2024);
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = (uint64_t)clt_rng_u32(&rng) << 32 | clt_rng_u32(&rng);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (!isfinite(x) || x == 0.0)
            continue;
        char buf[64], shorter[512];
        clt_format_pyfloat(buf, sizeof buf, x);
        double back = clt_strtod(buf, NULL);
        if (memcmp(&back, &x, sizeof x) != 0) {
            fprintf(stderr, "repr(%a) = \"%s\" reads back as %a\n", x, buf, back);
            test_failures++;
        }
        int digits = count_digits(buf);
        snprintf(shorter, sizeof shorter, "%.*g", digits - 1, x);
        if (digits > 1 && clt_strtod(shorter, NULL) == x) {
            fprintf(stderr, "repr(%a) = \"%s\" but \"%s\" is shorter\n", x, buf, shorter);
            test_failures++;
        }
    }
}

static void test_strtod(void)
{
    char *end;
    const char *s = "  2.5e3x";
    CHECK(clt_strtod(s, &end) == 2500.0 && end == s + 7);
    s = "1.5";
    CHECK(clt_strtod(s, &end) == 1.5 && *end == '\0');
    s = "1,5";
    CHECK(clt_strtod(s, &end) == 1.0 && *end == ',');
    s = "abc";
    CHECK(clt_strtod(s, &end) == 0.0 && end == s);
    s = "-0.0";
    double z = clt_strtod(s, &end);
    CHECK(z == 0.0 && signbit(z) && *end == '\0');
    CHECK(isinf(clt_strtod("inf", NULL)));
    CHECK(isnan(clt_strtod("nan", NULL)));
    CHECK(clt_strtod("0x1p-2", NULL) == 0.25);
    CHECK(clt_strtod("1e-05", NULL) == 1e-05);
}

/* Everything again under a locale whose decimal point is a comma, if the
 * system has one; the process's locale is put back to "C" afterwards. */
static int test_comma_locale(void)
{
    static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8",
                                  "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8"};
    const char *found = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !found; i++) {
        if (setlocale(LC_ALL, names[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            found = names[i];
    }
    if (!found) {
        setlocale(LC_ALL, "C");
        printf("no locale with a decimal comma installed; that part is skipped\n");
        return 0;
    }
    printf("testing under locale %s\n", found);
    CHECK(strtod("1,5", NULL) == 1.5);   /* the locale really is in force */
    test_strtod();
    test_repr_table();
    test_repr_special();
    setlocale(LC_ALL, "C");
    return 1;
}

int main(void)
{
    test_strtod();
    test_repr_table();
    test_repr_special();
    test_repr_random();
    test_comma_locale();
    return test_verdict("test_numfmt");
}
