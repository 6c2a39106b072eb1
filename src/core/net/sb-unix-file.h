/* sb-unix-file.h — a socket file that a session bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removed again when the session stops, but only while it is still the
 * one it made. */
typedef struct
{
  char    *path;
  guint64  dev;
  guint64  ino;
} SbUnixFile;

void _sb_unix_file_claim   (SbUnixFile *file,
                            const char *path);
void _sb_unix_file_release (SbUnixFile *file);

G_END_DECLS
