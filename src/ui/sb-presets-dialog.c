/* sb-presets-dialog.c — Presets → Open: the saved presets, to open or delete
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-presets-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-preset.h"
#include "sb-presets-dialog.h"

struct _SbPresetsDialog
{
  GtkWindow     parent_instance;

  /* Template widgets */
  GtkListBox   *list;

  /* Owned */
  char         *presets_dir;
  GCancellable *cancellable;   /* listing and deleting; cancelled when the dialog goes */
};

enum {
  PROP_0,
  PROP_PRESETS_DIR,
  N_PROPS
};

enum {
  OPEN,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbPresetsDialog, sb_presets_dialog, GTK_TYPE_WINDOW)

static void fill_list (SbPresetsDialog *self);

static void
failed (SbPresetsDialog *self,
        const char      *message)
{
  g_signal_emit (self, signals[FAILED], 0, message);
}

static void
open_clicked_cb (GtkButton       *button,
                 SbPresetsDialog *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = sb_preset_get_file (self->presets_dir, name, &error);

  g_object_ref (self);
  if (file != NULL)
    g_signal_emit (self, signals[OPEN], 0, file);
  else
    failed (self, error->message);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SbPresetsDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        failed (self, error->message);
      return;
    }
  fill_list (self);
}

static void
delete_clicked_cb (GtkButton       *button,
                   SbPresetsDialog *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autoptr(GFile) file = sb_preset_get_file (self->presets_dir, name, NULL);

  if (file != NULL)
    g_file_delete_async (file, G_PRIORITY_DEFAULT, self->cancellable,
                         deleted_cb, g_object_ref (self));
}

static GtkWidget *
make_row (SbPresetsDialog *self,
          const char      *name)
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
  g_signal_connect_object (open, "clicked", G_CALLBACK (open_clicked_cb), self, 0);
  g_signal_connect_object (delete, "clicked", G_CALLBACK (delete_clicked_cb), self, 0);

  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), open);
  gtk_box_append (GTK_BOX (row), delete);

  return row;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbPresetsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sb_preset_list_finish (result, &error);
  GtkWidget *child;

  /* The dialog went while the folder was read. */
  if (self->list == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (names == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        failed (self, error->message);
      return;
    }

  for (guint i = 0; names[i] != NULL; i++)
    gtk_list_box_append (self->list, make_row (self, names[i]));
}

static void
fill_list (SbPresetsDialog *self)
{
  sb_preset_list_async (self->presets_dir, self->cancellable, listed_cb, g_object_ref (self));
}

SbPresetsDialog *
sb_presets_dialog_new (GtkWindow  *parent,
                       const char *presets_dir)
{
  g_return_val_if_fail (presets_dir != NULL, NULL);

  return g_object_new (SB_TYPE_PRESETS_DIALOG,
                       "transient-for", parent,
                       "presets-dir", presets_dir,
                       NULL);
}

static void
sb_presets_dialog_constructed (GObject *object)
{
  SbPresetsDialog *self = SB_PRESETS_DIALOG (object);

  G_OBJECT_CLASS (sb_presets_dialog_parent_class)->constructed (object);

  fill_list (self);
}

static void
sb_presets_dialog_dispose (GObject *object)
{
  SbPresetsDialog *self = SB_PRESETS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PRESETS_DIALOG);

  G_OBJECT_CLASS (sb_presets_dialog_parent_class)->dispose (object);
}

static void
sb_presets_dialog_finalize (GObject *object)
{
  SbPresetsDialog *self = SB_PRESETS_DIALOG (object);

  g_clear_pointer (&self->presets_dir, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sb_presets_dialog_parent_class)->finalize (object);
}

static void
sb_presets_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbPresetsDialog *self = SB_PRESETS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PRESETS_DIR:
      g_value_set_string (value, self->presets_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_presets_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbPresetsDialog *self = SB_PRESETS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PRESETS_DIR:
      g_free (self->presets_dir);
      self->presets_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_presets_dialog_class_init (SbPresetsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_presets_dialog_constructed;
  object_class->dispose = sb_presets_dialog_dispose;
  object_class->finalize = sb_presets_dialog_finalize;
  object_class->get_property = sb_presets_dialog_get_property;
  object_class->set_property = sb_presets_dialog_set_property;

  properties[PROP_PRESETS_DIR] =
    g_param_spec_string ("presets-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN] =
    g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-presets-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPresetsDialog, list);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sb_presets_dialog_init (SbPresetsDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
