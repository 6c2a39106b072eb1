/* sb-time.c — record times as people read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-time"

#include "config.h"

#include "sb-time.h"

void
sb_time_format (gint64 time_us,
                char   out[SB_TIME_FORMAT_SIZE])
{
  /* Records come in time order: one zone look-up per second of them. */
  static GTimeZone *zone;
  static gint64 cached_second = G_MININT64;
  static gint64 cached_local;
  gint64 second = time_us >= 0 ? time_us / G_USEC_PER_SEC : (time_us - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC;
  int millis = (int) (time_us - second * G_USEC_PER_SEC) / 1000;
  gint64 local;

  if (second != cached_second)
    {
      gint interval;

      if (zone == NULL)
        zone = g_time_zone_new_local ();

      interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, second);
      cached_local = second + (interval >= 0 ? g_time_zone_get_offset (zone, interval) : 0);
      cached_second = second;
    }

  local = ((cached_local % 86400) + 86400) % 86400;
  g_snprintf (out, SB_TIME_FORMAT_SIZE, "%02d:%02d:%02d.%03d",
              (int) (local / 3600), (int) (local / 60 % 60), (int) (local % 60), millis);
}
