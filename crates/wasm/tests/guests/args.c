// argv, environment and exit codes: prints its arguments and the
// variables named by GET=..., exits with the code given by EXIT=n.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    const char *want = getenv("GET");
    if (want) {
        const char *v = getenv(want);
        printf("%s=%s\n", want, v ? v : "(unset)");
    }
    const char *code = getenv("EXIT");
    fprintf(stderr, "to stderr\n");
    return code ? atoi(code) : 0;
}
