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
  GtkLabel    *stream_label;
  GtkLabel    *frames_label;
  GtkLabel    *selection_label;
  GtkLabel    *invalid_label;

  /* Owned */
  GBytes      *data;           /* the first 4 KiB (with the carried bytes) */
  SbHistory   *history;        /* the record shown, if shown by serial */
  gint64       serial;
  char        *title;
  SbFrames    *frames;
  GArray      *bounds;         /* guint, shared with the grid */
  guint        frames_idle;

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
      /* Bytes the next read completes are not invalid: they are said so
       * above, and shown whole in the next record. */
      if (self->grid->handed_on > 0 && unit->offset >= len - self->grid->handed_on)
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

/* Shows @data (the first 4 KiB of @total bytes) under @title; the caller
 * refreshes. */
static void
show_data (SbByteInspector *self,
           GBytes          *data,
           gsize            total,
           const char      *title)
{
  gsize len = g_bytes_get_size (data);

  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = len > SB_BYTE_INSPECTOR_MAX_BYTES ? g_bytes_new_from_bytes (data, 0, SB_BYTE_INSPECTOR_MAX_BYTES)
                                                 : g_bytes_ref (data);
  if (total > SB_BYTE_INSPECTOR_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (total);
      g_autofree char *text = g_strdup_printf (_("Only the first 4 KiB of this %s message are shown."), size);
      gtk_label_set_text (self->truncated_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->truncated_label), total > SB_BYTE_INSPECTOR_MAX_BYTES);
  gtk_label_set_text (self->title_label, title ? title : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  gtk_stack_set_visible_child_name (self->stack, "bytes");
}

static void
add_bound (GArray *bounds,
           guint   at)
{
  for (guint i = 0; i < bounds->len; i++)
    if (g_array_index (bounds, guint, i) == at)
      return;
  g_array_append_val (bounds, at);
}

/* The frames holding bytes of the shown record: bars over the bytes and a
 * line each saying why it split there. */
static void
load_frames (SbByteInspector *self,
             guint            carry_len,
             gsize            shown)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) positions = NULL;

  g_array_set_size (self->bounds, 0);
  if (self->frames != NULL && self->serial >= 0 && sb_frames_get_framer (self->frames) != NULL)
    positions = sb_frames_find_read (self->frames, (guint64) self->serial);

  for (guint i = 0; positions != NULL && i < positions->len; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (self->frames), g_array_index (positions, guint, i));
      g_autoptr(GArray) parts = NULL;
      g_autofree char *why = NULL;
      g_auto(GStrv) lines = NULL;
      g_autofree char *joined = NULL;

      if (item == NULL)
        continue;
      parts = sb_frame_item_dup_parts (item);
      for (guint j = 0; j < parts->len; j++)
        {
          const SbFramePart *part = &g_array_index (parts, SbFramePart, j);
          guint start = carry_len + part->offset, end = start + part->length;

          if (part->serial != (guint64) self->serial)
            continue;
          /* Bars where a frame begins or ends, not where a read cuts it. */
          if (j == 0 && start < shown)
            add_bound (self->bounds, start);
          if (j == parts->len - 1 && sb_frame_item_get_status (item) != SB_FRAME_INCOMPLETE && end < shown)
            add_bound (self->bounds, end);

          why = sb_frame_item_dup_explanation (item);
          lines = g_strsplit (why ? why : "", "\n", -1);
          joined = g_strjoinv ("; ", lines);
          if (out->len > 0)
            g_string_append_c (out, '\n');
          if (parts->len > 1)
            /* Translators: one frame in the byte inspector, “Frame 3, bytes 0–17 of this read (of 2 reads): length field 0x0010 = 16 bytes + 2 header” */
            g_string_append_printf (out, _("Frame %llu, bytes %u–%u of this read (of %u reads): %s"),
                                    (unsigned long long) sb_frame_item_get_number (item) + 1,
                                    part->offset, part->offset + part->length - 1, parts->len, joined);
          else
            /* Translators: one frame in the byte inspector, “Frame 3, bytes 0–17 of this read: delimiter \r\n” */
            g_string_append_printf (out, _("Frame %llu, bytes %u–%u of this read: %s"),
                                    (unsigned long long) sb_frame_item_get_number (item) + 1,
                                    part->offset, part->offset + part->length - 1, joined);
          break;
        }
    }
  gtk_label_set_text (self->frames_label, out->str);
  gtk_widget_set_visible (GTK_WIDGET (self->frames_label), out->len > 0);
}

/* The record by serial, with the carried and handed-on bytes of its
 * stream in the page's encoding. */
static void
load_record (SbByteInspector *self)
{
  guint position;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GByteArray) all = NULL;
  SbStreamSpan span = { 0 };
  gsize len, room;
  g_autoptr(GString) note = g_string_new (NULL);

  self->grid->carry_len = self->grid->handed_on = 0;
  if (!sb_history_find_serial (self->history, (guint64) self->serial, &position) ||
      (data = sb_history_dup_data (self->history, position)) == NULL)
    {
      g_clear_pointer (&self->data, g_bytes_unref);
      gtk_label_set_text (self->placeholder_label, _("This message is no longer in the history."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_array_set_size (self->bounds, 0);
      return;
    }

  if (!sb_history_get_stream_span (self->history, position, self->encoding, &span))
    span.carry_len = span.handed_on = 0;
  len = g_bytes_get_size (data);
  room = SB_BYTE_INSPECTOR_MAX_BYTES - MIN (span.carry_len, SB_BYTE_INSPECTOR_MAX_BYTES);
  all = g_byte_array_sized_new (span.carry_len + MIN (len, room));
  g_byte_array_append (all, span.carry, span.carry_len);
  g_byte_array_append (all, g_bytes_get_data (data, NULL), MIN (len, room));
  {
    g_autoptr(GBytes) shown = g_byte_array_free_to_bytes (g_steal_pointer (&all));

    show_data (self, shown, span.carry_len + len, self->title);
    self->grid->carry_len = span.carry_len;
    self->grid->handed_on = len <= room ? span.handed_on : 0;
    load_frames (self, span.carry_len, g_bytes_get_size (shown));
  }

  if (span.carry_len > 0)
    /* Translators: the byte inspector, bytes of a character begun in the previous read */
    g_string_append_printf (note, ngettext ("The first %u byte (shaded) came in an earlier read: the character it begins is shown here, whole.",
                                            "The first %u bytes (shaded) came in an earlier read: the character they begin is shown here, whole.",
                                            span.carry_len), (guint) span.carry_len);
  if (self->grid->handed_on > 0)
    {
      if (note->len > 0)
        g_string_append_c (note, '\n');
      /* Translators: the byte inspector, the last bytes of a read whose character the next read completes */
      g_string_append_printf (note, ngettext ("The last %u byte begins a character the next read completes; it is shown there.",
                                              "The last %u bytes begin a character the next read completes; it is shown there.",
                                              self->grid->handed_on), self->grid->handed_on);
    }
  gtk_label_set_text (self->stream_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->stream_label), note->len > 0);
}

static void
refresh (SbByteInspector *self)
{
  if (self->history != NULL)
    load_record (self);
  else
    {
      self->grid->carry_len = self->grid->handed_on = 0;
      g_array_set_size (self->bounds, 0);
      gtk_widget_set_visible (GTK_WIDGET (self->stream_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->frames_label), FALSE);
      gtk_label_set_text (self->frames_label, "");
    }
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

static void
forget_record (SbByteInspector *self)
{
  g_clear_object (&self->history);
  g_clear_pointer (&self->title, g_free);
  self->serial = -1;
}

void
sb_byte_inspector_set_data (SbByteInspector *self,
                            GBytes          *data,
                            const char      *title)
{
  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));

  forget_record (self);
  if (data == NULL)
    {
      sb_byte_inspector_set_placeholder (self, NULL);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->header_label), FALSE);
  show_data (self, data, g_bytes_get_size (data), title);
  refresh (self);
}

void
sb_byte_inspector_set_record (SbByteInspector *self,
                              SbHistory       *history,
                              guint64          serial,
                              const char      *title)
{
  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));
  g_return_if_fail (history == NULL || SB_IS_HISTORY (history));

  if (history == NULL)
    {
      sb_byte_inspector_set_placeholder (self, NULL);
      return;
    }
  forget_record (self);
  gtk_widget_set_visible (GTK_WIDGET (self->header_label), FALSE);
  self->history = g_object_ref (history);
  self->serial = (gint64) serial;
  self->title = g_strdup (title);
  refresh (self);
}

guint
sb_byte_inspector_get_carry_length (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), 0);
  return self->data != NULL ? self->grid->carry_len : 0;
}

static gboolean
frames_idle_cb (gpointer data)
{
  SbByteInspector *self = data;

  self->frames_idle = 0;
  if (self->history != NULL)
    refresh (self);
  return G_SOURCE_REMOVE;
}

/* New frames: the shown record's bounds may have changed; once per idle. */
static void
frames_changed_cb (SbByteInspector *self)
{
  if (self->history != NULL && self->frames_idle == 0)
    self->frames_idle = g_idle_add_full (G_PRIORITY_LOW, frames_idle_cb, self, NULL);
}

SbFrames *
sb_byte_inspector_get_frames (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return self->frames;
}

void
sb_byte_inspector_set_frames (SbByteInspector *self,
                              SbFrames        *frames)
{
  g_return_if_fail (SB_IS_BYTE_INSPECTOR (self));
  g_return_if_fail (frames == NULL || SB_IS_FRAMES (frames));

  if (self->frames == frames)
    return;
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_set_object (&self->frames, frames);
  if (frames != NULL)
    {
      g_signal_connect_object (frames, "items-changed", G_CALLBACK (frames_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (frames, "notify::framer", G_CALLBACK (frames_changed_cb), self, G_CONNECT_SWAPPED);
    }
  if (self->history != NULL)
    refresh (self);
}

const char *
sb_byte_inspector_get_frames_text (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->frames_label);
}

GArray *
sb_byte_inspector_get_frame_bounds (SbByteInspector *self)
{
  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);
  return self->data != NULL && self->bounds->len > 0 ? self->bounds : NULL;
}

char *
sb_byte_inspector_dup_cell_text (SbByteInspector *self,
                                 guint            index)
{
  g_autoptr(PangoLayout) layout = NULL;
  char text[32];
  GArray *units;

  g_return_val_if_fail (SB_IS_BYTE_INSPECTOR (self), NULL);

  units = self->grid->units[0];
  if (units == NULL || index >= units->len)
    return NULL;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->grid), NULL);
  sb_byte_grid_cell_text (self->grid, layout, &g_array_index (units, SbUnit, index), text, sizeof text);
  return g_strdup (text);
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

  forget_record (self);
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
  g_clear_handle_id (&self->frames_idle, g_source_remove);
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_clear_object (&self->frames);
  forget_record (self);
  g_clear_pointer (&self->bounds, g_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, stream_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, frames_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SbByteInspector, invalid_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-byte-inspector");
}

static void
sb_byte_inspector_init (SbByteInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->serial = -1;
  /* The grid draws the bars; the inspector fills them. */
  self->bounds = g_array_new (FALSE, FALSE, sizeof (guint));
  self->grid->bounds = g_array_ref (self->bounds);
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
