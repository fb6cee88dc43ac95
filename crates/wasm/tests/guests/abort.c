// abort() compiles to a wasm `unreachable`.
#include <stdlib.h>

int main(void) { abort(); }
