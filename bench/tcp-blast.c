/* tcp-blast — connect and write N bytes as fast as possible
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-blast HOST PORT BYTES [--chunk=64K] [--timeout=S]
 *
 * Writes BYTES in writes of --chunk bytes, then shuts down its side and waits
 * for the receiver to close, so "seconds" covers delivery, not just queueing.
 * Prints: bytes, seconds, rate_Bps.
 */
#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  uint64_t total, sent = 0;
  size_t chunk = 64 * 1024;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  char *buffer;
  int64_t start, end;
  int fd;

  bench_prog = "tcp-blast";
  if (argc < 4)
    {
      fprintf (stderr, "usage: tcp-blast HOST PORT BYTES [--chunk=64K] [--timeout=S]\n");
      return 2;
    }
  for (int i = 4; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--chunk")))
        chunk = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  bench_arm_deadline (timeout);

  total = bench_parse_size (argv[3]);
  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));

  buffer = bench_alphabet (chunk);
  fd = bench_tcp_connect (&sin);

  start = bench_now_us ();
  while (sent < total)
    {
      size_t want = total - sent < chunk ? (size_t) (total - sent) : chunk;
      ssize_t n = write (fd, buffer, want);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          bench_die ("write after %" PRIu64 " bytes", sent);
        }
      sent += (uint64_t) n;
    }

  /* EOF to the receiver, then wait for its close: everything was read. */
  shutdown (fd, SHUT_WR);
  for (;;)
    {
      ssize_t n = read (fd, buffer, chunk);

      if (n > 0 || (n < 0 && errno == EINTR))
        continue;
      break;
    }
  end = bench_now_us ();
  close (fd);

  bench_report ("bytes", "%" PRIu64, sent);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  bench_report ("rate_Bps", "%.0f", sent / ((end - start) / 1e6));

  free (buffer);
  return 0;
}
