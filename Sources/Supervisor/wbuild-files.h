/*
 * wbuild-files.h: the supervisor's file operations (Sources/Supervisor/wbuild-init.c), each on one
 * absolute path already checked by wbc_check_path (Sources/HelperSupport/wbuild-control.h).
 *
 * None follows a symbolic link or trusts a path string twice: every directory on the way is opened
 * from / with openat(O_DIRECTORY | O_NOFOLLOW), so a component that is a link (or was swapped for
 * one meanwhile) stops the operation instead of leading elsewhere; the last component is examined
 * with fstatat(AT_SYMLINK_NOFOLLOW) and changed with *at() calls on that directory's descriptor.
 *   wbf_write_begin/wbf_write_finish  a regular file, written beside (`.wbuild-tmp-<pid>-<n>`),
 *                                     its mode set, then renamed over whatever was there (a
 *                                     directory tree there is removed first, as by wbf_remove)
 *   wbf_link                          a symbolic link, made beside and renamed over likewise; its
 *                                     target is stored as given, never resolved
 *   wbf_make_directory                the directory and its missing parents; the mode of the last
 *                                     set (also when it exists); a non-directory there is
 *                                     unlinked first; never removes a directory
 *   wbf_remove                        the file, link or directory tree; a directory that is a
 *                                     mount point (another st_dev than its parent's, another mount
 *                                     id, or statx's STATX_ATTR_MOUNT_ROOT: bind mounts of the same
 *                                     device too) is neither entered nor removed, and the rest is
 *                                     removed; the failure says `<path> is a mount point; left in
 *                                     place`
 * Missing parents are created 0755 (less the umask). A failure is written to `error` unless it
 * already holds one (the first failure of a batch is the one reported).
 *
 * Header only, its functions `static`: compiled into wbuild-init and, alone, into the tests'
 * helpers by scripts/fuzz-helpers.sh.
 */
#ifndef WBUILD_FILES_H
#define WBUILD_FILES_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define WBF_MAX_DEPTH 256
#define WBF_PATH_BYTES 4096

/* Records the first failure of a batch. */
__attribute__((format(printf, 3, 4)))
static void wbf_fail(char *error, size_t error_size, const char *format, ...) {
    if (error[0] != '\0') return;
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_size, format, args);
    va_end(args);
}

/* Opens the directory holding the last component of `path` (absolute, checked), walking from /
 * without following links; with `create`, missing directories are made. Returns the descriptor
 * and sets *leaf to the last component, or returns -1 with errno set and *failed_at to the
 * number of bytes of `path` naming the component that failed. */
static int wbf_open_parent(const char *path, int create, const char **leaf, size_t *failed_at) {
    int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *failed_at = 1;
        return -1;
    }
    const char *start = path + 1;
    for (;;) {
        const char *slash = strchr(start, '/');
        if (slash == NULL) {
            *leaf = start;
            return fd;
        }
        char name[256];
        size_t length = (size_t)(slash - start);
        if (length >= sizeof name) {
            close(fd);
            errno = ENAMETOOLONG;
            *failed_at = (size_t)(slash - path);
            return -1;
        }
        memcpy(name, start, length);
        name[length] = '\0';
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create) {
            if (mkdirat(fd, name, 0755) != 0 && errno != EEXIST) next = -1;
            else next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (next < 0) {
            int saved = errno;
            close(fd);
            errno = saved == ELOOP ? ENOTDIR : saved;
            *failed_at = (size_t)(slash - path);
            return -1;
        }
        close(fd);
        fd = next;
        start = slash + 1;
    }
}

/* What wbf_open_parent's failure means, for a message. */
static void wbf_parent_failed(char *error, size_t error_size, const char *what, const char *path, size_t failed_at) {
    int saved = errno;
    if (saved == ENOTDIR)
        wbf_fail(error, error_size, "%s %s: %.*s is not a directory (a symbolic link is not followed)", what, path,
                 (int)failed_at, path);
    else
        wbf_fail(error, error_size, "%s %s: %.*s: %s", what, path, (int)failed_at, path, strerror(saved));
}

/* Whether `name` in the directory `parent` (whose stat is `parent_info`), a directory with stat
 * `info`, is the root of another mount. */
static int wbf_is_mount_point(int parent, const struct stat *parent_info, const char *name, const struct stat *info) {
    if (info->st_dev != parent_info->st_dev) return 1;
#ifdef STATX_MNT_ID
    struct statx child, self;
    if (statx(parent, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_MNT_ID, &child) == 0) {
#ifdef STATX_ATTR_MOUNT_ROOT
        if ((child.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (child.stx_attributes & STATX_ATTR_MOUNT_ROOT)) return 1;
#endif
        if ((child.stx_mask & STATX_MNT_ID) && statx(parent, "", AT_EMPTY_PATH, STATX_MNT_ID, &self) == 0
            && (self.stx_mask & STATX_MNT_ID) && self.stx_mnt_id != child.stx_mnt_id)
            return 1;
    }
#endif
    return 0;
}

/* Removes the directory `name` in `parent` and everything in it, `path` naming it for messages
 * (a buffer of WBF_PATH_BYTES that is extended and restored while descending). Returns 0 when it
 * is gone, -1 when something was left (recorded). */
static int wbf_remove_directory(int parent, const struct stat *parent_info, const char *name, const struct stat *info,
                                char *path, int depth, char *error, size_t error_size) {
    if (wbf_is_mount_point(parent, parent_info, name, info)) {
        wbf_fail(error, error_size, "%s is a mount point; left in place", path);
        return -1;
    }
    if (depth >= WBF_MAX_DEPTH) {
        wbf_fail(error, error_size, "remove %s: deeper than %d directories; left in place", path, WBF_MAX_DEPTH);
        return -1;
    }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat self;
    if (fd < 0 || fstat(fd, &self) != 0 || self.st_dev != info->st_dev || self.st_ino != info->st_ino) {
        if (fd < 0 && errno == ENOENT) return 0;
        wbf_fail(error, error_size, "remove %s: %s", path, fd < 0 ? strerror(errno) : "it changed while being removed");
        if (fd >= 0) close(fd);
        return -1;
    }
    DIR *directory = fdopendir(fd);
    if (directory == NULL) {
        wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    size_t path_length = strlen(path);
    int left = 0;
    /* Entries are removed while the directory is read; a second pass catches any the first missed. */
    for (int pass = 0; pass < 2; pass++) {
        int removed = 0;
        struct dirent *entry;
        errno = 0;
        while ((entry = readdir(directory)) != NULL) {
            const char *child = entry->d_name;
            if (strcmp(child, ".") == 0 || strcmp(child, "..") == 0) continue;
            size_t child_length = strlen(child);
            if (path_length + 1 + child_length >= WBF_PATH_BYTES) {
                wbf_fail(error, error_size, "remove %s/%s: path too long; left in place", path, child);
                left = 1;
                continue;
            }
            path[path_length] = '/';
            memcpy(path + path_length + 1, child, child_length + 1);
            struct stat child_info;
            if (fstatat(fd, child, &child_info, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno != ENOENT) {
                    wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
                    left = 1;
                }
            } else if (S_ISDIR(child_info.st_mode)) {
                if (wbf_remove_directory(fd, &self, child, &child_info, path, depth + 1, error, error_size) != 0) left = 1;
                else removed = 1;
            } else if (unlinkat(fd, child, 0) != 0 && errno != ENOENT) {
                wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
                left = 1;
            } else {
                removed = 1;
            }
            path[path_length] = '\0';
        }
        if (left || !removed) break;
        rewinddir(directory);
    }
    closedir(directory);
    if (left) return -1;
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
        wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Removes `name` in `parent` (a file, link or directory tree; nothing there is fine), `path`
 * naming it. Returns 0 when nothing is left there. */
static int wbf_remove_at(int parent, const char *name, const char *path, char *error, size_t error_size) {
    struct stat info;
    if (fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return 0;
        wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(info.st_mode)) {
        if (unlinkat(parent, name, 0) != 0 && errno != ENOENT) {
            wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    struct stat parent_info;
    if (fstat(parent, &parent_info) != 0) {
        wbf_fail(error, error_size, "remove %s: %s", path, strerror(errno));
        return -1;
    }
    char buffer[WBF_PATH_BYTES];
    snprintf(buffer, sizeof buffer, "%s", path);
    return wbf_remove_directory(parent, &parent_info, name, &info, buffer, 0, error, error_size);
}

/* DEL: removes the file, link or directory tree at `path`; a missing path (or parent) is fine. */
static int wbf_remove(const char *path, char *error, size_t error_size) {
    const char *leaf;
    size_t failed_at;
    int parent = wbf_open_parent(path, 0, &leaf, &failed_at);
    if (parent < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return 0; /* nothing of that name is there */
        wbf_parent_failed(error, error_size, "remove", path, failed_at);
        return -1;
    }
    int result = wbf_remove_at(parent, leaf, path, error, error_size);
    close(parent);
    return result;
}

/* Renames `temporary` over `leaf` in `parent`, first removing a directory tree there (renameat
 * cannot replace a directory with a file). Removes `temporary` when it fails. */
static int wbf_replace(int parent, const char *temporary, const char *leaf, const char *path, char *error, size_t error_size) {
    struct stat info;
    if (fstatat(parent, leaf, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(info.st_mode)) {
        if (wbf_remove_at(parent, leaf, path, error, error_size) != 0) {
            unlinkat(parent, temporary, 0);
            return -1;
        }
    }
    if (renameat(parent, temporary, parent, leaf) != 0) {
        wbf_fail(error, error_size, "rename over %s: %s", path, strerror(errno));
        unlinkat(parent, temporary, 0);
        return -1;
    }
    return 0;
}

/* A file being written: its directory, the temporary name beside it, the descriptor. */
struct wbf_write {
    int parent;
    int fd;
    const char *leaf;
    char temporary[64];
};

static unsigned long wbf_counter = 0;

static void wbf_temporary_name(char *name, size_t size) {
    snprintf(name, size, ".wbuild-tmp-%d-%lu", (int)getpid(), ++wbf_counter);
}

/* PUT, before its body: opens the temporary file beside `path`. On failure (recorded) file->fd
 * is -1 and the body is to be skipped. */
static void wbf_write_begin(struct wbf_write *file, const char *path, char *error, size_t error_size) {
    size_t failed_at;
    file->fd = -1;
    file->parent = wbf_open_parent(path, 1, &file->leaf, &failed_at);
    if (file->parent < 0) {
        wbf_parent_failed(error, error_size, "write", path, failed_at);
        return;
    }
    wbf_temporary_name(file->temporary, sizeof file->temporary);
    file->fd = openat(file->parent, file->temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (file->fd < 0) {
        wbf_fail(error, error_size, "write %s: %s", path, strerror(errno));
        close(file->parent);
        file->parent = -1;
    }
}

/* PUT, bytes of its body. */
static void wbf_write_bytes(struct wbf_write *file, const char *bytes, size_t length, const char *path, char *error,
                            size_t error_size) {
    while (file->fd >= 0 && length > 0) {
        ssize_t written = write(file->fd, bytes, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) {
            wbf_fail(error, error_size, "write %s: %s", path, written == 0 ? "no space written" : strerror(errno));
            close(file->fd);
            file->fd = -1;
            unlinkat(file->parent, file->temporary, 0);
            return;
        }
        bytes += written;
        length -= (size_t)written;
    }
}

/* PUT, after its body: sets the mode and renames the file over `path`. */
static void wbf_write_finish(struct wbf_write *file, unsigned mode, const char *path, char *error, size_t error_size) {
    if (file->fd >= 0) {
        int failed = 0;
        if (fchmod(file->fd, (mode_t)mode) != 0) {
            wbf_fail(error, error_size, "chmod %s: %s", path, strerror(errno));
            failed = 1;
        }
        if (close(file->fd) != 0 && !failed) {
            wbf_fail(error, error_size, "write %s: %s", path, strerror(errno));
            failed = 1;
        }
        file->fd = -1;
        if (failed) unlinkat(file->parent, file->temporary, 0);
        else wbf_replace(file->parent, file->temporary, file->leaf, path, error, error_size);
    }
    if (file->parent >= 0) close(file->parent);
    file->parent = -1;
}

/* PUT abandoned (the connection went away): removes the temporary file. */
static void wbf_write_abandon(struct wbf_write *file) {
    if (file->fd >= 0) {
        close(file->fd);
        unlinkat(file->parent, file->temporary, 0);
    }
    if (file->parent >= 0) close(file->parent);
    file->fd = -1;
    file->parent = -1;
}

/* LINK: a symbolic link at `path` to `target` (`length` bytes), replacing what was there. */
static void wbf_link(const char *path, const char *target, size_t length, char *error, size_t error_size) {
    char text[WBF_PATH_BYTES];
    if (length == 0 || length >= sizeof text || memchr(target, '\0', length) != NULL) {
        wbf_fail(error, error_size, "link %s: the target is empty, too long or holds a NUL", path);
        return;
    }
    memcpy(text, target, length);
    text[length] = '\0';
    const char *leaf;
    size_t failed_at;
    int parent = wbf_open_parent(path, 1, &leaf, &failed_at);
    if (parent < 0) {
        wbf_parent_failed(error, error_size, "link", path, failed_at);
        return;
    }
    char temporary[64];
    wbf_temporary_name(temporary, sizeof temporary);
    if (symlinkat(text, parent, temporary) != 0) wbf_fail(error, error_size, "link %s: %s", path, strerror(errno));
    else wbf_replace(parent, temporary, leaf, path, error, error_size);
    close(parent);
}

/* MKDIR: the directory `path` with its missing parents, mode `mode` on the last. */
static void wbf_make_directory(const char *path, unsigned mode, char *error, size_t error_size) {
    const char *leaf;
    size_t failed_at;
    int parent = wbf_open_parent(path, 1, &leaf, &failed_at);
    if (parent < 0) {
        wbf_parent_failed(error, error_size, "mkdir", path, failed_at);
        return;
    }
    struct stat info;
    int present = fstatat(parent, leaf, &info, AT_SYMLINK_NOFOLLOW) == 0;
    if (present && !S_ISDIR(info.st_mode)) {
        if (unlinkat(parent, leaf, 0) != 0 && errno != ENOENT) {
            wbf_fail(error, error_size, "mkdir %s: cannot remove the file there: %s", path, strerror(errno));
            close(parent);
            return;
        }
        present = 0;
    }
    if (!present && mkdirat(parent, leaf, 0700) != 0 && errno != EEXIST) {
        wbf_fail(error, error_size, "mkdir %s: %s", path, strerror(errno));
        close(parent);
        return;
    }
    int fd = openat(parent, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, (mode_t)mode) != 0) wbf_fail(error, error_size, "chmod %s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    close(parent);
}

#endif
