/* test-preset.c — presets: names, round trips, bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sb-preset.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sockbench-preset-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static GKeyFile *
make_preset (void)
{
  GKeyFile *keyfile = sb_preset_new ();

  g_key_file_set_string (keyfile, "Page 1", "URI", "tcp-listen://127.0.0.1:8080");
  g_key_file_set_string (keyfile, "Page 1", "Encoding", "GB18030");
  g_key_file_set_string (keyfile, "Page 2", "URI", "tcp://127.0.0.1:8080");
  g_key_file_set_string (keyfile, "Page 2", "Send", "您好\\r\\n");

  return keyfile;
}

static void
test_names (void)
{
  static const char *good[] = { "lab", "Device 7", "设备 测试", "a.b", "x-y_z (2)", NULL };
  static const char *bad[] = { "", "   ", ".hidden", "..", "a/b", "/abs", "a\\b", "tab\there", NULL };
  g_autofree char *long_name = g_strnfill (201, 'x');

  for (guint i = 0; good[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sb_preset_check_name (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sb_preset_check_name (bad[i], &error));
      g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }

  g_assert_false (sb_preset_check_name (long_name, NULL));
  g_assert_false (sb_preset_check_name (NULL, NULL));

  {
    g_autofree char *a = sb_preset_name_from_path ("/tmp/Lab setup.sbpreset");
    g_autofree char *b = sb_preset_name_from_path ("plain");
    g_autofree char *c = sb_preset_name_from_path ("/tmp/.sbpreset");

    g_assert_cmpstr (a, ==, "Lab setup");
    g_assert_cmpstr (b, ==, "plain");
    g_assert_null (c);
  }
}

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GKeyFile) keyfile = make_preset ();
  g_autoptr(GKeyFile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) pages = NULL;
  g_autofree char *send = NULL;
  g_autofree char *path = NULL;
  gsize n_pages = 0;

  names = sb_preset_list (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  g_assert_true (sb_preset_save (f->dir, "设备 B", keyfile, &error));
  g_assert_no_error (error);
  g_assert_true (sb_preset_save (f->dir, "A lab", keyfile, &error));
  g_assert_no_error (error);

  /* Readable key file under its own name */
  path = g_build_filename (f->dir, "A lab.sbpreset", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* Only its owner reads it: a setup may keep a private key. */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  }

  names = sb_preset_list (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) names, "A lab"));
  g_assert_true (g_strv_contains ((const char * const *) names, "设备 B"));

  loaded = sb_preset_load (f->dir, "设备 B", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  pages = sb_preset_get_pages (loaded, &n_pages);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpstr (pages[0], ==, "Page 1");
  g_assert_cmpstr (pages[1], ==, "Page 2");
  send = g_key_file_get_string (loaded, "Page 2", "Send", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (send, ==, "您好\\r\\n");

  g_assert_true (sb_preset_delete (f->dir, "A lab", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_false (sb_preset_delete (f->dir, "A lab", &error));
  g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (sb_preset_load (f->dir, "missing", &error));
  g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Bad names never touch the disk. */
  g_assert_false (sb_preset_save (f->dir, "../escape", keyfile, &error));
  g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_NAME);
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *message_part;
  } cases[] = {
    { "", "[Sockbench]" },
    { "not a key file at all\n", "not a Sockbench preset" },
    { "[Other]\nURI=tcp://a:1\n", "[Sockbench]" },
    { "[Sockbench]\n[Page 1]\nURI=tcp://a:1\n", "Version" },
    { "[Sockbench]\nVersion=2\n[Page 1]\nURI=tcp://a:1\n", "version 2" },
    { "[Sockbench]\nVersion=one\n[Page 1]\nURI=tcp://a:1\n", "Version" },
    { "[Sockbench]\nVersion=1\n", "no sessions" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GKeyFile) keyfile = NULL;
      g_autofree char *path = g_build_filename (f->dir, "bad.sbpreset", NULL);
      g_autofree char *name = NULL;
      g_auto(GStrv) names = NULL;

      keyfile = sb_preset_parse (cases[i].text, strlen (cases[i].text), &error);
      g_assert_null (keyfile);
      g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message_part);
      g_clear_error (&error);

      /* Import refuses it and stores nothing. */
      g_assert_true (g_file_set_contents (path, cases[i].text, -1, NULL));
      name = sb_preset_import (f->dir, path, &error);
      g_assert_null (name);
      g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE);
      g_unlink (path);

      names = sb_preset_list (f->dir, NULL);
      g_assert_cmpuint (g_strv_length (names), ==, 0);
    }
}

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GKeyFile) keyfile = make_preset ();
  g_autoptr(GKeyFile) empty = sb_preset_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *outside = g_build_filename (f->dir, "out", "My bench.sbpreset", NULL);
  g_autofree char *store = g_build_filename (f->dir, "store", NULL);
  g_autofree char *name = NULL;
  g_autoptr(GKeyFile) loaded = NULL;

  g_assert_true (sb_preset_export (keyfile, outside, &error));
  g_assert_no_error (error);

  /* Nothing to export is an error, not an empty file. */
  g_assert_false (sb_preset_export (empty, outside, &error));
  g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE);
  g_clear_error (&error);

  name = sb_preset_import (store, outside, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "My bench");

  loaded = sb_preset_load (store, "My bench", &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (loaded, "Page 2"));
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
async_timeout (gpointer user_data)
{
  g_error ("timed out waiting for an async preset operation");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_result (AsyncWait *wait)
{
  guint id = g_timeout_add_seconds (20, async_timeout, NULL);

  if (wait->result == NULL)
    g_main_loop_run (wait->loop);
  g_source_remove (id);

  return g_steal_pointer (&wait->result);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(GKeyFile) keyfile = make_preset ();
  g_autoptr(GKeyFile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "deep", "presets", NULL);
  g_auto(GStrv) names = NULL;
  g_autoptr(GFile) bad = NULL;
  g_autofree char *bad_path = g_build_filename (f->dir, "bad.sbpreset", NULL);

  file = sb_preset_get_file (sub, "Async", &error);
  g_assert_no_error (error);

  sb_preset_save_file_async (file, keyfile, NULL, async_done, &wait);
  result = wait_result (&wait);
  g_assert_true (sb_preset_save_file_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  sb_preset_list_async (sub, NULL, async_done, &wait);
  result = wait_result (&wait);
  names = sb_preset_list_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Async");
  g_clear_object (&result);

  sb_preset_load_file_async (file, NULL, async_done, &wait);
  result = wait_result (&wait);
  loaded = sb_preset_load_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (loaded, "Page 1"));
  g_clear_object (&result);

  g_assert_true (g_file_set_contents (bad_path, "[Sockbench]\nVersion=1\n", -1, NULL));
  bad = g_file_new_for_path (bad_path);
  sb_preset_load_file_async (bad, NULL, async_done, &wait);
  result = wait_result (&wait);
  g_assert_null (sb_preset_load_file_finish (result, &error));
  g_assert_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE);
  g_clear_object (&result);

  g_main_loop_unref (wait.loop);
}

/* A preset exactly as the window wrote it before setups existed (each page
 * saved its own keys, the send panel and the auto-reply rules theirs): it
 * must still open, every value in place. */
static const char legacy_preset[] =
  "[Sockbench]\n"
  "Version=1\n"
  "\n"
  "[Page 1]\n"
  "URI=tcp-listen://127.0.0.1:0\n"
  "encoding=GBK\n"
  "view-mode=both\n"
  "send-text=ping\\\\r\\\\n\n"
  "send-mode=text\n"
  "send-escapes=true\n"
  "send-line-end=2\n"
  "send-encoding=\n"
  "send-repeat-ms=250\n"
  "send-repeat-count=3\n"
  "send-recent=ping\\\\r\\\\n;hello;\n"
  "auto-reply-0=on-connect;;你好，欢迎连接服务端！Hello!\\\\n;UTF-8;text;close;\n"
  "auto-reply-1=any;;服务端收到信息啦！;GBK;text;keep;\n"
  "\n"
  "[Page 2]\n"
  "URI=udp://127.0.0.1:9999\n"
  "encoding=UTF-8\n"
  "view-mode=hex\n"
  "send-text=01 02 ff\n"
  "send-mode=hex\n"
  "send-escapes=false\n"
  "send-line-end=0\n"
  "send-encoding=Big5\n"
  "send-repeat-ms=1000\n"
  "send-repeat-count=0\n"
  "send-recent=\n"
  "auto-reply-0=hex-equals;01 02;ff;UTF-8;hex;keep;\n";

static void
test_legacy_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = sb_preset_parse (legacy_preset, strlen (legacy_preset), &error);
  g_autoptr(GPtrArray) setups = NULL;
  g_autoptr(GKeyFile) saved = NULL;
  g_auto(GStrv) recent = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *send_encoding = NULL;
  SbSessionSetup *one, *two;
  SbResponder *rules;
  const SbAutoReplyRule *rule;
  guint line_end = 0, repeat_ms = 0, repeat_count = 0;
  gboolean escapes = FALSE;

  g_assert_no_error (error);
  setups = sb_preset_get_setups (keyfile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (setups->len, ==, 2);
  one = g_ptr_array_index (setups, 0);
  two = g_ptr_array_index (setups, 1);

  uri = sb_session_spec_to_uri (sb_session_setup_get_spec (one));
  g_assert_cmpstr (uri, ==, "tcp-listen://127.0.0.1:0");
  g_assert_cmpstr (sb_session_setup_get_encoding (one), ==, "GBK");
  g_assert_cmpint (sb_session_setup_get_view_mode (one), ==, SB_VIEW_MODE_BOTH);
  g_assert_null (sb_session_setup_get_capture_file (one));
  g_object_get (one,
                "send-text", &text, "send-escapes", &escapes, "send-line-end", &line_end,
                "send-encoding", &send_encoding, "send-repeat-ms", &repeat_ms,
                "send-repeat-count", &repeat_count, "send-recent", &recent,
                NULL);
  g_assert_cmpstr (text, ==, "ping\\r\\n");
  g_assert_false (sb_session_setup_get_send_hex (one));
  g_assert_true (escapes);
  g_assert_cmpuint (line_end, ==, 2);
  g_assert_cmpstr (send_encoding, ==, "");
  g_assert_cmpuint (repeat_ms, ==, 250);
  g_assert_cmpuint (repeat_count, ==, 3);
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, "ping\\r\\n");
  g_assert_cmpstr (recent[1], ==, "hello");

  rules = sb_session_setup_get_responder (one);
  g_assert_cmpuint (sb_responder_get_n_rules (rules), ==, 2);
  rule = sb_responder_get_rule (rules, 0);
  g_assert_cmpint (rule->trigger, ==, SB_TRIGGER_ON_CONNECT);
  g_assert_cmpstr (rule->reply, ==, "你好，欢迎连接服务端！Hello!\\n");
  g_assert_true (rule->close_after);
  rule = sb_responder_get_rule (rules, 1);
  g_assert_cmpint (rule->trigger, ==, SB_TRIGGER_ANY);
  g_assert_cmpstr (rule->encoding, ==, "GBK");
  g_assert_false (rule->close_after);

  g_clear_pointer (&uri, g_free);
  uri = sb_session_spec_to_uri (sb_session_setup_get_spec (two));
  g_assert_cmpstr (uri, ==, "udp://127.0.0.1:9999");
  g_assert_cmpint (sb_session_setup_get_view_mode (two), ==, SB_VIEW_MODE_HEX);
  g_assert_true (sb_session_setup_get_send_hex (two));
  g_assert_cmpstr (sb_session_setup_get_send_text (two), ==, "01 02 ff");
  g_clear_pointer (&send_encoding, g_free);
  g_object_get (two, "send-encoding", &send_encoding, NULL);
  g_assert_cmpstr (send_encoding, ==, "Big5");
  rule = sb_responder_get_rule (sb_session_setup_get_responder (two), 0);
  g_assert_cmpint (rule->trigger, ==, SB_TRIGGER_HEX_EQUALS);
  g_assert_true (rule->reply_hex);

  /* Written again, the old keys keep their old values. */
  saved = sb_preset_new_from_setups (setups);
  for (guint p = 1; p <= 2; p++)
    {
      g_autofree char *group = g_strdup_printf ("Page %u", p);
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autofree char *before = g_key_file_get_value (keyfile, group, keys[k], NULL);
          g_autofree char *after = g_key_file_get_value (saved, group, keys[k], NULL);

          g_assert_cmpstr (after, ==, before);
        }
    }
}

/* A page that cannot be read is named, and nothing half-read is returned. */
static void
test_setup_errors (void)
{
  static const char *bad[] = {
    "[Sockbench]\nVersion=1\n\n[Page 1]\nencoding=UTF-8\n",
    "[Sockbench]\nVersion=1\n\n[Page 1]\nURI=nonsense\n",
    "[Sockbench]\nVersion=1\n\n[Page 1]\nURI=tcp://127.0.0.1:1\nencoding=KLINGON\n",
    "[Sockbench]\nVersion=1\n\n[Page 1]\nURI=tcp://127.0.0.1:1\nauto-reply-0=regex;(;x;UTF-8;text;keep;\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GKeyFile) keyfile = sb_preset_parse (bad[i], strlen (bad[i]), &error);
      g_autoptr(GPtrArray) setups = NULL;

      g_assert_no_error (error);
      setups = sb_preset_get_setups (keyfile, &error);
      g_assert_null (setups);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "Page 1"));
    }
}

static void
notify_count_cb (guint *n)
{
  (*n)++;
}

/* Properties notify only when they change; "hex" is a view, not an encoding. */
static void
test_setup_properties (void)
{
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (NULL);
  g_autofree char *uri = sb_session_spec_to_uri (sb_session_setup_get_spec (setup));
  guint n_encoding = 0;

  g_assert_cmpstr (uri, ==, "tcp-listen://127.0.0.1:0");
  g_signal_connect_swapped (setup, "notify::encoding", G_CALLBACK (notify_count_cb), &n_encoding);

  sb_session_setup_set_encoding (setup, "gbk");
  g_assert_cmpstr (sb_session_setup_get_encoding (setup), ==, "GBK");
  sb_session_setup_set_encoding (setup, "GBK");
  g_assert_cmpuint (n_encoding, ==, 1);

  sb_session_setup_set_encoding (setup, "hex");
  g_assert_cmpstr (sb_session_setup_get_encoding (setup), ==, "GBK");
  g_assert_cmpint (sb_session_setup_get_view_mode (setup), ==, SB_VIEW_MODE_HEX);

  sb_session_setup_set_capture_file (setup, "");
  g_assert_null (sb_session_setup_get_capture_file (setup));
}

static void
test_setup_framing (void)
{
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (NULL);
  g_autoptr(SbSessionSetup) loaded = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sb_session_setup_get_framing (setup), ==, "none");
  g_assert_cmpstr (sb_session_setup_get_check (setup), ==, "");
  g_assert_false (sb_session_setup_get_templates (setup));

  /* Specs are kept in their canonical form. */
  g_assert_true (sb_session_setup_set_framing (setup, "delim:0D0A", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sb_session_setup_get_framing (setup), ==, "delim:0d0a");

  /* A bad spec is refused with the framer's message, and changes nothing. */
  g_assert_false (sb_session_setup_set_framing (setup, "len:3:be", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (sb_session_setup_get_framing (setup), ==, "delim:0d0a");
  g_clear_error (&error);
  g_assert_false (sb_session_setup_set_check (setup, "crc-17/nothing", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (sb_session_setup_set_check (setup, "crc-16/modbus", &error));
  sb_session_setup_set_templates (setup, TRUE);

  sb_session_setup_save (setup, keyfile, "Page 1");
  loaded = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_session_setup_get_framing (loaded), ==, "delim:0d0a");
  g_assert_cmpstr (sb_session_setup_get_check (loaded), ==, "crc-16/modbus");
  g_assert_true (sb_session_setup_get_templates (loaded));

  /* A preset with a framing spec that does not parse does not open. */
  g_key_file_set_string (keyfile, "Page 1", "framing", "fixed:");
  g_clear_object (&loaded);
  loaded = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_assert_true (strstr (error->message, "Page 1") != NULL);
}

/* A rule's check filter is an optional seventh field: saved only when
 * set, read back, and an old six-field line loads and saves as it was. */
static void
test_setup_check_filter (void)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GKeyFile) again = g_key_file_new ();
  g_autoptr(SbSessionSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  SbResponder *responder;

  g_assert_true (g_key_file_load_from_data (keyfile,
    "[Page 1]\nURI=tcp-listen://127.0.0.1:0\ncheck=crc-16/modbus\n"
    "auto-reply-0=any;;15;UTF-8;hex;keep;bad;\n"
    "auto-reply-1=any;;06;UTF-8;hex;keep;good;\n"
    "auto-reply-2=contains;hi;ho;UTF-8;text;close;\n", -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  setup = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_no_error (error);
  responder = sb_session_setup_get_responder (setup);
  g_assert_nonnull (sb_responder_get_check (responder));
  g_assert_cmpuint (sb_responder_get_n_rules (responder), ==, 3);
  g_assert_cmpint (sb_responder_get_rule (responder, 0)->check_filter, ==, SB_CHECK_FILTER_BAD);
  g_assert_cmpint (sb_responder_get_rule (responder, 1)->check_filter, ==, SB_CHECK_FILTER_OK);
  g_assert_cmpint (sb_responder_get_rule (responder, 2)->check_filter, ==, SB_CHECK_FILTER_NONE);

  sb_session_setup_save (setup, again, "Page 1");
  line = g_key_file_get_value (again, "Page 1", "auto-reply-0", NULL);
  g_assert_cmpstr (line, ==, "any;;15;UTF-8;hex;keep;bad;");
  g_clear_pointer (&line, g_free);
  line = g_key_file_get_value (again, "Page 1", "auto-reply-1", NULL);
  g_assert_cmpstr (line, ==, "any;;06;UTF-8;hex;keep;good;");
  g_clear_pointer (&line, g_free);
  line = g_key_file_get_value (again, "Page 1", "auto-reply-2", NULL);
  g_assert_cmpstr (line, ==, "contains;hi;ho;UTF-8;text;close;");

  /* An unknown filter is refused, naming the rule. */
  g_key_file_set_value (keyfile, "Page 1", "auto-reply-1", "any;;06;UTF-8;hex;keep;maybe;");
  g_clear_object (&setup);
  setup = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_null (setup);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "auto-reply-1"));
}

/* reconnect=true: a TCP client page that reconnects by itself, and its
 * local port, survive a preset file. */
static void
test_setup_reconnect (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp://127.0.0.1:8080?bind=:40000", NULL);
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (spec);
  g_autoptr(SbSessionSetup) loaded = NULL;
  g_autoptr(SbSessionSetup) plain = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GKeyFile) read_back = NULL;
  g_autoptr(GKeyFile) preset = NULL;
  g_autoptr(GPtrArray) setups = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint n_notify = 0;

  g_assert_false (sb_session_setup_get_reconnect (setup));
  g_signal_connect_swapped (setup, "notify::reconnect", G_CALLBACK (notify_count_cb), &n_notify);
  g_object_set (setup, "reconnect", TRUE, NULL);
  g_object_set (setup, "reconnect", TRUE, NULL);
  g_assert_cmpuint (n_notify, ==, 1);

  g_ptr_array_add (setups, g_object_ref (setup));
  preset = sb_preset_new_from_setups (setups);
  g_assert_true (g_key_file_get_boolean (preset, "Page 1", "reconnect", NULL));
  g_assert_true (sb_preset_save (f->dir, "Reconnecting", preset, &error));
  g_assert_no_error (error);

  read_back = sb_preset_load (f->dir, "Reconnecting", &error);
  g_assert_no_error (error);
  pages = sb_preset_get_setups (read_back, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 1);
  loaded = g_object_ref (g_ptr_array_index (pages, 0));
  g_assert_true (sb_session_setup_get_reconnect (loaded));
  uri = sb_session_spec_to_uri (sb_session_setup_get_spec (loaded));
  g_assert_cmpstr (uri, ==, "tcp://127.0.0.1:8080?bind=:40000");

  /* Off is the default, and is not written; loading without it turns it off. */
  sb_session_setup_set_reconnect (setup, FALSE);
  sb_session_setup_save (setup, keyfile, "Page 1");
  g_assert_false (g_key_file_has_key (keyfile, "Page 1", "reconnect", NULL));
  g_assert_true (sb_session_setup_load (loaded, keyfile, "Page 1", &error));
  g_assert_no_error (error);
  g_assert_false (sb_session_setup_get_reconnect (loaded));

  plain = sb_session_setup_new (NULL);
  g_assert_false (sb_session_setup_get_reconnect (plain));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preset/names", test_names);
  g_test_add ("/preset/roundtrip", Fixture, NULL, fixture_setup, test_roundtrip, fixture_teardown);
  g_test_add ("/preset/bad-files", Fixture, NULL, fixture_setup, test_bad_files, fixture_teardown);
  g_test_add ("/preset/import-export", Fixture, NULL, fixture_setup, test_import_export, fixture_teardown);
  g_test_add ("/preset/async", Fixture, NULL, fixture_setup, test_async, fixture_teardown);
  g_test_add_func ("/preset/legacy-file", test_legacy_file);
  g_test_add_func ("/preset/setup-errors", test_setup_errors);
  g_test_add_func ("/preset/setup-properties", test_setup_properties);
  g_test_add_func ("/preset/setup-framing", test_setup_framing);
  g_test_add_func ("/preset/setup-check-filter", test_setup_check_filter);
  g_test_add ("/preset/setup-reconnect", Fixture, NULL, fixture_setup, test_setup_reconnect, fixture_teardown);

  return g_test_run ();
}
