/* sb-encoding-model.h — the codec's encodings as a list, for drop-downs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One row: a canonical encoding name ("GBK"; "" for the model's first row
 * when it has one) and its translated label ("GBK — Simplified Chinese
 * (Windows)"). */
#define SB_TYPE_ENCODING_ITEM (sb_encoding_item_get_type ())
G_DECLARE_FINAL_TYPE (SbEncodingItem, sb_encoding_item, SB, ENCODING_ITEM, GObject)

const char *sb_encoding_item_get_name  (SbEncodingItem *self);
const char *sb_encoding_item_get_label (SbEncodingItem *self);

typedef enum
{
  SB_ENCODING_MODEL_TEXT = 0,          /* the text encodings only */
  SB_ENCODING_MODEL_WITH_HEX = 1 << 0, /* and "hex" last, as the codec has it */
} SbEncodingModelFlags;

/* A GListModel of SbEncodingItem, in the codec's order. */
#define SB_TYPE_ENCODING_MODEL (sb_encoding_model_get_type ())
G_DECLARE_FINAL_TYPE (SbEncodingModel, sb_encoding_model, SB, ENCODING_MODEL, GObject)

/* Returns a new model. With @first_label, a first row of that label stands
 * for "no encoding of its own" ("Same as view", "By language (UTF-8)"): its
 * name is "". */
SbEncodingModel *sb_encoding_model_new      (SbEncodingModelFlags flags,
                                             const char          *first_label);
/* The position of @name (any alias the codec knows; "" for the first row),
 * or GTK_INVALID_LIST_POSITION. */
guint            sb_encoding_model_find     (SbEncodingModel     *self,
                                             const char          *name);
/* The canonical name at @position (static; "" for the first row), or NULL. */
const char      *sb_encoding_model_get_name (SbEncodingModel     *self,
                                             guint                position);

/* Gives @dropdown a new model and the factories: the list shows labels;
 * with @compact the button shows the name only, to stay narrow. Selects
 * the first row. */
void             sb_encoding_drop_down_setup        (GtkDropDown         *dropdown,
                                                     SbEncodingModelFlags flags,
                                                     const char          *first_label,
                                                     gboolean             compact);
/* A new drop-down made with sb_encoding_drop_down_setup(). */
GtkWidget       *sb_encoding_drop_down_new          (SbEncodingModelFlags flags,
                                                     const char          *first_label,
                                                     gboolean             compact);
/* Selects the row of @name; FALSE (and nothing changes) when it has none. */
gboolean         sb_encoding_drop_down_select       (GtkDropDown         *dropdown,
                                                     const char          *name);
/* The canonical name of the selected row (static; "" for the first row),
 * or NULL when nothing is selected. */
const char      *sb_encoding_drop_down_get_selected (GtkDropDown         *dropdown);
/* Binds string setting @key of @settings to the selection, both ways, by
 * canonical name ("" is the first row); a value the model lacks selects the
 * first row. Undo with g_settings_unbind (@dropdown, "selected"). */
void             sb_encoding_drop_down_bind_setting (GtkDropDown         *dropdown,
                                                     GSettings           *settings,
                                                     const char          *key);

G_END_DECLS
