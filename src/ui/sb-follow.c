/* sb-follow.c — follow the newest row of a growing list
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-follow"

#include "config.h"

#include "sb-follow.h"

/* After the history and the trace announce new rows (G_PRIORITY_HIGH_IDLE
 * + 10), before GTK lays out and paints (+ 20), so the frame shows them. At
 * G_PRIORITY_DEFAULT_IDLE it would wait for the socket readers to have
 * nothing to read: never, during a flood. */
#define FOLLOW_PRIORITY (G_PRIORITY_HIGH_IDLE + 15)
/* Within this many pixels of the bottom counts as at the bottom. */
#define BOTTOM_SLACK 2

struct _SbFollow
{
  GObject            parent_instance;

  /* Owned */
  GtkAdjustment     *adjustment;
  guint              source;
  GdkFrameClock     *layout_clock;
  gulong             layout_handler;

  /* Borrowed */
  SbFollowScrollFunc scroll;
  gpointer           user_data;
  GtkWidget         *list;     /* for sb_follow_new_for_list() */
  GListModel        *model;

  double             last_value;
  guint              following : 1;
  guint              paused : 1;
};

enum {
  PROP_0,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbFollow, sb_follow, G_TYPE_OBJECT)

static void
set_following (SbFollow *self,
               gboolean  following)
{
  following = !!following;
  if (self->following == following)
    return;
  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static gboolean
follow_cb (gpointer user_data)
{
  SbFollow *self = user_data;

  self->source = 0;
  if (!self->following || self->paused)
    return G_SOURCE_REMOVE;
  if (self->scroll != NULL)
    self->scroll (self->user_data);
  else if (self->adjustment != NULL)
    sb_follow_set_value (self, gtk_adjustment_get_upper (self->adjustment) -
                               gtk_adjustment_get_page_size (self->adjustment));
  return G_SOURCE_REMOVE;
}

void
sb_follow_schedule (SbFollow *self)
{
  g_return_if_fail (SB_IS_FOLLOW (self));

  if (self->following && !self->paused && self->source == 0)
    self->source = g_idle_add_full (FOLLOW_PRIORITY, follow_cb, self, NULL);
}

static void
value_changed_cb (SbFollow      *self,
                  GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (value >= bottom - BOTTOM_SLACK)
    set_following (self, TRUE);
  else if (value < self->last_value)
    set_following (self, FALSE);   /* the user scrolled up */
  self->last_value = value;
}

static void
clear_layout_handler (SbFollow *self)
{
  if (self->layout_handler != 0)
    g_clear_signal_handler (&self->layout_handler, self->layout_clock);
  g_clear_object (&self->layout_clock);
}

static void
layout_cb (SbFollow *self)
{
  clear_layout_handler (self);
  g_clear_handle_id (&self->source, g_source_remove);
  follow_cb (self);
}

/* The adjustment's size changed (rows were measured, the view resized):
 * scroll again if that left the bottom. When it did not, scrolling again
 * would only cost the window another frame. */
static void
adjustment_changed_cb (SbFollow      *self,
                       GtkAdjustment *adjustment)
{
  GdkFrameClock *clock;
  double value = gtk_adjustment_get_value (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (value >= bottom - BOTTOM_SLACK || !self->following || self->paused)
    return;

  /* Measured during a layout: scroll in the same frame's next layout pass
   * (the frame clock runs layout again when it is asked to), not in an idle
   * after this frame was painted, which would paint a second one. */
  if (self->list != NULL && self->layout_handler == 0 &&
      (clock = gtk_widget_get_frame_clock (self->list)) != NULL)
    {
      self->layout_clock = g_object_ref (clock);
      self->layout_handler = g_signal_connect_swapped (clock, "layout", G_CALLBACK (layout_cb), self);
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
    }
  else if (self->layout_handler == 0)
    sb_follow_schedule (self);
}

static void
items_changed_cb (SbFollow   *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  if (added > 0)
    sb_follow_schedule (self);
}

void
sb_follow_scroll_list_to (GtkWidget *list_or_column_view,
                          guint      position)
{
  GtkWidget *list = list_or_column_view;

  g_return_if_fail (GTK_IS_LIST_VIEW (list) || GTK_IS_COLUMN_VIEW (list));

  /* A column view's inner list view has the action. */
  if (GTK_IS_COLUMN_VIEW (list))
    for (list = gtk_widget_get_first_child (list_or_column_view);
         list != NULL && !GTK_IS_LIST_VIEW (list);
         list = gtk_widget_get_next_sibling (list))
      ;
  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
}

static void
scroll_list_to_end (gpointer user_data)
{
  SbFollow *self = user_data;
  guint n = g_list_model_get_n_items (self->model);

  if (n > 0)
    sb_follow_scroll_list_to (self->list, n - 1);
}

SbFollow *
sb_follow_new (SbFollowScrollFunc scroll,
               gpointer           user_data)
{
  SbFollow *self = g_object_new (SB_TYPE_FOLLOW, NULL);

  self->scroll = scroll;
  self->user_data = user_data;
  return self;
}

SbFollow *
sb_follow_new_for_list (GtkWidget  *list_or_column_view,
                        GListModel *model)
{
  SbFollow *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_or_column_view) ||
                        GTK_IS_COLUMN_VIEW (list_or_column_view), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = sb_follow_new (scroll_list_to_end, NULL);
  self->user_data = self;
  self->list = list_or_column_view;
  self->model = model;
  g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

void
sb_follow_set_adjustment (SbFollow      *self,
                          GtkAdjustment *adjustment)
{
  g_return_if_fail (SB_IS_FOLLOW (self));
  g_return_if_fail (adjustment == NULL || GTK_IS_ADJUSTMENT (adjustment));

  if (self->adjustment == adjustment)
    return;
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_set_object (&self->adjustment, adjustment);
  if (adjustment == NULL)
    return;
  self->last_value = gtk_adjustment_get_value (adjustment);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
}

gboolean
sb_follow_get_following (SbFollow *self)
{
  g_return_val_if_fail (SB_IS_FOLLOW (self), FALSE);
  return self->following;
}

void
sb_follow_set_following (SbFollow *self,
                         gboolean  following)
{
  g_return_if_fail (SB_IS_FOLLOW (self));
  set_following (self, following);
}

void
sb_follow_set_paused (SbFollow *self,
                      gboolean  paused)
{
  g_return_if_fail (SB_IS_FOLLOW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  if (!paused)
    sb_follow_jump (self);
}

void
sb_follow_jump (SbFollow *self)
{
  g_return_if_fail (SB_IS_FOLLOW (self));

  set_following (self, TRUE);
  sb_follow_schedule (self);
}

void
sb_follow_set_value (SbFollow *self,
                     double    value)
{
  g_return_if_fail (SB_IS_FOLLOW (self));

  if (self->adjustment == NULL)
    return;
  self->last_value = value;
  gtk_adjustment_set_value (self->adjustment, value);
  /* Clamped by the adjustment: remember where it really is. */
  self->last_value = gtk_adjustment_get_value (self->adjustment);
}

static void
sb_follow_dispose (GObject *object)
{
  SbFollow *self = SB_FOLLOW (object);

  g_clear_handle_id (&self->source, g_source_remove);
  clear_layout_handler (self);
  sb_follow_set_adjustment (self, NULL);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  self->model = NULL;
  self->list = NULL;

  G_OBJECT_CLASS (sb_follow_parent_class)->dispose (object);
}

static void
sb_follow_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbFollow *self = SB_FOLLOW (object);

  switch (prop_id)
    {
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_follow_class_init (SbFollowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_follow_dispose;
  object_class->get_property = sb_follow_get_property;

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_follow_init (SbFollow *self)
{
  self->following = TRUE;
}
