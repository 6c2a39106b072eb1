/* sb-tcp-state-view.c — the kernel's view of a session's TCP sockets
 *
 * Each query is one getsockopt() and two ioctl()s, which do not block.
 * One list view shows the session's own socket, then (servers) each
 * accepted connection: a flattened model of [session] + the session's
 * peers. Rows are queried in bind, so only the rows on screen cost a query,
 * and the tick re-binds just those.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tcp-state-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-address.h"
#include "sb-tcp-state-view.h"

#define REFRESH_SECONDS 1

struct _SbTcpStateView
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkStack     *stack;
  GtkLabel     *unavailable_label;
  GtkListView  *list_view;

  /* Owned */
  SbSession    *session;
  GListStore   *sections;      /* of GListModel: [session], peers */
  GtkNoSelection *sockets;
  GHashTable   *bound_rows;    /* GtkListItem* set: rows on screen */
  char         *state_name;
  guint         tick_source;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbTcpStateView, sb_tcp_state_view, GTK_TYPE_WIDGET)

#define TABLE_ROWS 6

GPtrArray *
sb_tcp_state_view_table_rows (const SbTcpInfo *info)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (info != NULL, rows);

  if (info->state == SB_TCP_LISTEN)
    {
      /* Translators: the TCP state table of a listening socket: the
       * connections the kernel has completed that wait for accept() */
      g_ptr_array_add (rows, g_strdup (_("Waiting for accept()")));
      g_ptr_array_add (rows, g_strdup_printf (ngettext ("%u connection", "%u connections", info->unacked), info->unacked));
      return rows;
    }

  /* Translators: a row of the TCP state table: the round-trip time */
  g_ptr_array_add (rows, g_strdup (_("Round-trip time")));
  /* Translators: the TCP state table, “0.12 ms (± 0.05)” */
  g_ptr_array_add (rows, g_strdup_printf (_("%.2f ms (± %.2f)"), info->rtt_us / 1000.0, info->rttvar_us / 1000.0));
  /* Translators: a row of the TCP state table: segments the sender may have in flight */
  g_ptr_array_add (rows, g_strdup (_("Congestion window")));
  /* Translators: the TCP state table, “10 × 1448 bytes” (segments × their size) */
  g_ptr_array_add (rows, g_strdup_printf (_("%u × %u bytes"), info->snd_cwnd, info->snd_mss));
  g_ptr_array_add (rows, g_strdup (_("Retransmitted")));
  /* Translators: the TCP state table, “3 (now 0)”: segments sent again in all, and now */
  g_ptr_array_add (rows, g_strdup_printf (_("%u (now %u)"), info->total_retrans, info->retransmits));
  /* Translators: a row of the TCP state table: segments sent and not yet acknowledged */
  g_ptr_array_add (rows, g_strdup (_("Unacknowledged")));
  g_ptr_array_add (rows, g_strdup_printf (ngettext ("%u segment", "%u segments", info->unacked), info->unacked));
  /* Translators: a row of the TCP state table: bytes written, not yet sent */
  g_ptr_array_add (rows, g_strdup (_("Send queue")));
  g_ptr_array_add (rows, g_format_size_full (info->send_queue, G_FORMAT_SIZE_IEC_UNITS));
  /* Translators: a row of the TCP state table: bytes arrived, not yet read */
  g_ptr_array_add (rows, g_strdup (_("Receive queue")));
  g_ptr_array_add (rows, g_format_size_full (info->recv_queue, G_FORMAT_SIZE_IEC_UNITS));
  return rows;
}

/* Fills the state labels and the table from a query's result. */
static void
show_info (GtkLabel        *state_label,
           GtkLabel        *explain_label,
           GtkGrid         *table,
           gboolean         ok,
           const SbTcpInfo *info,
           const GError    *error)
{
  g_autoptr(GPtrArray) rows = NULL;

  if (ok)
    {
      gtk_label_set_text (state_label, sb_tcp_state_name (info->state));
      gtk_label_set_text (explain_label, sb_tcp_state_explain (info->state));
      rows = sb_tcp_state_view_table_rows (info);
    }
  else
    {
      gtk_label_set_text (state_label, "—");
      gtk_label_set_text (explain_label, error ? error->message : "");
    }
  for (guint r = 0; r < TABLE_ROWS; r++)
    {
      GtkWidget *key = gtk_grid_get_child_at (table, 0, r);
      GtkWidget *value = gtk_grid_get_child_at (table, 1, r);
      gboolean shown = rows != NULL && 2 * r + 1 < rows->len;

      gtk_label_set_text (GTK_LABEL (key), shown ? g_ptr_array_index (rows, 2 * r) : "");
      gtk_label_set_text (GTK_LABEL (value), shown ? g_ptr_array_index (rows, 2 * r + 1) : "");
      gtk_widget_set_visible (key, shown);
      gtk_widget_set_visible (value, shown);
    }
  gtk_widget_set_visible (GTK_WIDGET (table), ok);
}

/* --- Peer rows --- */

static GtkWidget *
make_label (const char *css_class,
            gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SbTcpStateView           *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = make_label ("heading", TRUE);
  GtkWidget *state = make_label ("sb-tcp-state", FALSE);
  GtkWidget *explain = make_label (NULL, TRUE);
  GtkWidget *details = gtk_grid_new ();

  /* A table of label and value: each value on one line (“0 字节” never
   * wraps inside itself), the labels in a column of their own. */
  gtk_grid_set_column_spacing (GTK_GRID (details), 12);
  gtk_grid_set_row_spacing (GTK_GRID (details), 2);
  gtk_widget_set_margin_top (details, 4);
  gtk_widget_add_css_class (details, "sb-tcp-table");
  for (guint r = 0; r < TABLE_ROWS; r++)
    {
      GtkWidget *key = make_label ("dim-label", FALSE);
      GtkWidget *value = make_label ("numeric", FALSE);

      gtk_grid_attach (GTK_GRID (details), key, 0, r, 1, 1);
      gtk_grid_attach (GTK_GRID (details), value, 1, r, 1, 1);
    }
  gtk_widget_add_css_class (state, "monospace");
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), state);
  gtk_box_append (GTK_BOX (box), explain);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

/* "Listening socket 127.0.0.1:8080", "This connection". Newly allocated. */
/* TLS runs over TCP: its connections have a TCP state too. */
static gboolean
is_tcp_client (SbKind kind)
{
  return kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_TLS_CLIENT;
}

static gboolean
is_tcp_server (SbKind kind)
{
  return kind == SB_KIND_TCP_SERVER || kind == SB_KIND_TLS_SERVER;
}

static char *
session_title (SbSession *session)
{
  GSocketAddress *local = sb_session_get_local_address (session);
  g_autofree char *address = local ? sb_address_to_string (local) : NULL;

  if (!is_tcp_server (sb_session_get_kind (session)))
    return g_strdup (_("This connection"));
  /* Translators: the TCP state view, a server's own socket */
  return address ? g_strdup_printf (_("Listening socket %s"), address) : g_strdup (_("Listening socket"));
}

static void
refresh_row (GtkListItem *item)
{
  GObject *object = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title, *state, *explain, *details;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_text = NULL;
  SbTcpInfo info;
  gboolean ok;

  if (object == NULL || box == NULL)
    return;
  title = gtk_widget_get_first_child (box);
  state = gtk_widget_get_next_sibling (title);
  explain = gtk_widget_get_next_sibling (state);
  details = gtk_widget_get_next_sibling (explain);

  if (SB_IS_SESSION (object))
    {
      title_text = session_title (SB_SESSION (object));
      ok = sb_session_get_tcp_info (SB_SESSION (object), &info, &error);
    }
  else
    {
      /* Translators: the TCP state view, a connection a server accepted */
      title_text = g_strdup_printf (_("Connection with %s"), sb_peer_get_label (SB_PEER (object)));
      ok = sb_peer_get_tcp_info (SB_PEER (object), &info, &error);
    }
  gtk_label_set_text (GTK_LABEL (title), title_text);
  show_info (GTK_LABEL (state), GTK_LABEL (explain), GTK_GRID (details), ok, &info, error);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SbTcpStateView           *self)
{
  g_hash_table_add (self->bound_rows, item);
  refresh_row (item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SbTcpStateView           *self)
{
  g_hash_table_remove (self->bound_rows, item);
}

/* --- Refresh --- */

static const char *
unavailable_reason (SbKind kind)
{
  switch (kind)
    {
    case SB_KIND_UDP:
      return _("UDP has no connections, so the kernel keeps no connection state for it.");
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      return _("UNIX stream sockets never leave this computer: they have no TCP state, round trips or congestion window.");
    case SB_KIND_UNIX_DGRAM:
      return _("UNIX datagram sockets have no connections and no TCP state.");
    case SB_KIND_ICMP:
      return _("Ping sends ICMP messages straight over IP: there is no TCP connection, so no TCP state.");
    case SB_KIND_DTLS_CLIENT:
    case SB_KIND_DTLS_SERVER:
      return _("DTLS runs over UDP, which has no connections, so the kernel keeps no connection state for it.");
    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
    case SB_KIND_RELAY_UNIX:
    case SB_KIND_RELAY_TLS:
      return _("a relay holds two connections for each client, and this view follows one socket.");
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_TCP_SERVER:
    default:
      return _("Only TCP sessions have a TCP state.");
    }
}

static void
show_unavailable (SbTcpStateView *self,
                  const char     *text)
{
  gtk_label_set_text (self->unavailable_label, text);
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
  g_clear_pointer (&self->state_name, g_free);
}

void
sb_tcp_state_view_refresh (SbTcpStateView *self)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer item;
  SbTcpInfo info;
  SbKind kind;
  gboolean ok;

  g_return_if_fail (SB_IS_TCP_STATE_VIEW (self));

  if (self->session == NULL)
    {
      show_unavailable (self, _("Start the session to see what the kernel knows about its TCP connection."));
      return;
    }
  kind = sb_session_get_kind (self->session);
  if (!is_tcp_client (kind) && !is_tcp_server (kind))
    {
      g_autofree char *text = g_strdup_printf (_("Not available: %s"), unavailable_reason (kind));
      show_unavailable (self, text);
      return;
    }

  ok = sb_session_get_tcp_info (self->session, &info, &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_autofree char *text = g_strdup_printf (_("Not available: %s"), error->message);
      show_unavailable (self, text);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "sockets");
  g_free (self->state_name);
  self->state_name = ok ? g_strdup (sb_tcp_state_name (info.state)) : NULL;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    refresh_row (item);
}

static gboolean
tick_cb (gpointer user_data)
{
  sb_tcp_state_view_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
session_changed_cb (SbTcpStateView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sb_tcp_state_view_refresh (self);
}

/* --- Public --- */

GtkWidget *
sb_tcp_state_view_new (void)
{
  return g_object_new (SB_TYPE_TCP_STATE_VIEW, NULL);
}

SbSession *
sb_tcp_state_view_get_session (SbTcpStateView *self)
{
  g_return_val_if_fail (SB_IS_TCP_STATE_VIEW (self), NULL);
  return self->session;
}

void
sb_tcp_state_view_set_session (SbTcpStateView *self,
                               SbSession      *session)
{
  g_return_if_fail (SB_IS_TCP_STATE_VIEW (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::local-address", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_list_store_remove_all (self->sections);
  if (session != NULL)
    {
      SbKind kind = sb_session_get_kind (session);
      g_autoptr(GListStore) own = g_list_store_new (G_TYPE_OBJECT);

      g_list_store_append (own, session);
      if (is_tcp_client (kind) || is_tcp_server (kind))
        g_list_store_append (self->sections, own);
      /* A client's one peer is its own connection, shown already. */
      if (is_tcp_server (kind))
        g_list_store_append (self->sections, sb_session_get_peers (session));
    }
  sb_tcp_state_view_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
sb_tcp_state_view_get_state (SbTcpStateView *self)
{
  g_return_val_if_fail (SB_IS_TCP_STATE_VIEW (self), NULL);
  return self->state_name;
}

/* --- GtkWidget --- */

static void
sb_tcp_state_view_map (GtkWidget *widget)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (widget);

  GTK_WIDGET_CLASS (sb_tcp_state_view_parent_class)->map (widget);
  sb_tcp_state_view_refresh (self);
  if (self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (REFRESH_SECONDS, tick_cb, self);
}

static void
sb_tcp_state_view_unmap (GtkWidget *widget)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (widget);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  GTK_WIDGET_CLASS (sb_tcp_state_view_parent_class)->unmap (widget);
}

/* --- GObject --- */

static void
sb_tcp_state_view_dispose (GObject *object)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_TCP_STATE_VIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sockets);
  g_clear_object (&self->sections);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_tcp_state_view_parent_class)->dispose (object);
}

static void
sb_tcp_state_view_finalize (GObject *object)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (object);

  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->state_name, g_free);

  G_OBJECT_CLASS (sb_tcp_state_view_parent_class)->finalize (object);
}

static void
sb_tcp_state_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_tcp_state_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbTcpStateView *self = SB_TCP_STATE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_tcp_state_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_tcp_state_view_class_init (SbTcpStateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_tcp_state_view_dispose;
  object_class->finalize = sb_tcp_state_view_finalize;
  object_class->get_property = sb_tcp_state_view_get_property;
  object_class->set_property = sb_tcp_state_view_set_property;
  widget_class->map = sb_tcp_state_view_map;
  widget_class->unmap = sb_tcp_state_view_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/teaching/sb-tcp-state-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbTcpStateView, stack);
  gtk_widget_class_bind_template_child (widget_class, SbTcpStateView, unavailable_label);
  gtk_widget_class_bind_template_child (widget_class, SbTcpStateView, list_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-tcp-state-view");
}

static void
sb_tcp_state_view_init (SbTcpStateView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->sockets = gtk_no_selection_new (G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->sections)))));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->sockets));

  sb_tcp_state_view_refresh (self);
}
