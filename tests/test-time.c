/* test-time.c — record times in local time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-time.h"

static void
test_format (void)
{
  char out[SB_TIME_FORMAT_SIZE];

  /* 2023-11-14 22:13:20.123456 UTC is 06:13:20.123 in UTC+8. */
  sb_time_format (G_GINT64_CONSTANT (1700000000123456), out);
  g_assert_cmpstr (out, ==, "06:13:20.123");

  /* The same second again comes from the cache; the next one does not. */
  sb_time_format (G_GINT64_CONSTANT (1700000000999999), out);
  g_assert_cmpstr (out, ==, "06:13:20.999");
  sb_time_format (G_GINT64_CONSTANT (1700000001000000), out);
  g_assert_cmpstr (out, ==, "06:13:21.000");

  /* 23:59:59 UTC is 07:59:59 here, and 16:00 UTC is local midnight. */
  sb_time_format (G_GINT64_CONSTANT (1700006399000000), out);
  g_assert_cmpstr (out, ==, "07:59:59.000");
  sb_time_format (G_GINT64_CONSTANT (1699977600000000), out);
  g_assert_cmpstr (out, ==, "00:00:00.000");
}

int
main (int   argc,
      char *argv[])
{
  /* A fixed zone that needs no tzdata: UTC+8, no daylight saving. */
  g_setenv ("TZ", "CST-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/format", test_format);

  return g_test_run ();
}
