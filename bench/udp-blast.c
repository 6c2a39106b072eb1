/* udp-blast — N datagrams of S bytes at full speed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * udp-blast HOST PORT COUNT SIZE [--batch=64] [--rate=PPS] [--timeout=S]
 *
 * Sends with sendmmsg() in batches, as fast as the kernel takes them, or with
 * --rate at that many datagrams per second (each batch holds only the ones
 * that are due). Each datagram starts with its sequence number, all from one
 * socket. Prints: sent, seconds, rate_pps.
 */
#include "bench-posix.h"

#define MAX_BATCH 1024

int
main (int argc, char **argv)
{
  static struct mmsghdr msgs[MAX_BATCH];
  static struct iovec iovs[MAX_BATCH];
  struct sockaddr_in sin;
  uint64_t count, sent = 0, rate = 0;
  size_t size, batch = 64;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  unsigned char *buffers;
  int64_t start, end;
  int fd;

  bench_prog = "udp-blast";
  if (argc < 5)
    {
      fprintf (stderr, "usage: udp-blast HOST PORT COUNT SIZE [--batch=64] [--rate=PPS] [--timeout=S]\n");
      return 2;
    }
  for (int i = 5; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--batch")))
        batch = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--rate")))
        rate = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  bench_arm_deadline (timeout);

  count = bench_parse_size (argv[3]);
  size = bench_parse_size (argv[4]);
  if (batch == 0 || batch > MAX_BATCH || size < 8 || size > 65507)
    bench_die ("batch must be 1…%d and size 8…65507", MAX_BATCH);
  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));

  buffers = calloc (batch, size);
  if (buffers == NULL)
    bench_die ("calloc");
  for (size_t i = 0; i < batch; i++)
    {
      memset (buffers + i * size + 8, 'u', size - 8);
      iovs[i] = (struct iovec) { .iov_base = buffers + i * size, .iov_len = size };
      msgs[i].msg_hdr = (struct msghdr) { .msg_iov = &iovs[i], .msg_iovlen = 1 };
    }

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    bench_die ("socket");
  if (connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    bench_die ("connect");

  start = bench_now_us ();
  while (sent < count)
    {
      unsigned want = (unsigned) (count - sent < batch ? count - sent : batch);
      int n;

      if (rate > 0)
        {
          /* Only what is due by now; ahead of the pace, wait for it. */
          uint64_t due = (uint64_t) (bench_now_us () - start) * rate / 1000000 + 1;
          struct timespec ts = { 0, 100 * 1000 };

          if (due <= sent)
            {
              nanosleep (&ts, NULL);
              continue;
            }
          if (due - sent < want)
            want = (unsigned) (due - sent);
        }

      for (unsigned i = 0; i < want; i++)
        {
          uint64_t seq = sent + i;

          memcpy (buffers + i * size, &seq, sizeof seq);
        }

      n = sendmmsg (fd, msgs, want, 0);
      if (n < 0)
        {
          /* ENOBUFS / ECONNREFUSED (no receiver yet): try again. */
          if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED)
            continue;
          bench_die ("sendmmsg after %" PRIu64, sent);
        }
      sent += (uint64_t) n;
    }
  end = bench_now_us ();
  close (fd);

  bench_report ("sent", "%" PRIu64, sent);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  bench_report ("rate_pps", "%.0f", sent / ((end - start) / 1e6));

  free (buffers);
  return 0;
}
