/* test_outfile.c - clt_outfile: commit replaces, abort and failures leave the
 * old file as it was, errors name the path, and no temporary stays behind.
 * Everything happens in a fresh folder under $TMPDIR (or /tmp), removed at
 * the end.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char folder[4096];

#define PATH_SIZE 4200

/* folder/name in buf (PATH_SIZE bytes). */
static const char *in_folder(char *buf, const char *name)
{
    snprintf(buf, PATH_SIZE, "%s/%s", folder, name);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* The whole content of a small file, or "<missing>". */
static const char *read_file(const char *path)
{
    static char buf[256];
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return "<missing>";
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Entries in the test folder other than "." and "..". */
static int count_entries(void)
{
    DIR *d = opendir(folder);
    int n = 0;
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    }
    closedir(d);
    return n;
}

static void test_missing_folder(void)
{
    clt_outfile out;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "no/such/folder/model.st");
    int st = clt_outfile_open(&out, path);
    CHECK(st == CLT_ERR_IO);
    CHECK(strstr(clt_last_error(), path) != NULL);
    CHECK(strstr(clt_last_error(), strerror(ENOENT)) != NULL);
    CHECK(out.fp == NULL && out.path == NULL && out.tmp_path == NULL);
    printf("missing folder: %s\n", clt_last_error());

    CHECK(clt_outfile_open(&out, "") == CLT_ERR_ARG);
}

static void test_commit_new(void)
{
    clt_outfile out;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "new.txt");
    CHECK_OK(clt_outfile_open(&out, path));
    if (!out.fp)
        return;
    CHECK(strncmp(out.tmp_path, path, strlen(path)) == 0);
    fputs("hello\n", out.fp);
    CHECK(access(path, F_OK) != 0);   /* nothing at path before commit */
    CHECK_OK(clt_outfile_commit(&out));
    CHECK(out.fp == NULL && out.path == NULL && out.tmp_path == NULL);
    CHECK(strcmp(read_file(path), "hello\n") == 0);
    CHECK(count_entries() == 1);

    /* mkstemp's 0600 is widened to what fopen would give. */
    struct stat sb;
    mode_t mask = umask(0);
    umask(mask);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == (0666 & ~mask));
    unlink(path);
}

static void test_commit_replaces(void)
{
    clt_outfile out;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "model.st");
    write_file(path, "old");
    CHECK_OK(clt_outfile_open(&out, path));
    if (!out.fp)
        return;
    fputs("new content", out.fp);
    CHECK(strcmp(read_file(path), "old") == 0);
    CHECK_OK(clt_outfile_commit(&out));
    CHECK(strcmp(read_file(path), "new content") == 0);
    CHECK(count_entries() == 1);
    unlink(path);
}

static void test_abort_keeps_old(void)
{
    clt_outfile out;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "model.st");
    write_file(path, "old");
    CHECK_OK(clt_outfile_open(&out, path));
    if (!out.fp)
        return;
    fputs("half-written", out.fp);
    CHECK(count_entries() == 2);
    clt_outfile_abort(&out);
    CHECK(out.fp == NULL && out.path == NULL && out.tmp_path == NULL);
    CHECK(strcmp(read_file(path), "old") == 0);
    CHECK(count_entries() == 1);
    clt_outfile_abort(&out);   /* a second abort is harmless */
    unlink(path);
}

/* A directory stands at path: open works (the temporary goes beside it),
 * the rename fails, the directory stays and the temporary goes. */
/* A folder, a FIFO or a device at the path is refused before anything is
 * written: the rename would put a regular file in its place. */
static void test_not_regular(void)
{
    clt_outfile out;
    char path_buf[PATH_SIZE], inside_buf[PATH_SIZE], fifo_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "adir");
    CHECK(mkdir(path, 0700) == 0);
    write_file(in_folder(inside_buf, "adir/inside"), "x");
    CHECK(clt_outfile_open(&out, path) == CLT_ERR_IO && !out.fp);
    CHECK(strstr(clt_last_error(), path) != NULL && strstr(clt_last_error(), "folder"));
    printf("folder in the way: %s\n", clt_last_error());
    CHECK(strcmp(read_file(in_folder(inside_buf, "adir/inside")), "x") == 0);
    unlink(in_folder(inside_buf, "adir/inside"));
    rmdir(path);

    const char *fifo = in_folder(fifo_buf, "fifo");
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK(clt_outfile_open(&out, fifo) == CLT_ERR_IO && !out.fp);
    CHECK(strstr(clt_last_error(), "FIFO") != NULL);
    printf("FIFO in the way: %s\n", clt_last_error());
    unlink(fifo);

    CHECK(clt_outfile_open(&out, "/dev/null") == CLT_ERR_IO && !out.fp);
    printf("device in the way: %s\n", clt_last_error());
    CHECK(count_entries() == 0);
}

/* A symbolic link is followed: the file it names is replaced, the link stays. */
static void test_symlink(void)
{
    clt_outfile out;
    char target_buf[PATH_SIZE], link_buf[PATH_SIZE], dangling_buf[PATH_SIZE];
    const char *target = in_folder(target_buf, "target");
    const char *link = in_folder(link_buf, "link");
    write_file(target, "old");
    CHECK(symlink("target", link) == 0);
    CHECK_OK(clt_outfile_open(&out, link));
    if (out.fp) {
        fputs("new", out.fp);
        CHECK_OK(clt_outfile_commit(&out));
    }
    struct stat sb;
    CHECK(lstat(link, &sb) == 0 && S_ISLNK(sb.st_mode));
    CHECK(strcmp(read_file(target), "new") == 0);

    const char *dangling = in_folder(dangling_buf, "dangling");
    CHECK(symlink("nothing-here", dangling) == 0);
    CHECK(clt_outfile_open(&out, dangling) == CLT_ERR_IO && !out.fp);
    unlink(dangling);
    unlink(link);
    unlink(target);
    CHECK(count_entries() == 0);
}

static void test_folder_not_writable(void)
{
    char sub_buf[PATH_SIZE];
    const char *sub = in_folder(sub_buf, "ro");
    CHECK(mkdir(sub, 0500) == 0);
    if (access(sub, W_OK) == 0) {
        printf("running with permission to write anywhere; read-only folder part skipped\n");
        rmdir(sub);
        return;
    }
    clt_outfile out;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "ro/model.st");
    CHECK(clt_outfile_open(&out, path) == CLT_ERR_IO);
    CHECK(strstr(clt_last_error(), path) != NULL);
    CHECK(strstr(clt_last_error(), strerror(EACCES)) != NULL);
    printf("read-only folder: %s\n", clt_last_error());
    rmdir(sub);
}

/* A write that fails for lack of room (here a file size limit, EFBIG) is
 * reported at commit; the old file stays and the temporary goes. */
static void test_write_fails(void)
{
    struct rlimit old, small;
    if (getrlimit(RLIMIT_FSIZE, &old) != 0)
        return;
    char path_buf[PATH_SIZE];
    const char *path = in_folder(path_buf, "big.bin");
    write_file(path, "old");
    signal(SIGXFSZ, SIG_IGN);
    small = old;
    small.rlim_cur = 4096;
    if (setrlimit(RLIMIT_FSIZE, &small) != 0) {
        printf("cannot lower the file size limit; write failure part skipped\n");
        unlink(path);
        return;
    }
    clt_outfile out;
    CHECK_OK(clt_outfile_open(&out, path));
    if (out.fp) {
        static char block[65536];
        for (int i = 0; i < 4; i++)
            fwrite(block, 1, sizeof block, out.fp);
        CHECK(clt_outfile_commit(&out) == CLT_ERR_IO);
        CHECK(strstr(clt_last_error(), path) != NULL);
        printf("write failure: %s\n", clt_last_error());
    }
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    CHECK(strcmp(read_file(path), "old") == 0);
    CHECK(count_entries() == 1);
    unlink(path);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/clt_outfile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        return test_skip("cannot make a scratch folder");

    test_missing_folder();
    test_commit_new();
    test_commit_replaces();
    test_abort_keeps_old();
    test_not_regular();
    test_symlink();
    test_folder_not_writable();
    test_write_fails();

    CHECK(count_entries() == 0);
    rmdir(folder);
    return test_verdict("test_outfile");
}
