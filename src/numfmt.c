/* numfmt.c - numbers as text, the same in every locale: clt_strtod reads a
 * double with "." as the decimal point whatever setlocale() said, and
 * clt_format_pyfloat writes a double exactly as Python's repr(float) does,
 * so that files and logs compare equal to the notebook's.
 *
 * Left out on purpose: our own decimal conversion.  The shortest digits are
 * found by asking the C library for 1, 2, ... 17 correctly rounded digits and
 * reading each back, which is slower than a dedicated algorithm (Ryu, Grisu)
 * but short, and exact given the C library's correctly rounded printf/strtod
 * (glibc's are).
 */
#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cltrain.h"

/* The "C" locale object, made once and kept for the life of the process. */
static _Atomic(locale_t) c_locale;

static locale_t get_c_locale(void)
{
    locale_t loc = atomic_load(&c_locale);
    if (loc)
        return loc;
    locale_t made = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!made)
        return (locale_t)0;
    locale_t expected = (locale_t)0;
    if (!atomic_compare_exchange_strong(&c_locale, &expected, made)) {
        freelocale(made);   /* another thread was first */
        return expected;
    }
    return made;
}

/* Switches this thread to the "C" locale for one strtod; if the locale object
 * cannot be made (out of memory), falls back to the process's locale. */
double clt_strtod(const char *s, char **end)
{
    locale_t c = get_c_locale();
    locale_t old = c ? uselocale(c) : (locale_t)0;
    double x = strtod(s, end);
    if (old)
        uselocale(old);
    return x;
}

/* A decimal number digits[0..n) * 10^(exp10 - n + 1): d.ddd times 10^exp10. */
typedef struct {
    char digits[24];
    int n;
    int exp10;
} decimal;

/* Reads the digits and exponent of "d.ddde+XX" (printf's %e, whatever the
 * locale's decimal point), keeping trailing zeros. */
static void decimal_from_e(decimal *d, const char *text)
{
    d->n = 0;
    const char *p = text;
    for (; *p && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && d->n < (int)sizeof d->digits - 1)
            d->digits[d->n++] = *p;
    }
    d->exp10 = *p == 'e' ? atoi(p + 1) : 0;
    d->digits[d->n] = '\0';
}

static void decimal_strip(decimal *d)
{
    while (d->n > 1 && d->digits[d->n - 1] == '0')
        d->n--;
    d->digits[d->n] = '\0';
}

/* Moves to the next n-digit decimal above or below, carrying as needed:
 * 9.99 goes up to 10.0 and 1.00 down to 0.999 (n digits again). */
static void decimal_step(decimal *d, int up)
{
    int i = d->n - 1;
    if (up) {
        while (i >= 0 && d->digits[i] == '9')
            d->digits[i--] = '0';
        if (i < 0) {
            memmove(d->digits + 1, d->digits, (size_t)d->n);
            d->digits[0] = '1';
            d->n++;
            d->exp10++;
        } else {
            d->digits[i]++;
        }
    } else {
        while (i > 0 && d->digits[i] == '0')
            i--;
        if (i == 0 && d->digits[0] == '1') {
            memset(d->digits, '9', (size_t)d->n);
            d->exp10--;
        } else {
            d->digits[i]--;
            memset(d->digits + i + 1, '9', (size_t)(d->n - i - 1));
        }
    }
    d->digits[d->n] = '\0';
}

/* The value of a decimal, read back the way any reader would. */
static double decimal_value(const decimal *d)
{
    char text[48];
    snprintf(text, sizeof text, "%c.%se%d", d->digits[0], d->n > 1 ? d->digits + 1 : "0",
             d->exp10);
    return clt_strtod(text, NULL);
}

/* The shortest decimal that reads back as x (x finite and > 0), the nearest
 * to x among those of that length.  At each length the correctly rounded
 * candidate is the nearest; when it misses, its neighbour on the far side of
 * x may still hit, because the gap below a power of two is half the gap
 * above it. */
static void shortest_digits(double x, decimal *d)
{
    for (int prec = 1; prec <= 17; prec++) {
        char text[48];
        snprintf(text, sizeof text, "%.*e", prec - 1, x);
        decimal_from_e(d, text);
        decimal other = *d;
        decimal_strip(d);
        double back = decimal_value(d);
        if (back == x)
            return;
        decimal_step(&other, back < x);
        decimal_strip(&other);
        if (decimal_value(&other) == x) {
            *d = other;
            return;
        }
    }
    /* 17 significant digits always read back; not reached. */
}

/* Python's layout: positional for 1e-4 <= |x| < 1e16, else d.ddde+XX with at
 * least two exponent digits; positional numbers always show a ".". */
static void layout(char *out, size_t size, int negative, const decimal *d)
{
    char body[64];
    int decpt = d->exp10 + 1;   /* digits before the decimal point */
    if (decpt <= -4 || decpt > 16) {
        snprintf(body, sizeof body, "%c%s%se%c%02d", d->digits[0], d->n > 1 ? "." : "",
                 d->digits + 1, d->exp10 < 0 ? '-' : '+', abs(d->exp10));
    } else if (decpt <= 0) {
        snprintf(body, sizeof body, "0.%.*s%s", -decpt, "0000", d->digits);
    } else if (decpt >= d->n) {
        snprintf(body, sizeof body, "%s%.*s.0", d->digits, decpt - d->n, "0000000000000000");
    } else {
        snprintf(body, sizeof body, "%.*s.%s", decpt, d->digits, d->digits + decpt);
    }
    snprintf(out, size, "%s%s", negative ? "-" : "", body);
}

void clt_format_pyfloat(char *buf, size_t size, double x)
{
    if (isnan(x)) {
        snprintf(buf, size, "nan");
        return;
    }
    int negative = signbit(x) != 0;
    if (isinf(x)) {
        snprintf(buf, size, "%sinf", negative ? "-" : "");
        return;
    }
    if (x == 0.0) {
        snprintf(buf, size, "%s0.0", negative ? "-" : "");
        return;
    }
    decimal d;
    shortest_digits(fabs(x), &d);
    layout(buf, size, negative, &d);
}
