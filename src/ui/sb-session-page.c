/* sb-session-page.c — one session in a tab: setup bar, history, send panel, peers
 *
 * The page owns its session and shows its SbSessionSetup, which is what a
 * preset saves. Start with the setup bar unchanged restarts the same
 * session (and keeps its history); Start after the kind or an address
 * changed makes a new session, and so a new, empty history, after asking
 * when the old history holds data. The setup's
 * responder answers on the session, and an SbCapture writes what it receives.
 *
 * Window thread only. The other parts of the page: -setup.c (the setup bar),
 * -actions.c (actions, export, receive to file), -rules.c (auto-reply pane),
 * -python.c ("Export as Python…").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sb-session-page-private.h"
#include "sb-sessions.h"
#include "sb-stream-client.h"
#include "sb-wrap-bin.h"


enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_ENCODING,
  PROP_VIEW_MODE,
  PROP_SPEC,
  PROP_SETUP,
  PROP_FRAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbSessionPage, sb_session_page, GTK_TYPE_WIDGET)

static void update_state (SbSessionPage *self);

GtkWindow *
_sb_session_page_parent_window (SbSessionPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Writes @spec to the setup without filling the fields back from it. */
static void
sync_spec (SbSessionPage       *self,
           const SbSessionSpec *spec)
{
  self->syncing_setup = TRUE;
  sb_session_setup_set_spec (self->setup, spec);
  self->syncing_setup = FALSE;
}

/* --- Title --- */

void
_sb_session_page_update_title (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = sb_session_page_dup_spec (self);
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  g_autofree char *target = NULL;
  GSocketAddress *local = self->session ? sb_session_get_local_address (self->session) : NULL;

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_TLS_CLIENT:
    case SB_KIND_DTLS_CLIENT:
      where = sb_address_format_host_port (spec->host ? spec->host : "", spec->port);
      break;
    case SB_KIND_TCP_SERVER:
    case SB_KIND_TLS_SERVER:
    case SB_KIND_DTLS_SERVER:
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
    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
    case SB_KIND_RELAY_TLS:
      target = sb_address_format_host_port (spec->host ? spec->host : "", spec->port);
      where = g_strdup_printf (":%u → %s", local != NULL && G_IS_INET_SOCKET_ADDRESS (local)
                               ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : spec->bind_port, target);
      break;
    case SB_KIND_RELAY_UNIX:
      where = g_strdup_printf ("%s → %s", spec->bind_path ? spec->bind_path : "", spec->path ? spec->path : "");
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
  title = g_strdup_printf (C_("tab title", "%s %s"), _sb_session_page_kind_label (spec->kind), where);
  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
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
  SbKind kind;

  kind = self->session ? sb_session_get_kind (self->session) : SB_KIND_TCP_CLIENT;
  /* A datagram socket has no connection: it is ready, bound to an address. */
  if (!sb_kind_is_stream (kind) &&
      (state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_LISTENING))
    {
      if (local != NULL && kind != SB_KIND_ICMP)
        {
          g_autofree char *address = sb_address_to_string (local);
          /* Translators: state of a UDP or UNIX datagram socket, “Bound to 127.0.0.1:43127” */
          text = g_strdup_printf (_("Ready · bound to %s"), address);
        }
      else
        /* Translators: state of a datagram socket (UDP, ping): it has no connection */
        text = g_strdup (C_("datagram state", "Ready"));
    }
  else if (state == SB_SESSION_STATE_LISTENING && local != NULL)
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
  _sb_session_page_update_title (self);
}

/* --- Counters (sb-session-page-counters.c) --- */

/* The counters follow the history's announcements, so a flood updates
 * them in the same frame as the rows and at their pace (the history
 * announces at most every 50 ms); a tick once a second lets the rates fall
 * to zero when the traffic stops. */
/* A poll this soon after an update adds nothing. */
#define POLL_SKIP_US (900 * 1000)

static gboolean
counters_tick_cb (gpointer user_data)
{
  SbSessionPage *self = user_data;

  /* In a flood the history's announcements update them several times a
   * second already; another frame of the whole window for this is waste. */
  if (g_get_monotonic_time () - self->counters_time >= POLL_SKIP_US)
    _sb_session_page_update_counters (self);
  return G_SOURCE_CONTINUE;
}

static void
history_items_changed_cb (SbSessionPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _sb_session_page_update_counters (self);
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

/* A client page's "Reconnect" goes to its session. */
static void
reconnect_toggled_cb (SbSessionPage *self)
{
  if (self->session != NULL && SB_IS_STREAM_CLIENT (self->session))
    sb_stream_client_set_reconnect (SB_STREAM_CLIENT (self->session),
                                    gtk_check_button_get_active (self->reconnect_check));
}

static void
replace_session (SbSessionPage *self,
                 SbSession     *session)
{
  gboolean had_session = self->session != NULL;

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_func (sb_session_get_history (self->session),
                                            history_items_changed_cb, self);
      sb_session_stop (self->session);
    }
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (sb_session_get_history (session), "items-changed",
                               G_CALLBACK (history_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::state", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::error", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::local-address", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
    }

  /* The setup's rules answer, and the capture records, on this session. */
  sb_responder_set_session (sb_session_setup_get_responder (self->setup), session);
  sb_capture_set_session (self->capture, session);
  _sb_session_page_replay_session_replaced (self);
  sb_history_view_set_history (self->history_view, session ? sb_session_get_history (session) : NULL);
  sb_send_panel_set_session (self->send_panel, session);
  if (self->relay_panel != NULL)
    sb_relay_panel_set_session (self->relay_panel, session);
  sb_peers_view_set_session (self->peers_view, session);
  if (self->teaching_panel != NULL)
    sb_teaching_panel_set_session (self->teaching_panel, session);
  if (self->scenario_pane != NULL)
    sb_scenario_pane_set_session (self->scenario_pane, session);
  _sb_session_page_update_frames (self);
  reconnect_toggled_cb (self);
  _sb_session_page_rules_session_replaced (self, had_session && session != NULL);
  self->rate_time = 0;
  self->rx_rate = self->tx_rate = 0;
  memset (&self->counters_base, 0, sizeof self->counters_base);
  _sb_session_page_update_counters (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* Starts @spec: the same session again (its history continues), or a new
 * session with a new, empty history. */
static void
start_spec (SbSessionPage       *self,
            const SbSessionSpec *spec)
{
  if (self->session == NULL || !sb_session_spec_equal (sb_session_get_spec (self->session), spec))
    {
      /* The setup's spec: it carries what the fields do not show (the
       * certificate a self-signed server keeps). */
      g_autoptr(SbSession) session = NULL;

      sync_spec (self, spec);
      session = sb_session_new (sb_session_setup_get_spec (self->setup));
      replace_session (self, session);
    }
  else if (sb_session_is_running (self->session))
    return;

  sync_spec (self, spec);
  _sb_session_page_resume_capture (self);
  sb_session_start (self->session);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

static void
replace_response_cb (GtkDialog     *dialog,
                     int            response,
                     SbSessionPage *self)
{
  SbSessionSpec *spec = g_object_get_data (G_OBJECT (dialog), "spec");
  g_autoptr(SbSessionSpec) copy = spec ? sb_session_spec_copy (spec) : NULL;

  self->replace_dialog = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT && copy != NULL)
    start_spec (self, copy);
}

/* A new address means a new session and a new history: the records of
 * the old one are only dropped when the person says so (issue 19, 4). */
static void
confirm_replace (SbSessionPage       *self,
                 const SbSessionSpec *spec)
{
  SbHistory *history = sb_session_get_history (self->session);
  guint n = sb_history_get_n_records (history);
  GtkWidget *dialog;
  GtkWidget *button;

  if (self->replace_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->replace_dialog)));

  dialog = gtk_message_dialog_new (_sb_session_page_parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                   _("Start a new session and clear the history?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            ngettext ("The address changed, so Start makes a new session with an empty history. The %u record of this page is not kept: export it first, or open the new address in a new tab.",
                                                      "The address changed, so Start makes a new session with an empty history. The %u records of this page are not kept: export them first, or open the new address in a new tab.",
                                                      n),
                                            n);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  /* Translators: a button beside “_Cancel”: give it another access key */
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("Clear _History and Start"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "spec", sb_session_spec_copy (spec),
                          (GDestroyNotify) sb_session_spec_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  self->replace_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
_sb_session_page_get_replace_dialog (SbSessionPage *self)
{
  return self->replace_dialog;
}

/* Sent or received bytes, not only events such as "Listening". */
static gboolean
history_holds_data (SbSession *session)
{
  SbCounters c = { 0, };

  sb_session_get_counters (session, &c);
  return c.rx_bytes > 0 || c.tx_bytes > 0;
}

/* Reads the fields; NULL (the error shown) when they make no session. */
static SbSessionSpec *
spec_to_start (SbSessionPage *self)
{
  g_autoptr(GError) error = NULL;
  SbSessionSpec *spec = _sb_session_page_spec_from_fields (self, &error);

  if (spec == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  return spec;
}

void
sb_session_page_start (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = NULL;

  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  if ((spec = spec_to_start (self)) != NULL)
    start_spec (self, spec);
}

void
_sb_session_page_request_start (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = NULL;

  if ((spec = spec_to_start (self)) == NULL)
    return;
  /* Data in the history of another address: ask before it goes. */
  if (self->session != NULL && !sb_session_is_running (self->session) &&
      !sb_session_spec_equal (sb_session_get_spec (self->session), spec) &&
      history_holds_data (self->session))
    {
      confirm_replace (self, spec);
      return;
    }
  start_spec (self, spec);
}

void
sb_session_page_stop (SbSessionPage *self)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  if (self->session != NULL)
    sb_session_stop (self->session);
  update_state (self);
}

void
_sb_session_page_notify_frames (SbSessionPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES]);
}

/* --- Public --- */

SbSessionPage *
sb_session_page_new (const SbSessionSpec *spec)
{
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (spec);

  return sb_session_page_new_for_setup (setup);
}

SbSessionPage *
sb_session_page_new_for_setup (SbSessionSetup *setup)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (setup), NULL);

  return g_object_new (SB_TYPE_SESSION_PAGE, "setup", setup, NULL);
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
  return sb_session_setup_get_encoding (self->setup);
}

void
sb_session_page_set_encoding (SbSessionPage *self,
                              const char    *encoding)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  sb_session_setup_set_encoding (self->setup, encoding);
}

SbViewMode
sb_session_page_get_view_mode (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), SB_VIEW_MODE_TEXT);
  return sb_session_setup_get_view_mode (self->setup);
}

void
sb_session_page_set_view_mode (SbSessionPage *self,
                               SbViewMode     mode)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  sb_session_setup_set_view_mode (self->setup, mode);
}

SbSessionSpec *
sb_session_page_dup_spec (SbSessionPage *self)
{
  SbSessionSpec *spec;

  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);

  if (self->session != NULL && sb_session_is_running (self->session))
    return sb_session_spec_copy (sb_session_get_spec (self->session));
  spec = _sb_session_page_spec_from_fields (self, NULL);
  if (spec == NULL)
    spec = self->session ? sb_session_spec_copy (sb_session_get_spec (self->session)) :
           sb_session_spec_copy (sb_session_setup_get_spec (self->setup));
  return spec;
}

SbSessionSetup *
sb_session_page_get_setup (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = NULL;

  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);

  /* The spec is read when asked for, not on each key press; the send
   * panel is bound to the setup and keeps it current. */
  spec = sb_session_page_dup_spec (self);
  sync_spec (self, spec);

  return self->setup;
}

gboolean
sb_session_page_add_auto_reply_rule (SbSessionPage         *self,
                                     const SbAutoReplyRule *rule,
                                     GError               **error)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  return sb_responder_add_rule (sb_session_setup_get_responder (self->setup), rule, error);
}

SbAutoReply *
sb_session_page_get_auto_reply (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return sb_responder_get_auto_reply (sb_session_setup_get_responder (self->setup));
}

void
sb_session_page_show_teaching (SbSessionPage *self,
                               const char    *view)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  g_return_if_fail (view != NULL);

  sb_teaching_panel_set_visible_view (_sb_session_page_ensure_teaching_panel (self), view);
  gtk_toggle_button_set_active (self->teaching_button, TRUE);
  /* In their own window, the views come to the front. */
  if (sb_teaching_panel_get_window (self->teaching_panel) != NULL)
    gtk_window_present (sb_teaching_panel_get_window (self->teaching_panel));
}

void
sb_session_page_show_message (SbSessionPage *self,
                              const char    *message)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  /* Late async results may arrive after dispose. */
  if (self->message_label != NULL)
    {
      gtk_label_set_text (self->message_label, message ? message : "");
      gtk_widget_set_visible (self->message_bar, message != NULL);
    }
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
  _sb_session_page_update_counters (self);
  if (self->counters_source == 0)
    self->counters_source = g_timeout_add_seconds (1, counters_tick_cb, self);
}

static void
sb_session_page_unmap (GtkWidget *widget)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);

  g_clear_handle_id (&self->counters_source, g_source_remove);
  GTK_WIDGET_CLASS (sb_session_page_parent_class)->unmap (widget);
}

/* --- GObject --- */

static void
encoding_notify_cb (SbSessionPage *self)
{
  sb_send_panel_set_view_encoding (self->send_panel, sb_session_setup_get_encoding (self->setup));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

static void
view_mode_notify_cb (SbSessionPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

/* What the setup bar says goes to the setup as soon as it is a valid spec;
 * a running session's spec stays until it stops. */
static void
fields_to_setup_cb (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = NULL;

  if (self->setup == NULL || self->syncing_setup ||
      (self->session != NULL && sb_session_is_running (self->session)))
    return;
  if ((spec = _sb_session_page_spec_from_fields (self, NULL)) != NULL)
    sync_spec (self, spec);
}

static void
setup_spec_cb (SbSessionPage *self)
{
  g_autoptr(SbSessionSpec) spec = NULL;

  if (self->syncing_setup)
    return;
  /* Filling the fields one by one must not write half-filled specs back. */
  spec = sb_session_spec_copy (sb_session_setup_get_spec (self->setup));
  self->syncing_setup = TRUE;
  _sb_session_page_fill_fields (self, spec);
  self->syncing_setup = FALSE;
  _sb_session_page_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
}

static void
sb_session_page_constructed (GObject *object)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);

  G_OBJECT_CLASS (sb_session_page_parent_class)->constructed (object);

  if (self->setup == NULL)
    self->setup = sb_session_setup_new (NULL);

  /* The page shows its setup, and what the person changes goes back to it. */
  g_object_bind_property (self->setup, "encoding", self->history_view, "encoding",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->setup, "view-mode", self->history_view, "view-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* Reconnect is kept in the setup (and so in presets); toggled applies it. */
  g_object_bind_property (self->setup, "reconnect", self->reconnect_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->setup, "notify::encoding", G_CALLBACK (encoding_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->setup, "notify::view-mode", G_CALLBACK (view_mode_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->setup, "notify::spec", G_CALLBACK (setup_spec_cb), self, G_CONNECT_SWAPPED);
  _sb_session_page_init_scenario (self);

  sb_send_panel_bind_setup (self->send_panel, self->setup);
  sb_send_panel_set_view_encoding (self->send_panel, sb_session_setup_get_encoding (self->setup));

  _sb_session_page_fill_fields (self, sb_session_setup_get_spec (self->setup));
  _sb_session_page_update_title (self);
  _sb_session_page_init_rules (self);
  _sb_session_page_init_framing (self);

  g_signal_connect_swapped (self->spec_editor, "changed", G_CALLBACK (fields_to_setup_cb), self);
  update_state (self);
  _sb_session_page_update_counters (self);
}

static void
sb_session_page_dispose (GObject *object)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->counters_source, g_source_remove);
  g_clear_handle_id (&self->reposition_source, g_source_remove);
  if (self->replace_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->replace_dialog)));
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->capture != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->capture, self);
      sb_capture_stop (self->capture);
      sb_capture_set_session (self->capture, NULL);
    }
  if (self->setup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->setup, self);
      g_signal_handlers_disconnect_by_data (sb_session_setup_get_responder (self->setup), self);
      sb_responder_set_session (sb_session_setup_get_responder (self->setup), NULL);
    }

  sb_session_page_set_replay (self, NULL);
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
  /* The parts made on first use went with their parents (a detached
   * teaching panel with its window); the last references are ours. */
  g_clear_object (&self->teaching_panel);
  g_clear_object (&self->scenario_pane);
  g_clear_object (&self->relay_panel);
  _sb_session_page_dispose_rules (self);

  G_OBJECT_CLASS (sb_session_page_parent_class)->dispose (object);
}

static void
sb_session_page_finalize (GObject *object)
{
  SbSessionPage *self = SB_SESSION_PAGE (object);

  g_clear_object (&self->setup);
  g_clear_object (&self->frames);
  g_clear_object (&self->capture);
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
    case PROP_SETUP:
      g_value_set_object (value, self->setup);
      break;
    case PROP_FRAMES:
      g_value_set_object (value, self->frames);
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
      if (g_value_get_boxed (value) != NULL)
        sb_session_setup_set_spec (self->setup, g_value_get_boxed (value));
      break;
    case PROP_SETUP:
      g_set_object (&self->setup, g_value_get_object (value));
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

  object_class->constructed = sb_session_page_constructed;
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
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL, SB_TYPE_SESSION_SETUP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The session's history through the setup's framer (SbFrames), NULL
   * without a session; a new one when the session is replaced. */
  properties[PROP_FRAMES] =
    g_param_spec_object ("frames", NULL, NULL, SB_TYPE_FRAMES,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_HISTORY_VIEW);
  g_type_ensure (SB_TYPE_SEND_PANEL);
  g_type_ensure (SB_TYPE_PEERS_VIEW);
  g_type_ensure (SB_TYPE_SPEC_EDITOR);
  g_type_ensure (SB_TYPE_WRAP_BIN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-session-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, setup_bar);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, spec_editor);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, capture_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, message_bar);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, side_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, main_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, history_view);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, teaching_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, framing_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, setup_toggle);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, send_toggle);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, send_scroller);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, teaching_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, scenario_button);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, scenario_paned);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, reconnect_check);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, send_panel);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, peers_view);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, counters_label);
  gtk_widget_class_bind_template_child (widget_class, SbSessionPage, auto_reply_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "record_toggled_cb",
                                                G_CALLBACK (_sb_session_page_record_toggled_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "main_paned_max_position_cb",
                                                G_CALLBACK (_sb_session_page_main_paned_max_position_cb));

  _sb_session_page_class_init_actions (widget_class);
  _sb_session_page_class_init_rules (widget_class);
  _sb_session_page_class_init_python (widget_class);
  _sb_session_page_class_init_pcapng (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-session-page");
}

static void
sb_session_page_init (SbSessionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->cancellable = g_cancellable_new ();
  self->editing_rule = -1;
  _sb_session_page_init_capture (self);

  g_signal_connect_swapped (self->spec_editor, "changed", G_CALLBACK (_sb_session_page_fields_changed_cb), self);
  g_signal_connect_swapped (self->spec_editor, "activate", G_CALLBACK (_sb_session_page_request_start), self);
  g_signal_connect_swapped (self->reconnect_check, "toggled", G_CALLBACK (reconnect_toggled_cb), self);

  /* Clicking a peer shows only its records in the history. */
  sb_peers_view_set_history_view (self->peers_view, self->history_view);
  g_signal_connect_object (self->peers_view, "send-to-peer", G_CALLBACK (send_to_peer_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->peers_view, "notify::selected-peer", G_CALLBACK (selected_peer_cb), self, G_CONNECT_SWAPPED);

  _sb_session_page_init_layout (self);
}
