/* tcp-tick — the baseline for "repeat every N ms": send on a steady clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-tick HOST PORT [--interval-us=1000] [--seconds=5] [--size=100] [--timeout=S]
 *
 * Connects and writes --size bytes at every tick of an absolute clock
 * (clock_nanosleep TIMER_ABSTIME), for --seconds. Prints: sends, seconds,
 * sends_per_s.
 */
#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  unsigned interval_us = 1000, size = 100, timeout = BENCH_DEFAULT_TIMEOUT_S;
  double seconds = 5;
  uint64_t sends = 0;
  struct timespec next;
  int64_t start, end, stop;
  char message[65536];
  int fd, one = 1;

  bench_prog = "tcp-tick";
  if (argc < 3)
    {
      fprintf (stderr, "usage: tcp-tick HOST PORT [--interval-us=N] [--seconds=S] [--size=N]\n");
      return 2;
    }
  for (int i = 3; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--interval-us")))
        interval_us = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--seconds")))
        seconds = strtod (v, NULL);
      else if ((v = bench_option (argv[i], "--size")))
        size = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  if (size == 0 || size > sizeof message || interval_us == 0 || seconds <= 0)
    bench_die ("bad --size, --interval-us or --seconds");
  bench_arm_deadline (timeout);
  memset (message, 't', sizeof message);

  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    bench_die ("connect");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  clock_gettime (CLOCK_MONOTONIC, &next);
  start = bench_now_us ();
  stop = start + (int64_t) (seconds * 1e6);
  while (bench_now_us () < stop)
    {
      if (write (fd, message, size) != (ssize_t) size)
        bench_die ("write");
      sends++;

      next.tv_nsec += (long) interval_us * 1000;
      while (next.tv_nsec >= 1000000000)
        {
          next.tv_nsec -= 1000000000;
          next.tv_sec++;
        }
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
        ;
    }
  end = bench_now_us ();
  close (fd);

  bench_report ("sends", "%" PRIu64, sends);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  bench_report ("sends_per_s", "%.1f", sends / ((end - start) / 1e6));
  return 0;
}
