/* sb-relay-faults.c — fault options read and described
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sb-relay.h"

const char *
sb_relay_direction_get_label (SbRelayDirection direction)
{
  switch (direction)
    {
    case SB_RELAY_TO_SERVER: return _("client → server");
    case SB_RELAY_TO_CLIENT: return _("server → client");
    case SB_RELAY_N_DIRECTIONS:
    default:                 g_return_val_if_reached ("");
    }
}

static gboolean
invalid (GError     **error,
         const char  *name,
         const char  *value,
         const char  *usage)
{
  /* Translators: a fault option, its value, and how to write it. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("The fault “%s” cannot be “%s”: write it as %s"), name, value, usage);
  return FALSE;
}

/* A whole number, nothing after it unless @rest is given. */
static gboolean
parse_number (const char  *text,
              guint64      max,
              guint64     *out,
              const char **rest)
{
  char *end = NULL;
  guint64 value;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  if (end == text || value > max)
    return FALSE;
  if (rest != NULL)
    *rest = end;
  else if (*end != '\0')
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_percent (const char *text,
               double     *out)
{
  g_autofree char *copy = g_strdup (text);
  gsize len = strlen (copy);
  char *end = NULL;
  double value;

  if (len > 0 && copy[len - 1] == '%')
    copy[len - 1] = '\0';
  if (!g_ascii_isdigit (copy[0]))
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || value < 0 || value > 100)
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_delay (const char    *value,
             SbRelayFaults *faults)
{
  guint64 delay = 0, jitter = 0;
  const char *rest = NULL;

  if (!parse_number (value, 600000, &delay, &rest))
    return FALSE;
  if (g_str_has_prefix (rest, "±"))
    rest += strlen ("±");
  else if (g_str_has_prefix (rest, "+-"))
    rest += 2;
  else if (*rest != '\0')
    return FALSE;
  if (*rest != '\0' && !parse_number (rest, 600000, &jitter, NULL))
    return FALSE;

  faults->delay_ms = delay;
  faults->jitter_ms = jitter;
  return TRUE;
}

static gboolean
parse_split (const char    *value,
             SbRelayFaults *faults)
{
  guint64 bytes = 0, gap = SB_RELAY_DEFAULT_SPLIT_GAP_MS;
  const char *rest = NULL;

  if (!parse_number (value, 1024 * 1024, &bytes, &rest) || bytes == 0)
    return FALSE;
  if (*rest == '/' && !parse_number (rest + 1, 60000, &gap, NULL))
    return FALSE;
  if (*rest != '\0' && *rest != '/')
    return FALSE;

  faults->split = bytes;
  faults->split_gap_ms = gap;
  return TRUE;
}

static gboolean
parse_rate (const char    *value,
            SbRelayFaults *faults)
{
  guint64 rate = 0;
  const char *rest = NULL;

  if (!parse_number (value, G_MAXUINT32, &rate, &rest) || rate == 0)
    return FALSE;
  if (g_strcmp0 (rest, "k") == 0 || g_strcmp0 (rest, "K") == 0)
    rate *= 1000;
  else if (g_strcmp0 (rest, "M") == 0)
    rate *= 1000 * 1000;
  else if (*rest != '\0')
    return FALSE;

  faults->rate = rate;
  return TRUE;
}

gboolean
sb_relay_faults_parse (SbRelayFaults     *faults,
                       const char        *name,
                       const char        *value,
                       SbRelayDirection  *which,
                       GError           **error)
{
  gboolean off;
  guint64 number = 0;

  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (which != NULL, FALSE);

  if (value == NULL)
    value = "";

  *which = SB_RELAY_N_DIRECTIONS;
  if (g_str_has_prefix (value, "c2s:"))
    {
      *which = SB_RELAY_TO_SERVER;
      value += 4;
    }
  else if (g_str_has_prefix (value, "s2c:"))
    {
      *which = SB_RELAY_TO_CLIENT;
      value += 4;
    }
  off = g_strcmp0 (value, "off") == 0;

  if (g_strcmp0 (name, "delay") == 0)
    {
      if (off)
        faults->delay_ms = faults->jitter_ms = 0;
      else if (!parse_delay (value, faults))
        return invalid (error, name, value, "MS or MS±JITTER (“100”, “100±20”, “100+-20”)");
    }
  else if (g_strcmp0 (name, "loss") == 0)
    {
      if (off)
        faults->loss = 0;
      else if (!parse_percent (value, &faults->loss))
        return invalid (error, name, value, "PERCENT from 0 to 100 (“5”, “0.5%”)");
    }
  else if (g_strcmp0 (name, "split") == 0)
    {
      if (off)
        faults->split = 0;
      else if (!parse_split (value, faults))
        return invalid (error, name, value, "BYTES or BYTES/MS (“4”, “4/20”)");
    }
  else if (g_strcmp0 (name, "join") == 0)
    {
      if (off)
        faults->join_ms = 0;
      else if (!parse_number (value, 60000, &number, NULL) || number == 0)
        return invalid (error, name, value, "MS (“50”)");
      else
        faults->join_ms = number;
    }
  else if (g_strcmp0 (name, "rate") == 0)
    {
      if (off)
        faults->rate = 0;
      else if (!parse_rate (value, faults))
        return invalid (error, name, value, "BYTES per second, k or M for thousands or millions (“64k”)");
    }
  else if (g_strcmp0 (name, "corrupt") == 0)
    {
      if (off)
        faults->corrupt = 0;
      else if (!parse_percent (value, &faults->corrupt))
        return invalid (error, name, value, "PERCENT of writes from 0 to 100 (“1”)");
    }
  else if (g_strcmp0 (name, "silent") == 0)
    {
      if (off || g_strcmp0 (value, "on") == 0 || value[0] == '\0')
        faults->silent = !off;
      else
        return invalid (error, name, value, "on or off");
    }
  else if (g_strcmp0 (name, "reset-after") == 0)
    {
      if (off)
        faults->reset_after = 0;
      else if (!parse_number (value, G_MAXINT64, &number, NULL) || number == 0)
        return invalid (error, name, value, "BYTES (“1000”)");
      else
        faults->reset_after = number;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a fault: use delay, loss, split, join, rate, corrupt, silent or reset-after"),
                   name);
      return FALSE;
    }

  return TRUE;
}

char *
sb_relay_faults_describe (const SbRelayFaults *faults)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (faults != NULL, NULL);

  if (faults->delay_ms > 0 && faults->jitter_ms > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("delay %u ms ±%u ms"), faults->delay_ms, faults->jitter_ms));
  else if (faults->delay_ms > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("delay %u ms"), faults->delay_ms));
  if (faults->rate > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("at most %" PRIu64 " bytes/s"), (guint64) faults->rate));
  if (faults->loss > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("drop %g %% of datagrams"), faults->loss));
  if (faults->split > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("split into %" PRIu64 "-byte writes %u ms apart"),
                                             (guint64) faults->split, faults->split_gap_ms));
  if (faults->join_ms > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("join what arrives within %u ms"), faults->join_ms));
  if (faults->corrupt > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("corrupt a byte in %g %% of writes"), faults->corrupt));
  if (faults->silent)
    g_ptr_array_add (parts, g_strdup (_("silent (held open, nothing forwarded)")));
  if (faults->reset_after > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("reset after %" PRIu64 " bytes"), (guint64) faults->reset_after));

  if (parts->len == 0)
    return g_strdup (_("none"));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}
