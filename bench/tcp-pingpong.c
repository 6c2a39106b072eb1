/* tcp-pingpong — the baseline for a scenario's ping-pong: blocking
 * send/recv round trips, and the echo server both sides talk to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-pingpong --serve                        prints "port N", echoes one connection
 * tcp-pingpong HOST PORT [--seconds=2] [--size=64] [--timeout=S]
 *
 * The client writes --size bytes, reads them all back, and again, for
 * --seconds. Prints: round_trips, seconds, round_trips_per_s.
 */
#include "bench-posix.h"

static int
serve (void)
{
  int listener, fd, one = 1;
  struct sockaddr_in sin;
  char buffer[65536];
  ssize_t n;

  bench_sockaddr (&sin, "127.0.0.1", 0);
  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &sin, sizeof sin) < 0 || listen (listener, 1) < 0)
    bench_die ("listen");
  bench_report ("port", "%u", bench_local_port (listener));
  fd = accept (listener, NULL, NULL);
  if (fd < 0)
    bench_die ("accept");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  while ((n = recv (fd, buffer, sizeof buffer, 0)) > 0)
    {
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = send (fd, buffer + done, (size_t) (n - done), MSG_NOSIGNAL);

          if (w < 0)
            bench_die ("send");
          done += w;
        }
    }
  close (fd);
  close (listener);
  return 0;
}

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  unsigned size = 64, timeout = BENCH_DEFAULT_TIMEOUT_S;
  double seconds = 2;
  uint64_t trips = 0;
  int64_t start, end, stop;
  char message[65536], reply[65536];
  int fd, one = 1;

  bench_prog = "tcp-pingpong";
  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    {
      bench_arm_deadline (timeout);
      return serve ();
    }
  if (argc < 3)
    {
      fprintf (stderr, "usage: tcp-pingpong --serve | HOST PORT [--seconds=S] [--size=N]\n");
      return 2;
    }
  for (int i = 3; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--seconds")))
        seconds = strtod (v, NULL);
      else if ((v = bench_option (argv[i], "--size")))
        size = (unsigned) bench_parse_size (v);
      else if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  if (size == 0 || size > sizeof message || seconds <= 0)
    bench_die ("bad --size or --seconds");
  bench_arm_deadline (timeout);
  memset (message, 'p', sizeof message);

  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    bench_die ("connect");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  start = bench_now_us ();
  stop = start + (int64_t) (seconds * 1e6);
  while (bench_now_us () < stop)
    {
      size_t got = 0;

      if (send (fd, message, size, MSG_NOSIGNAL) != (ssize_t) size)
        bench_die ("send");
      while (got < size)
        {
          ssize_t n = recv (fd, reply + got, size - got, 0);

          if (n <= 0)
            bench_die ("recv");
          got += (size_t) n;
        }
      trips++;
    }
  end = bench_now_us ();
  close (fd);

  bench_report ("round_trips", "%llu", (unsigned long long) trips);
  bench_report ("seconds", "%.3f", (end - start) / 1e6);
  bench_report ("round_trips_per_s", "%.0f", trips / ((end - start) / 1e6));
  return 0;
}
