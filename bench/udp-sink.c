/* udp-sink — receive datagrams, count them and the kernel's drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * udp-sink --count=N [--port=0] [--idle-ms=500] [--rcvbuf=4M] [--timeout=S]
 *
 * Binds 127.0.0.1 with the same receive buffer as SbDatagram (4 MiB) and
 * prints "port N". Reads with recvmmsg() in batches of 32 until N datagrams
 * arrived, or nothing came for --idle-ms after the first one. The kernel's
 * drop counter for the socket comes with each datagram (SO_RXQ_OVFL).
 * Prints: received, drops, seconds, rate_pps.
 */
#include <poll.h>

#include "bench-posix.h"

#define BATCH 32
#define MAX_SIZE 65536

int
main (int argc, char **argv)
{
  static struct mmsghdr msgs[BATCH];
  static struct iovec iovs[BATCH];
  static char controls[BATCH][CMSG_SPACE (sizeof (uint32_t))];
  struct sockaddr_in sin;
  unsigned port = 0, idle_ms = 500;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  uint64_t count = 0, received = 0;
  uint32_t drops = 0;
  int rcvbuf = 4 * 1024 * 1024, one = 1;
  int64_t start = 0, last = 0;
  unsigned char *buffers;
  int fd;

  bench_prog = "udp-sink";
  for (int i = 1; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--port")))
        port = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--count")))
        count = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--idle-ms")))
        idle_ms = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--rcvbuf")))
        rcvbuf = (int) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  if (count == 0)
    bench_die ("give --count=N");
  bench_arm_deadline (timeout);

  buffers = malloc ((size_t) BATCH * MAX_SIZE);
  if (buffers == NULL)
    bench_die ("malloc");

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    bench_die ("socket");
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  bench_sockaddr (&sin, "127.0.0.1", port);
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    bench_die ("bind");

  bench_report ("port", "%u", bench_local_port (fd));

  while (received < count)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      int wait = start == 0 ? -1 : (int) idle_ms;
      int n;

      n = poll (&pfd, 1, wait);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        bench_die ("poll");
      if (n == 0)
        break;  /* idle: the sender is done */

      for (;;)
        {
          for (int i = 0; i < BATCH; i++)
            {
              iovs[i] = (struct iovec) { .iov_base = buffers + (size_t) i * MAX_SIZE, .iov_len = MAX_SIZE };
              msgs[i].msg_hdr = (struct msghdr) {
                .msg_iov = &iovs[i], .msg_iovlen = 1,
                .msg_control = controls[i], .msg_controllen = sizeof controls[i],
              };
            }

          n = recvmmsg (fd, msgs, BATCH, 0, NULL);
          if (n < 0)
            {
              if (errno == EINTR)
                continue;
              if (errno == EAGAIN)
                break;
              bench_die ("recvmmsg");
            }

          if (start == 0)
            start = bench_now_us ();
          last = bench_now_us ();
          received += (uint64_t) n;

          for (int i = 0; i < n; i++)
            for (struct cmsghdr *c = CMSG_FIRSTHDR (&msgs[i].msg_hdr); c; c = CMSG_NXTHDR (&msgs[i].msg_hdr, c))
              if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
                memcpy (&drops, CMSG_DATA (c), sizeof drops);

          if (n < BATCH)
            break;
        }
    }

  bench_report ("received", "%" PRIu64, received);
  /* The socket's counter also sees drops after the last datagram read. */
  bench_report ("drops", "%lld", bench_udp_drops (bench_local_port (fd)));
  bench_report ("drops_ovfl", "%" PRIu32, drops);
  bench_report ("seconds", "%.6f", start ? (last - start) / 1e6 : 0.0);
  bench_report ("rate_pps", "%.0f", start && last > start ? received / ((last - start) / 1e6) : 0.0);

  free (buffers);
  close (fd);
  return 0;
}
