/* sb-history-view-columns.c — the history view's columns and their cells
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-data-cell.h"
#include "sb-history-view-private.h"
#include "sb-modbus.h"
#include "sb-time.h"

/* A row is an SbHistoryItem (a read or an event), or an SbFrameItem when the
 * view shows frames. */

static SbDirection
item_direction (gpointer item)
{
  if (SB_IS_FRAME_ITEM (item))
    return sb_frame_item_get_direction (item);
  return sb_history_item_get_direction (item);
}

/* --- Cells --- */

static void
set_event_style (GtkWidget *widget,
                 gboolean   is_event)
{
  if (is_event)
    gtk_widget_add_css_class (widget, "sb-event");
  else
    gtk_widget_remove_css_class (widget, "sb-event");
}

/* The cells are GtkInscriptions, not GtkLabels: a label shapes its text to
 * measure it whenever the text changes, and a flood's first announcement
 * makes and binds a list's 200 rows (GTK 4.8 keeps that many whatever the
 * view's height), most of them off screen; an inscription is as wide as
 * it is told (@n_chars of the font's widest average character) and lays
 * its text out only when drawn. A label that does not fit is ellipsized. */
static void
set_cell_chars (GtkWidget *cell,
                guint      n_chars)
{
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), n_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), n_chars);
}

static GtkWidget *
make_cell (float xalign,
           guint n_chars)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* No height of its own: the row is as tall as its data cell's line,
   * which saves a font metrics lookup (a shaped sample text) per cell. */
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (cell), 0);
  set_cell_chars (cell, n_chars);
  return cell;
}

/* How many average characters @text needs, rounded up: wide (CJK) ones
 * count two, the narrow punctuation of addresses and times half. */
static guint
text_columns (const char *text)
{
  guint halves = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '.' || c == ':' || c == ',' || c == '[' || c == ']')
        halves += 1;
      else
        halves += g_unichar_iswide (c) ? 4 : 2;
    }
  return (halves + 1) / 2;
}

/* Sets @cell's text and, when @fit, makes it as wide as the text needs (a
 * column is as wide as its widest cell, as with labels). */
static void
set_cell_text (GtkWidget  *cell,
               const char *text,
               gboolean    fit)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  if (fit)
    set_cell_chars (cell, MAX (1, text_columns (text)));
}

/* What a text column shows: its alignment and width. */
typedef enum
{
  CELL_TEXT,      /* left, as wide as its text */
  CELL_NUMBER,    /* right, tabular digits, as wide as its text */
  CELL_TIME,      /* right, "HH:MM:SS.mmm" */
} CellKind;

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GtkWidget *cell = make_cell (kind == CELL_TEXT ? 0.0f : 1.0f,
                               kind == CELL_TIME ? text_columns ("00:00:00.000") : 1);

  if (kind != CELL_TEXT)
    gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static void
bind_time_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SbHistoryView            *self)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  char text[SB_TIME_FORMAT_SIZE];

  sb_time_format (SB_IS_FRAME_ITEM (record) ? sb_frame_item_get_first_time (record)
                                            : sb_history_item_get_time (record), text);
  set_cell_text (label, text, FALSE);
  set_event_style (label, item_direction (record) == SB_DIRECTION_EVENT);
}

static const char *
direction_name (SbDirection direction)
{
  switch (direction)
    {
    case SB_DIRECTION_RX:
      return _("received");
    case SB_DIRECTION_TX:
      return _("sent");
    case SB_DIRECTION_EVENT:
    default:
      /* Translators: a history row that is an event (connected, closed…), not data */
      return _("event");
    }
}

/* The arrow's tooltip is asked for when shown: gtk_widget_set_tooltip_text()
 * queries the pointer (a round trip to the X server) each time, and GTK 4.8
 * creates a new label for most rows that scroll into view. */
static gboolean
direction_query_tooltip_cb (GtkWidget   *label,
                            int          x,
                            int          y,
                            gboolean     keyboard,
                            GtkTooltip  *tooltip,
                            GtkListItem *item)
{
  gpointer record = gtk_list_item_get_item (item);

  if (record == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, direction_name (item_direction (record)));
  return TRUE;
}

static void
setup_direction_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  /* Arrows are wider than an average character. */
  GtkWidget *label = make_cell (0.0f, 2);

  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect_object (label, "query-tooltip", G_CALLBACK (direction_query_tooltip_cb), item, 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_direction_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SbHistoryView            *self)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  SbDirection direction = item_direction (record);
  const char *arrow, *css_class;

  switch (direction)
    {
    case SB_DIRECTION_RX:
      arrow = "←";
      css_class = "sb-rx";
      break;
    case SB_DIRECTION_TX:
      arrow = "→";
      css_class = "sb-tx";
      break;
    case SB_DIRECTION_EVENT:
    default:
      arrow = "•";
      css_class = "sb-event";
      break;
    }
  /* Rows are bound again on every position change (GTK 4.8): restyle and
   * rename only when the direction changes. */
  if (gtk_widget_has_css_class (label, css_class))
    return;
  gtk_widget_remove_css_class (label, "sb-rx");
  gtk_widget_remove_css_class (label, "sb-tx");
  gtk_widget_remove_css_class (label, "sb-event");
  gtk_widget_add_css_class (label, css_class);
  set_cell_text (label, arrow, FALSE);
  /* The arrow alone says nothing to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, direction_name (direction),
                                  -1);
}

static void
bind_peer_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SbHistoryView            *self)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  set_cell_text (label, SB_IS_FRAME_ITEM (record) ? sb_frame_item_get_peer_label (record)
                                                  : sb_history_item_get_peer_label (record), TRUE);
  set_event_style (label, item_direction (record) == SB_DIRECTION_EVENT);
}

static void
bind_length_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                SbHistoryView            *self)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  char buf[32];

  if (SB_IS_FRAME_ITEM (record))
    g_snprintf (buf, sizeof buf, "%" G_GSIZE_FORMAT, sb_frame_item_get_length (record));
  else if (sb_history_item_get_direction (record) == SB_DIRECTION_EVENT)
    buf[0] = '\0';
  else
    g_snprintf (buf, sizeof buf, "%" G_GSIZE_FORMAT, sb_history_item_get_length (record));
  set_cell_text (label, buf, TRUE);
}

static void
setup_data_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SbHistoryView            *self)
{
  gtk_list_item_set_child (item, sb_data_cell_new ());
}

gboolean
_sb_history_view_has_check (SbHistoryView *self)
{
  return self->frames != NULL && *sb_frames_get_check (self->frames) != '\0';
}

gboolean
_sb_history_view_modbus_framing (SbHistoryView *self,
                                 int           *framing)
{
  SbFramer *framer = self->frames ? sb_frames_get_framer (self->frames) : NULL;
  g_autofree char *spec = framer ? sb_framer_to_spec (framer) : NULL;
  g_autofree char *check = NULL;

  if (spec == NULL)
    return FALSE;
  /* "len:2:be:4", perhaps with options after it. */
  if (g_str_has_prefix (spec, "len:2:be:4") && (spec[10] == '\0' || spec[10] == ':'))
    {
      *framing = SB_MODBUS_TCP;
      return TRUE;
    }
  check = g_ascii_strdown (sb_frames_get_check (self->frames), -1);
  if (strstr (check, "crc-16/modbus") != NULL)
    {
      *framing = SB_MODBUS_RTU;
      return TRUE;
    }
  return FALSE;
}

/* The check column: ✔ or ✘ for received frames, the reason on hover. */
static gboolean
check_query_tooltip_cb (GtkWidget   *label,
                        int          x,
                        int          y,
                        gboolean     keyboard,
                        GtkTooltip  *tooltip,
                        GtkListItem *item)
{
  gpointer record = gtk_list_item_get_item (item);
  g_autofree char *description = NULL;
  SbCheckStatus status;

  if (record == NULL || !SB_IS_FRAME_ITEM (record))
    return FALSE;
  status = sb_frame_item_get_check (record, &description);
  if (status == SB_CHECK_NONE)
    return FALSE;
  gtk_tooltip_set_text (tooltip, description ? description : _("Check passed"));
  return TRUE;
}

static void
setup_check_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = make_cell (0.5f, 2);

  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect_object (label, "query-tooltip", G_CALLBACK (check_query_tooltip_cb), item, 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_check_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SbHistoryView            *self)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  SbCheckStatus status = SB_IS_FRAME_ITEM (record) ? sb_frame_item_get_check (record, NULL) : SB_CHECK_NONE;
  const char *mark = "", *css_class = NULL, *name = NULL;

  switch (status)
    {
    case SB_CHECK_OK:
      mark = "✔";
      css_class = "sb-check-ok";
      /* Translators: a received frame's checksum is right */
      name = _("Check passed");
      break;
    case SB_CHECK_BAD:
    case SB_CHECK_SHORT:
      mark = "✘";
      css_class = "sb-check-bad";
      /* Translators: a received frame's checksum is wrong */
      name = _("Check failed");
      break;
    case SB_CHECK_NONE:
    default:
      break;
    }
  if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (label)), mark) == 0)
    return;
  gtk_widget_remove_css_class (label, "sb-check-ok");
  gtk_widget_remove_css_class (label, "sb-check-bad");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  set_cell_text (label, mark, FALSE);
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* What a frame's row says under its data: how it came in, what it waits
 * for, and decoded Modbus when asked. Newly allocated. */
static char *
frame_note (SbHistoryView *self,
            SbFrameItem   *frame)
{
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) parts = sb_frame_item_dup_parts (frame);
  g_autofree char *check = NULL;
  SbFrameInfo info;
  int framing;

  sb_frame_item_get_info (frame, &info);

  /* A failed check says what was expected, in the row itself. */
  if (sb_frame_item_get_check (frame, &check) != SB_CHECK_NONE && check != NULL)
    g_ptr_array_add (facts, g_strconcat ("✘ ", check, NULL));

  /* A frame that did not end complete: what the framer says of it, the
   * most telling first ("Waiting for 6 more bytes", then why). */
  if (info.status != SB_FRAME_COMPLETE)
    {
      g_autofree char *explanation = sb_frame_item_dup_explanation (frame);
      g_auto(GStrv) lines = g_strsplit (explanation, "\n", -1);

      for (guint i = g_strv_length (lines); i > 0; i--)
        if (*lines[i - 1] != '\0')
          g_ptr_array_add (facts, g_strdup (lines[i - 1]));
    }

  if (parts->len > 1)
    /* Translators: a message built from several reads (recv calls) */
    g_ptr_array_add (facts, g_strdup_printf (ngettext ("%u read", "%u reads", parts->len), parts->len));
  else if (parts->len == 1 && self->frames != NULL)
    {
      g_autoptr(GArray) shared = sb_frames_find_read (self->frames, g_array_index (parts, SbFramePart, 0).serial);

      if (shared->len > 1)
        /* Translators: one read (recv call) held several messages */
        g_ptr_array_add (facts, g_strdup_printf (ngettext ("one read held %u frame",
                                                           "one read held %u frames", shared->len),
                                                 shared->len));
    }
  if (info.skipped > 0 && info.status == SB_FRAME_COMPLETE)
    g_ptr_array_add (facts, g_strdup_printf (ngettext ("%llu byte skipped before it",
                                                       "%llu bytes skipped before it",
                                                       (unsigned long) MIN (info.skipped, G_MAXULONG)),
                                             (unsigned long long) info.skipped));

  if (self->decode_modbus && info.status == SB_FRAME_COMPLETE && _sb_history_view_modbus_framing (self, &framing))
    {
      g_autoptr(GBytes) raw = sb_frame_item_dup_raw (frame);
      gsize len = 0;
      const guint8 *bytes = raw ? g_bytes_get_data (raw, &len) : NULL;

      if (bytes != NULL)
        g_ptr_array_add (facts, sb_modbus_describe (framing,
                                                    sb_frame_item_get_direction (frame) == SB_DIRECTION_RX
                                                      ? SB_MODBUS_RESPONSE : SB_MODBUS_REQUEST,
                                                    bytes, len));
    }

  g_ptr_array_add (facts, NULL);
  return g_strjoinv (" · ", (char **) facts->pdata);
}

static void
refresh_data_cell (SbHistoryView *self,
                   GtkListItem   *item)
{
  gpointer record = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);

  if (record == NULL || cell == NULL)
    return;
  if (SB_IS_FRAME_ITEM (record))
    {
      g_autofree char *note = NULL;

      /* The note costs lookups: only for a frame the cell does not show. */
      if (sb_data_cell_shows_frame (SB_DATA_CELL (cell), record, self->render_generation))
        return;
      note = frame_note (self, record);
      sb_data_cell_show_frame (SB_DATA_CELL (cell), record, self->encoding, self->view_mode,
                               self->render_generation, note);
    }
  else
    sb_data_cell_show (SB_DATA_CELL (cell), record, self->encoding, self->view_mode,
                       self->render_generation);
}

static void
bind_data_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SbHistoryView            *self)
{
  g_hash_table_add (self->bound_data_cells, item);
  refresh_data_cell (self, item);
}

/* The cell keeps its text while unbound: GTK 4.8 unbinds and binds a row
 * again whenever its position changes, and the record it shows is most
 * often the same (see sb_data_cell_show()). */
static void
unbind_data_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                SbHistoryView            *self)
{
  g_hash_table_remove (self->bound_data_cells, item);
}

static void
teardown_data_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  SbHistoryView            *self)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  g_hash_table_remove (self->bound_data_cells, item);
  /* Lets go of the text's attributes, which GTK 4.8's GtkInscription
   * would keep forever. */
  if (cell != NULL)
    sb_data_cell_clear (SB_DATA_CELL (cell));
}

void
_sb_history_view_refresh_live (SbHistoryView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_data_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      GtkWidget *cell = gtk_list_item_get_child (item);

      if (cell != NULL && sb_data_cell_get_live (SB_DATA_CELL (cell)))
        {
          sb_data_cell_invalidate (SB_DATA_CELL (cell));
          refresh_data_cell (self, item);
        }
    }
}

void
_sb_history_view_refresh_visible (SbHistoryView *self)
{
  GHashTableIter iter;
  gpointer item;

  self->render_generation++;
  g_hash_table_iter_init (&iter, self->bound_data_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    refresh_data_cell (self, item);
}

static GtkColumnViewColumn *
add_column (SbHistoryView *self,
            const char    *title,
            GCallback      setup,
            gpointer       setup_data,
            GCallback      bind,
            gboolean       expand,
            int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, setup_data);
  g_signal_connect (factory, "bind", bind, self);
  if (bind == G_CALLBACK (bind_data_cb))
    {
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_data_cb), self);
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_data_cb), self);
    }
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  return column;
}

void
_sb_history_view_add_columns (SbHistoryView *self)
{
  add_column (self, _("Time"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (CELL_TIME), G_CALLBACK (bind_time_cb), FALSE, -1);
  /* Translators: column title for the direction arrow (received/sent); keep it short */
  add_column (self, C_("column", "Dir"), G_CALLBACK (setup_direction_cb), NULL, G_CALLBACK (bind_direction_cb), FALSE, -1);
  add_column (self, _("Peer"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (CELL_TEXT), G_CALLBACK (bind_peer_cb), FALSE, -1);
  /* Translators: column title, length in bytes */
  add_column (self, _("Length"), G_CALLBACK (setup_label_cb), GINT_TO_POINTER (CELL_NUMBER), G_CALLBACK (bind_length_cb), FALSE, -1);
  /* Translators: column title, ✔ or ✘ for a frame's checksum; keep it short */
  self->check_column = add_column (self, C_("column", "Check"), G_CALLBACK (setup_check_cb), NULL,
                                   G_CALLBACK (bind_check_cb), FALSE, -1);
  gtk_column_view_column_set_visible (self->check_column, FALSE);
  add_column (self, _("Data"), G_CALLBACK (setup_data_cb), self, G_CALLBACK (bind_data_cb), TRUE, -1);

}
