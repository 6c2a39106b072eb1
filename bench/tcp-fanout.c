/* tcp-fanout — the baseline server for "send to all": accept C, write to each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-fanout --clients=C [--size=100] [--port=0] [--wait-ms=10000] [--timeout=S]
 *
 * Listens on 127.0.0.1, prints "port N", accepts until C connections are
 * open (at most --wait-ms), then writes --size bytes to every one of them in
 * a loop. Prints: listed, send_t0_us, send_t1_us (CLOCK_MONOTONIC), then
 * waits for the clients to close (at most --wait-ms) and prints "closed N".
 */
#include <sys/epoll.h>

#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  unsigned port = 0, clients = 0, wait_ms = 10000, size = 100;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  unsigned listed = 0, closed = 0;
  int64_t deadline, t0, t1;
  struct epoll_event events[256];
  char message[65536], buffer[4096];
  int *fds;
  int lfd, ep, one = 1;

  bench_prog = "tcp-fanout";
  for (int i = 1; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--port")))
        port = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--clients")))
        clients = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--size")))
        size = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--wait-ms")))
        wait_ms = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  if (clients == 0 || size == 0 || size > sizeof message)
    bench_die ("give --clients=C and --size=1…65536");
  bench_arm_deadline (timeout);
  bench_raise_nofile (clients + 64);
  memset (message, 'f', sizeof message);

  fds = calloc (clients, sizeof *fds);
  lfd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  ep = epoll_create1 (EPOLL_CLOEXEC);
  if (fds == NULL || lfd < 0 || ep < 0)
    bench_die ("setup");
  setsockopt (lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bench_sockaddr (&sin, "127.0.0.1", port);
  if (bind (lfd, (struct sockaddr *) &sin, sizeof sin) < 0 || listen (lfd, 1024) < 0)
    bench_die ("bind/listen");
  events[0] = (struct epoll_event) { .events = EPOLLIN, .data.fd = -1 };
  epoll_ctl (ep, EPOLL_CTL_ADD, lfd, &events[0]);

  bench_report ("port", "%u", bench_local_port (lfd));

  deadline = bench_now_us () + (int64_t) wait_ms * 1000;
  while (listed < clients && bench_now_us () < deadline)
    {
      int cfd;

      if (epoll_wait (ep, events, 1, 100) < 0 && errno != EINTR)
        bench_die ("epoll_wait");
      while (listed < clients && (cfd = accept4 (lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
        {
          setsockopt (cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          fds[listed++] = cfd;
        }
    }
  epoll_ctl (ep, EPOLL_CTL_DEL, lfd, NULL);

  t0 = bench_now_us ();
  for (unsigned i = 0; i < listed; i++)
    if (write (fds[i], message, size) != (ssize_t) size)
      bench_die ("write %u", i);
  t1 = bench_now_us ();

  bench_report ("listed", "%u", listed);
  bench_report ("send_t0_us", "%" PRId64, t0);
  bench_report ("send_t1_us", "%" PRId64, t1);

  for (unsigned i = 0; i < listed; i++)
    {
      struct epoll_event ev = { .events = EPOLLIN, .data.fd = (int) i };

      epoll_ctl (ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
  deadline = bench_now_us () + (int64_t) wait_ms * 1000;
  while (closed < listed && bench_now_us () < deadline)
    {
      int n = epoll_wait (ep, events, 256, 100);

      for (int e = 0; e < n; e++)
        {
          int fd = fds[events[e].data.fd];
          ssize_t r;

          while ((r = read (fd, buffer, sizeof buffer)) > 0)
            ;
          if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
            {
              epoll_ctl (ep, EPOLL_CTL_DEL, fd, NULL);
              close (fd);
              closed++;
            }
        }
    }
  bench_report ("closed", "%u", closed);

  free (fds);
  return 0;
}
