/* sb-time.h — record times as people read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Room for "HH:MM:SS.mmm" and its NUL. */
#define SB_TIME_FORMAT_SIZE 13

/* Writes @time_us (wall clock, µs since the epoch) as local "HH:MM:SS.mmm".
 * Cheap enough for every record of a flood: no allocation, and the time
 * zone is looked up once a second at most. */
void sb_time_format (gint64  time_us,
                     char    out[SB_TIME_FORMAT_SIZE]);

G_END_DECLS
