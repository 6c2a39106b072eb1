/* test-a11y.c — what assistive technologies and keyboard users get
 *
 * GTK 4.8 has no getter for an accessible property's value, but its test
 * API reads the properties GTK stores for a widget (gtktestatcontext.h):
 * with GTK_A11Y=test every widget gets a test AT context, and
 * gtk_test_accessible_has_property() / gtk_test_accessible_check_property()
 * tell whether a label is set and whether it equals a string. A label set
 * in a .ui <accessibility> block or with gtk_accessible_update_property()
 * is seen the same way, so buttons made in C are checked like the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "sb-application.h"
#include "sb-history-view.h"
#include "sb-new-session-dialog.h"
#include "sb-peers-view.h"
#include "sb-preferences-window.h"
#include "sb-preset.h"
#include "sb-send-panel.h"
#include "sb-spec-editor.h"
#include "sb-ui-test-util.h"
#include "sb-window.h"

static SbApplication *app;
static char *presets_dir;

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (w);

      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (w == widget && tooltip != NULL)
        g_string_append_printf (path, " (tooltip “%s”)", tooltip);
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, " > ");
    }
  return g_string_free (path, FALSE);
}

/* Icon-only buttons */

/* Buttons GTK makes inside its own widgets, labelled (or not) by GTK. */
static gboolean
is_gtk_internal (GtkWidget *button)
{
  GtkWidget *parent = gtk_widget_get_parent (button);

  if (GTK_IS_MENU_BUTTON (parent) ||       /* the toggle inside; the menu button is checked */
      GTK_IS_SPIN_BUTTON (parent) ||       /* + and − */
      GTK_IS_DROP_DOWN (parent) ||         /* shows the selected item */
      GTK_IS_WINDOW_CONTROLS (parent))     /* minimize, maximize, close */
    return TRUE;

  /* GtkSearchBar's own close button */
  return gtk_widget_has_css_class (button, "close") &&
         gtk_widget_get_ancestor (button, GTK_TYPE_SEARCH_BAR) != NULL;
}

static gboolean
shows_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_POPOVER (child) && shows_text (child))
      return TRUE;
  return FALSE;
}

static gboolean
has_accessible_label (GtkWidget *widget)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* A mismatch with "" means the label is not empty. */
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return mismatch != NULL;
}

/* Walks everything, popovers included, mapped or not. */
static void
collect_unlabelled_buttons (GtkWidget *widget,
                            GPtrArray *missing,
                            guint     *n_checked)
{
  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) &&
      !is_gtk_internal (widget) && !shows_text (widget))
    {
      (*n_checked)++;
      if (!has_accessible_label (widget))
        g_ptr_array_add (missing, describe (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_unlabelled_buttons (child, missing, n_checked);
}

static void
assert_icon_buttons_labelled (GtkWidget *root,
                              guint      min_checked)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  collect_unlabelled_buttons (root, missing, &n_checked);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("no accessible label: %s", (char *) g_ptr_array_index (missing, i));
  g_assert_cmpuint (missing->len, ==, 0);
  /* The walk really saw the icon buttons. */
  g_assert_cmpuint (n_checked, >=, min_checked);
}

/* Mnemonics: one letter per view */

/* The view a mnemonic belongs to: the nearest composite of ours, or the
 * popover it is shown in (a surface of its own). */
static GtkWidget *
view_of (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      if (SB_IS_HISTORY_VIEW (w) || SB_IS_SEND_PANEL (w) || SB_IS_PEERS_VIEW (w) ||
          SB_IS_SESSION_PAGE (w) || GTK_IS_POPOVER (w) || GTK_IS_ROOT (w))
        return w;
    }
  return widget;
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   GPtrArray  *duplicates,
                   guint      *n_mnemonics)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      g_autofree char *key = g_strdup_printf ("%p:%u", (gpointer) view_of (widget), keyval);
      const char *other = g_hash_table_lookup (seen, key);

      (*n_mnemonics)++;
      if (other != NULL)
        g_ptr_array_add (duplicates, g_strdup_printf ("“%s” and “%s” in %s", other,
                                                      gtk_label_get_label (GTK_LABEL (widget)),
                                                      G_OBJECT_TYPE_NAME (view_of (widget))));
      else
        g_hash_table_insert (seen, g_steal_pointer (&key), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen, duplicates, n_mnemonics);
}

static void
assert_mnemonics_unique (GtkWidget  *root,
                         const char *what)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) duplicates = g_ptr_array_new_with_free_func (g_free);
  guint n_mnemonics = 0;

  collect_mnemonics (root, seen, duplicates, &n_mnemonics);
  for (guint i = 0; i < duplicates->len; i++)
    g_test_message ("%s: same mnemonic for %s", what, (char *) g_ptr_array_index (duplicates, i));
  g_assert_cmpuint (duplicates->len, ==, 0);
  g_assert_cmpuint (n_mnemonics, >, 0);
}

/* Labelled buttons and check buttons have a mnemonic. */
static void
collect_without_mnemonic (GtkWidget *widget,
                          GPtrArray *missing)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }
  else if (GTK_IS_BUTTON (widget) && !is_gtk_internal (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      underline = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget));
    }

  if (label != NULL && *label != '\0' && (!underline || strchr (label, '_') == NULL))
    g_ptr_array_add (missing, g_strdup_printf ("“%s”: %s", label, G_OBJECT_TYPE_NAME (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_without_mnemonic (child, missing);
}

static void
assert_labelled_controls_have_mnemonics (GtkWidget *root)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);

  collect_without_mnemonic (root, missing);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("no mnemonic: %s", (char *) g_ptr_array_index (missing, i));
  g_assert_cmpuint (missing->len, ==, 0);
}

/* The window under test: a server page and a client page talking */

static gboolean
history_shows_rows (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *view = find_first (page, SB_TYPE_HISTORY_VIEW);

  return g_list_model_get_n_items (sb_history_view_get_model (SB_HISTORY_VIEW (view))) >= 2 &&
         find_first (find_first (view, GTK_TYPE_COLUMN_VIEW), GTK_TYPE_INSCRIPTION) != NULL;
}

static SbWindow *
new_window_with_pair (SbSessionPage **server_out,
                      SbSessionPage **client_out)
{
  SbWindow *window = sb_ui_test_new_window (app);

  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));

  open_tcp_pair (window, server_out, client_out);

  /* A message each way fills the history and the peers list. */
  page_send_text (*client_out, "hello");
  g_assert_true (wait_for (history_shows_rows, *client_out));

  return window;
}

/* Tests */

static void
test_icon_buttons (void)
{
  SbSessionPage *server, *client;
  SbWindow *window = new_window_with_pair (&server, &client);

  /* Buttons made in C: the auto-reply rule's remove button. */
  gtk_widget_activate_action (GTK_WIDGET (server), "page.rule-template", "s", "echo");
  drain ();

  /* Header bar, tab close buttons, both pages: toolbar, search bar,
   * send panel, peers list, auto-reply popover. */
  assert_icon_buttons_labelled (GTK_WIDGET (window), 20);

  destroy_window (window);
}

static gboolean
preset_rows_shown (gpointer data)
{
  return find_first (data, GTK_TYPE_LIST_BOX_ROW) != NULL &&
         find_first (find_first (data, GTK_TYPE_LIST_BOX_ROW), GTK_TYPE_BUTTON) != NULL;
}

static void
test_icon_buttons_dialogs (void)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) error = NULL;
  SbSessionPage *server, *client;
  SbWindow *window = new_window_with_pair (&server, &client);
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;

  /* The preset list's delete buttons are made in C. */
  keyfile = sb_window_save_state (window);
  g_assert_true (sb_preset_save (presets_dir, "A11y bench", keyfile, &error));
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-preset", NULL);
  drain ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        dialog = GTK_WIDGET (toplevel);
    }
  g_assert_nonnull (dialog);
  g_assert_true (wait_for (preset_rows_shown, dialog));
  assert_icon_buttons_labelled (dialog, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The New Session dialog and the preferences. */
  {
    SbNewSessionDialog *new_session = sb_new_session_dialog_new (GTK_WINDOW (window), NULL);

    gtk_window_present (GTK_WINDOW (new_session));
    drain ();
    assert_icon_buttons_labelled (GTK_WIDGET (new_session), 0);
    gtk_window_destroy (GTK_WINDOW (new_session));
  }
  {
    GtkWidget *prefs = GTK_WIDGET (sb_preferences_window_new (sb_application_get_settings (app)));

    gtk_window_present (GTK_WINDOW (prefs));
    drain ();
    assert_icon_buttons_labelled (prefs, 0);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  {
    g_autofree char *file = g_build_filename (presets_dir, "A11y bench" SB_PRESET_SUFFIX, NULL);

    g_unlink (file);
  }
  destroy_window (window);
}

/* Text that reaches AT-SPI as it is: a GtkLabel, or a GtkInscription (the
 * history's cells may be either; in GTK 4.8 an inscription has the label
 * role and its text as its accessible label). */
static gboolean
is_text_widget (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL &&
           *gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != '\0';
  return FALSE;
}

static void
assert_exposed_label (GtkWidget  *widget,
                      const char *what)
{
  g_autofree char *hidden = NULL;

  g_test_message ("%s: %s", what, widget ? G_OBJECT_TYPE_NAME (widget) : "(none)");
  g_assert_nonnull (widget);
  g_assert_true (is_text_widget (widget));
  g_assert_true (gtk_widget_get_visible (widget));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)), ==, GTK_ACCESSIBLE_ROLE_LABEL);
  if (GTK_IS_INSCRIPTION (widget))
    g_assert_true (has_accessible_label (widget));
  if (gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    {
      hidden = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);
      g_assert_null (hidden);
    }
}

static GtkWidget *
find_text (GtkWidget *widget)
{
  if (is_text_widget (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first text shown in (or as) a widget with @css_class. */
static GtkWidget *
find_label_with_class (GtkWidget  *widget,
                       const char *css_class)
{
  GtkWidget *found;

  if (gtk_widget_has_css_class (widget, css_class) && (found = find_text (widget)) != NULL)
    return found;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if ((found = find_label_with_class (child, css_class)) != NULL)
        return found;
    }
  return NULL;
}

/* The column views' cells, the state and the counters are labels: their
 * text reaches AT-SPI as it is. */
static void
test_labels_exposed (void)
{
  SbSessionPage *server, *client;
  SbWindow *window = new_window_with_pair (&server, &client);
  GtkWidget *history = find_first (GTK_WIDGET (client), SB_TYPE_HISTORY_VIEW);
  GtkWidget *peers;
  GtkWidget *cell;

  assert_exposed_label (find_label_with_class (GTK_WIDGET (client), "sb-state"), "state");
  assert_exposed_label (find_label_with_class (GTK_WIDGET (client), "sb-counters"), "counters");
  assert_exposed_label (find_label_with_class (history, "sb-data-text"), "history data cell");

  /* Every cell of the history's first row, the direction arrow too (it
   * is named “sent”, “received” or “event” for screen readers). */
  cell = find_text (find_first (find_first (history, GTK_TYPE_COLUMN_VIEW), GTK_TYPE_LIST_VIEW));
  assert_exposed_label (cell, "history cell");
  {
    guint n_direction = 0;
    GtkWidget *column_view = find_first (history, GTK_TYPE_COLUMN_VIEW);
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();

    g_ptr_array_add (stack, column_view);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (is_text_widget (w) && (gtk_widget_has_css_class (w, "sb-rx") || gtk_widget_has_css_class (w, "sb-tx")))
          {
            assert_exposed_label (w, "direction cell");
            g_assert_true (has_accessible_label (w));
            n_direction++;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_assert_cmpuint (n_direction, >, 0);
  }

  show_page (window, server);
  peers = find_first (GTK_WIDGET (server), SB_TYPE_PEERS_VIEW);
  g_assert_true (gtk_widget_get_mapped (peers));
  assert_exposed_label (find_text (find_first (find_first (peers, GTK_TYPE_COLUMN_VIEW), GTK_TYPE_LIST_VIEW)),
                        "peers cell");
  assert_exposed_label (find_label_with_class (peers, "heading"), "peers count");

  destroy_window (window);
}

static void
test_mnemonics (void)
{
  SbSessionPage *server, *client;
  SbWindow *window = new_window_with_pair (&server, &client);

  assert_labelled_controls_have_mnemonics (GTK_WIDGET (window));

  /* Each page as shown, then with its search bar open. */
  for (guint i = 0; i < 2; i++)
    {
      SbSessionPage *page = i == 0 ? server : client;

      show_page (window, page);
      assert_mnemonics_unique (GTK_WIDGET (window), sb_session_page_get_title (page));
      gtk_widget_activate_action (GTK_WIDGET (page), "page.search", NULL);
      drain ();
      assert_mnemonics_unique (GTK_WIDGET (window), sb_session_page_get_title (page));
    }

  /* Every kind of page, with the fields that kind shows. */
  {
    static const char * const uris[] = {
      "udp-listen://127.0.0.1:0", "unix:///tmp/sockbench-a11y", "unix-listen:///tmp/sockbench-a11y",
      "unixgram:///tmp/sockbench-a11y?bind=/tmp/sockbench-a11y-local", "icmp://127.0.0.1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
      {
        g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], NULL);
        SbSessionPage *page;

        g_assert_nonnull (spec);
        page = sb_window_open_spec (window, spec, NULL);
        drain ();
        assert_mnemonics_unique (GTK_WIDGET (window), sb_session_page_get_title (page));
        assert_labelled_controls_have_mnemonics (GTK_WIDGET (page));
      }
  }

  /* The New Session dialog, for every kind it offers. */
  {
    SbNewSessionDialog *dialog = sb_new_session_dialog_new (GTK_WINDOW (window), NULL);
    GtkDropDown *kind = GTK_DROP_DOWN (find_first (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN));
    guint n_kinds = g_list_model_get_n_items (gtk_drop_down_get_model (kind));

    gtk_window_present (GTK_WINDOW (dialog));
    for (guint i = 0; i < n_kinds; i++)
      {
        /* The first check button binds a local address (where offered). */
        GtkWidget *bind_check = find_first (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);

        gtk_drop_down_set_selected (kind, i);
        drain ();
        assert_mnemonics_unique (GTK_WIDGET (dialog), "New Session");
        if (gtk_widget_get_mapped (bind_check))
          {
            gtk_check_button_set_active (GTK_CHECK_BUTTON (bind_check), TRUE);
            drain ();
            assert_mnemonics_unique (GTK_WIDGET (dialog), "New Session");
            gtk_check_button_set_active (GTK_CHECK_BUTTON (bind_check), FALSE);
          }
      }
    assert_labelled_controls_have_mnemonics (GTK_WIDGET (dialog));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  {
    GtkWidget *prefs = GTK_WIDGET (sb_preferences_window_new (sb_application_get_settings (app)));

    gtk_window_present (GTK_WINDOW (prefs));
    drain ();
    assert_mnemonics_unique (prefs, "Preferences");
    assert_labelled_controls_have_mnemonics (prefs);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  destroy_window (window);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static GtkLabel *
first_error_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      gtk_widget_get_visible (widget) && gtk_widget_get_mapped (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = first_error_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The spec editor checks a field as it is typed: the core's message under
 * it, the field marked invalid for a screen reader, "valid" and "changed"
 * follow; a field left empty is only reported when the spec is asked for. */
static void
test_spec_editor (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *editor = sb_spec_editor_new ();
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp://127.0.0.1:80", NULL);
  g_autoptr(SbSessionSpec) back = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *host;
  GtkLabel *message;
  guint n_changed = 0, n_valid = 0;

  gtk_window_set_child (GTK_WINDOW (window), editor);
  present_and_keep (window);
  g_signal_connect (editor, "changed", G_CALLBACK (count_cb), &n_changed);
  g_signal_connect (editor, "notify::valid", G_CALLBACK (count_notify_cb), &n_valid);

  sb_spec_editor_set_spec (SB_SPEC_EDITOR (editor), spec);
  drain ();
  g_assert_true (sb_spec_editor_get_valid (SB_SPEC_EDITOR (editor)));
  g_assert_cmpint (sb_spec_editor_get_kind (SB_SPEC_EDITOR (editor)), ==, SB_KIND_TCP_CLIENT);
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_null (first_error_label (editor));

  host = find_first (editor, GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (host), "bad host name");
  drain ();
  g_assert_cmpuint (n_changed, >, 0);
  g_assert_cmpuint (n_valid, ==, 1);
  g_assert_false (sb_spec_editor_get_valid (SB_SPEC_EDITOR (editor)));
  message = first_error_label (editor);
  g_assert_nonnull (message);
  g_assert_cmpstr (gtk_label_get_text (message), !=, "");
  g_assert_true (gtk_test_accessible_check_state (GTK_ACCESSIBLE (host), GTK_ACCESSIBLE_STATE_INVALID,
                                                  GTK_ACCESSIBLE_INVALID_TRUE) == NULL);

  /* Empty: no message while typing, one when the spec is asked for. */
  gtk_editable_set_text (GTK_EDITABLE (host), "");
  drain ();
  g_assert_false (sb_spec_editor_get_valid (SB_SPEC_EDITOR (editor)));
  g_assert_null (first_error_label (editor));
  g_assert_null (sb_spec_editor_dup_spec (SB_SPEC_EDITOR (editor), &error));
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_assert_nonnull (first_error_label (editor));

  gtk_editable_set_text (GTK_EDITABLE (host), "::1");
  drain ();
  g_assert_true (sb_spec_editor_get_valid (SB_SPEC_EDITOR (editor)));
  g_assert_null (first_error_label (editor));
  back = sb_spec_editor_dup_spec (SB_SPEC_EDITOR (editor), NULL);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->host, ==, "::1");
  g_assert_cmpuint (back->port, ==, 80);

  /* Compact: one row, for a bar; the same fields and labels. */
  sb_spec_editor_set_compact (SB_SPEC_EDITOR (editor), TRUE);
  drain ();
  g_assert_true (sb_spec_editor_get_compact (SB_SPEC_EDITOR (editor)));
  assert_labelled_controls_have_mnemonics (editor);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Every widget gets GTK's test AT context, which the checks above read. */
  sb_ui_test_init (&argc, &argv, "test");

  presets_dir = g_dir_make_tmp ("sockbench-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  app = sb_ui_test_new_app (presets_dir);

  g_test_add_func ("/a11y/icon-buttons", test_icon_buttons);
  g_test_add_func ("/a11y/icon-buttons-dialogs", test_icon_buttons_dialogs);
  g_test_add_func ("/a11y/labels-exposed", test_labels_exposed);
  g_test_add_func ("/a11y/mnemonics", test_mnemonics);
  g_test_add_func ("/a11y/spec-editor", test_spec_editor);

  status = g_test_run ();

  g_rmdir (presets_dir);
  g_free (presets_dir);
  g_clear_object (&app);
  return status;
}
