/* tcp-churn — K connect/disconnect cycles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-churn HOST PORT K [--timeout=S]
 *
 * Each cycle connects, sends EOF (shutdown), waits for the server to close
 * (a close-on-eof server closes once it read the EOF) and closes: a full
 * accept → peer closed → disconnected round on the server, one at a time,
 * so no backlog ever fills. Prints: cycles, failed, seconds, cycles_per_s.
 */
#include <sys/time.h>

#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  struct timeval tv = { 5, 0 };
  uint64_t cycles, done = 0, failed = 0;
  int64_t start, end;
  char buffer[256];

  bench_prog = "tcp-churn";
  if (argc < 4)
    {
      fprintf (stderr, "usage: tcp-churn HOST PORT K [--timeout=S]\n");
      return 2;
    }
  bench_arm_deadline (bench_timeout_option (argc, argv, 4));

  cycles = bench_parse_size (argv[3]);
  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));

  start = bench_now_us ();
  for (uint64_t i = 0; i < cycles; i++)
    {
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      ssize_t r;

      if (fd < 0)
        bench_die ("socket");
      /* A server that never closes fails the cycle after 5 s, not the run. */
      setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      if (connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
        {
          failed++;
          close (fd);
          continue;
        }
      shutdown (fd, SHUT_WR);
      do
        r = read (fd, buffer, sizeof buffer);
      while (r > 0 || (r < 0 && errno == EINTR));
      if (r < 0)
        failed++;
      else
        done++;
      close (fd);
    }
  end = bench_now_us ();

  bench_report ("cycles", "%" PRIu64, done);
  bench_report ("failed", "%" PRIu64, failed);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  bench_report ("cycles_per_s", "%.1f", done / ((end - start) / 1e6));
  return 0;
}
