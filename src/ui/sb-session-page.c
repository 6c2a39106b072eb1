/* sb-session-page.c — one session in a tab: setup bar, history, send panel, peers
 *
 * The page owns its session. Start with the setup bar unchanged restarts the
 * same session (and keeps its history); Start after the kind or an address
 * changed makes a new session, and so a new, empty history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-auto-reply.h"
#include "sb-codec.h"
#include "sb-export.h"
#include "sb-history-view.h"
#include "sb-peers-view.h"
#include "sb-send-panel.h"
#include "sb-session-page.h"
#include "sb-session-page-python.h"
#include "sb-sessions.h"
#include "sb-teaching-panel.h"

struct _SbSessionPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkWidget            *setup_bar;
  GtkDropDown          *kind_dropdown;
  GtkWidget            *local_group;
  GtkEntry             *local_host_entry;
  GtkSpinButton        *local_port_spin;
  GtkWidget            *remote_group;
  GtkEntry             *remote_host_entry;
  GtkSpinButton        *remote_port_spin;
  GtkWidget            *path_group;
  GtkLabel             *path_label;
  GtkEntry             *path_entry;
  GtkWidget            *bind_path_group;
  GtkEntry             *bind_path_entry;
  GtkButton            *start_button;
  GtkLabel             *state_label;
  GtkWidget            *warning_label;
  GtkLabel             *error_label;
  GtkToggleButton      *record_button;
  GtkWidget            *message_bar;
  GtkLabel             *message_label;
  GtkPaned             *side_paned;
  GtkPaned             *main_paned;
  SbHistoryView        *history_view;
  SbTeachingPanel      *teaching_panel;
  GtkToggleButton      *teaching_button;
  SbSendPanel          *send_panel;
  SbPeersView          *peers_view;
  GtkLabel             *counters_label;
  GtkListBox           *rules_list;
  GtkDropDown          *trigger_dropdown;
  GtkEntry             *pattern_entry;
  GtkEntry             *reply_entry;
  GtkDropDown          *rule_encoding_dropdown;
  GtkCheckButton       *reply_hex_check;
  GtkCheckButton       *close_after_check;
  GtkLabel             *rule_error_label;

  /* Owned */
  SbSession            *session;
  SbSessionSpec        *initial_spec;
  SbAutoReply          *auto_reply;
  char                 *title;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;     /* export and receive-to-file */
  GOutputStream        *record_stream;
  gsize                 record_queued;   /* bytes in record_queue */
  GQueue                record_queue;    /* GBytes waiting to be written, in order */
  gboolean              record_writing;
  guint                 counters_source;
  SbCounters            rate_counters;   /* at rate_time */
  gint64                rate_time;
  double                rx_rate;
  double                tx_rate;
  gboolean              main_positioned;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_ENCODING,
  PROP_VIEW_MODE,
  PROP_SPEC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbSessionPage, sb_session_page, GTK_TYPE_WIDGET)

static void update_title (SbSessionPage *self);
static void update_state (SbSessionPage *self);

/* --- Messages --- */

static void
show_message (SbSessionPage *self,
              const char    *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (self->message_bar, message != NULL);
}

static void
dismiss_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  show_message (SB_SESSION_PAGE (widget), NULL);
}

/* --- Setup bar --- */

static SbKind
current_kind (SbSessionPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  return selected < SB_N_KINDS ? (SbKind) selected : SB_KIND_TCP_CLIENT;
}

static void
set_group_visible (GtkWidget *group,
                   gboolean   visible)
{
  /* Hide the flow box child, not just its content, so no gap is left. */
  GtkWidget *parent = gtk_widget_get_parent (group);

  gtk_widget_set_visible (group, visible);
  if (GTK_IS_FLOW_BOX_CHILD (parent))
    gtk_widget_set_visible (parent, visible);
}

static void
update_fields (SbSessionPage *self)
{
  SbKind kind = current_kind (self);
  gboolean is_unix = sb_kind_is_unix (kind);
  gboolean has_local = kind == SB_KIND_TCP_SERVER || kind == SB_KIND_UDP;
  gboolean has_remote = kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_ICMP;
  const char *local_host = gtk_editable_get_text (GTK_EDITABLE (self->local_host_entry));

  set_group_visible (self->local_group, has_local);
  set_group_visible (self->remote_group, has_remote);
  /* ICMP has no ports. */
  gtk_widget_set_visible (GTK_WIDGET (self->remote_port_spin), kind != SB_KIND_ICMP);
  set_group_visible (self->path_group, is_unix);
  set_group_visible (self->bind_path_group, kind == SB_KIND_UNIX_DGRAM);
  gtk_label_set_text_with_mnemonic (self->path_label,
                                    kind == SB_KIND_UNIX_SERVER ? _("_Path") :
                                    kind == SB_KIND_UNIX_DGRAM ? _("_Target path") : _("_Path"));

  gtk_widget_set_visible (self->warning_label, has_local && sb_address_is_any (local_host));
  gtk_widget_set_visible (GTK_WIDGET (self->peers_view),
                          sb_kind_is_server (kind) || kind == SB_KIND_UDP || kind == SB_KIND_UNIX_DGRAM);
}

static void
fill_fields (SbSessionPage       *self,
             const SbSessionSpec *spec)
{
  gtk_drop_down_set_selected (self->kind_dropdown, spec->kind);
  gtk_editable_set_text (GTK_EDITABLE (self->remote_host_entry), spec->host ? spec->host : "");
  gtk_spin_button_set_value (self->remote_port_spin, spec->port);
  if (spec->has_bind)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->local_host_entry),
                             spec->bind_host ? spec->bind_host : "127.0.0.1");
      gtk_spin_button_set_value (self->local_port_spin, spec->bind_port);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->local_host_entry), "");
      gtk_spin_button_set_value (self->local_port_spin, 0);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->path_entry), spec->path ? spec->path : "");
  gtk_editable_set_text (GTK_EDITABLE (self->bind_path_entry), spec->bind_path ? spec->bind_path : "");
  update_fields (self);
}

static char *
dup_entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text ? g_steal_pointer (&text) : NULL;
}

/* Reads the setup bar. Returns NULL with @error when a field is missing. */
static SbSessionSpec *
spec_from_fields (SbSessionPage *self,
                  GError       **error)
{
  SbKind kind = current_kind (self);
  g_autoptr(SbSessionSpec) spec = sb_session_spec_new (kind);
  g_autofree char *remote = dup_entry_text (self->remote_host_entry);
  g_autofree char *local = dup_entry_text (self->local_host_entry);
  g_autofree char *path = dup_entry_text (self->path_entry);
  g_autofree char *bind_path = dup_entry_text (self->bind_path_entry);
  guint16 remote_port = gtk_spin_button_get_value_as_int (self->remote_port_spin);
  guint16 local_port = gtk_spin_button_get_value_as_int (self->local_port_spin);

  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:
      if (remote == NULL || remote_port == 0)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the remote host and a port other than 0"));
          return NULL;
        }
      g_free (spec->host);
      spec->host = g_steal_pointer (&remote);
      spec->port = remote_port;
      break;

    case SB_KIND_TCP_SERVER:
      spec->has_bind = TRUE;
      g_free (spec->bind_host);
      spec->bind_host = local ? g_steal_pointer (&local) : g_strdup ("127.0.0.1");
      spec->bind_port = local_port;
      break;

    case SB_KIND_UDP:
      if (remote != NULL)
        {
          g_free (spec->host);
          spec->host = g_steal_pointer (&remote);
          spec->port = remote_port;
        }
      /* Without a target the socket must be bound to be reachable. */
      spec->has_bind = spec->host == NULL || local != NULL || local_port != 0;
      if (spec->has_bind)
        {
          g_free (spec->bind_host);
          spec->bind_host = local ? g_steal_pointer (&local) : g_strdup ("127.0.0.1");
          spec->bind_port = local_port;
        }
      break;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      if (path == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the socket path"));
          return NULL;
        }
      g_free (spec->path);
      spec->path = g_steal_pointer (&path);
      break;

    case SB_KIND_ICMP:
      if (remote == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the host to ping"));
          return NULL;
        }
      /* "[::1]" as a URI would write it: the spec holds the bare address. */
      if (remote[0] == '[' && g_str_has_suffix (remote, "]"))
        {
          char *bare = g_strndup (remote + 1, strlen (remote) - 2);

          g_free (remote);
          remote = bare;
        }
      g_free (spec->host);
      spec->host = g_steal_pointer (&remote);
      break;

    case SB_KIND_UNIX_DGRAM:
    default:
      if (path == NULL && bind_path == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type a target path, a bind path, or both"));
          return NULL;
        }
      g_free (spec->path);
      spec->path = g_steal_pointer (&path);
      g_free (spec->bind_path);
      spec->bind_path = g_steal_pointer (&bind_path);
      break;
    }
  return g_steal_pointer (&spec);
}

static const char *
kind_label (SbKind kind)
{
  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:  return _("TCP client");
    case SB_KIND_TCP_SERVER:  return _("TCP server");
    case SB_KIND_UDP:         return _("UDP");
    case SB_KIND_UNIX_CLIENT: return _("UNIX client");
    case SB_KIND_UNIX_SERVER: return _("UNIX server");
    case SB_KIND_ICMP:        return _("Ping");
    case SB_KIND_UNIX_DGRAM:
    case SB_N_KINDS:
    default:                  return _("UNIX datagram");
    }
}

static void
update_title (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = sb_session_page_dup_spec (self);
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  GSocketAddress *local = self->session ? sb_session_get_local_address (self->session) : NULL;

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
      where = sb_address_format_host_port (spec->host ? spec->host : "", spec->port);
      break;
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UDP:
      if (spec->kind == SB_KIND_UDP && spec->host != NULL && !spec->has_bind)
        {
          g_autofree char *target = sb_address_format_host_port (spec->host, spec->port);
          where = g_strconcat ("→ ", target, NULL);
        }
      else
        {
          guint port = spec->bind_port;

          /* Port 0: show the one the kernel chose once it is known. */
          if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
            port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
          if (spec->bind_host == NULL || g_strcmp0 (spec->bind_host, "127.0.0.1") == 0)
            where = g_strdup_printf (":%u", port);
          else
            where = sb_address_format_host_port (spec->bind_host, port);
        }
      break;
    case SB_KIND_ICMP:
      where = g_strdup (spec->host ? spec->host : "");
      break;
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_UNIX_DGRAM:
    case SB_N_KINDS:
    default:
      where = g_strdup (spec->path ? spec->path : spec->bind_path ? spec->bind_path : "");
      break;
    }

  /* Translators: a tab title, “TCP server :8080” */
  title = g_strdup_printf (C_("tab title", "%s %s"), kind_label (spec->kind), where);
  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

static void
fields_changed_cb (SbSessionPage *self)
{
  update_fields (self);
  if (self->session == NULL)
    update_title (self);
}

/* --- State --- */

static void
update_state (SbSessionPage *self)
{
  SbSessionState state = self->session ? sb_session_get_state (self->session) : SB_SESSION_STATE_IDLE;
  const GError *error = self->session ? sb_session_get_error (self->session) : NULL;
  GSocketAddress *local = self->session ? sb_session_get_local_address (self->session) : NULL;
  gboolean running = self->session != NULL && sb_session_is_running (self->session);
  g_autofree char *text = NULL;

  if (state == SB_SESSION_STATE_LISTENING && local != NULL)
    {
      g_autofree char *address = sb_address_to_string (local);
      /* Translators: state, “Listening on 127.0.0.1:43127” */
      text = g_strdup_printf (_("Listening on %s"), address);
    }
  else
    text = g_strdup (sb_session_state_get_label (state));
  gtk_label_set_text (self->state_label, text);

  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop", running);
  if (running)
    {
      gtk_button_set_label (self->start_button, _("_Stop"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->start_button), "page.stop");
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "destructive-action");
    }
  else
    {
      gtk_button_set_label (self->start_button, _("_Start"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->start_button), "page.start");
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "suggested-action");
    }
  update_title (self);
}

/* --- Counters --- */

static void
update_counters (SbSessionPage *self)
{
  SbCounters c = { 0, };
  SbHistory *history = self->session ? sb_session_get_history (self->session) : NULL;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *rx_bytes = NULL, *tx_bytes = NULL, *rx_rate = NULL, *tx_rate = NULL;
  g_autofree char *rx = NULL, *tx = NULL, *text = NULL;
  guint64 dropped = history ? sb_history_get_n_dropped (history) : 0;
  guint64 cleared = history ? sb_history_get_n_cleared (history) : 0;

  if (self->session != NULL)
    sb_session_get_counters (self->session, &c);

  /* Rates over the last second or so, not per tick, so they do not flicker. */
  if (self->rate_time == 0 || c.rx_bytes < self->rate_counters.rx_bytes || c.tx_bytes < self->rate_counters.tx_bytes)
    {
      self->rate_time = now;
      self->rate_counters = c;
    }
  else if (now - self->rate_time >= G_USEC_PER_SEC)
    {
      double seconds = (now - self->rate_time) / (double) G_USEC_PER_SEC;

      self->rx_rate = (c.rx_bytes - self->rate_counters.rx_bytes) / seconds;
      self->tx_rate = (c.tx_bytes - self->rate_counters.tx_bytes) / seconds;
      self->rate_time = now;
      self->rate_counters = c;
    }

  rx_bytes = g_format_size (c.rx_bytes);
  tx_bytes = g_format_size (c.tx_bytes);
  rx_rate = g_format_size ((guint64) self->rx_rate);
  tx_rate = g_format_size ((guint64) self->tx_rate);
  /* Translators: counters, “Received 1.2 kB in 3 messages (100 bytes/s)” */
  rx = g_strdup_printf (ngettext ("Received %s in %" PRIu64 " message (%s/s)",
                                  "Received %s in %" PRIu64 " messages (%s/s)",
                                  c.rx_messages),
                        rx_bytes, (uint64_t) c.rx_messages, rx_rate);
  tx = g_strdup_printf (ngettext ("Sent %s in %" PRIu64 " message (%s/s)",
                                  "Sent %s in %" PRIu64 " messages (%s/s)",
                                  c.tx_messages),
                        tx_bytes, (uint64_t) c.tx_messages, tx_rate);
  /* Translators: history records removed by the size cap, and by Clear */
  text = g_strdup_printf (_("%s · %s · Dropped by the cap: %" PRIu64 " · Cleared: %" PRIu64),
                          rx, tx, (uint64_t) dropped, (uint64_t) cleared);
  gtk_label_set_text (self->counters_label, text);
}

static gboolean
counters_tick_cb (gpointer user_data)
{
  update_counters (user_data);
  return G_SOURCE_CONTINUE;
}

/* --- Auto-reply --- */

typedef struct
{
  SbSession *session;
  SbPeer    *peer;
  guint      ticks;
} CloseLater;

static void
close_later_free (gpointer data)
{
  CloseLater *cl = data;

  g_object_unref (cl->session);
  g_object_unref (cl->peer);
  g_free (cl);
}

static gboolean
close_later_cb (gpointer data)
{
  CloseLater *cl = data;

  /* Closing drops unsent bytes, so wait until the reply is written (our
   * side shut down) — at most five seconds. */
  if (!sb_peer_is_connected (cl->peer))
    return G_SOURCE_REMOVE;
  if (sb_peer_get_pending (cl->peer) > 0 && !sb_peer_get_write_closed (cl->peer) && ++cl->ticks < 250)
    return G_SOURCE_CONTINUE;
  sb_session_disconnect_peer (cl->session, cl->peer, NULL);
  return G_SOURCE_REMOVE;
}

static void
run_actions (SbSessionPage *self,
             SbPeer        *peer,
             GPtrArray     *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      SbAutoReplyAction *action = g_ptr_array_index (actions, i);
      g_autoptr(GError) error = NULL;

      if (!sb_session_send (self->session, peer, action->bytes, &error))
        {
          show_message (self, error->message);
          return;
        }
      if (action->close_after && peer != NULL)
        {
          CloseLater *cl = g_new0 (CloseLater, 1);

          if (sb_peer_is_stream (peer))
            sb_session_shutdown_write (self->session, peer, NULL);
          cl->session = g_object_ref (self->session);
          cl->peer = g_object_ref (peer);
          g_timeout_add_full (G_PRIORITY_DEFAULT, 20, close_later_cb, cl, close_later_free);
          return;
        }
    }
}

static void
peer_connected_cb (SbSessionPage *self,
                   SbPeer        *peer,
                   SbSession     *session)
{
  g_autoptr(GPtrArray) actions = NULL;

  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;
  actions = sb_auto_reply_on_connect (self->auto_reply);
  run_actions (self, peer, actions);
}

/* --- Receive to file --- */

/* Received bytes waiting for the disk, at most. */
#define RECORD_MAX_QUEUED (64 * 1024 * 1024)

static void record_write_next (SbSessionPage *self);

static void
record_stop (SbSessionPage *self,
             const char    *error_message)
{
  g_queue_clear_full (&self->record_queue, (GDestroyNotify) g_bytes_unref);
  self->record_queued = 0;
  if (self->record_stream != NULL && !self->record_writing)
    g_output_stream_close_async (G_OUTPUT_STREAM (self->record_stream), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->record_stream);
  if (error_message != NULL)
    show_message (self, error_message);
  g_signal_handlers_block_matched (self->record_button, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_toggle_button_set_active (self->record_button, FALSE);
  g_signal_handlers_unblock_matched (self->record_button, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
record_write_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->record_writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("Saving received data stopped: %s"), error->message);
          record_stop (self, msg);
        }
      return;
    }
  if (G_OUTPUT_STREAM (object) != G_OUTPUT_STREAM (self->record_stream))
    {
      /* Recording was turned off while this write ran. */
      g_output_stream_close_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  record_write_next (self);
}

static void
record_write_next (SbSessionPage *self)
{
  g_autoptr(GBytes) bytes = NULL;

  /* One write at a time keeps the bytes in arrival order. */
  if (self->record_writing || self->record_stream == NULL)
    return;
  bytes = g_queue_pop_head (&self->record_queue);
  if (bytes == NULL)
    return;
  self->record_queued -= g_bytes_get_size (bytes);
  self->record_writing = TRUE;
  g_output_stream_write_all_async (G_OUTPUT_STREAM (self->record_stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   record_write_cb, g_object_ref (self));
  /* The data must live until the write finishes. */
  g_object_set_data_full (G_OBJECT (self->record_stream), "sb-writing",
                          g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
received_cb (SbSessionPage *self,
             SbPeer        *peer,
             GBytes        *bytes,
             SbSession     *session)
{
  if (self->record_stream != NULL)
    {
      /* A disk slower than the network must not grow the queue without
       * bound: stop saving, and say so, rather than drop bytes quietly. */
      if (self->record_queued + g_bytes_get_size (bytes) > RECORD_MAX_QUEUED)
        {
          g_autofree char *size = g_format_size (self->record_queued);
          g_autofree char *msg = g_strdup_printf (_("Saving received data stopped: the disk is slower than the network (%s waiting)"), size);

          record_stop (self, msg);
        }
      else
        {
          g_queue_push_tail (&self->record_queue, g_bytes_ref (bytes));
          self->record_queued += g_bytes_get_size (bytes);
          record_write_next (self);
        }
    }

  if (sb_auto_reply_get_n_rules (self->auto_reply) > 0)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      g_autoptr(GPtrArray) actions = sb_auto_reply_on_message (self->auto_reply, data, len);

      run_actions (self, peer, actions);
    }
}

static void
record_open_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SbSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = sb_export_open_stream_finish (result, &error);

  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("Cannot save received data: %s"), error->message);
          record_stop (self, msg);
        }
      return;
    }
  if (!gtk_toggle_button_get_active (self->record_button))
    return;
  self->record_stream = g_steal_pointer (&stream);
  record_write_next (self);
}

static void
record_chooser_cb (SbSessionPage        *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    {
      record_stop (self, NULL);
      return;
    }
  sb_export_open_stream_async (file, self->cancellable, record_open_cb, g_object_ref (self));
}

static GtkWindow *
parent_window (SbSessionPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
record_toggled_cb (SbSessionPage *self)
{
  if (!gtk_toggle_button_get_active (self->record_button))
    {
      record_stop (self, NULL);
      return;
    }
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Received Data"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "received.bin");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (record_chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- Export --- */

typedef struct
{
  SbSessionPage *self;
  GFile         *file;
} ExportData;

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_export_write_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("The history could not be saved: %s"), error->message);
          show_message (self, msg);
        }
      return;
    }
  show_message (self, NULL);
}

static void
export_to_file (SbSessionPage  *self,
                GFile          *file,
                SbExportFormat  format)
{
  g_autoptr(GPtrArray) records = NULL;

  if (self->session == NULL)
    {
      show_message (self, _("There is no history to save yet"));
      return;
    }

  /* A copy of the records: the writer thread never sees the live history. */
  records = sb_export_snapshot (sb_session_get_history (self->session));
  sb_export_write_async (file, format, sb_session_page_get_encoding (self), records,
                         self->cancellable, export_cb, g_object_ref (self));
}

static void
export_chooser_cb (SbSessionPage        *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  SbExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "format"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    export_to_file (self, file, format);
}

/* page.export-to ("csv", "/path/or/uri"): no dialog (tests, scripts). */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *format_name;
  const char *location;
  SbExportFormat format;
  g_autoptr(GFile) file = NULL;

  g_variant_get (param, "(&s&s)", &format_name, &location);
  if (!sb_export_format_from_string (format_name, &format) || *location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  export_to_file (self, file, format);
}

/* page.send-file-path ("/path/or/uri"): Send a file… without its dialog. */
static void
send_file_path_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  sb_send_panel_send_file (self->send_panel, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  SbExportFormat format;
  g_autofree char *name = NULL;

  if (!sb_export_format_from_string (g_variant_get_string (param, NULL), &format) || self->chooser != NULL)
    return;
  if (self->session == NULL)
    {
      show_message (self, _("There is no history to save yet"));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Save History"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: default file name of a saved history, without extension */
  name = g_strconcat (_("history"), sb_export_format_get_extension (format), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "format", GINT_TO_POINTER (format));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- Auto-reply pane --- */

static const SbEncodingInfo *
rule_encoding_at (guint index)
{
  guint n = 0, k = 0;
  const SbEncodingInfo *table = sb_codec_get_encodings (&n);

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (table[i].name, SB_ENCODING_HEX) == 0)
        continue;
      if (k++ == index)
        return &table[i];
    }
  return NULL;
}

static void
remove_rule_clicked_cb (GtkButton     *button,
                        SbSessionPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (index >= 0 && (guint) index < sb_auto_reply_get_n_rules (self->auto_reply))
    sb_auto_reply_remove_rule (self->auto_reply, index);
  gtk_list_box_remove (self->rules_list, row);
}

static void
rebuild_rules_list (SbSessionPage *self)
{
  GtkWidget *child;
  guint n = sb_auto_reply_get_n_rules (self->auto_reply);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = sb_auto_reply_rule_describe (sb_auto_reply_get_rule (self->auto_reply, i));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this rule"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this rule"), -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_rule_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_append (self->rules_list, box);
    }

  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (_("No rules: nothing is answered automatically"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->rules_list, label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (label)), FALSE);
    }
}

static gboolean
add_rule (SbSessionPage         *self,
          const SbAutoReplyRule *rule)
{
  g_autoptr(GError) error = NULL;

  if (!sb_auto_reply_add_rule (self->auto_reply, rule, &error))
    {
      gtk_label_set_text (self->rule_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), FALSE);
  rebuild_rules_list (self);
  return TRUE;
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const SbEncodingInfo *info = rule_encoding_at (gtk_drop_down_get_selected (self->rule_encoding_dropdown));
  g_autoptr(SbAutoReplyRule) rule =
    sb_auto_reply_rule_new (gtk_drop_down_get_selected (self->trigger_dropdown),
                            gtk_editable_get_text (GTK_EDITABLE (self->pattern_entry)),
                            gtk_editable_get_text (GTK_EDITABLE (self->reply_entry)),
                            info ? info->name : "UTF-8");

  rule->reply_hex = gtk_check_button_get_active (self->reply_hex_check);
  rule->close_after = gtk_check_button_get_active (self->close_after_check);
  if (add_rule (self, rule))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->pattern_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
    }
}

static void
rule_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autoptr(SbAutoReplyRule) rule = NULL;

  if (g_str_equal (name, "greet-close"))
    {
      rule = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, "你好，欢迎连接服务端！Hello!\\n", "UTF-8");
      rule->close_after = TRUE;
    }
  else if (g_str_equal (name, "gbk-ack"))
    rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "服务端收到信息啦！", "GBK");
  else
    rule = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
  add_rule (self, rule);
}

/* --- Session --- */

static void
session_notify_cb (SbSessionPage *self)
{
  update_state (self);
}

static void
send_to_peer_cb (SbSessionPage *self,
                 SbPeer        *peer)
{
  sb_send_panel_set_selected_peer (self->send_panel, peer);
  sb_send_panel_target_selected (self->send_panel);
}

static void
selected_peer_cb (SbSessionPage *self)
{
  sb_send_panel_set_selected_peer (self->send_panel, sb_peers_view_get_selected_peer (self->peers_view));
}

static void
replace_session (SbSessionPage *self,
                 SbSession     *session)
{
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      sb_session_stop (self->session);
    }
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::error", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::local-address", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "peer-connected", G_CALLBACK (peer_connected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
    }

  sb_history_view_set_history (self->history_view, session ? sb_session_get_history (session) : NULL);
  sb_send_panel_set_session (self->send_panel, session);
  sb_peers_view_set_session (self->peers_view, session);
  sb_teaching_panel_set_session (self->teaching_panel, session);
  self->rate_time = 0;
  self->rx_rate = self->tx_rate = 0;
  update_counters (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
sb_session_page_start (SbSessionPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;

  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  spec = spec_from_fields (self, &error);
  if (spec == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  if (self->session == NULL || !sb_session_spec_equal (sb_session_get_spec (self->session), spec))
    {
      g_autoptr(SbSession) session = sb_session_new (spec);
      replace_session (self, session);
    }
  else if (sb_session_is_running (self->session))
    return;

  sb_session_start (self->session);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

void
sb_session_page_stop (SbSessionPage *self)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  if (self->session != NULL)
    sb_session_stop (self->session);
  update_state (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  sb_session_page_start (SB_SESSION_PAGE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_session_page_stop (SB_SESSION_PAGE (widget));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_send_panel_send (SB_SESSION_PAGE (widget)->send_panel);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_widget_activate_action (GTK_WIDGET (SB_SESSION_PAGE (widget)->history_view), "history.search", NULL);
}

/* --- Public --- */

SbSessionPage *
sb_session_page_new (const SbSessionSpec *spec)
{
  return g_object_new (SB_TYPE_SESSION_PAGE, "spec", spec, NULL);
}

SbSession *
sb_session_page_get_session (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return self->session;
}

const char *
sb_session_page_get_title (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return self->title;
}

const char *
sb_session_page_get_encoding (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return sb_history_view_get_encoding (self->history_view);
}

void
sb_session_page_set_encoding (SbSessionPage *self,
                              const char    *encoding)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  sb_history_view_set_encoding (self->history_view, encoding);
}

SbViewMode
sb_session_page_get_view_mode (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), SB_VIEW_MODE_TEXT);
  return sb_history_view_get_view_mode (self->history_view);
}

void
sb_session_page_set_view_mode (SbSessionPage *self,
                               SbViewMode     mode)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  sb_history_view_set_view_mode (self->history_view, mode);
}

SbSessionSpec *
sb_session_page_dup_spec (SbSessionPage *self)
{
  SbSessionSpec *spec;

  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);

  if (self->session != NULL && sb_session_is_running (self->session))
    return sb_session_spec_copy (sb_session_get_spec (self->session));
  spec = spec_from_fields (self, NULL);
  if (spec == NULL)
    spec = self->session ? sb_session_spec_copy (sb_session_get_spec (self->session)) :
           self->initial_spec ? sb_session_spec_copy (self->initial_spec) :
           sb_session_spec_new (current_kind (self));
  return spec;
}

static void
set_spec (SbSessionPage       *self,
          const SbSessionSpec *spec)
{
  g_clear_pointer (&self->initial_spec, sb_session_spec_free);
  self->initial_spec = spec ? sb_session_spec_copy (spec) : sb_session_spec_new (SB_KIND_TCP_SERVER);
  if (spec == NULL)
    {
      self->initial_spec->has_bind = TRUE;
      g_free (self->initial_spec->bind_host);
      self->initial_spec->bind_host = g_strdup ("127.0.0.1");
    }
  fill_fields (self, self->initial_spec);
  update_title (self);
}

gboolean
sb_session_page_add_auto_reply_rule (SbSessionPage         *self,
                                     const SbAutoReplyRule *rule,
                                     GError               **error)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  if (!sb_auto_reply_add_rule (self->auto_reply, rule, error))
    return FALSE;
  rebuild_rules_list (self);
  return TRUE;
}

SbAutoReply *
sb_session_page_get_auto_reply (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return self->auto_reply;
}

void
sb_session_page_show_teaching (SbSessionPage *self,
                               const char    *view)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  g_return_if_fail (view != NULL);

  sb_teaching_panel_set_visible_view (self->teaching_panel, view);
  gtk_toggle_button_set_active (self->teaching_button, TRUE);
}

void
sb_session_page_show_message (SbSessionPage *self,
                              const char    *message)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  /* Late async results may arrive after dispose. */
  if (self->message_label != NULL)
    show_message (self, message);
}

static const char *view_mode_names[] = { "text", "hex", "both" };

void
sb_session_page_save_state (SbSessionPage *self,
                            GKeyFile      *keyfile,
                            const char    *group)
{
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  spec = sb_session_page_dup_spec (self);
  uri = sb_session_spec_to_uri (spec);
  g_key_file_set_string (keyfile, group, "URI", uri);
  g_key_file_set_string (keyfile, group, "encoding", sb_session_page_get_encoding (self));
  g_key_file_set_string (keyfile, group, "view-mode", view_mode_names[sb_session_page_get_view_mode (self)]);
  sb_send_panel_save_state (self->send_panel, keyfile, group);
  sb_auto_reply_save (self->auto_reply, keyfile, group);
}

gboolean
sb_session_page_load_state (SbSessionPage *self,
                            GKeyFile      *keyfile,
                            const char    *group,
                            GError       **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;

  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), FALSE);

  uri = g_key_file_get_string (keyfile, group, "URI", error);
  if (uri == NULL)
    return FALSE;
  spec = sb_session_spec_parse (uri, error);
  if (spec == NULL)
    return FALSE;

  encoding = g_key_file_get_string (keyfile, group, "encoding", NULL);
  if (encoding != NULL && sb_codec_canonical_name (encoding) == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The encoding “%s” is not supported"), encoding);
      return FALSE;
    }
  if (!sb_auto_reply_load (self->auto_reply, keyfile, group, error))
    {
      rebuild_rules_list (self);
      return FALSE;
    }
  rebuild_rules_list (self);

  fill_fields (self, spec);
  update_title (self);
  if (encoding != NULL)
    sb_session_page_set_encoding (self, encoding);
  mode = g_key_file_get_string (keyfile, group, "view-mode", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (view_mode_names); i++)
    if (g_strcmp0 (mode, view_mode_names[i]) == 0)
      sb_session_page_set_view_mode (self, i);
  sb_send_panel_load_state (self->send_panel, keyfile, group);
  return TRUE;
}

/* --- GtkWidget --- */

static void
sb_session_page_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_session_page_parent_class)->realize (widget);
}

static void
sb_session_page_map (GtkWidget *widget)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);

  GTK_WIDGET_CLASS (sb_session_page_parent_class)->map (widget);
  update_counters (self);
  if (self->counters_source == 0)
    self->counters_source = g_timeout_add (100, counters_tick_cb, self);
}

static void
sb_session_page_unmap (GtkWidget *widget)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);

  g_clear_handle_id (&self->counters_source, g_source_remove);
  GTK_WIDGET_CLASS (sb_session_page_parent_class)->unmap (widget);
}

static void
main_paned_max_position_cb (SbSessionPage *self)
{
  GtkWidget *scroller = gtk_paned_get_end_child (self->main_paned);
  int width = gtk_widget_get_width (GTK_WIDGET (self->main_paned));
  int min = 0, max = 0, scroller_min = 0, panel_min = 0;

  g_object_get (self->main_paned, "min-position", &min, "max-position", &max, NULL);

  /* The send panel scrolls, so GtkPaned would give it no more than a
   * scroller's minimum: give it all it needs, once, as far as the
   * history's minimum allows. Below that it scrolls. */
  if (self->main_positioned || max <= 0 || width <= 0)
    return;
  self->main_positioned = TRUE;
  gtk_widget_measure (scroller, GTK_ORIENTATION_VERTICAL, width, &scroller_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->send_panel), GTK_ORIENTATION_VERTICAL, width, &panel_min, NULL, NULL, NULL);
  gtk_paned_set_position (self->main_paned, CLAMP (max + scroller_min - panel_min, min, max));
}

/* --- GObject --- */

static void
encoding_notify_cb (SbSessionPage *self)
{
  sb_send_panel_set_view_encoding (self->send_panel, sb_history_view_get_encoding (self->history_view));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

static void
view_mode_notify_cb (SbSessionPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

static void
sb_session_page_dispose (GObject *object)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->counters_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_queue_clear_full (&self->record_queue, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->record_stream);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      sb_session_stop (self->session);
      g_clear_object (&self->session);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SESSION_PAGE);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sb_session_page_parent_class)->dispose (object);
}

static void
sb_session_page_finalize (GObject *object)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);

  g_clear_pointer (&self->initial_spec, sb_session_spec_free);
  g_clear_pointer (&self->auto_reply, sb_auto_reply_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sb_session_page_parent_class)->finalize (object);
}

static void
sb_session_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, sb_session_page_get_encoding (self));
      break;
    case PROP_VIEW_MODE:
      g_value_set_enum (value, sb_session_page_get_view_mode (self));
      break;
    case PROP_SPEC:
      g_value_take_boxed (value, sb_session_page_dup_spec (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_session_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENCODING:
      sb_session_page_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_VIEW_MODE:
      sb_session_page_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_SPEC:
      set_spec (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_session_page_class_init (SbSessionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_session_page_dispose;
  object_class->finalize = sb_session_page_finalize;
  object_class->get_property = sb_session_page_get_property;
  object_class->set_property = sb_session_page_set_property;
  widget_class->realize = sb_session_page_realize;
  widget_class->map = sb_session_page_map;
  widget_class->unmap = sb_session_page_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, "UTF-8",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, SB_TYPE_VIEW_MODE, SB_VIEW_MODE_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL, SB_TYPE_SESSION_SPEC,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_HISTORY_VIEW);
  g_type_ensure (SB_TYPE_SEND_PANEL);
  g_type_ensure (SB_TYPE_PEERS_VIEW);
  g_type_ensure (SB_TYPE_TEACHING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-session-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, setup_bar);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, local_group);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, local_host_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, local_port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, remote_group);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, remote_host_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, remote_port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, path_group);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, path_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, bind_path_group);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, bind_path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, message_bar);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, side_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, main_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, history_view);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, teaching_panel);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, teaching_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, send_panel);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, peers_view);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, counters_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, rules_list);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, trigger_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, pattern_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, reply_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, rule_encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, reply_hex_check);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, close_after_check);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, rule_error_label);
  gtk_widget_class_bind_template_callback (widget_class, record_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, main_paned_max_position_cb);

  gtk_widget_class_install_action (widget_class, "page.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "page.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "page.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "page.export-to", "(ss)", export_to_action);
  gtk_widget_class_install_action (widget_class, "page.send-file-path", "s", send_file_path_action);
  gtk_widget_class_install_action (widget_class, "page.dismiss-message", NULL, dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "page.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "page.rule-template", "s", rule_template_action);
  _sb_session_page_class_init_python (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "page.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_SHIFT_MASK, "page.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "page.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "page.send", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-session-page");
}

static void
sb_session_page_init (SbSessionPage *self)
{
  g_autoptr(GtkStringList) encodings = gtk_string_list_new (NULL);
  const SbEncodingInfo *info;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->auto_reply = sb_auto_reply_new ();
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->record_queue);

  for (guint i = 0; (info = rule_encoding_at (i)) != NULL; i++)
    gtk_string_list_append (encodings, info->name);
  gtk_drop_down_set_model (self->rule_encoding_dropdown, G_LIST_MODEL (encodings));

  g_signal_connect_swapped (self->kind_dropdown, "notify::selected", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->local_host_entry, "changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->local_port_spin, "value-changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->remote_host_entry, "changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->remote_port_spin, "value-changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->path_entry, "changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->bind_path_entry, "changed", G_CALLBACK (fields_changed_cb), self);
  g_signal_connect_swapped (self->local_host_entry, "activate", G_CALLBACK (sb_session_page_start), self);
  g_signal_connect_swapped (self->remote_host_entry, "activate", G_CALLBACK (sb_session_page_start), self);
  g_signal_connect_swapped (self->path_entry, "activate", G_CALLBACK (sb_session_page_start), self);

  g_signal_connect_object (self->history_view, "notify::encoding", G_CALLBACK (encoding_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history_view, "notify::view-mode", G_CALLBACK (view_mode_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->peers_view, "send-to-peer", G_CALLBACK (send_to_peer_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->peers_view, "notify::selected-peer", G_CALLBACK (selected_peer_cb), self, G_CONNECT_SWAPPED);

  sb_send_panel_set_view_encoding (self->send_panel, sb_history_view_get_encoding (self->history_view));
  sb_teaching_panel_set_history_view (self->teaching_panel, self->history_view);
  rebuild_rules_list (self);
  update_state (self);
  update_counters (self);
}
