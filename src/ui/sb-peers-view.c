/* sb-peers-view.c — the peers of a server or datagram session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-peers-view"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-history-view.h"
#include "sb-peers-view.h"

typedef enum
{
  COLUMN_ADDRESS,
  COLUMN_IN,
  COLUMN_OUT,
} Column;

struct _SbPeersView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkLabel           *count_label;
  GtkColumnView      *column_view;
  GtkLabel           *error_label;

  /* Owned */
  SbSession          *session;
  GtkSingleSelection *selection;
  GHashTable         *bound_counters;   /* GtkListItem* → Column, rows on screen */

  /* Borrowed */
  GWeakRef            history_view;     /* SbHistoryView filtered by the selection */
  guint               refresh_source;
  gint64              refresh_time;      /* of the last refresh, monotonic */
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SELECTED_PEER,
  N_PROPS
};

enum {
  SEND_TO_PEER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbPeersView, sb_peers_view, GTK_TYPE_WIDGET)

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  Column column = GPOINTER_TO_INT (user_data);

  gtk_label_set_xalign (GTK_LABEL (label), column >= COLUMN_IN ? 1.0f : 0.0f);
  if (column != COLUMN_ADDRESS)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      /* The address gives way first, so that In and Out stay whole. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (label), 15);
    }
  gtk_list_item_set_child (item, label);
}

/* "39 B" rather than "39 bytes": the pane is narrow; kB and up as GLib says. */
static char *
format_bytes (guint64 bytes)
{
  if (bytes < 1000)
    return g_strdup_printf ("%" PRIu64 " B", (uint64_t) bytes);
  return g_format_size (bytes);
}

static void
refresh_cell (GtkListItem *item,
              Column       column)
{
  SbPeer *peer = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  g_autofree char *size = NULL;

  if (peer == NULL || label == NULL)
    return;

  switch (column)
    {
    case COLUMN_ADDRESS:
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (sb_peer_get_since (peer) / G_USEC_PER_SEC);
        g_autofree char *since = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
        /* Translators: tooltip of a peer: its address and when it connected */
        g_autofree char *tip = g_strdup_printf (_("%s, since %s"), sb_peer_get_label (peer), since);

        gtk_label_set_text (GTK_LABEL (label), sb_peer_get_label (peer));
        if (g_strcmp0 (gtk_widget_get_tooltip_text (label), tip) != 0)
          gtk_widget_set_tooltip_text (label, tip);
        if (sb_peer_is_connected (peer))
          gtk_widget_remove_css_class (label, "dim-label");
        else
          gtk_widget_add_css_class (label, "dim-label");
        return;
      }

    case COLUMN_IN:
      size = format_bytes (sb_peer_get_rx_bytes (peer));
      /* Bytes · messages: short enough for the pane at 800×600. */
      text = g_strdup_printf ("%s · %" PRIu64, size, (uint64_t) sb_peer_get_rx_messages (peer));
      break;

    case COLUMN_OUT:
    default:
      size = format_bytes (sb_peer_get_tx_bytes (peer));
      text = g_strdup_printf ("%s · %" PRIu64, size, (uint64_t) sb_peer_get_tx_messages (peer));
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         SbPeersView              *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));

  g_hash_table_insert (self->bound_counters, item, GINT_TO_POINTER (column));
  refresh_cell (item, column);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SbPeersView              *self)
{
  g_hash_table_remove (self->bound_counters, item);
}

static void
add_column (SbPeersView *self,
            const char  *title,
            Column       column,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (unbind_cb), self);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->column_view, col);
}

/* Byte and message counters do not notify. The rows on screen are
 * refreshed when the history announces new records, which the engine
 * counted before it appended them, so a flood repaints the peers in the
 * same frame as the history and at its pace; a poll once a second catches
 * what changes without a record. */
static void
refresh_rows (SbPeersView *self)
{
  GHashTableIter iter;
  gpointer item, column;

  self->refresh_time = g_get_monotonic_time ();
  g_hash_table_iter_init (&iter, self->bound_counters);
  while (g_hash_table_iter_next (&iter, &item, &column))
    refresh_cell (item, GPOINTER_TO_INT (column));
}

static gboolean
refresh_cb (gpointer user_data)
{
  SbPeersView *self = user_data;

  /* Not when the history's announcements have just refreshed them (a
   * flood): each refresh is a frame of the whole window. */
  if (g_get_monotonic_time () - self->refresh_time >= 900 * 1000)
    refresh_rows (self);
  return G_SOURCE_CONTINUE;
}

static void
history_items_changed_cb (SbPeersView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_rows (self);
}

static void
update_count (SbPeersView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  g_autofree char *text = g_strdup_printf (ngettext ("%u peer", "%u peers", n), n);

  gtk_label_set_text (self->count_label, text);
}

static void
update_actions (SbPeersView *self)
{
  SbPeer *peer = sb_peers_view_get_selected_peer (self);
  gboolean stream = peer != NULL && sb_peer_is_stream (peer);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.send-to", peer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.disconnect", peer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "peers.half-close",
                                 stream && !sb_peer_get_write_closed (peer));
}

/* The history shows the selected peer's records only. */
static void
filter_history (SbPeersView *self)
{
  g_autoptr(SbHistoryView) view = g_weak_ref_get (&self->history_view);
  SbPeer *peer = sb_peers_view_get_selected_peer (self);

  if (view == NULL)
    return;
  if (peer != NULL)
    sb_history_view_set_peer_filter (view, sb_peer_get_id (peer), sb_peer_get_label (peer));
  else
    sb_history_view_set_peer_filter (view, 0, NULL);
}

/* The history's chip cleared the filter: no peer is selected any more. */
static void
history_peer_filter_cb (SbPeersView *self)
{
  g_autoptr(SbHistoryView) view = g_weak_ref_get (&self->history_view);

  if (view != NULL && sb_history_view_get_peer_filter (view) == 0 &&
      sb_peers_view_get_selected_peer (self) != NULL)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
sb_peers_view_set_history_view (SbPeersView   *self,
                                SbHistoryView *view)
{
  g_autoptr(SbHistoryView) old = NULL;

  g_return_if_fail (SB_IS_PEERS_VIEW (self));
  g_return_if_fail (!view || SB_IS_HISTORY_VIEW (view));

  old = g_weak_ref_get (&self->history_view);
  if (old == view)
    return;
  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_func (old, history_peer_filter_cb, self);
      sb_history_view_set_peer_filter (old, 0, NULL);
    }
  g_weak_ref_set (&self->history_view, view);
  if (view != NULL)
    g_signal_connect_object (view, "notify::peer-filter", G_CALLBACK (history_peer_filter_cb),
                             self, G_CONNECT_SWAPPED);
  filter_history (self);
}

static void
selection_changed_cb (SbPeersView *self)
{
  filter_history (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PEER]);
}

static void
items_changed_cb (SbPeersView *self)
{
  update_count (self);
  update_actions (self);
}

static void
show_error (SbPeersView  *self,
            const GError *error)
{
  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
peer_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SbPeersView *self = SB_PEERS_VIEW (widget);
  SbPeer *peer = sb_peers_view_get_selected_peer (self);
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (peer == NULL || self->session == NULL)
    return;

  if (g_str_equal (action_name, "peers.send-to"))
    g_signal_emit (self, signals[SEND_TO_PEER], 0, peer);
  else if (g_str_equal (action_name, "peers.disconnect"))
    sb_session_disconnect_peer (self->session, peer, &error);
  else if (g_str_equal (action_name, "peers.half-close"))
    sb_session_shutdown_write (self->session, peer, &error);
  if (error != NULL)
    show_error (self, error);
  update_actions (self);
}

static void
activate_cb (SbPeersView *self,
             guint        position)
{
  g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (peer != NULL)
    g_signal_emit (self, signals[SEND_TO_PEER], 0, peer);
}

void
sb_peers_view_set_session (SbPeersView *self,
                           SbSession   *session)
{
  g_return_if_fail (SB_IS_PEERS_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (sb_session_get_history (self->session),
                                          history_items_changed_cb, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (sb_session_get_history (session), "items-changed",
                             G_CALLBACK (history_items_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_single_selection_set_model (self->selection, session ? sb_session_get_peers (session) : NULL);
  show_error (self, NULL);
  update_count (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PEER]);
}

SbPeer *
sb_peers_view_get_selected_peer (SbPeersView *self)
{
  g_return_val_if_fail (SB_IS_PEERS_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
sb_peers_view_map (GtkWidget *widget)
{
  SbPeersView *self = SB_PEERS_VIEW (widget);

  GTK_WIDGET_CLASS (sb_peers_view_parent_class)->map (widget);
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (1, refresh_cb, self);
}

static void
sb_peers_view_unmap (GtkWidget *widget)
{
  SbPeersView *self = SB_PEERS_VIEW (widget);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  GTK_WIDGET_CLASS (sb_peers_view_parent_class)->unmap (widget);
}

static void
sb_peers_view_dispose (GObject *object)
{
  SbPeersView *self = SB_PEERS_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PEERS_VIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_peers_view_parent_class)->dispose (object);
}

static void
sb_peers_view_finalize (GObject *object)
{
  SbPeersView *self = SB_PEERS_VIEW (object);

  g_clear_pointer (&self->bound_counters, g_hash_table_unref);
  g_weak_ref_clear (&self->history_view);
  G_OBJECT_CLASS (sb_peers_view_parent_class)->finalize (object);
}

static void
sb_peers_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SbPeersView *self = SB_PEERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SELECTED_PEER:
      g_value_set_object (value, sb_peers_view_get_selected_peer (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_peers_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SbPeersView *self = SB_PEERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_peers_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_peers_view_class_init (SbPeersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_peers_view_dispose;
  object_class->finalize = sb_peers_view_finalize;
  object_class->get_property = sb_peers_view_get_property;
  object_class->set_property = sb_peers_view_set_property;
  widget_class->map = sb_peers_view_map;
  widget_class->unmap = sb_peers_view_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_PEER] =
    g_param_spec_object ("selected-peer", NULL, NULL, SB_TYPE_PEER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SEND_TO_PEER] =
    g_signal_new ("send-to-peer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SB_TYPE_PEER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-peers-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPeersView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SbPeersView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SbPeersView, error_label);

  gtk_widget_class_install_action (widget_class, "peers.send-to", NULL, peer_action);
  gtk_widget_class_install_action (widget_class, "peers.disconnect", NULL, peer_action);
  gtk_widget_class_install_action (widget_class, "peers.half-close", NULL, peer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "peers.disconnect", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-peers-view");
}

static void
sb_peers_view_init (SbPeersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->bound_counters = g_hash_table_new (NULL, NULL);
  g_weak_ref_init (&self->history_view, NULL);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);

  add_column (self, _("Address"), COLUMN_ADDRESS, TRUE);
  /* Translators: column title, received from the peer */
  add_column (self, C_("peer", "In"), COLUMN_IN, FALSE);
  /* Translators: column title, sent to the peer */
  add_column (self, C_("peer", "Out"), COLUMN_OUT, FALSE);

  update_count (self);
  update_actions (self);
}
