/* sb-sequence-view.c — a session's history as a sequence diagram
 *
 * Drawing is in sb-sequence-view-draw.c; here: layout, scrolling, zoom,
 * selection and the history.
 *
 * The canvas is virtual: its height is rows × row height, and snapshot()
 * draws only the rows the vertical adjustment shows, reading them from the
 * history by position (O(1) each). The lifeline labels are drawn last, over
 * the rows, at the top of the view, so they stay while the rows scroll.
 *
 * Columns: 0 is this side, column N is peer id N of the history. The number
 * of columns is the highest peer id seen, kept up to date from the records
 * each items-changed adds (so a message costs O(1) here too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-sequence-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-follow.h"
#include "sb-sequence-view-private.h"

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_ENCODING,
  PROP_KIND,
  PROP_LOCAL_LABEL,
  PROP_ROW_HEIGHT,
  PROP_SELECTED_SERIAL,
  N_PROPS,

  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (SbSequenceView, sb_sequence_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

void
sb_sequence_view_get_visible_range (SbSequenceView *self,
                                    guint          *first,
                                    guint          *n_visible)
{
  guint n, start, end;
  double top, page;

  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));

  n = n_rows (self);
  top = vvalue (self);
  page = MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - HEADER_HEIGHT);
  start = MIN ((guint) (MAX (0, top) / self->row_height), n);
  end = MIN ((guint) ((top + page) / self->row_height) + 1, n);
  if (first != NULL)
    *first = start;
  if (n_visible != NULL)
    *n_visible = end > start ? end - start : 0;
}

static void
update_columns (SbSequenceView *self,
                guint           from,
                guint           to)
{
  for (guint i = from; i < to; i++)
    self->max_peer = MAX (self->max_peer, sb_history_get_peer (self->history, i));
  /* At least one peer lifeline, so a lone "This side" is not all there is;
   * a relay's server has one more. */
  self->n_columns = MAX (2, self->max_peer + 1) + (sb_kind_is_relay (self->kind) ? 1 : 0);
}

static void
configure_adjustments (SbSequenceView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double page, upper, value;

  self->show_gutter = width >= GUTTER_WIDTH + 2 * COLUMN_MIN_WIDTH;

  if (self->hadjustment != NULL)
    {
      upper = MAX (width, gutter_width (self) + column_width (self) * self->n_columns + 8);
      value = CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, upper - width);
      gtk_adjustment_configure (self->hadjustment, value, 0, upper, width * 0.1, width * 0.9, width);
    }

  if (self->vadjustment != NULL)
    {
      page = MAX (1, height - HEADER_HEIGHT);
      upper = MAX (page, (double) n_rows (self) * self->row_height + self->row_height / 2.0);
      value = sb_follow_get_following (self->follow) ? upper - page
                              : CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, upper - page);
      gtk_adjustment_configure (self->vadjustment, value, 0, upper,
                                self->row_height, page * 0.9, page);
    }
}

/* --- Layout --- */

static void
sb_sequence_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = COLUMN_MIN_WIDTH;
      *natural = GUTTER_WIDTH + COLUMN_MIN_WIDTH * self->n_columns + 8;
    }
  else
    {
      *minimum = HEADER_HEIGHT + 2 * DEFAULT_ROW;
      *natural = HEADER_HEIGHT + 10 * DEFAULT_ROW;
    }
}

static void scroll_to_row (SbSequenceView *self,
                           guint           position);

static void
sb_sequence_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (widget);
  guint position;

  configure_adjustments (self);

  /* A row selected while the view was hidden: show it now that the page
   * size is known. */
  if (self->pending_scroll >= 0 && height > HEADER_HEIGHT)
    {
      if (self->history != NULL && sb_history_find_serial (self->history, self->pending_scroll, &position))
        scroll_to_row (self, position);
      self->pending_scroll = -1;
    }
}

/* --- Scrolling, following, zoom --- */

static void
set_adjustment (SbSequenceView  *self,
                GtkAdjustment  **slot,
                GtkAdjustment   *adjustment,
                gboolean         vertical)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, self);
  g_set_object (slot, adjustment);
  /* The follow sees the vertical one first: whether the user scrolled up. */
  if (vertical)
    sb_follow_set_adjustment (self->follow, adjustment);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  configure_adjustments (self);
}

void
sb_sequence_view_set_row_height (SbSequenceView *self,
                                 int             row_height)
{
  double anchor;

  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));

  row_height = CLAMP (row_height, SB_SEQUENCE_VIEW_MIN_ROW_HEIGHT, SB_SEQUENCE_VIEW_MAX_ROW_HEIGHT);
  if (row_height == self->row_height)
    return;

  /* Keep the row at the top of the view where it is. */
  anchor = vvalue (self) / self->row_height;
  self->row_height = row_height;
  if (self->vadjustment != NULL && !sb_follow_get_following (self->follow))
    {
      double page = gtk_adjustment_get_page_size (self->vadjustment);
      double upper = MAX (page, (double) n_rows (self) * row_height + row_height / 2.0);

      gtk_adjustment_set_upper (self->vadjustment, upper);
      sb_follow_set_value (self->follow, anchor * row_height);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW_HEIGHT]);
}

void
sb_sequence_view_zoom (SbSequenceView *self,
                       int             steps)
{
  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));
  sb_sequence_view_set_row_height (self, self->row_height + steps * 6);
}

int
sb_sequence_view_get_row_height (SbSequenceView *self)
{
  g_return_val_if_fail (SB_IS_SEQUENCE_VIEW (self), DEFAULT_ROW);
  return self->row_height;
}

static gboolean
scroll_cb (SbSequenceView           *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;   /* the scrolled window scrolls */
  sb_sequence_view_zoom (self, dy < 0 ? 1 : -1);
  return TRUE;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_sequence_view_zoom (SB_SEQUENCE_VIEW (widget), g_str_equal (action_name, "sequence.zoom-in") ? 1 : -1);
}

/* --- Selection --- */

static void
set_selected_serial (SbSequenceView *self,
                     gint64          serial)
{
  if (self->selected_serial == serial)
    return;
  self->selected_serial = serial;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SERIAL]);
}

static void
scroll_to_row (SbSequenceView *self,
               guint           position)
{
  double y = (double) position * self->row_height;
  double top = vvalue (self);
  double page = self->vadjustment ? gtk_adjustment_get_page_size (self->vadjustment) : 0;

  if (self->vadjustment == NULL || (y >= top && y + self->row_height <= top + page))
    return;
  sb_follow_set_following (self->follow, position + 1 >= n_rows (self));
  sb_follow_set_value (self->follow, y - page / 2 + self->row_height / 2.0);
}

static void
pressed_cb (SbSequenceView  *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  guint position;

  if (y < HEADER_HEIGHT || self->history == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  position = (guint) ((y - HEADER_HEIGHT + vvalue (self)) / self->row_height);
  if (position >= n_rows (self))
    return;
  set_selected_serial (self, sb_history_get_serial (self->history, position));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (widget);
  guint n = n_rows (self), position = 0, first;
  int delta = g_variant_get_int32 (param);

  if (n == 0)
    return;
  if (self->selected_serial >= 0 && sb_history_find_serial (self->history, self->selected_serial, &position))
    position = (guint) CLAMP ((gint64) position + delta, 0, (gint64) n - 1);
  else
    {
      sb_sequence_view_get_visible_range (self, &first, NULL);
      position = delta < 0 ? MIN (n - 1, first) : first;
    }
  if (delta == G_MAXINT32)
    position = n - 1;
  else if (delta == G_MININT32)
    position = 0;
  set_selected_serial (self, sb_history_get_serial (self->history, position));
  scroll_to_row (self, position);
}

gint64
sb_sequence_view_get_selected_serial (SbSequenceView *self)
{
  g_return_val_if_fail (SB_IS_SEQUENCE_VIEW (self), -1);
  return self->selected_serial;
}

gboolean
sb_sequence_view_select_serial (SbSequenceView *self,
                                guint64         serial)
{
  guint position;

  g_return_val_if_fail (SB_IS_SEQUENCE_VIEW (self), FALSE);

  if (self->history == NULL || !sb_history_find_serial (self->history, serial, &position))
    return FALSE;
  set_selected_serial (self, serial);
  if (gtk_widget_get_height (GTK_WIDGET (self)) > HEADER_HEIGHT && gtk_widget_get_mapped (GTK_WIDGET (self)))
    scroll_to_row (self, position);
  else
    {
      self->pending_scroll = serial;
      sb_follow_set_following (self->follow, FALSE);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
  return TRUE;
}

/* --- History --- */

static void
items_changed_cb (SbSequenceView *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *model)
{
  guint n = g_list_model_get_n_items (model);

  if (n == 0)
    {
      self->n_columns = 2;
      self->max_peer = 0;
    }
  update_columns (self, position, position + added);

  /* Rows leaving at the top (the cap) must not move what is on screen. */
  if (!sb_follow_get_following (self->follow) && removed > added && position == 0 && self->vadjustment != NULL)
    sb_follow_set_value (self->follow, MAX (0, vvalue (self) - (double) (removed - added) * self->row_height));
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- Public --- */

GtkWidget *
sb_sequence_view_new (void)
{
  return g_object_new (SB_TYPE_SEQUENCE_VIEW, NULL);
}

SbHistory *
sb_sequence_view_get_history (SbSequenceView *self)
{
  g_return_val_if_fail (SB_IS_SEQUENCE_VIEW (self), NULL);
  return self->history;
}

void
sb_sequence_view_set_history (SbSequenceView *self,
                              SbHistory      *history)
{
  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (history == NULL || SB_IS_HISTORY (history));

  if (self->history == history)
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, items_changed_cb, self);
  g_set_object (&self->history, history);
  self->n_columns = 2;
  self->max_peer = 0;
  sb_follow_set_following (self->follow, TRUE);
  self->selected_serial = -1;
  self->pending_scroll = -1;
  if (history != NULL)
    {
      g_signal_connect_object (history, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
      update_columns (self, 0, n_rows (self));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SERIAL]);
}

void
sb_sequence_view_set_frames (SbSequenceView *self,
                             SbFrames       *frames)
{
  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (frames == NULL || SB_IS_FRAMES (frames));

  if (self->frames == frames)
    return;
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_set_object (&self->frames, frames);
  /* New frames change the bars of rows already drawn. */
  if (frames != NULL)
    g_signal_connect_object (frames, "items-changed", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sb_sequence_view_set_encoding (SbSequenceView *self,
                               const char     *encoding)
{
  const char *canonical;

  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));

  canonical = encoding ? sb_codec_canonical_name (encoding) : NULL;
  if (canonical == NULL || g_strcmp0 (canonical, self->encoding) == 0)
    return;
  self->encoding = canonical;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

void
sb_sequence_view_set_kind (SbSequenceView *self,
                           SbKind          kind)
{
  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (kind < SB_N_KINDS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  update_columns (self, 0, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
sb_sequence_view_set_local_label (SbSequenceView *self,
                                  const char     *label)
{
  g_return_if_fail (SB_IS_SEQUENCE_VIEW (self));

  if (g_strcmp0 (self->local_label, label) == 0)
    return;
  g_free (self->local_label);
  self->local_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_LABEL]);
}

/* --- GObject --- */

static void
sb_sequence_view_dispose (GObject *object)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, items_changed_cb, self);
  g_clear_object (&self->history);
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_clear_object (&self->frames);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  /* Kept until finalize: a scrolled window may still set adjustments. */
  sb_follow_set_adjustment (self->follow, NULL);

  G_OBJECT_CLASS (sb_sequence_view_parent_class)->dispose (object);
}

static void
sb_sequence_view_finalize (GObject *object)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (object);

  g_clear_pointer (&self->local_label, g_free);
  g_clear_object (&self->follow);

  G_OBJECT_CLASS (sb_sequence_view_parent_class)->finalize (object);
}

static void
sb_sequence_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_LOCAL_LABEL:
      g_value_set_string (value, self->local_label);
      break;
    case PROP_ROW_HEIGHT:
      g_value_set_int (value, self->row_height);
      break;
    case PROP_SELECTED_SERIAL:
      g_value_set_int64 (value, self->selected_serial);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sequence_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      sb_sequence_view_set_history (self, g_value_get_object (value));
      break;
    case PROP_ENCODING:
      sb_sequence_view_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      sb_sequence_view_set_kind (self, g_value_get_int (value));
      break;
    case PROP_LOCAL_LABEL:
      sb_sequence_view_set_local_label (self, g_value_get_string (value));
      break;
    case PROP_ROW_HEIGHT:
      sb_sequence_view_set_row_height (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), FALSE);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), TRUE);
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (GtkScrollablePolicy) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (GtkScrollablePolicy) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sequence_view_class_init (SbSequenceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sequence_view_dispose;
  object_class->finalize = sb_sequence_view_finalize;
  object_class->get_property = sb_sequence_view_get_property;
  object_class->set_property = sb_sequence_view_set_property;
  widget_class->snapshot = _sb_sequence_view_snapshot;
  widget_class->measure = sb_sequence_view_measure;
  widget_class->size_allocate = sb_sequence_view_size_allocate;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, "UTF-8",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, SB_N_KINDS - 1, SB_KIND_TCP_CLIENT,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL_LABEL] =
    g_param_spec_string ("local-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROW_HEIGHT] =
    g_param_spec_int ("row-height", NULL, NULL,
                      SB_SEQUENCE_VIEW_MIN_ROW_HEIGHT, SB_SEQUENCE_VIEW_MAX_ROW_HEIGHT, DEFAULT_ROW,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SERIAL] =
    g_param_spec_int64 ("selected-serial", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_install_action (widget_class, "sequence.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "sequence.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "sequence.move", "i", move_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "sequence.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "sequence.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "sequence.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "sequence.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "sequence.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "sequence.move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "sequence.move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "sequence.move", "i", -10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "sequence.move", "i", 10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "sequence.move", "i", G_MININT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "sequence.move", "i", G_MAXINT32);

  gtk_widget_class_set_css_name (widget_class, "sb-sequence-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sb_sequence_view_init (SbSequenceView *self)
{
  GtkEventController *scroll;
  GtkGesture *click;

  self->encoding = "UTF-8";
  self->kind = SB_KIND_TCP_CLIENT;
  self->row_height = DEFAULT_ROW;
  self->selected_serial = -1;
  self->pending_scroll = -1;
  self->n_columns = 2;
  /* Follows by itself as it lays out (configure_adjustments()); the follow
   * says whether the user scrolled away from the newest row. */
  self->follow = sb_follow_new (NULL, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence diagram"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The history as arrows between this side and its peers; Up and Down select a row"),
                                  -1);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  click = gtk_gesture_click_new ();
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
