// Clocks, sleeping and randomness.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    printf("realtime after 2020: %d\n", time(NULL) > 1577836800);
    long long a = ns(CLOCK_MONOTONIC);
    struct timespec d = {0, 30 * 1000000};
    nanosleep(&d, NULL);
    long long b = ns(CLOCK_MONOTONIC);
    printf("slept >= 30ms: %d\n", b - a >= 30000000LL);
    unsigned char r1[32], r2[32], zero[32] = {0};
    getentropy(r1, sizeof r1);
    getentropy(r2, sizeof r2);
    printf("random differs: %d nonzero: %d\n", memcmp(r1, r2, 32) != 0, memcmp(r1, zero, 32) != 0);
    return 0;
}
