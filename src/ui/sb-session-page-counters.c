/* sb-session-page-counters.c — the page's counters line
 *
 * What the session counted, less what "Reset Counters" set aside; rates
 * over about a second; what the history's cap and Clear dropped, what the
 * kernel dropped and, with a check, the frames that failed it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sb-session-page-private.h"

void
_sb_session_page_update_counters (SbSessionPage *self)
{
  SbCounters c = { 0, };
  SbHistory *history = self->session ? sb_session_get_history (self->session) : NULL;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *rx_bytes = NULL, *tx_bytes = NULL, *rx_rate = NULL, *tx_rate = NULL;
  g_autofree char *rx = NULL, *tx = NULL, *text = NULL;
  guint64 dropped = history ? sb_history_get_n_dropped (history) : 0;
  guint64 cleared = history ? sb_history_get_n_cleared (history) : 0;
  gboolean relay = self->session != NULL && sb_kind_is_relay (sb_session_get_kind (self->session));

  self->counters_time = now;

  if (self->session != NULL)
    sb_session_get_counters (self->session, &c);
  /* Counted since "Reset counters" (the history itself is not touched). */
  if (c.rx_bytes < self->counters_base.rx_bytes || c.tx_bytes < self->counters_base.tx_bytes ||
      c.rx_messages < self->counters_base.rx_messages || c.tx_messages < self->counters_base.tx_messages)
    memset (&self->counters_base, 0, sizeof self->counters_base);
  c.rx_bytes -= self->counters_base.rx_bytes;
  c.tx_bytes -= self->counters_base.tx_bytes;
  c.rx_messages -= self->counters_base.rx_messages;
  c.tx_messages -= self->counters_base.tx_messages;

  /* Rates over the last second or so, not per tick, so they do not flicker. */
  if (self->rate_time == 0 || c.rx_bytes < self->rate_counters.rx_bytes || c.tx_bytes < self->rate_counters.tx_bytes)
    {
      self->rate_time = now;
      self->rate_counters = c;
    }
  else if (now - self->rate_time >= G_USEC_PER_SEC)
    {
      double seconds = (now - self->rate_time) / (double) G_USEC_PER_SEC;

      self->rx_rate = (c.rx_bytes - self->rate_counters.rx_bytes) / seconds;
      self->tx_rate = (c.tx_bytes - self->rate_counters.tx_bytes) / seconds;
      self->rate_time = now;
      self->rate_counters = c;
    }

  rx_bytes = g_format_size (c.rx_bytes);
  tx_bytes = g_format_size (c.tx_bytes);
  rx_rate = g_format_size ((guint64) self->rx_rate);
  tx_rate = g_format_size ((guint64) self->tx_rate);
  /* Translators: counters, “Received 1.2 kB in 3 messages (100 bytes/s)”;
   * a relay's are what its clients sent and what the server sent */
  rx = g_strdup_printf (relay ? ngettext ("Client → server: %s in %" PRIu64 " message (%s/s)",
                                          "Client → server: %s in %" PRIu64 " messages (%s/s)", c.rx_messages)
                              : ngettext ("Received %s in %" PRIu64 " message (%s/s)",
                                          "Received %s in %" PRIu64 " messages (%s/s)", c.rx_messages),
                        rx_bytes, (uint64_t) c.rx_messages, rx_rate);
  tx = g_strdup_printf (relay ? ngettext ("Server → client: %s in %" PRIu64 " message (%s/s)",
                                          "Server → client: %s in %" PRIu64 " messages (%s/s)", c.tx_messages)
                              : ngettext ("Sent %s in %" PRIu64 " message (%s/s)",
                                          "Sent %s in %" PRIu64 " messages (%s/s)", c.tx_messages),
                        tx_bytes, (uint64_t) c.tx_messages, tx_rate);
  /* Translators: history records removed by the size cap, and by Clear */
  text = g_strdup_printf (_("%s · %s · Dropped by the cap: %" PRIu64 " · Cleared: %" PRIu64),
                          rx, tx, (uint64_t) dropped, (uint64_t) cleared);
  if (c.kernel_drops > 0)
    {
      /* Translators: the counters line, then how many datagrams the kernel
       * dropped because they came faster than they were read */
      char *with_drops = g_strdup_printf (_("%s · Dropped by the kernel: %" PRIu64), text,
                                          (uint64_t) c.kernel_drops);

      g_free (text);
      text = with_drops;
    }
  /* Translators: the counters line, then how many received frames failed the check */
  if (self->frames != NULL && *sb_session_setup_get_check (self->setup) != '\0')
    {
      char *with_bad = g_strdup_printf (_("%s · Bad frames: %" PRIu64), text,
                                        (uint64_t) sb_frames_get_n_bad (self->frames));

      g_free (text);
      text = with_bad;
    }
  gtk_label_set_text (self->counters_label, text);
}

void
sb_session_page_reset_counters (SbSessionPage *self)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));

  memset (&self->counters_base, 0, sizeof self->counters_base);
  if (self->session != NULL)
    sb_session_get_counters (self->session, &self->counters_base);
  self->rate_time = 0;
  self->rx_rate = self->tx_rate = 0;
  _sb_session_page_update_counters (self);
}

const char *
_sb_session_page_get_counters_text (SbSessionPage *self)
{
  return gtk_label_get_text (self->counters_label);
}

