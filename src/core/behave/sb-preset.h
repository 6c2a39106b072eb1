/* sb-preset.h — saved sets of sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-session-setup.h"

G_BEGIN_DECLS

/*
 * A preset is a readable key file:
 *
 *   [Sockbench]
 *   Version=1
 *
 *   [Page 1]
 *   URI=tcp-listen://127.0.0.1:8080
 *   …the keys of one SbSessionSetup (see sb-session-setup.h)…
 *
 * Every group other than [Sockbench] is one page, in file order. Presets are
 * stored as DIR/NAME.sbpreset; the application passes
 * sb_preset_get_default_dir(), tests a temporary directory.
 */

#define SB_PRESET_ERROR (sb_preset_error_quark ())

typedef enum
{
  SB_PRESET_ERROR_INVALID_NAME,   /* the name cannot be a file name */
  SB_PRESET_ERROR_INVALID_FILE,   /* not a Sockbench preset; the message says why */
  SB_PRESET_ERROR_NOT_FOUND,      /* no preset of that name */
} SbPresetError;

#define SB_PRESET_GROUP   "Sockbench"
#define SB_PRESET_VERSION 1
#define SB_PRESET_SUFFIX  ".sbpreset"

GQuark     sb_preset_error_quark      (void);

/* Returns g_get_user_data_dir()/sockbench/presets. Newly allocated. */
char      *sb_preset_get_default_dir  (void);

/* Checks that @name can be a preset name: not empty, no '/', no leading '.',
 * no control characters, valid UTF-8, at most 200 bytes. */
gboolean   sb_preset_check_name       (const char   *name,
                                       GError      **error);
/* Returns DIR/NAME.sbpreset, or NULL with @error if the name is not valid. */
GFile     *sb_preset_get_file         (const char   *dir,
                                       const char   *name,
                                       GError      **error);
/* Returns the preset name of a file name ("a.sbpreset" → "a"), or NULL. */
char      *sb_preset_name_from_path   (const char   *path);

/* Returns an empty preset: only [Sockbench] Version=1. */
GKeyFile  *sb_preset_new              (void);
/* Returns the page groups of @keyfile in order (NULL-terminated). */
char     **sb_preset_get_pages        (GKeyFile     *keyfile,
                                       gsize        *n_pages);
/* Checks the [Sockbench] group, the version and that there is a page. */
gboolean   sb_preset_validate         (GKeyFile     *keyfile,
                                       GError      **error);
/* Parses and validates the text of a preset file. */
GKeyFile  *sb_preset_parse            (const char   *data,
                                       gsize         length,
                                       GError      **error);

/* Returns a preset with one [Page N] group per SbSessionSetup of @setups. */
GKeyFile  *sb_preset_new_from_setups  (GPtrArray    *setups);
/* Validates @keyfile and returns its pages as SbSessionSetups, in order, or
 * NULL with @error (which names the page that cannot be read). */
GPtrArray *sb_preset_get_setups       (GKeyFile     *keyfile,
                                       GError      **error);

/* Synchronous: for tests and the command line, not for the main loop. */
char     **sb_preset_list             (const char   *dir,
                                       GError      **error);
GKeyFile  *sb_preset_load             (const char   *dir,
                                       const char   *name,
                                       GError      **error);
/* Validates, then writes atomically. */
gboolean   sb_preset_save             (const char   *dir,
                                       const char   *name,
                                       GKeyFile     *keyfile,
                                       GError      **error);
gboolean   sb_preset_delete           (const char   *dir,
                                       const char   *name,
                                       GError      **error);
/* Validates the file at @path and copies it into @dir under its own name
 * (without the suffix). Returns the preset name, newly allocated. */
char      *sb_preset_import           (const char   *dir,
                                       const char   *path,
                                       GError      **error);
/* Validates, then writes @keyfile atomically to @path. */
gboolean   sb_preset_export           (GKeyFile     *keyfile,
                                       const char   *path,
                                       GError      **error);

/* Asynchronous, for the window. */
void       sb_preset_list_async       (const char          *dir,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char     **sb_preset_list_finish      (GAsyncResult        *result,
                                       GError             **error);
/* Reads and validates any preset file. */
void       sb_preset_load_file_async  (GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GKeyFile  *sb_preset_load_file_finish (GAsyncResult        *result,
                                       GError             **error);
/* Validates, creates the parent directory and replaces @file atomically. */
void       sb_preset_save_file_async  (GFile               *file,
                                       GKeyFile            *keyfile,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean   sb_preset_save_file_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
