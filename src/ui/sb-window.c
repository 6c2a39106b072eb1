/* sb-window.c — the workbench window: one tab per session
 *
 * Window thread only. The window's actions (new session, presets, …) are
 * in sb-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-preset.h"
#include "sb-window-private.h"

#define DEFAULT_URI   "tcp-listen://127.0.0.1:8080"
#define MAX_RECENT    10

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_PRESETS_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbWindow, sb_window, GTK_TYPE_APPLICATION_WINDOW)

static const char * const view_mode_names[] = { "text", "hex", "both" };

void
sb_window_show_error (SbWindow   *self,
                      const char *message)
{
  g_return_if_fail (SB_IS_WINDOW (self));

  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
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
}

/* The last view the user picked becomes the default. The encoding does
 * not: a page's encoding drop-down changes that page only; new tabs take
 * the one in Preferences. */
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
  /* Translators: a button beside “_Cancel”: give it another access key */
  close_button = gtk_dialog_add_button (GTK_DIALOG (dialog), C_("confirm close", "_Stop and Close"),
                                        GTK_RESPONSE_ACCEPT);
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
void
_sb_window_request_close_page (SbWindow      *self,
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
    _sb_window_request_close_page (SB_WINDOW (root), page);
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

/* The empty state's icon is an SVG at its size: set it when the state is
 * first shown, so a window that opens with a tab never loads the renderer. */
static void
on_empty_state_map (SbWindow *self)
{
  if (gtk_image_get_storage_type (self->empty_icon) == GTK_IMAGE_EMPTY)
    gtk_image_set_from_icon_name (self->empty_icon, "network-wired-symbolic");
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

/* Returns the encoding of new sessions: the "encoding" setting, or when it
 * is empty the encoding the language suggests. Static. */
static const char *
default_encoding (SbWindow *self)
{
  g_autofree char *encoding = NULL;
  const char *canonical;

  if (self->settings != NULL)
    {
      encoding = g_settings_get_string (self->settings, "encoding");
      if (encoding[0] != '\0' && (canonical = sb_codec_canonical_name (encoding)) != NULL &&
          !g_str_equal (canonical, SB_ENCODING_HEX))
        return canonical;
    }

  return sb_codec_default_encoding ();
}

/* Returns a setup with this window's defaults: encoding and view mode. */
static SbSessionSetup *
new_setup (SbWindow            *self,
           const SbSessionSpec *spec)
{
  SbSessionSetup *setup = sb_session_setup_new (spec);

  sb_session_setup_set_encoding (setup, default_encoding (self));
  sb_session_setup_set_view_mode (setup, settings_view_mode (self));
  return setup;
}

static SbSessionPage *
add_page (SbWindow      *self,
          SbSessionPage *page)
{
  int num;

  g_signal_connect_object (page, "notify::session", G_CALLBACK (on_page_session), self, 0);
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
  g_autoptr(SbSessionSetup) setup = NULL;
  SbSessionPage *page;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  setup = new_setup (self, spec);
  if (options->encoding != NULL && sb_codec_canonical_name (options->encoding) != NULL)
    sb_session_setup_set_encoding (setup, options->encoding);
  if (options->view_mode >= 0)
    sb_session_setup_set_view_mode (setup, options->view_mode);
  /* --send is a rule like any other: the page's responder sends it. */
  if (options->send_text != NULL)
    {
      g_autoptr(SbAutoReplyRule) rule =
        sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, options->send_text,
                                sb_session_setup_get_encoding (setup));
      g_autoptr(GError) error = NULL;

      if (!sb_responder_add_rule (sb_session_setup_get_responder (setup), rule, &error))
        sb_window_show_error (self, error->message);
    }

  page = add_page (self, sb_session_page_new_for_setup (setup));
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
  g_autoptr(GPtrArray) setups = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);

  n = sb_window_get_n_pages (self);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (setups, g_object_ref (sb_session_page_get_setup (sb_window_get_page (self, i))));

  return sb_preset_new_from_setups (setups);
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

  /* What can be opened is; what cannot is listed. */
  groups = sb_preset_get_pages (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(SbSessionSetup) setup = new_setup (self, NULL);
      g_autoptr(GError) local_error = NULL;

      if (!sb_session_setup_load (setup, keyfile, groups[i], &local_error))
        {
          g_string_append_printf (errors, "%s\n", local_error->message);
          continue;
        }

      add_page (self, sb_session_page_new_for_setup (setup));
      remember_uri (self, sb_session_setup_get_spec (setup));
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

static void
sb_window_constructed (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  G_OBJECT_CLASS (sb_window_parent_class)->constructed (object);

  if (self->presets_dir == NULL)
    self->presets_dir = sb_preset_get_default_dir ();
  if (self->settings == NULL)
    return;

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
sb_window_finalize (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  g_clear_pointer (&self->presets_dir, g_free);

  G_OBJECT_CLASS (sb_window_parent_class)->finalize (object);
}

static void
sb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_PRESETS_DIR:
      g_value_set_string (value, self->presets_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_PRESETS_DIR:
      g_free (self->presets_dir);
      self->presets_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_window_class_init (SbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sb_window_constructed;
  object_class->dispose = sb_window_dispose;
  object_class->finalize = sb_window_finalize;
  object_class->get_property = sb_window_get_property;
  object_class->set_property = sb_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESETS_DIR] =
    g_param_spec_string ("presets-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = sb_window_close_request;

  g_type_ensure (SB_TYPE_SESSION_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, notebook);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, empty_new_button);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, empty_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_notebook_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_empty_state_map);
  gtk_widget_class_bind_template_callback (widget_class, on_notebook_switch_page);

  _sb_window_class_init_actions (widget_class);
  _sb_window_class_init_capture (widget_class);
}

/* The main menu's popover is made when it first opens (a click or F10),
 * not before the first frame. */
static void
primary_menu_popup_cb (GtkMenuButton *button,
                       gpointer       user_data)
{
  SbWindow *self = user_data;

  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
sb_window_init (SbWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, primary_menu_popup_cb, self, NULL);

  update_state (self);
}

SbWindow *
sb_window_new (GtkApplication *application,
               GSettings      *settings,
               const char     *presets_dir)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SB_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "presets-dir", presets_dir,
                       NULL);
}
