/* sb-send-message.h — one message of the send panel: its text and how it is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What the send panel sent or saved: the text as typed and every option
 * that turned it into bytes, so a recall or a snippet sends the same bytes.
 * Stored in a setup's "send-recent" and "snippets" as one line:
 *
 *   MODE;ESCAPES;LINE_END;ENCODING;NAME;TEXT
 *
 * MODE is "text" or "hex", ESCAPES 0 or 1, LINE_END 0–3 (none, LF, CRLF,
 * CR), ENCODING empty for "same as view", NAME empty for recent sends (a
 * ';' in a name is stored as ','), and TEXT the rest of the line as typed.
 * A line in another form (recent sends saved by earlier versions) is a text
 * with default options.
 */
typedef struct
{
  char     *name;       /* never NULL */
  char     *text;       /* never NULL */
  gboolean  hex;
  gboolean  escapes;
  guint     line_end;
  char     *encoding;   /* never NULL; "" : the view's */
} SbSendMessage;

SbSendMessage *sb_send_message_new       (void);
SbSendMessage *sb_send_message_copy      (const SbSendMessage *message);
void           sb_send_message_free      (SbSendMessage       *message);
SbSendMessage *sb_send_message_parse     (const char          *line);
char          *sb_send_message_to_string (const SbSendMessage *message);
gboolean       sb_send_message_equal     (const SbSendMessage *a,
                                          const SbSendMessage *b);
/* A one-line label of at most @max_chars characters: the text as typed,
 * with line breaks and tabs shown as ⏎ and →, and "Hex: " before hex. */
char          *sb_send_message_dup_label (const SbSendMessage *message,
                                          guint                max_chars);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSendMessage, sb_send_message_free)

G_END_DECLS
