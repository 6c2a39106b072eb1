/* sb-framer-json.c — JSON values and JSON lines, by their structure only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No bytes are kept: a depth, a bit per level for the first 64 levels (to
 * find a "]" closing a "{"), and whether we are in a string.
 */
#define G_LOG_DOMAIN "sb-framer"

#include "config.h"

#include "sb-framer-state-private.h"

static inline gboolean
json_space (guint8 b)
{
  return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static JsonStep
json_step (JsonScan *s,
           guint8    b,
           gint64    offset)
{
  if (!s->active)
    {
      if (json_space (b))
        return JSON_SEPARATOR;

      s->in_string = s->escape = FALSE;
      s->scalar = SCAN_NONE;
      s->depth = 0;
      s->stack = 0;
      switch (b)
        {
        case '{':
        case '[':
          s->depth = 1;
          s->stack = b == '{' ? 1 : 0;
          s->kind = b == '{' ? SB_JSON_KIND_OBJECT : SB_JSON_KIND_ARRAY;
          break;
        case '"':
          s->in_string = TRUE;
          s->kind = SB_JSON_KIND_STRING;
          break;
        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          s->scalar = SCAN_NUMBER;
          s->kind = SB_JSON_KIND_NUMBER;
          break;
        case 't':
        case 'f':
        case 'n':
          s->scalar = SCAN_LITERAL;
          s->literal = b == 't' ? "true" : b == 'f' ? "false" : "null";
          s->literal_pos = 1;
          s->kind = SB_JSON_KIND_LITERAL;
          break;
        default:
          return JSON_GARBAGE;
        }
      s->active = TRUE;
      return JSON_START;
    }

  if (s->in_string)
    {
      if (s->escape)
        s->escape = FALSE;
      else if (b == '\\')
        s->escape = TRUE;
      else if (b == '"')
        {
          s->in_string = FALSE;
          if (s->depth == 0)
            {
              s->active = FALSE;
              return JSON_END_AFTER;
            }
        }
      else if (b < 0x20 && s->bad < 0)
        s->bad = offset;
      return JSON_CONTINUE;
    }

  if (s->scalar == SCAN_NUMBER)
    {
      if (g_ascii_isdigit (b) || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-')
        return JSON_CONTINUE;
      s->active = FALSE;
      return JSON_END_BEFORE;
    }

  if (s->scalar == SCAN_LITERAL)
    {
      if (b == (guint8) s->literal[s->literal_pos])
        {
          if (s->literal[++s->literal_pos] == '\0')
            {
              s->active = FALSE;
              return JSON_END_AFTER;
            }
          return JSON_CONTINUE;
        }
      if (s->bad < 0)
        s->bad = offset;
      s->active = FALSE;
      return JSON_END_BEFORE;
    }

  switch (b)
    {
    case '"':
      s->in_string = TRUE;
      break;
    case '{':
    case '[':
      if (s->depth < 64)
        {
          if (b == '{')
            s->stack |= G_GUINT64_CONSTANT (1) << s->depth;
          else
            s->stack &= ~(G_GUINT64_CONSTANT (1) << s->depth);
        }
      if (s->depth < G_MAXUINT)
        s->depth++;
      break;
    case '}':
    case ']':
      if (s->depth <= 64 &&
          ((s->stack >> (s->depth - 1)) & 1) != (b == '}') && s->bad < 0)
        s->bad = offset;
      if (--s->depth == 0)
        {
          s->active = FALSE;
          return JSON_END_AFTER;
        }
      break;
    default:
      break;
    }
  return JSON_CONTINUE;
}

void
sb_framer_json_end (SbFramerState *self,
                    SbFramerOut   *out,
                    guint64        position)
{
  if (self->json.bad >= 0)
    sb_framer_mark_end (self, out, position, SB_FRAME_INVALID, SB_FRAME_REASON_BAD_JSON, (guint64) self->json.bad);
  else
    sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_JSON, self->json.kind);
}

void
sb_framer_feed_json (SbFramerState *self,
                     const guint8  *data,
                     gsize          len,
                     SbFramerOut   *out)
{
  for (gsize i = 0; i < len; i++)
    {
      guint64 position = self->pos + i;
      gint64 offset = self->in_frame ? (gint64) (position - self->frame_start) : 0;

      if (!self->in_frame && self->continuing)
        sb_framer_mark_begin (self, out, position);

      switch (json_step (&self->json, data[i], offset))
        {
        case JSON_SEPARATOR:
          break;
        case JSON_GARBAGE:
          self->skipped++;
          break;
        case JSON_START:
          self->json.bad = -1;
          sb_framer_mark_begin (self, out, position);
          break;
        case JSON_CONTINUE:
          break;
        case JSON_END_AFTER:
          sb_framer_json_end (self, out, position + 1);
          break;
        case JSON_END_BEFORE:
          sb_framer_json_end (self, out, position);
          i--;  /* the byte after a number starts what follows */
          continue;
        default:
          g_assert_not_reached ();
        }

      if (self->in_frame && at_limit (self, position + 1))
        sb_framer_mark_cut (self, out, position + 1);
    }
  self->pos += len;
}

static void
json_line_end (SbFramerState *self,
               SbFramerOut   *out,
               guint64        position)
{
  JsonScan *s = &self->json;
  gboolean ok;

  if (s->active && s->scalar == SCAN_NUMBER)
    {
      self->values++;
      s->active = FALSE;
    }
  ok = !s->active && self->values == 1 && s->bad < 0;
  sb_framer_mark_end (self, out, position, ok ? SB_FRAME_COMPLETE : SB_FRAME_INVALID,
       SB_FRAME_REASON_JSON_LINE, self->values);
  s->active = FALSE;
}

void
sb_framer_feed_json_lines (SbFramerState *self,
                           const guint8  *data,
                           gsize          len,
                           SbFramerOut   *out)
{
  JsonScan *s = &self->json;

  for (gsize i = 0; i < len; i++)
    {
      guint64 position = self->pos + i;
      guint8 b = data[i];
      gint64 offset;

      if (!self->in_frame)
        {
          if (json_space (b) && !self->continuing)
            continue;  /* blank lines */
          if (!self->continuing)
            {
              s->active = FALSE;
              s->bad = -1;
              self->values = 0;
            }
          sb_framer_mark_begin (self, out, position);
        }

      if (b == '\n')
        {
          json_line_end (self, out, position + 1);
          continue;
        }

      offset = (gint64) (position - self->frame_start);
      switch (json_step (s, b, offset))
        {
        case JSON_GARBAGE:
          if (s->bad < 0)
            s->bad = offset;
          break;
        case JSON_END_AFTER:
          self->values++;
          break;
        case JSON_END_BEFORE:
          self->values++;
          if (json_step (s, b, offset) == JSON_GARBAGE && s->bad < 0)
            s->bad = offset;
          break;
        case JSON_SEPARATOR:
        case JSON_START:
        case JSON_CONTINUE:
        default:
          break;
        }

      if (at_limit (self, position + 1))
        sb_framer_mark_cut (self, out, position + 1);
    }
  self->pos += len;
}

