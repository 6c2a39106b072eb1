/* sb-send-message.c — one message of the send panel: its text and how it is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-send-message.h"

#define N_LINE_ENDS 4

SbSendMessage *
sb_send_message_new (void)
{
  SbSendMessage *message = g_new0 (SbSendMessage, 1);

  message->name = g_strdup ("");
  message->text = g_strdup ("");
  message->encoding = g_strdup ("");
  return message;
}

SbSendMessage *
sb_send_message_copy (const SbSendMessage *message)
{
  SbSendMessage *copy = g_new0 (SbSendMessage, 1);

  *copy = *message;
  copy->name = g_strdup (message->name);
  copy->text = g_strdup (message->text);
  copy->encoding = g_strdup (message->encoding);
  return copy;
}

void
sb_send_message_free (SbSendMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->name);
  g_free (message->text);
  g_free (message->encoding);
  g_free (message);
}

SbSendMessage *
sb_send_message_parse (const char *line)
{
  g_autoptr(SbSendMessage) message = sb_send_message_new ();
  g_auto(GStrv) parts = g_strsplit (line ? line : "", ";", 6);

  if (g_strv_length (parts) == 6 &&
      (g_str_equal (parts[0], "text") || g_str_equal (parts[0], "hex")) &&
      (g_str_equal (parts[1], "0") || g_str_equal (parts[1], "1")) &&
      strlen (parts[2]) == 1 && parts[2][0] >= '0' && parts[2][0] < '0' + N_LINE_ENDS)
    {
      message->hex = g_str_equal (parts[0], "hex");
      message->escapes = parts[1][0] == '1';
      message->line_end = parts[2][0] - '0';
      g_free (message->encoding);
      message->encoding = g_strdup (parts[3]);
      g_free (message->name);
      message->name = g_strdup (parts[4]);
      g_free (message->text);
      message->text = g_strdup (parts[5]);
    }
  else
    {
      g_free (message->text);
      message->text = g_strdup (line ? line : "");
    }
  return g_steal_pointer (&message);
}

char *
sb_send_message_to_string (const SbSendMessage *message)
{
  g_autofree char *name = g_strdup (message->name);

  g_strdelimit (name, ";", ',');
  return g_strdup_printf ("%s;%d;%u;%s;%s;%s",
                          message->hex ? "hex" : "text",
                          message->escapes ? 1 : 0,
                          MIN (message->line_end, N_LINE_ENDS - 1),
                          message->encoding, name, message->text);
}

gboolean
sb_send_message_equal (const SbSendMessage *a,
                       const SbSendMessage *b)
{
  return g_str_equal (a->text, b->text) &&
         !a->hex == !b->hex &&
         (a->hex || (!a->escapes == !b->escapes &&
                     a->line_end == b->line_end &&
                     g_str_equal (a->encoding, b->encoding)));
}

char *
sb_send_message_dup_label (const SbSendMessage *message,
                           guint                max_chars)
{
  GString *label = g_string_new (NULL);
  guint n = 0;

  if (message->hex)
    /* Translators: before a hex message in the recent sends menu */
    g_string_append (label, _("Hex: "));
  for (const char *p = message->text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (label, "…");
          break;
        }
      if (c == '\n')
        g_string_append (label, "⏎");
      else if (c == '\r')
        continue;
      else if (c == '\t')
        g_string_append (label, "→");
      else if (g_unichar_iscntrl (c))
        g_string_append_unichar (label, 0x2400 + (c < 0x20 ? c : 0x21));
      else
        g_string_append_unichar (label, c);
      n++;
    }
  return g_string_free (label, FALSE);
}
