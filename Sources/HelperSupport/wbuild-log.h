/*
 * wbuild-log.h: the stderr log line of wbuild's static helpers, wbuild-init
 * (Sources/Supervisor/wbuild-init.c) and wbuild-door (Sources/Door/wbuild-door.c).
 *
 * Header only, its functions `static`: each helper stays one translation unit that
 * Sources/SupervisorBuilder/plugin.swift links with one `cc` command (`-I` this directory; the
 * header is among each command's inputs, so a change here relinks both). This directory is no
 * SwiftPM target: Package.swift names none here, so SwiftPM never compiles this file itself.
 *
 * Define WBUILD_LOG_PREFIX (a string literal, e.g. "wbuild-init: ") before including.
 */
#ifndef WBUILD_LOG_H
#define WBUILD_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#ifndef WBUILD_LOG_PREFIX
#error "define WBUILD_LOG_PREFIX before including wbuild-log.h"
#endif

/* One line on stderr: the prefix, the printf-formatted text (cut at 2 KiB), a newline. Two
 * write(2) calls and no stdio buffer, so it is safe wherever the helper's loop calls it. */
__attribute__((format(printf, 1, 2)))
static void log_line(const char *format, ...) {
    char text[2048];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(text, sizeof text - 1, format, args);
    va_end(args);
    if (length < 0) return;
    if ((size_t)length > sizeof text - 2) length = (int)sizeof text - 2;
    text[length++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, WBUILD_LOG_PREFIX, sizeof WBUILD_LOG_PREFIX - 1);
    ignored = write(STDERR_FILENO, text, (size_t)length);
    (void)ignored;
}

#endif
