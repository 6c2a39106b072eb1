/* tcp-swarm — open C concurrent connections, optionally time a message on each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-swarm HOST PORT C [--expect=BYTES] [--wait-ms=10000] [--hold-ms=0] [--timeout=S]
 *
 * Connects C sockets at once (non-blocking connects, epoll), prints
 * "connected N" and "connect_seconds". With --expect, waits (at most
 * --wait-ms) until every connection received BYTES and prints: complete,
 * t_first_us, t_last_us (CLOCK_MONOTONIC, comparable with the server's
 * g_get_monotonic_time()). Without it, holds the connections --hold-ms.
 * Then closes them all and prints "closed N".
 */
#include <sys/epoll.h>

#include "bench-posix.h"

typedef struct
{
  int      fd;
  uint64_t got;
  int      connected;
  int      complete;
} Conn;

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  uint64_t expect = 0;
  unsigned wait_ms = 10000, hold_ms = 0;
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;
  unsigned count, connected = 0, complete = 0, failed = 0;
  int64_t start, deadline, t_first = 0, t_last = 0;
  struct epoll_event events[256];
  char buffer[4096];
  Conn *conns;
  int ep;

  bench_prog = "tcp-swarm";
  if (argc < 4)
    {
      fprintf (stderr, "usage: tcp-swarm HOST PORT C [--expect=BYTES] [--wait-ms=N] [--hold-ms=N] [--timeout=S]\n");
      return 2;
    }
  for (int i = 4; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--expect")))
        expect = bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--wait-ms")))
        wait_ms = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--hold-ms")))
        hold_ms = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  bench_arm_deadline (timeout);

  count = (unsigned) bench_parse_size (argv[3]);
  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));
  if (bench_raise_nofile (count + 64) < count + 16)
    {
      errno = 0;
      bench_die ("cannot open %u files (RLIMIT_NOFILE)", count);
    }

  conns = calloc (count, sizeof *conns);
  ep = epoll_create1 (EPOLL_CLOEXEC);
  if (conns == NULL || ep < 0)
    bench_die ("setup");

  start = bench_now_us ();
  for (unsigned i = 0; i < count; i++)
    {
      struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN, .data.u32 = i };
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

      if (fd < 0)
        bench_die ("socket %u", i);
      if (connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0 && errno != EINPROGRESS)
        bench_die ("connect %u", i);
      conns[i].fd = fd;
      if (epoll_ctl (ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        bench_die ("epoll_ctl");
    }

  /* Until every connect completed (and with --expect, every message came). */
  deadline = bench_now_us () + (int64_t) wait_ms * 1000;
  while (bench_now_us () < deadline)
    {
      int n, ms = (int) ((deadline - bench_now_us ()) / 1000) + 1;

      if (connected + failed == count && (expect == 0 || complete + failed == count))
        break;

      n = epoll_wait (ep, events, 256, ms);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        bench_die ("epoll_wait");

      for (int e = 0; e < n; e++)
        {
          Conn *c = &conns[events[e].data.u32];

          if (!c->connected && (events[e].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            {
              int err = 0;
              socklen_t len = sizeof err;
              struct epoll_event ev = { .events = EPOLLIN, .data.u32 = events[e].data.u32 };

              getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
              if (err != 0)
                {
                  failed++;
                  epoll_ctl (ep, EPOLL_CTL_DEL, c->fd, NULL);
                  continue;
                }
              c->connected = 1;
              if (++connected == count)
                {
                  bench_report ("connected", "%u", connected);
                  bench_report ("connect_seconds", "%.6f", (bench_now_us () - start) / 1e6);
                }
              epoll_ctl (ep, EPOLL_CTL_MOD, c->fd, &ev);
            }

          if (events[e].events & EPOLLIN)
            {
              for (;;)
                {
                  ssize_t r = read (c->fd, buffer, sizeof buffer);

                  if (r > 0)
                    {
                      c->got += (uint64_t) r;
                      continue;
                    }
                  if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
                    epoll_ctl (ep, EPOLL_CTL_DEL, c->fd, NULL);
                  break;
                }

              if (expect > 0 && !c->complete && c->got >= expect)
                {
                  int64_t now = bench_now_us ();

                  c->complete = 1;
                  complete++;
                  if (t_first == 0)
                    t_first = now;
                  t_last = now;
                }
            }
        }
    }

  if (connected < count)
    bench_report ("connected", "%u", connected);
  bench_report ("failed", "%u", failed);
  if (expect > 0)
    {
      bench_report ("complete", "%u", complete);
      bench_report ("t_first_us", "%" PRId64, t_first);
      bench_report ("t_last_us", "%" PRId64, t_last);
    }
  else if (hold_ms > 0)
    {
      struct timespec ts = { hold_ms / 1000, (long) (hold_ms % 1000) * 1000000 };

      nanosleep (&ts, NULL);
    }

  for (unsigned i = 0; i < count; i++)
    close (conns[i].fd);
  bench_report ("closed", "%u", count);

  free (conns);
  close (ep);
  return 0;
}
