/* sb-python-export-template.c — template replies as Python that computes them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reply that changes per message becomes a function reply_N(data, match)
 * whose list holds one entry per item of the parsed template, in order:
 * bytes made at once (literals, counters, times, captures) and tuples for
 * lengths and checksums, which build() writes in the order the engine does
 * (sb-template-expand.c): text lengths, then binary lengths, then each
 * checksum once nothing it covers is still to be written. Counters live in
 * SEQ, one per id as in the engine's state, stepped once per message.
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-python-export-private.h"
#include "sb-template-private.h"

static const char helpers[] =
  "class TemplateError(Exception):\n"
  "    pass\n"
  "\n"
  "\n"
  "SEQ = {}\n"
  "\n"
  "\n"
  "def seq_value(seqs, ident, start, step):\n"
  "    if ident not in seqs:\n"
  "        seqs[ident] = (SEQ.get(ident, start), step)\n"
  "    return seqs[ident][0]\n"
  "\n"
  "\n"
  "def seq_commit(seqs):\n"
  "    for ident, (value, step) in seqs.items():\n"
  "        value = (value + step) & 0xFFFFFFFFFFFFFFFF\n"
  "        SEQ[ident] = value - (1 << 64) if value >> 63 else value\n"
  "\n"
  "\n"
  "def number(value, kind, digits, size, order, codec):\n"
  "    if kind == \"bin\":\n"
  "        return (value & ((1 << (8 * size)) - 1)).to_bytes(size, order)\n"
  "    if kind == \"hex\":\n"
  "        text = \"%0*x\" % (digits, value & 0xFFFFFFFFFFFFFFFF)\n"
  "    elif kind == \"HEX\":\n"
  "        text = \"%0*X\" % (digits, value & 0xFFFFFFFFFFFFFFFF)\n"
  "    else:\n"
  "        text = \"%0*d\" % (digits, value)\n"
  "    return text.encode(codec)\n"
  "\n"
  "\n"
  "def reflect(value, width):\n"
  "    result = 0\n"
  "    for _ in range(width):\n"
  "        result = (result << 1) | (value & 1)\n"
  "        value >>= 1\n"
  "    return result\n"
  "\n"
  "\n"
  "def crc(data, width, poly, init, refin, refout, xorout):\n"
  "    top = 1 << (width - 1)\n"
  "    mask = (1 << width) - 1\n"
  "    register = init\n"
  "    for byte in data:\n"
  "        if refin:\n"
  "            byte = reflect(byte, 8)\n"
  "        for bit in range(7, -1, -1):\n"
  "            feedback = bool(register & top) != bool((byte >> bit) & 1)\n"
  "            register = (register << 1) & mask\n"
  "            if feedback:\n"
  "                register ^= poly\n"
  "    if refout:\n"
  "        register = reflect(register, width)\n"
  "    return (register ^ xorout) & mask\n"
  "\n"
  "\n"
  "def checksum(kind, data):\n"
  "    if kind[0] == \"crc\":\n"
  "        return crc(data, *kind[1:])\n"
  "    total = 0\n"
  "    for byte in data:\n"
  "        total = total ^ byte if kind[0] == \"xor8\" else (total + byte) & 0xFF\n"
  "    if kind[0] == \"lrc\":\n"
  "        return (0x100 - total) & 0xFF\n"
  "    return total\n"
  "\n"
  "\n"
  "def rx_slice(data, first, last):\n"
  "    n = len(data)\n"
  "    start = n + first if first < 0 else first\n"
  "    end = n + last if last < 0 else last\n"
  "    if start < 0 or end >= n or start > end + 1:\n"
  "        raise TemplateError(\"the received message has %d bytes\" % n)\n"
  "    return bytes(data[start:end + 1])\n"
  "\n"
  "\n"
  "def rx_group(match, group, codec):\n"
  "    return (match.group(group) or \"\").encode(codec)\n"
  "\n"
  "\n"
  "def iso_time():\n"
  "    now = datetime.datetime.now().astimezone()\n"
  "    text = now.strftime(\"%Y-%m-%dT%H:%M:%S\")\n"
  "    if now.microsecond:\n"
  "        text += \".%06d\" % now.microsecond\n"
  "    offset = now.strftime(\"%z\")\n"
  "    return text + (\"Z\" if offset == \"+0000\" else offset[:3] + \":\" + offset[3:])\n"
  "\n"
  "\n"
  "def build(parts):\n"
  "    n = len(parts)\n"
  "    parts = list(parts)\n"
  "    sizes = []\n"
  "    for part in parts:\n"
  "        if isinstance(part, bytes):\n"
  "            sizes.append(len(part))\n"
  "        elif part[0] == \"len\":\n"
  "            sizes.append(part[5] if part[3] == \"bin\" else 0)\n"
  "        else:\n"
  "            sizes.append(len((\"00\" * part[4]).encode(part[8])) if part[6] else part[4])\n"
  "    offsets = [0]\n"
  "    for size in sizes:\n"
  "        offsets.append(offsets[-1] + size)\n"
  "    for i, part in enumerate(parts):\n"
  "        if not isinstance(part, bytes) and part[0] == \"len\" and part[3] != \"bin\":\n"
  "            parts[i] = number(offsets[part[2]] - offsets[part[1] + 1], *part[3:])\n"
  "            sizes[i] = len(parts[i])\n"
  "    offsets = [0]\n"
  "    for size in sizes:\n"
  "        offsets.append(offsets[-1] + size)\n"
  "    total = offsets[n]\n"
  "    message = bytearray(total)\n"
  "    for i, part in enumerate(parts):\n"
  "        if isinstance(part, bytes):\n"
  "            message[offsets[i]:offsets[i] + len(part)] = part\n"
  "\n"
  "    def region(part):\n"
  "        start = 0 if part[1] < 0 else offsets[part[1]]\n"
  "        end = total if part[2] >= n else offsets[part[2]]\n"
  "        return start, end\n"
  "\n"
  "    for i, part in enumerate(parts):\n"
  "        if not isinstance(part, bytes) and part[0] == \"len\":\n"
  "            start, end = region(part)\n"
  "            if part[5] < 8 and (end - start) >> (8 * part[5]):\n"
  "                raise TemplateError(\"the region is %d bytes, too long for u%d\" % (end - start, 8 * part[5]))\n"
  "            message[offsets[i]:offsets[i] + part[5]] = (end - start).to_bytes(part[5], part[6])\n"
  "    unwritten = set(i for i, part in enumerate(parts) if not isinstance(part, bytes) and part[0] == \"sum\")\n"
  "    pending = sorted(unwritten)\n"
  "    while pending:\n"
  "        kept = []\n"
  "        for i in pending:\n"
  "            part = parts[i]\n"
  "            if any(j in unwritten for j in range(part[1] + 1, part[2])):\n"
  "                kept.append(i)\n"
  "                continue\n"
  "            start, end = region(part)\n"
  "            value = checksum(part[3], message[start:end]).to_bytes(part[4], part[5])\n"
  "            if part[6]:\n"
  "                value = \"\".join((\"%02X\" if part[7] else \"%02x\") % b for b in value).encode(part[8])\n"
  "            message[offsets[i]:offsets[i] + len(value)] = value\n"
  "            unwritten.discard(i)\n"
  "        if len(kept) == len(pending):\n"
  "            raise TemplateError(\"checksums that cover each other cannot be computed\")\n"
  "        pending = kept\n"
  "    return bytes(message)\n";

gboolean
_sb_py_rules_have_templates (SbAutoReply *rules)
{
  if (rules == NULL || !sb_auto_reply_get_templates (rules))
    return FALSE;

  for (guint i = 0; i < sb_auto_reply_get_n_rules (rules); i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (rules, i);
      g_autoptr(SbTemplate) tmpl = NULL;

      if (rule->trigger == SB_TRIGGER_ECHO)
        continue;
      tmpl = sb_template_parse (rule->reply, rule->reply_hex ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                                rule->encoding, NULL, NULL);
      if (tmpl != NULL && !sb_template_is_constant (tmpl))
        return TRUE;
    }
  return FALSE;
}

void
_sb_py_emit_template_helpers (Emitter *e)
{
  _sb_py_blank (e);
  _sb_py_blank (e);
  _sb_py_comment (e, _("Template replies: the same computation as Sockbench’s templates (counters, lengths, checksums), done as each reply is sent."));
  g_string_append (e->out, helpers);
}

static const char *
order_name (SbByteOrder order)
{
  return order == SB_BYTE_ORDER_LITTLE ? "\"little\"" : "\"big\"";
}

static void
append_format (GString         *out,
               const NumFormat *num,
               const char      *codec)
{
  static const char * const kinds[] = { "\"dec\"", "\"hex\"", "\"HEX\"", "\"bin\"" };

  g_string_append_printf (out, "%s, %u, %u, %s, \"%s\"",
                          kinds[num->kind], num->digits, num->size, order_name (num->order), codec);
}

/* GLib's date format and Python's strftime() agree on these. */
static gboolean
time_format_ok (const char *format)
{
  for (const char *p = format; *p != '\0'; p++)
    if (*p == '%')
      {
        p++;
        if (*p == '\0' || strchr ("aAbBdHIjmMpSyYz%", *p) == NULL)
          return FALSE;
      }
  return TRUE;
}

/* FALSE for PCRE syntax Python's re module lacks or reads otherwise. */
static gboolean
regex_ok (const char *pattern)
{
  for (const char *p = pattern; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          if (p[1] == '\0')
            return FALSE;
          if (strchr ("pPXKRQEGgNhHVvco", p[1]) != NULL ||
              (p[1] == 'x' && p[2] == '{'))
            return FALSE;
          p++;
          continue;
        }
      if (p[0] == '[' && p[1] == ':')
        return FALSE;
      if (p[0] == '(' && p[1] == '*')
        return FALSE;
      if (p[0] == '(' && p[1] == '?')
        {
          const char *q = p + 2;

          if (strchr ("|R&C'+-0123456789", *q) != NULL && *q != '\0')
            return FALSE;
          if (q[0] == 'P' && q[1] == '>')
            return FALSE;
          if (q[0] == '<' && q[1] != '=' && q[1] != '!')
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
refuse (guint        index,
        const Item  *item,
        GError     **error)
{
  g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
               _("Rule %u: the Python export cannot write “%s” of its reply"),
               index + 1, item->source);
  return FALSE;
}

static gboolean
append_checksum_kind (GString          *out,
                      const SbChecksum *checksum)
{
  SbCrcParams p;
  const char *name = sb_checksum_get_name (checksum);

  if (sb_checksum_get_crc_params (checksum, &p))
    {
      g_string_append_printf (out, "(\"crc\", %u, 0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x, %s, %s, 0x%" G_GINT64_MODIFIER "x)",
                              p.width, p.poly, p.init, p.refin ? "True" : "False",
                              p.refout ? "True" : "False", p.xorout);
      return TRUE;
    }
  if (g_str_equal (name, "sum8") || g_str_equal (name, "xor8") || g_str_equal (name, "lrc"))
    {
      g_string_append_printf (out, "(\"%s\",)", name);
      return TRUE;
    }
  return FALSE;
}

gboolean
_sb_py_emit_template_reply (Emitter                *e,
                            const SbAutoReplyRule  *rule,
                            SbTemplate             *tmpl,
                            guint                   index,
                            GError                **error)
{
  const char *codec = NULL;
  GRegex *regex = NULL;
  gint n_groups = -1;

  if (!_sb_py_codec (tmpl->encoding, &codec, error))
    return FALSE;
  if (codec == NULL)
    codec = "utf-8";

  if (rule->trigger == SB_TRIGGER_REGEX)
    {
      regex = g_regex_new (rule->pattern, 0, 0, NULL);
      if (regex != NULL)
        n_groups = g_regex_get_capture_count (regex);
      g_clear_pointer (&regex, g_regex_unref);
    }

  /* Check every item first: nothing half-written. */
  for (guint i = 0; i < tmpl->items->len; i++)
    {
      const Item *item = &g_array_index (tmpl->items, Item, i);

      switch (item->kind)
        {
        case ITEM_FILE:
          return refuse (index, item, error);
        case ITEM_TIME:
          if (item->arg != NULL && !time_format_ok (item->arg))
            return refuse (index, item, error);
          break;
        case ITEM_RX:
          if (rule->trigger == SB_TRIGGER_ON_CONNECT)
            return refuse (index, item, error);
          break;
        case ITEM_RX_GROUP:
          if (rule->trigger != SB_TRIGGER_REGEX || item->a > n_groups)
            return refuse (index, item, error);
          if (!regex_ok (rule->pattern))
            {
              g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                           _("Rule %u: Python’s re module cannot read the regular expression “%s”"),
                           index + 1, rule->pattern);
              return FALSE;
            }
          break;
        case ITEM_CHECKSUM:
          {
            GString *probe = g_string_new (NULL);
            gboolean known = append_checksum_kind (probe, item->checksum);

            g_string_free (probe, TRUE);
            if (!known)
              return refuse (index, item, error);
          }
          break;
        default:
          break;
        }
    }

  _sb_py_blank (e);
  _sb_py_blank (e);
  _sb_py_commentf (e, _("Rule %u: the reply, made from its template for each message."), index + 1);
  _sb_py_linef (e, "def reply_%u(data, match):", index + 1);
  e->indent++;
  _sb_py_line (e, "seqs = {}");
  _sb_py_line (e, "message = build([");
  e->indent++;
  for (guint i = 0; i < tmpl->items->len; i++)
    {
      const Item *item = &g_array_index (tmpl->items, Item, i);
      GString *out = e->out;

      _sb_py_start_line (e);
      switch (item->kind)
        {
        case ITEM_LITERAL:
          _sb_py_append_bytes (out, g_bytes_get_data (item->literal, NULL), g_bytes_get_size (item->literal));
          break;
        case ITEM_SEQ:
          g_string_append (out, "number(seq_value(seqs, ");
          _sb_py_append_str (out, item->arg != NULL ? item->arg : "");
          g_string_append_printf (out, ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "), ", item->a, item->b);
          append_format (out, &item->num, codec);
          g_string_append_c (out, ')');
          break;
        case ITEM_TIME:
          if (item->arg == NULL)
            g_string_append_printf (out, "iso_time().encode(\"%s\")", codec);
          else
            {
              g_string_append (out, "time.strftime(");
              _sb_py_append_str (out, item->arg);
              g_string_append_printf (out, ").encode(\"%s\")", codec);
            }
          break;
        case ITEM_UNIX:
          g_string_append (out, item->flag ? "number(int(time.time() * 1000), " : "number(int(time.time()), ");
          append_format (out, &item->num, codec);
          g_string_append_c (out, ')');
          break;
        case ITEM_RANDOM:
          g_string_append_printf (out, "number(random.randint(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "), ",
                                  item->a, item->b);
          append_format (out, &item->num, codec);
          g_string_append_c (out, ')');
          break;
        case ITEM_UUID:
          if (item->flag)
            g_string_append (out, "uuid.uuid4().bytes");
          else
            g_string_append_printf (out, "str(uuid.uuid4()).encode(\"%s\")", codec);
          break;
        case ITEM_BEGIN:
        case ITEM_END:
          g_string_append (out, "b\"\"");
          break;
        case ITEM_LEN:
          g_string_append_printf (out, "(\"len\", %d, %d, ", item->first, item->last);
          append_format (out, &item->num, codec);
          g_string_append_c (out, ')');
          break;
        case ITEM_RX:
          if (item->flag)
            g_string_append_printf (out, "rx_slice(data, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                                    item->a, item->b);
          else
            g_string_append (out, "bytes(data)");
          break;
        case ITEM_RX_GROUP:
          g_string_append_printf (out, "rx_group(match, %" G_GINT64_FORMAT ", \"%s\")", item->a, codec);
          break;
        case ITEM_CHECKSUM:
          g_string_append_printf (out, "(\"sum\", %d, %d, ", item->first, item->last);
          append_checksum_kind (out, item->checksum);
          g_string_append_printf (out, ", %u, %s, %s, %s, \"%s\")",
                                  sb_checksum_get_size (item->checksum), order_name (item->order),
                                  item->flag ? "True" : "False", item->upper ? "True" : "False", codec);
          break;
        case ITEM_FILE:
        default:
          g_assert_not_reached ();
        }
      g_string_append (out, ",\n");
    }
  e->indent--;
  _sb_py_line (e, "])");
  _sb_py_line (e, "seq_commit(seqs)");
  _sb_py_line (e, "return message");
  e->indent--;
  return TRUE;
}
