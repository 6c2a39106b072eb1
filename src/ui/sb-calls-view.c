/* sb-calls-view.c — a session's socket calls as lines of Python or C
 *
 * A list view over the session's SbTrace. Lines are formatted in bind, so
 * only the rows on screen cost anything; the rows bound now are remembered
 * (as the history view does) to re-format them when the syntax changes.
 *
 * The trace may announce a send or receive before the history announces its
 * record (both flush from idles); such rows are formatted again when the
 * history catches up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-calls-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-calls-view.h"
#include "sb-follow.h"

struct _SbCallsView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GtkWidget          *empty_label;
  GtkWidget          *jump_button;
  GtkWidget          *frame_label;

  /* Owned */
  SbTrace            *trace;
  GtkSingleSelection *selection;
  GHashTable         *bound_rows;     /* GtkListItem* set: rows on screen */
  GHashTable         *stale_rows;     /* bound rows whose record the history has not announced yet */
  SbHistory          *history;        /* the trace's */
  SbFollow           *follow;
  SbFrames           *frames;
  GHashTable         *frame_serials;  /* serials of the reads of the selected call's frames */

  SbTraceSyntax       syntax;
  gint64              selected_serial;
};

enum {
  PROP_0,
  PROP_TRACE,
  PROP_SYNTAX,
  PROP_SELECTED_SERIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbCallsView, sb_calls_view, GTK_TYPE_WIDGET)

/* --- Rows --- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SbCallsView              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *number = gtk_label_new (NULL);
  GtkWidget *line = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (number), 1.0f);
  gtk_label_set_width_chars (GTK_LABEL (number), 3);
  gtk_widget_set_valign (number, GTK_ALIGN_START);
  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (number, "monospace");
  gtk_widget_add_css_class (number, "numeric");

  /* Wrapped, not ellipsized: the errno at the end of a failed call must show. */
  gtk_label_set_xalign (GTK_LABEL (line), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (line), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (line), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (line, TRUE);
  gtk_widget_add_css_class (line, "monospace");
  gtk_widget_add_css_class (line, "sb-call");

  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), line);
  gtk_list_item_set_child (item, box);
}

static gboolean
is_frame_serial (SbCallsView *self,
                 gint64       serial)
{
  return serial >= 0 && g_hash_table_contains (self->frame_serials, &serial);
}

static void
refresh_row (SbCallsView *self,
             GtkListItem *item)
{
  SbTraceCall *call = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *number, *line;
  g_autofree char *text = NULL;
  char buf[16];
  const char *errno_name;

  if (call == NULL || box == NULL)
    return;
  number = gtk_widget_get_first_child (box);
  line = gtk_widget_get_next_sibling (number);

  /* ▸: a read that built the selected call's message. */
  g_snprintf (buf, sizeof buf, "%s%u",
              is_frame_serial (self, sb_trace_call_get_serial (call)) ? "▸" : "",
              gtk_list_item_get_position (item) + 1);
  gtk_label_set_text (GTK_LABEL (number), buf);

  text = sb_trace_call_format (call, self->syntax);
  if (sb_trace_call_get_serial (call) >= 0 && self->history != NULL &&
      !sb_history_find_serial (self->history, sb_trace_call_get_serial (call), NULL) &&
      (guint64) sb_trace_call_get_serial (call) >= sb_history_get_first_serial (self->history))
    g_hash_table_add (self->stale_rows, item);
  else
    g_hash_table_remove (self->stale_rows, item);
  errno_name = sb_trace_call_get_errno_name (call);
  if (sb_trace_call_failed (call) && errno_name != NULL && strstr (text, errno_name) == NULL)
    {
      char *with_errno = g_strconcat (text, self->syntax == SB_TRACE_PYTHON ? "  # " : "  // ", errno_name, NULL);
      g_free (text);
      text = with_errno;
    }
  gtk_label_set_text (GTK_LABEL (line), text);

  if (sb_trace_call_failed (call))
    gtk_widget_add_css_class (line, "sb-call-failed");
  else
    gtk_widget_remove_css_class (line, "sb-call-failed");
  if (sb_trace_call_get_serial (call) >= 0)
    gtk_widget_add_css_class (line, "sb-call-data");
  else
    gtk_widget_remove_css_class (line, "sb-call-data");
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SbCallsView              *self)
{
  g_hash_table_add (self->bound_rows, item);
  refresh_row (self, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SbCallsView              *self)
{
  g_hash_table_remove (self->bound_rows, item);
  g_hash_table_remove (self->stale_rows, item);
}

static void
history_items_changed_cb (SbCallsView *self)
{
  g_autoptr(GList) stale = NULL;

  if (g_hash_table_size (self->stale_rows) == 0)
    return;
  stale = g_hash_table_get_keys (self->stale_rows);
  for (GList *l = stale; l != NULL; l = l->next)
    refresh_row (self, l->data);
}

static void
refresh_visible (SbCallsView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    refresh_row (self, item);
}

/* --- Scrolling and following --- */

static void
update_jump_button (SbCallsView *self)
{
  gtk_widget_set_visible (self->jump_button, !sb_follow_get_following (self->follow));
}

static void
jump_to_newest_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  sb_follow_jump (SB_CALLS_VIEW (widget)->follow);
}

/* --- Selection --- */

/* The reads of the frames the selected call's bytes belong to. */
static void
update_frame_calls (SbCallsView *self)
{
  g_autoptr(GArray) positions = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_hash_table_remove_all (self->frame_serials);
  if (self->frames != NULL && sb_frames_get_framer (self->frames) != NULL && self->selected_serial >= 0)
    positions = sb_frames_find_read (self->frames, (guint64) self->selected_serial);

  for (guint i = 0; positions != NULL && i < positions->len; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (self->frames), g_array_index (positions, guint, i));
      g_autoptr(GArray) parts = item ? sb_frame_item_dup_parts (item) : NULL;
      g_autoptr(GString) lines = g_string_new (NULL);
      guint n_calls = 0;

      for (guint j = 0; parts != NULL && j < parts->len; j++)
        {
          guint64 serial = g_array_index (parts, SbFramePart, j).serial;
          guint call_position;

          g_hash_table_add (self->frame_serials, g_memdup2 (&serial, sizeof serial));
          if (self->trace != NULL && sb_trace_find_serial (self->trace, serial, &call_position))
            {
              g_string_append_printf (lines, lines->len ? ", %u" : "%u", call_position + 1);
              n_calls++;
            }
        }
      if (item == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: the Calls view, “Message #3 was built by 2 recv() calls: lines 12, 14” */
      g_string_append_printf (out, ngettext ("Message #%llu was built by %u recv() call: line %s",
                                             "Message #%llu was built by %u recv() calls: lines %s", n_calls),
                              (unsigned long long) sb_frame_item_get_number (item) + 1, n_calls, lines->str);
    }
  gtk_label_set_text (GTK_LABEL (self->frame_label), out->str);
  gtk_widget_set_visible (self->frame_label, out->len > 0);
  refresh_visible (self);
}

static void
update_selected_serial (SbCallsView *self)
{
  SbTraceCall *call = gtk_single_selection_get_selected_item (self->selection);
  gint64 serial = call != NULL ? sb_trace_call_get_serial (call) : -1;

  if (serial != self->selected_serial)
    {
      self->selected_serial = serial;
      update_frame_calls (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SERIAL]);
    }
}

static void
items_changed_cb (SbCallsView *self,
                  guint        position,
                  guint        removed,
                  guint        added)
{
  gtk_widget_set_visible (self->empty_label, g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0);
  update_selected_serial (self);
}

/* --- Public --- */

void
sb_calls_view_set_frames (SbCallsView *self,
                          SbFrames    *frames)
{
  g_return_if_fail (SB_IS_CALLS_VIEW (self));
  g_return_if_fail (frames == NULL || SB_IS_FRAMES (frames));

  if (self->frames == frames)
    return;
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_set_object (&self->frames, frames);
  if (frames != NULL)
    g_signal_connect_object (frames, "items-changed", G_CALLBACK (update_frame_calls), self, G_CONNECT_SWAPPED);
  update_frame_calls (self);
}

const char *
sb_calls_view_get_frame_text (SbCallsView *self)
{
  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->frame_label));
}

gboolean
sb_calls_view_is_frame_call (SbCallsView *self,
                             guint        position)
{
  g_autoptr(SbTraceCall) call = NULL;
  gint64 serial;

  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), FALSE);

  call = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  serial = call != NULL ? sb_trace_call_get_serial (call) : -1;
  return is_frame_serial (self, serial);
}

GtkWidget *
sb_calls_view_new (void)
{
  return g_object_new (SB_TYPE_CALLS_VIEW, NULL);
}

SbTrace *
sb_calls_view_get_trace (SbCallsView *self)
{
  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), NULL);
  return self->trace;
}

void
sb_calls_view_set_trace (SbCallsView *self,
                         SbTrace     *trace)
{
  g_return_if_fail (SB_IS_CALLS_VIEW (self));
  g_return_if_fail (trace == NULL || SB_IS_TRACE (trace));

  if (!g_set_object (&self->trace, trace))
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_items_changed_cb, self);
  g_clear_object (&self->history);
  if (trace != NULL)
    self->history = g_object_ref (sb_trace_get_history (trace));
  if (self->history != NULL)
    g_signal_connect_object (self->history, "items-changed", G_CALLBACK (history_items_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (trace));
  sb_follow_jump (self->follow);
  items_changed_cb (self, 0, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
}

SbTraceSyntax
sb_calls_view_get_syntax (SbCallsView *self)
{
  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), SB_TRACE_PYTHON);
  return self->syntax;
}

void
sb_calls_view_set_syntax (SbCallsView   *self,
                          SbTraceSyntax  syntax)
{
  g_return_if_fail (SB_IS_CALLS_VIEW (self));
  g_return_if_fail (syntax == SB_TRACE_PYTHON || syntax == SB_TRACE_C);

  if (self->syntax == syntax)
    return;
  self->syntax = syntax;
  refresh_visible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNTAX]);
}

gint64
sb_calls_view_get_selected_serial (SbCallsView *self)
{
  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), -1);
  return self->selected_serial;
}

gboolean
sb_calls_view_select_serial (SbCallsView *self,
                             guint64      serial)
{
  guint position;

  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), FALSE);

  if (self->trace == NULL || !sb_trace_find_serial (self->trace, serial, &position))
    return FALSE;
  sb_follow_set_following (self->follow, position + 1 == g_list_model_get_n_items (G_LIST_MODEL (self->selection)));
  gtk_single_selection_set_selected (self->selection, position);
  sb_follow_scroll_list_to (GTK_WIDGET (self->list_view), position);
  return TRUE;
}

GListModel *
sb_calls_view_get_model (SbCallsView *self)
{
  g_return_val_if_fail (SB_IS_CALLS_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

/* --- GObject --- */

static void
sb_calls_view_dispose (GObject *object)
{
  SbCallsView *self = SB_CALLS_VIEW (object);
  GtkWidget *child;

  g_clear_object (&self->follow);
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_clear_object (&self->frames);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_CALLS_VIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->trace);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_items_changed_cb, self);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_calls_view_parent_class)->dispose (object);
}

static void
sb_calls_view_finalize (GObject *object)
{
  SbCallsView *self = SB_CALLS_VIEW (object);

  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->stale_rows, g_hash_table_unref);
  g_clear_pointer (&self->frame_serials, g_hash_table_unref);

  G_OBJECT_CLASS (sb_calls_view_parent_class)->finalize (object);
}

static void
sb_calls_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SbCallsView *self = SB_CALLS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      g_value_set_object (value, self->trace);
      break;
    case PROP_SYNTAX:
      g_value_set_uint (value, self->syntax);
      break;
    case PROP_SELECTED_SERIAL:
      g_value_set_int64 (value, self->selected_serial);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_calls_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SbCallsView *self = SB_CALLS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      sb_calls_view_set_trace (self, g_value_get_object (value));
      break;
    case PROP_SYNTAX:
      sb_calls_view_set_syntax (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_calls_view_class_init (SbCallsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_calls_view_dispose;
  object_class->finalize = sb_calls_view_finalize;
  object_class->get_property = sb_calls_view_get_property;
  object_class->set_property = sb_calls_view_set_property;

  properties[PROP_TRACE] =
    g_param_spec_object ("trace", NULL, NULL, SB_TYPE_TRACE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYNTAX] =
    g_param_spec_uint ("syntax", NULL, NULL, SB_TRACE_PYTHON, SB_TRACE_C, SB_TRACE_PYTHON,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SERIAL] =
    g_param_spec_int64 ("selected-serial", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/teaching/sb-calls-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbCallsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SbCallsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, SbCallsView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SbCallsView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, SbCallsView, frame_label);

  gtk_widget_class_install_action (widget_class, "calls.jump-to-newest", NULL, jump_to_newest_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, "calls.jump-to-newest", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-calls-view");
}

static void
sb_calls_view_init (SbCallsView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->syntax = SB_TRACE_PYTHON;
  self->selected_serial = -1;
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->stale_rows = g_hash_table_new (NULL, NULL);
  self->frame_serials = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_selected_serial), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Like the history view: after the trace announces new calls, before
   * GTK paints, so a flood does not keep the newest call out of sight. */
  self->follow = sb_follow_new_for_list (GTK_WIDGET (self->list_view), G_LIST_MODEL (self->selection));
  sb_follow_set_adjustment (self->follow, gtk_scrolled_window_get_vadjustment (self->scroller));
  g_signal_connect_object (self->follow, "notify::following",
                           G_CALLBACK (update_jump_button), self, G_CONNECT_SWAPPED);
  update_jump_button (self);
}
