/* sb-sequence-view-draw.c — drawing the sequence diagram
 *
 * Only the rows the vertical adjustment shows are drawn, read from the
 * history by position; the lifeline labels are drawn last, over the rows.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-sequence-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-sequence-view-private.h"

/* --- Drawing --- */

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA faint;
  GdkRGBA bg;
  GdkRGBA rx;
  GdkRGBA tx;
  GdkRGBA error;
  GdkRGBA selected;
} Palette;

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback,
              GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static void
get_palette (SbSequenceView *self,
             Palette        *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &p->fg);
  p->dim = p->fg;
  p->dim.alpha *= 0.6f;
  p->faint = p->fg;
  p->faint.alpha *= 0.25f;
  lookup_color (context, "theme_base_color", "#ffffff", &p->bg);
  lookup_color (context, "success_color", "#26a269", &p->rx);
  lookup_color (context, "theme_selected_bg_color", "#3584e4", &p->tx);
  lookup_color (context, "error_color", "#e01b24", &p->error);
  p->selected = p->tx;
  p->selected.alpha = 0.18f;
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

/* A horizontal arrow from @x1 to @x2 with a chevron head at @x2. */
static void
append_arrow (GtkSnapshot   *snapshot,
              const GdkRGBA *color,
              double         x1,
              double         x2,
              double         y,
              double         thickness,
              gboolean       dashed)
{
  double left = MIN (x1, x2), right = MAX (x1, x2);
  double head = 9;
  int dir = x2 >= x1 ? 1 : -1;

  if (dashed)
    {
      for (double x = left; x < right; x += 9)
        append_rect (snapshot, color, x, y - thickness / 2, MIN (5, right - x), thickness);
    }
  else
    append_rect (snapshot, color, left, y - thickness / 2, right - left, thickness);

  for (int side = -1; side <= 1; side += 2)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x2, y));
      gtk_snapshot_rotate (snapshot, side * 32.0f);
      append_rect (snapshot, color, dir > 0 ? -head : 0, -thickness / 2, head, thickness);
      gtk_snapshot_restore (snapshot);
    }
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const GdkRGBA *color,
             const char    *text,
             double         x,
             double         y,
             double         max_width,
             double         xalign)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, max_width > 0 ? (int) (max_width * PANGO_SCALE) : -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x - width * xalign), (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A note beside a lifeline: a box with text, right of @x (or ending at
 * @x when @left). */
static void
append_note (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const Palette *p,
             const GdkRGBA *color,
             const char    *text,
             double         x,
             double         y,
             double         max_width,
             gboolean       left)
{
  int width, height;
  GskRoundedRect box;
  GdkRGBA fill = *color;
  float border = 1;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (MAX (20, max_width - 12) * PANGO_SCALE));
  pango_layout_get_pixel_size (layout, &width, &height);
  if (left)
    x -= width + 12;

  fill.alpha *= 0.12f;
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float) x, (float) y, width + 12, height + 4), 4);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &fill, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box,
                              (float[4]) { border, border, border, border },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x + 6, (float) y + 2));
  gtk_snapshot_append_layout (snapshot, layout, &p->fg);
  gtk_snapshot_restore (snapshot);
}

/* "12 bytes · “hello”", decoding only the first bytes. Newly allocated. */
static char *
message_label (SbSequenceView *self,
               guint           position)
{
  gsize len = 0;
  const guint8 *data = sb_history_peek_data (self->history, position, &len);
  g_autofree char *text = NULL;
  g_autofree char *size = NULL;
  gboolean cut = FALSE;

  /* Translators: the size of a message in the sequence diagram */
  size = g_strdup_printf (ngettext ("%zu byte", "%zu bytes", len), (size_t) len);
  if (data == NULL || len == 0)
    return g_steal_pointer (&size);

  /* The stream's decode, as the history shows it: a character split
   * across two reads is shown whole in the second. */
  text = sb_history_decode_prefix (self->history, position, self->encoding, SB_DECODE_ESCAPE_CONTROLS,
                                   NULL, PREVIEW_BYTES, &cut);
  if (text == NULL)
    text = g_strdup ("");
  if (g_utf8_strlen (text, -1) > PREVIEW_CHARS)
    {
      *g_utf8_offset_to_pointer (text, PREVIEW_CHARS) = '\0';
      cut = TRUE;
    }
  /* Translators: a message in the sequence diagram, “12 bytes · “hello…”” */
  return g_strdup_printf (_("%s · “%s%s”"), size, text, cut ? "…" : "");
}

/* The label of a read's arrow: its preview, and with frames the messages
 * it holds, “#2 #3…” (… : the message goes on in a later read). */
static char *
message_text (SbSequenceView *self,
              guint           position)
{
  g_autofree char *label = message_label (self, position);
  g_autoptr(GArray) positions = NULL;
  g_autoptr(GString) numbers = g_string_new (NULL);
  guint64 serial = sb_history_get_serial (self->history, position);

  if (self->frames == NULL || sb_frames_get_framer (self->frames) == NULL)
    return g_steal_pointer (&label);
  positions = sb_frames_find_read (self->frames, serial);
  for (guint i = 0; i < positions->len; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (self->frames), g_array_index (positions, guint, i));
      gboolean goes_on;

      if (item == NULL)
        continue;
      goes_on = sb_frame_item_get_status (item) == SB_FRAME_INCOMPLETE || sb_frame_item_get_last_serial (item) != serial;
      g_string_append_printf (numbers, "%s#%" G_GUINT64_FORMAT "%s", numbers->len ? " " : "",
                              sb_frame_item_get_number (item) + 1, goes_on ? "…" : "");
    }
  if (numbers->len == 0)
    return g_steal_pointer (&label);
  /* Translators: a read in the sequence diagram and the messages it holds, “6 bytes · “ab…” · messages #2 #3…” */
  return g_strdup_printf (ngettext ("%s · message %s", "%s · messages %s", positions->len), label, numbers->str);
}

/* A short label centred at (@x, @y) on a box of the background colour, so
 * that it reads over the lines it sits on. */
static void
append_tag (GtkSnapshot   *snapshot,
            PangoLayout   *layout,
            const Palette *p,
            const GdkRGBA *color,
            const char    *text,
            double         x,
            double         y)
{
  int width, height;

  pango_layout_set_width (layout, -1);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  append_rect (snapshot, &p->bg, x - width / 2.0 - 3, y - height / 2.0, width + 6, height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x - width / 2.0), (float) (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A TCP connection as the kernels make it: the client's SYN, the server's
 * SYN-ACK, the client's ACK, three arrows in the row; the calls that wait
 * for it beside them, connect() at the client and accept() at the server. */
static void
draw_handshake (SbSequenceView *self,
                GtkSnapshot    *snapshot,
                PangoLayout    *layout,
                const Palette  *p,
                double          us,
                double          them,
                double          y)
{
  gboolean server = sb_kind_is_server (self->kind);
  double client = server ? them : us, srv = server ? us : them;
  double h = self->row_height;
  double span = ABS (srv - client);
  int dir = srv > client ? 1 : -1;
  /* Translators: the three TCP handshake segments in the sequence diagram */
  const char *names[3] = { C_("tcp", "SYN"), C_("tcp", "SYN-ACK"), C_("tcp", "ACK") };
  double ys[3];

  for (int i = 0; i < 3; i++)
    ys[i] = h >= LABEL_MIN_ROW ? y + h * (i + 1) / 4.0 : y + h / 2.0 + (i - 1) * MAX (2.0, h / 5.0);

  append_arrow (snapshot, &p->dim, client, srv, ys[0], 1.2, FALSE);
  append_arrow (snapshot, &p->dim, srv, client, ys[1], 1.2, FALSE);
  append_arrow (snapshot, &p->dim, client, srv, ys[2], 1.2, FALSE);
  if (h < LABEL_MIN_ROW || span < 60)
    return;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  for (int i = 0; i < 3; i++)
    append_tag (snapshot, layout, p, &p->fg, names[i], client + dir * span * (0.3 + 0.2 * i), ys[i]);

  /* The calls beside the lifelines, on their outer sides: this side's
   * (column 0) to its left, the peer's to its right. */
  {
    double self_x = server ? srv : client, peer_x = server ? client : srv;
    /* Translators: in the sequence diagram, the client's call that makes the handshake */
    const char *client_call = _("connect()");
    /* Translators: in the sequence diagram, the server's call that returns once the handshake is done */
    const char *server_call = _("accept()");
    int width, height;

    pango_layout_set_width (layout, -1);
    pango_layout_set_text (layout, server ? server_call : client_call, -1);
    pango_layout_get_pixel_size (layout, &width, &height);
    if (self_x - width - 8 >= gutter_width (self) - 4)
      append_tag (snapshot, layout, p, server ? &p->rx : &p->tx, server ? server_call : client_call,
                  self_x - width / 2.0 - 8, server ? ys[2] : ys[0]);
    pango_layout_set_text (layout, server ? client_call : server_call, -1);
    pango_layout_get_pixel_size (layout, &width, &height);
    append_tag (snapshot, layout, p, server ? &p->tx : &p->rx, server ? client_call : server_call,
                peer_x + width / 2.0 + 8, server ? ys[0] : ys[2]);
  }
}

/* The frames of the read at @position: a bar above its arrow for each
 * frame's share of it, where in the read it lies; a frame that ends in
 * this read is closed with a tick (the numbers are in the label). */
static void
draw_frames (SbSequenceView *self,
             GtkSnapshot    *snapshot,
             const Palette  *p,
             guint           position,
             double          from,
             double          to,
             double          y)
{
  guint64 serial = sb_history_get_serial (self->history, position);
  gsize len = 0;
  g_autoptr(GArray) positions = NULL;
  double left = MIN (from, to) + 6, width = ABS (to - from) - 12;

  sb_history_peek_data (self->history, position, &len);
  if (self->frames == NULL || sb_frames_get_framer (self->frames) == NULL || len == 0 || width < 20)
    return;
  positions = sb_frames_find_read (self->frames, serial);
  for (guint i = 0; i < positions->len; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (self->frames), g_array_index (positions, guint, i));
      g_autoptr(GArray) parts = item ? sb_frame_item_dup_parts (item) : NULL;
      guint64 number = item ? sb_frame_item_get_number (item) : 0;

      for (guint j = 0; parts != NULL && j < parts->len; j++)
        {
          const SbFramePart *part = &g_array_index (parts, SbFramePart, j);
          /* Bytes run along the arrow, from its tail to its head. */
          double a = (double) part->offset / len, b = (double) (part->offset + part->length) / len;
          double x1 = from < to ? left + a * width : left + (1 - b) * width;
          double x2 = from < to ? left + b * width : left + (1 - a) * width;
          GdkRGBA bar = number % 2 ? p->tx : p->rx;
          gboolean ends = j == parts->len - 1 && sb_frame_item_get_status (item) != SB_FRAME_INCOMPLETE;

          if (part->serial != serial)
            continue;
          bar.alpha = 0.55f;
          append_rect (snapshot, &bar, x1 + 1, y - 3, MAX (2, x2 - x1 - 2), 3);
          if (ends)
            append_rect (snapshot, &p->fg, from < to ? x2 - 2 : x1, y - 7, 2, 7);
          break;
        }
    }
}

/* A relay's row: bytes read on one leg and passed on along the other,
 * a pair connecting on both, and what Sockbench did as a note on its own
 * lifeline. FALSE: drawn as any other row. */
static gboolean
draw_relay_row (SbSequenceView *self,
                GtkSnapshot    *snapshot,
                PangoLayout    *layout,
                const Palette  *p,
                guint           position,
                double          y)
{
  SbDirection direction = sb_history_get_direction (self->history, position);
  SbEventKind event = sb_history_get_event (self->history, position);
  guint peer = sb_history_get_peer (self->history, position);
  double h = self->row_height;
  double client = column_x (self, peer), relay = column_x (self, 0), server = column_x (self, server_column (self));
  double line_y = h >= LABEL_MIN_ROW ? y + h - 9 : y + h / 2;
  gboolean datagram = !sb_kind_is_stream (self->kind);
  double span = ABS (relay - client) - 12;

  if (peer == 0)
    return FALSE;

  if (direction == SB_DIRECTION_RX || direction == SB_DIRECTION_TX)
    {
      gboolean up = direction == SB_DIRECTION_RX;
      const GdkRGBA *color = up ? &p->rx : &p->tx;
      double from = up ? client : server, to = up ? server : client;
      g_autofree char *text = message_text (self, position);

      append_arrow (snapshot, color, from, relay, line_y, 1.5, datagram);
      append_arrow (snapshot, color, relay, to, line_y, 1.0, TRUE);
      draw_frames (self, snapshot, p, position, from, relay, line_y - 5);
      if (h >= LABEL_MIN_ROW && text != NULL)
        {
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          append_text (snapshot, layout, color, text, (from + relay) / 2, line_y - 20, MAX (span, 40), 0.5);
        }
      return TRUE;
    }

  if (event == SB_EVENT_CONNECTED)
    {
      append_arrow (snapshot, &p->dim, client, relay, line_y, 1.2, FALSE);
      append_arrow (snapshot, &p->dim, relay, server, line_y, 1.2, datagram);
      if (h >= LABEL_MIN_ROW)
        {
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          append_text (snapshot, layout, &p->fg, datagram ? _("first datagram") : _("accept()"),
                       (client + relay) / 2, line_y - 20, MAX (span, 40), 0.5);
          append_text (snapshot, layout, &p->fg, _("connect()"),
                       (relay + server) / 2, line_y - 20, MAX (span, 40), 0.5);
        }
      return TRUE;
    }

  if (event == SB_EVENT_FAULT || event == SB_EVENT_INFO || event == SB_EVENT_ERROR)
    {
      g_autofree char *text = sb_history_decode (self->history, position, "UTF-8", SB_DECODE_ESCAPE_CONTROLS, NULL);

      if (h >= 20 && text != NULL)
        {
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          append_note (snapshot, layout, p, event == SB_EVENT_ERROR ? &p->error : &p->dim,
                       text, relay + 6, y + MAX (1, (h - 22) / 2), column_width (self) * 0.95, FALSE);
        }
      return TRUE;
    }

  return FALSE;
}

static void
draw_row (SbSequenceView *self,
          GtkSnapshot    *snapshot,
          PangoLayout    *layout,
          const Palette  *p,
          guint           position,
          double          y)
{
  SbDirection direction = sb_history_get_direction (self->history, position);
  SbEventKind event = sb_history_get_event (self->history, position);
  guint peer = sb_history_get_peer (self->history, position);
  double h = self->row_height;
  double us = column_x (self, 0), them = column_x (self, peer);
  double line_y = h >= LABEL_MIN_ROW ? y + h - 9 : y + h / 2;
  gboolean datagram = !sb_kind_is_stream (self->kind);
  gboolean labels = h >= LABEL_MIN_ROW;
  const GdkRGBA *color = &p->fg;
  g_autofree char *text = NULL;
  double from = us, to = them, thickness = 1.5;

  if (sb_kind_is_relay (self->kind) && draw_relay_row (self, snapshot, layout, p, position, y))
    return;

  if (event == SB_EVENT_CONNECTED && peer != 0 && !datagram)
    {
      draw_handshake (self, snapshot, layout, p, us, them, y);
      return;
    }

  if (direction == SB_DIRECTION_RX || direction == SB_DIRECTION_TX)
    {
      text = message_text (self, position);
      if (direction == SB_DIRECTION_RX)
        from = them, to = us, color = &p->rx;
      else
        color = &p->tx;
    }
  else if (peer != 0 && event == SB_EVENT_TLS)
    {
      /* The whole TLS handshake as one thick block between the two sides. */
      g_autofree char *message = sb_history_decode (self->history, position, "UTF-8", SB_DECODE_ESCAPE_CONTROLS, NULL);

      /* Translators: in the sequence diagram, “TLS handshake · TLS 1.3, cipher suite …” */
      text = g_strdup_printf (_("TLS handshake · %s"), message ? message : "");
      thickness = 5;
      datagram = FALSE;
    }
  else if (peer != 0 &&
           (event == SB_EVENT_CONNECTED || event == SB_EVENT_PEER_CLOSED || event == SB_EVENT_HALF_CLOSED ||
            event == SB_EVENT_RESET || event == SB_EVENT_DISCONNECTED))
    {
      switch (event)
        {
        case SB_EVENT_CONNECTED:
          /* A datagram socket's connect(): no segment, a default target. */
          if (sb_kind_is_server (self->kind))
            from = them, to = us;
          /* Translators: in the sequence diagram, a client connecting */
          text = g_strdup (_("connect()"));
          break;
        case SB_EVENT_PEER_CLOSED:
          from = them, to = us;
          /* Translators: in the sequence diagram, the peer closed its side */
          text = g_strdup (_("FIN · recv() returns 0"));
          break;
        case SB_EVENT_HALF_CLOSED:
          text = g_strdup (_("FIN · shutdown(SHUT_WR)"));
          break;
        case SB_EVENT_RESET:
          from = them, to = us, color = &p->error, thickness = 2.5;
          /* Translators: in the sequence diagram, a reset connection */
          text = g_strdup (_("RST · connection reset"));
          break;
        case SB_EVENT_DISCONNECTED:
        default:
          text = g_strdup (_("FIN · close()"));
          break;
        }
      datagram = FALSE;
      if (color == &p->fg)
        color = &p->dim;
    }
  else
    {
      /* A note on the lifeline: this side's events, and errors. */
      g_autofree char *message = sb_history_decode (self->history, position, "UTF-8", SB_DECODE_ESCAPE_CONTROLS, NULL);
      const char *what = sb_event_kind_get_label (event);
      /* This side's notes to the right of its lifeline, a peer's to the
       * left of its own, towards this side: both stay in view. */
      gboolean left = peer != 0;
      double x = column_x (self, peer) + (left ? -6 : 6);

      /* The event's own message says more than its kind. */
      text = message && *message ? g_steal_pointer (&message) : g_strdup (what);

      if (h >= 20)
        {
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          append_note (snapshot, layout, p,
                       event == SB_EVENT_ERROR || event == SB_EVENT_RESET || event == SB_EVENT_WARNING ? &p->error : &p->dim,
                       text, x, y + MAX (1, (h - 22) / 2), column_width (self) * (left ? 0.9 : 1.5), left);
        }
      return;
    }

  append_arrow (snapshot, color, from, to, line_y, thickness, datagram);
  if (direction == SB_DIRECTION_RX || direction == SB_DIRECTION_TX)
    draw_frames (self, snapshot, p, position, from, to, line_y - 5);
  if (labels && text != NULL)
    {
      double span = ABS (to - from) - 12;

      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      append_text (snapshot, layout, color == &p->dim ? &p->fg : color, text,
                   (from + to) / 2, line_y - 20, MAX (span, 40), 0.5);
    }
}

static void
draw_gutter_time (SbSequenceView *self,
                  GtkSnapshot    *snapshot,
                  PangoLayout    *layout,
                  const Palette  *p,
                  guint           position,
                  double          y)
{
  gint64 time_us = sb_history_get_time (self->history, position);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *hms = NULL;
  char text[32];

  if (time_us == 0)
    return;
  dt = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  hms = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
  g_snprintf (text, sizeof text, "%s.%03d", hms, (int) ((time_us % G_USEC_PER_SEC) / 1000));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  append_text (snapshot, layout, &p->dim, text, 4, y + MAX (0, (self->row_height - 16) / 2.0), -1, 0);
}

void
_sb_sequence_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SbSequenceView *self = SB_SEQUENCE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(PangoLayout) small = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  double top = vvalue (self), left = hvalue (self);
  double colw = column_width (self);
  guint first, count;
  Palette p;

  get_palette (self, &p);
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.9));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (small, attrs);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sb_sequence_view_get_visible_range (self, &first, &count);

  /* Rows, in canvas coordinates shifted by the scroll offsets. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, HEADER_HEIGHT));
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, MAX (0, height - HEADER_HEIGHT)));

  for (guint i = 0; i < self->n_columns; i++)
    {
      double x = column_x (self, i) - left;

      if (x < -10 || x > width + 10)
        continue;
      append_rect (snapshot, i == 0 ? &p.dim : &p.faint, x - (i == 0 ? 1 : 0.5), 0, i == 0 ? 2 : 1, height);
    }

  for (guint i = first; i < first + count; i++)
    {
      double y = (double) i * self->row_height - top;
      double gutter = self->show_gutter ? GUTTER_WIDTH - 4 : 0;

      if (self->selected_serial >= 0 && sb_history_get_serial (self->history, i) == (guint64) self->selected_serial)
        append_rect (snapshot, &p.selected, 0, y, width, self->row_height);

      /* Scrolled sideways, the arrows pass under the times, not over. */
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT ((float) gutter, (float) y, (float) (width - gutter), self->row_height));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) -left, 0));
      draw_row (self, snapshot, small, &p, i, y);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);

      if (self->show_gutter && self->row_height >= 18)
        draw_gutter_time (self, snapshot, small, &p, i, y);
    }
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_restore (snapshot);

  /* Sticky lifeline labels. */
  append_rect (snapshot, &p.bg, 0, 0, width, HEADER_HEIGHT);
  append_rect (snapshot, &p.faint, 0, HEADER_HEIGHT - 1, width, 1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_ellipsize (small, PANGO_ELLIPSIZE_END);
  for (guint i = 0; i < self->n_columns; i++)
    {
      double x = column_x (self, i) - left;
      const char *title, *subtitle;
      g_autofree char *peer_title = NULL;

      if (x < -colw || x > width + colw)
        continue;
      if (sb_kind_is_relay (self->kind) && (i == 0 || i == server_column (self)))
        {
          /* Three lanes: the clients, Sockbench between them, the server. */
          title = i == 0 ? "Sockbench" : _("Server");
          subtitle = i == 0 && self->local_label ? self->local_label : "";
        }
      else if (i == 0)
        {
          /* Translators: lifelines in the sequence diagram: this side is a
           * TCP server, a TCP client, or a datagram socket */
          title = !sb_kind_is_stream (self->kind) ? _("This side") :
                  sb_kind_is_server (self->kind) ? _("Server") : _("Client");
          subtitle = self->local_label ? self->local_label : "";
        }
      else
        {
          /* Only ids seen in records are known to the history. */
          const char *label = self->history && i <= self->max_peer ? sb_history_get_peer_label (self->history, i) : "";

          if (!sb_kind_is_stream (self->kind) && !sb_kind_is_relay (self->kind))
            /* Translators: a lifeline in the sequence diagram, "Peer 2" */
            peer_title = g_strdup_printf (_("Peer %u"), i);
          else if (!sb_kind_is_server (self->kind))
            peer_title = g_strdup (_("Server"));
          else if (self->max_peer <= 1)
            peer_title = g_strdup (_("Client"));
          else
            /* Translators: a lifeline in the sequence diagram, "Client 2" */
            peer_title = g_strdup_printf (_("Client %u"), i);
          title = peer_title;
          subtitle = label;
        }
      append_text (snapshot, layout, &p.fg, title, x, 3, colw - 8, 0.5);
      append_text (snapshot, small, &p.dim, subtitle, x, 21, colw - 8, 0.5);
    }
  if (self->show_gutter)
    {
      pango_layout_set_ellipsize (small, PANGO_ELLIPSIZE_NONE);
      /* Translators: the time column of the sequence diagram */
      append_text (snapshot, small, &p.dim, _("Time ↓"), 4, 21, GUTTER_WIDTH - 8, 0);
    }

  if (n_rows (self) == 0)
    {
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      append_text (snapshot, layout, &p.dim,
                   _("Connections, messages and closes will appear here as arrows between the lifelines."),
                   width / 2.0, HEADER_HEIGHT + 24, MAX (100, width - 40), 0.5);
    }

  gtk_snapshot_pop (snapshot);
}

char *
sb_sequence_view_dup_row_text (SbSequenceView *self,
                               guint           position)
{
  SbDirection direction;
  SbEventKind event;

  g_return_val_if_fail (SB_IS_SEQUENCE_VIEW (self), NULL);

  if (self->history == NULL || position >= n_rows (self))
    return NULL;
  direction = sb_history_get_direction (self->history, position);
  event = sb_history_get_event (self->history, position);
  if (direction == SB_DIRECTION_RX || direction == SB_DIRECTION_TX)
    return message_text (self, position);
  if (event == SB_EVENT_CONNECTED && sb_history_get_peer (self->history, position) != 0 &&
      sb_kind_is_stream (self->kind) && !sb_kind_is_relay (self->kind))
    {
      return g_strdup_printf ("%s → %s\n%s ← %s\n%s → %s\n%s · %s",
                              _("Client"), C_("tcp", "SYN"),
                              _("Server"), C_("tcp", "SYN-ACK"),
                              _("Client"), C_("tcp", "ACK"),
                              _("connect()"), _("accept()"));
    }
  return sb_history_decode (self->history, position, "UTF-8", SB_DECODE_ESCAPE_CONTROLS, NULL);
}
