/* test-scenario-pane.c — the session page's Scenario pane on loopback:
 * a run against the page's own echo server, an endless loop stopped while
 * the main loop goes on, a syntax error's line, the script in a preset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sb-scenario-pane.h"
#include "sb-session-page-private.h"
#include "sb-ui-test-util.h"

/* A TCP server page on loopback whose only rule is echo, with its
 * Scenario pane shown; returns the pane. */
static SbScenarioPane *
echo_page (SbSessionPage **page_out,
           GtkWidget     **window_out)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
  g_autoptr(GError) error = NULL;
  SbSessionPage *page = g_object_ref_sink (sb_session_page_new (spec));

  g_assert_true (sb_session_page_add_auto_reply_rule (page, rule, &error));
  g_assert_no_error (error);
  *window_out = show_in_window (page, 1000, 700);
  sb_session_page_start (page);
  wait_state (page, SB_SESSION_STATE_LISTENING);

  gtk_toggle_button_set_active (page->scenario_button, TRUE);
  drain ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page->scenario_pane)));
  *page_out = page;
  return page->scenario_pane;
}

static void
close_page (SbSessionPage *page,
            GtkWidget     *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

static void
set_text (SbScenarioPane *pane,
          const char     *text)
{
  gtk_text_buffer_set_text (sb_scenario_pane_get_buffer (pane), text, -1);
}

static gboolean
finished (gpointer pane)
{
  return sb_scenario_get_state (sb_scenario_pane_get_scenario (pane)) == SB_SCENARIO_STATE_FINISHED;
}

/* Under ThreadSanitizer (tools/test --tsan) everything runs 5–15 times
 * slower: an echo does not come back within a 100 ms expect. */
static gboolean
running_under_tsan (void)
{
#if defined(__SANITIZE_THREAD__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return TRUE;
#endif
#endif
  return FALSE;
}

static void
test_run (void)
{
  GtkWidget *window;
  SbSessionPage *page;
  SbScenarioPane *pane;
  g_auto(GStrv) results = NULL;

  if (running_under_tsan ())
    {
      g_test_skip ("its 100 ms expect is shorter than an echo takes under ThreadSanitizer");
      return;
    }
  pane = echo_page (&page, &window);

  set_text (pane,
            "local c = connect('tcp://' .. address(), {frame = 'line'})\n"
            "test('echo', function()\n"
            "  c:send('hello\\n')\n"
            "  local f = c:expect('hello', 5000)\n"
            "  check(f == 'hello\\n', 'got ' .. tostring(f))\n"
            "end)\n"
            "test('missed', function()\n"
            "  c:send('PING\\n')\n"
            "  local f, why = c:expect('OK', 100)\n"
            "  check(f, why)\n"
            "end)\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "scenario.run", NULL));
  g_assert_true (wait_for (finished, pane));
  drain ();

  g_assert_cmpstr (sb_scenario_pane_get_summary (pane), ==,
                   "1 passed, 1 failed: expected “OK” within 100 ms "
                   "(the last frame was “PING\\n”) at line 10");
  results = sb_scenario_pane_dup_result_texts (pane);
  g_assert_cmpuint (g_strv_length (results), ==, 2);
  g_assert_cmpstr (results[0], ==, "✔ echo");
  g_assert_true (g_str_has_prefix (results[1], "✘ missed — expected “OK” within 100 ms"));
  g_assert_true (g_str_has_suffix (results[1], ", line 10"));

  /* The page's session was the current connection: its history holds
   * what the echo rule answered. */
  g_assert_cmpuint (sb_scenario_get_n_passed (sb_scenario_pane_get_scenario (pane)), ==, 1);

  close_page (page, window);
}

typedef struct
{
  SbScenarioPane *pane;
  guint           ticks;
} Endless;

static gboolean
tick_cb (gpointer user_data)
{
  Endless *endless = user_data;

  endless->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
ticked_while_running (gpointer user_data)
{
  Endless *endless = user_data;

  g_assert_cmpint (sb_scenario_get_state (sb_scenario_pane_get_scenario (endless->pane)), ==,
                   SB_SCENARIO_STATE_RUNNING);
  return endless->ticks >= 5;
}

static void
test_endless (void)
{
  GtkWidget *window;
  SbSessionPage *page;
  Endless endless = { 0, };
  guint source;

  endless.pane = echo_page (&page, &window);
  set_text (endless.pane, "test('forever', function()\n  while true do end\nend)\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (endless.pane), "scenario.run", NULL));

  /* The main loop goes on while the script spins. */
  source = g_timeout_add (10, tick_cb, &endless);
  g_assert_true (wait_for (ticked_while_running, &endless));
  g_source_remove (source);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (endless.pane), "scenario.stop", NULL));
  g_assert_true (wait_for (finished, endless.pane));
  drain ();
  g_assert_cmpuint (sb_scenario_get_n_failed (sb_scenario_pane_get_scenario (endless.pane)), ==, 1);
  g_assert_true (g_str_has_prefix (sb_scenario_pane_get_summary (endless.pane), "0 passed, 1 failed"));

  close_page (page, window);
}

static void
test_syntax_error (void)
{
  GtkWidget *window;
  SbSessionPage *page;
  SbScenarioPane *pane = echo_page (&page, &window);
  GtkTextBuffer *buffer = sb_scenario_pane_get_buffer (pane);
  GtkTextIter cursor;

  set_text (pane, "test('x', function()\n  log('fine')\n  local = 1\nend)\n");
  gtk_widget_activate_action (GTK_WIDGET (pane), "scenario.run", NULL);
  drain ();

  g_assert_cmpint (sb_scenario_get_state (sb_scenario_pane_get_scenario (pane)), ==, SB_SCENARIO_STATE_IDLE);
  g_assert_nonnull (strstr (sb_scenario_pane_get_summary (pane), "scenario.lua:3:"));
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 2);

  close_page (page, window);
}

static void
test_example (void)
{
  GtkWidget *window;
  SbSessionPage *page;
  SbScenarioPane *pane = echo_page (&page, &window);
  g_auto(GStrv) names = sb_scenario_pane_list_examples ();
  GtkTextBuffer *buffer = sb_scenario_pane_get_buffer (pane);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_assert_cmpuint (g_strv_length (names), ==, 7);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(SbScenario) scenario = sb_scenario_new ();
      g_autoptr(GError) error = NULL;

      gtk_widget_activate_action (GTK_WIDGET (pane), "scenario.open-example", "s", names[i]);
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      g_free (text);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_assert_true (g_str_has_prefix (text, "-- "));
      g_assert_true (sb_scenario_load_text (scenario, text, names[i], &error));
      g_assert_no_error (error);
      /* The setup (and so a preset) holds it. */
      g_assert_cmpstr (sb_session_setup_get_scenario (sb_session_page_get_setup (page)), ==, text);
    }

  close_page (page, window);
}

static void
test_preset (void)
{
  const char *script = "-- 你好\nlog('a\\\\b \"quoted\"')\n\ntest('x', function() check(true, 'ok') end)\n";
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp://127.0.0.1:9", NULL);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(SbSessionSetup) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  SbSessionPage *page = g_object_ref_sink (sb_session_page_new (spec));
  GtkWidget *window = show_in_window (page, 800, 600);
  SbSessionPage *again;
  GtkTextIter start, end;

  gtk_toggle_button_set_active (page->scenario_button, TRUE);
  set_text (page->scenario_pane, script);
  sb_session_setup_save (sb_session_page_get_setup (page), keyfile, "Page 1");
  close_page (page, window);

  /* Through the text of a preset file. */
  data = g_key_file_to_data (keyfile, NULL, NULL);
  g_clear_pointer (&keyfile, g_key_file_unref);
  keyfile = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (keyfile, data, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  restored = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_session_setup_get_scenario (restored), ==, script);

  again = g_object_ref_sink (sb_session_page_new_for_setup (restored));
  window = show_in_window (again, 800, 600);
  /* The pane is made when first shown, with the setup's script. */
  gtk_toggle_button_set_active (again->scenario_button, TRUE);
  gtk_text_buffer_get_bounds (sb_scenario_pane_get_buffer (again->scenario_pane), &start, &end);
  text = gtk_text_buffer_get_text (sb_scenario_pane_get_buffer (again->scenario_pane), &start, &end, TRUE);
  g_assert_cmpstr (text, ==, script);

  /* An empty script writes no key. */
  sb_session_setup_set_scenario (restored, NULL);
  sb_session_setup_save (restored, keyfile, "Page 1");
  g_assert_false (g_key_file_has_key (keyfile, "Page 1", "scenario", NULL));
  close_page (again, window);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/scenario-pane/run", test_run);
  g_test_add_func ("/scenario-pane/endless", test_endless);
  g_test_add_func ("/scenario-pane/syntax-error", test_syntax_error);
  g_test_add_func ("/scenario-pane/example", test_example);
  g_test_add_func ("/scenario-pane/preset", test_preset);

  return g_test_run ();
}
