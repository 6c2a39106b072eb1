/* sb-capture-window.c — a stream of an imported capture, read-only
 *
 * Window thread only. The capture was read in a worker thread; here each
 * choice of stream and side makes a history (sb_capture_file_to_history),
 * shown by the same history view as a live session's (any encoding and
 * view) through frames of any framing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-capture-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-capture-window.h"
#include <string.h>

#include "sb-frames.h"
#include "sb-history-view.h"

struct _SbCaptureWindow
{
  GtkWindow      parent_instance;

  /* Template widgets */
  GtkDropDown   *stream_dropdown;
  GtkDropDown   *side_dropdown;
  GtkEntry      *framing_entry;
  GtkLabel      *info_label;
  SbHistoryView *history_view;

  /* Owned */
  SbCaptureFile *capture;
  SbHistory     *history;
  SbFrames      *frames;
  char          *name;
  gboolean       replay_timed;
};

enum { PROP_0, PROP_REPLAY_TIMED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { REPLAY, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbCaptureWindow, sb_capture_window, GTK_TYPE_WINDOW)

/* The entry's spec (empty: none); a bad one is marked and said in the
 * tooltip, and the frames stay as they were. */
static void
apply_framing (SbCaptureWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->framing_entry));
  g_autoptr(GError) error = NULL;

  if (self->frames == NULL)
    return;
  if (!sb_frames_set_spec (self->frames, *text != '\0' ? text : "none", &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->framing_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->framing_entry), error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->framing_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->framing_entry),
                               _("How the reads become messages, as --frame takes it: line, delim:HEX, fixed:N, len:SIZE:be|le, gap:MS, slip, cobs; Enter applies"));
}

static void
update_history (SbCaptureWindow *self)
{
  GPtrArray *streams = sb_capture_file_get_streams (self->capture);
  guint index = gtk_drop_down_get_selected (self->stream_dropdown);
  gboolean as_server = gtk_drop_down_get_selected (self->side_dropdown) == 1;
  const SbCaptureStream *stream;
  g_autofree char *info = NULL;

  if (index >= streams->len)
    return;
  stream = g_ptr_array_index (streams, index);
  sb_history_view_set_frames (self->history_view, NULL);
  g_clear_object (&self->frames);
  g_clear_object (&self->history);
  self->history = sb_capture_file_to_history (self->capture, stream, as_server);
  sb_history_view_set_history (self->history_view, self->history);
  self->frames = sb_frames_new (self->history, NULL);
  apply_framing (self);
  sb_history_view_set_frames (self->history_view, self->frames);

  /* Translators: %s is a capture file's name; %s the other side's address */
  info = g_strdup_printf (_("Read-only, imported from %s. The peer is %s."),
                          self->name, as_server ? stream->client : stream->server);
  gtk_label_set_text (self->info_label, info);
}

static void
selection_changed_cb (SbCaptureWindow *self)
{
  if (self->capture != NULL)
    update_history (self);
}

static void
framing_activate_cb (SbCaptureWindow *self)
{
  apply_framing (self);
}

/* The session that plays @as_server's side: a client connects to the
 * recorded server; a server listens on loopback at the recorded port. The
 * page that gets it is not started, so the address can be changed first. */
static SbSessionSpec *
replay_spec (const SbCaptureStream *stream,
             gboolean               as_server)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  gboolean tcp = stream->kind == SB_CAPTURE_STREAM_TCP;
  SbSessionSpec *spec;

  if (!sb_address_parse_host_port (stream->server, FALSE, &host, &port, NULL))
    return NULL;
  if (as_server)
    {
      spec = sb_session_spec_new (tcp ? SB_KIND_TCP_SERVER : SB_KIND_UDP);
      spec->has_bind = TRUE;
      g_free (spec->bind_host);
      spec->bind_host = g_strdup (strchr (host, ':') != NULL ? "::1" : "127.0.0.1");
      spec->bind_port = port;
    }
  else
    {
      spec = sb_session_spec_new (tcp ? SB_KIND_TCP_CLIENT : SB_KIND_UDP);
      spec->host = g_steal_pointer (&host);
      spec->port = port;
    }
  return spec;
}

static void
replay_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SbCaptureWindow *self = SB_CAPTURE_WINDOW (widget);
  GPtrArray *streams = sb_capture_file_get_streams (self->capture);
  guint index = gtk_drop_down_get_selected (self->stream_dropdown);
  gboolean as_server = g_str_equal (g_variant_get_string (param, NULL), "server");
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(SbHistory) script = NULL;
  g_autoptr(SbReplay) replay = NULL;
  const SbCaptureStream *stream;

  if (index >= streams->len)
    return;
  stream = g_ptr_array_index (streams, index);
  spec = replay_spec (stream, as_server);
  if (spec == NULL)
    return;
  script = sb_capture_file_to_history (self->capture, stream, as_server);
  replay = sb_replay_new (script, self->replay_timed);
  g_signal_emit (self, signals[REPLAY], 0, replay, spec);
}

static void
sb_capture_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbCaptureWindow *self = SB_CAPTURE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REPLAY_TIMED:
      g_value_set_boolean (value, self->replay_timed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_capture_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbCaptureWindow *self = SB_CAPTURE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REPLAY_TIMED:
      if (self->replay_timed != g_value_get_boolean (value))
        {
          self->replay_timed = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_capture_window_dispose (GObject *object)
{
  SbCaptureWindow *self = SB_CAPTURE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_CAPTURE_WINDOW);
  g_clear_object (&self->frames);
  g_clear_object (&self->history);
  g_clear_pointer (&self->capture, sb_capture_file_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (sb_capture_window_parent_class)->dispose (object);
}

static void
sb_capture_window_class_init (SbCaptureWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_capture_window_dispose;
  object_class->get_property = sb_capture_window_get_property;
  object_class->set_property = sb_capture_window_set_property;

  properties[PROP_REPLAY_TIMED] =
    g_param_spec_boolean ("replay-timed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* replay (SbReplay *replay, SbSessionSpec *spec): play @replay on a new,
   * not yet started session of @spec. */
  signals[REPLAY] = g_signal_new ("replay", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                  SB_TYPE_REPLAY, SB_TYPE_SESSION_SPEC);

  gtk_widget_class_install_action (widget_class, "capture.replay", "s", replay_action);
  gtk_widget_class_install_property_action (widget_class, "capture.replay-timed", "replay-timed");

  g_type_ensure (SB_TYPE_HISTORY_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-capture-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbCaptureWindow, stream_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbCaptureWindow, side_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbCaptureWindow, framing_entry);
  gtk_widget_class_bind_template_child (widget_class, SbCaptureWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, SbCaptureWindow, history_view);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, framing_activate_cb);
}

static void
sb_capture_window_init (SbCaptureWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SbCaptureWindow *
sb_capture_window_new (GtkWindow     *parent,
                       SbCaptureFile *capture,
                       const char    *name)
{
  SbCaptureWindow *self;
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GPtrArray *streams;
  g_autofree char *title = NULL;

  g_return_val_if_fail (capture != NULL, NULL);

  self = g_object_new (SB_TYPE_CAPTURE_WINDOW, "transient-for", parent, NULL);
  self->name = g_strdup (name ? name : "");
  /* Translators: the title of an imported capture's window; %s its file name */
  title = g_strdup_printf (_("Capture — %s"), self->name);
  gtk_window_set_title (GTK_WINDOW (self), title);

  streams = sb_capture_file_get_streams (capture);
  for (guint i = 0; i < streams->len; i++)
    {
      g_autofree char *text = sb_capture_stream_describe (g_ptr_array_index (streams, i));

      gtk_string_list_append (list, text);
    }
  gtk_drop_down_set_model (self->stream_dropdown, G_LIST_MODEL (list));
  self->capture = capture;
  update_history (self);
  return self;
}

void
sb_capture_window_show_stream (SbCaptureWindow *self,
                               guint            index,
                               gboolean         as_server)
{
  g_return_if_fail (SB_IS_CAPTURE_WINDOW (self));

  /* Each change rebuilds the history; set the side quietly first. */
  g_signal_handlers_block_by_func (self->side_dropdown, selection_changed_cb, self);
  gtk_drop_down_set_selected (self->side_dropdown, as_server ? 1 : 0);
  g_signal_handlers_unblock_by_func (self->side_dropdown, selection_changed_cb, self);
  if (gtk_drop_down_get_selected (self->stream_dropdown) != index)
    gtk_drop_down_set_selected (self->stream_dropdown, index);
  else
    update_history (self);
}

SbHistory *
sb_capture_window_get_history (SbCaptureWindow *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE_WINDOW (self), NULL);
  return self->history;
}

gboolean
sb_capture_window_set_framing (SbCaptureWindow *self,
                               const char      *spec)
{
  g_return_val_if_fail (SB_IS_CAPTURE_WINDOW (self), FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->framing_entry), spec ? spec : "");
  apply_framing (self);
  return !gtk_widget_has_css_class (GTK_WIDGET (self->framing_entry), "error");
}

void
sb_capture_window_set_encoding (SbCaptureWindow *self,
                                const char      *encoding)
{
  g_return_if_fail (SB_IS_CAPTURE_WINDOW (self));

  if (encoding != NULL)
    sb_history_view_set_encoding (self->history_view, encoding);
}
