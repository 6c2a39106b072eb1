/* sb-byte-inspector.c — the bytes of one message and the characters they make
 *
 * The grid of bytes and characters is SbByteGrid (sb-byte-inspector-grid.c);
 * this file is the panel around it: encodings, the selection decoded, the
 * invalid bytes listed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-byte-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-byte-inspector-private.h"
#include "sb-codec.h"
#include "sb-encoding-model.h"

#define MAX_INVALID_LISTED 100


struct _SbByteInspector
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkLabel    *first_label;
  GtkDropDown *second_dropdown;
  GtkLabel    *title_label;
  GtkLabel    *header_label;
  GtkStack    *stack;
  GtkLabel    *placeholder_label;
  SbByteGrid  *grid;
  GtkLabel    *truncated_label;
  GtkLabel    *selection_label;
  GtkLabel    *invalid_label;

  /* Owned */
  GBytes      *data;           /* the first 4 KiB */

  const char  *encoding;       /* static, canonical */
  const char  *second;         /* static, canonical */
  guint        second_chosen : 1;   /* by the user: no longer follows the page */
  guint        updating : 1;
};

enum {
  PROP_0,
  PROP_ENCODING,
  PROP_SECOND_ENCODING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbByteInspector, sb_byte_inspector, GTK_TYPE_WIDGET)

static const char *
default_second (const char *encoding)
{
  return g_strcmp0 (encoding, "UTF-8") == 0 ? sb_codec_canonical_name ("GBK") : "UTF-8";
}

static void
update_selection_text (SbByteInspector *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len = 0;
  const guint8 *bytes = self->data ? g_bytes_get_data (self->data, &len) : NULL;
  guint start = self->grid->sel_start, end = self->grid->sel_end;
  g_autofree char *hex = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));

  if (bytes == NULL)
    {
      gtk_label_set_text (self->selection_label, "");
      return;
    }
  if (end <= start)
    {
      gtk_label_set_text (self->selection_label,
                          _("Click a byte or a character, or drag across several, to decode just that part."));
      gtk_widget_add_css_class (GTK_WIDGET (self->selection_label), "dim-label");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->selection_label), "dim-label");

  hex = sb_codec_format_hex (bytes + start, end - start);
  first = sb_codec_decode (self->encoding, bytes + start, end - start, SB_DECODE_ESCAPE_CONTROLS, marks);
  second = sb_codec_decode (self->second, bytes + start, end - start, SB_DECODE_ESCAPE_CONTROLS, NULL);

  /* Translators: the selected bytes, “Bytes 0–2 (3 bytes): e6 82 a8” */
  g_string_append_printf (out, ngettext ("Byte %u–%u (%u byte): %s", "Bytes %u–%u (%u bytes): %s", end - start),
                          start, end - 1, end - start, hex);
  g_string_append_printf (out, "\n%s: %s\n%s: %s", self->encoding, first, self->second, second);

  /* The same characters written in the second encoding: the other half of
   * the comparison (您 is e6 82 a8 in UTF-8, c4 fa in GBK). */
  if (marks->len == 0 && g_strcmp0 (self->encoding, self->second) != 0)
    {
      g_autofree char *plain = sb_codec_decode (self->encoding, bytes + start, end - start, SB_DECODE_DEFAULT, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) encoded = sb_codec_encode (self->second, plain, -1, NULL, &error);

      g_string_append_c (out, '\n');
      if (encoded != NULL)
        {
          g_autofree char *encoded_hex = sb_codec_format_hex (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
          /* Translators: “In GBK, “您” is written c4 fa (2 bytes)” */
          g_string_append_printf (out, ngettext ("In %s, “%s” is written %s (%u byte)",
                                                 "In %s, “%s” is written %s (%u bytes)",
                                                 g_bytes_get_size (encoded)),
                                  self->second, first, encoded_hex, (guint) g_bytes_get_size (encoded));
        }
      else
        g_string_append (out, error->message);
    }
  gtk_label_set_text (self->selection_label, out->str);
}

static void
update_invalid_text (SbByteInspector *self)
{
  GArray *units = self->grid->units[0];
  gsize len = 0;
  const guint8 *bytes = self->data ? g_bytes_get_data (self->data, &len) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_invalid = 0, n_bytes = 0;

  for (guint i = 0; units != NULL && i < units->len; i++)
    {
      const SbUnit *unit = &g_array_index (units, SbUnit, i);
      g_autofree char *reason = NULL;
      g_autofree char *hex = NULL;

      if (unit->kind == SB_UNIT_CHAR)
        continue;
      n_bytes += unit->length;
      if (n_invalid++ >= MAX_INVALID_LISTED)
        continue;
      reason = sb_inspect_describe (unit, self->encoding, bytes, len);
      hex = sb_codec_format_hex (bytes + unit->offset, unit->length);
      if (unit->length == 1)
        /* Translators: one invalid byte in the list, “Byte 4: ff — 0xff cannot start a GBK character” */
        g_string_append_printf (out, _("• Byte %u: %s — %s\n"), unit->offset, hex, reason ? reason : "");
      else
        /* Translators: bytes that begin a character the message cuts off, “Bytes 4–5: e6 82 — …” */
        g_string_append_printf (out, _("• Bytes %u–%u: %s — %s\n"), unit->offset, unit->offset + unit->length - 1,
                                hex, reason ? reason : "");
    }
  if (n_invalid > MAX_INVALID_LISTED)
    g_string_append_printf (out, ngettext ("…and %u more\n", "…and %u more\n", n_invalid - MAX_INVALID_LISTED),
                            n_invalid - MAX_INVALID_LISTED);
  if (n_invalid > 0)
    {
      g_autofree char *heading =
        /* Translators: heading of the list of invalid bytes, “2 bytes are not valid UTF-8:” */
        g_strdup_printf (ngettext ("%u byte is not valid %s:", "%u bytes are not valid %s:", n_bytes),
                         n_bytes, self->encoding);
      g_string_prepend_c (out, '\n');
      g_string_prepend (out, heading);
      g_string_truncate (out, out->len - 1);
    }
  gtk_label_set_text (self->invalid_label, out->str);
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), n_invalid > 0);
}

static void
refresh (SbByteInspector *self)
{
  self->grid->encodings[0] = self->encoding;
  self->grid->encodings[1] = self->second;
  sb_byte_grid_set_data (self->grid, self->data);
  gtk_label_set_text (self->first_label, self->encoding);
  update_invalid_text (self);
  update_selection_text (self);
}

static void
grid_selection_changed_cb (SbByteInspector *self)
{
  update_selection_text (self);
}

static void
second_selected_cb (SbByteInspector *self)
{
  const char *name = sb_encoding_drop_down_get_selected (self->second_dropdown);

  if (self->updating || name == NULL)
    return;
  self->second_chosen = TRUE;
  sb_byte_inspector_set_second_encoding (self, name);
}

/* --- Public --- */

GtkWidget *
sb_byte_inspector_new (void)
{
  return g_object_new (SB_TYPE_BYTE_INSPECTOR, NULL);
}

void
sb_byte_inspector_set_data (SbByteInspector *self,
                            GBytes          *data,
                            const char      *title)
{
  gsize len;

  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  g_clear_pointer (&self->data, g_bytes_unref);
  if (data == NULL)
    {
      sb_byte_inspector_set_placeholder (self, NULL);
      return;
    }

  len = g_bytes_get_size (data);
  self->data = len > SB_BYTE_INSPECTOR_MAX_BYTES ? g_bytes_new_from_bytes (data, 0, SB_BYTE_INSPECTOR_MAX_BYTES)
                                                 : g_bytes_ref (data);
  if (len > SB_BYTE_INSPECTOR_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (len);
      g_autofree char *text = g_strdup_printf (_("Only the first 4 KiB of this %s message are shown."), size);
      gtk_label_set_text (self->truncated_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->truncated_label), len > SB_BYTE_INSPECTOR_MAX_BYTES);
  gtk_label_set_text (self->title_label, title ? title : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  gtk_widget_set_visible (GTK_WIDGET (self->header_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "bytes");
  refresh (self);
}

void
sb_byte_inspector_set_header_fields (SbByteInspector *self,
                                     GPtrArray       *lines)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      if (text->len > 0)
        g_string_append (text, "  ·  ");
      g_string_append (text, g_ptr_array_index (lines, i));
    }
  gtk_label_set_text (self->header_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->header_label), text->len > 0);
}

void
sb_byte_inspector_set_placeholder (SbByteInspector *self,
                                   const char      *message)
{
  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  g_clear_pointer (&self->data, g_bytes_unref);
  gtk_label_set_text (self->placeholder_label,
                      message ? message : _("Select a message in the history to see its bytes and the characters they make."));
  gtk_label_set_text (self->title_label, "");
  gtk_stack_set_visible_child_name (self->stack, "empty");
  refresh (self);
}

const char *
sb_byte_inspector_get_encoding (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return self->encoding;
}

void
sb_byte_inspector_set_encoding (SbByteInspector *self,
                                const char      *encoding)
{
  const char *canonical;

  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  canonical = encoding ? sb_codec_canonical_name (encoding) : NULL;
  if (canonical == NULL || g_strcmp0 (canonical, SB_ENCODING_HEX) == 0 || g_strcmp0 (canonical, self->encoding) == 0)
    return;
  self->encoding = canonical;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
  if (!self->second_chosen)
    {
      sb_byte_inspector_set_second_encoding (self, default_second (canonical));
      self->second_chosen = FALSE;
    }
  refresh (self);
}

const char *
sb_byte_inspector_get_second_encoding (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return self->second;
}

void
sb_byte_inspector_set_second_encoding (SbByteInspector *self,
                                       const char      *encoding)
{
  const char *canonical;

  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  canonical = encoding ? sb_codec_canonical_name (encoding) : NULL;
  if (canonical == NULL || g_strcmp0 (canonical, SB_ENCODING_HEX) == 0 || g_strcmp0 (canonical, self->second) == 0)
    return;
  self->second = canonical;
  self->second_chosen = TRUE;

  self->updating = TRUE;
  sb_encoding_drop_down_select (self->second_dropdown, canonical);
  self->updating = FALSE;

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECOND_ENCODING]);
}

guint
sb_byte_inspector_get_n_units (SbByteInspector *self,
                               gboolean         second)
{
  GArray *units;

  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), 0);
  units = self->grid->units[second ? 1 : 0];
  return units ? units->len : 0;
}

const SbUnit *
sb_byte_inspector_get_unit (SbByteInspector *self,
                            gboolean         second,
                            guint            index)
{
  GArray *units;

  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  units = self->grid->units[second ? 1 : 0];
  g_return_val_if_fail (units != NULL && index < units->len, NULL);
  return &g_array_index (units, SbUnit, index);
}

void
sb_byte_inspector_select_range (SbByteInspector *self,
                                guint            start,
                                guint            end)
{
  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  self->grid->anchor_start = start;
  self->grid->anchor_end = end;
  sb_byte_grid_set_selection (self->grid, start, end);
}

const char *
sb_byte_inspector_get_selection_text (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->selection_label);
}

const char *
sb_byte_inspector_get_invalid_text (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->invalid_label);
}

/* --- GObject --- */

static void
sb_byte_inspector_dispose (GObject *object)
{
  SbByteInspector *self = SB_BYTE_INSPECTOR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_BYTE_INSPECTOR);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (sb_byte_inspector_parent_class)->dispose (object);
}

static void
sb_byte_inspector_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbByteInspector *self = SB_BYTE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_SECOND_ENCODING:
      g_value_set_string (value, self->second);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_byte_inspector_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbByteInspector *self = SB_BYTE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_ENCODING:
      sb_byte_inspector_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_SECOND_ENCODING:
      sb_byte_inspector_set_second_encoding (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_byte_inspector_class_init (SbByteInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (SB_TYPE_BYTE_GRID);

  object_class->dispose = sb_byte_inspector_dispose;
  object_class->get_property = sb_byte_inspector_get_property;
  object_class->set_property = sb_byte_inspector_set_property;

  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, "UTF-8",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SECOND_ENCODING] =
    g_param_spec_string ("second-encoding", NULL, NULL, "GBK",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_BYTE_GRID);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/teaching/sb-byte-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, first_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, second_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, header_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, grid);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, truncated_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, invalid_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-byte-inspector");
}

static void
sb_byte_inspector_init (SbByteInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  sb_encoding_drop_down_setup (self->second_dropdown, SB_ENCODING_MODEL_TEXT, NULL, TRUE);
  g_signal_connect_object (self->second_dropdown, "notify::selected", G_CALLBACK (second_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->grid, "selection-changed", G_CALLBACK (grid_selection_changed_cb), self, G_CONNECT_SWAPPED);

  self->encoding = "UTF-8";
  sb_byte_inspector_set_second_encoding (self, default_second (self->encoding));
  self->second_chosen = FALSE;
  sb_byte_inspector_set_placeholder (self, NULL);
}
