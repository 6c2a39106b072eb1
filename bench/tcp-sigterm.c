/* tcp-sigterm — SIGTERM to a receiver in the middle of a flood, timed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tcp-sigterm HOST PORT BYTES PID [--timeout=S]
 *
 * Connects to HOST:PORT and writes BYTES (a..z over and over, as tcp-blast
 * does); once half of them are written it sends SIGTERM to process PID (the
 * receiver, `sockbench --headless`) and goes on writing while it watches
 * the process (a pidfd: it need not be our child) until it is gone. The
 * receiver stops reading as it exits: writing ends with a reset, or when
 * its buffers are full, neither of which matters here.
 * Prints: signalled_after (bytes written when the signal went), sent,
 * exit_ms (from the signal to the end of the process).
 */
#include <poll.h>
#include <sys/syscall.h>

#include "bench-posix.h"

int
main (int argc, char **argv)
{
  struct sockaddr_in sin;
  uint64_t total, sent = 0, signalled_after = 0;
  size_t chunk = 64 * 1024;
  int64_t signalled_at = 0, gone_at = 0;
  char *buffer;
  long pid;
  int fd, pidfd;

  bench_prog = "tcp-sigterm";
  if (argc < 5)
    {
      fprintf (stderr, "usage: tcp-sigterm HOST PORT BYTES PID [--timeout=S]\n");
      return 2;
    }
  bench_arm_deadline (bench_timeout_option (argc, argv, 5));
  signal (SIGPIPE, SIG_IGN);

  total = bench_parse_size (argv[3]);
  pid = (long) bench_parse_size (argv[4]);
  bench_sockaddr (&sin, argv[1], (unsigned) bench_parse_size (argv[2]));

  pidfd = (int) syscall (SYS_pidfd_open, (pid_t) pid, 0);
  if (pidfd < 0)
    bench_die ("pidfd_open %ld", pid);

  buffer = bench_alphabet (chunk);
  fd = bench_tcp_connect (&sin);
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);

  while (gone_at == 0)
    {
      struct pollfd fds[2] = {
        { .fd = pidfd, .events = POLLIN },
        { .fd = fd, .events = POLLOUT },
      };
      /* Past the end, or refused by a receiver going away: only watch. */
      nfds_t n = fd >= 0 && sent < total ? 2 : 1;

      if (poll (fds, n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          bench_die ("poll");
        }

      if (fds[0].revents & POLLIN)
        {
          gone_at = bench_now_us ();
          break;
        }

      if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)))
        {
          size_t offset = (size_t) (sent % 26);
          size_t want = chunk - offset;
          ssize_t w;

          if (total - sent < want)
            want = (size_t) (total - sent);
          w = write (fd, buffer + offset, want);
          if (w > 0)
            sent += (uint64_t) w;
          else if (w < 0 && errno != EAGAIN && errno != EINTR)
            {
              if (signalled_at == 0)
                bench_die ("write after %" PRIu64 " bytes, before the signal", sent);
              close (fd);
              fd = -1;
            }
        }

      if (signalled_at == 0 && sent >= total / 2)
        {
          signalled_after = sent;
          signalled_at = bench_now_us ();
          if (kill ((pid_t) pid, SIGTERM) < 0)
            bench_die ("kill %ld", pid);
        }
    }

  if (signalled_at == 0)
    bench_die ("process %ld ended before the signal", pid);
  if (fd >= 0)
    close (fd);
  close (pidfd);

  bench_report ("signalled_after", "%" PRIu64, signalled_after);
  bench_report ("sent", "%" PRIu64, sent);
  bench_report ("exit_ms", "%.1f", (gone_at - signalled_at) / 1000.0);
  return 0;
}
