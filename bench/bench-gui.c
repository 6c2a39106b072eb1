/* bench-gui — the real window, in-process, under load
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-gui MODE [options]
 *
 *   ingest                      a tcp-listen page; prints "port N", one peer
 *                               (tcp-blast) sends until EOF
 *   udp --count=N               a udp-listen page; prints "port N", flooded
 *                               by udp-blast
 *   history --records=N         a page whose history gets N 64-byte records,
 *                               then jumps to random positions
 *   relay --port=P              a relay:// page in front of a tcp-sink; prints
 *                               "port N", one client (tcp-blast) sends until EOF
 *   repeat --port=P --seconds=S a tcp:// page to a tcp-sink, repeating a
 *                               100-byte send every 1 ms through the send
 *                               panel, as a user would set it up
 *   startup                     runs the app as main() does
 *                               (sb_application_run: command line, activate,
 *                               window, default page), prints
 *                               first_frame_mono_us at its first paint, exits
 *
 * It builds the window the app builds (SbApplication, SbWindow,
 * sb_window_open_spec), shows it (under Xvfb from bench/driver.py) with the
 * history visible and following the newest row, and measures from inside:
 * the main-loop probes (sb-bench-probe: "loop" at socket priority, "frame" at
 * GTK's paint priority) and the frame clock's real paints ("frames",
 * "frame_gap_max_ms": the longest time between two paints while data came).
 * Every mode prints "renderer NAME": the GskRenderer GTK picked for the
 * window (GskGLRenderer, GskCairoRenderer, …; GSK_RENDERER chooses one).
 */
#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-core.h"
#include "sb-application.h"
#include "sb-send-panel.h"
#include "sb-sessions.h"
#include "sb-session-page.h"
#include "sb-window.h"

static SbApplication *app;
static SbWindow *window;
static GArray *paints;   /* gint64, monotonic µs of each after-paint */
static GArray *works;    /* gint64, µs from before-paint to after-paint, per frame */
static gint64 frame_begin;

/* Frames */

static void
on_before_paint (GdkFrameClock *clock,
                 gpointer       data)
{
  frame_begin = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 work = frame_begin > 0 ? now - frame_begin : 0;

  g_array_append_val (paints, now);
  g_array_append_val (works, work);
}

static gboolean
painted_once (gpointer data)
{
  return paints->len > 0;
}

/* Paints in [from, to], and the longest gap between two of them (the edges
 * count as paints: a window that never paints has one long gap). */
static void
out_frames (gint64 from,
            gint64 to)
{
  gint64 last = from, gap = 0, work = 0;
  guint n = 0;

  for (guint i = 0; i < paints->len; i++)
    {
      gint64 t = g_array_index (paints, gint64, i);

      if (t < from || t > to)
        continue;
      gap = MAX (gap, t - last);
      work = MAX (work, g_array_index (works, gint64, i));
      last = t;
      n++;
    }
  gap = MAX (gap, to - last);

  bench_out ("frames", "%u", n);
  bench_out ("frame_gap_max_ms", "%.1f", gap / 1000.0);
  bench_out ("frame_work_max_ms", "%.1f", work / 1000.0);
}

static void
out_renderer (GtkWidget *toplevel)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (toplevel));

  bench_out ("renderer", "%s", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
}

/* startup: the first paint of the app's own first window */

/* Where start-up time goes: main, the window created, realized, painted. */
static gint64 t_main, t_window, t_realize;
static GtkWidget *first_window;

static void
on_first_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  out_renderer (first_window);
  printf ("main_mono_us %" G_GINT64_FORMAT "\n", t_main);
  printf ("window_mono_us %" G_GINT64_FORMAT "\n", t_window);
  printf ("realize_mono_us %" G_GINT64_FORMAT "\n", t_realize);
  printf ("first_frame_mono_us %" G_GINT64_FORMAT "\n", now);
  fflush (stdout);
  _exit (0);
}

static void
on_window_realize (GtkWidget *widget,
                   gpointer   data)
{
  t_realize = g_get_monotonic_time ();
  first_window = widget;
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_first_paint), NULL);
}

static gboolean
on_window_added (GSignalInvocationHint *hint,
                 guint                  n_params,
                 const GValue          *params,
                 gpointer               data)
{
  GtkWidget *added = g_value_get_object (&params[1]);

  t_window = g_get_monotonic_time ();

  g_signal_connect (added, "realize", G_CALLBACK (on_window_realize), NULL);
  return FALSE;  /* the first window is enough */
}

static int
run_startup (const char *argv0)
{
  char *args[] = { (char *) argv0, NULL };
  guint signal_id;

  g_type_class_unref (g_type_class_ref (GTK_TYPE_APPLICATION));
  signal_id = g_signal_lookup ("window-added", GTK_TYPE_APPLICATION);
  g_signal_add_emission_hook (signal_id, 0, on_window_added, NULL, NULL);

  return sb_application_run (1, args);
}

/* The window */

static void
show_window (void)
{
  g_autoptr(GError) error = NULL;
  GdkFrameClock *clock;

  app = sb_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-gui: %s\n", error->message);
      exit (1);
    }

  window = sb_window_new (GTK_APPLICATION (app), sb_application_get_settings (app),
                          sb_application_get_presets_dir (app));
  /* The size a user's first window has: the settings' default (1000×700). */
  gtk_window_present (GTK_WINDOW (window));

  paints = g_array_new (FALSE, FALSE, sizeof (gint64));
  works = g_array_new (FALSE, FALSE, sizeof (gint64));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert (clock != NULL);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
}

static gboolean
page_ready (gpointer data)
{
  SbSession *session = sb_session_page_get_session (data);
  SbSessionState state;

  if (session == NULL)
    return FALSE;
  state = sb_session_get_state (session);
  return state == SB_SESSION_STATE_LISTENING || state == SB_SESSION_STATE_CONNECTED ||
         state == SB_SESSION_STATE_FAILED;
}

static SbSessionPage *
open_page (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);
  SbOpenOptions options = { NULL, -1, NULL, TRUE };
  SbSessionPage *page;
  SbSession *session;

  g_assert_no_error (error);
  page = sb_window_open_spec (window, spec, &options);
  if (!bench_wait (page_ready, page, 10))
    {
      g_printerr ("bench-gui: %s is not ready after 10 s\n", uri);
      exit (1);
    }

  session = sb_session_page_get_session (page);
  if (sb_session_get_state (session) == SB_SESSION_STATE_FAILED)
    {
      g_printerr ("bench-gui: %s: %s\n", uri, sb_session_get_error (session)->message);
      exit (1);
    }

  /* Let the page lay itself out before any figure. */
  bench_wait (painted_once, NULL, 10);
  out_renderer (GTK_WIDGET (window));
  bench_run_for (0.3);
  return page;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget (child, type)) != NULL)
        return found;
    }

  return NULL;
}

/* ingest */

typedef struct
{
  gint64 t_start;
  gint64 t_end;
  gboolean probe_reset;
} Transfer;

static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   Transfer  *t)
{
  /* On the engine's thread: only the time; the window's thread resets the
   * probe when it sees it (transfer_done). */
  if (__atomic_load_n (&t->t_start, __ATOMIC_ACQUIRE) == 0)
    __atomic_store_n (&t->t_start, g_get_monotonic_time (), __ATOMIC_RELEASE);
}

static void
on_peer_disconnected (SbSession *session,
                      SbPeer    *peer,
                      Transfer  *t)
{
  __atomic_store_n (&t->t_end, g_get_monotonic_time (), __ATOMIC_RELEASE);
}

static gboolean
transfer_done (gpointer data)
{
  Transfer *t = data;

  if (!t->probe_reset && __atomic_load_n (&t->t_start, __ATOMIC_ACQUIRE) != 0)
    {
      t->probe_reset = TRUE;
      sb_bench_probe_reset ();
    }
  return __atomic_load_n (&t->t_end, __ATOMIC_ACQUIRE) != 0;
}

static int
run_ingest (const char *uri,
            int         timeout)
{
  SbSessionPage *page = open_page (uri);
  SbSession *session = sb_session_page_get_session (page);
  SbHistory *history = sb_session_get_history (session);
  Transfer t = { 0 };
  SbCounters counters;
  double seconds;

  g_signal_connect (session, "peer-connected", G_CALLBACK (on_peer_connected), &t);
  g_signal_connect (session, "peer-disconnected", G_CALLBACK (on_peer_disconnected), &t);
  bench_out ("port", "%u", bench_session_port (session));

  if (!bench_wait (transfer_done, &t, timeout))
    {
      g_printerr ("bench-gui: no complete transfer after %d s\n", timeout);
      return 3;
    }

  sb_session_get_counters (session, &counters);
  seconds = (t.t_end - t.t_start) / (double) G_USEC_PER_SEC;
  bench_out ("bytes", "%" G_GUINT64_FORMAT, counters.rx_bytes);
  bench_out ("seconds", "%.6f", seconds);
  bench_out ("rate_Bps", "%.0f", counters.rx_bytes / seconds);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out ("dropped", "%" G_GUINT64_FORMAT, sb_history_get_n_dropped (history));
  bench_out_lateness ();
  out_frames (t.t_start, t.t_end);
  bench_out_memory ();
  return 0;
}

/* udp */

typedef struct
{
  SbSession *session;
  guint64    count;
  guint64    last_seen;
  gint64     t_first;
  gint64     t_last;
} Flood;

static gboolean
flood_done (gpointer data)
{
  Flood *f = data;
  SbCounters counters;
  gint64 now = g_get_monotonic_time ();

  sb_session_get_counters (f->session, &counters);
  if (counters.rx_messages != f->last_seen)
    {
      if (f->t_first == 0)
        {
          f->t_first = now;
          sb_bench_probe_reset ();
        }
      f->last_seen = counters.rx_messages;
      f->t_last = now;
    }

  return counters.rx_messages >= f->count ||
         (f->t_first != 0 && now - f->t_last > 500 * 1000);
}

static int
run_udp (gint64 count,
         int    timeout)
{
  SbSessionPage *page = open_page ("udp-listen://127.0.0.1:0");
  SbSession *session = sb_session_page_get_session (page);
  SbHistory *history = sb_session_get_history (session);
  Flood f = { session, count, 0, 0, 0 };
  guint16 port = bench_session_port (session);
  guint records = 0;
  gint64 end;

  bench_out ("port", "%u", port);
  if (!bench_wait (flood_done, &f, timeout))
    g_printerr ("bench-gui: still waiting after %d s\n", timeout);
  end = g_get_monotonic_time ();
  /* Let the window catch up, as a person would see it. */
  bench_run_for (0.2);

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      records++;

  bench_out ("received", "%" G_GUINT64_FORMAT, f.last_seen);
  bench_out ("records", "%u", records);
  bench_out ("drops", "%" G_GINT64_FORMAT, bench_udp_drops (port));
  bench_out_lateness ();
  out_frames (f.t_first, end);
  bench_out_memory ();
  return 0;
}

/* history */

typedef struct
{
  guint before;
} PaintWait;

static gboolean
painted_since (gpointer data)
{
  PaintWait *w = data;

  return paints->len > w->before;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
run_history (int records,
             int jumps)
{
  SbSessionPage *page = open_page ("tcp-listen://127.0.0.1:0");
  SbSession *session = sb_session_page_get_session (page);
  SbHistory *history = sb_session_get_history (session);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) jump_works = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkWidget *column_view;
  GtkAdjustment *adj;
  guint8 payload[64];
  guint peer;
  gint64 worst;

  for (guint i = 0; i < sizeof payload; i++)
    payload[i] = 'a' + i % 26;
  peer = sb_history_intern_peer (history, "127.0.0.1:40000");

  /* Appended in batches, each announced and shown, as a flood would be. */
  for (int i = 0; i < records; i++)
    {
      sb_history_append (history, g_get_real_time (), SB_DIRECTION_RX, SB_EVENT_NONE,
                         peer, payload, sizeof payload);
      if (i % 10000 == 9999)
        while (g_main_context_iteration (NULL, FALSE))
          ;
    }
  sb_history_flush (history);
  bench_run_for (0.5);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out_memory ();

  column_view = find_widget (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);
  g_assert (column_view != NULL);
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));

  for (int j = 0; j < jumps; j++)
    {
      double span = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      PaintWait w = { paints->len };
      gint64 t0 = g_get_monotonic_time (), dt;

      gtk_adjustment_set_value (adj, g_rand_double (rand) * MAX (span, 0));
      if (!bench_wait (painted_since, &w, 5))
        g_printerr ("bench-gui: no frame within 5 s of jump %d\n", j);
      dt = g_array_index (paints, gint64, paints->len - 1) - t0;
      g_array_append_val (times, dt);
      /* Rows may take a second frame to settle; both are the jump's. */
      bench_run_for (0.05);
      for (guint i = w.before; i < works->len; i++)
        g_array_append_val (jump_works, g_array_index (works, gint64, i));
    }

  g_array_sort (times, compare_gint64);
  g_array_sort (jump_works, compare_gint64);
  worst = g_array_index (jump_works, gint64, jump_works->len - 1);
  bench_out ("jumps", "%u", times->len);
  /* From the jump to its first paint: the frame's work and the wait for its slot. */
  bench_out ("scroll_latency_p50_ms", "%.1f", g_array_index (times, gint64, times->len / 2) / 1000.0);
  bench_out ("scroll_latency_max_ms", "%.1f", g_array_index (times, gint64, times->len - 1) / 1000.0);
  /* The frames after the jumps, from before-paint to after-paint. */
  bench_out ("scroll_frame_p50_ms", "%.1f", g_array_index (jump_works, gint64, jump_works->len / 2) / 1000.0);
  bench_out ("scroll_frame_p99_ms", "%.1f", g_array_index (jump_works, gint64, (jump_works->len * 99) / 100) / 1000.0);
  bench_out ("scroll_frame_max_ms", "%.1f", worst / 1000.0);
  return 0;
}

/* repeat */

static int
run_repeat (int    port,
            double seconds)
{
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%d", port);
  SbSessionPage *page = open_page (uri);
  SbSession *session = sb_session_page_get_session (page);
  GtkWidget *panel = find_widget (GTK_WIDGET (page), SB_TYPE_SEND_PANEL);
  GObject *repeat_check, *interval_spin, *count_spin;
  SbCounters before, after;
  gint64 t0, t1;

  g_assert (panel != NULL);
  repeat_check = gtk_widget_get_template_child (panel, SB_TYPE_SEND_PANEL, "repeat_check");
  interval_spin = gtk_widget_get_template_child (panel, SB_TYPE_SEND_PANEL, "interval_spin");
  count_spin = gtk_widget_get_template_child (panel, SB_TYPE_SEND_PANEL, "count_spin");
  if (repeat_check == NULL || interval_spin == NULL)
    {
      g_printerr ("bench-gui: the send panel has no repeat controls\n");
      return 1;
    }

  gtk_check_button_set_active (GTK_CHECK_BUTTON (repeat_check), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (interval_spin), 1);
  if (count_spin != NULL)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (count_spin), 0);
  sb_send_panel_set_text (SB_SEND_PANEL (panel),
                          "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789");

  sb_session_get_counters (session, &before);
  sb_bench_probe_reset ();
  t0 = g_get_monotonic_time ();
  if (!sb_send_panel_send (SB_SEND_PANEL (panel)))
    {
      g_printerr ("bench-gui: send failed: %s\n", sb_send_panel_get_error_text (SB_SEND_PANEL (panel)));
      return 1;
    }
  bench_run_for (seconds);
  gtk_widget_activate_action (panel, "send-panel.stop-repeat", NULL);
  t1 = g_get_monotonic_time ();
  sb_session_get_counters (session, &after);

  bench_out ("sends", "%" G_GUINT64_FORMAT, after.tx_messages - before.tx_messages);
  bench_out ("seconds", "%.6f", (t1 - t0) / (double) G_USEC_PER_SEC);
  bench_out ("sends_per_s", "%.1f", (after.tx_messages - before.tx_messages) / ((t1 - t0) / (double) G_USEC_PER_SEC));
  bench_out_lateness ();

  sb_session_page_stop (page);
  bench_run_for (0.05);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  gint64 count = 100000;
  int records = 1000000, jumps = 60, port = 0, timeout = 120;
  double seconds = 5;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, "udp: datagrams expected", "N" },
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "history: records to append", "N" },
    { "jumps", 0, 0, G_OPTION_ARG_INT, &jumps, "history: random scroll positions", "N" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "repeat, relay: port of the tcp-sink", "P" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "repeat: how long", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  const char *mode;
  int status;

  t_main = g_get_monotonic_time ();
  /* As the application does (src/main.c): the network on the engine's
   * thread, this one drawing. */
  sb_sessions_set_engine (sb_engine_get_default ());

  /* No session bus is needed; never start one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sockbench-bench-bus", TRUE);

  bench_parse_options (&argc, &argv, "The real window under load: ingest, udp, history, repeat, startup.", entries);
  mode = argc > 1 ? argv[1] : "";

  if (g_str_equal (mode, "startup"))
    return run_startup (argv[0]);

  show_window ();
  sb_bench_probe_start ();

  if (g_str_equal (mode, "ingest"))
    status = run_ingest ("tcp-listen://127.0.0.1:0", timeout);
  else if (g_str_equal (mode, "relay") && port > 0)
    {
      g_autofree char *uri = g_strdup_printf ("relay://127.0.0.1:0?to=127.0.0.1:%d", port);

      status = run_ingest (uri, timeout);
    }
  else if (g_str_equal (mode, "udp"))
    status = run_udp (count, timeout);
  else if (g_str_equal (mode, "history"))
    status = run_history (records, jumps);
  else if (g_str_equal (mode, "repeat") && port > 0)
    status = run_repeat (port, seconds);
  else
    {
      g_printerr ("usage: bench-gui ingest|udp --count=N|history --records=N|repeat --port=P|relay --port=P|startup\n");
      return 2;
    }

  /* Exit at once: tearing the window down is not what is measured. */
  fflush (stdout);
  _exit (status);
}
