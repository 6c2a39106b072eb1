/* sb-data-cell.c — the Data cell of a history row: text, hex or both
 *
 * The lines are GtkInscriptions, not GtkLabels: a label measures its whole
 * text (up to SB_DATA_CELL_MAX_CHARS) several times per new text, for every
 * row GTK keeps bound (about 200, most of them off screen), and a new text
 * makes the whole column measure again. An inscription is one line tall by
 * its font and lays its text out when it is drawn.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-data-cell"

#include "config.h"

#include "sb-codec.h"
#include "sb-data-cell.h"

struct _SbDataCell
{
  GtkWidget       parent_instance;

  /* Children */
  GtkInscription *text_line;
  GtkInscription *hex_line;
  GtkInscription *note_line;

  /* What it shows: the record (by serial) or frame (by number, length and
   * status) and how it was rendered. */
  guint64         serial;
  guint64         frame_number;
  guint64         frame_length;
  guint           frame_status;
  guint           generation;
  guint           shown : 1;
  guint           is_frame : 1;
  guint           live : 1;
};

G_DEFINE_FINAL_TYPE (SbDataCell, sb_data_cell, GTK_TYPE_WIDGET)

/* g_string_new_take() is GLib 2.78. */
static GString *
string_take (char *text)
{
  GString *s = g_string_new (text);

  g_free (text);
  return s;
}

/* Where @text's character number @n starts, or NULL if it has no more than
 * @n characters: walks at most @n of them, not the whole text. */
static const char *
char_at (const GString *text,
         guint          n)
{
  const char *p = text->str, *end = text->str + text->len;

  for (guint i = 0; i < n && p < end; i++)
    p = g_utf8_next_char (p);
  return p < end ? p : NULL;
}

static void
drop_marks_past (GArray *marks,
                 gsize   len)
{
  for (guint i = marks->len; i > 0; i--)
    if (g_array_index (marks, SbTextMark, i - 1).end > len)
      g_array_remove_index (marks, i - 1);
}

/* Cuts @text to SB_DATA_CELL_MAX_CHARS characters, keeping marks inside. */
static void
truncate_text (GString *text,
               GArray  *marks,
               GArray  *pending)
{
  const char *cut = char_at (text, SB_DATA_CELL_MAX_CHARS);

  if (cut == NULL)
    return;
  g_string_truncate (text, cut - text->str);
  drop_marks_past (marks, text->len);
  if (pending != NULL)
    drop_marks_past (pending, text->len);
  g_string_append (text, "…");
}

/* Whether nothing after @position continues or ends its stream yet: the
 * record is the newest of its stream (looked for among the next few
 * records only; further back, a stream is as good as ended). */
#define LIVE_LOOKAHEAD 32

static gboolean
is_stream_tail (SbHistory *history,
                guint      position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
  guint peer = sb_history_get_peer (history, position);
  SbDirection direction = sb_history_get_direction (history, position);

  for (guint p = position + 1; p < n; p++)
    {
      guint other = sb_history_get_peer (history, p);
      SbDirection d = sb_history_get_direction (history, p);

      if (p - position > LIVE_LOOKAHEAD)
        return FALSE;
      if (d == SB_DIRECTION_EVENT && (other == 0 || other == peer))
        return FALSE;
      if (d == direction && other == peer)
        return FALSE;
    }
  return TRUE;
}

/* The marks at the very end of @text that could be the start of a
 * character still in flight (at most 3 escaped bytes): moved from @marks
 * to @pending. */
static void
split_pending (GString *text,
               GArray  *marks,
               GArray  *pending)
{
  guint end = text->len;

  while (marks->len > 0 && pending->len < 3)
    {
      SbTextMark m = g_array_index (marks, SbTextMark, marks->len - 1);

      if (m.end != end || m.end - m.start > 4 * (3 - pending->len))
        break;
      g_array_prepend_val (pending, m);
      g_array_remove_index (marks, marks->len - 1);
      end = m.start;
    }
}

/* The record's text, at most what a cell shows, with its marks; @pending
 * gets the marks of a trailing character still in flight. */
static GString *
decode_record (SbHistoryItem *record,
               const char    *encoding,
               GArray        *marks,
               GArray        *pending)
{
  SbHistory *history = sb_history_item_get_history (record);
  GString *text;
  guint position;

  /* Decode from the store when the record is still there (split characters
   * are joined); a dropped record keeps its own bytes. */
  if (history != NULL &&
      sb_history_find_serial (history, sb_history_item_get_serial (record), &position))
    {
      gboolean more = FALSE;

      /* A cell shows SB_DATA_CELL_MAX_CHARS at most: decode no more than
       * those can take, not a whole 64 KiB read. A byte makes at least one
       * character, except in multi-byte encodings: only when the first
       * bytes made too few, decode up to 4 bytes a character. */
      text = string_take (sb_history_decode_prefix (history, position, encoding,
                                                    SB_DECODE_ESCAPE_CONTROLS, marks,
                                                    SB_DATA_CELL_MAX_CHARS + 8, &more));
      if (more && char_at (text, SB_DATA_CELL_MAX_CHARS) == NULL)
        {
          g_string_free (text, TRUE);
          g_array_set_size (marks, 0);
          text = string_take (sb_history_decode_prefix (history, position, encoding,
                                                        SB_DECODE_ESCAPE_CONTROLS, marks,
                                                        4 * SB_DATA_CELL_MAX_CHARS + 8, &more));
        }
      if (!more && marks->len > 0 && is_stream_tail (history, position))
        split_pending (text, marks, pending);
    }
  else
    {
      g_autoptr(GBytes) data = sb_history_item_dup_data (record);
      gsize len = 0;
      const guint8 *bytes = data ? g_bytes_get_data (data, &len) : NULL;

      text = string_take (sb_codec_decode (encoding, bytes, len, SB_DECODE_ESCAPE_CONTROLS, marks));
    }
  return text;
}

/* Escapes for invalid bytes: bold on a translucent orange that reads in
 * light and dark themes alike. */
static PangoAttrList *
marks_to_attributes (GArray *marks,
                     GArray *pending)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Bytes of a character whose rest is still in flight: dim, not an error. */
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      const SbTextMark *m = &g_array_index (pending, SbTextMark, i);
      PangoAttribute *list[2] = {
        pango_attr_foreground_alpha_new (0x7000),
        pango_attr_style_new (PANGO_STYLE_ITALIC),
      };

      for (guint k = 0; k < G_N_ELEMENTS (list); k++)
        {
          list[k]->start_index = m->start;
          list[k]->end_index = m->end;
          pango_attr_list_insert (attrs, list[k]);
        }
    }

  for (guint i = 0; i < marks->len; i++)
    {
      const SbTextMark *m = &g_array_index (marks, SbTextMark, i);
      PangoAttribute *list[3] = {
        pango_attr_weight_new (PANGO_WEIGHT_BOLD),
        pango_attr_background_new (0xe600, 0x6100, 0x0000),
        pango_attr_background_alpha_new (0x5000),
      };

      for (guint k = 0; k < G_N_ELEMENTS (list); k++)
        {
          list[k]->start_index = m->start;
          list[k]->end_index = m->end;
          pango_attr_list_insert (attrs, list[k]);
        }
    }
  return attrs;
}

static void
set_text (SbDataCell *self,
          GString    *text,
          GArray     *marks,
          GArray     *pending)
{
  truncate_text (text, marks, pending);
  gtk_inscription_set_text (self->text_line, text->str);
  if (marks->len > 0 || (pending != NULL && pending->len > 0))
    {
      g_autoptr(PangoAttrList) attrs = marks_to_attributes (marks, pending);

      gtk_inscription_set_attributes (self->text_line, attrs);
    }
  else
    gtk_inscription_set_attributes (self->text_line, NULL);
}

static void
show_text (SbDataCell    *self,
           SbHistoryItem *record,
           const char    *encoding,
           gboolean       is_event)
{
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GString) text = NULL;

  /* Events are our own UTF-8 words; a certificate's lines read as one. */
  if (is_event)
    {
      g_autoptr(GBytes) data = sb_history_item_dup_data (record);
      gsize len = 0;
      const char *bytes = data ? g_bytes_get_data (data, &len) : NULL;
      g_autofree char *valid = g_utf8_make_valid (bytes ? bytes : "", len);
      g_auto(GStrv) lines = g_strsplit (valid, "\n", -1);
      g_autofree char *joined = g_strjoinv (" · ", lines);

      text = g_string_new (joined);
    }
  else
    text = decode_record (record, encoding, marks, pending);

  if (is_event && text->len == 0)
    g_string_assign (text, sb_event_kind_get_label (sb_history_item_get_event (record)));
  self->live = pending->len > 0;
  set_text (self, text, marks, pending);
}

static GtkInscription *
make_line (const char *css_class)
{
  GtkWidget *line = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (line), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (line), 1);
  gtk_widget_add_css_class (line, css_class);
  return GTK_INSCRIPTION (line);
}

/* The hex and note lines are made when the cell first shows them: a list
 * keeps 200 rows whatever its height (GTK 4.8), and most never show
 * either; a row is made the first time a flood reaches a page. */
static GtkInscription *
ensure_hex_line (SbDataCell *self)
{
  if (self->hex_line == NULL)
    {
      self->hex_line = make_line ("sb-data-hex");
      gtk_widget_add_css_class (GTK_WIDGET (self->hex_line), "monospace");
      gtk_widget_insert_after (GTK_WIDGET (self->hex_line), GTK_WIDGET (self), GTK_WIDGET (self->text_line));
    }
  return self->hex_line;
}

static GtkInscription *
ensure_note_line (SbDataCell *self)
{
  if (self->note_line == NULL)
    {
      self->note_line = make_line ("sb-data-note");
      gtk_widget_insert_before (GTK_WIDGET (self->note_line), GTK_WIDGET (self), NULL);
    }
  return self->note_line;
}

static void
hide_line (GtkInscription *line)
{
  if (line != NULL)
    {
      gtk_inscription_set_text (line, NULL);
      gtk_widget_set_visible (GTK_WIDGET (line), FALSE);
    }
}

static void
show_hex_bytes (SbDataCell *self,
                GBytes     *data)
{
  gsize len = 0;
  const guint8 *bytes = data ? g_bytes_get_data (data, &len) : NULL;
  g_autofree char *hex = sb_codec_format_hex (bytes, MIN (len, SB_DATA_CELL_MAX_HEX_BYTES));

  if (len > SB_DATA_CELL_MAX_HEX_BYTES)
    {
      g_autofree char *cut = g_steal_pointer (&hex);

      hex = g_strconcat (cut, " …", NULL);
    }
  gtk_inscription_set_text (ensure_hex_line (self), hex);
  gtk_widget_set_visible (GTK_WIDGET (self->hex_line), TRUE);
}

static void
show_hex (SbDataCell    *self,
          SbHistoryItem *record)
{
  g_autoptr(GBytes) data = sb_history_item_dup_data (record);

  show_hex_bytes (self, data);
}

void
sb_data_cell_show (SbDataCell    *self,
                   SbHistoryItem *record,
                   const char    *encoding,
                   SbViewMode     mode,
                   guint          generation)
{
  gboolean is_event, with_text, with_hex;

  g_return_if_fail (SB_IS_DATA_CELL (self));
  g_return_if_fail (SB_IS_HISTORY_ITEM (record));
  g_return_if_fail (encoding != NULL);

  /* A record's bytes never change: a cell that shows it already, as the
   * view renders now, is left alone. */
  if (self->shown && self->serial == sb_history_item_get_serial (record) &&
      self->generation == generation)
    return;
  self->shown = TRUE;
  self->is_frame = FALSE;
  self->live = FALSE;
  self->serial = sb_history_item_get_serial (record);
  self->generation = generation;
  hide_line (self->note_line);

  is_event = sb_history_item_get_direction (record) == SB_DIRECTION_EVENT;
  with_text = is_event || mode != SB_VIEW_MODE_HEX;
  with_hex = !is_event && mode != SB_VIEW_MODE_TEXT;

  if (is_event)
    gtk_widget_add_css_class (GTK_WIDGET (self->text_line), "sb-event");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->text_line), "sb-event");
  gtk_widget_set_visible (GTK_WIDGET (self->text_line), with_text);

  if (with_text)
    show_text (self, record, encoding, is_event);
  else
    {
      gtk_inscription_set_text (self->text_line, "");
      gtk_inscription_set_attributes (self->text_line, NULL);
    }

  if (with_hex)
    show_hex (self, record);
  else
    hide_line (self->hex_line);
}

gboolean
sb_data_cell_shows_frame (SbDataCell  *self,
                          SbFrameItem *frame,
                          guint        generation)
{
  g_return_val_if_fail (SB_IS_DATA_CELL (self), FALSE);
  g_return_val_if_fail (SB_IS_FRAME_ITEM (frame), FALSE);

  return self->shown && self->is_frame && self->generation == generation &&
         self->frame_number == sb_frame_item_get_number (frame) &&
         self->frame_length == sb_frame_item_get_length (frame) &&
         self->frame_status == sb_frame_item_get_status (frame);
}

void
sb_data_cell_show_frame (SbDataCell  *self,
                         SbFrameItem *frame,
                         const char  *encoding,
                         SbViewMode   mode,
                         guint        generation,
                         const char  *note)
{
  g_autoptr(GBytes) raw = NULL;
  gboolean with_text, with_hex;

  g_return_if_fail (SB_IS_DATA_CELL (self));
  g_return_if_fail (SB_IS_FRAME_ITEM (frame));
  g_return_if_fail (encoding != NULL);

  if (sb_data_cell_shows_frame (self, frame, generation))
    return;
  self->shown = TRUE;
  self->is_frame = TRUE;
  self->live = FALSE;
  self->serial = sb_frame_item_get_first_serial (frame);
  self->frame_number = sb_frame_item_get_number (frame);
  self->frame_length = sb_frame_item_get_length (frame);
  self->frame_status = sb_frame_item_get_status (frame);
  self->generation = generation;

  with_text = mode != SB_VIEW_MODE_HEX;
  with_hex = mode != SB_VIEW_MODE_TEXT;
  gtk_widget_remove_css_class (GTK_WIDGET (self->text_line), "sb-event");
  gtk_widget_set_visible (GTK_WIDGET (self->text_line), with_text);
  raw = sb_frame_item_dup_raw (frame);

  if (with_text)
    {
      g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
      gsize len = 0;
      const guint8 *bytes = raw ? g_bytes_get_data (raw, &len) : NULL;
      g_autoptr(GString) text = NULL;

      /* No more bytes than SB_DATA_CELL_MAX_CHARS characters can take. */
      text = string_take (sb_codec_decode (encoding, bytes, MIN (len, 4 * SB_DATA_CELL_MAX_CHARS + 8),
                                           SB_DECODE_ESCAPE_CONTROLS, marks));
      set_text (self, text, marks, NULL);
    }
  else
    {
      gtk_inscription_set_text (self->text_line, "");
      gtk_inscription_set_attributes (self->text_line, NULL);
    }

  if (with_hex)
    show_hex_bytes (self, raw);
  else
    hide_line (self->hex_line);

  if (note != NULL && *note != '\0')
    {
      gtk_inscription_set_text (ensure_note_line (self), note);
      gtk_widget_set_visible (GTK_WIDGET (self->note_line), TRUE);
    }
  else
    hide_line (self->note_line);
}

gboolean
sb_data_cell_get_live (SbDataCell *self)
{
  g_return_val_if_fail (SB_IS_DATA_CELL (self), FALSE);
  return self->shown && self->live;
}

guint64
sb_data_cell_get_serial (SbDataCell *self)
{
  g_return_val_if_fail (SB_IS_DATA_CELL (self), 0);
  return self->serial;
}

void
sb_data_cell_invalidate (SbDataCell *self)
{
  g_return_if_fail (SB_IS_DATA_CELL (self));
  self->shown = FALSE;
}

void
sb_data_cell_clear (SbDataCell *self)
{
  g_return_if_fail (SB_IS_DATA_CELL (self));

  self->shown = FALSE;
  self->live = FALSE;
  gtk_inscription_set_text (self->text_line, NULL);
  gtk_inscription_set_attributes (self->text_line, NULL);
  if (self->hex_line != NULL)
    gtk_inscription_set_text (self->hex_line, NULL);
  if (self->note_line != NULL)
    gtk_inscription_set_text (self->note_line, NULL);
}


static void
sb_data_cell_dispose (GObject *object)
{
  SbDataCell *self = SB_DATA_CELL (object);

  /* GTK 4.8's GtkInscription keeps its attributes past its finalize. */
  if (self->text_line != NULL)
    gtk_inscription_set_attributes (self->text_line, NULL);
  if (self->text_line != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->text_line));
  if (self->hex_line != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->hex_line));
  if (self->note_line != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->note_line));
  self->text_line = NULL;
  self->hex_line = NULL;
  self->note_line = NULL;

  G_OBJECT_CLASS (sb_data_cell_parent_class)->dispose (object);
}

static void
sb_data_cell_class_init (SbDataCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_data_cell_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-data-cell");
}

static void
sb_data_cell_init (SbDataCell *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->text_line = make_line ("sb-data-text");
  gtk_widget_set_parent (GTK_WIDGET (self->text_line), GTK_WIDGET (self));
}

GtkWidget *
sb_data_cell_new (void)
{
  return g_object_new (SB_TYPE_DATA_CELL, NULL);
}
