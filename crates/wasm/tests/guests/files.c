// Files and directories through WASI paths: create, write, read, append,
// seek, stat, rename, symlink, readlink, link, list, unlink, rmdir, and
// the errnos of the failing cases.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerror(errno)); return; }
    char *names[64]; int n = 0; struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("ls %s:", dir);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    if (mkdir("/tmp/t", 0755) != 0) printf("mkdir: %s\n", strerror(errno));
    if (mkdir("/tmp/t", 0755) != 0) printf("mkdir again: %s\n", strerror(errno));
    FILE *f = fopen("/tmp/t/a.txt", "w");
    fputs("hello\n", f);
    fclose(f);
    f = fopen("/tmp/t/a.txt", "a");
    fputs("world\n", f);
    fclose(f);
    char buf[64] = {0};
    int fd = open("/tmp/t/a.txt", O_RDONLY);
    lseek(fd, 6, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read at 6: %zd %s", n, buf);
    memset(buf, 0, sizeof buf);
    n = pread(fd, buf, 5, 0);
    printf("pread: %zd %s\n", n, buf);
    close(fd);
    struct stat st;
    stat("/tmp/t/a.txt", &st);
    printf("size=%lld reg=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    if (rename("/tmp/t/a.txt", "/tmp/t/b.txt") != 0) printf("rename: %s\n", strerror(errno));
    if (symlink("b.txt", "/tmp/t/link") != 0) printf("symlink: %s\n", strerror(errno));
    n = readlink("/tmp/t/link", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("readlink: %s\n", buf);
    lstat("/tmp/t/link", &st);
    printf("lstat link: %d\n", S_ISLNK(st.st_mode));
    if (link("/tmp/t/b.txt", "/tmp/t/hard") != 0) printf("link: %s\n", strerror(errno));
    stat("/tmp/t/hard", &st);
    printf("nlink=%d\n", (int)st.st_nlink);
    mkdir("/tmp/t/sub", 0755);
    list("/tmp/t");
    if (open("/tmp/t/missing", O_RDONLY) < 0) printf("open missing: %s\n", strerror(errno));
    if (rmdir("/tmp/t") != 0) printf("rmdir nonempty: %s\n", strerror(errno));
    if (open("/tmp/t/b.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0) printf("excl: %s\n", strerror(errno));
    truncate("/tmp/t/b.txt", 3);
    stat("/tmp/t/b.txt", &st);
    printf("truncated=%lld\n", (long long)st.st_size);
    unlink("/tmp/t/link");
    unlink("/tmp/t/hard");
    rmdir("/tmp/t/sub");
    list("/tmp/t");
    if (chdir("/tmp/t") == 0) {
        f = fopen("rel.txt", "w");
        fputs("relative\n", f);
        fclose(f);
        printf("cwd-relative: %d\n", access("/tmp/t/rel.txt", F_OK) == 0);
    }
    return 0;
}
