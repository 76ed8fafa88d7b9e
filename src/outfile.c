/* outfile.c - output files that appear whole or not at all.  The bytes go to
 * "<path>.tmp.XXXXXX" in the same folder; commit flushes them to disk and
 * renames the temporary over path, abort (or a crash before commit) leaves
 * whatever was at path untouched.
 *
 * Left out on purpose: keeping the old file's owner, mode or extended
 * attributes (a new file gets 0666 less the umask, like fopen), and cleaning
 * up temporaries left behind by a crash.  Syncing the folder after the rename
 * is best effort: the rename has happened by then, so its failure is not
 * reported.
 */
/* realpath() is an X/Open function */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cltrain.h"

static char *str_concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb + 1);
    }
    return s;
}

static void outfile_clear(clt_outfile *out)
{
    free(out->path);
    free(out->tmp_path);
    out->fp = NULL;
    out->path = NULL;
    out->tmp_path = NULL;
}

/* mkstemp makes the file 0600; give it the mode fopen would have. */
static void set_default_mode(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
}

int clt_outfile_open(clt_outfile *out, const char *path)
{
    out->fp = NULL;
    out->path = NULL;
    out->tmp_path = NULL;
    if (!path || !*path)
        return clt_fail(CLT_ERR_ARG, "output file: empty path");

    /* The file is replaced by a rename, which would put a regular file in
     * place of a device, a FIFO or a folder: refuse those.  A symbolic link
     * is followed, so the file it names is replaced and the link stays. */
    struct stat sb;
    char *resolved = NULL;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
        resolved = realpath(path, NULL);
        if (resolved && stat(resolved, &sb) != 0)
            sb.st_mode = S_IFREG;
        else if (!resolved && errno == ENOENT) {
            free(resolved);
            return clt_fail(CLT_ERR_IO, "%s: a symbolic link to a file that does not exist; "
                            "refusing to write through it", path);
        }
    } else if (stat(path, &sb) != 0) {
        sb.st_mode = S_IFREG; /* a new file */
    }
    if (!S_ISREG(sb.st_mode)) {
        free(resolved);
        return clt_fail(CLT_ERR_IO, "%s: exists and is not a regular file (a %s); refusing to "
                        "replace it", path, S_ISDIR(sb.st_mode) ? "folder"
                        : S_ISFIFO(sb.st_mode) ? "FIFO" : "device or special file");
    }
    const char *target = resolved ? resolved : path;

    out->path = str_concat(target, "");
    out->tmp_path = str_concat(target, ".tmp.XXXXXX");
    free(resolved);
    if (!out->path || !out->tmp_path) {
        outfile_clear(out);
        return clt_fail(CLT_ERR_NOMEM, "%s: out of memory", path);
    }
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        int err = errno;
        outfile_clear(out);
        return clt_fail(CLT_ERR_IO, "%s: cannot create a file beside it: %s", path,
                        strerror(err));
    }
    set_default_mode(fd);
    out->fp = fdopen(fd, "wb");
    if (!out->fp) {
        int err = errno;
        close(fd);
        unlink(out->tmp_path);
        outfile_clear(out);
        return clt_fail(CLT_ERR_IO, "%s: %s", path, strerror(err));
    }
    return CLT_OK;
}

/* The folder part of path ("." when there is none), for syncing it. */
static void sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = str_concat(".", "");
    else if (slash == path)
        dir = str_concat("/", "");
    else {
        dir = str_concat(path, "");
        if (dir)
            dir[slash - path] = '\0';
    }
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Flushes the stream and the file's data to disk, then closes it; on any
 * failure the stream is closed anyway and the errno is returned.  A write
 * that already failed inside fwrite left no errno behind, so one byte more is
 * written straight to the doomed file to learn why (EIO if it goes through). */
static int flush_and_close(FILE *fp)
{
    int err = 0;
    if (ferror(fp)) {
        clearerr(fp);
        if (fflush(fp) != 0)
            err = errno;
        else
            err = write(fileno(fp), "", 1) < 0 ? errno : EIO;
    }
    if (!err && fflush(fp) != 0)
        err = errno;
    if (!err && fsync(fileno(fp)) != 0)
        err = errno;
    if (fclose(fp) != 0 && !err)
        err = errno;
    return err;
}

int clt_outfile_commit(clt_outfile *out)
{
    if (!out->fp)
        return clt_fail(CLT_ERR_ARG, "output file: commit without an open file");
    int err = flush_and_close(out->fp);
    out->fp = NULL;
    if (err) {
        unlink(out->tmp_path);
        int st = clt_fail(CLT_ERR_IO, "%s: write failed: %s", out->path, strerror(err));
        outfile_clear(out);
        return st;
    }
    if (rename(out->tmp_path, out->path) != 0) {
        err = errno;
        unlink(out->tmp_path);
        int st = clt_fail(CLT_ERR_IO, "%s: cannot replace: %s", out->path, strerror(err));
        outfile_clear(out);
        return st;
    }
    sync_folder(out->path);
    outfile_clear(out);
    return CLT_OK;
}

void clt_outfile_abort(clt_outfile *out)
{
    if (out->fp)
        fclose(out->fp);
    if (out->tmp_path)
        unlink(out->tmp_path);
    outfile_clear(out);
}
