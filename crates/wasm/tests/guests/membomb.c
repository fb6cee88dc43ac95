// Allocates and touches memory without bound. The blocks are chained so
// the compiler cannot elide the allocations.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile head;

int main(void) {
    for (unsigned long i = 0;; i++) {
        char *p = malloc(1 << 20);
        if (!p) { printf("malloc returned NULL after %lu MiB\n", i); return 1; }
        memset(p, 1, 1 << 20);
        *(void **)p = head;
        head = p;
    }
}
