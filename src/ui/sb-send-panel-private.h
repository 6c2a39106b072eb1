/* sb-send-panel-private.h — what the files of SbSendPanel share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-send-panel.h"

G_BEGIN_DECLS

#define MAX_RECENT 30

typedef enum
{
  TARGET_DEFAULT,    /* all peers (servers), the only peer, the default target (UDP) */
  TARGET_SELECTED,   /* the peer selected in the peers list */
  TARGET_ADDRESS,    /* datagram: a typed address */
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

  /* Owned */
  SbSession       *session;
  SbPeer          *selected_peer;
  char            *view_encoding;
  GtkTextTag      *error_tag;
  GPtrArray       *recent;          /* char*, oldest first */
  GMenu           *recent_menu;
  GBytes          *repeat_bytes;    /* what the repeat sends */
  SbPeer          *repeat_peer;
  GSocketAddress  *repeat_address;
  GCancellable    *file_cancellable;
  GtkFileChooserNative *file_chooser;
  Target           targets[3];      /* drop-down position → target */
  int              recall_index;    /* into recent, -1 when not recalling */
  guint            repeat_source;
  guint64          repeat_done;
  guint64          repeat_total;    /* 0: until stopped */
  gint64           repeat_start;    /* monotonic µs of the first send */
  gint64           repeat_interval; /* µs */
  gint64           repeat_label_time;
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

/* sb-send-panel-recall.c */
void     _sb_send_panel_remember            (SbSendPanel     *self,
                                             const char      *text);
void     _sb_send_panel_rebuild_recent_menu (SbSendPanel     *self);
gboolean _sb_send_panel_text_key_pressed_cb (SbSendPanel           *self,
                                             guint                  keyval,
                                             guint                  keycode,
                                             GdkModifierType        state,
                                             GtkEventControllerKey *controller);
void     _sb_send_panel_recall_action       (GtkWidget       *widget,
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
