// Sockets through the agentOS host_net imports.
//   net server PORT N   serve N connections: read a line, answer it upper-cased
//   net client PORT MSG connect, send MSG, print the answer
//   net errors PORT     print the errnos of the failure cases
//   net poll PORT       accept with net_poll, report readiness
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NET(name) __attribute__((import_module("host_net"), import_name(#name)))
NET(net_socket) uint32_t net_socket(uint32_t domain, uint32_t type, uint32_t proto, uint32_t *fd);
NET(net_connect) uint32_t net_connect(uint32_t fd, const char *addr, uint32_t len);
NET(net_bind) uint32_t net_bind(uint32_t fd, const char *addr, uint32_t len);
NET(net_listen) uint32_t net_listen(uint32_t fd, uint32_t backlog);
NET(net_accept) uint32_t net_accept(uint32_t fd, uint32_t *nfd, char *addr, uint32_t *len);
NET(net_send) uint32_t net_send(uint32_t fd, const void *buf, uint32_t len, uint32_t flags, uint32_t *sent);
NET(net_recv) uint32_t net_recv(uint32_t fd, void *buf, uint32_t len, uint32_t flags, uint32_t *got);
NET(net_close) uint32_t net_close(uint32_t fd);
NET(net_getsockname) uint32_t net_getsockname(uint32_t fd, char *addr, uint32_t *len);
NET(net_getpeername) uint32_t net_getpeername(uint32_t fd, char *addr, uint32_t *len);
NET(net_getaddrinfo) uint32_t net_getaddrinfo(const char *host, uint32_t hl, const char *port, uint32_t pl,
                                              uint32_t family, char *out, uint32_t *len);
NET(net_tls_connect) uint32_t net_tls_connect(uint32_t fd, const char *host, uint32_t len);
NET(net_poll) uint32_t net_poll(void *fds, uint32_t n, int32_t timeout, uint32_t *ready);
NET(net_sendto) uint32_t net_sendto(uint32_t fd, const void *buf, uint32_t len, uint32_t flags, const char *addr,
                                    uint32_t alen, uint32_t *sent);
NET(net_recvfrom) uint32_t net_recvfrom(uint32_t fd, void *buf, uint32_t len, uint32_t flags, uint32_t *got,
                                        char *addr, uint32_t *alen);

static uint32_t S(const char *s, uint32_t fd, const char *addr) { return net_connect(fd, addr, strlen(addr)); }

static int mksock(void) {
    uint32_t fd, e = net_socket(2, 1, 0, &fd);
    if (e) { printf("socket errno %u\n", e); exit(1); }
    return fd;
}

static void serve_one(uint32_t c) {
    char buf[256]; uint32_t got = 0, n;
    while (got < sizeof buf - 1 && net_recv(c, buf + got, sizeof buf - 1 - got, 0, &n) == 0 && n > 0) {
        got += n;
        if (buf[got - 1] == '\n') break;
    }
    for (uint32_t i = 0; i < got; i++) buf[i] = toupper((unsigned char)buf[i]);
    uint32_t sent;
    net_send(c, buf, got, 0, &sent);
    net_close(c);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%s", argv[2]);
    if (!strcmp(argv[1], "server")) {
        int n = argc > 3 ? atoi(argv[3]) : 1;
        uint32_t l = mksock(), e;
        if ((e = net_bind(l, addr, strlen(addr)))) { printf("bind errno %u\n", e); return 1; }
        if ((e = net_listen(l, 8))) { printf("listen errno %u\n", e); return 1; }
        char name[64]; uint32_t len = sizeof name;
        net_getsockname(l, name, &len);
        printf("listening on %.*s\n", (int)len, name);
        fflush(stdout);
        for (int i = 0; i < n; i++) {
            uint32_t c; char peer[64]; uint32_t plen = sizeof peer;
            if ((e = net_accept(l, &c, peer, &plen))) { printf("accept errno %u\n", e); return 1; }
            printf("peer is loopback: %d\n", strncmp(peer, "127.0.0.1:", 10) == 0);
            fflush(stdout);
            serve_one(c);
        }
        net_close(l);
        return 0;
    }
    if (!strcmp(argv[1], "client") || !strcmp(argv[1], "rclient")) {
        // rclient takes a whole host:port.
        if (argv[1][0] == 'r') snprintf(addr, sizeof addr, "%s", argv[2]);
        uint32_t fd = mksock(), e, sent, n;
        for (int tries = 0; (e = S("c", fd, addr)) == 14 && tries < 500; tries++) usleep(2000);
        if (e) { printf("connect errno %u\n", e); return 1; }
        char peer[64]; uint32_t plen = sizeof peer;
        net_getpeername(fd, peer, &plen);
        printf("connected to %.*s\n", (int)plen, peer);
        char msg[256];
        int m = snprintf(msg, sizeof msg, "%s\n", argc > 3 ? argv[3] : "hello");
        net_send(fd, msg, m, 0, &sent);
        char buf[256]; uint32_t got = 0;
        while (net_recv(fd, buf + got, sizeof buf - 1 - got, 0, &n) == 0 && n > 0) got += n;
        printf("answer: %.*s", (int)got, buf);
        net_close(fd);
        return 0;
    }
    if (!strcmp(argv[1], "errors")) {
        uint32_t fd, e;
        printf("bad family: %u\n", net_socket(99, 1, 0, &fd));
        printf("bad type: %u\n", net_socket(2, 99, 0, &fd));
        uint32_t a = mksock();
        printf("refused: %u\n", S("", a, addr));
        printf("bad address: %u\n", S("", a, "nonsense"));
        printf("unknown name: %u\n", S("", a, "no.such.host:80"));
        printf("send unconnected: %u\n", net_send(a, "x", 1, 0, &e));
        uint32_t b = mksock();
        e = net_bind(b, addr, strlen(addr));
        net_listen(b, 1);
        uint32_t c = mksock();
        printf("in use: %u\n", net_bind(c, addr, strlen(addr)));
        char out[128]; uint32_t len = sizeof out;
        e = net_getaddrinfo("localhost", 9, "8080", 4, 0, out, &len);
        printf("getaddrinfo localhost: %u [%.*s]\n", e, (int)len, out);
        len = 4;
        printf("small buffer: %u len=%u\n", net_getaddrinfo("localhost", 9, "1", 1, 4, out, &len), len);
        printf("close twice: %u %u\n", net_close(a), net_close(a));
        printf("not a socket: %u\n", net_listen(1, 1));
        S("", c, addr);
        printf("tls inside the VM: %u\n", net_tls_connect(c, "localhost", 9));
        uint32_t d = mksock();
        printf("tls unconnected: %u\n", net_tls_connect(d, "localhost", 9));
        return 0;
    }
    if (!strcmp(argv[1], "udp")) {
        uint32_t a, b, n, e;
        net_socket(2, 5 /* wasi-libc SOCK_DGRAM */, 0, &a);
        net_socket(2, 2 /* Linux SOCK_DGRAM */, 0, &b);
        if ((e = net_bind(a, addr, strlen(addr)))) { printf("bind errno %u\n", e); return 1; }
        net_sendto(b, "one", 3, 0, addr, strlen(addr), &n);
        net_sendto(b, "two!", 4, 0, addr, strlen(addr), &n);
        char buf[16], from[64];
        for (int i = 0; i < 2; i++) {
            uint32_t flen = sizeof from;
            e = net_recvfrom(a, buf, sizeof buf, 0, &n, from, &flen);
            printf("got %u bytes '%.*s' from loopback: %d (e=%u)\n", n, (int)n, buf, strncmp(from, "127.0.0.1:", 10) == 0, e);
        }
        // A connected datagram socket: net_send / net_recv keep boundaries.
        net_connect(b, addr, strlen(addr));
        net_send(b, "three", 5, 0, &n);
        uint32_t flen = sizeof from;
        net_recvfrom(a, buf, 2, 0, &n, from, &flen);
        printf("truncated to %u: '%.*s'\n", n, (int)n, buf);
        return 0;
    }
    if (!strcmp(argv[1], "poll")) {
        uint32_t l = mksock();
        net_bind(l, addr, strlen(addr));
        net_listen(l, 4);
        struct { int32_t fd; int16_t events, revents; } p[2] = {{(int32_t)l, 1, 0}, {-1, 1, 0}};
        uint32_t ready = 9;
        uint32_t e = net_poll(p, 2, 0, &ready);
        printf("idle: e=%u ready=%u revents=%d\n", e, ready, p[0].revents);
        uint32_t c = mksock();
        S("", c, addr);
        e = net_poll(p, 2, 1000, &ready);
        printf("pending: e=%u ready=%u revents=%d\n", e, ready, p[0].revents);
        return 0;
    }
    return 2;
}
