/* sb-teaching-panel.c — the teaching views of a session page
 *
 * One selection for all: the history view, the Calls list and the sequence
 * diagram each say which record they have selected ("selected-serial"); a
 * change in one is passed to the others, which ignore a serial they already
 * show, so the echo stops after one round.
 *
 * In a GtkPaned (the page’s), the panel also chooses the paned’s
 * orientation: beside the history when the page is wide enough for both,
 * below it in a narrow window (800 × 600), so showing the panel never makes
 * the window wider than the screen.
 *
 * The views see the session only while the panel is mapped: a hidden panel,
 * or one in a background tab, costs nothing per message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-teaching-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-address.h"
#include "sb-certificate-view.h"
#include "sb-icmp.h"
#include "sb-teaching-panel.h"

struct _SbTeachingPanel
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkStack        *stack;
  GtkStack        *tools_stack;
  GtkToggleButton *python_button;
  GtkToggleButton *c_button;
  SbCallsView     *calls_view;
  SbSequenceView  *sequence_view;
  SbByteInspector *byte_inspector;
  SbTcpStateView  *tcp_state_view;
  SbCertificateView *certificate_view;

  /* Owned */
  SbSession       *session;
  GWeakRef         history_view;
  gint64           shown_serial;    /* the record in the byte inspector, or -1 */
  SbFrames        *frames;
  GtkWindow       *window;          /* its own, while detached */
  GtkPaned        *home;            /* weak: the paned it left, while detached */
  gboolean         home_start;      /* it was the paned's start child */
  guint            layout_source;
};

/* Going back beside the history needs this much more than the minimum. */
#define BESIDE_SLACK 120

enum {
  PROP_0,
  PROP_SESSION,
  PROP_HISTORY_VIEW,
  PROP_VISIBLE_VIEW,
  PROP_DETACHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbTeachingPanel, sb_teaching_panel, GTK_TYPE_WIDGET)

/* --- The byte inspector follows the selection --- */

static void
show_bytes (SbTeachingPanel *self,
            gint64           serial)
{
  SbHistory *history = self->session ? sb_session_get_history (self->session) : NULL;
  guint position;
  SbDirection direction;

  self->shown_serial = serial;
  if (history == NULL || serial < 0 || !sb_history_find_serial (history, serial, &position))
    {
      sb_byte_inspector_set_placeholder (self->byte_inspector, NULL);
      return;
    }

  direction = sb_history_get_direction (history, position);
  if (direction == SB_DIRECTION_EVENT)
    {
      g_autofree char *message = sb_history_decode (history, position, "UTF-8", SB_DECODE_DEFAULT, NULL);
      g_autofree char *text =
        /* Translators: the byte inspector when an event row is selected */
        g_strdup_printf (_("This row is an event, not data: %s"),
                         message && *message ? message : sb_event_kind_to_string (sb_history_get_event (history, position)));
      sb_byte_inspector_set_placeholder (self->byte_inspector, text);
    }
  else
    {
      g_autoptr(GBytes) data = sb_history_dup_data (history, position);
      g_autofree char *size = g_strdup_printf (ngettext ("%zu byte", "%zu bytes", g_bytes_get_size (data)),
                                               (size_t) g_bytes_get_size (data));
      const char *peer = sb_history_get_peer_label (history, sb_history_get_peer (history, position));
      g_autofree char *title = NULL;

      if (direction == SB_DIRECTION_RX)
        /* Translators: the byte inspector's title, “Received from 127.0.0.1:5000 · 12 bytes” */
        title = g_strdup_printf (_("Received from %s · %s"), peer, size);
      else
        /* Translators: the byte inspector's title, “Sent to 127.0.0.1:5000 · 12 bytes” */
        title = g_strdup_printf (_("Sent to %s · %s"), peer, size);

      /* By serial: the inspector reads it as its stream does, and follows
       * the encoding and the frames. */
      sb_byte_inspector_set_record (self->byte_inspector, history, (guint64) serial, title);

      /* Ping: the ICMP header fields above its bytes. */
      if (SB_IS_ICMP (self->session))
        {
          GSocketAddress *target = sb_icmp_get_target (SB_ICMP (self->session));
          GSocketFamily family = target ? g_socket_address_get_family (target) : G_SOCKET_FAMILY_IPV4;
          g_autoptr(GPtrArray) fields = sb_icmp_describe (g_bytes_get_data (data, NULL), g_bytes_get_size (data), family);

          sb_byte_inspector_set_header_fields (self->byte_inspector, fields);
        }
    }
}

/* --- One selection --- */

typedef enum
{
  FROM_HISTORY,
  FROM_CALLS,
  FROM_SEQUENCE,
} SelectionSource;

static void
select_everywhere (SbTeachingPanel *self,
                   gint64           serial,
                   SelectionSource  source)
{
  g_autoptr(SbHistoryView) history_view = g_weak_ref_get (&self->history_view);

  if (serial < 0)
    return;
  if (source != FROM_HISTORY && history_view != NULL &&
      sb_history_view_get_selected_serial (history_view) != serial)
    sb_history_view_select_serial (history_view, serial);
  if (source != FROM_CALLS && sb_calls_view_get_selected_serial (self->calls_view) != serial)
    sb_calls_view_select_serial (self->calls_view, serial);
  if (source != FROM_SEQUENCE && sb_sequence_view_get_selected_serial (self->sequence_view) != serial)
    sb_sequence_view_select_serial (self->sequence_view, serial);
  if (self->shown_serial != serial)
    show_bytes (self, serial);
}

static void
history_selection_cb (SbTeachingPanel *self,
                      GParamSpec      *pspec,
                      SbHistoryView   *history_view)
{
  gint64 serial = sb_history_view_get_selected_serial (history_view);

  /* The first selected row, even an event, is what the inspector shows. */
  if (serial < 0)
    return;
  select_everywhere (self, serial, FROM_HISTORY);
}

static void
calls_selection_cb (SbTeachingPanel *self)
{
  select_everywhere (self, sb_calls_view_get_selected_serial (self->calls_view), FROM_CALLS);
}

static void
sequence_selection_cb (SbTeachingPanel *self)
{
  select_everywhere (self, sb_sequence_view_get_selected_serial (self->sequence_view), FROM_SEQUENCE);
}

static void
encoding_cb (SbTeachingPanel *self,
             GParamSpec      *pspec,
             SbHistoryView   *history_view)
{
  const char *encoding = sb_history_view_get_encoding (history_view);

  sb_sequence_view_set_encoding (self->sequence_view, encoding);
  sb_byte_inspector_set_encoding (self->byte_inspector, encoding);
}

/* --- Session --- */

static void
local_address_cb (SbTeachingPanel *self)
{
  GSocketAddress *local = self->session ? sb_session_get_local_address (self->session) : NULL;
  g_autofree char *label = local ? sb_address_to_string (local) : NULL;

  sb_sequence_view_set_local_label (self->sequence_view, label);
}

/* Gives the views the session while the panel is on screen, nothing
 * otherwise; then catches up with the history view's selection. */
static void
attach_views (SbTeachingPanel *self)
{
  SbSession *session = gtk_widget_get_mapped (GTK_WIDGET (self)) ? self->session : NULL;
  g_autoptr(SbHistoryView) history_view = g_weak_ref_get (&self->history_view);

  sb_calls_view_set_trace (self->calls_view, session ? sb_session_get_trace (session) : NULL);
  sb_sequence_view_set_history (self->sequence_view, session ? sb_session_get_history (session) : NULL);
  if (session != NULL)
    sb_sequence_view_set_kind (self->sequence_view, sb_session_get_kind (session));
  local_address_cb (self);
  sb_tcp_state_view_set_session (self->tcp_state_view, session);
  sb_certificate_view_set_history (self->certificate_view, session ? sb_session_get_history (session) : NULL);

  if (session != NULL && history_view != NULL && sb_history_view_get_selected_serial (history_view) >= 0)
    {
      self->shown_serial = -1;
      select_everywhere (self, sb_history_view_get_selected_serial (history_view), FROM_HISTORY);
    }
}

/* --- Stack and zoom --- */

static void
visible_child_cb (SbTeachingPanel *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  /* Each view's own buttons, beside the switcher to save a row. */
  gtk_stack_set_visible_child_name (self->tools_stack,
                                    g_strcmp0 (name, "calls") == 0 || g_strcmp0 (name, "sequence") == 0 ? name : "none");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_VIEW]);
}

static void
syntax_toggled_cb (SbTeachingPanel *self)
{
  sb_calls_view_set_syntax (self->calls_view,
                            gtk_toggle_button_get_active (self->c_button) ? SB_TRACE_C : SB_TRACE_PYTHON);
}

static void
syntax_notify_cb (SbTeachingPanel *self)
{
  gtk_toggle_button_set_active (sb_calls_view_get_syntax (self->calls_view) == SB_TRACE_C ? self->c_button
                                                                                         : self->python_button,
                                TRUE);
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (widget);
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *child = gtk_stack_get_child_by_name (self->stack, name);

  if (child == NULL || !gtk_widget_get_mapped (widget))
    return;
  gtk_stack_set_visible_child (self->stack, child);
  /* The diagram takes the keys at once (Up, Down, End, Ctrl+plus). Not the
   * Calls list: focusing it would scroll it to its first row. */
  if (g_str_equal (name, "sequence"))
    gtk_widget_grab_focus (GTK_WIDGET (self->sequence_view));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (widget);

  sb_sequence_view_zoom (self->sequence_view, g_str_equal (action_name, "teaching.zoom-in") ? 1 : -1);
}

/* --- Beside or below the history --- */

static GtkPaned *
parent_paned (SbTeachingPanel *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (GTK_IS_PANED (parent) && gtk_paned_get_end_child (GTK_PANED (parent)) == GTK_WIDGET (self))
    return GTK_PANED (parent);
  return NULL;
}

/* The paned's width with the history and the panel side by side. */
static int
beside_min_width (SbTeachingPanel *self,
                  GtkPaned        *paned)
{
  GtkWidget *history = gtk_paned_get_start_child (paned);
  int history_min = 0, own_min = 0;

  if (history != NULL)
    gtk_widget_measure (history, GTK_ORIENTATION_HORIZONTAL, -1, &history_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1, &own_min, NULL, NULL, NULL);
  return history_min + own_min + 8;
}

static GtkOrientation
wanted_orientation (SbTeachingPanel *self,
                    GtkPaned        *paned,
                    gboolean         showing)
{
  int width = gtk_widget_get_width (GTK_WIDGET (paned));
  int need = beside_min_width (self, paned);
  GtkOrientation now = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned));

  /* Beside → below only at the minimum width (the user is making the
   * window narrower); below → beside only with room to spare. */
  if (!showing && now == GTK_ORIENTATION_HORIZONTAL)
    return width < need + 16 ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;
  return width >= need + BESIDE_SLACK ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;
}

static void
apply_orientation (SbTeachingPanel *self,
                   gboolean         showing)
{
  GtkPaned *paned = parent_paned (self);
  GtkOrientation want;

  if (paned == NULL || gtk_widget_get_width (GTK_WIDGET (paned)) <= 0)
    return;
  want = wanted_orientation (self, paned, showing);
  if (!showing && want == gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)))
    return;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (paned), want);
  /* Half each to start with; then the divider stays where the user puts it. */
  gtk_paned_set_position (paned, (want == GTK_ORIENTATION_HORIZONTAL ? gtk_widget_get_width (GTK_WIDGET (paned))
                                                                    : gtk_widget_get_height (GTK_WIDGET (paned))) / 2);
}

static gboolean
layout_idle_cb (gpointer user_data)
{
  SbTeachingPanel *self = user_data;

  self->layout_source = 0;
  apply_orientation (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
visible_cb (SbTeachingPanel *self)
{
  /* Before the first layout with the panel in it. */
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    apply_orientation (self, TRUE);
}

/* --- Its own window --- */

static gboolean
window_close_cb (SbTeachingPanel *self)
{
  /* Closing the window puts the views back, it does not lose them. */
  sb_teaching_panel_set_detached (self, FALSE);
  return TRUE;
}

static void
home_gone (SbTeachingPanel *self)
{
  if (self->home != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->home, self);
      g_object_remove_weak_pointer (G_OBJECT (self->home), (gpointer *) &self->home);
    }
  self->home = NULL;
}

/* The page went away while the views were in their own window: so does
 * the window, and the panel with it. */
static void
home_destroyed_cb (SbTeachingPanel *self)
{
  GtkWindow *window = g_steal_pointer (&self->window);

  home_gone (self);
  if (window != NULL)
    gtk_window_destroy (window);
}

/* --- Public --- */

gboolean
sb_teaching_panel_get_detached (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), FALSE);
  return self->window != NULL;
}

void
sb_teaching_panel_set_detached (SbTeachingPanel *self,
                                gboolean         detached)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (SB_IS_TEACHING_PANEL (self));

  if (detached == (self->window != NULL))
    return;

  g_object_ref (self);
  if (detached)
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);
      GtkRoot *root = gtk_widget_get_root (widget);

      home_gone (self);
      /* Focus inside the panel would stay the old window's focus. */
      if (root != NULL)
        {
          GtkWidget *focus = gtk_root_get_focus (root);

          if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
            gtk_root_set_focus (root, NULL);
        }
      if (GTK_IS_PANED (parent))
        {
          self->home = GTK_PANED (parent);
          g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *) &self->home);
          g_signal_connect_object (parent, "destroy", G_CALLBACK (home_destroyed_cb), self, G_CONNECT_SWAPPED);
          self->home_start = gtk_paned_get_start_child (self->home) == widget;
          if (self->home_start)
            gtk_paned_set_start_child (self->home, NULL);
          else
            gtk_paned_set_end_child (self->home, NULL);
        }
      else if (parent != NULL)
        {
          /* Only a paned is given back its child; elsewhere the page
           * listens to notify::detached and hosts the panel itself. */
          g_object_unref (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETACHED]);
          return;
        }

      self->window = GTK_WINDOW (gtk_window_new ());
      /* Translators: the title of the teaching views' own window */
      gtk_window_set_title (self->window, _("Teaching Views"));
      gtk_window_set_default_size (self->window, 560, 640);
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (self->window, GTK_WINDOW (root));
      gtk_window_set_child (self->window, widget);
      g_signal_connect_object (self->window, "close-request", G_CALLBACK (window_close_cb), self, G_CONNECT_SWAPPED);
      gtk_window_present (self->window);
    }
  else
    {
      GtkWindow *window = g_steal_pointer (&self->window);

      gtk_root_set_focus (GTK_ROOT (window), NULL);
      gtk_window_set_child (window, NULL);
      if (self->home != NULL)
        {
          if (self->home_start)
            gtk_paned_set_start_child (self->home, widget);
          else
            gtk_paned_set_end_child (self->home, widget);
        }
      home_gone (self);
      gtk_window_destroy (window);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETACHED]);
  g_object_unref (self);
}

GtkWindow *
sb_teaching_panel_get_window (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->window;
}

SbFrames *
sb_teaching_panel_get_frames (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->frames;
}

void
sb_teaching_panel_set_frames (SbTeachingPanel *self,
                              SbFrames        *frames)
{
  g_return_if_fail (SB_IS_TEACHING_PANEL (self));
  g_return_if_fail (frames == NULL || SB_IS_FRAMES (frames));

  if (!g_set_object (&self->frames, frames))
    return;
  sb_byte_inspector_set_frames (self->byte_inspector, frames);
  sb_sequence_view_set_frames (self->sequence_view, frames);
  sb_calls_view_set_frames (self->calls_view, frames);
}


GtkWidget *
sb_teaching_panel_new (void)
{
  return g_object_new (SB_TYPE_TEACHING_PANEL, NULL);
}

SbSession *
sb_teaching_panel_get_session (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->session;
}

void
sb_teaching_panel_set_session (SbTeachingPanel *self,
                               SbSession       *session)
{
  g_return_if_fail (SB_IS_TEACHING_PANEL (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::local-address", G_CALLBACK (local_address_cb), self, G_CONNECT_SWAPPED);

  attach_views (self);
  show_bytes (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
sb_teaching_panel_set_history_view (SbTeachingPanel *self,
                                    SbHistoryView   *history_view)
{
  g_autoptr(SbHistoryView) old = NULL;

  g_return_if_fail (SB_IS_TEACHING_PANEL (self));
  g_return_if_fail (history_view == NULL || SB_IS_HISTORY_VIEW (history_view));

  old = g_weak_ref_get (&self->history_view);
  if (old == history_view)
    return;
  if (old != NULL)
    g_signal_handlers_disconnect_by_data (old, self);
  g_weak_ref_set (&self->history_view, history_view);
  if (history_view != NULL)
    {
      g_signal_connect_object (history_view, "notify::selected-serial", G_CALLBACK (history_selection_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (history_view, "notify::encoding", G_CALLBACK (encoding_cb), self, G_CONNECT_SWAPPED);
      encoding_cb (self, NULL, history_view);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_VIEW]);
}

const char *
sb_teaching_panel_get_visible_view (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
sb_teaching_panel_set_visible_view (SbTeachingPanel *self,
                                    const char      *name)
{
  g_return_if_fail (SB_IS_TEACHING_PANEL (self));
  g_return_if_fail (name != NULL);

  gtk_stack_set_visible_child_name (self->stack, name);
}

SbCallsView *
sb_teaching_panel_get_calls_view (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->calls_view;
}

SbSequenceView *
sb_teaching_panel_get_sequence_view (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->sequence_view;
}

SbByteInspector *
sb_teaching_panel_get_byte_inspector (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->byte_inspector;
}

SbTcpStateView *
sb_teaching_panel_get_tcp_state_view (SbTeachingPanel *self)
{
  g_return_val_if_fail (SB_IS_TEACHING_PANEL (self), NULL);
  return self->tcp_state_view;
}

/* --- GtkWidget --- */

static void
sb_teaching_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_teaching_panel_parent_class)->map (widget);
  attach_views (SB_TEACHING_PANEL (widget));
}

static void
sb_teaching_panel_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_teaching_panel_parent_class)->unmap (widget);
  attach_views (SB_TEACHING_PANEL (widget));
}

/* A vertical box by hand: a layout manager would bypass size_allocate. */
static void
sb_teaching_panel_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                          &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          *minimum += child_min;
          *natural += child_nat;
        }
    }
}

static void
sb_teaching_panel_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (widget);
  GtkWidget *header = gtk_widget_get_first_child (widget);
  GtkPaned *paned;
  int header_height = 0;

  gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, width, &header_height, NULL, NULL, NULL);
  gtk_widget_size_allocate (header, &(GtkAllocation) { 0, 0, width, header_height }, -1);
  gtk_widget_size_allocate (GTK_WIDGET (self->stack),
                            &(GtkAllocation) { 0, header_height, width, MAX (0, height - header_height) }, -1);

  /* The page changed size: maybe the other orientation fits better now.
   * Not from inside the layout; just after it. */
  paned = parent_paned (self);
  if (paned != NULL && self->layout_source == 0 &&
      wanted_orientation (self, paned, FALSE) != gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)))
    self->layout_source = g_idle_add (layout_idle_cb, self);
}

/* --- GObject --- */

static void
sb_teaching_panel_dispose (GObject *object)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (object);
  GtkWidget *child;
  g_autoptr(SbHistoryView) history_view = g_weak_ref_get (&self->history_view);

  if (history_view != NULL)
    g_signal_handlers_disconnect_by_data (history_view, self);
  g_weak_ref_set (&self->history_view, NULL);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  home_gone (self);
  g_clear_object (&self->frames);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_TEACHING_PANEL);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_teaching_panel_parent_class)->dispose (object);
}

static void
sb_teaching_panel_finalize (GObject *object)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (object);

  g_weak_ref_clear (&self->history_view);

  G_OBJECT_CLASS (sb_teaching_panel_parent_class)->finalize (object);
}

static void
sb_teaching_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_HISTORY_VIEW:
      g_value_take_object (value, g_weak_ref_get (&self->history_view));
      break;
    case PROP_VISIBLE_VIEW:
      g_value_set_string (value, sb_teaching_panel_get_visible_view (self));
      break;
    case PROP_DETACHED:
      g_value_set_boolean (value, sb_teaching_panel_get_detached (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_teaching_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SbTeachingPanel *self = SB_TEACHING_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_teaching_panel_set_session (self, g_value_get_object (value));
      break;
    case PROP_HISTORY_VIEW:
      sb_teaching_panel_set_history_view (self, g_value_get_object (value));
      break;
    case PROP_VISIBLE_VIEW:
      sb_teaching_panel_set_visible_view (self, g_value_get_string (value));
      break;
    case PROP_DETACHED:
      sb_teaching_panel_set_detached (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_teaching_panel_class_init (SbTeachingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_teaching_panel_dispose;
  object_class->finalize = sb_teaching_panel_finalize;
  object_class->get_property = sb_teaching_panel_get_property;
  object_class->set_property = sb_teaching_panel_set_property;
  widget_class->map = sb_teaching_panel_map;
  widget_class->unmap = sb_teaching_panel_unmap;
  widget_class->measure = sb_teaching_panel_measure;
  widget_class->size_allocate = sb_teaching_panel_size_allocate;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HISTORY_VIEW] =
    g_param_spec_object ("history-view", NULL, NULL, SB_TYPE_HISTORY_VIEW,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VISIBLE_VIEW] =
    g_param_spec_string ("visible-view", NULL, NULL, "calls",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETACHED] =
    g_param_spec_boolean ("detached", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_CALLS_VIEW);
  g_type_ensure (SB_TYPE_SEQUENCE_VIEW);
  g_type_ensure (SB_TYPE_BYTE_INSPECTOR);
  g_type_ensure (SB_TYPE_TCP_STATE_VIEW);
  g_type_ensure (SB_TYPE_CERTIFICATE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/teaching/sb-teaching-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, tools_stack);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, python_button);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, c_button);
  gtk_widget_class_bind_template_callback (widget_class, syntax_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, calls_view);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, sequence_view);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, byte_inspector);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, tcp_state_view);
  gtk_widget_class_bind_template_child (widget_class, SbTeachingPanel, certificate_view);

  gtk_widget_class_install_action (widget_class, "teaching.show", "s", show_action);
  gtk_widget_class_install_action (widget_class, "teaching.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "teaching.detached", "detached");
  gtk_widget_class_install_action (widget_class, "teaching.zoom-out", NULL, zoom_action);

  gtk_widget_class_set_css_name (widget_class, "sb-teaching-panel");
}

static void
sb_teaching_panel_init (SbTeachingPanel *self)
{
  static const char * const views[] = { "calls", "sequence", "bytes", "tcp", "certificate" };
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_weak_ref_init (&self->history_view, NULL);
  self->shown_serial = -1;

  /* Alt+1…5 pick a view from anywhere in the window while the panel shows. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_ALT_MASK),
                                                gtk_named_action_new ("teaching.show"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (views[i]));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect (self, "notify::visible", G_CALLBACK (visible_cb), NULL);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (visible_child_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calls_view, "notify::syntax", G_CALLBACK (syntax_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calls_view, "notify::selected-serial", G_CALLBACK (calls_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sequence_view, "notify::selected-serial", G_CALLBACK (sequence_selection_cb), self, G_CONNECT_SWAPPED);
}
