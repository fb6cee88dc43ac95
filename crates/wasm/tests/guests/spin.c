// Spins forever without a system call: only the engine can stop it.
#include <stdio.h>

int main(void) {
    printf("spinning\n");
    fflush(stdout);
    volatile unsigned long n = 0;
    for (;;) n++;
}
