/* sb-encoding-model.c — the codec's encodings as a list, for drop-downs
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-encoding-model"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-encoding-model.h"

/* --- SbEncodingItem --- */

struct _SbEncodingItem
{
  GObject     parent_instance;

  const char *name;    /* static */
  char       *label;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_NAME,
  ITEM_PROP_LABEL,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

G_DEFINE_FINAL_TYPE (SbEncodingItem, sb_encoding_item, G_TYPE_OBJECT)

static void
sb_encoding_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SbEncodingItem *self = SB_ENCODING_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ITEM_PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_encoding_item_finalize (GObject *object)
{
  SbEncodingItem *self = SB_ENCODING_ITEM (object);

  g_clear_pointer (&self->label, g_free);
  G_OBJECT_CLASS (sb_encoding_item_parent_class)->finalize (object);
}

static void
sb_encoding_item_class_init (SbEncodingItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_encoding_item_finalize;
  object_class->get_property = sb_encoding_item_get_property;

  /* Read-only: for expressions (a drop-down's search). */
  item_properties[ITEM_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
sb_encoding_item_init (SbEncodingItem *self)
{
}

static SbEncodingItem *
encoding_item_new (const char *name,
                   char       *label)
{
  SbEncodingItem *self = g_object_new (SB_TYPE_ENCODING_ITEM, NULL);

  self->name = name;
  self->label = label;
  return self;
}

const char *
sb_encoding_item_get_name (SbEncodingItem *self)
{
  g_return_val_if_fail (SB_IS_ENCODING_ITEM (self), NULL);
  return self->name;
}

const char *
sb_encoding_item_get_label (SbEncodingItem *self)
{
  g_return_val_if_fail (SB_IS_ENCODING_ITEM (self), NULL);
  return self->label;
}

/* --- SbEncodingModel --- */

struct _SbEncodingModel
{
  GObject    parent_instance;

  /* Owned */
  GPtrArray *items;   /* SbEncodingItem */
};

static GType
sb_encoding_model_get_item_type (GListModel *model)
{
  return SB_TYPE_ENCODING_ITEM;
}

static guint
sb_encoding_model_get_n_items (GListModel *model)
{
  return SB_ENCODING_MODEL (model)->items->len;
}

static gpointer
sb_encoding_model_get_item (GListModel *model,
                            guint       position)
{
  SbEncodingModel *self = SB_ENCODING_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_encoding_model_get_item_type;
  iface->get_n_items = sb_encoding_model_get_n_items;
  iface->get_item = sb_encoding_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SbEncodingModel, sb_encoding_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
sb_encoding_model_finalize (GObject *object)
{
  SbEncodingModel *self = SB_ENCODING_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (sb_encoding_model_parent_class)->finalize (object);
}

static void
sb_encoding_model_class_init (SbEncodingModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_encoding_model_finalize;
}

static void
sb_encoding_model_init (SbEncodingModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

SbEncodingModel *
sb_encoding_model_new (SbEncodingModelFlags flags,
                       const char          *first_label)
{
  SbEncodingModel *self = g_object_new (SB_TYPE_ENCODING_MODEL, NULL);
  const SbEncodingInfo *table;
  guint n = 0;

  if (first_label != NULL)
    g_ptr_array_add (self->items, encoding_item_new ("", g_strdup (first_label)));

  table = sb_codec_get_encodings (&n);
  for (guint i = 0; i < n; i++)
    {
      char *label;

      if (!(flags & SB_ENCODING_MODEL_WITH_HEX) && g_strcmp0 (table[i].name, SB_ENCODING_HEX) == 0)
        continue;
      if (table[i].description != NULL && table[i].description[0] != '\0')
        /* Translators: an encoding in a list, "GBK — Simplified Chinese (Windows)" */
        label = g_strdup_printf (_("%s — %s"), table[i].name, _(table[i].description));
      else
        label = g_strdup (table[i].name);
      g_ptr_array_add (self->items, encoding_item_new (table[i].name, label));
    }
  return self;
}

guint
sb_encoding_model_find (SbEncodingModel *self,
                        const char      *name)
{
  const char *canonical;

  g_return_val_if_fail (SB_IS_ENCODING_MODEL (self), GTK_INVALID_LIST_POSITION);

  if (name == NULL)
    return GTK_INVALID_LIST_POSITION;
  canonical = name[0] == '\0' ? "" : sb_codec_canonical_name (name);
  if (canonical == NULL)
    return GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < self->items->len; i++)
    {
      SbEncodingItem *item = g_ptr_array_index (self->items, i);

      if (g_str_equal (item->name, canonical))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

const char *
sb_encoding_model_get_name (SbEncodingModel *self,
                            guint            position)
{
  g_return_val_if_fail (SB_IS_ENCODING_MODEL (self), NULL);

  if (position >= self->items->len)
    return NULL;
  return SB_ENCODING_ITEM (g_ptr_array_index (self->items, position))->name;
}

/* --- Drop-downs --- */

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  SbEncodingItem *encoding = gtk_list_item_get_item (item);
  gboolean name_only = GPOINTER_TO_INT (user_data) && encoding->name[0] != '\0';

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      name_only ? encoding->name : encoding->label);
}

static GtkListItemFactory *
label_factory_new (gboolean name_only)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (name_only));
  return factory;
}

static SbEncodingModel *
drop_down_model (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  g_return_val_if_fail (SB_IS_ENCODING_MODEL (model), NULL);
  return SB_ENCODING_MODEL (model);
}

void
sb_encoding_drop_down_setup (GtkDropDown         *dropdown,
                             SbEncodingModelFlags flags,
                             const char          *first_label,
                             gboolean             compact)
{
  g_autoptr(SbEncodingModel) model = NULL;
  g_autoptr(GtkListItemFactory) button_factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  g_autoptr(GtkExpression) expression = NULL;

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  model = sb_encoding_model_new (flags, first_label);
  button_factory = label_factory_new (compact);
  list_factory = label_factory_new (FALSE);
  expression = gtk_property_expression_new (SB_TYPE_ENCODING_ITEM, NULL, "label");
  gtk_drop_down_set_factory (dropdown, button_factory);
  gtk_drop_down_set_list_factory (dropdown, list_factory);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  /* What the drop-down's search (enable-search) matches. */
  gtk_drop_down_set_expression (dropdown, expression);
  gtk_drop_down_set_selected (dropdown, 0);
}

GtkWidget *
sb_encoding_drop_down_new (SbEncodingModelFlags flags,
                           const char          *first_label,
                           gboolean             compact)
{
  GtkWidget *dropdown = gtk_drop_down_new (NULL, NULL);

  sb_encoding_drop_down_setup (GTK_DROP_DOWN (dropdown), flags, first_label, compact);
  return dropdown;
}

gboolean
sb_encoding_drop_down_select (GtkDropDown *dropdown,
                              const char  *name)
{
  SbEncodingModel *model;
  guint position;

  g_return_val_if_fail (GTK_IS_DROP_DOWN (dropdown), FALSE);

  model = drop_down_model (dropdown);
  if (model == NULL)
    return FALSE;
  position = sb_encoding_model_find (model, name);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  if (gtk_drop_down_get_selected (dropdown) != position)
    gtk_drop_down_set_selected (dropdown, position);
  return TRUE;
}

const char *
sb_encoding_drop_down_get_selected (GtkDropDown *dropdown)
{
  SbEncodingModel *model;

  g_return_val_if_fail (GTK_IS_DROP_DOWN (dropdown), NULL);

  model = drop_down_model (dropdown);
  if (model == NULL)
    return NULL;
  return sb_encoding_model_get_name (model, gtk_drop_down_get_selected (dropdown));
}

static gboolean
setting_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  guint position = sb_encoding_model_find (user_data, g_variant_get_string (variant, NULL));

  g_value_set_uint (value, position == GTK_INVALID_LIST_POSITION ? 0 : position);
  return TRUE;
}

static GVariant *
setting_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *name = sb_encoding_model_get_name (user_data, g_value_get_uint (value));

  return name != NULL ? g_variant_new_string (name) : NULL;
}

void
sb_encoding_drop_down_bind_setting (GtkDropDown *dropdown,
                                    GSettings   *settings,
                                    const char  *key)
{
  SbEncodingModel *model;

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));
  g_return_if_fail (G_IS_SETTINGS (settings));

  model = drop_down_model (dropdown);
  if (model == NULL)
    return;
  /* The binding keeps its own reference to the model. */
  g_settings_bind_with_mapping (settings, key, dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                setting_get_mapping, setting_set_mapping,
                                g_object_ref (model), g_object_unref);
}
