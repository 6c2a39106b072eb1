/* bench-posix.h — what the plain POSIX load generators and sinks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These programs are the baseline: plain sockets, no GLib, as fast as this
 * machine goes. They print "key value" lines on stdout (flushed at once) for
 * bench/driver.py, and give up with exit status 3 when their time limit
 * passes, so no run can hang.
 */
#pragma once

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BENCH_DEFAULT_TIMEOUT_S 120

static const char *bench_prog = "bench";

static inline void bench_die (const char *format, ...) __attribute__ ((format (printf, 1, 2), noreturn));

static inline void
bench_die (const char *format, ...)
{
  va_list args;

  fprintf (stderr, "%s: ", bench_prog);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  if (errno != 0)
    fprintf (stderr, ": %s", strerror (errno));
  fputc ('\n', stderr);
  exit (1);
}

/* CLOCK_MONOTONIC in µs: the same clock as g_get_monotonic_time(), so figures
 * of two processes on this machine can be subtracted. */
static inline int64_t
bench_now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void bench_report (const char *key, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static inline void
bench_report (const char *key, const char *format, ...)
{
  va_list args;

  printf ("%s ", key);
  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

/* "123", "64K", "2G" (binary multiples). */
static inline uint64_t
bench_parse_size (const char *text)
{
  char *end = NULL;
  unsigned long long value;

  errno = 0;
  value = strtoull (text, &end, 10);
  if (errno != 0 || end == text)
    bench_die ("not a number: %s", text);
  switch (*end)
    {
    case 'k': case 'K': value <<= 10; end++; break;
    case 'm': case 'M': value <<= 20; end++; break;
    case 'g': case 'G': value <<= 30; end++; break;
    default: break;
    }
  if (*end != '\0')
    bench_die ("not a size: %s", text);
  return value;
}

/* Matches "--name=VALUE"; returns VALUE or NULL. */
static inline const char *
bench_option (const char *arg, const char *name)
{
  size_t len = strlen (name);

  if (strncmp (arg, name, len) == 0 && arg[len] == '=')
    return arg + len + 1;
  return NULL;
}

/* A TCP connection to @sin (blocking), or the tool dies saying so. */
static inline int
bench_tcp_connect (const struct sockaddr_in *sin)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    bench_die ("socket");
  if (connect (fd, (const struct sockaddr *) sin, sizeof *sin) < 0)
    bench_die ("connect to port %u", ntohs (sin->sin_port));
  return fd;
}

/* @len bytes of a..z over and over (printable, so a text view of them
 * costs what text costs), or the tool dies. */
static inline char *
bench_alphabet (size_t len)
{
  char *buffer = len > 0 ? malloc (len) : NULL;

  if (buffer == NULL)
    bench_die ("bad size %zu", len);
  for (size_t i = 0; i < len; i++)
    buffer[i] = (char) ('a' + i % 26);
  return buffer;
}

/* For a tool whose only option is --timeout=S: reads argv[first…] and
 * returns the timeout (BENCH_DEFAULT_TIMEOUT_S without one). */
static inline unsigned
bench_timeout_option (int argc, char **argv, int first)
{
  unsigned timeout = BENCH_DEFAULT_TIMEOUT_S;

  for (int i = first; i < argc; i++)
    {
      const char *v;

      if ((v = bench_option (argv[i], "--timeout")))
        timeout = (unsigned) bench_parse_size (v);
      else
        bench_die ("unknown option %s", argv[i]);
    }
  return timeout;
}

static inline void
bench_sockaddr (struct sockaddr_in *sin, const char *host, unsigned port)
{
  memset (sin, 0, sizeof *sin);
  sin->sin_family = AF_INET;
  sin->sin_port = htons ((uint16_t) port);
  if (inet_pton (AF_INET, host, &sin->sin_addr) != 1)
    {
      errno = 0;
      bench_die ("not an IPv4 address: %s", host);
    }
}

static inline unsigned
bench_local_port (int fd)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  if (getsockname (fd, (struct sockaddr *) &sin, &len) < 0)
    bench_die ("getsockname");
  return ntohs (sin.sin_port);
}

static inline void
bench_set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);

  if (flags < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) < 0)
    bench_die ("fcntl");
}

/* Raises the open-file limit to @want (at most the hard limit); returns it. */
static inline rlim_t
bench_raise_nofile (rlim_t want)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) < 0)
    return 0;
  if (rl.rlim_cur < want)
    {
      rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
      getrlimit (RLIMIT_NOFILE, &rl);
    }
  return rl.rlim_cur;
}

static inline void
bench_on_alarm (int signum)
{
  static const char message[] = "bench: time limit reached, giving up\n";

  (void) signum;
  (void) !write (STDERR_FILENO, message, sizeof message - 1);
  _exit (3);
}

/* Ends the process with status 3 once @seconds have passed. */
static inline void
bench_arm_deadline (unsigned seconds)
{
  signal (SIGALRM, bench_on_alarm);
  alarm (seconds);
}

/* The kernel's drop counter of the UDP socket bound to 127.0.0.1:@port
 * (the last column of /proc/net/udp), or -1 if there is none. */
static inline long long
bench_udp_drops (unsigned port)
{
  FILE *f = fopen ("/proc/net/udp", "r");
  char line[512];
  long long drops = -1;

  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    {
      unsigned addr, lport;
      char *last;

      if (sscanf (line, " %*u: %8x:%4x", &addr, &lport) != 2 || lport != port)
        continue;
      last = strrchr (line, ' ');
      if (last != NULL)
        drops = strtoll (last + 1, NULL, 10);
    }
  fclose (f);
  return drops;
}
