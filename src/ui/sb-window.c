/* sb-window.c — the workbench window: one tab per session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-examples-window.h"
#include "sb-new-session-dialog.h"
#include "sb-preset.h"
#include "sb-window.h"

#define DEFAULT_URI   "tcp-listen://127.0.0.1:8080"
#define MAX_RECENT    10
#define SEND_TEXT_KEY "sb-window-send-text"
#define SENT_KEY      "sb-window-sent"

struct _SbWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkMenuButton *menu_button;
  GtkRevealer  *banner_revealer;
  GtkLabel     *banner_label;
  GtkStack     *stack;
  GtkNotebook  *notebook;
  GtkWidget    *empty_new_button;

  /* Owned */
  GSettings    *settings;
  GCancellable *cancellable;   /* preset I/O; cancelled when the window goes */

  /* Borrowed */
  GtkWidget    *confirm_dialog;   /* "Stop the session and close?", while shown */

  /* State */
  gboolean      close_confirmed;  /* the user said Close: do not ask again */
};

G_DEFINE_FINAL_TYPE (SbWindow, sb_window, GTK_TYPE_APPLICATION_WINDOW)

static const char * const view_mode_names[] = { "text", "hex", "both" };

static SbApplication *
get_app (SbWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return SB_IS_APPLICATION (app) ? SB_APPLICATION (app) : NULL;
}

void
sb_window_show_error (SbWindow   *self,
                      const char *message)
{
  g_return_if_fail (SB_IS_WINDOW (self));

  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/* Sending --send text */

static void
send_text (SbSessionPage *page,
           SbSession     *session,
           SbPeer        *peer)
{
  const char *text = g_object_get_data (G_OBJECT (page), SEND_TEXT_KEY);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  if (text == NULL)
    return;

  bytes = sb_codec_encode_escaped (sb_session_page_get_encoding (page), text, -1, NULL, &error);
  if (bytes != NULL)
    sb_session_send (session, peer, bytes, &error);

  root = gtk_widget_get_root (GTK_WIDGET (page));
  if (error != NULL && SB_IS_WINDOW (root))
    sb_window_show_error (SB_WINDOW (root), error->message);
}

static void
on_send_state (SbSession     *session,
               GParamSpec    *pspec,
               SbSessionPage *page)
{
  if (sb_session_get_state (session) != SB_SESSION_STATE_CONNECTED ||
      g_object_get_data (G_OBJECT (session), SENT_KEY) != NULL)
    return;

  g_object_set_data (G_OBJECT (session), SENT_KEY, GINT_TO_POINTER (TRUE));
  send_text (page, session, NULL);
}

static void
on_send_peer_connected (SbSession     *session,
                        SbPeer        *peer,
                        SbSessionPage *page)
{
  send_text (page, session, peer);
}

/* Settings the page does not know about, applied to each new session. */
static void
on_page_session (SbSessionPage *page,
                 GParamSpec    *pspec,
                 SbWindow      *self)
{
  SbSession *session = sb_session_page_get_session (page);
  guint max_records;
  guint max_mib;

  if (session == NULL || self->settings == NULL)
    return;

  max_records = g_settings_get_uint (self->settings, "history-max-records");
  max_mib = g_settings_get_uint (self->settings, "history-max-mib");

  sb_history_set_limits (sb_session_get_history (session),
                         max_records, (gsize) max_mib * 1024 * 1024);
  sb_session_set_timeout (session, g_settings_get_uint (self->settings, "connect-timeout"));

  if (g_object_get_data (G_OBJECT (page), SEND_TEXT_KEY) != NULL &&
      g_object_get_data (G_OBJECT (session), SEND_TEXT_KEY) == NULL)
    {
      /* Mark the session so a second notify does not connect twice. */
      g_object_set_data (G_OBJECT (session), SEND_TEXT_KEY, GINT_TO_POINTER (TRUE));

      if (sb_kind_is_server (sb_session_get_kind (session)))
        g_signal_connect_object (session, "peer-connected",
                                 G_CALLBACK (on_send_peer_connected), page, 0);
      else
        {
          g_signal_connect_object (session, "notify::state",
                                   G_CALLBACK (on_send_state), page, 0);
          on_send_state (session, NULL, page);
        }
    }
}

/* The last encoding and view the user picked become the defaults. */
static void
on_page_encoding (SbSessionPage *page,
                  GParamSpec    *pspec,
                  SbWindow      *self)
{
  const char *encoding = sb_session_page_get_encoding (page);

  if (self->settings != NULL && encoding != NULL)
    g_settings_set_string (self->settings, "encoding", encoding);
}

static void
on_page_view_mode (SbSessionPage *page,
                   GParamSpec    *pspec,
                   SbWindow      *self)
{
  SbViewMode mode = sb_session_page_get_view_mode (page);

  if (self->settings != NULL && (guint) mode < G_N_ELEMENTS (view_mode_names))
    g_settings_set_string (self->settings, "view-mode", view_mode_names[mode]);
}

static void
remember_uri (SbWindow            *self,
              const SbSessionSpec *spec)
{
  g_autofree char *uri = sb_session_spec_to_uri (spec);
  g_auto(GStrv) recent = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "last-uri", uri);

  recent = g_settings_get_strv (self->settings, "recent-uris");
  g_strv_builder_add (builder, uri);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    {
      if (!g_str_equal (recent[i], uri))
        {
          g_strv_builder_add (builder, recent[i]);
          n++;
        }
    }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-uris", (const char * const *) updated);
}

/* Tabs */

/* Closing a running session asks first */

static gboolean
page_is_running (SbSessionPage *page)
{
  SbSession *session = sb_session_page_get_session (page);

  return session != NULL && sb_session_is_running (session);
}

static void
on_confirm_destroy (SbWindow *self)
{
  self->confirm_dialog = NULL;
}

static void
on_confirm_response (GtkDialog *dialog,
                     int        response,
                     SbWindow  *self)
{
  SbSessionPage *data = g_object_get_data (G_OBJECT (dialog), "page");
  g_autoptr(SbSessionPage) page = data ? g_object_ref (data) : NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;

  if (page != NULL)
    sb_window_close_page (self, page);
  else
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

/* Asks whether to stop @page's session (or, for NULL, the window's
 * @n_running sessions) and close. */
static void
confirm_close (SbWindow      *self,
               SbSessionPage *page,
               guint          n_running)
{
  GtkWidget *dialog;
  GtkWidget *close_button;
  g_autofree char *detail = NULL;
  guint n = page != NULL ? 1 : n_running;

  if (self->confirm_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->confirm_dialog));
      return;
    }

  if (page != NULL)
    /* Translators: %s is a tab title, “TCP server :8080” */
    detail = g_strdup_printf (_("“%s” is still running. Closing stops it, and its history is not kept."),
                              sb_session_page_get_title (page));
  else
    detail = g_strdup_printf (ngettext ("%u session is still running. Closing the window stops it, and its history is not kept.",
                                        "%u sessions are still running. Closing the window stops them, and their history is not kept.",
                                        n_running),
                              n_running);

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                   ngettext ("Stop the session and close?",
                                             "Stop the sessions and close?", n));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  close_button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Close"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (close_button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);

  if (page != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "page", g_object_ref (page), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_confirm_destroy), self, G_CONNECT_SWAPPED);
  self->confirm_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Closes @page's tab, after asking if its session is running. */
static void
request_close_page (SbWindow      *self,
                    SbSessionPage *page)
{
  if (page_is_running (page))
    confirm_close (self, page, 1);
  else
    sb_window_close_page (self, page);
}

static void
on_tab_close_clicked (GtkButton     *button,
                      SbSessionPage *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  if (SB_IS_WINDOW (root))
    request_close_page (SB_WINDOW (root), page);
}

/* Tabs in a scrollable notebook get their minimum width: make that the
 * whole title, up to a limit, so short titles are never cut. */
static gboolean
title_to_width_chars (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  const char *title = g_value_get_string (from);
  int width = 0;

  /* Chinese characters take two columns. */
  for (const char *p = title; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  g_value_set_int (to, CLAMP (width, 4, 28));
  return TRUE;
}

static GtkWidget *
make_tab_label (SbSessionPage *page)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  g_object_bind_property_full (page, "title", label, "width-chars", G_BINDING_SYNC_CREATE,
                               title_to_width_chars, NULL, NULL, NULL);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", box, "tooltip-text", G_BINDING_SYNC_CREATE);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "sb-tab-close");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_tooltip_text (button, _("Close Tab (Ctrl+W)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close tab"),
                                  -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_tab_close_clicked), page, 0);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);

  return box;
}

static void
update_state (SbWindow *self)
{
  int n_pages = gtk_notebook_get_n_pages (self->notebook);

  gtk_stack_set_visible_child_name (self->stack, n_pages > 0 ? "sessions" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.force-close-tab", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-preset", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-preset", n_pages > 0);
  gtk_notebook_set_show_tabs (self->notebook, n_pages > 0);
}

static void
on_notebook_pages_changed (SbWindow *self)
{
  /* The notebook removes its pages while the window is disposed. */
  if (self->notebook == NULL)
    return;

  update_state (self);
}

static void
on_notebook_switch_page (SbWindow  *self,
                         GtkWidget *page,
                         guint      page_num)
{
}

static SbViewMode
settings_view_mode (SbWindow *self)
{
  g_autofree char *name = NULL;

  if (self->settings == NULL)
    return SB_VIEW_MODE_TEXT;

  name = g_settings_get_string (self->settings, "view-mode");
  for (guint i = 0; i < G_N_ELEMENTS (view_mode_names); i++)
    {
      if (g_str_equal (name, view_mode_names[i]))
        return (SbViewMode) i;
    }

  return SB_VIEW_MODE_TEXT;
}

static SbSessionPage *
add_page (SbWindow      *self,
          SbSessionPage *page,
          const char    *encoding,
          int            view_mode)
{
  g_autofree char *default_encoding = NULL;
  int num;

  if (encoding == NULL && get_app (self) != NULL)
    encoding = default_encoding = sb_application_dup_encoding (get_app (self));
  if (encoding != NULL)
    sb_session_page_set_encoding (page, encoding);

  sb_session_page_set_view_mode (page, view_mode >= 0 ? (SbViewMode) view_mode
                                                      : settings_view_mode (self));

  g_signal_connect_object (page, "notify::session", G_CALLBACK (on_page_session), self, 0);
  g_signal_connect_object (page, "notify::encoding", G_CALLBACK (on_page_encoding), self, 0);
  g_signal_connect_object (page, "notify::view-mode", G_CALLBACK (on_page_view_mode), self, 0);

  num = gtk_notebook_append_page (self->notebook, GTK_WIDGET (page), make_tab_label (page));
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (page), TRUE);
  gtk_notebook_set_current_page (self->notebook, num);

  return page;
}

SbSessionPage *
sb_window_open_spec (SbWindow            *self,
                     const SbSessionSpec *spec,
                     const SbOpenOptions *options)
{
  static const SbOpenOptions defaults = { NULL, -1, NULL, FALSE };
  SbSessionPage *page;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  page = sb_session_page_new (spec);
  if (options->send_text != NULL)
    g_object_set_data_full (G_OBJECT (page), SEND_TEXT_KEY,
                            g_strdup (options->send_text), g_free);

  add_page (self, page, options->encoding, options->view_mode);
  remember_uri (self, spec);

  if (options->start)
    sb_session_page_start (page);

  gtk_widget_grab_focus (GTK_WIDGET (page));

  return page;
}

SbSessionPage *
sb_window_add_default_page (SbWindow *self)
{
  g_autofree char *uri = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  if (self->settings != NULL)
    uri = g_settings_get_string (self->settings, "last-uri");

  if (uri == NULL || !(spec = sb_session_spec_parse (uri, NULL)))
    spec = sb_session_spec_parse (DEFAULT_URI, NULL);

  if (spec == NULL)
    spec = sb_session_spec_new (SB_KIND_TCP_SERVER);

  return sb_window_open_spec (self, spec, NULL);
}

guint
sb_window_get_n_pages (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), 0);

  return gtk_notebook_get_n_pages (self->notebook);
}

SbSessionPage *
sb_window_get_page (SbWindow *self,
                    guint     index)
{
  GtkWidget *page;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  page = gtk_notebook_get_nth_page (self->notebook, (int) index);

  return page != NULL ? SB_SESSION_PAGE (page) : NULL;
}

SbSessionPage *
sb_window_get_current_page (SbWindow *self)
{
  int current;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  current = gtk_notebook_get_current_page (self->notebook);

  return current >= 0 ? sb_window_get_page (self, current) : NULL;
}

void
sb_window_close_page (SbWindow      *self,
                      SbSessionPage *page)
{
  int num;

  g_return_if_fail (SB_IS_WINDOW (self));
  g_return_if_fail (SB_IS_SESSION_PAGE (page));

  num = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page));
  if (num < 0)
    return;

  sb_session_page_stop (page);
  gtk_notebook_remove_page (self->notebook, num);

  if (gtk_notebook_get_n_pages (self->notebook) == 0)
    gtk_widget_grab_focus (self->empty_new_button);
}

GKeyFile *
sb_window_save_state (SbWindow *self)
{
  g_autoptr(GKeyFile) keyfile = sb_preset_new ();
  guint n;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  n = sb_window_get_n_pages (self);
  for (guint i = 0; i < n; i++)
    {
      /* Not translated: group names are part of the file format. */
      g_autofree char *group = g_strdup_printf ("Page %u", i + 1);

      sb_session_page_save_state (sb_window_get_page (self, i), keyfile, group);
    }

  return g_steal_pointer (&keyfile);
}

guint
sb_window_load_state (SbWindow  *self,
                      GKeyFile  *keyfile,
                      GError   **error)
{
  g_auto(GStrv) groups = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  guint n_opened = 0;

  g_return_val_if_fail (SB_IS_WINDOW (self), 0);
  g_return_val_if_fail (keyfile != NULL, 0);

  if (!sb_preset_validate (keyfile, error))
    return 0;

  groups = sb_preset_get_pages (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *uri = g_key_file_get_string (keyfile, groups[i], "URI", NULL);
      g_autoptr(SbSessionSpec) spec = NULL;
      g_autoptr(GError) local_error = NULL;
      SbSessionPage *page;

      if (uri == NULL || !(spec = sb_session_spec_parse (uri, &local_error)))
        {
          g_string_append_printf (errors, "[%s] %s\n", groups[i],
                                  local_error ? local_error->message : _("No URI in this session."));
          continue;
        }

      page = sb_window_open_spec (self, spec, NULL);
      if (!sb_session_page_load_state (page, keyfile, groups[i], &local_error))
        {
          g_string_append_printf (errors, "[%s] %s\n", groups[i], local_error->message);
          sb_window_close_page (self, page);
          continue;
        }

      n_opened++;
    }

  if (errors->len > 0)
    {
      g_strchomp (errors->str);
      g_set_error (error, SB_PRESET_ERROR, SB_PRESET_ERROR_INVALID_FILE,
                   _("Some sessions of the preset could not be opened:\n%s"), errors->str);
    }

  return n_opened;
}

/* Actions */

static void
on_dialog_create (SbWindow            *self,
                  const SbSessionSpec *spec,
                  gboolean             start)
{
  SbOpenOptions options = { NULL, -1, NULL, start };

  sb_window_open_spec (self, spec, &options);
}

static void
new_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  SbNewSessionDialog *dialog = sb_new_session_dialog_new (GTK_WINDOW (self), self->settings);

  g_signal_connect_object (dialog, "create", G_CALLBACK (on_dialog_create), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  SbOpenOptions options = { NULL, -1, NULL, TRUE };

  if (!(spec = sb_session_spec_parse (g_variant_get_string (param, NULL), &error)))
    {
      sb_window_show_error (self, error->message);
      return;
    }

  sb_window_open_spec (self, spec, &options);
}

/* win.close-tab asks before it stops a running session;
 * win.force-close-tab (tests, scripts) does not. */
static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  SbSessionPage *page = sb_window_get_current_page (self);

  if (page == NULL)
    return;

  if (g_str_equal (action_name, "win.force-close-tab"))
    sb_window_close_page (self, page);
  else
    request_close_page (self, page);
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

/* Presets */

static const char *
presets_dir (SbWindow *self)
{
  static char *fallback;

  if (get_app (self) != NULL)
    return sb_application_get_presets_dir (get_app (self));

  if (fallback == NULL)
    fallback = sb_preset_get_default_dir ();
  return fallback;
}

static void
preset_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_preset_save_file_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the preset: %s"), error->message);

      sb_window_show_error (self, message);
    }
}

static void
save_preset_to_file (SbWindow *self,
                     GFile    *file)
{
  g_autoptr(GKeyFile) keyfile = sb_window_save_state (self);

  sb_preset_save_file_async (file, keyfile, self->cancellable,
                             preset_saved_cb, g_object_ref (self));
}

static void
on_save_name_activate (GtkWidget *widget)
{
  GtkWidget *dialog = GTK_WIDGET (gtk_widget_get_root (widget));
  SbWindow *self = SB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GtkLabel *error_label = g_object_get_data (G_OBJECT (dialog), "error");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!(file = sb_preset_get_file (presets_dir (self), name, &error)))
    {
      gtk_label_set_text (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (entry));
      return;
    }

  save_preset_to_file (self, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
new_small_dialog (SbWindow   *self,
                  const char *title,
                  GtkWidget **header_out)
{
  GtkWidget *dialog = gtk_window_new ();
  GtkWidget *header = gtk_header_bar_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_titlebar (GTK_WINDOW (dialog), header);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (dialog, keys);

  *header_out = header;
  return dialog;
}

static void
save_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkWidget *header;
  GtkWidget *dialog = new_small_dialog (self, _("Save Preset"), &header);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Preset _name"));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkWidget *hint = gtk_label_new (_("Saves every tab’s set-up and send texts; open it again from Presets → Open."));

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), save);
  g_signal_connect (save, "clicked", G_CALLBACK (on_save_name_activate), NULL);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_size_request (entry, 320, -1);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_widget_add_css_class (hint, "dim-label");

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  gtk_window_set_default_widget (GTK_WINDOW (dialog), save);

  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error", error_label);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The "Open Preset" list */

static void fill_preset_list (SbWindow  *self,
                              GtkWidget *dialog);

static void
preset_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;

  if (!(keyfile = sb_preset_load_file_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not open the preset: %s"), error->message);

          sb_window_show_error (self, message);
        }
      return;
    }

  sb_window_load_state (self, keyfile, &error);
  if (error != NULL)
    sb_window_show_error (self, error->message);
}

static void
on_preset_open_clicked (GtkButton *button,
                        GtkWidget *dialog)
{
  SbWindow *self = SB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autoptr(GFile) file = sb_preset_get_file (presets_dir (self), name, NULL);

  if (file != NULL)
    sb_preset_load_file_async (file, self->cancellable, preset_loaded_cb, g_object_ref (self));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
preset_deleted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) dialog = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (!g_file_delete_finish (G_FILE (object), result, &error) && SB_IS_WINDOW (parent))
    sb_window_show_error (SB_WINDOW (parent), error->message);

  if (SB_IS_WINDOW (parent) && gtk_widget_get_visible (dialog))
    fill_preset_list (SB_WINDOW (parent), dialog);
}

static void
on_preset_delete_clicked (GtkButton *button,
                          GtkWidget *dialog)
{
  SbWindow *self = SB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autoptr(GFile) file = sb_preset_get_file (presets_dir (self), name, NULL);

  if (file != NULL)
    g_file_delete_async (file, G_PRIORITY_DEFAULT, self->cancellable,
                         preset_deleted_cb, g_object_ref (dialog));
}

static GtkWidget *
make_preset_row (const char *name,
                 GtkWidget  *dialog)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *delete_label = g_strdup_printf (_("Delete preset “%s”"), name);

  gtk_widget_add_css_class (row, "sb-row");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);

  g_object_set_data_full (G_OBJECT (open), "name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (delete), "name", g_strdup (name), g_free);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete, "flat");
  gtk_widget_set_tooltip_text (delete, delete_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label,
                                  -1);
  g_signal_connect (open, "clicked", G_CALLBACK (on_preset_open_clicked), dialog);
  g_signal_connect (delete, "clicked", G_CALLBACK (on_preset_delete_clicked), dialog);

  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), open);
  gtk_box_append (GTK_BOX (row), delete);

  return row;
}

static void
presets_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sb_preset_list_finish (result, &error);
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "list");
  GtkWidget *child;

  if (list == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  if (names == NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

      if (SB_IS_WINDOW (parent) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sb_window_show_error (SB_WINDOW (parent), error->message);
      return;
    }

  for (guint i = 0; names[i] != NULL; i++)
    gtk_list_box_append (list, make_preset_row (names[i], dialog));
}

static void
fill_preset_list (SbWindow  *self,
                  GtkWidget *dialog)
{
  sb_preset_list_async (presets_dir (self), self->cancellable,
                        presets_listed_cb, g_object_ref (dialog));
}

static void
on_preset_dialog_destroy (GtkWidget *dialog)
{
  /* Callbacks still running hold a reference: tell them the list is gone. */
  g_object_set_data (G_OBJECT (dialog), "list", NULL);
}

static void
open_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkWidget *header;
  GtkWidget *dialog = new_small_dialog (self, _("Open Preset"), &header);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *placeholder = gtk_label_new (_("No presets saved yet. Use Presets → Save Current… or Import…"));

  gtk_window_set_default_size (GTK_WINDOW (dialog), 420, 360);

  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_widget_set_margin_start (placeholder, 24);
  gtk_widget_set_margin_end (placeholder, 24);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "sb-boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_widget_set_margin_top (list, 18);
  gtk_widget_set_margin_bottom (list, 18);
  gtk_widget_set_margin_start (list, 18);
  gtk_widget_set_margin_end (list, 18);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Presets"),
                                  -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_window_set_child (GTK_WINDOW (dialog), scroller);

  g_object_set_data (G_OBJECT (dialog), "list", list);
  g_signal_connect (dialog, "destroy", G_CALLBACK (on_preset_dialog_destroy), NULL);

  fill_preset_list (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import and export */

static GtkFileFilter *
preset_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Sockbench presets"));
  gtk_file_filter_add_pattern (filter, "*" SB_PRESET_SUFFIX);

  return filter;
}

typedef struct
{
  SbWindow *window;
  char     *name;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->window);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
import_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_preset_save_file_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import the preset: %s"), error->message);

          sb_window_show_error (data->window, message);
        }
      return;
    }

  /* Show it among the others. */
  gtk_widget_activate_action (GTK_WIDGET (data->window), "win.open-preset", NULL);
}

static void
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GFile) target = NULL;

  if (!(keyfile = sb_preset_load_file_finish (result, &error)) ||
      !(target = sb_preset_get_file (presets_dir (data->window), data->name, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import the preset: %s"), error->message);

          sb_window_show_error (data->window, message);
        }
      return;
    }

  sb_preset_save_file_async (target, keyfile, data->window->cancellable,
                             import_saved_cb, g_steal_pointer (&data));
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    SbWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *name = sb_preset_name_from_path (basename);
      ImportData *data;

      if (name == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” cannot be used as a preset name."), basename);

          sb_window_show_error (self, message);
        }
      else
        {
          data = g_new0 (ImportData, 1);
          data->window = g_object_ref (self);
          data->name = g_steal_pointer (&name);
          sb_preset_load_file_async (file, self->cancellable, import_loaded_cb, data);
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_preset_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = preset_filter ();

  chooser = gtk_file_chooser_native_new (_("Import Preset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    SbWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    save_preset_to_file (self, file);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_preset_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = preset_filter ();
  g_autofree char *name = g_strconcat (_("Sessions"), SB_PRESET_SUFFIX, NULL);

  chooser = gtk_file_chooser_native_new (_("Export Preset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Help → Examples */

static void
examples_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sb_examples_window_present_for (GTK_WINDOW (widget));
}

/* The window */

static gboolean
sb_window_close_request (GtkWindow *window)
{
  SbWindow *self = SB_WINDOW (window);
  guint n = sb_window_get_n_pages (self);
  guint n_running = 0;

  for (guint i = 0; i < n; i++)
    n_running += page_is_running (sb_window_get_page (self, i));

  if (n_running > 0 && !self->close_confirmed)
    {
      confirm_close (self, NULL, n_running);
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    sb_session_page_stop (sb_window_get_page (self, i));

  return GTK_WINDOW_CLASS (sb_window_parent_class)->close_request (window);
}

/* "application" is not a construct property: it is set after constructed(). */
static void
on_application_changed (SbWindow *self)
{
  SbApplication *app = get_app (self);

  if (app == NULL || self->settings != NULL)
    return;

  self->settings = g_object_ref (sb_application_get_settings (app));

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
sb_window_dispose (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);

  /* The header bar is not a bound child: GtkWindow unparents its titlebar itself. */
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sb_window_parent_class)->dispose (object);
}

static void
sb_window_class_init (SbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sb_window_dispose;

  window_class->close_request = sb_window_close_request;

  g_type_ensure (SB_TYPE_SESSION_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, notebook);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, empty_new_button);
  gtk_widget_class_bind_template_callback (widget_class, on_notebook_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_notebook_switch_page);

  gtk_widget_class_install_action (widget_class, "win.new-session", NULL, new_session_action);
  gtk_widget_class_install_action (widget_class, "win.open-uri", "s", open_uri_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.force-close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL, save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.open-preset", NULL, open_preset_action);
  gtk_widget_class_install_action (widget_class, "win.import-preset", NULL, import_preset_action);
  gtk_widget_class_install_action (widget_class, "win.export-preset", NULL, export_preset_action);
  gtk_widget_class_install_action (widget_class, "win.examples", NULL, examples_action);
}

static void
sb_window_init (SbWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);

  update_state (self);
}

SbWindow *
sb_window_new (SbApplication *application)
{
  g_return_val_if_fail (SB_IS_APPLICATION (application), NULL);

  return g_object_new (SB_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
