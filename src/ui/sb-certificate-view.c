/* sb-certificate-view.c — the certificates a session's peers showed
 *
 * The history is read as it grows: records already seen are not read
 * again, and the cards are rebuilt only when a handshake changed.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-certificate-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-certificate-view.h"

/* At most this many peers are shown, the latest. */
#define MAX_PEERS 16

typedef struct
{
  guint      peer;
  GPtrArray *certificates;   /* the text of each SB_EVENT_CERTIFICATE */
  GPtrArray *problems;       /* ERROR/WARNING texts after the chain, each after 'E' or 'W' */
  char      *summary;        /* the SB_EVENT_TLS text, once done */
  gboolean   in_chain;       /* the last event read for it was a certificate */
} Handshake;

struct _SbCertificateView
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkWidget *box;
  GtkWidget *scrolled;
  GtkBox    *list;
  GtkWidget *placeholder;

  /* Owned */
  SbHistory *history;
  GPtrArray *handshakes;     /* Handshake, oldest first */
  guint      scanned;        /* records of the history read so far */
};

G_DEFINE_FINAL_TYPE (SbCertificateView, sb_certificate_view, GTK_TYPE_WIDGET)

static void
handshake_free (Handshake *hs)
{
  g_ptr_array_unref (hs->certificates);
  g_ptr_array_unref (hs->problems);
  g_free (hs->summary);
  g_free (hs);
}

static Handshake *
find_handshake (SbCertificateView *self,
                guint              peer)
{
  for (guint i = self->handshakes->len; i > 0; i--)
    {
      Handshake *hs = g_ptr_array_index (self->handshakes, i - 1);

      if (hs->peer == peer)
        return hs;
    }
  return NULL;
}

/* A chain that starts again (a new connection from the same address, a
 * reconnect) replaces what was shown for that peer. */
static Handshake *
start_handshake (SbCertificateView *self,
                 guint              peer)
{
  Handshake *hs = find_handshake (self, peer);

  if (hs != NULL)
    g_ptr_array_remove (self->handshakes, hs);
  hs = g_new0 (Handshake, 1);
  hs->peer = peer;
  hs->certificates = g_ptr_array_new_with_free_func (g_free);
  hs->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->handshakes, hs);
  if (self->handshakes->len > MAX_PEERS)
    g_ptr_array_remove_index (self->handshakes, 0);
  return hs;
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One certificate: its first line as a title, the fields under it. */
static GtkWidget *
certificate_card (const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  const char *newline = strchr (text, '\n');
  g_autofree char *title = newline ? g_strndup (text, newline - text) : g_strdup (text);

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), wrapped_label (title, "heading"));
  if (newline != NULL)
    {
      GtkWidget *fields = wrapped_label (newline + 1, NULL);

      gtk_widget_add_css_class (fields, "monospace");
      gtk_box_append (GTK_BOX (box), fields);
    }
  gtk_widget_add_css_class (box, "card");
  return box;
}

static void
rebuild (SbCertificateView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_box_remove (self->list, child);

  gtk_widget_set_visible (self->placeholder, self->handshakes->len == 0);
  gtk_widget_set_visible (self->scrolled, self->handshakes->len > 0);

  /* The latest first. */
  for (guint i = self->handshakes->len; i > 0; i--)
    {
      Handshake *hs = g_ptr_array_index (self->handshakes, i - 1);
      const char *label = sb_history_get_peer_label (self->history, hs->peer);
      g_autofree char *heading = NULL;

      /* Translators: the Certificate view, above one peer's handshake */
      heading = g_strdup_printf (_("TLS with %s"), label ? label : "?");
      gtk_box_append (self->list, wrapped_label (heading, "title-4"));
      if (hs->summary != NULL)
        gtk_box_append (self->list, wrapped_label (hs->summary, NULL));
      else if (hs->problems->len == 0)
        gtk_box_append (self->list, wrapped_label (_("The handshake has not finished."), "dim-label"));

      for (guint j = 0; j < hs->problems->len; j++)
        {
          const char *problem = g_ptr_array_index (hs->problems, j);

          gtk_box_append (self->list, wrapped_label (problem + 1, problem[0] == 'E' ? "error" : "warning"));
        }

      if (hs->certificates->len == 0)
        gtk_box_append (self->list, wrapped_label (_("The peer showed no certificate."), "dim-label"));
      for (guint j = 0; j < hs->certificates->len; j++)
        gtk_box_append (self->list, certificate_card (g_ptr_array_index (hs->certificates, j)));
    }
}

/* Reads the records not read yet; TRUE when a handshake changed. */
static gboolean
scan (SbCertificateView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));
  gboolean changed = FALSE;

  for (; self->scanned < n; self->scanned++)
    {
      guint i = self->scanned;
      SbEventKind kind;
      guint peer;
      Handshake *hs;
      g_autofree char *text = NULL;

      if (sb_history_get_direction (self->history, i) != SB_DIRECTION_EVENT)
        continue;
      kind = sb_history_get_event (self->history, i);
      if (kind != SB_EVENT_CERTIFICATE && kind != SB_EVENT_TLS &&
          kind != SB_EVENT_WARNING && kind != SB_EVENT_ERROR && kind != SB_EVENT_CONNECTED)
        continue;
      peer = sb_history_get_peer (self->history, i);
      hs = find_handshake (self, peer);

      if (kind == SB_EVENT_CONNECTED)
        {
          if (hs != NULL)
            hs->in_chain = FALSE;
          continue;
        }
      text = sb_history_decode (self->history, i, "UTF-8", SB_DECODE_DEFAULT, NULL);

      switch (kind)
        {
        case SB_EVENT_CERTIFICATE:
          if (hs == NULL || !hs->in_chain || hs->summary != NULL)
            hs = start_handshake (self, peer);
          hs->in_chain = TRUE;
          g_ptr_array_add (hs->certificates, g_steal_pointer (&text));
          changed = TRUE;
          break;

        case SB_EVENT_TLS:
          if (hs == NULL || hs->summary != NULL)
            hs = start_handshake (self, peer);
          hs->in_chain = FALSE;
          g_free (hs->summary);
          hs->summary = g_steal_pointer (&text);
          changed = TRUE;
          break;

        case SB_EVENT_WARNING:
        case SB_EVENT_ERROR:
          /* Only what is said of a handshake under way. */
          if (hs == NULL || hs->summary != NULL)
            break;
          /* 'E' or 'W', then the words. */
          g_ptr_array_add (hs->problems, g_strdup_printf ("%c%s", kind == SB_EVENT_ERROR ? 'E' : 'W', text));
          changed = TRUE;
          break;

        case SB_EVENT_NONE:
        case SB_EVENT_LISTENING:
        case SB_EVENT_CONNECTED:
        case SB_EVENT_PEER_CLOSED:
        case SB_EVENT_HALF_CLOSED:
        case SB_EVENT_RESET:
        case SB_EVENT_DISCONNECTED:
        case SB_EVENT_INFO:
        case SB_EVENT_STOPPED:
        default:
          break;
        }
    }

  return changed;
}

static void
items_changed_cb (SbCertificateView *self,
                  guint              position,
                  guint              removed,
                  guint              added)
{
  /* Records dropped at the front move the rest down. */
  if (removed > 0 && position == 0)
    self->scanned = self->scanned > removed ? self->scanned - removed : 0;
  else if (removed > 0)
    self->scanned = MIN (self->scanned, position);

  if (scan (self))
    rebuild (self);
}

void
sb_certificate_view_set_history (SbCertificateView *self,
                                 SbHistory         *history)
{
  g_return_if_fail (SB_IS_CERTIFICATE_VIEW (self));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  g_ptr_array_set_size (self->handshakes, 0);
  self->scanned = 0;

  if (history != NULL)
    {
      g_signal_connect_object (history, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
      scan (self);
    }
  rebuild (self);
}

guint
sb_certificate_view_get_n_peers (SbCertificateView *self)
{
  g_return_val_if_fail (SB_IS_CERTIFICATE_VIEW (self), 0);

  return self->handshakes->len;
}

GtkWidget *
sb_certificate_view_new (void)
{
  return g_object_new (SB_TYPE_CERTIFICATE_VIEW, NULL);
}

static void
sb_certificate_view_dispose (GObject *object)
{
  SbCertificateView *self = SB_CERTIFICATE_VIEW (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_CERTIFICATE_VIEW);

  G_OBJECT_CLASS (sb_certificate_view_parent_class)->dispose (object);
}

static void
sb_certificate_view_finalize (GObject *object)
{
  SbCertificateView *self = SB_CERTIFICATE_VIEW (object);

  g_clear_pointer (&self->handshakes, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_certificate_view_parent_class)->finalize (object);
}

static void
sb_certificate_view_class_init (SbCertificateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_certificate_view_dispose;
  object_class->finalize = sb_certificate_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sockbench/Sockbench/teaching/sb-certificate-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbCertificateView, box);
  gtk_widget_class_bind_template_child (widget_class, SbCertificateView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, SbCertificateView, list);
  gtk_widget_class_bind_template_child (widget_class, SbCertificateView, placeholder);
}

static void
sb_certificate_view_init (SbCertificateView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->handshakes = g_ptr_array_new_with_free_func ((GDestroyNotify) handshake_free);
  rebuild (self);
}
