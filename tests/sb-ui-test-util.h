/* sb-ui-test-util.h — what the GTK tests share: bounded waits on the main
 * loop, widgets found in a tree, and session pages on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-application.h"
#include "sb-session-page.h"
#include "sb-window.h"

G_BEGIN_DECLS

/* Every wait is bounded; a wait that runs out returns FALSE. */
#define SB_UI_TEST_WAIT_SECONDS 10

typedef gboolean (*SbUiTestCondition) (gpointer data);

/* gtk_test_init() with GTK_A11Y=@gtk_a11y and, unless one is set, a
 * session bus address that leads nowhere: no bus is ever started. Loads
 * the application's stylesheet for the display, as its start-up does. */
void           sb_ui_test_init  (int               *argc,
                                 char            ***argv,
                                 const char        *gtk_a11y);
/* A registered, non-unique application; with @presets_dir, its presets
 * live there. */
SbApplication *sb_ui_test_new_app (const char      *presets_dir);
/* Returns a new window of @app, with its settings and presets folder. */
SbWindow      *sb_ui_test_new_window (SbApplication *app);

/* A timeout callback that only wakes the main loop up. */
gboolean       sb_ui_test_tick  (gpointer           data);

/* Iterates the main context until @cond holds or SB_UI_TEST_WAIT_SECONDS
 * have passed; TRUE if it holds. Never sleeps. */
gboolean       wait_for         (SbUiTestCondition  cond,
                                 gpointer           data);
/* Drops the caller's reference to @object and waits until it is finalized
 * (what a destroyed window still had scheduled lets go of it as it runs). */
void           unref_and_wait_finalized (gpointer   object);
/* Dispatches what is pending, without blocking. */
void           drain            (void);

/* Takes a reference on @window (the toplevel list owns it; the test keeps
 * one for g_assert_finalize_object()), presents it and drains; returns it. */
gpointer       present_and_keep (gpointer           window);

/* @widget itself or its first descendant (depth first) of @type, or NULL. */
GtkWidget     *find_first       (GtkWidget         *widget,
                                 GType              type);
/* The first toplevel window of @type, or NULL (borrowed). */
GtkWindow     *find_toplevel    (GType              type);
/* Adds to @out the texts of the visible, mapped labels with @css_class under
 * @widget (itself included), and with @with_inscriptions those of
 * inscriptions (history cells) too. The texts are borrowed. */
void           collect_labels   (GtkWidget         *widget,
                                 const char        *css_class,
                                 gboolean           with_inscriptions,
                                 GPtrArray         *out);

/* A new window of @width × @height holding @page, presented. */
GtkWidget     *show_in_window   (SbSessionPage     *page,
                                 int                width,
                                 int                height);
/* Waits (asserting) until @page's session is in @state; LISTENING also
 * waits for its local address. */
void           wait_state       (SbSessionPage     *page,
                                 SbSessionState     state);
/* Conditions on a page: its session is listening or connected; its
 * session has exactly one peer. */
gboolean       page_running     (gpointer           page);
gboolean       has_one_peer     (gpointer           page);
/* "tcp://127.0.0.1:PORT" for the port @server listens on. */
char          *client_uri_for   (SbSessionPage     *server);
/* Sends @text from the first send panel of @page (asserting it went). */
void           page_send_text   (SbSessionPage     *page,
                                 const char        *text);

/* Opens a TCP server page and a client page to it in @window, and waits
 * until both run and the server has the client as its peer. */
void           open_tcp_pair    (SbWindow          *window,
                                 SbSessionPage    **server_out,
                                 SbSessionPage    **client_out);
/* Selects @page's tab in @window. */
void           show_page        (SbWindow          *window,
                                 SbSessionPage     *page);
/* Destroys @window and checks that the last reference went with it. */
void           destroy_window   (SbWindow          *window);

G_END_DECLS
