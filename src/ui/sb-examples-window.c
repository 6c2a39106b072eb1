/* sb-examples-window.c — tutorial pairs: a server and a client side by side
 *
 * Each example is two ordinary session pages, made the first time the
 * example is shown and kept (with their history) until the window closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-examples-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-examples-window.h"

/* How long Start waits for the server to listen, or the client to be ready. */
#define WAIT_SECONDS 5

#define GREETING      "您好，您收到了服务器的新年祝福！"
#define GBK_REPLY     "服务端收到信息啦！"
#define CLIENT_HELLO  "hello"
#define PARENT_KEY    "sb-examples-window"

typedef enum
{
  PAIR_TCP,
  PAIR_UDP,
  PAIR_TCP6,
  PAIR_UNIX,
} PairKind;

typedef struct
{
  const char *id;
  PairKind    pair;
  const char *title;
  const char *subtitle;
} ExampleInfo;

static const ExampleInfo example_infos[] = {
  { "tcp-greeting", PAIR_TCP,
    N_("TCP greeting"),
    N_("The server greets each client in UTF-8, then closes") },
  { "udp-gbk", PAIR_UDP,
    N_("UDP in GBK"),
    N_("The client sends “hello”, the server answers in GBK") },
  { "tcp6-greeting", PAIR_TCP6,
    N_("TCP greeting over IPv6"),
    N_("The same pair on [::1]") },
  { "unix-greeting", PAIR_UNIX,
    N_("UNIX stream socket"),
    N_("The same pair through a socket file") },
};

#define N_EXAMPLES G_N_ELEMENTS (example_infos)

typedef struct
{
  SbExamplesWindow  *window;    /* the owner */
  const ExampleInfo *info;
  GtkWidget         *content;   /* in the stack; NULL until first shown */
  GtkWidget         *paned;     /* the sides side by side (wide) */
  GtkStack          *sides;     /* or one at a time (compact) */
  GtkWidget         *switcher;
  GtkWidget         *side[2];   /* server, client: in paned or sides */
  SbSessionPage     *server;    /* borrowed: inside content */
  SbSessionPage     *client;
  char              *status;

  /* While Start waits for a session. */
  SbSession         *watched;
  gboolean           watching_client;
  gboolean           seen_running;
  gulong             state_handler;
  gulong             address_handler;
  guint              timeout_id;
} Example;

struct _SbExamplesWindow
{
  GtkWindow   parent_instance;

  /* Template widgets */
  GtkListBox *example_list;
  GtkWidget  *list_scroller;
  GtkWidget  *list_separator;
  GtkDropDown *example_dropdown;
  GtkLabel   *title_label;
  GtkLabel   *explanation_label;
  GtkLabel   *status_label;
  GtkButton  *start_button;
  GtkStack   *stack;

  /* Owned */
  Example     examples[N_EXAMPLES];
  char       *unix_path;

  guint       current;
  gboolean    compact;       /* one page at a time, Server | Client tabs */
  guint       compact_idle;
};

/* Below this width the pages are shown one at a time: two session pages
 * side by side need about this much. */
#define COMPACT_WIDTH 1180

enum {
  PROP_0,
  PROP_EXAMPLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbExamplesWindow, sb_examples_window, GTK_TYPE_WINDOW)

/* --- What each example says --- */

static char *
explanation (SbExamplesWindow *self,
             PairKind          pair)
{
  switch (pair)
    {
    case PAIR_TCP:
      /* Translators: %s is the greeting, in Chinese in every language */
      return g_strdup_printf (_("The server listens on 127.0.0.1, on a port the system chooses. "
                                "When a client connects, the server’s auto-reply rule sends “%s” "
                                "in UTF-8 and closes the connection. Watch the server’s socket(), "
                                "bind(), listen() and accept(), the client’s connect(), then send() "
                                "on one side and recv() on the other, and the client’s recv() "
                                "returning nothing when the server closes."),
                              GREETING);
    case PAIR_UDP:
      /* Translators: the first %s is “hello”, the second the reply, in Chinese */
      return g_strdup_printf (_("Two UDP sockets on 127.0.0.1: there is no connection, each message "
                                "is one datagram. The client sends “%s” in GBK; the server’s rule "
                                "answers every message with “%s” in GBK, to whoever sent it. Watch "
                                "socket() and bind() on the server, sendto() and recvfrom() on both "
                                "sides, and the bytes of the reply: both pages show text as GBK."),
                              CLIENT_HELLO, GBK_REPLY);
    case PAIR_TCP6:
      return g_strdup (_("The greeting pair again, on the IPv6 loopback address ::1. Watch "
                         "socket(AF_INET6, …) on both sides and the addresses written as "
                         "[::1]:port; everything else is as over IPv4."));
    case PAIR_UNIX:
    default:
      /* Translators: %s is the path of the socket file */
      return g_strdup_printf (_("The greeting pair again, through a UNIX stream socket: the address "
                                "is a file, %s, instead of a host and a port. Watch "
                                "socket(AF_UNIX, SOCK_STREAM), bind() making the socket file, and "
                                "the server removing it when it stops."),
                              self->unix_path);
    }
}

static void
set_status (Example    *ex,
            const char *status)
{
  SbExamplesWindow *self = ex->window;

  g_free (ex->status);
  ex->status = g_strdup (status);
  if (ex == &self->examples[self->current])
    {
      gtk_label_set_text (self->status_label, status ? status : "");
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
    }
}

/* --- Making the pages --- */

static SbSessionSpec *
server_spec (SbExamplesWindow *self,
             PairKind          pair)
{
  SbSessionSpec *spec;

  switch (pair)
    {
    case PAIR_UDP:
      spec = sb_session_spec_new (SB_KIND_UDP);
      spec->has_bind = TRUE;
      spec->bind_host = g_strdup ("127.0.0.1");
      return spec;
    case PAIR_UNIX:
      spec = sb_session_spec_new (SB_KIND_UNIX_SERVER);
      spec->path = g_strdup (self->unix_path);
      return spec;
    case PAIR_TCP:
    case PAIR_TCP6:
    default:
      spec = sb_session_spec_new (SB_KIND_TCP_SERVER);
      spec->has_bind = TRUE;
      g_free (spec->bind_host);
      spec->bind_host = g_strdup (pair == PAIR_TCP6 ? "::1" : "127.0.0.1");
      spec->bind_port = 0;
      return spec;
    }
}

/* The client's port is 0 until Start knows the server's. */
static SbSessionSpec *
client_spec (SbExamplesWindow *self,
             PairKind          pair)
{
  SbSessionSpec *spec;

  switch (pair)
    {
    case PAIR_UDP:
      spec = sb_session_spec_new (SB_KIND_UDP);
      spec->host = g_strdup ("127.0.0.1");
      return spec;
    case PAIR_UNIX:
      spec = sb_session_spec_new (SB_KIND_UNIX_CLIENT);
      spec->path = g_strdup (self->unix_path);
      return spec;
    case PAIR_TCP:
    case PAIR_TCP6:
    default:
      spec = sb_session_spec_new (SB_KIND_TCP_CLIENT);
      g_free (spec->host);
      spec->host = g_strdup (pair == PAIR_TCP6 ? "::1" : "127.0.0.1");
      return spec;
    }
}

static void
add_rules (Example *ex)
{
  g_autoptr(SbAutoReplyRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  if (ex->info->pair == PAIR_UDP)
    rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, GBK_REPLY, "GBK");
  else
    {
      rule = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, GREETING, "UTF-8");
      rule->close_after = TRUE;
    }

  if (!sb_session_page_add_auto_reply_rule (ex->server, rule, &error))
    g_critical ("Example rule refused: %s", error->message);
}

static GtkWidget *
make_side (const char    *heading,
           SbSessionPage *page)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (heading);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (page),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  /* Two pages are wider than a small screen: each scrolls sideways rather
   * than push the window off it. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (page));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scroller);
  g_object_set_data (G_OBJECT (box), "page", page);

  return box;
}

static void
paned_max_position_cb (GtkPaned *paned)
{
  GtkWidget *start = gtk_paned_get_start_child (paned);
  GtkWidget *end = gtk_paned_get_end_child (paned);
  SbSessionPage *server = g_object_get_data (G_OBJECT (start), "page");
  SbSessionPage *client = g_object_get_data (G_OBJECT (end), "page");
  int max = 0, server_min = 0, client_min = 0;

  /* Once, at the first layout: each page gets room in proportion to what
   * it needs (a server page has its peers list too). */
  g_object_get (paned, "max-position", &max, NULL);
  if (max <= 0 || g_object_get_data (G_OBJECT (paned), "sb-positioned") != NULL)
    return;
  g_object_set_data (G_OBJECT (paned), "sb-positioned", GINT_TO_POINTER (TRUE));
  gtk_widget_measure (GTK_WIDGET (server), GTK_ORIENTATION_HORIZONTAL, -1, &server_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (client), GTK_ORIENTATION_HORIZONTAL, -1, &client_min, NULL, NULL, NULL);
  if (server_min + client_min <= 0)
    gtk_paned_set_position (paned, max / 2);
  else
    gtk_paned_set_position (paned, (int) ((gint64) max * server_min / (server_min + client_min)));
}

/* Puts the two sides where the window's width wants them. */
static void
place_sides (Example *ex)
{
  gboolean compact = ex->window->compact;
  const char *names[2] = { "server", "client" };
  const char *titles[2] = { _("Server"), _("Client") };
  GtkWidget *visible;

  if (ex->content == NULL && ex->paned == NULL)
    return;
  if (compact == gtk_widget_get_visible (GTK_WIDGET (ex->sides)) &&
      gtk_widget_get_parent (ex->side[0]) != NULL)
    return;

  visible = gtk_stack_get_visible_child (ex->sides);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *parent = gtk_widget_get_parent (ex->side[i]);

      if (parent == GTK_WIDGET (ex->sides))
        gtk_stack_remove (ex->sides, ex->side[i]);
      else if (parent != NULL)
        {
          if (i == 0)
            gtk_paned_set_start_child (GTK_PANED (ex->paned), NULL);
          else
            gtk_paned_set_end_child (GTK_PANED (ex->paned), NULL);
        }
    }
  for (guint i = 0; i < 2; i++)
    gtk_widget_set_visible (gtk_widget_get_first_child (ex->side[i]), !compact);   /* the heading: the tabs say it */
  if (compact)
    {
      for (guint i = 0; i < 2; i++)
        gtk_stack_add_titled (ex->sides, ex->side[i], names[i], titles[i]);
      if (visible == ex->side[1])
        gtk_stack_set_visible_child (ex->sides, ex->side[1]);
    }
  else
    {
      gtk_paned_set_start_child (GTK_PANED (ex->paned), ex->side[0]);
      gtk_paned_set_end_child (GTK_PANED (ex->paned), ex->side[1]);
    }
  gtk_widget_set_visible (GTK_WIDGET (ex->sides), compact);
  gtk_widget_set_visible (ex->switcher, compact);
  gtk_widget_set_visible (ex->paned, !compact);
}

static gboolean
compact_idle_cb (gpointer data)
{
  SbExamplesWindow *self = data;

  self->compact_idle = 0;
  /* Compact: the list gives its width to the pages, a drop-down takes
   * its place in the header bar. */
  gtk_widget_set_visible (self->list_scroller, !self->compact);
  gtk_widget_set_visible (self->list_separator, !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->example_dropdown), self->compact);
  /* …and the explanation keeps to two lines (all of it in its tooltip). */
  gtk_label_set_lines (self->explanation_label, self->compact ? 2 : -1);
  gtk_label_set_ellipsize (self->explanation_label, self->compact ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->explanation_label),
                               self->compact ? gtk_label_get_text (self->explanation_label) : NULL);
  for (guint i = 0; i < N_EXAMPLES; i++)
    if (self->examples[i].content != NULL)
      place_sides (&self->examples[i]);
  return G_SOURCE_REMOVE;
}

static void
sb_examples_window_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  SbExamplesWindow *self = SB_EXAMPLES_WINDOW (widget);
  Example *ex = &self->examples[self->current];
  int need = COMPACT_WIDTH;
  gboolean compact;

  /* Side by side only when both pages fit whole beside the list. */
  if (ex->side[0] != NULL && gtk_widget_get_parent (ex->side[0]) != NULL)
    {
      int list = 0, server = 0, client = 0;

      gtk_widget_measure (self->list_scroller, GTK_ORIENTATION_HORIZONTAL, -1, &list, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (ex->server), GTK_ORIENTATION_HORIZONTAL, -1, &server, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (ex->client), GTK_ORIENTATION_HORIZONTAL, -1, &client, NULL, NULL, NULL);
      need = MAX (list + server + client + 24, 900);
    }
  compact = width < need;

  GTK_WIDGET_CLASS (sb_examples_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* Not from inside the layout: just after it. */
  if (compact != self->compact)
    {
      self->compact = compact;
      if (self->compact_idle == 0)
        self->compact_idle = g_idle_add (compact_idle_cb, self);
    }
}

static void
build_example (Example *ex)
{
  SbExamplesWindow *self = ex->window;
  g_autoptr(SbSessionSpec) sspec = server_spec (self, ex->info->pair);
  g_autoptr(SbSessionSpec) cspec = client_spec (self, ex->info->pair);
  const char *encoding = ex->info->pair == PAIR_UDP ? "GBK" : "UTF-8";
  GtkWidget *paned;

  ex->server = sb_session_page_new (sspec);
  ex->client = sb_session_page_new (cspec);
  sb_session_page_set_encoding (ex->server, encoding);
  sb_session_page_set_encoding (ex->client, encoding);
  add_rules (ex);

  /* The point of an example: watch the socket calls happen. */
  sb_session_page_show_teaching (ex->server, "calls");
  sb_session_page_show_teaching (ex->client, "calls");

  ex->side[0] = g_object_ref_sink (make_side (_("Server"), ex->server));
  ex->side[1] = g_object_ref_sink (make_side (_("Client"), ex->client));

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_wide_handle (GTK_PANED (paned), TRUE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  g_signal_connect (paned, "notify::max-position", G_CALLBACK (paned_max_position_cb), NULL);
  ex->paned = paned;

  /* The compact form: a page at a time, under Server | Client tabs. */
  ex->sides = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (ex->sides), TRUE);
  ex->switcher = gtk_stack_switcher_new ();
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (ex->switcher), ex->sides);
  gtk_widget_set_halign (ex->switcher, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (ex->switcher, 4);

  ex->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (ex->content), ex->switcher);
  gtk_box_append (GTK_BOX (ex->content), GTK_WIDGET (ex->sides));
  gtk_box_append (GTK_BOX (ex->content), paned);
  place_sides (ex);
  gtk_stack_add_named (self->stack, ex->content, ex->info->id);
}

/* --- Start --- */

static void
stop_waiting (Example *ex)
{
  if (ex->watched != NULL)
    {
      g_clear_signal_handler (&ex->state_handler, ex->watched);
      g_clear_signal_handler (&ex->address_handler, ex->watched);
      g_clear_object (&ex->watched);
    }
  g_clear_handle_id (&ex->timeout_id, g_source_remove);
}

static void watched_changed_cb (Example *ex);

static gboolean
timeout_cb (gpointer data)
{
  Example *ex = data;
  g_autofree char *status = NULL;

  ex->timeout_id = 0;
  if (ex->watching_client)
    status = g_strdup_printf (ngettext ("The client was not ready within %u second.",
                                        "The client was not ready within %u seconds.",
                                        WAIT_SECONDS),
                              WAIT_SECONDS);
  else
    status = g_strdup_printf (ngettext ("The server did not start listening within %u second.",
                                        "The server did not start listening within %u seconds.",
                                        WAIT_SECONDS),
                              WAIT_SECONDS);
  stop_waiting (ex);
  set_status (ex, status);
  return G_SOURCE_REMOVE;
}

static void
watch (Example   *ex,
       SbSession *session,
       gboolean   client)
{
  stop_waiting (ex);
  ex->watched = g_object_ref (session);
  ex->watching_client = client;
  ex->seen_running = FALSE;
  ex->state_handler = g_signal_connect_swapped (session, "notify::state",
                                                G_CALLBACK (watched_changed_cb), ex);
  ex->address_handler = g_signal_connect_swapped (session, "notify::local-address",
                                                  G_CALLBACK (watched_changed_cb), ex);
  ex->timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, ex);
  watched_changed_cb (ex);
}

static void
client_ready (Example   *ex,
              SbSession *session)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (ex->info->pair != PAIR_UDP)
    return;

  bytes = sb_codec_encode ("GBK", CLIENT_HELLO, -1, NULL, &error);
  if (bytes == NULL || !sb_session_send (session, NULL, bytes, &error))
    {
      /* Translators: %s says why */
      g_autofree char *status = g_strdup_printf (_("The client could not send: %s"), error->message);

      set_status (ex, status);
    }
}

static void
server_ready (Example   *ex,
              SbSession *server)
{
  GSocketAddress *local = sb_session_get_local_address (server);
  g_autoptr(SbSessionSpec) spec = sb_session_page_dup_spec (ex->client);
  g_autofree char *address = sb_address_to_string (local);
  g_autofree char *status = NULL;
  SbSession *client;

  if (G_IS_INET_SOCKET_ADDRESS (local))
    spec->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_object_set (ex->client, "spec", spec, NULL);

  if (ex->info->pair == PAIR_UDP)
    /* Translators: %s is an address, “127.0.0.1:43127” */
    status = g_strdup_printf (_("The server is bound to %s; the client sends “hello” to it."), address);
  else
    /* Translators: %s is an address, “127.0.0.1:43127” or a path */
    status = g_strdup_printf (_("The server listens on %s; the client connects to it."), address);
  set_status (ex, status);

  sb_session_page_start (ex->client);
  client = sb_session_page_get_session (ex->client);
  if (client != NULL && ex->info->pair == PAIR_UDP)
    watch (ex, client, TRUE);
}

static void
watched_changed_cb (Example *ex)
{
  g_autoptr(SbSession) session = g_object_ref (ex->watched);
  SbSessionState state = sb_session_get_state (session);
  const GError *error = sb_session_get_error (session);
  gboolean client = ex->watching_client;

  if (sb_session_is_running (session))
    ex->seen_running = TRUE;

  if (!client && state == SB_SESSION_STATE_LISTENING && sb_session_get_local_address (session) != NULL)
    {
      stop_waiting (ex);
      server_ready (ex, session);
    }
  else if (client && state == SB_SESSION_STATE_CONNECTED)
    {
      stop_waiting (ex);
      client_ready (ex, session);
    }
  else if (state == SB_SESSION_STATE_FAILED || (ex->seen_running && !sb_session_is_running (session)))
    {
      g_autofree char *status = NULL;
      const char *why = error ? error->message : sb_session_state_get_label (state);

      stop_waiting (ex);
      if (client)
        /* Translators: %s says why */
        status = g_strdup_printf (_("The client could not start: %s"), why);
      else
        /* Translators: %s says why */
        status = g_strdup_printf (_("The server could not start: %s"), why);
      set_status (ex, status);
    }
}

static void
start_example (Example *ex)
{
  SbSession *server;

  stop_waiting (ex);
  sb_session_page_stop (ex->client);
  sb_session_page_stop (ex->server);
  set_status (ex, _("Starting the server…"));

  sb_session_page_start (ex->server);
  server = sb_session_page_get_session (ex->server);
  if (server == NULL)
    {
      set_status (ex, _("The server could not start: its set-up is incomplete."));
      return;
    }
  watch (ex, server, FALSE);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  sb_examples_window_start (SB_EXAMPLES_WINDOW (widget));
}

/* --- The list --- */

static void
show_example (SbExamplesWindow *self,
              guint             index)
{
  Example *ex = &self->examples[index];
  g_autofree char *text = NULL;

  if (ex->content == NULL)
    build_example (ex);

  self->current = index;
  gtk_stack_set_visible_child (self->stack, ex->content);
  gtk_label_set_text (self->title_label, _(ex->info->title));
  text = explanation (self, ex->info->pair);
  gtk_label_set_text (self->explanation_label, text);
  if (self->compact)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->explanation_label), text);
  set_status (ex, ex->status);
  if (gtk_drop_down_get_selected (self->example_dropdown) != index)
    gtk_drop_down_set_selected (self->example_dropdown, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXAMPLE]);
}

static void
row_selected_cb (SbExamplesWindow *self,
                 GtkListBoxRow    *row)
{
  int index = row ? gtk_list_box_row_get_index (row) : -1;

  if (index >= 0 && (guint) index < N_EXAMPLES)
    show_example (self, index);
}

static void
dropdown_selected_cb (SbExamplesWindow *self)
{
  guint index = gtk_drop_down_get_selected (self->example_dropdown);

  if (index < N_EXAMPLES && index != self->current)
    gtk_list_box_select_row (self->example_list, gtk_list_box_get_row_at_index (self->example_list, (int) index));
}

static GtkWidget *
make_row (const ExampleInfo *info)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (_(info->title));
  GtkWidget *subtitle = gtk_label_new (_(info->subtitle));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 24);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);

  return box;
}

/* --- Public --- */

SbExamplesWindow *
sb_examples_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SB_TYPE_EXAMPLES_WINDOW,
                       "transient-for", parent,
                       NULL);
}

static void
forget_window (GtkWindow *parent)
{
  g_object_set_data (G_OBJECT (parent), PARENT_KEY, NULL);
}

SbExamplesWindow *
sb_examples_window_present_for (GtkWindow *parent)
{
  SbExamplesWindow *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);

  self = g_object_get_data (G_OBJECT (parent), PARENT_KEY);
  if (self == NULL)
    {
      self = sb_examples_window_new (parent);
      g_object_set_data (G_OBJECT (parent), PARENT_KEY, self);
      g_signal_connect_object (self, "destroy", G_CALLBACK (forget_window), parent, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

const char *
sb_examples_window_get_example (SbExamplesWindow *self)
{
  g_return_val_if_fail (SB_IS_EXAMPLES_WINDOW (self), NULL);

  return self->examples[self->current].info->id;
}

void
sb_examples_window_set_example (SbExamplesWindow *self,
                                const char       *id)
{
  g_return_if_fail (SB_IS_EXAMPLES_WINDOW (self));
  g_return_if_fail (id != NULL);

  for (guint i = 0; i < N_EXAMPLES; i++)
    if (g_str_equal (example_infos[i].id, id))
      {
        gtk_list_box_select_row (self->example_list, gtk_list_box_get_row_at_index (self->example_list, i));
        return;
      }
  g_warning ("No example “%s”", id);
}

gboolean
sb_examples_window_get_compact (SbExamplesWindow *self)
{
  g_return_val_if_fail (SB_IS_EXAMPLES_WINDOW (self), FALSE);
  return self->compact;
}

SbSessionPage *
sb_examples_window_get_server_page (SbExamplesWindow *self)
{
  g_return_val_if_fail (SB_IS_EXAMPLES_WINDOW (self), NULL);

  return self->examples[self->current].server;
}

SbSessionPage *
sb_examples_window_get_client_page (SbExamplesWindow *self)
{
  g_return_val_if_fail (SB_IS_EXAMPLES_WINDOW (self), NULL);

  return self->examples[self->current].client;
}

void
sb_examples_window_start (SbExamplesWindow *self)
{
  g_return_if_fail (SB_IS_EXAMPLES_WINDOW (self));

  start_example (&self->examples[self->current]);
}

/* --- GObject --- */

static void
stop_all (SbExamplesWindow *self)
{
  for (guint i = 0; i < N_EXAMPLES; i++)
    {
      Example *ex = &self->examples[i];

      stop_waiting (ex);
      if (ex->content == NULL)
        continue;
      sb_session_page_stop (ex->client);
      sb_session_page_stop (ex->server);
    }
}

static gboolean
sb_examples_window_close_request (GtkWindow *window)
{
  stop_all (SB_EXAMPLES_WINDOW (window));

  return GTK_WINDOW_CLASS (sb_examples_window_parent_class)->close_request (window);
}

static void
sb_examples_window_dispose (GObject *object)
{
  SbExamplesWindow *self = SB_EXAMPLES_WINDOW (object);

  stop_all (self);
  for (guint i = 0; i < N_EXAMPLES; i++)
    {
      self->examples[i].server = NULL;
      self->examples[i].client = NULL;
      self->examples[i].content = NULL;
    }
  g_clear_handle_id (&self->compact_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_EXAMPLES_WINDOW);
  for (guint i = 0; i < N_EXAMPLES; i++)
    {
      g_clear_object (&self->examples[i].side[0]);
      g_clear_object (&self->examples[i].side[1]);
    }

  G_OBJECT_CLASS (sb_examples_window_parent_class)->dispose (object);
}

static void
sb_examples_window_finalize (GObject *object)
{
  SbExamplesWindow *self = SB_EXAMPLES_WINDOW (object);

  for (guint i = 0; i < N_EXAMPLES; i++)
    g_clear_pointer (&self->examples[i].status, g_free);
  g_clear_pointer (&self->unix_path, g_free);

  G_OBJECT_CLASS (sb_examples_window_parent_class)->finalize (object);
}

static void
sb_examples_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SbExamplesWindow *self = SB_EXAMPLES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_EXAMPLE:
      g_value_set_string (value, sb_examples_window_get_example (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_examples_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SbExamplesWindow *self = SB_EXAMPLES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_EXAMPLE:
      sb_examples_window_set_example (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_examples_window_class_init (SbExamplesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sb_examples_window_dispose;
  object_class->finalize = sb_examples_window_finalize;
  object_class->get_property = sb_examples_window_get_property;
  object_class->set_property = sb_examples_window_set_property;
  window_class->close_request = sb_examples_window_close_request;
  widget_class->size_allocate = sb_examples_window_size_allocate;

  properties[PROP_EXAMPLE] =
    g_param_spec_string ("example", NULL, NULL, "tcp-greeting",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_SESSION_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/examples/sb-examples-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, example_list);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, list_separator);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, example_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, SbExamplesWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);

  gtk_widget_class_install_action (widget_class, "examples.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "examples.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* Two pages side by side want a wide window: as wide as the screen allows,
 * up to what both pages need. */
static void
fit_default_size (SbExamplesWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GListModel *monitors = display ? gdk_display_get_monitors (display) : NULL;
  g_autoptr(GdkMonitor) monitor = NULL;
  GdkRectangle area;

  if (monitors == NULL || (monitor = g_list_model_get_item (monitors, 0)) == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &area);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               CLAMP (area.width * 95 / 100, 800, 1640),
                               CLAMP (area.height * 90 / 100, 600, 940));
}

static void
sb_examples_window_init (SbExamplesWindow *self)
{
  /* The runtime directory is the user's own; /tmp only without one. The
   * server removes the socket file when it stops. */
  const char *dir = g_getenv ("XDG_RUNTIME_DIR") ? g_get_user_runtime_dir () : g_get_tmp_dir ();

  self->unix_path = g_strdup_printf ("%s/sockbench-example-%08x%08x.sock", dir,
                                     g_random_int (), g_random_int ());

  gtk_widget_init_template (GTK_WIDGET (self));
  fit_default_size (self);

  for (guint i = 0; i < N_EXAMPLES; i++)
    {
      self->examples[i].window = self;
      self->examples[i].info = &example_infos[i];
      gtk_list_box_append (self->example_list, make_row (&example_infos[i]));
    }
  {
    GtkStringList *titles = gtk_string_list_new (NULL);

    for (guint i = 0; i < N_EXAMPLES; i++)
      gtk_string_list_append (titles, _(example_infos[i].title));
    gtk_drop_down_set_model (self->example_dropdown, G_LIST_MODEL (titles));
    g_object_unref (titles);
    g_signal_connect_object (self->example_dropdown, "notify::selected", G_CALLBACK (dropdown_selected_cb),
                             self, G_CONNECT_SWAPPED);
  }
  gtk_list_box_select_row (self->example_list, gtk_list_box_get_row_at_index (self->example_list, 0));
}
