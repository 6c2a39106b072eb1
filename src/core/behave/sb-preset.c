/* sb-preset.c — saved sets of sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-preset"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sb-export.h"
#include "sb-preset.h"

#define MAX_NAME_BYTES 200
/* A preset is a handful of lines per page; anything this big is not one. */
#define MAX_FILE_BYTES (4 * 1024 * 1024)

G_DEFINE_QUARK (sb-preset-error-quark, sb_preset_error)

char *
sb_preset_get_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "sockbench", "presets", NULL);
}

gboolean
sb_preset_check_name (const char  *name,
                      GError     **error)
{
  g_autofree char *stripped = name != NULL ? g_strstrip (g_strdup (name)) : NULL;

  if (stripped == NULL || stripped[0] == '\0')
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                           _("A preset needs a name."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                           _("The preset name is not valid text."));
      return FALSE;
    }

  if (strlen (name) > MAX_NAME_BYTES)
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                           _("The preset name is too long."));
      return FALSE;
    }

  if (name[0] == '.')
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                           _("A preset name cannot start with “.”."));
      return FALSE;
    }

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\')
        {
          g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                               _("A preset name cannot contain “/” or “\\”."));
          return FALSE;
        }

      if (g_unichar_iscntrl (c))
        {
          g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                               _("A preset name cannot contain control characters."));
          return FALSE;
        }
    }

  return TRUE;
}

GFile *
sb_preset_get_file (const char  *dir,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!sb_preset_check_name (name, error))
    return NULL;

  basename = g_strconcat (name, SB_PRESET_SUFFIX, NULL);
  path = g_build_filename (dir, basename, NULL);

  return g_file_new_for_path (path);
}

char *
sb_preset_name_from_path (const char *path)
{
  g_autofree char *basename = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  display = g_filename_display_name (basename);

  if (g_str_has_suffix (display, SB_PRESET_SUFFIX))
    display[strlen (display) - strlen (SB_PRESET_SUFFIX)] = '\0';

  if (!sb_preset_check_name (display, NULL))
    return NULL;

  return g_steal_pointer (&display);
}

GKeyFile *
sb_preset_new (void)
{
  GKeyFile *keyfile = g_key_file_new ();

  g_key_file_set_integer (keyfile, SB_PRESET_GROUP, "Version", SB_PRESET_VERSION);

  return keyfile;
}

char **
sb_preset_get_pages (GKeyFile *keyfile,
                     gsize    *n_pages)
{
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  g_return_val_if_fail (keyfile != NULL, NULL);

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      if (!g_str_equal (groups[i], SB_PRESET_GROUP))
        g_ptr_array_add (pages, g_strdup (groups[i]));
    }

  if (n_pages)
    *n_pages = pages->len;
  g_ptr_array_add (pages, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&pages), FALSE);
}

GKeyFile *
sb_preset_new_from_setups (GPtrArray *setups)
{
  GKeyFile *keyfile = sb_preset_new ();

  g_return_val_if_fail (setups != NULL, keyfile);

  for (guint i = 0; i < setups->len; i++)
    {
      g_autofree char *group = g_strdup_printf ("Page %u", i + 1);

      sb_session_setup_save (g_ptr_array_index (setups, i), keyfile, group);
    }

  return keyfile;
}

GPtrArray *
sb_preset_get_setups (GKeyFile  *keyfile,
                      GError   **error)
{
  g_autoptr(GPtrArray) setups = NULL;
  g_auto(GStrv) pages = NULL;

  g_return_val_if_fail (keyfile != NULL, NULL);

  if (!sb_preset_validate (keyfile, error))
    return NULL;

  setups = g_ptr_array_new_with_free_func (g_object_unref);
  pages = sb_preset_get_pages (keyfile, NULL);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      SbSessionSetup *setup = sb_session_setup_new_from_keyfile (keyfile, pages[i], error);

      if (setup == NULL)
        return NULL;
      g_ptr_array_add (setups, setup);
    }

  return g_steal_pointer (&setups);
}

gboolean
sb_preset_validate (GKeyFile  *keyfile,
                    GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) pages = NULL;
  gsize n_pages = 0;
  int version;

  g_return_val_if_fail (keyfile != NULL, FALSE);

  if (!g_key_file_has_group (keyfile, SB_PRESET_GROUP))
    {
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                   _("This is not a Sockbench preset: the [%s] group is missing."),
                   SB_PRESET_GROUP);
      return FALSE;
    }

  version = g_key_file_get_integer (keyfile, SB_PRESET_GROUP, "Version", &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                   _("This is not a Sockbench preset: it has no valid Version in [%s]."),
                   SB_PRESET_GROUP);
      return FALSE;
    }

  if (version != SB_PRESET_VERSION)
    {
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                   _("This preset has version %d; this Sockbench reads version %d."),
                   version, SB_PRESET_VERSION);
      return FALSE;
    }

  pages = sb_preset_get_pages (keyfile, &n_pages);
  if (n_pages == 0)
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                           _("This preset has no sessions in it."));
      return FALSE;
    }

  return TRUE;
}

GKeyFile *
sb_preset_parse (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > MAX_FILE_BYTES)
    {
      g_set_error_literal (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                           _("This is not a Sockbench preset: the file is too big."));
      return NULL;
    }

  if (!g_key_file_load_from_data (keyfile, data ? data : "", length,
                                  G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                   _("This is not a Sockbench preset: %s"), local_error->message);
      return NULL;
    }

  if (!sb_preset_validate (keyfile, error))
    return NULL;

  return g_steal_pointer (&keyfile);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static char **
list_dir (const char    *dir,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  d = g_dir_open (dir, 0, &local_error);
  if (d == NULL)
    {
      /* No directory yet just means no presets yet. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_new0 (char *, 1);

      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((entry = g_dir_read_name (d)) != NULL)
    {
      char *name;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (entry[0] == '.' || !g_str_has_suffix (entry, SB_PRESET_SUFFIX))
        continue;

      if ((name = sb_preset_name_from_path (entry)) != NULL)
        g_ptr_array_add (names, name);
    }

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

char **
sb_preset_list (const char  *dir,
                GError     **error)
{
  g_return_val_if_fail (dir != NULL, NULL);

  return list_dir (dir, NULL, error);
}

static GKeyFile *
load_path (const char  *path,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND,
                     _("There is no preset file “%s”."), path);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return sb_preset_parse (data, length, error);
}

GKeyFile *
sb_preset_load (const char  *dir,
                const char  *name,
                GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  GKeyFile *keyfile;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!(file = sb_preset_get_file (dir, name, error)))
    return NULL;

  path = g_file_get_path (file);
  keyfile = load_path (path, &local_error);
  if (g_error_matches (local_error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND))
    {
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND,
                   _("There is no preset named “%s”."), name);
      return NULL;
    }
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return keyfile;
}

static gboolean
write_path (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"),
                   parent, g_strerror (saved_errno));
      return FALSE;
    }

  /* Only for its owner: a TLS server's self-signed certificate is kept in
   * its setup, private key and all. */
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
sb_preset_export (GKeyFile    *keyfile,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (keyfile != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sb_preset_validate (keyfile, error))
    return FALSE;

  data = g_key_file_to_data (keyfile, &length, NULL);

  return write_path (path, data, length, error);
}

gboolean
sb_preset_save (const char  *dir,
                const char  *name,
                GKeyFile    *keyfile,
                GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (keyfile != NULL, FALSE);

  if (!(file = sb_preset_get_file (dir, name, error)))
    return FALSE;

  path = g_file_get_path (file);

  return sb_preset_export (keyfile, path, error);
}

gboolean
sb_preset_delete (const char  *dir,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);

  if (!(file = sb_preset_get_file (dir, name, error)))
    return FALSE;

  if (!g_file_delete (file, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND,
                     _("There is no preset named “%s”."), name);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

char *
sb_preset_import (const char  *dir,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!(keyfile = load_path (path, error)))
    return NULL;

  if (!(name = sb_preset_name_from_path (path)))
    {
      g_autofree char *basename = g_path_get_basename (path);

      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME,
                   _("“%s” cannot be used as a preset name."), basename);
      return NULL;
    }

  if (!sb_preset_save (dir, name, keyfile, error))
    return NULL;

  return g_steal_pointer (&name);
}

/* Asynchronous variants */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  char **names = list_dir (task_data, cancellable, &error);

  if (names == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, names, (GDestroyNotify) g_strfreev);
}

void
sb_preset_list_async (const char          *dir,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_preset_list_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, list_thread);
}

char **
sb_preset_list_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_contents_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  GKeyFile *keyfile;

  if (!g_file_load_contents_finish (G_FILE (object), result, &data, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!(keyfile = sb_preset_parse (data, length, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, keyfile, (GDestroyNotify) g_key_file_unref);
}

void
sb_preset_load_file_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_preset_load_file_async);
  g_file_load_contents_async (file, cancellable, load_contents_cb, task);
}

GKeyFile *
sb_preset_load_file_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = g_task_get_task_data (task);
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;

  if (parent != NULL &&
      !g_file_make_directory_with_parents (parent, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  /* A temporary file renamed over the destination, a new file too: a full
   * disk leaves nothing behind. A symlink planted there is replaced, not
   * written through. */
  if (!sb_export_replace_contents (file,
                                   g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes),
                                   &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
sb_preset_save_file_async (GFile               *file,
                           GKeyFile            *keyfile,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  char *data;
  gsize length = 0;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (keyfile != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_preset_save_file_async);

  if (!sb_preset_validate (keyfile, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The key file is not thread-safe: serialize it here. */
  data = g_key_file_to_data (keyfile, &length, NULL);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "bytes",
                          g_bytes_new_take (data, length),
                          (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sb_preset_save_file_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
