/* sb-session-page-private.h — what the parts of the session page share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-capture.h"
#include "sb-frames.h"
#include "sb-history-view.h"
#include "sb-peers-view.h"
#include "sb-python-export.h"
#include "sb-replay.h"
#include "sb-relay-panel.h"
#include "sb-scenario-pane.h"
#include "sb-send-panel.h"
#include "sb-session-page.h"
#include "sb-session-setup.h"
#include "sb-spec-editor.h"
#include "sb-teaching-panel.h"

G_BEGIN_DECLS

/* Window thread only. */
struct _SbSessionPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkWidget            *setup_bar;
  SbSpecEditor         *spec_editor;
  GtkButton            *start_button;
  GtkLabel             *state_label;
  GtkLabel             *error_label;
  GtkToggleButton      *record_button;
  GtkLabel             *capture_label;   /* "Saving to FILE · SIZE" while it records */
  GtkWidget            *message_bar;
  GtkLabel             *message_label;
  GtkPaned             *side_paned;
  GtkPaned             *main_paned;
  SbHistoryView        *history_view;
  GtkToggleButton      *teaching_button;
  GtkToggleButton      *scenario_button;
  GtkPaned             *scenario_paned;  /* the history above the scenario pane */
  GtkMenuButton        *framing_button;
  GtkToggleButton      *setup_toggle;    /* folds the address fields away */
  GtkToggleButton      *send_toggle;     /* folds the send area away */
  GtkWidget            *send_scroller;
  GtkPaned             *teaching_paned;
  GtkCheckButton       *reconnect_check;
  SbSendPanel          *send_panel;
  SbPeersView          *peers_view;
  GtkLabel             *counters_label;
  GtkMenuButton        *auto_reply_button;

  /* The Auto-reply popover (sb-session-page-rules.ui), made when it first
   * opens; all NULL until then. */
  GtkWidget            *auto_reply_popover;  /* owned */
  GtkListBox           *rules_list;
  GtkDropDown          *trigger_dropdown;
  GtkEntry             *pattern_entry;
  GtkEntry             *reply_entry;
  GtkDropDown          *rule_encoding_dropdown;
  GtkCheckButton       *reply_hex_check;
  GtkCheckButton       *close_after_check;
  GtkWidget            *check_filter_label;
  GtkDropDown          *check_filter_dropdown;  /* SbCheckFilter order; shown with a check */
  GtkLabel             *rule_error_label;
  GtkButton            *add_rule_button;
  GtkMenuButton        *templates_button;
  GMenuModel           *templates_menu;     /* owned */

  /* The framing chooser (sb-session-page-framing.c) */
  GtkDropDown          *framing_dropdown;
  GtkSpinButton        *fixed_spin;
  GtkEntry             *framing_entry;
  GtkLabel             *framing_error;
  GtkDropDown          *check_dropdown;
  GtkEntry             *check_entry;
  GtkLabel             *check_error;

  /* Made when first shown (start-up builds only what the first page
   * shows); NULL until then. Owned. */
  SbTeachingPanel      *teaching_panel;
  SbScenarioPane       *scenario_pane;
  gboolean              scenario_folded_send; /* showing the pane folded the send area */
  SbRelayPanel         *relay_panel;     /* with a relay kind */

  /* Owned */
  SbFrames             *frames;          /* the session's history through the setup's framer */
  SbSessionSetup       *setup;           /* what the page is; presets read it */
  SbSession            *session;
  SbCapture            *capture;         /* receive to file */
  SbReplay             *replay;          /* a recorded side played on the session, or NULL */
  char                 *title;
  GtkFileChooserNative *chooser;
  GtkWidget            *replace_dialog;  /* "clear the history?" while asked */
  GCancellable         *cancellable;     /* export */
  guint                 counters_source;
  gint64                counters_time;    /* of the last update, monotonic */
  SbCounters            rate_counters;   /* at rate_time */
  SbCounters            counters_base;   /* at "Reset counters" */
  gint64                rate_time;
  double                rx_rate;
  double                tx_rate;
  gboolean              main_positioned;
  guint                 reposition_source;
  gboolean              syncing_setup;
  gboolean              syncing_framing;
  int                   editing_rule;    /* the rule the editor saves to, or -1 */ /* the chooser and the setup agree: no echo */   /* the page writes its setup: no echo back */
};

/* sb-session-page.c */
void           _sb_session_page_update_title        (SbSessionPage       *self);
GtkWindow     *_sb_session_page_parent_window       (SbSessionPage       *self);
/* Start as the person asks it (the Start button, F5, Enter): with a new
 * address, asks first when the history holds data (issue 19, 4). The
 * public sb_session_page_start() is for callers that set the spec
 * themselves (command line, examples) and starts at once. */
void           _sb_session_page_request_start       (SbSessionPage       *self);
/* The dialog asking before a new address clears the history, or NULL. */
GtkWidget     *_sb_session_page_get_replace_dialog  (SbSessionPage       *self);
/* The counters line as shown (tests read it). */
const char    *_sb_session_page_get_counters_text   (SbSessionPage       *self);

void           _sb_session_page_notify_frames       (SbSessionPage       *self);

/* sb-session-page-framing.c: the page's frames and the framing chooser */
void           _sb_session_page_init_framing        (SbSessionPage       *self);
/* Makes the frames again when the session (and so the history) changed. */
void           _sb_session_page_update_frames       (SbSessionPage       *self);
/* The session's history through the setup's framer; NULL without a
 * session. Views show frames from it. */
SbFrames      *_sb_session_page_get_frames          (SbSessionPage       *self);

/* sb-session-page-layout.c: the teaching views in their own window */
void           _sb_session_page_init_layout         (SbSessionPage       *self);
/* Gives the send area what it needs again after the layout changed. */
void           _sb_session_page_reposition_send_area (SbSessionPage      *self);
/* The main paned's max-position changed: the send area gets what it needs. */
void           _sb_session_page_main_paned_max_position_cb (SbSessionPage *self);
GtkWidget     *_sb_session_page_get_teaching_window (SbSessionPage       *self);
/* The teaching views, made (hidden, in their place) on first use. */
SbTeachingPanel *_sb_session_page_ensure_teaching_panel (SbSessionPage   *self);

/* sb-session-page-scenario.c: the Scenario pane below the history */
void           _sb_session_page_init_scenario       (SbSessionPage       *self);
/* The Scenario pane, made (hidden, in its place) on first use. */
SbScenarioPane *_sb_session_page_ensure_scenario_pane (SbSessionPage     *self);

/* sb-session-page-setup.c: the setup bar's fields */
SbKind         _sb_session_page_current_kind        (SbSessionPage       *self);
void           _sb_session_page_fill_fields         (SbSessionPage       *self,
                                                     const SbSessionSpec *spec);
/* Reads the setup bar. Returns NULL with @error when a field is missing. */
SbSessionSpec *_sb_session_page_spec_from_fields    (SbSessionPage       *self,
                                                     GError             **error);
const char    *_sb_session_page_kind_label          (SbKind               kind);
/* A relay's panel, made (hidden, below the send panel) on first use. */
SbRelayPanel  *_sb_session_page_ensure_relay_panel  (SbSessionPage       *self);
/* Shows or hides @widget and, in a flow box, its flow box child. */
void           _sb_session_page_set_flow_visible    (GtkWidget           *widget,
                                                     gboolean             visible);
void           _sb_session_page_fields_changed_cb   (SbSessionPage       *self);

/* sb-session-page-actions.c: page.start, page.export, receive to file, … */
void           _sb_session_page_class_init_actions  (GtkWidgetClass      *widget_class);
void           _sb_session_page_record_toggled_cb   (SbSessionPage       *self);
/* Starts the capture the setup names (appending), if it is not running. */
void           _sb_session_page_resume_capture      (SbSessionPage       *self);
void           _sb_session_page_init_capture        (SbSessionPage       *self);

/* sb-session-page-rules.c: the auto-reply pane */
void           _sb_session_page_class_init_rules    (GtkWidgetClass      *widget_class);
void           _sb_session_page_init_rules          (SbSessionPage       *self);
void           _sb_session_page_rebuild_rules_list  (SbSessionPage       *self);
/* Makes the Auto-reply popover, if it is not made yet. */
void           _sb_session_page_ensure_rules_pane   (SbSessionPage       *self);
void           _sb_session_page_dispose_rules       (SbSessionPage       *self);
/* Loads rule @index into the editor; Save then replaces it. */
void           _sb_session_page_edit_rule           (SbSessionPage       *self,
                                                     guint                index);
/* Called when the session was replaced: says that the rules still answer. */
void           _sb_session_page_rules_session_replaced (SbSessionPage    *self,
                                                        gboolean          had_session);

/* sb-session-page-replay.c: the replay follows the page's session. */
void           _sb_session_page_replay_session_replaced (SbSessionPage *self);

/* sb-session-page-pcapng.c: "Save as Wireshark Capture…"
 *   page.export-pcapng      the page's session as pcapng, with a save dialog
 *   page.export-pcapng-to   (path or URI): no dialog */
void           _sb_session_page_class_init_pcapng   (GtkWidgetClass      *widget_class);

/* sb-session-page-python.c: "Export as Python…"
 *   page.export-python         this side as a python3 script, with a save dialog
 *   page.export-python-other   the other side (a client for a server, …)
 *   page.export-python-to      ("this" or "other", path or URI): no dialog
 * The script replaces the file atomically and is made executable for
 * whoever may read it. Errors show in the page's message bar. */
void           _sb_session_page_class_init_python   (GtkWidgetClass      *widget_class);

/* A file name for the script, "tcp_server_30000.py" or
 * "tcp_client_for_30000.py": the number is always the server's port (or
 * the name of its UNIX socket). Newly allocated. */
char          *_sb_session_page_python_file_name    (const SbSessionSpec *spec,
                                                     GSocketAddress      *local,
                                                     SbPythonSide         side);

/* sb-session-page-counters.c */
void          _sb_session_page_update_counters (SbSessionPage *self);

G_END_DECLS
