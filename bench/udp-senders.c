/* udp-senders — N datagrams, each from a source address of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * udp-senders HOST PORT COUNT [--rate=PPS] [--timeout=S]
 *
 * Datagram i leaves a socket bound to 127.(100 + i / 65536).(i / 256 % 256).
 * (i % 256), all routed to lo: COUNT distinct senders, as a hostile peer
 * spraying source addresses looks. Each carries "你好" in GBK (c4 e3 ba c3)
 * and its number. Paced at --rate datagrams per second (default 40,000) so
 * the receiver's socket buffer is not what is measured. Prints: sent,
 * seconds.
 */
#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in to;
  uint64_t count, rate = 40000;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  int64_t start, end;

  bench_prog = "udp-senders";
  if (argc < 4)
    {
      fprintf (stderr, "usage: udp-senders HOST PORT COUNT [--rate=PPS] [--timeout=S]\n");
      return 2;
    }
  for (int i = 4; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--rate")))
        rate = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  bench_arm_deadline (timeout);

  count = bench_parse_size (argv[3]);
  if (count > 100 * 65536 || rate == 0)
    bench_die ("COUNT must be at most %d and --rate above 0", 100 * 65536);
  bench_sockaddr (&to, argv[1], (unsigned) bench_parse_size (argv[2]));

  start = bench_now_us ();
  for (uint64_t i = 0; i < count; i++)
    {
      struct sockaddr_in from = { .sin_family = AF_INET };
      unsigned char payload[12] = { 0xc4, 0xe3, 0xba, 0xc3 };
      int fd;

      /* Ahead of the pace: wait for it. */
      while ((bench_now_us () - start) * (int64_t) rate < (int64_t) i * 1000000)
        {
          struct timespec ts = { 0, 100 * 1000 };

          nanosleep (&ts, NULL);
        }

      from.sin_addr.s_addr = htonl ((127u << 24) | ((100u + (unsigned) (i / 65536)) << 16) |
                                    (unsigned) (i % 65536));
      memcpy (payload + 4, &i, sizeof i);
      fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0)
        bench_die ("socket: %s", strerror (errno));
      if (bind (fd, (struct sockaddr *) &from, sizeof from) != 0)
        bench_die ("bind: %s", strerror (errno));
      if (sendto (fd, payload, sizeof payload, 0, (struct sockaddr *) &to, sizeof to) != (ssize_t) sizeof payload)
        bench_die ("sendto: %s", strerror (errno));
      close (fd);
    }
  end = bench_now_us ();

  bench_report ("sent", "%llu", (unsigned long long) count);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  return 0;
}
