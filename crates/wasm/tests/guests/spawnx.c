// posix_spawn through host_process.proc_spawn_v3 with file actions, the
// way the registry's libc does it: the pipe's ends are close-on-exec in the
// parent, and a dup2 action puts the write end on the child's stdout.
// Also prints the PWD the runtime supplies.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HOST(name) __attribute__((import_module("host_process"), import_name(#name)))
HOST(fd_pipe) uint32_t host_pipe(uint32_t *r, uint32_t *w);
HOST(fd_setfd) uint32_t host_setfd(uint32_t fd, uint32_t flags);
HOST(proc_spawn_v3) uint32_t host_spawn3(const char *path, uint32_t path_len, const char *argv, uint32_t argv_len,
                                         const char *envp, uint32_t envp_len, const void *actions,
                                         uint32_t actions_len, const char *cwd, uint32_t cwd_len, uint32_t flags,
                                         uint32_t sd_lo, uint32_t sd_hi, uint32_t mask_lo, uint32_t mask_hi,
                                         uint32_t pgroup, uint32_t *pid);
HOST(proc_waitpid_v2) uint32_t host_wait(uint32_t pid, uint32_t opts, uint32_t *code, uint32_t *sig,
                                         uint32_t *rpid, uint32_t *core);

int main(int argc, char **argv) {
    printf("PWD=%s\n", getenv("PWD") ? getenv("PWD") : "(none)");
    if (argc < 2) return 0;
    char args[1024]; size_t len = 0;
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        memcpy(args + len, argv[i], l);
        len += l;
    }
    uint32_t r, w, pid;
    host_pipe(&r, &w);
    host_setfd(r, 1);
    host_setfd(w, 1);
    uint32_t act[6] = {2 /* dup2 */, 1 /* to fd */, w /* from */, 0, 0, 0};
    uint32_t e = host_spawn3(argv[1], strlen(argv[1]), args, len, "A=1", 4, act, sizeof act, "", 0, 0, 0, 0, 0, 0, 0,
                             &pid);
    if (e) { printf("spawn errno %u\n", e); return 1; }
    close(w);
    char buf[256]; ssize_t n; size_t got = 0;
    while ((n = read(r, buf + got, sizeof buf - 1 - got)) > 0) got += n;
    buf[got] = 0;
    uint32_t code = 0, sig = 0, rpid = 0, core = 0;
    host_wait(pid, 0, &code, &sig, &rpid, &core);
    printf("child said: %sexit=%u\n", buf, code);
    return 0;
}
