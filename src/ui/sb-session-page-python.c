/* sb-session-page-python.c — a session page's "Export as Python…" actions
 *
 * The script is made from the page's session (or, before the first Start,
 * from a session of its setup that never ran: a session with nothing
 * recorded still exports), its encoding and its auto-reply rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-session-page-private.h"
#include "sb-sessions.h"

#define CHOOSER_KEY "sb-python-chooser"

/* --- File names --- */

static char *
name_part (const char *path)
{
  g_autofree char *base = NULL;
  GString *out;
  char *dot;

  if (path == NULL || *path == '\0')
    return NULL;
  base = g_path_get_basename (path[0] == '@' ? path + 1 : path);
  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  out = g_string_new (NULL);
  for (const char *p = base; *p != '\0' && out->len < 40; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');
  return g_string_free (out, out->len == 0);
}

char *
_sb_session_page_python_file_name (const SbSessionSpec *spec,
                                   GSocketAddress      *local,
                                   SbPythonSide         side)
{
  const char *proto;
  g_autofree char *key = NULL;
  gboolean server;
  guint port = 0;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_TLS_SERVER:
    case SB_KIND_DTLS_SERVER:
      server = TRUE;
      break;
    case SB_KIND_UDP:
      server = spec->host == NULL;
      break;
    case SB_KIND_UNIX_DGRAM:
      server = spec->path == NULL;
      break;
    case SB_KIND_ICMP:
      return g_strdup ("ping.py");
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
    case SB_N_KINDS:
    default:
      server = FALSE;
      break;
    }

  proto = sb_kind_is_unix (spec->kind) ? (sb_kind_is_stream (spec->kind) ? "unix" : "unixgram")
                                       : sb_kind_is_tls (spec->kind) ? (sb_kind_is_stream (spec->kind) ? "tls" : "dtls")
                                       : (sb_kind_is_stream (spec->kind) ? "tcp" : "udp");

  /* The server's port or socket name, whichever side this is. */
  if (sb_kind_is_unix (spec->kind))
    key = name_part (server ? (spec->path ? spec->path : spec->bind_path) : spec->path);
  else
    {
      port = server ? spec->bind_port : spec->port;
      if (server && local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      if (port != 0)
        key = g_strdup_printf ("%u", port);
    }

  if (side == SB_PYTHON_OTHER_SIDE)
    server = !server;

  return g_strconcat (proto, server ? "_server" : "_client_for",
                      key ? "_" : "", key ? key : "", ".py", NULL);
}

/* --- Writing --- */

typedef struct
{
  GWeakRef  page;
  GFile    *file;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_weak_ref_clear (&data->page);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WriteData, write_data_free)

/* Shows @message in the page, if it is still there. */
static void
report (WriteData  *data,
        const char *message)
{
  g_autoptr(SbSessionPage) page = g_weak_ref_get (&data->page);

  if (page != NULL)
    sb_session_page_show_message (page, message);
}

static void
mode_set_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WriteData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_set_attributes_finish (G_FILE (object), result, NULL, &error))
    {
      /* Translators: %s says why, e.g. “Operation not permitted” */
      g_autofree char *message = g_strdup_printf (_("The Python script was saved but could not be made executable: %s"),
                                                  error->message);

      report (data, message);
    }
}

static void
mode_queried_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WriteData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  g_autoptr(GFileInfo) update = NULL;
  guint32 mode, wanted;

  /* Not every file system has modes (a remote location may not). */
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE) ||
      g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return;

  /* Executable by whoever may read it: the umask already shaped the read
   * bits, so it shapes these too. */
  mode = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 07777;
  wanted = mode | ((mode & 0444) >> 2);
  if (wanted == mode)
    return;

  update = g_file_info_new ();
  g_file_info_set_attribute_uint32 (update, G_FILE_ATTRIBUTE_UNIX_MODE, wanted);
  g_file_set_attributes_async (G_FILE (object), update, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                               G_PRIORITY_DEFAULT, NULL, mode_set_cb, g_steal_pointer (&data));
}

static void
replaced_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WriteData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      /* Translators: %s says why, e.g. “No such file or directory” */
      g_autofree char *message = g_strdup_printf (_("The Python script could not be saved: %s"),
                                                  error->message);

      report (data, message);
      return;
    }

  report (data, NULL);

  g_file_query_info_async (G_FILE (object), G_FILE_ATTRIBUTE_UNIX_MODE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT, NULL,
                           mode_queried_cb, g_steal_pointer (&data));
}

static void
export_to_file (SbSessionPage *page,
                SbPythonSide   side,
                GFile         *file)
{
  g_autoptr(SbSession) unstarted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SbSession *session = sb_session_page_get_session (page);
  WriteData *data;
  char *script;

  if (session == NULL)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_page_dup_spec (page);

      session = unstarted = sb_session_new (spec);
    }

  script = sb_python_export (session, side, sb_session_page_get_encoding (page),
                             sb_session_page_get_auto_reply (page), &error);
  if (script == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why, e.g. “Python has no codec for …” */
      message = g_strdup_printf (_("This session cannot be exported as Python: %s"), error->message);
      sb_session_page_show_message (page, message);
      return;
    }
  bytes = g_bytes_new_take (script, strlen (script));

  /* The save finishes even if the tab closes first; only its message needs
   * the page, so the page is not kept alive for it. */
  data = g_new0 (WriteData, 1);
  g_weak_ref_init (&data->page, page);
  data->file = g_object_ref (file);

  /* A new file then renamed over the old: atomic, and a symlink planted at
   * the path is replaced, never followed. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, replaced_cb, data);
}

/* --- Actions --- */

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     SbSessionPage   *page)
{
  g_autoptr(GFile) file = NULL;
  SbPythonSide side = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "side"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* Destroys the dialog. */
  g_object_set_data (G_OBJECT (page), CHOOSER_KEY, NULL);
  if (file != NULL)
    export_to_file (page, side, file);
}

static void
chooser_free (gpointer data)
{
  gtk_native_dialog_destroy (data);
  g_object_unref (data);
}

static void
export_with_dialog (SbSessionPage *page,
                    SbPythonSide   side)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  SbSession *session = sb_session_page_get_session (page);
  GtkFileChooserNative *chooser;

  if (g_object_get_data (G_OBJECT (page), CHOOSER_KEY) != NULL)
    return;

  spec = session ? sb_session_spec_copy (sb_session_get_spec (session)) : sb_session_page_dup_spec (page);
  name = _sb_session_page_python_file_name (spec, session ? sb_session_get_local_address (session) : NULL, side);

  chooser = gtk_file_chooser_native_new (side == SB_PYTHON_THIS_SIDE ? _("Export as Python")
                                                                     : _("Export the Other Side as Python"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Python scripts"));
  gtk_file_filter_add_pattern (filter, "*.py");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "side", GINT_TO_POINTER (side));
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), page, 0);
  g_object_set_data_full (G_OBJECT (page), CHOOSER_KEY, chooser, chooser_free);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_python_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  export_with_dialog (SB_SESSION_PAGE (widget),
                      g_str_equal (action_name, "page.export-python-other") ? SB_PYTHON_OTHER_SIDE
                                                                            : SB_PYTHON_THIS_SIDE);
}

/* page.export-python-to ("this" or "other", "/path/or/uri"): no dialog. */
static void
export_python_to_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  const char *side_name;
  const char *location;
  g_autoptr(GFile) file = NULL;

  g_variant_get (param, "(&s&s)", &side_name, &location);
  if (*location == '\0' || (!g_str_equal (side_name, "this") && !g_str_equal (side_name, "other")))
    return;
  file = g_file_new_for_commandline_arg (location);
  export_to_file (SB_SESSION_PAGE (widget),
                  g_str_equal (side_name, "other") ? SB_PYTHON_OTHER_SIDE : SB_PYTHON_THIS_SIDE,
                  file);
}

void
_sb_session_page_class_init_python (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.export-python", NULL, export_python_action);
  gtk_widget_class_install_action (widget_class, "page.export-python-other", NULL, export_python_action);
  gtk_widget_class_install_action (widget_class, "page.export-python-to", "(ss)", export_python_to_action);
}
