/* test-full-disk.c — files written on a full disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A full disk is simulated with RLIMIT_FSIZE in a child process (SIGXFSZ
 * ignored, so write() fails with EFBIG, as it fails with ENOSPC on a full
 * disk): an export or a preset to a new file leaves nothing behind, one
 * replacing a file leaves the old one whole, and receive-to-file names its
 * file in the error.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sb-capture.h"
#include "sb-export.h"
#include "sb-preset.h"
#include "sb-test-util.h"

#define LIMIT 4096

/* A folder the test and its child (each with a temporary folder of its
 * own) both know: named after the parent's process id. */
static char *
shared_dir (const char *what)
{
  int parent = g_test_subprocess () ? getppid () : getpid ();

  return g_strdup_printf ("%s/sockbench-full-disk-%d-%s", g_get_tmp_dir (), parent, what);
}

static void
limit_file_size (void)
{
  struct rlimit limit = { LIMIT, LIMIT };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

/* An error of the write itself (EFBIG here, ENOSPC on a real full disk),
 * not the "ok" marker of the callbacks below (a G_FILE_ERROR). */
static void
assert_file_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
}

/* The names in @dir, sorted, joined with spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **out = user_data;

  if (!sb_export_write_finish (result, out))
    return;
  *out = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_EXIST, "ok");
}

static GError *
export (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_export_record_free);
  GError *result = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *msg = g_strdup_printf ("message %u", i);
      g_autoptr(GBytes) bytes = g_bytes_new (msg, strlen (msg));

      g_ptr_array_add (records, sb_export_record_new (i, SB_DIRECTION_RX, SB_EVENT_NONE, "p", bytes));
    }

  sb_export_write_async (file, SB_EXPORT_CSV, "UTF-8", records, NULL, write_done, &result);
  WAIT_UNTIL (result != NULL);
  return result;
}

static void
test_export (void)
{
  g_autofree char *dir = shared_dir ("export");
  g_autofree char *new_path = g_build_filename (dir, "new.csv", NULL);
  g_autofree char *old_path = g_build_filename (dir, "old.csv", NULL);

  if (!g_test_subprocess ())
    {
      g_autofree char *old = NULL;
      g_autofree char *names = NULL;

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (old_path, "the old export\n", -1, NULL));

      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();

      /* Nothing new, nothing half, the old file whole. */
      names = list_dir (dir);
      g_assert_cmpstr (names, ==, "old.csv");
      g_assert_true (g_file_get_contents (old_path, &old, NULL, NULL));
      g_assert_cmpstr (old, ==, "the old export\n");
      g_unlink (old_path);
      g_rmdir (dir);
      return;
    }

  limit_file_size ();
  {
    g_autoptr(GError) fresh = export (new_path);
    g_autoptr(GError) replace = export (old_path);

    assert_file_error (fresh);
    g_assert_nonnull (strstr (fresh->message, new_path));
    assert_file_error (replace);
    g_assert_nonnull (strstr (replace->message, old_path));
    g_test_message ("%s", fresh->message);
  }
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **out = user_data;

  if (!sb_preset_save_file_finish (result, out))
    return;
  *out = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_EXIST, "ok");
}

static void
test_preset (void)
{
  g_autofree char *dir = shared_dir ("preset");
  g_autofree char *path = g_build_filename (dir, "big.sockbench", NULL);

  if (!g_test_subprocess ())
    {
      g_autofree char *names = NULL;

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      names = list_dir (dir);
      g_assert_cmpstr (names, ==, "");
      g_rmdir (dir);
      return;
    }

  limit_file_size ();
  {
    g_autoptr(GKeyFile) keyfile = sb_preset_new ();
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *big = g_strnfill (2 * LIMIT, 'x');
    g_autoptr(GError) result = NULL;

    g_key_file_set_string (keyfile, "Page 1", "URI", "tcp://127.0.0.1:9");
    g_key_file_set_string (keyfile, "Page 1", "Send", big);
    sb_preset_save_file_async (file, keyfile, NULL, save_done, &result);
    WAIT_UNTIL (result != NULL);
    assert_file_error (result);
    g_assert_nonnull (strstr (result->message, path));
  }
}

static void
test_capture (void)
{
  g_autofree char *dir = shared_dir ("capture");
  g_autofree char *path = g_build_filename (dir, "received.bin", NULL);

  if (!g_test_subprocess ())
    {
      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      g_unlink (path);
      g_rmdir (dir);
      return;
    }

  limit_file_size ();
  {
    SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
    SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
    g_autoptr(SbCapture) capture = sb_capture_new ();
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *big = g_strnfill (2 * LIMIT, 'y');
    const GError *error;

    WAIT_UNTIL (n_peers (server) == 1 && is_ready (client));
    sb_capture_set_session (capture, server);
    sb_capture_start (capture, file, SB_CAPTURE_NEW);
    send_text (client, NULL, big);

    WAIT_UNTIL (sb_capture_get_error (capture) != NULL);
    error = sb_capture_get_error (capture);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, path));
    g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
    g_assert_null (strstr (error->message, "file descriptor"));
    g_assert_false (sb_capture_is_active (capture));
    g_assert_cmpuint (sb_capture_get_bytes_written (capture), <=, LIMIT);

    sb_capture_set_session (capture, NULL);
    stop_and_free (client);
    stop_and_free (server);
  }
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/full-disk/export", test_export);
  g_test_add_func ("/full-disk/preset", test_preset);
  g_test_add_func ("/full-disk/capture", test_capture);

  return sb_test_run ();
}
