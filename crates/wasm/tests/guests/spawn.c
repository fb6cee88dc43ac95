// Pipes and child processes through the agentOS host_process imports:
// runs `argv[1] argv[2..]` with its stdout on a pipe, echoes what it read
// prefixed with "child said: ", and reports the child's exit status.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HOST(name) __attribute__((import_module("host_process"), import_name(#name)))
HOST(fd_pipe) uint32_t host_pipe(uint32_t *r, uint32_t *w);
HOST(proc_spawn) uint32_t host_spawn(const char *argv, uint32_t argv_len, const char *envp, uint32_t envp_len,
                                     uint32_t in, uint32_t out, uint32_t err, const char *cwd, uint32_t cwd_len,
                                     uint32_t *pid);
HOST(proc_waitpid_v2) uint32_t host_wait(uint32_t pid, uint32_t opts, uint32_t *code, uint32_t *sig,
                                         uint32_t *rpid, uint32_t *core);
HOST(proc_getpid) uint32_t host_getpid(uint32_t *pid);

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char args[1024]; size_t len = 0;
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        memcpy(args + len, argv[i], l);
        len += l;
    }
    const char env[] = "FROM=parent";
    uint32_t r, w, pid, me;
    if (host_pipe(&r, &w) != 0) { printf("pipe failed\n"); return 1; }
    uint32_t e = host_spawn(args, len, env, sizeof env, 0, w, 2, "/tmp", 4, &pid);
    if (e != 0) { printf("spawn errno %u\n", e); return 1; }
    close(w);
    host_getpid(&me);
    char buf[256]; ssize_t n; size_t got = 0;
    while ((n = read(r, buf + got, sizeof buf - 1 - got)) > 0) got += n;
    buf[got] = 0;
    printf("child said: %s", buf);
    uint32_t code = 0, sig = 0, rpid = 0, core = 0;
    host_wait(pid, 0, &code, &sig, &rpid, &core);
    printf("child exit=%u signal=%u same-pid=%d parent-differs=%d\n", code, sig, rpid == pid, me != pid);
    return 0;
}
