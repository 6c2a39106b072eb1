/* sb-unix-file.c — a socket file that a session bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-unix-file"

#include "config.h"

#include <glib/gstdio.h>

#include "sb-unix-file.h"

void
_sb_unix_file_claim (SbUnixFile *file,
                     const char *path)
{
  GStatBuf st;

  _sb_unix_file_release (file);

  /* Abstract names have no file. */
  if (path == NULL || path[0] == '@' || g_lstat (path, &st) != 0)
    return;

  file->path = g_strdup (path);
  file->dev = st.st_dev;
  file->ino = st.st_ino;
}

void
_sb_unix_file_release (SbUnixFile *file)
{
  GStatBuf st;

  if (file->path == NULL)
    return;

  /* Someone may have removed ours and bound theirs at the same path. */
  if (g_lstat (file->path, &st) == 0 &&
      (guint64) st.st_dev == file->dev && (guint64) st.st_ino == file->ino)
    g_unlink (file->path);

  g_clear_pointer (&file->path, g_free);
}
