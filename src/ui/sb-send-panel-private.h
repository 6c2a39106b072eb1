/* sb-send-panel-private.h — what the files of SbSendPanel share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-repeat.h"
#include "sb-send-message.h"
#include "sb-send-panel.h"
#include "sb-send-plan.h"
#include "sb-session-setup.h"
#include "sb-template.h"

G_BEGIN_DECLS

#define MAX_RECENT 30
#define MAX_SNIPPET_KEYS 9

typedef enum
{
  TARGET_DEFAULT,    /* all peers (servers), the only peer, the default target (UDP) */
  TARGET_SELECTED,   /* the peer selected in the peers list */
  TARGET_ADDRESS,    /* datagram: a typed address */
  TARGET_LAST,       /* datagram: the last sender */
} Target;

struct _SbSendPanel
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkDropDown     *mode_dropdown;
  GtkCheckButton  *escapes_check;
  GtkDropDown     *line_end_dropdown;
  GtkDropDown     *encoding_dropdown;
  GtkWidget       *target_box;
  GtkDropDown     *target_dropdown;
  GtkEntry        *address_entry;
  GtkTextView     *text_view;
  GtkWidget       *send_button;
  GtkMenuButton   *recent_button;
  GtkLabel        *error_label;
  GtkCheckButton  *repeat_check;
  GtkSpinButton   *interval_spin;
  GtkSpinButton   *count_spin;
  GtkLabel        *repeat_label;
  GtkWidget       *file_box;
  GtkProgressBar  *file_progress;
  GtkSwitch       *templates_switch;
  GtkLabel        *preview_label;
  GtkMenuButton   *snippets_button;
  GtkListBox      *snippets_list;
  GtkEntry        *snippet_name_entry;
  GtkSpinButton   *chunk_spin;
  GtkSpinButton   *gap_spin;
  GtkSpinButton   *batch_spin;
  GtkLabel        *plan_label;
  GtkMenuButton   *modbus_button;

  /* Owned */
  SbSession       *session;
  SbPeer          *selected_peer;
  char            *view_encoding;
  GtkTextTag      *error_tag;
  SbSessionSetup  *setup;
  GPtrArray       *bindings;        /* GBinding to the setup */
  SbTemplateState *template_state;  /* the page's counters */
  GPtrArray       *recent;          /* SbSendMessage*, oldest first */
  GPtrArray       *snippets;        /* SbSendMessage* */
  GMenu           *recent_menu;
  /* The running repeat (on the session's engine), until the panel took its
   * end. While it is set the template state is the repeat's: the panel
   * neither expands nor previews with it. */
  SbRepeat        *repeat;
  GCancellable    *file_cancellable;
  SbSendPlan      *plan;            /* split or joined writes, or NULL */
  GtkFileChooserNative *file_chooser;
  Target           targets[4];      /* drop-down position → target */
  int              recall_index;    /* into recent, -1 when not recalling */
  guint64          repeat_done;     /* shown when no repeat runs */
  guint64          repeat_total;    /* 0: until stopped */
  gboolean         syncing;         /* writing the setup from the panel */
  gboolean         typing_target;   /* the address entry holds a typed address */
  char            *address_text;    /* what was typed there */
};

/* sb-send-panel.c */
void     _sb_send_panel_show_error          (SbSendPanel     *self,
                                             const char      *message);
void     _sb_send_panel_clear_error         (SbSendPanel     *self);
/* Resolves the target widgets to a peer or an address. */
gboolean _sb_send_panel_resolve_target      (SbSendPanel     *self,
                                             SbPeer         **peer,
                                             GSocketAddress **address,
                                             GError         **error);
void     _sb_send_panel_update_sensitivity  (SbSendPanel     *self);

/* sb-send-panel-target.c */
Target   _sb_send_panel_current_target      (SbSendPanel     *self);
void     _sb_send_panel_update_target_entry (SbSendPanel     *self);
void     _sb_send_panel_rebuild_targets     (SbSendPanel     *self);
void     _sb_send_panel_target_selected_cb  (SbSendPanel     *self);
void     _sb_send_panel_address_changed_cb  (SbSendPanel     *self);

/* sb-send-panel-setup.c */
void     _sb_send_panel_encoding_selected_cb (SbSendPanel    *self);
void     _sb_send_panel_update_preview      (SbSendPanel     *self);

/* sb-send-panel-recall.c */
/* Adds @message (the editor's, as sent) to the recent sends. */
void     _sb_send_panel_remember            (SbSendPanel     *self,
                                             const SbSendMessage *message);
/* The editor's message; newly allocated. */
SbSendMessage *_sb_send_panel_dup_message   (SbSendPanel     *self);
/* Fills the editor and its options from @message. */
void     _sb_send_panel_load_message        (SbSendPanel     *self,
                                             const SbSendMessage *message);
/* Builds and sends @message to the current target; errors show. */
gboolean _sb_send_panel_send_message        (SbSendPanel     *self,
                                             const SbSendMessage *message,
                                             gboolean         from_editor);
/* Writes the recent sends and the snippets into the setup. */
void     _sb_send_panel_store_lists         (SbSendPanel     *self);
/* Reads them back from the setup. */
void     _sb_send_panel_load_lists          (SbSendPanel     *self);
void     _sb_send_panel_rebuild_recent_menu (SbSendPanel     *self);
gboolean _sb_send_panel_text_key_pressed_cb (SbSendPanel           *self,
                                             guint                  keyval,
                                             guint                  keycode,
                                             GdkModifierType        state,
                                             GtkEventControllerKey *controller);
void     _sb_send_panel_recall_action       (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);

/* sb-send-panel-snippets.c */
void     _sb_send_panel_rebuild_snippets    (SbSendPanel     *self);
void     _sb_send_panel_save_snippet_action (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);
void     _sb_send_panel_send_snippet_action (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);
void     _sb_send_panel_remove_snippet_action (GtkWidget     *widget,
                                               const char    *action_name,
                                               GVariant      *param);

/* sb-send-panel-plan.c */
/* TRUE when the Advanced options cut or join writes. */
gboolean _sb_send_panel_plan_active         (SbSendPanel     *self);
/* TRUE when the Advanced options are on; their values for a repeat. */
gboolean _sb_send_panel_plan_options        (SbSendPanel     *self,
                                             gsize           *chunk_size,
                                             guint           *gap_ms,
                                             guint           *batch);
/* TRUE while the panel's plan has something not yet written. */
gboolean _sb_send_panel_plan_busy           (SbSendPanel     *self);
/* The plan's progress, or the running repeat's plan. */
void     _sb_send_panel_update_plan_label   (SbSendPanel     *self);
/* Writes @bytes through the panel's send plan. */
gboolean _sb_send_panel_plan_write          (SbSendPanel     *self,
                                             SbPeer          *peer,
                                             GSocketAddress  *address,
                                             GBytes          *bytes,
                                             GError         **error);
/* Drops the plan and what it holds (a new session, the panel going away). */
void     _sb_send_panel_plan_reset          (SbSendPanel     *self);
void     _sb_send_panel_flush_action        (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);

/* sb-send-panel-snippets.c: Modbus request templates */
GMenuModel *_sb_send_panel_modbus_menu_new  (void);
void     _sb_send_panel_modbus_action       (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);

/* sb-send-panel-file.c */
void     _sb_send_panel_send_file_action    (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);
void     _sb_send_panel_cancel_file_action  (GtkWidget       *widget,
                                             const char      *action_name,
                                             GVariant        *param);

G_END_DECLS
