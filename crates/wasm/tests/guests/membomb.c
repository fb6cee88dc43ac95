// Allocates and touches memory without bound.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    for (unsigned long i = 0;; i++) {
        char *p = malloc(1 << 20);
        if (!p) { printf("malloc returned NULL after %lu MiB\n", i); return 1; }
        memset(p, 1, 1 << 20);
    }
}
