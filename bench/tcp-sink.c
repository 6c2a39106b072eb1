/* tcp-sink — accept, read and discard, report bytes/s
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-sink [--port=0] [--connections=1] [--chunk=64K] [--timeout=S]
 *
 * Listens on 127.0.0.1 and prints "port N". Serves any number of connections
 * at once with epoll; each is read until EOF and then closed (as a
 * close-on-eof session does). Ends after --connections have closed and
 * prints: bytes, connections, seconds (first accept to last close),
 * rate_Bps, cycles_per_s.
 */
#include <sys/epoll.h>

#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  unsigned port = 0;
  uint64_t want_connections = 1, closed = 0, bytes = 0;
  size_t chunk = 64 * 1024;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  int64_t start = 0, end;
  struct epoll_event events[64];
  char *buffer;
  int lfd, ep, one = 1;

  bench_prog = "tcp-sink";
  for (int i = 1; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--port")))
        port = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--connections")))
        want_connections = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--chunk")))
        chunk = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  bench_arm_deadline (timeout);
  bench_raise_nofile (65536);

  buffer = malloc (chunk);
  if (buffer == NULL || chunk == 0)
    bench_die ("bad chunk size");

  lfd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (lfd < 0)
    bench_die ("socket");
  setsockopt (lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bench_sockaddr (&sin, "127.0.0.1", port);
  if (bind (lfd, (struct sockaddr *) &sin, sizeof sin) < 0)
    bench_die ("bind");
  /* The same backlog as SbStreamServer. */
  if (listen (lfd, 1024) < 0)
    bench_die ("listen");

  ep = epoll_create1 (EPOLL_CLOEXEC);
  if (ep < 0)
    bench_die ("epoll_create1");
  events[0] = (struct epoll_event) { .events = EPOLLIN, .data.fd = lfd };
  if (epoll_ctl (ep, EPOLL_CTL_ADD, lfd, &events[0]) < 0)
    bench_die ("epoll_ctl");

  bench_report ("port", "%u", bench_local_port (lfd));

  while (closed < want_connections)
    {
      int n = epoll_wait (ep, events, 64, -1);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          bench_die ("epoll_wait");
        }

      for (int i = 0; i < n; i++)
        {
          int fd = events[i].data.fd;

          if (fd == lfd)
            {
              int cfd;

              while ((cfd = accept4 (lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
                {
                  struct epoll_event ev = { .events = EPOLLIN, .data.fd = cfd };

                  if (start == 0)
                    start = bench_now_us ();
                  if (epoll_ctl (ep, EPOLL_CTL_ADD, cfd, &ev) < 0)
                    bench_die ("epoll_ctl");
                }
              continue;
            }

          for (;;)
            {
              ssize_t r = read (fd, buffer, chunk);

              if (r > 0)
                {
                  bytes += (uint64_t) r;
                  continue;
                }
              if (r < 0 && errno == EINTR)
                continue;
              if (r < 0 && errno == EAGAIN)
                break;
              /* EOF or reset: this connection is done. */
              epoll_ctl (ep, EPOLL_CTL_DEL, fd, NULL);
              close (fd);
              closed++;
              break;
            }
        }
    }
  end = bench_now_us ();

  bench_report ("bytes", "%" PRIu64, bytes);
  bench_report ("connections", "%" PRIu64, closed);
  bench_report ("seconds", "%.6f", (end - start) / 1e6);
  bench_report ("rate_Bps", "%.0f", bytes / ((end - start) / 1e6));
  bench_report ("cycles_per_s", "%.1f", closed / ((end - start) / 1e6));

  free (buffer);
  return 0;
}
