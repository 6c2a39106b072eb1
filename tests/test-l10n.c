/* test-l10n.c — the window in Simplified Chinese has no English left
 *
 * Loads the built zh_CN catalog the way src/main.c does (setlocale, then
 * bindtextdomain to $SOCKBENCH_LOCALEDIR, the build's po/), with
 * LANGUAGE=zh_CN on the C.UTF-8 locale, which needs no generated locale.
 * Then it reads what a user sees in the window, the session pages, the
 * New Session dialog and the preferences: labels, button labels, column
 * titles, drop-down items, placeholders and menus. Words in Latin letters
 * are allowed only when they are technical names (TCP, GBK, IPv6, URI…),
 * hex digits, numbers or addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "sb-application.h"
#include "sb-codec.h"
#include "sb-encoding-model.h"
#include "sb-new-session-dialog.h"
#include "sb-preferences-window.h"
#include "sb-ui-test-util.h"
#include "sb-window.h"

static SbApplication *app;
static GHashTable *allowed;   /* lower-case words that stay in Latin letters */

/* Technical names kept as they are in every language (docs/TRANSLATING.md). */
static const char * const technical_words[] = {
  "Sockbench", "TCP", "UDP", "UNIX", "ICMP", "IP", "IPv", "URI", "URL", "DNS",
  "GBK", "GB", "BIG", "UTF", "ISO", "ASCII", "EUC", "JIS", "KOI", "Shift",
  "Unicode", "Windows", "Latin", "LF", "CR", "CRLF", "EOF", "FIN", "SYN", "ACK", "RST",
  "SO_BROADCAST", "SO_REUSEADDR", "SO_RCVBUF", "TCP_NODELAY", "Nagle",
  "CSV", "JSON", "Lines", "Python", "localhost", "kB", "MB", "KiB", "MiB",
  "tcp", "udp", "unix", "unixgram", "icmp", "ping", "icmp_seq", "Modbus",
  "Wireshark", "pcap", "pcapng",
  "TLS", "DTLS", "SSL", "PEM", "CA", "CAs", "SNI", "ALPN", "SHA", "tls", "dtls",
  /* Checksum names from the CRC catalogue, as check specs spell them. */
  "crc", "lrc", "ccitt", "false", "xmodem", "modbus", "sum", "xor", "ibm",
};

static void
allow_words (const char *text)
{
  g_autoptr(GRegex) word = g_regex_new ("[A-Za-z_]+", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (word, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *w = g_match_info_fetch (match, 0);

      g_hash_table_add (allowed, g_ascii_strdown (w, -1));
      g_match_info_next (match, NULL);
    }
}

static void
build_allowed (void)
{
  const SbEncodingInfo *encodings;
  guint n = 0;
  g_autofree char *size = g_format_size (1234567);
  g_autofree char *bytes = g_format_size (12);

  allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (technical_words); i++)
    g_hash_table_add (allowed, g_ascii_strdown (technical_words[i], -1));

  /* Encoding names ("Shift_JIS", "KOI8-R", "windows-1252"). */
  encodings = sb_codec_get_encodings (&n);
  for (guint i = 0; i < n; i++)
    allow_words (encodings[i].name);

  /* Sizes come from GLib's own catalog ("1.2 MB"), not ours. */
  allow_words (size);
  allow_words (bytes);
}

/* Returns the English words left in @text, or NULL. */
static char *
english_words (const char *text)
{
  g_autoptr(GRegex) mnemonic = g_regex_new ("\\(_[A-Za-z0-9]\\)", 0, 0, NULL);
  g_autoptr(GRegex) word = g_regex_new ("[A-Za-z][A-Za-z_]*", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *plain = g_regex_replace_literal (mnemonic, text, -1, 0, "", 0, NULL);
  GString *found = NULL;

  g_regex_match (word, plain, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *w = g_match_info_fetch (match, 0);
      g_autofree char *lower = g_ascii_strdown (w, -1);
      gboolean hex = TRUE;
      gboolean with_digits;

      g_match_info_fetch_pos (match, 0, &start, &end);
      /* Part of a token with digits ("IPv6", "0x1f", "x86", "utf8"), an
       * escape ("\xNN"), a path or a dotted name ("/tmp/socket",
       * "net.ipv4.ping_group_range"). */
      with_digits = (start > 0 && strchr ("0123456789\\/.@", plain[start - 1]) != NULL) ||
                    (plain[end] != '\0' && strchr ("0123456789/", plain[end]) != NULL) ||
                    (plain[end] == '.' && g_ascii_isalnum (plain[end + 1]));
      for (const char *p = w; *p; p++)
        hex = hex && g_ascii_isxdigit (*p);

      if (strlen (w) > 1 && !hex && !with_digits && !g_hash_table_contains (allowed, lower))
        {
          if (found == NULL)
            found = g_string_new (NULL);
          g_string_append_printf (found, "%s“%s”", found->len ? ", " : "", w);
        }
      g_match_info_next (match, NULL);
    }

  return found ? g_string_free (found, FALSE) : NULL;
}

typedef struct
{
  const char *where;
  GPtrArray  *problems;
  guint       n_checked;
} Check;

static void
check_text (Check      *check,
            const char *kind,
            const char *text)
{
  g_autofree char *english = NULL;

  if (text == NULL || *text == '\0')
    return;
  check->n_checked++;
  if ((english = english_words (text)) != NULL)
    g_ptr_array_add (check->problems, g_strdup_printf ("%s, %s “%s”: %s", check->where, kind, text, english));
}

static void
check_menu (Check      *check,
            GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (menu, i);
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (check, "menu item", label);
      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          check_menu (check, link);
          g_object_unref (link);
        }
    }
}

static void
check_list_model (Check      *check,
                  GListModel *model)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item))
        check_text (check, "drop-down item", gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
      else if (SB_IS_ENCODING_ITEM (item))
        check_text (check, "encoding", sb_encoding_item_get_label (SB_ENCODING_ITEM (item)));
    }
}

/* What the user sees under @widget: visible labels (button labels are
 * labels too), column titles, drop-down items, placeholders, menus. */
static void
check_widget (Check     *check,
              GtkWidget *widget)
{
  /* Hidden, or a stack's (a notebook's) page that is not shown. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  /* The bytes that crossed the socket are the user's, not ours; a menu
   * item's shortcut ("Ctrl+C") is written by GTK in its own words. */
  if (GTK_IS_LABEL (widget) &&
      g_strcmp0 (gtk_widget_get_css_name (widget), "accelerator") != 0 &&
      !gtk_widget_has_css_class (widget, "sb-data-text") &&
      !gtk_widget_has_css_class (widget, "sb-data-hex"))
    check_text (check, "label", gtk_label_get_text (GTK_LABEL (widget)));
  /* The history's cells may be inscriptions; a data line sits in a box
   * with the class, or has it. */
  if (GTK_IS_INSCRIPTION (widget) &&
      !gtk_widget_has_css_class (widget, "sb-data-text") && !gtk_widget_has_css_class (widget, "sb-data-hex") &&
      !gtk_widget_has_css_class (gtk_widget_get_parent (widget), "sb-data-text") &&
      !gtk_widget_has_css_class (gtk_widget_get_parent (widget), "sb-data-hex"))
    check_text (check, "inscription", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));

  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (widget));

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          if (gtk_column_view_column_get_visible (column))
            check_text (check, "column title", gtk_column_view_column_get_title (column));
        }
    }
  if (GTK_IS_DROP_DOWN (widget))
    check_list_model (check, gtk_drop_down_get_model (GTK_DROP_DOWN (widget)));
  if (GTK_IS_ENTRY (widget))
    check_text (check, "placeholder", gtk_entry_get_placeholder_text (GTK_ENTRY (widget)));
  if (GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      check_text (check, "placeholder", placeholder);
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    check_menu (check, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      /* A closed popover is not seen, except the auto-reply rules, which
       * are checked open below. */
      if (GTK_IS_POPOVER (child) && !gtk_widget_get_visible (child))
        continue;
      check_widget (check, child);
    }
}

static void
assert_chinese (GtkWidget  *widget,
                const char *where,
                guint       min_checked)
{
  Check check = { where, g_ptr_array_new_with_free_func (g_free), 0 };

  check_widget (&check, widget);
  for (guint i = 0; i < check.problems->len; i++)
    g_test_message ("English left: %s", (char *) g_ptr_array_index (check.problems, i));
  g_assert_cmpuint (check.problems->len, ==, 0);
  g_assert_cmpuint (check.n_checked, >=, min_checked);
  g_ptr_array_unref (check.problems);
}

static gboolean
history_has_rx (gpointer data)
{
  SbSession *session = sb_session_page_get_session (data);
  SbCounters c;

  sb_session_get_counters (session, &c);
  return c.rx_messages > 0;
}

/* Tests */

static void
test_catalog_loaded (void)
{
  /* If these fail, the catalog was not found: SOCKBENCH_LOCALEDIR must be
   * the build's po/ and the locale must not be plain "C". */
  g_test_message ("LC_MESSAGES=%s LANGUAGE=%s SOCKBENCH_LOCALEDIR=%s",
                  setlocale (LC_MESSAGES, NULL), g_getenv ("LANGUAGE"), g_getenv ("SOCKBENCH_LOCALEDIR"));
  g_assert_cmpstr (_("_Start"), ==, "启动(_S)");
  g_assert_cmpstr (_("No Sessions"), !=, "No Sessions");
}

static void
test_encoding_descriptions (void)
{
  Check check = { "encodings", g_ptr_array_new_with_free_func (g_free), 0 };
  const SbEncodingInfo *encodings;
  guint n = 0;

  encodings = sb_codec_get_encodings (&n);
  for (guint i = 0; i < n; i++)
    if (encodings[i].description != NULL && *encodings[i].description != '\0')
      check_text (&check, encodings[i].name, _(encodings[i].description));
  for (guint i = 0; i < check.problems->len; i++)
    g_test_message ("English left: %s", (char *) g_ptr_array_index (check.problems, i));
  g_assert_cmpuint (check.problems->len, ==, 0);
  g_assert_cmpuint (check.n_checked, >, 5);
  g_ptr_array_unref (check.problems);
}

static void
test_window (void)
{
  SbWindow *window = sb_ui_test_new_window (app);
  SbSessionPage *server, *client;

  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  drain ();

  /* No sessions yet: the empty state and the main menu (given to its
   * button when it first opens: opened and closed as a user would). */
  {
    GtkWidget *menu_button = find_first (gtk_window_get_titlebar (GTK_WINDOW (window)), GTK_TYPE_MENU_BUTTON);

    gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
    drain ();
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
    drain ();
    g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)));
  }
  assert_chinese (GTK_WIDGET (window), "empty window", 4);

  /* A server and a client that exchanged a message. */
  open_tcp_pair (window, &server, &client);
  page_send_text (client, "你好");
  g_assert_true (wait_for (history_has_rx, server));
  drain ();

  assert_chinese (GTK_WIDGET (window), "client page", 40);
  show_page (window, server);
  assert_chinese (GTK_WIDGET (window), "server page", 40);

  /* The search bar and the auto-reply rules, opened. */
  gtk_widget_activate_action (GTK_WIDGET (server), "page.search", NULL);
  gtk_widget_activate_action (GTK_WIDGET (server), "page.rule-template", "s", "echo");
  {
    /* The menu buttons whose popovers or menus are made when they first
     * open (framing, auto-reply and the latter's templates). */
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();

    g_ptr_array_add (stack, server);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)) == NULL &&
            gtk_widget_get_mapped (w))
          {
            gtk_menu_button_popup (GTK_MENU_BUTTON (w));
            drain ();
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
  }
  drain ();
  assert_chinese (GTK_WIDGET (window), "server page, search and auto-reply open", 50);

  /* Every other kind of page, as it is set up. */
  {
    static const char * const uris[] = {
      "udp-listen://0.0.0.0:0", "unix:///tmp/sockbench-l10n", "unix-listen:///tmp/sockbench-l10n",
      "unixgram:///tmp/sockbench-l10n?bind=/tmp/sockbench-l10n-local", "icmp://127.0.0.1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
      {
        g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], NULL);

        g_assert_nonnull (spec);
        sb_window_open_spec (window, spec, NULL);
        drain ();
        assert_chinese (GTK_WIDGET (window), uris[i], 30);
      }
  }

  destroy_window (window);
}

static void
test_dialogs (void)
{
  SbNewSessionDialog *dialog = sb_new_session_dialog_new (NULL, NULL);
  GtkDropDown *kind = GTK_DROP_DOWN (find_first (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN));
  guint n_kinds = g_list_model_get_n_items (gtk_drop_down_get_model (kind));
  GtkWidget *prefs;

  gtk_window_present (GTK_WINDOW (dialog));
  for (guint i = 0; i < n_kinds; i++)
    {
      GtkWidget *bind_check = find_first (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);

      gtk_drop_down_set_selected (kind, i);
      drain ();
      assert_chinese (GTK_WIDGET (dialog), "New Session", 8);
      if (gtk_widget_get_mapped (bind_check))
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (bind_check), TRUE);
          drain ();
          assert_chinese (GTK_WIDGET (dialog), "New Session, bound", 8);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (bind_check), FALSE);
        }
    }
  gtk_window_destroy (GTK_WINDOW (dialog));

  prefs = GTK_WIDGET (sb_preferences_window_new (sb_application_get_settings (app)));
  gtk_window_present (GTK_WINDOW (prefs));
  drain ();
  assert_chinese (prefs, "Preferences", 10);
  gtk_window_destroy (GTK_WINDOW (prefs));
  drain ();
}

/* The checker itself: it must see English. */
static void
test_checker (void)
{
  g_autofree char *a = english_words ("Connected 已连接");
  g_autofree char *b = english_words ("正在 127.0.0.1:8080 上监听 TCP 服务器(_S) IPv6 0xff GB18030 UTF-8");
  g_autofree char *c = english_words ("[::1]:80 ff fe 12 字节 /tmp/socket net.ipv4.ping_group_range \\xNN");
  g_autofree char *d = english_words ("已连接。Connected.");

  g_assert_cmpstr (a, ==, "“Connected”");
  g_assert_null (b);
  g_assert_null (c);
  g_assert_cmpstr (d, ==, "“Connected”");
}

int
main (int    argc,
      char **argv)
{
  /* As a user of the Chinese translation starts it; LANGUAGE needs a
   * locale other than plain C, and C.UTF-8 is always there. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  sb_ui_test_init (&argc, &argv, "none");

  /* gtk_test_init() picks a locale of its own: set ours as src/main.c does. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOCKBENCH_LOCALEDIR") ? g_getenv ("SOCKBENCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  build_allowed ();
  app = sb_ui_test_new_app (NULL);

  g_test_add_func ("/l10n/checker", test_checker);
  g_test_add_func ("/l10n/catalog-loaded", test_catalog_loaded);
  g_test_add_func ("/l10n/encoding-descriptions", test_encoding_descriptions);
  g_test_add_func ("/l10n/window", test_window);
  g_test_add_func ("/l10n/dialogs", test_dialogs);

  {
    int status = g_test_run ();

    g_clear_object (&app);
    g_hash_table_unref (allowed);
    return status;
  }
}
