/* sb-byte-inspector-grid.c — SbByteGrid, the byte inspector's drawn grid
 *
 * The grid is drawn, not built of widgets: a 4 KiB message is 4,096 cells in
 * two encodings. Its drawing is kept as one render node, rebuilt only when
 * the bytes, the encodings or the style change; a selection is drawn on top.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-byte-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-byte-inspector-private.h"
#include "sb-codec.h"

enum {
  GRID_SELECTION_CHANGED,
  N_GRID_SIGNALS
};

static guint grid_signals[N_GRID_SIGNALS];

G_DEFINE_FINAL_TYPE (SbByteGrid, sb_byte_grid, GTK_TYPE_WIDGET)

static gsize
grid_len (SbByteGrid *self)
{
  return self->data ? g_bytes_get_size (self->data) : 0;
}

static guint
grid_n_lines (SbByteGrid *self)
{
  return (grid_len (self) + self->bpl - 1) / self->bpl;
}

static void
grid_update_metrics (SbByteGrid *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0000000000");
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  self->cw = MAX (1, width / 10);
  self->lh = MAX (1, height);
}

static int gutter_w (SbByteGrid *self) { return 9 * self->cw; }
static int slot_w (SbByteGrid *self)   { return 3 * self->cw; }
static int block_h (SbByteGrid *self)  { return 3 * self->lh + 22; }
static int row_y (SbByteGrid *self, GridRow row)
{
  return row == ROW_HEX ? 2 : row == ROW_FIRST ? self->lh + 8 : 2 * self->lh + 14;
}

/* Bytes a line in @width: 16, or 8 where 16 do not fit. */
static guint
bytes_per_line_for (SbByteGrid *self,
                    int         width)
{
  return width >= gutter_w (self) + BYTES_PER_LINE * slot_w (self) ? BYTES_PER_LINE : NARROW_BYTES_PER_LINE;
}

static void
grid_invalidate (SbByteGrid *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The index of the unit holding byte @offset. */
static guint
unit_at (GArray *units,
         guint   offset)
{
  guint lo = 0, hi = units->len;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (units, SbUnit, mid).offset <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* What a unit looks like in its cell: controls as C escapes (\n, \0) or
 * caret notation (^A), which every font can show. */
static void
unit_display (const SbUnit *unit,
              char         *out,
              gsize         size)
{
  gunichar c;

  switch (unit->kind)
    {
    case SB_UNIT_INVALID:
      g_strlcpy (out, "\xef\xbf\xbd", size);   /* U+FFFD */
      return;
    case SB_UNIT_INCOMPLETE:
      g_strlcpy (out, "…", size);
      return;
    case SB_UNIT_CHAR:
    default:
      break;
    }

  c = g_utf8_get_char (unit->text);
  if ((c < 0x20 && unit->text[1] == '\0') || (c == 0 && unit->length > 0))
    {
      static const char escapes[] = "0......abtnvfr";

      if (c < sizeof escapes - 1 && escapes[c] != '.')
        g_snprintf (out, size, "\\%c", escapes[c]);
      else
        g_snprintf (out, size, "^%c", (char) ('@' + c));
    }
  else if (c == 0x7f)
    g_strlcpy (out, "^?", size);
  else if (c == ' ')
    g_strlcpy (out, "\xe2\x90\xa3", size);     /* ␣ */
  else
    g_strlcpy (out, unit->text, size);
}

/* The code point of @c in the room of @unit: “U+05E3” from 3 bytes up,
 * “05E3” in the 2 bytes of a 2-byte character. */
static void
code_point_text (const SbUnit *unit,
                 gunichar      c,
                 char         *out,
                 gsize         size)
{
  if (unit->length >= 3)
    g_snprintf (out, size, "U+%04X", c);
  else
    g_snprintf (out, size, "%04X", c);
}

void
sb_byte_grid_cell_text (SbByteGrid   *self,
                        PangoLayout  *layout,
                        const SbUnit *unit,
                        char         *out,
                        gsize         size)
{
  gunichar c;
  GUnicodeType type;

  unit_display (unit, out, size);
  if (unit->kind != SB_UNIT_CHAR || g_utf8_strlen (unit->text, -1) != 1)
    return;

  c = g_utf8_get_char (unit->text);
  type = g_unichar_type (c);
  switch (type)
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_SPACING_MARK:
      /* A combining mark alone combines with nothing: on a dotted circle,
       * as Unicode charts show it. */
      g_snprintf (out, size, "\xe2\x97\x8c%s", unit->text);   /* ◌ */
      break;
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      code_point_text (unit, c, out, size);
      return;
    case G_UNICODE_SPACE_SEPARATOR:
      if (c != ' ')
        {
          code_point_text (unit, c, out, size);
          return;
        }
      break;
    default:
      break;
    }

  /* A character no font here has: its code point, not an empty box. */
  if (layout != NULL)
    {
      pango_layout_set_text (layout, out, -1);
      if (pango_layout_get_unknown_glyphs_count (layout) > 0)
        code_point_text (unit, c, out, size);
    }
}

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA cell[2];
  GdkRGBA invalid;
  GdkRGBA incomplete;
  GdkRGBA error;
  GdkRGBA selection;
  GdkRGBA carry;
  GdkRGBA frame;
} GridPalette;

static void
grid_palette (SbByteGrid  *self,
              GridPalette *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA accent;

  gtk_style_context_get_color (context, &p->fg);
  p->dim = p->fg;
  p->dim.alpha *= 0.55f;
  if (!gtk_style_context_lookup_color (context, "theme_selected_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "error_color", &p->error))
    gdk_rgba_parse (&p->error, "#e01b24");
  if (!gtk_style_context_lookup_color (context, "warning_color", &p->incomplete))
    gdk_rgba_parse (&p->incomplete, "#e5a50a");
  p->cell[0] = accent;
  p->cell[0].alpha = 0.10f;
  p->cell[1] = accent;
  p->cell[1].alpha = 0.22f;
  p->invalid = p->error;
  p->invalid.alpha = 0.30f;
  p->incomplete.alpha = 0.30f;
  p->selection = accent;
  p->selection.alpha = 0.40f;
  p->carry = p->fg;
  p->carry.alpha = 0.08f;
  if (!gtk_style_context_lookup_color (context, "accent_color", &p->frame))
    p->frame = accent;
  p->frame.alpha = 0.9f;
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) width, (float) height));
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  const GdkRGBA *color,
                  double         x,
                  double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_units_row (SbByteGrid        *self,
                GtkSnapshot       *snapshot,
                PangoLayout       *layout,
                const GridPalette *p,
                guint              which,
                guint              line,
                double             y0)
{
  GArray *units = self->units[which];
  guint line_start = line * self->bpl;
  guint line_end = MIN (line_start + self->bpl, grid_len (self));
  double y = y0 + row_y (self, which == 0 ? ROW_FIRST : ROW_SECOND);
  int cw = self->cw, slot = slot_w (self), gutter = gutter_w (self);

  if (units == NULL || units->len == 0)
    return;

  for (guint u = unit_at (units, line_start); u < units->len; u++)
    {
      const SbUnit *unit = &g_array_index (units, SbUnit, u);
      guint seg_start = MAX (unit->offset, line_start);
      guint seg_end = MIN (unit->offset + unit->length, line_end);
      double x = gutter + (seg_start - line_start) * slot - cw / 2.0;
      double w = (seg_end - seg_start) * slot;
      GskRoundedRect box;
      const GdkRGBA *fill;
      char text[32];
      int tw, th;

      if (unit->offset >= line_end)
        break;
      if (seg_end <= seg_start)
        continue;

      fill = unit->kind == SB_UNIT_INVALID ? &p->invalid :
             unit->kind == SB_UNIT_INCOMPLETE ? &p->incomplete : &p->cell[u % 2];
      gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float) x + 1, (float) y - 2, (float) w - 2, self->lh + 4), 4);
      gtk_snapshot_push_rounded_clip (snapshot, &box);
      gtk_snapshot_append_color (snapshot, fill, &box.bounds);
      gtk_snapshot_pop (snapshot);

      if (seg_start == unit->offset)
        sb_byte_grid_cell_text (self, layout, unit, text, sizeof text);
      else
        g_strlcpy (text, "⋯", sizeof text);   /* the rest of a character begun above */
      pango_layout_set_text (layout, text, -1);
      pango_layout_set_width (layout, (int) ((w - 2) * PANGO_SCALE));
      pango_layout_get_pixel_size (layout, &tw, &th);
      append_layout_at (snapshot, layout,
                        unit->kind == SB_UNIT_INVALID ? &p->error :
                        seg_start == unit->offset ? &p->fg : &p->dim,
                        x + (w - tw) / 2, y);
    }
}

static GskRenderNode *
grid_build (SbByteGrid *self)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoLayout) cell = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoLayout) small = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  gsize len = grid_len (self);
  const guint8 *bytes = self->data ? g_bytes_get_data (self->data, NULL) : NULL;
  int gutter = gutter_w (self);
  GridPalette p;

  grid_palette (self, &p);
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_layout_set_attributes (small, attrs);
  pango_layout_set_width (small, (gutter - self->cw) * PANGO_SCALE);
  pango_layout_set_ellipsize (small, PANGO_ELLIPSIZE_END);
  pango_layout_set_ellipsize (cell, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (cell, PANGO_ALIGN_LEFT);

  for (guint line = 0; line < grid_n_lines (self); line++)
    {
      double y0 = (double) line * block_h (self);
      guint start = line * self->bpl;
      char text[16];
      GString *hex = g_string_sized_new (self->bpl * 3);

      g_snprintf (text, sizeof text, "%04x", start);
      pango_layout_set_text (layout, text, -1);
      append_layout_at (snapshot, layout, &p.dim, 0, y0 + row_y (self, ROW_HEX));

      for (guint i = start; i < MIN (start + self->bpl, len); i++)
        g_string_append_printf (hex, i > start ? " %02x" : "%02x", bytes[i]);
      pango_layout_set_text (layout, hex->str, hex->len);
      append_layout_at (snapshot, layout, &p.fg, gutter, y0 + row_y (self, ROW_HEX));
      g_string_free (hex, TRUE);

      /* Bytes carried from earlier reads: shaded, a bar where the read begins. */
      if (self->carry_len > start)
        {
          guint end = MIN (self->carry_len, start + self->bpl);
          double x = gutter + 0 * slot_w (self) - self->cw / 2.0;

          append_rect (snapshot, &p.carry, x, y0, (end - start) * slot_w (self), block_h (self) - 6);
          if (end < start + self->bpl)
            append_rect (snapshot, &p.dim, gutter + (end - start) * slot_w (self) - self->cw / 2.0 - 1, y0,
                         2, block_h (self) - 6);
        }
      /* Frame boundaries: a bar across the block between two bytes. */
      for (guint b = 0; self->bounds != NULL && b < self->bounds->len; b++)
        {
          guint at = g_array_index (self->bounds, guint, b);

          if (at < start || at >= start + self->bpl || at == 0 || at >= len)
            continue;
          append_rect (snapshot, &p.frame, gutter + (at - start) * slot_w (self) - self->cw / 2.0 - 1.5, y0 - 2,
                       3, block_h (self) - 2);
        }

      for (guint which = 0; which < 2; which++)
        {
          pango_layout_set_text (small, self->encodings[which] ? self->encodings[which] : "", -1);
          append_layout_at (snapshot, small, &p.dim, 0, y0 + row_y (self, which == 0 ? ROW_FIRST : ROW_SECOND) + 2);
          draw_units_row (self, snapshot, cell, &p, which, line, y0);
        }
    }

  return gtk_snapshot_free_to_node (snapshot);
}

static void
sb_byte_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SbByteGrid *self = SB_BYTE_GRID (widget);
  GridPalette p;

  if (self->data == NULL)
    return;
  if (self->cache == NULL)
    self->cache = grid_build (self);
  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);

  if (self->sel_end > self->sel_start)
    {
      int slot = slot_w (self), gutter = gutter_w (self);

      grid_palette (self, &p);
      for (guint line = self->sel_start / self->bpl; line * self->bpl < self->sel_end; line++)
        {
          guint ls = line * self->bpl;
          guint a = MAX (self->sel_start, ls), b = MIN (self->sel_end, ls + self->bpl);
          double x = gutter + (a - ls) * slot - self->cw / 2.0;

          gtk_snapshot_append_color (snapshot, &p.selection,
                                     &GRAPHENE_RECT_INIT ((float) x, (float) line * block_h (self),
                                                          (float) (b - a) * slot, block_h (self) - 6));
        }
    }
}

static void
sb_byte_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  SbByteGrid *self = SB_BYTE_GRID (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Narrow (a side pane): half the bytes a line. */
      *minimum = gutter_w (self) + NARROW_BYTES_PER_LINE * slot_w (self);
      *natural = gutter_w (self) + BYTES_PER_LINE * slot_w (self);
    }
  else
    {
      guint bpl = for_size < 0 ? BYTES_PER_LINE : bytes_per_line_for (self, for_size);

      *minimum = *natural = (int) ((grid_len (self) + bpl - 1) / bpl) * block_h (self);
    }
}

static void
sb_byte_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SbByteGrid *self = SB_BYTE_GRID (widget);
  guint bpl = bytes_per_line_for (self, width);

  if (bpl != self->bpl)
    {
      self->bpl = bpl;
      grid_invalidate (self);
    }
}

static GtkSizeRequestMode
sb_byte_grid_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sb_byte_grid_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  SbByteGrid *self = SB_BYTE_GRID (widget);

  GTK_WIDGET_CLASS (sb_byte_grid_parent_class)->css_changed (widget, change);
  grid_update_metrics (self);
  grid_invalidate (self);
  gtk_widget_queue_resize (widget);
}

/* The byte under (@x, @y), and which row it is in; FALSE outside. */
static gboolean
grid_hit (SbByteGrid *self,
          double      x,
          double      y,
          guint      *offset,
          GridRow    *row)
{
  int line, column;
  double in_block;

  if (self->data == NULL || y < 0)
    return FALSE;
  line = (int) (y / block_h (self));
  column = (int) ((x - gutter_w (self) + self->cw / 2.0) / slot_w (self));
  if (column < 0 || (guint) column >= self->bpl || (guint) line >= grid_n_lines (self))
    return FALSE;
  *offset = line * self->bpl + column;
  if (*offset >= grid_len (self))
    return FALSE;
  in_block = y - (double) line * block_h (self);
  *row = in_block < row_y (self, ROW_FIRST) - 3 ? ROW_HEX :
         in_block < row_y (self, ROW_SECOND) - 3 ? ROW_FIRST : ROW_SECOND;
  return TRUE;
}

/* Bytes a click at @offset in @row stands for: a byte, or a whole unit. */
static void
grid_span (SbByteGrid *self,
           guint       offset,
           GridRow     row,
           guint      *start,
           guint      *end)
{
  GArray *units = row == ROW_FIRST ? self->units[0] : row == ROW_SECOND ? self->units[1] : NULL;

  if (units != NULL && units->len > 0)
    {
      const SbUnit *unit = &g_array_index (units, SbUnit, unit_at (units, offset));

      *start = unit->offset;
      *end = unit->offset + unit->length;
    }
  else
    {
      *start = offset;
      *end = offset + 1;
    }
}

void
sb_byte_grid_set_selection (SbByteGrid *self,
                            guint       start,
                            guint       end)
{
  gsize len = grid_len (self);

  start = MIN (start, len);
  end = CLAMP (end, start, len);
  if (start == self->sel_start && end == self->sel_end)
    return;
  self->sel_start = start;
  self->sel_end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, grid_signals[GRID_SELECTION_CHANGED], 0);
}

static void
drag_begin_cb (SbByteGrid     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint offset, start, end;
  GridRow row;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (!grid_hit (self, x, y, &offset, &row))
    {
      sb_byte_grid_set_selection (self, 0, 0);
      return;
    }
  grid_span (self, offset, row, &start, &end);
  if ((state & GDK_SHIFT_MASK) && self->sel_end > self->sel_start)
    sb_byte_grid_set_selection (self, MIN (start, self->anchor_start), MAX (end, self->anchor_end));
  else
    {
      self->anchor_start = start;
      self->anchor_end = end;
      sb_byte_grid_set_selection (self, start, end);
    }
}

static void
drag_update_cb (SbByteGrid     *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double x, y;
  guint offset, start, end;
  GridRow row;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  if (!grid_hit (self, x + dx, y + dy, &offset, &row))
    return;
  grid_span (self, offset, row, &start, &end);
  sb_byte_grid_set_selection (self, MIN (start, self->anchor_start), MAX (end, self->anchor_end));
}

static gboolean
sb_byte_grid_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip)
{
  SbByteGrid *self = SB_BYTE_GRID (widget);
  gsize len;
  const guint8 *bytes;
  guint offset;
  GridRow row;
  g_autofree char *text = NULL;

  if (keyboard || !grid_hit (self, x, y, &offset, &row))
    return FALSE;
  bytes = g_bytes_get_data (self->data, &len);

  if (row == ROW_HEX)
    {
      char bits[9];

      for (int i = 0; i < 8; i++)
        bits[i] = (bytes[offset] >> (7 - i)) & 1 ? '1' : '0';
      bits[8] = '\0';
      /* Translators: a byte's tooltip: “Byte 5 (0x05): 0xe6 = 230 = 0b11100110” */
      text = g_strdup_printf (_("Byte %u (0x%02x): 0x%02x = %u = 0b%s"), offset, offset, bytes[offset], bytes[offset], bits);
    }
  else
    {
      guint which = row == ROW_FIRST ? 0 : 1;
      GArray *units = self->units[which];
      const SbUnit *unit;
      g_autofree char *hex = NULL;

      if (units == NULL || units->len == 0)
        return FALSE;
      unit = &g_array_index (units, SbUnit, unit_at (units, offset));
      hex = sb_codec_format_hex (bytes + unit->offset, unit->length);
      if (unit->kind == SB_UNIT_CHAR)
        {
          gunichar c = g_utf8_get_char (unit->text);
          /* Translators: a character's tooltip: “您 (U+60A8) in UTF-8: bytes 0–2, e6 82 a8” */
          text = g_strdup_printf (_("“%s” (U+%04X) in %s: bytes %u–%u, %s"), unit->text, c,
                                  self->encodings[which], unit->offset, unit->offset + unit->length - 1, hex);
        }
      else
        text = sb_inspect_describe (unit, self->encodings[which], bytes, len);
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
sb_byte_grid_set_data (SbByteGrid *self,
                       GBytes     *data)
{
  if (self->data != data)
    {
      g_clear_pointer (&self->data, g_bytes_unref);
      self->data = data ? g_bytes_ref (data) : NULL;
    }
  for (guint which = 0; which < 2; which++)
    {
      gsize len = 0;
      const guint8 *bytes = self->data ? g_bytes_get_data (self->data, &len) : NULL;

      g_clear_pointer (&self->units[which], g_array_unref);
      if (self->data == NULL || self->encodings[which] == NULL)
        continue;
      /* The page's encoding reads as the stream does: the last bytes whose
       * character the next read completes are one unit of their own. */
      if (which == 0 && self->handed_on > 0 && self->handed_on < len)
        {
          SbUnit rest = { .offset = len - self->handed_on, .length = self->handed_on, .kind = SB_UNIT_INCOMPLETE };

          self->units[0] = sb_inspect_units (self->encodings[0], bytes, len - self->handed_on, NULL);
          if (self->units[0] != NULL)
            g_array_append_val (self->units[0], rest);
        }
      else
        self->units[which] = sb_inspect_units (self->encodings[which], bytes, len, NULL);
    }
  self->sel_start = self->sel_end = 0;
  grid_invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, grid_signals[GRID_SELECTION_CHANGED], 0);
}

static void
sb_byte_grid_dispose (GObject *object)
{
  SbByteGrid *self = SB_BYTE_GRID (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->units[0], g_array_unref);
  g_clear_pointer (&self->units[1], g_array_unref);
  g_clear_pointer (&self->bounds, g_array_unref);

  G_OBJECT_CLASS (sb_byte_grid_parent_class)->dispose (object);
}

static void
sb_byte_grid_class_init (SbByteGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_byte_grid_dispose;
  widget_class->snapshot = sb_byte_grid_snapshot;
  widget_class->measure = sb_byte_grid_measure;
  widget_class->size_allocate = sb_byte_grid_size_allocate;
  widget_class->get_request_mode = sb_byte_grid_get_request_mode;
  widget_class->css_changed = sb_byte_grid_css_changed;
  widget_class->query_tooltip = sb_byte_grid_query_tooltip;

  grid_signals[GRID_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "sb-byte-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sb_byte_grid_init (SbByteGrid *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->bpl = BYTES_PER_LINE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "monospace");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  grid_update_metrics (self);

  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

