/* sb-wrap-bin.c — holds a wrapping label that changes often, measured cheaply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-wrap-bin"

#include "config.h"

#include "sb-wrap-bin.h"

struct _SbWrapBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;
};

static void sb_wrap_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbWrapBin, sb_wrap_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, sb_wrap_bin_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

static void
sb_wrap_bin_add_child (GtkBuildable *buildable,
                       GtkBuilder   *builder,
                       GObject      *child,
                       const char   *type)
{
  SbWrapBin *self = SB_WRAP_BIN (buildable);

  if (GTK_IS_WIDGET (child) && self->child == NULL)
    {
      self->child = GTK_WIDGET (child);
      gtk_widget_set_parent (self->child, GTK_WIDGET (self));
    }
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
sb_wrap_bin_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = sb_wrap_bin_add_child;
}

static GtkSizeRequestMode
sb_wrap_bin_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sb_wrap_bin_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  SbWrapBin *self = SB_WRAP_BIN (widget);

  if (self->child == NULL || !gtk_widget_get_visible (self->child))
    return;
  /* The point of this widget: a width is never measured for a height. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
sb_wrap_bin_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  SbWrapBin *self = SB_WRAP_BIN (widget);

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
sb_wrap_bin_dispose (GObject *object)
{
  SbWrapBin *self = SB_WRAP_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  G_OBJECT_CLASS (sb_wrap_bin_parent_class)->dispose (object);
}

static void
sb_wrap_bin_class_init (SbWrapBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_wrap_bin_dispose;
  widget_class->get_request_mode = sb_wrap_bin_get_request_mode;
  widget_class->measure = sb_wrap_bin_measure;
  widget_class->size_allocate = sb_wrap_bin_size_allocate;
}

static void
sb_wrap_bin_init (SbWrapBin *self)
{
}
