/* sb-ramp-model.c — a list model that lets a list's first rows in a few a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-ramp-model"

#include "config.h"

#include "sb-ramp-model.h"

/* GTK 4.8's list views keep this many rows (GTK_LIST_VIEW_MAX_LIST_ITEMS);
 * once a list has them, its rows are reused for new items. */
#define ROW_BUDGET 200

struct _SbRampModel
{
  GObject     parent_instance;

  GListModel *source;
  GtkWidget  *widget;     /* weak */
  guint       n_shown;    /* items let in: the first n_shown of the source */
  guint       tick_id;
};

static void sb_ramp_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbRampModel, sb_ramp_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sb_ramp_model_list_model_init))

static GType
sb_ramp_model_get_item_type (GListModel *list)
{
  return g_list_model_get_item_type (SB_RAMP_MODEL (list)->source);
}

static guint
sb_ramp_model_get_n_items (GListModel *list)
{
  return SB_RAMP_MODEL (list)->n_shown;
}

static gpointer
sb_ramp_model_get_item (GListModel *list,
                        guint       position)
{
  SbRampModel *self = SB_RAMP_MODEL (list);

  if (position >= self->n_shown)
    return NULL;
  return g_list_model_get_item (self->source, position);
}

static void
sb_ramp_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_ramp_model_get_item_type;
  iface->get_n_items = sb_ramp_model_get_n_items;
  iface->get_item = sb_ramp_model_get_item;
}

static void
stop_ramp (SbRampModel *self)
{
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
}

/* Lets in up to @n_more items, or all of them; stops the ramp when none
 * is left out. */
static void
let_in (SbRampModel *self,
        guint        n_more)
{
  guint n_source = g_list_model_get_n_items (self->source);
  guint before = self->n_shown;

  if (self->n_shown >= ROW_BUDGET || n_more > n_source - self->n_shown)
    self->n_shown = n_source;
  else
    self->n_shown += n_more;
  if (self->n_shown == n_source)
    stop_ramp (self);
  if (self->n_shown > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->n_shown - before);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  SbRampModel *self = user_data;

  let_in (self, SB_RAMP_MODEL_STEP);
  return self->tick_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
source_items_changed_cb (GListModel  *source,
                         guint        position,
                         guint        removed,
                         guint        added,
                         SbRampModel *self)
{
  guint n_source = g_list_model_get_n_items (source);
  guint before = self->n_shown;

  /* Appended past what is shown: let it in now, or on the next frames. */
  if (removed == 0 && position >= self->n_shown)
    {
      if (self->tick_id != 0)
        return;
      if (self->n_shown < ROW_BUDGET && added > SB_RAMP_MODEL_STEP &&
          self->widget != NULL && gtk_widget_get_mapped (self->widget))
        {
          self->tick_id = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
          let_in (self, SB_RAMP_MODEL_STEP);
          return;
        }
      let_in (self, added);
      return;
    }

  /* Anything else changes what is shown: show the source as it is. */
  stop_ramp (self);
  if (position >= before)
    {
      /* Only items not shown yet changed. */
      self->n_shown = MIN (before, n_source);
      let_in (self, n_source);
      return;
    }
  self->n_shown = n_source;
  g_list_model_items_changed (G_LIST_MODEL (self), position, before - position, n_source - position);
}

static void
widget_unmap_cb (GtkWidget   *widget,
                 SbRampModel *self)
{
  /* A hidden list has no frames to pace it. */
  if (self->tick_id != 0)
    let_in (self, G_MAXUINT);
}

static void
sb_ramp_model_dispose (GObject *object)
{
  SbRampModel *self = SB_RAMP_MODEL (object);

  stop_ramp (self);
  if (self->widget != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->widget, self);
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (sb_ramp_model_parent_class)->dispose (object);
}

static void
sb_ramp_model_class_init (SbRampModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sb_ramp_model_dispose;
}

static void
sb_ramp_model_init (SbRampModel *self)
{
}

SbRampModel *
sb_ramp_model_new (GListModel *source,
                   GtkWidget  *widget)
{
  SbRampModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (SB_TYPE_RAMP_MODEL, NULL);
  self->source = g_object_ref (source);
  self->n_shown = g_list_model_get_n_items (source);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  g_signal_connect (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);
  g_signal_connect (widget, "unmap", G_CALLBACK (widget_unmap_cb), self);
  return self;
}

gboolean
sb_ramp_model_is_ramping (SbRampModel *self)
{
  g_return_val_if_fail (SB_IS_RAMP_MODEL (self), FALSE);
  return self->tick_id != 0;
}
