/* test-address.c — session URIs, host:port, socket address printing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "sb-address.h"

/* Helpers */

static SbSessionSpec *
make_spec (SbKind      kind,
           const char *host,
           guint16     port,
           gboolean    has_bind,
           const char *bind_host,
           guint16     bind_port,
           const char *path,
           const char *bind_path)
{
  SbSessionSpec *spec = sb_session_spec_new (kind);

  g_free (spec->bind_host);
  spec->host = g_strdup (host);
  spec->port = port;
  spec->has_bind = has_bind;
  spec->bind_host = g_strdup (bind_host);
  spec->bind_port = bind_port;
  spec->path = g_strdup (path);
  spec->bind_path = g_strdup (bind_path);

  return spec;
}

static void
assert_error_contains (const GError *error,
                       const char   *input,
                       const char   *fragment)
{
  if (error == NULL)
    g_error ("“%s” parsed, but it should fail with “%s”", input, fragment);

  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” failed with “%s”, expected it to contain “%s”",
             input, error->message, fragment);
}

static void
assert_round_trip (const SbSessionSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) back = NULL;
  g_autofree char *uri = sb_session_spec_to_uri (spec);
  g_autofree char *uri_again = NULL;

  back = sb_session_spec_parse (uri, &error);
  if (back == NULL)
    g_error ("to_uri printed “%s”, which does not parse: %s", uri, error->message);

  uri_again = sb_session_spec_to_uri (back);
  if (!sb_session_spec_equal (spec, back))
    g_error ("“%s” parsed back to a different spec (printed “%s”)", uri, uri_again);

  /* Printing is stable: a parsed spec prints the same URI again. */
  g_assert_cmpstr (uri, ==, uri_again);
}

static char *
repeat (char  c,
        gsize n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';

  return s;
}

/* URIs that parse */

typedef struct
{
  const char *uri;
  SbKind      kind;
  const char *host;
  guint16     port;
  gboolean    has_bind;
  const char *bind_host;
  guint16     bind_port;
  const char *path;
  const char *bind_path;
} GoodUri;

static const GoodUri good_uris[] = {
  { "tcp://127.0.0.1:80",        SB_KIND_TCP_CLIENT, "127.0.0.1", 80 },
  { "tcp://[::1]:7",             SB_KIND_TCP_CLIENT, "::1", 7 },
  { "tcp://[fe80::1%lo]:80",     SB_KIND_TCP_CLIENT, "fe80::1%lo", 80 },
  { "tcp://[::ffff:1.2.3.4]:1",  SB_KIND_TCP_CLIENT, "::ffff:1.2.3.4", 1 },
  { "tcp://example.com:443",     SB_KIND_TCP_CLIENT, "example.com", 443 },
  { "tcp://localhost:65535",     SB_KIND_TCP_CLIENT, "localhost", 65535 },
  { "tcp://localhost:8080/",     SB_KIND_TCP_CLIENT, "localhost", 8080 },
  { "TCP://Localhost:1",         SB_KIND_TCP_CLIENT, "Localhost", 1 },
  { "tcp://my_host-1.lan:00080", SB_KIND_TCP_CLIENT, "my_host-1.lan", 80 },
  { "tcp://host.example.:22",    SB_KIND_TCP_CLIENT, "host.example.", 22 },
  { "tcp://例子.测试:80",        SB_KIND_TCP_CLIENT, "例子.测试", 80 },
  { "tcp://127.0.0.1:8080?bind=:40000",
                                 SB_KIND_TCP_CLIENT, "127.0.0.1", 8080, TRUE, NULL, 40000 },
  { "tcp://127.0.0.1:8080?bind=40000",
                                 SB_KIND_TCP_CLIENT, "127.0.0.1", 8080, TRUE, NULL, 40000 },
  { "tcp://127.0.0.1:8080?bind=127.0.0.1:40000",
                                 SB_KIND_TCP_CLIENT, "127.0.0.1", 8080, TRUE, "127.0.0.1", 40000 },
  { "tcp://[::1]:7?bind=[::1]:0",
                                 SB_KIND_TCP_CLIENT, "::1", 7, TRUE, "::1", 0 },
  { "tcp://h:80?bind=0.0.0.0:5", SB_KIND_TCP_CLIENT, "h", 80, TRUE, "0.0.0.0", 5 },

  { "tcp-listen://:0",           SB_KIND_TCP_SERVER, NULL, 0, TRUE, "127.0.0.1", 0 },
  { "tcp-listen://0",            SB_KIND_TCP_SERVER, NULL, 0, TRUE, "127.0.0.1", 0 },
  { "tcp-listen://8080",         SB_KIND_TCP_SERVER, NULL, 0, TRUE, "127.0.0.1", 8080 },
  { "tcp-listen://0.0.0.0:80",   SB_KIND_TCP_SERVER, NULL, 0, TRUE, "0.0.0.0", 80 },
  { "tcp-listen://[::]:5000",    SB_KIND_TCP_SERVER, NULL, 0, TRUE, "::", 5000 },
  { "tcp-listen://localhost:1",  SB_KIND_TCP_SERVER, NULL, 0, TRUE, "localhost", 1 },

  { "udp://10.0.0.5:9000",       SB_KIND_UDP, "10.0.0.5", 9000 },
  { "udp://10.0.0.5:9000?bind=0.0.0.0:5000",
                                 SB_KIND_UDP, "10.0.0.5", 9000, TRUE, "0.0.0.0", 5000 },
  { "udp://[::1]:9?bind=[::]:0", SB_KIND_UDP, "::1", 9, TRUE, "::", 0 },
  { "udp-listen://:5000",        SB_KIND_UDP, NULL, 0, TRUE, "127.0.0.1", 5000 },
  { "udp-listen://0",            SB_KIND_UDP, NULL, 0, TRUE, "127.0.0.1", 0 },
  { "udp-listen://[::1]:5000?target=[::1]:6000",
                                 SB_KIND_UDP, "::1", 6000, TRUE, "::1", 5000 },
  { "udp-listen://0?target=localhost:53",
                                 SB_KIND_UDP, "localhost", 53, TRUE, "127.0.0.1", 0 },

  { "unix:///tmp/x",             SB_KIND_UNIX_CLIENT, .path = "/tmp/x" },
  { "unix://@name",              SB_KIND_UNIX_CLIENT, .path = "@name" },
  { "unix:///@name",             SB_KIND_UNIX_CLIENT, .path = "/@name" },
  { "unix://./sock",             SB_KIND_UNIX_CLIENT, .path = "./sock" },
  { "unix://sock",               SB_KIND_UNIX_CLIENT, .path = "sock" },
  { "unix:///tmp/with%20space",  SB_KIND_UNIX_CLIENT, .path = "/tmp/with space" },
  { "unix:///tmp/q%3fmark",      SB_KIND_UNIX_CLIENT, .path = "/tmp/q?mark" },
  { "unix:///tmp/%E4%BD%A0",     SB_KIND_UNIX_CLIENT, .path = "/tmp/你" },
  { "unix:///tmp/你",            SB_KIND_UNIX_CLIENT, .path = "/tmp/你" },
  { "unix:///tmp/%FF",           SB_KIND_UNIX_CLIENT, .path = "/tmp/\xff" },
  { "unix:///tmp/[a]#b",         SB_KIND_UNIX_CLIENT, .path = "/tmp/[a]#b" },
  { "unix:///tmp/s?bind=/tmp/me", SB_KIND_UNIX_CLIENT, .path = "/tmp/s", .bind_path = "/tmp/me" },
  { "unix://@srv?bind=@me",      SB_KIND_UNIX_CLIENT, .path = "@srv", .bind_path = "@me" },
  { "unix-listen:///run/app.sock", SB_KIND_UNIX_SERVER, .path = "/run/app.sock" },
  { "unix-listen://@srv",        SB_KIND_UNIX_SERVER, .path = "@srv" },

  { "unixgram:///tmp/d",         SB_KIND_UNIX_DGRAM, .path = "/tmp/d" },
  { "unixgram:///tmp/d?bind=/tmp/me",
                                 SB_KIND_UNIX_DGRAM, .path = "/tmp/d", .bind_path = "/tmp/me" },
  { "unixgram://?bind=/tmp/me",  SB_KIND_UNIX_DGRAM, .bind_path = "/tmp/me" },
  { "unixgram://@peer?bind=@me", SB_KIND_UNIX_DGRAM, .path = "@peer", .bind_path = "@me" },
  { "unixgram:///tmp/d?bind=/tmp/a%26b%20c",
                                 SB_KIND_UNIX_DGRAM, .path = "/tmp/d", .bind_path = "/tmp/a&b c" },

  { "icmp://127.0.0.1",          SB_KIND_ICMP, "127.0.0.1" },
  { "icmp://[::1]",              SB_KIND_ICMP, "::1" },
  { "icmp://::1",                SB_KIND_ICMP, "::1" },
  { "icmp://fe80::1%lo",         SB_KIND_ICMP, "fe80::1%lo" },
  { "icmp://[fe80::1%lo]",       SB_KIND_ICMP, "fe80::1%lo" },
  { "icmp://2001:db8::1",        SB_KIND_ICMP, "2001:db8::1" },
  { "icmp://example.com",        SB_KIND_ICMP, "example.com" },
  { "icmp://localhost/",         SB_KIND_ICMP, "localhost" },
  { "ICMP://Localhost",          SB_KIND_ICMP, "Localhost" },
};

static void
test_uri_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_uris); i++)
    {
      const GoodUri *t = &good_uris[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = NULL;

      g_test_message ("%s", t->uri);
      spec = sb_session_spec_parse (t->uri, &error);
      g_assert_no_error (error);
      g_assert_nonnull (spec);

      g_assert_cmpint (spec->kind, ==, t->kind);
      g_assert_cmpstr (spec->host, ==, t->host);
      g_assert_cmpuint (spec->port, ==, t->port);
      g_assert_cmpint (spec->has_bind, ==, t->has_bind);
      g_assert_cmpstr (spec->bind_host, ==, t->bind_host);
      g_assert_cmpuint (spec->bind_port, ==, t->bind_port);
      g_assert_cmpstr (spec->path, ==, t->path);
      g_assert_cmpstr (spec->bind_path, ==, t->bind_path);
    }
}

/* URIs that do not, and what the message must say */

typedef struct
{
  const char *uri;
  const char *fragment;
} BadUri;

static const BadUri bad_uris[] = {
  { "",                          "is not a session URI" },
  { "foo://x",                   "“foo://x” is not a session URI: use tcp://, tcp-listen://, udp://, udp-listen://, unix://, unix-listen://, unixgram://, icmp://, tls://, tls-listen://, dtls://, dtls-listen://, relay://, relay-udp://, relay-unix:// or relay-tls://" },
  { "http://example.com:80",     "is not a session URI" },
  { "127.0.0.1:80",              "is not a session URI" },
  { "tcp:127.0.0.1:80",          "“tcp:127.0.0.1:80” is missing “//” after “tcp:”: write it as tcp://HOST:PORT" },
  { "unix:/tmp/x",               "write it as unix:///PATH" },

  { "tcp://127.0.0.1",           "“tcp://127.0.0.1” has no port: write it as tcp://HOST:PORT" },
  { "tcp://127.0.0.1:",          "has no port: write it as tcp://HOST:PORT" },
  { "tcp://[::1]",               "“tcp://[::1]” has no port" },
  { "tcp://localhost",           "has no port" },
  { "tcp://:80",                 "“tcp://:80” has no host: write it as tcp://HOST:PORT" },
  { "tcp://80",                  "has no host" },
  { "tcp://",                    "has no host" },
  { "udp://:53",                 "“udp://:53” has no host: write it as udp://HOST:PORT" },
  { "tcp-listen://",             "“tcp-listen://” has no port: write it as tcp-listen://:PORT" },
  { "tcp-listen://localhost",    "has no port" },
  { "tcp-listen://0.0.0.0",      "“tcp-listen://0.0.0.0” has no port" },
  { "udp-listen://",             "has no port: write it as udp-listen://:PORT" },

  { "tcp://127.0.0.1:70000",     "Port “70000” is out of range (0–65535)" },
  { "tcp://127.0.0.1:65536",     "Port “65536” is out of range (0–65535)" },
  { "tcp://h:99999999999999999999999", "is out of range (0–65535)" },
  { "tcp-listen://70000",        "Port “70000” is out of range" },
  { "tcp://127.0.0.1:8o",        "Port “8o” is not a number" },
  { "tcp://127.0.0.1:-1",        "Port “-1” is not a number" },
  { "tcp://127.0.0.1:+1",        "Port “+1” is not a number" },
  { "tcp://127.0.0.1:80/x",      "Port “80/x” is not a number" },
  { "tcp://127.0.0.1:0",         "Port 0 cannot be connected to; choose a port from 1 to 65535" },
  { "udp://h:0",                 "Port 0 cannot be connected to" },
  { "udp-listen://:5?target=h:0", "Port 0 cannot be connected to" },

  { "tcp://[::1",                "“[::1” is missing its closing bracket" },
  { "tcp://[::1:80",             "“[::1:80” is missing its closing bracket" },
  { "tcp://[::1]80",             "write a colon between “]” and the port" },
  { "tcp://[::g]:80",            "“[::g]” is not a valid IPv6 address" },
  { "tcp://[]:80",               "“[]” is not a valid IPv6 address" },
  { "tcp://[example.com]:80",    "is not a valid IPv6 address" },
  { "tcp://[1.2.3.4]:80",        "only IPv6 addresses go in brackets" },
  { "tcp://[fe80::1%]:80",       "is not a valid zone in “[fe80::1%]”" },
  { "tcp://[fe80::1%e/0]:80",    "“e/0” is not a valid zone" },
  { "tcp://::1:80",              "“::1:80” looks like an IPv6 address: put it in brackets, as in [::1]:80" },
  { "tcp://fe80::1",             "put it in brackets, as in [fe80::1]:PORT" },

  { "tcp://300.1.2.3:80",        "“300.1.2.3” is not a valid IPv4 address: 300 is more than 255" },
  { "tcp://1.2.3.256:80",        "“1.2.3.256” is not a valid IPv4 address: 256 is more than 255" },
  { "tcp://127.1:80",            "“127.1” is not a valid IPv4 address: write four numbers from 0 to 255" },
  { "tcp://2130706433:80",       "“2130706433” is not a valid IPv4 address" },
  { "tcp://0x7f000001:80",       "“0x7f000001” is not a valid IPv4 address" },
  { "tcp://0x7f.0.0.1:80",       "“0x7f.0.0.1” is not a valid IPv4 address: “0x7f” is not a number from 0 to 255" },
  { "tcp://010.0.0.1:80",        "“010.0.0.1” is not a valid IPv4 address: 010 starts with 0" },
  { "tcp://1..2.3:80",           "“1..2.3” is not a valid IPv4 address: it has an empty part between dots" },
  { "tcp://1.2.3.4.:80",         "“1.2.3.4.” is not a valid IPv4 address: it has an empty part between dots" },
  { "tcp://a.b.1:80",            "“a.b.1” is not a valid IPv4 address: “a” is not a number" },
  { "tcp://1.2.3:80",            "“1.2.3” is not a valid IPv4 address: write four numbers from 0 to 255 separated by dots" },
  { "tcp://1.2.3.4.5:80",        "is not a valid IPv4 address" },
  { "tcp://01.2.3.4:80",         "is not a valid IPv4 address" },
  { "tcp-listen://300.0.0.1:80", "“300.0.0.1” is not a valid IPv4 address" },
  { "tcp://exa mple:80",         "“exa mple” is not a valid host name: “ ” is not allowed; use letters, digits, “-”, “.” and “_”" },
  { "tcp://user@host:80",        "“@” is not allowed" },
  { "tcp://a..b:80",             "“a..b” is not a valid host name: it has an empty part between dots" },
  { "tcp://.a:80",               "empty part between dots" },
  { "tcp://a*b:80",              "“*” is not allowed" },

  { "tcp://h:80?target=1.2.3.4:5", "“tcp://h:80?target=1.2.3.4:5” has an unknown option “target”: tcp:// only takes ?bind=[HOST]:PORT" },
  { "tcp://h:80?bind=",          "The option “bind” in “tcp://h:80?bind=” has no value: write it as ?bind=[HOST]:PORT" },
  { "tcp://h:80?bind=1.2.3.4",   "“?bind=1.2.3.4” has no port: write it as ?bind=[HOST]:PORT" },
  { "tcp://h:80?bind=:70000",    "Port “70000” is out of range (0–65535)" },
  { "tcp://h:80?bind=300.1.2.3:5", "“300.1.2.3” is not a valid IPv4 address: 300 is more than 255" },
  { "tcp://h:80?bind=::1:5",     "put it in brackets, as in [::1]:5" },
  { "tcp://h:80?bind=:1&bind=:2", "gives the option “bind” twice" },
  { "tcp-listen://:80?x=1",      "tcp-listen:// takes none" },
  { "udp://h:80?target=h:1",     "has an unknown option “target”: udp:// only takes ?bind=HOST:PORT" },
  { "udp-listen://:80?bind=h:1", "has an unknown option “bind”: udp-listen:// only takes ?target=HOST:PORT" },
  { "udp://h:80?bind=1.2.3.4:5&bind=1.2.3.4:6", "gives the option “bind” twice" },
  { "udp://h:80?bind=",          "The option “bind” in “udp://h:80?bind=” has no value" },
  { "udp://h:80?bind",           "has no value" },
  { "udp://h:80?bind=:5000",     "“?bind=:5000” has no host: write it as ?bind=HOST:PORT" },
  { "udp://h:80?bind=1.2.3.4",   "“?bind=1.2.3.4” has no port" },
  { "udp://h:80?bind=1.2.3.4:x", "Port “x” is not a number" },
  { "udp-listen://:5?target=:6", "“?target=:6” has no host: write it as ?target=HOST:PORT" },
  { "udp-listen://:5?target=h",  "“?target=h” has no port" },

  { "unix://",                   "“unix://” has no path: write it as unix:///PATH" },
  { "unix-listen://",            "“unix-listen://” has no path: write it as unix-listen:///PATH" },
  { "unixgram://",               "has no path: write it as unixgram:///PATH" },
  { "unix://@",                  "The abstract socket name “@” is empty" },
  { "unix:///tmp/a%zz",          "“%zz” in “/tmp/a%zz” is not a valid escape" },
  { "unix:///tmp/a%2",           "“%2” in “/tmp/a%2” is not a valid escape" },
  { "unix:///tmp/100%",          "is not a valid escape: write a “%” in a path as %25" },
  { "unix:///tmp/a%00b",         "“/tmp/a%00b” contains %00" },
  { "unix:///tmp/a?b",           "has an unknown option “b”: unix:// only takes ?bind=/PATH" },
  { "unix://?bind=/tmp/me",      "“unix://?bind=/tmp/me” has no path: write it as unix:///PATH" },
  { "unix:///tmp/s?bind=@",      "abstract socket name “@” is empty" },
  { "unix-listen:///tmp/a?b",    "has an option “b”, but unix-listen:// takes none (write a “?” in a path as %3F)" },
  { "unixgram:///x?bind=",       "has no value: write it as ?bind=/PATH" },
  { "unixgram:///x?bind=@",      "abstract socket name “@” is empty" },
  { "unixgram://?target=/x",     "unknown option “target”: unixgram:// only takes ?bind=/PATH" },
  { "unixgram://?bind=/x%zz",    "is not a valid escape" },

  { "icmp://",                   "“icmp://” has no host: write it as icmp://HOST" },
  { "icmp:127.0.0.1",            "is missing “//” after “icmp:”: write it as icmp://HOST" },
  { "icmp://127.0.0.1:80",       "“icmp://127.0.0.1:80” has a port, but ICMP has none: write it as icmp://HOST" },
  { "icmp://h:0",                "has a port, but ICMP has none" },
  { "icmp://:80",                "has a port, but ICMP has none" },
  { "icmp://[::1]:7",            "has a port, but ICMP has none" },
  { "icmp://[::1]:",             "has a port, but ICMP has none" },
  { "icmp://[::1",               "“[::1” is missing its closing bracket" },
  { "icmp://[1.2.3.4]",          "only IPv6 addresses go in brackets" },
  { "icmp://[::g]",              "“[::g]” is not a valid IPv6 address" },
  { "icmp://::g",                "“::g” is not a valid IPv6 address" },
  { "icmp://1:2:3:4:5:6:7:8:9",  "is not a valid IPv6 address" },
  { "icmp://300.1.2.3",          "“300.1.2.3” is not a valid IPv4 address: 300 is more than 255" },
  { "icmp://10.1",               "“10.1” is not a valid IPv4 address: write four numbers" },
  { "icmp://exa mple",           "“ ” is not allowed" },
  { "icmp://a..b",               "empty part between dots" },
  { "icmp://h?bind=1.2.3.4:5",   "has an option “bind”, but icmp:// takes none" },
};

static void
test_uri_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = NULL;

      g_test_message ("%s", bad_uris[i].uri);
      spec = sb_session_spec_parse (bad_uris[i].uri, &error);
      g_assert_null (spec);
      assert_error_contains (error, bad_uris[i].uri, bad_uris[i].fragment);
    }
}

/* Every URI that parses prints back to one that parses to the same spec. */
static void
test_uri_round_trip_uris (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_uris); i++)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (good_uris[i].uri, NULL);

      g_assert_nonnull (spec);
      assert_round_trip (spec);
    }
}

static void
test_uri_round_trip_specs (void)
{
  const struct {
    SbKind kind;
    const char *host;
    guint16 port;
    gboolean has_bind;
    const char *bind_host;
    guint16 bind_port;
    const char *path;
    const char *bind_path;
  } specs[] = {
    { SB_KIND_TCP_CLIENT, "127.0.0.1", 1 },
    { SB_KIND_TCP_CLIENT, "::1", 65535 },
    { SB_KIND_TCP_CLIENT, "fe80::1%eth0", 80 },
    { SB_KIND_TCP_CLIENT, "2001:db8::ff00:42:8329", 443 },
    { SB_KIND_TCP_CLIENT, "::ffff:10.1.2.3", 8 },
    { SB_KIND_TCP_CLIENT, "example.com", 80 },
    { SB_KIND_TCP_CLIENT, "host.example.", 80 },
    { SB_KIND_TCP_CLIENT, "例子.测试", 80 },
    { SB_KIND_TCP_CLIENT, "127.0.0.1", 8080, TRUE, NULL, 40000 },
    { SB_KIND_TCP_CLIENT, "::1", 8080, TRUE, "::1", 0 },
    { SB_KIND_TCP_CLIENT, "example.com", 80, TRUE, "0.0.0.0", 1 },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/s", .bind_path = "/tmp/me" },
    { SB_KIND_TCP_CLIENT, "localhost", 22 },
    { SB_KIND_TCP_SERVER, NULL, 0, TRUE, "0.0.0.0", 0 },
    { SB_KIND_TCP_SERVER, NULL, 0, TRUE, "::", 80 },
    { SB_KIND_TCP_SERVER, NULL, 0, TRUE, "127.0.0.1", 65535 },
    { SB_KIND_TCP_SERVER, NULL, 0, TRUE, NULL, 8080 },   /* NULL: the default */
    { SB_KIND_TCP_SERVER, NULL, 0, TRUE, "fe80::2%lo", 1 },
    { SB_KIND_UDP, "10.0.0.5", 9000 },
    { SB_KIND_UDP, "10.0.0.5", 9000, TRUE, "0.0.0.0", 5000 },
    { SB_KIND_UDP, "::1", 9, TRUE, "::", 0 },
    { SB_KIND_UDP, NULL, 0, TRUE, "127.0.0.1", 0 },
    { SB_KIND_UDP, NULL, 0, TRUE, "::1", 5353 },
    { SB_KIND_UDP, "239.1.2.3", 5000, TRUE, "0.0.0.0", 5000 },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/x" },
    { SB_KIND_UNIX_CLIENT, .path = "@name" },
    { SB_KIND_UNIX_CLIENT, .path = "@with space?and%" },
    { SB_KIND_UNIX_CLIENT, .path = "/@not-abstract" },
    { SB_KIND_UNIX_CLIENT, .path = "./sock" },
    { SB_KIND_UNIX_CLIENT, .path = "sock" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/with space" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/q?mark" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/100%" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/%41" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/a&b#c=d" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/tab\there\nnewline" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/你好.sock" },
    { SB_KIND_UNIX_CLIENT, .path = "/tmp/\xff\xfe" },
    { SB_KIND_UNIX_CLIENT, .path = "?" },
    { SB_KIND_UNIX_SERVER, .path = "/run/user/1000/app.sock" },
    { SB_KIND_UNIX_SERVER, .path = "@srv" },
    { SB_KIND_UNIX_DGRAM, .path = "/tmp/d" },
    { SB_KIND_UNIX_DGRAM, .path = "/tmp/d", .bind_path = "/tmp/me" },
    { SB_KIND_UNIX_DGRAM, .bind_path = "/tmp/me" },
    { SB_KIND_UNIX_DGRAM, .path = "@peer", .bind_path = "@me" },
    { SB_KIND_UNIX_DGRAM, .path = "/tmp/a?b", .bind_path = "/tmp/c&bind=d" },
    { SB_KIND_ICMP, "127.0.0.1" },
    { SB_KIND_ICMP, "::1" },
    { SB_KIND_ICMP, "fe80::1%eth0" },
    { SB_KIND_ICMP, "::ffff:10.1.2.3" },
    { SB_KIND_ICMP, "example.com" },
    { SB_KIND_ICMP, "例子.测试" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(SbSessionSpec) spec = make_spec (specs[i].kind,
                                                 specs[i].host, specs[i].port,
                                                 specs[i].has_bind,
                                                 specs[i].bind_host, specs[i].bind_port,
                                                 specs[i].path, specs[i].bind_path);

      assert_round_trip (spec);
    }
}

static void
test_uri_round_trip_long_paths (void)
{
  g_autofree char *name = repeat ('n', 107);
  g_autofree char *spaces = repeat (' ', 106);
  g_autofree char *abstract = g_strconcat ("@", name, NULL);
  g_autofree char *path = g_strconcat ("/", spaces, NULL);
  g_autoptr(SbSessionSpec) a = make_spec (SB_KIND_UNIX_CLIENT, NULL, 0, FALSE, NULL, 0, abstract, NULL);
  g_autoptr(SbSessionSpec) b = make_spec (SB_KIND_UNIX_DGRAM, NULL, 0, FALSE, NULL, 0, path, abstract);

  /* Escaping triples the length of the URI, not of the path it names. */
  assert_round_trip (a);
  assert_round_trip (b);
}

static void
test_uri_canonical (void)
{
  const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "tcp-listen://:0",                 "tcp-listen://127.0.0.1:0" },
    { "tcp-listen://8080",               "tcp-listen://127.0.0.1:8080" },
    { "TCP://[fe80::1%eth0]:080/",       "tcp://[fe80::1%eth0]:80" },
    { "udp://10.0.0.5:9000?bind=0.0.0.0:5000", "udp://10.0.0.5:9000?bind=0.0.0.0:5000" },
    { "udp-listen://:5000",              "udp-listen://127.0.0.1:5000" },
    /* A bound UDP socket with a target is the same session either way. */
    { "udp-listen://:5000?target=h:1",   "udp://h:1?bind=127.0.0.1:5000" },
    { "unix:///tmp/with%20space",        "unix:///tmp/with%20space" },
    { "unix:///tmp/q%3fmark",            "unix:///tmp/q%3Fmark" },
    { "unix:///tmp/%41",                 "unix:///tmp/A" },
    { "unix:///tmp/%25",                 "unix:///tmp/%25" },
    { "unix:///tmp/%E4%BD%A0",           "unix:///tmp/你" },
    { "unix:///tmp/%FF",                 "unix:///tmp/%FF" },
    { "unix://@name",                    "unix://@name" },
    { "unix://./sock",                   "unix://./sock" },
    { "unixgram://?bind=/tmp/me",        "unixgram://?bind=/tmp/me" },
    { "unixgram:///a?bind=/b%26c",       "unixgram:///a?bind=/b%26c" },
    /* IPv6 prints in brackets whichever way it was written. */
    { "icmp://::1",                      "icmp://[::1]" },
    { "icmp://[::1]",                    "icmp://[::1]" },
    { "icmp://127.0.0.1/",               "icmp://127.0.0.1" },
    { "icmp://fe80::1%eth0",             "icmp://[fe80::1%eth0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (cases[i].in, &error);
      g_autofree char *uri = NULL;

      g_assert_no_error (error);
      uri = sb_session_spec_to_uri (spec);
      g_assert_cmpstr (uri, ==, cases[i].out);
    }
}

static void
test_uri_incomplete_spec (void)
{
  g_autoptr(SbSessionSpec) tcp = sb_session_spec_new (SB_KIND_TCP_CLIENT);
  g_autoptr(SbSessionSpec) unix_client = sb_session_spec_new (SB_KIND_UNIX_CLIENT);
  g_autofree char *tcp_uri = sb_session_spec_to_uri (tcp);
  g_autofree char *unix_uri = sb_session_spec_to_uri (unix_client);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) back = NULL;

  /* It prints, and what it prints says what is missing. */
  back = sb_session_spec_parse (tcp_uri, &error);
  g_assert_null (back);
  assert_error_contains (error, tcp_uri, "has no host");
  g_clear_error (&error);

  back = sb_session_spec_parse (unix_uri, &error);
  g_assert_null (back);
  assert_error_contains (error, unix_uri, "has no path");
}

/* host:port */

static void
test_host_port_good (void)
{
  const struct {
    const char *text;
    const char *host;
    guint16 port;
  } cases[] = {
    { "127.0.0.1:80",        "127.0.0.1", 80 },
    { "[::1]:80",            "::1", 80 },
    { "[fe80::1%lo]:80",     "fe80::1%lo", 80 },
    { "[fe80::1%eth0.100]:1", "fe80::1%eth0.100", 1 },
    { "[::ffff:1.2.3.4]:1",  "::ffff:1.2.3.4", 1 },
    { "[::]:0",              "::", 0 },
    { "host.example:65535",  "host.example", 65535 },
    { "localhost:0",         "localhost", 0 },
    { "a_b-c:1",             "a_b-c", 1 },
    { "例子.测试:80",        "例子.测试", 80 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;

      g_assert_true (sb_address_parse_host_port (cases[i].text, FALSE, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
    }

  /* The out arguments are optional: just validate. */
  g_assert_true (sb_address_parse_host_port ("[::1]:80", FALSE, NULL, NULL, NULL));
}

static void
test_host_port_optional (void)
{
  const struct {
    const char *text;
    const char *host;
    guint16 port;
  } cases[] = {
    { ":80",          NULL, 80 },
    { "80",           NULL, 80 },
    { "0",            NULL, 0 },
    { ":0",           NULL, 0 },
    { "65535",        NULL, 65535 },
    { "0.0.0.0:80",   "0.0.0.0", 80 },
    { "[::]:80",      "::", 80 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;

      g_assert_true (sb_address_parse_host_port (cases[i].text, TRUE, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
    }

  /* Without host_optional the same text is missing its host. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;

      g_assert_false (sb_address_parse_host_port (cases[i].text, FALSE, &host, &port, &error));
      assert_error_contains (error, cases[i].text, "has no host: write it as HOST:PORT");
      g_assert_null (host);
      g_assert_cmpuint (port, ==, 1234);
    }
}

static void
test_host_port_bad (void)
{
  const struct {
    const char *text;
    gboolean host_optional;
    const char *fragment;
  } cases[] = {
    { "",                FALSE, "The address is empty" },
    { "",                TRUE,  "The address is empty" },
    { "localhost",       TRUE,  "“localhost” has no port: write it as HOST:PORT" },
    { "127.0.0.1",       FALSE, "“127.0.0.1” has no port" },
    { "[::1]",           FALSE, "“[::1]” has no port" },
    { "[::1]:",          FALSE, "has no port" },
    { ":",               TRUE,  "has no port" },
    { "[::1",            FALSE, "“[::1” is missing its closing bracket" },
    { "::1",             TRUE,  "looks like an IPv6 address: put it in brackets" },
    { "::1:80",          FALSE, "as in [::1]:80" },
    { "300.1.2.3:1",     FALSE, "“300.1.2.3” is not a valid IPv4 address" },
    { "256.256.256.256:1", FALSE, "is not a valid IPv4 address" },
    { "h:65536",         FALSE, "Port “65536” is out of range (0–65535)" },
    { "70000",           TRUE,  "Port “70000” is out of range (0–65535)" },
    { "h:x",             FALSE, "Port “x” is not a number" },
    { "h: 1",            FALSE, "Port “ 1” is not a number" },
    { "a b:1",           FALSE, "is not a valid host name" },
    { "[fe80::1%]:1",    FALSE, "is not a valid zone" },
    { "[1.2.3.4]:1",     FALSE, "only IPv6 addresses go in brackets" },
    { "\xff:1",          FALSE, "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1234;
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("%s", shown);
      g_assert_false (sb_address_parse_host_port (cases[i].text, cases[i].host_optional,
                                                  &host, &port, &error));
      assert_error_contains (error, shown, cases[i].fragment);
      g_assert_null (host);
      g_assert_cmpuint (port, ==, 1234);
    }
}

static void
test_host_name_limits (void)
{
  g_autofree char *label63 = repeat ('a', 63);
  g_autofree char *label64 = repeat ('a', 64);
  /* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
  g_autofree char *name61 = repeat ('b', 61);
  g_autofree char *name253 = g_strjoin (".", label63, label63, label63, name61, NULL);
  g_autofree char *name254 = g_strconcat (name253, "c", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;

  g_assert_cmpuint (strlen (name253), ==, 253);

  text = g_strconcat (name253, ":1", NULL);
  g_assert_true (sb_address_parse_host_port (text, FALSE, &host, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, name253);
  g_clear_pointer (&text, g_free);

  text = g_strconcat (name254, ":1", NULL);
  g_assert_false (sb_address_parse_host_port (text, FALSE, NULL, NULL, &error));
  assert_error_contains (error, text, "is 254 characters long; host names can be at most 253");
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);

  text = g_strconcat (label64, ".example:1", NULL);
  g_assert_false (sb_address_parse_host_port (text, FALSE, NULL, NULL, &error));
  assert_error_contains (error, text, "each part between dots can be at most 63 characters");
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);

  text = g_strconcat ("tcp://", label63, ".example:1", NULL);
  g_assert_true (sb_address_parse_host_port (text + strlen ("tcp://"), FALSE, NULL, NULL, NULL));
}

static void
test_host_port_format (void)
{
  const struct {
    const char *host;
    guint16 port;
    const char *text;
  } cases[] = {
    { "127.0.0.1",    80,    "127.0.0.1:80" },
    { "::1",          80,    "[::1]:80" },
    { "fe80::1%lo",   80,    "[fe80::1%lo]:80" },
    { "::",           0,     "[::]:0" },
    { "host.example", 65535, "host.example:65535" },
    { "localhost",    1,     "localhost:1" },
  };
  g_autofree char *no_host = sb_address_format_host_port (NULL, 80);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sb_address_format_host_port (cases[i].host, cases[i].port);
      g_autofree char *host = NULL;
      guint16 port = 0;

      g_assert_cmpstr (text, ==, cases[i].text);

      /* And it reads back. */
      g_assert_true (sb_address_parse_host_port (text, FALSE, &host, &port, NULL));
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpuint (port, ==, cases[i].port);
    }

  g_assert_cmpstr (no_host, ==, ":80");
}

/* Printing socket addresses */

static char *
inet_string (const char *host,
             guint16     port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (host, port);

  g_assert_nonnull (address);

  return sb_address_to_string (address);
}

static void
test_to_string_inet4 (void)
{
  g_autofree char *a = inet_string ("127.0.0.1", 5000);
  g_autofree char *b = inet_string ("0.0.0.0", 0);
  g_autofree char *c = inet_string ("255.255.255.255", 65535);

  g_assert_cmpstr (a, ==, "127.0.0.1:5000");
  g_assert_cmpstr (b, ==, "0.0.0.0:0");
  g_assert_cmpstr (c, ==, "255.255.255.255:65535");
}

static void
test_to_string_inet6 (void)
{
  g_autofree char *a = inet_string ("::1", 5000);
  g_autofree char *b = inet_string ("::", 0);
  g_autofree char *c = inet_string ("2001:db8::1", 443);
  g_autoptr(GInetAddress) link_local = g_inet_address_new_from_string ("fe80::1");
  g_autoptr(GSocketAddress) scoped = NULL;
  g_autofree char *d = NULL;
  g_autofree char *expected = NULL;
  char name[IF_NAMESIZE];

  g_assert_cmpstr (a, ==, "[::1]:5000");
  g_assert_cmpstr (b, ==, "[::]:0");
  g_assert_cmpstr (c, ==, "[2001:db8::1]:443");

  /* A scope id is shown as the interface name when it has one. */
  scoped = g_object_new (G_TYPE_INET_SOCKET_ADDRESS,
                         "address", link_local,
                         "port", 80,
                         "scope-id", 1,
                         NULL);
  d = sb_address_to_string (scoped);
  expected = g_strdup_printf ("[fe80::1%%%s]:80",
                              if_indextoname (1, name) != NULL ? name : "1");
  g_assert_cmpstr (d, ==, expected);
}

static void
test_to_string_mapped (void)
{
  g_autofree char *a = inet_string ("::ffff:127.0.0.1", 5000);
  g_autofree char *b = inet_string ("::ffff:10.20.30.40", 1);
  /* Close to mapped, but not: stays IPv6. */
  g_autofree char *c = inet_string ("::fffe:127.0.0.1", 5000);
  g_autofree char *d = inet_string ("64:ff9b::7f00:1", 5000);

  g_assert_cmpstr (a, ==, "127.0.0.1:5000");
  g_assert_cmpstr (b, ==, "10.20.30.40:1");
  g_assert_cmpstr (c, ==, "[::fffe:7f00:1]:5000");
  g_assert_cmpstr (d, ==, "[64:ff9b::7f00:1]:5000");
}

static void
test_to_string_unix (void)
{
  g_autoptr(GSocketAddress) path = g_unix_socket_address_new ("/tmp/s");
  g_autoptr(GSocketAddress) abstract =
    g_unix_socket_address_new_with_type ("name", -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
  g_autoptr(GSocketAddress) padded =
    g_unix_socket_address_new_with_type ("padded", -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT_PADDED);
  g_autoptr(GSocketAddress) anonymous =
    g_unix_socket_address_new_with_type ("", 0, G_UNIX_SOCKET_ADDRESS_ANONYMOUS);
  g_autoptr(GSocketAddress) odd = g_unix_socket_address_new ("/tmp/\xff");
  g_autofree char *a = sb_address_to_string (path);
  g_autofree char *b = sb_address_to_string (abstract);
  g_autofree char *c = sb_address_to_string (padded);
  g_autofree char *d = sb_address_to_string (anonymous);
  g_autofree char *e = sb_address_to_string (odd);

  g_assert_cmpstr (a, ==, "/tmp/s");
  g_assert_cmpstr (b, ==, "@name");
  g_assert_cmpstr (c, ==, "@padded");
  g_assert_cmpstr (d, ==, "(unnamed)");
  /* Bytes that are not text still print as valid UTF-8 for the UI. */
  g_assert_true (g_utf8_validate (e, -1, NULL));
  g_assert_true (g_str_has_prefix (e, "/tmp/"));

  /* A sender names itself: its label stays one line and tells different
   * addresses apart (peers are looked up by label). */
  {
    static const struct { const char *path; gssize len; GUnixSocketAddressType type; const char *label; } cases[] = {
      { "/tmp/a\nfake line", -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/a\\x0afake line" },
      { "/tmp/\xff",          -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/\\xff" },
      { "/tmp/\xfe",          -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/\\xfe" },
      { "/tmp/a\\b",          -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/a\\\\b" },
      { "/tmp/\x1b[2J",        -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/\\x1b[2J" },
      { "/tmp/\xc2\x85",       -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/\\xc2\\x85" },  /* U+0085 NEL */
      { "/tmp/a\xe2\x80\xa8" "b", -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/a\\xe2\\x80\\xa8b" },  /* U+2028 LINE SEPARATOR */
      { "x\xe2\x80\xaetxt.exe", 11, G_UNIX_SOCKET_ADDRESS_ABSTRACT, "@x\\xe2\\x80\\xaetxt.exe" },  /* U+202E RLO */
      { "x\xe2\x81\xa6y",      5, G_UNIX_SOCKET_ADDRESS_ABSTRACT, "@x\\xe2\\x81\\xa6y" },  /* U+2066 LRI */
      { "/tmp/a\xe2\x80\xaegpj.exe", -1, G_UNIX_SOCKET_ADDRESS_PATH, "/tmp/a\\xe2\\x80\\xaegpj.exe" },  /* U+202E RLO */
      { "/tmp/a\xe2\x80\x8ez", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x80\\x8ez" },  /* U+200E LRM */
      { "/tmp/a\xe2\x80\x8fz", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x80\\x8fz" },  /* U+200F RLM */
      { "/tmp/a\xd8\x9cz",     -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xd8\\x9cz" },  /* U+061C ALM */
      { "/tmp/a\xe2\x80\xaaz", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x80\\xaaz" },  /* U+202A LRE */
      { "/tmp/a\xe2\x81\xa9z", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x81\\xa9z" },  /* U+2069 PDI */
      { "/tmp/a\xe2\x80\x8bz", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x80\\x8bz" },  /* U+200B ZWSP */
      { "/tmp/a\xef\xbb\xbfz", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xef\\xbb\\xbfz" },  /* U+FEFF BOM in the middle */
      { "/tmp/a\xe2\x80\xa9z", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\\xe2\\x80\\xa9z" },  /* U+2029 PARAGRAPH SEPARATOR */
      { "/tmp/a\xe2\x80\x90z", -1, G_UNIX_SOCKET_ADDRESS_PATH,   "/tmp/a\xe2\x80\x90z" },  /* U+2010 HYPHEN stays */
      { "/tmp/中文",           -1, G_UNIX_SOCKET_ADDRESS_PATH,     "/tmp/中文" },
      { "a\0b",               3, G_UNIX_SOCKET_ADDRESS_ABSTRACT, "@a\\x00b" },
      { "a\0c",               3, G_UNIX_SOCKET_ADDRESS_ABSTRACT, "@a\\x00c" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GSocketAddress) address =
          g_unix_socket_address_new_with_type (cases[i].path, cases[i].len, cases[i].type);
        g_autofree char *label = sb_address_to_string (address);

        g_assert_cmpstr (label, ==, cases[i].label);
      }
  }
}

/* What the kernel reports for real sockets prints the same way. */
static void
test_to_string_sockets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) tcp = NULL;
  g_autoptr(GSocket) unbound = NULL;
  g_autoptr(GSocket) unix_socket = NULL;
  g_autoptr(GSocket) abstract_socket = NULL;
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) unix_address = NULL;
  g_autoptr(GSocketAddress) abstract_address = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *abstract_name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (tcp, any_port, FALSE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (tcp, &error);
  g_assert_no_error (error);
  text = sb_address_to_string (local);
  expected = g_strdup_printf ("127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), !=, 0);
  g_clear_pointer (&text, g_free);
  g_clear_object (&local);

  dir = g_dir_make_tmp ("sockbench-address-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "with space.sock", NULL);
  unix_address = sb_address_new_unix (path, &error);
  g_assert_no_error (error);
  unix_socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_socket_bind (unix_socket, unix_address, FALSE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (unix_socket, &error);
  g_assert_no_error (error);
  text = sb_address_to_string (local);
  g_assert_cmpstr (text, ==, path);
  g_clear_pointer (&text, g_free);
  g_clear_object (&local);
  g_socket_close (unix_socket, NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  unbound = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (unbound, &error);
  g_assert_no_error (error);
  text = sb_address_to_string (local);
  g_assert_cmpstr (text, ==, "(unnamed)");
  g_clear_pointer (&text, g_free);
  g_clear_object (&local);

  if (!g_unix_socket_address_abstract_names_supported ())
    return;

  abstract_name = g_strdup_printf ("@sockbench-test-%d", (int) getpid ());
  abstract_address = sb_address_new_unix (abstract_name, &error);
  g_assert_no_error (error);
  abstract_socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_socket_bind (abstract_socket, abstract_address, FALSE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (abstract_socket, &error);
  g_assert_no_error (error);
  text = sb_address_to_string (local);
  g_assert_cmpstr (text, ==, abstract_name);
}

/* A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d (GLib may
 * already hand them over as IPv4); either way they print as IPv4. */
static void
test_to_string_dual_stack (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("::", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GSocketAddress) client_local = NULL;
  g_autoptr(GSocketAddress) peer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (listener == NULL)
    {
      g_test_skip ("No IPv6 here");
      return;
    }
  g_socket_set_option (listener, IPPROTO_IPV6, IPV6_V6ONLY, 0, NULL);
  if (!g_socket_bind (listener, any, FALSE, &error) || !g_socket_listen (listener, &error))
    {
      g_test_skip_printf ("Cannot listen on [::]: %s", error->message);
      return;
    }
  g_socket_set_timeout (listener, 5);

  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  target = g_inet_socket_address_new_from_string ("127.0.0.1",
                                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (client, 5);
  if (!g_socket_connect (client, target, NULL, &error))
    {
      g_test_skip_printf ("[::] does not accept IPv4 here: %s", error->message);
      return;
    }

  accepted = g_socket_accept (listener, NULL, &error);
  g_assert_no_error (error);
  peer = g_socket_get_remote_address (accepted, &error);
  g_assert_no_error (error);

  client_local = g_socket_get_local_address (client, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (client_local)));
  text = sb_address_to_string (peer);
  g_assert_cmpstr (text, ==, expected);
}

/* UNIX paths */

static void
test_unix_length (void)
{
  g_autofree char *tail106 = repeat ('p', 106);
  g_autofree char *tail107 = repeat ('p', 107);
  g_autofree char *tail129 = repeat ('p', 129);
  g_autofree char *path107 = g_strconcat ("/", tail106, NULL);
  g_autofree char *path108 = g_strconcat ("/", tail107, NULL);
  g_autofree char *path130 = g_strconcat ("/", tail129, NULL);
  g_autofree char *abstract107 = g_strconcat ("@", tail107, NULL);
  g_autofree char *abstract108 = g_strconcat ("@", tail107, "x", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  /* 107 bytes and the NUL fill sun_path exactly, and nothing is clipped. */
  address = sb_address_new_unix (path107, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_unix_socket_address_get_path_len (G_UNIX_SOCKET_ADDRESS (address)), ==, 107);
  text = sb_address_to_string (address);
  g_assert_cmpstr (text, ==, path107);
  g_clear_pointer (&text, g_free);
  g_clear_object (&address);

  address = sb_address_new_unix (path108, &error);
  g_assert_null (address);
  assert_error_contains (error, path108, "is 108 bytes long; UNIX socket paths can be at most 107");
  g_clear_error (&error);

  address = sb_address_new_unix (path130, &error);
  g_assert_null (address);
  expected = g_strdup_printf ("The path “%s” is 130 bytes long; UNIX socket paths can be at most 107", path130);
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Abstract names: 107 bytes after the leading NUL that '@' stands for. */
  if (g_unix_socket_address_abstract_names_supported ())
    {
      address = sb_address_new_unix (abstract107, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_unix_socket_address_get_path_len (G_UNIX_SOCKET_ADDRESS (address)), ==, 107);
      text = sb_address_to_string (address);
      g_assert_cmpstr (text, ==, abstract107);
      g_clear_pointer (&text, g_free);
      g_clear_object (&address);
    }

  address = sb_address_new_unix (abstract108, &error);
  g_assert_null (address);
  assert_error_contains (error, abstract108, "is 108 bytes long (without “@”); abstract socket names can be at most 107");
  g_clear_error (&error);

  /* The URI parser applies the same limits. */
  {
    g_autofree char *ok = g_strconcat ("unix-listen://", path107, NULL);
    g_autofree char *too_long = g_strconcat ("unix-listen://", path108, NULL);
    g_autofree char *abstract_ok = g_strconcat ("unixgram://?bind=", abstract107, NULL);
    g_autofree char *abstract_too_long = g_strconcat ("unixgram:///x?bind=", abstract108, NULL);
    g_autoptr(GString) escaped = g_string_new ("unix:///");
    g_autoptr(SbSessionSpec) spec = NULL;

    spec = sb_session_spec_parse (ok, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (spec->path, ==, path107);
    g_clear_pointer (&spec, sb_session_spec_free);

    spec = sb_session_spec_parse (abstract_ok, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (spec->bind_path, ==, abstract107);
    g_clear_pointer (&spec, sb_session_spec_free);

    spec = sb_session_spec_parse (too_long, &error);
    g_assert_null (spec);
    assert_error_contains (error, too_long, "is 108 bytes long");
    g_clear_error (&error);

    spec = sb_session_spec_parse (abstract_too_long, &error);
    g_assert_null (spec);
    assert_error_contains (error, abstract_too_long, "abstract socket names can be at most 107");
    g_clear_error (&error);

    /* The limit counts decoded bytes, not the escapes in the URI. */
    for (guint i = 0; i < 106; i++)
      g_string_append (escaped, "%20");
    spec = sb_session_spec_parse (escaped->str, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (spec->path), ==, 107);
    g_clear_pointer (&spec, sb_session_spec_free);

    g_string_append (escaped, "%20");
    spec = sb_session_spec_parse (escaped->str, &error);
    g_assert_null (spec);
    assert_error_contains (error, escaped->str, "is 108 bytes long");
  }
}

static void
test_unix_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) path = sb_address_new_unix ("/tmp/x.sock", &error);
  g_autoptr(GSocketAddress) relative = NULL;
  g_autoptr(GSocketAddress) abstract = NULL;
  g_autoptr(GSocketAddress) none = NULL;

  g_assert_no_error (error);
  g_assert_true (G_IS_UNIX_SOCKET_ADDRESS (path));
  g_assert_cmpint (g_unix_socket_address_get_address_type (G_UNIX_SOCKET_ADDRESS (path)),
                   ==, G_UNIX_SOCKET_ADDRESS_PATH);
  g_assert_cmpstr (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (path)), ==, "/tmp/x.sock");

  relative = sb_address_new_unix ("./sock", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (relative)), ==, "./sock");

  if (g_unix_socket_address_abstract_names_supported ())
    {
      abstract = sb_address_new_unix ("@name", &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_unix_socket_address_get_address_type (G_UNIX_SOCKET_ADDRESS (abstract)),
                       ==, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
      /* The '@' is notation, not part of the name. */
      g_assert_cmpuint (g_unix_socket_address_get_path_len (G_UNIX_SOCKET_ADDRESS (abstract)), ==, 4);
      g_assert_cmpmem (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (abstract)), 4, "name", 4);
    }

  none = sb_address_new_unix ("", &error);
  g_assert_null (none);
  assert_error_contains (error, "", "The UNIX socket path is empty");
  g_clear_error (&error);

  none = sb_address_new_unix ("@", &error);
  g_assert_null (none);
  assert_error_contains (error, "@", "abstract socket name “@” is empty");
}

static void
test_is_any (void)
{
  const char *any[] = { "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0" };
  const char *not_any[] = { "127.0.0.1", "::1", "[::1]", "localhost", "0", "",
                            "0.0.0.0:80", "[::", "::ffff:0.0.0.0", "example.com" };

  for (guint i = 0; i < G_N_ELEMENTS (any); i++)
    g_assert_true (sb_address_is_any (any[i]));

  for (guint i = 0; i < G_N_ELEMENTS (not_any); i++)
    {
      g_test_message ("%s", not_any[i]);
      g_assert_false (sb_address_is_any (not_any[i]));
    }

  g_assert_false (sb_address_is_any (NULL));
}

/* Kinds */

static void
test_kind (void)
{
  const struct {
    SbKind kind;
    const char *scheme;
    gboolean stream;
    gboolean server;
    gboolean is_unix;
    const char *example;
  } kinds[] = {
    { SB_KIND_TCP_CLIENT,  "tcp",         TRUE,  FALSE, FALSE, "tcp://h:1" },
    { SB_KIND_TCP_SERVER,  "tcp-listen",  TRUE,  TRUE,  FALSE, "tcp-listen://:1" },
    { SB_KIND_UDP,         "udp",         FALSE, FALSE, FALSE, "udp://h:1" },
    { SB_KIND_UNIX_CLIENT, "unix",        TRUE,  FALSE, TRUE,  "unix:///s" },
    { SB_KIND_UNIX_SERVER, "unix-listen", TRUE,  TRUE,  TRUE,  "unix-listen:///s" },
    { SB_KIND_UNIX_DGRAM,  "unixgram",    FALSE, FALSE, TRUE,  "unixgram:///s" },
    { SB_KIND_ICMP,        "icmp",        FALSE, FALSE, FALSE, "icmp://h" },
    { SB_KIND_TLS_CLIENT,  "tls",         TRUE,  FALSE, FALSE, "tls://h:1" },
    { SB_KIND_TLS_SERVER,  "tls-listen",  TRUE,  TRUE,  FALSE, "tls-listen://:1" },
    { SB_KIND_DTLS_CLIENT, "dtls",        FALSE, FALSE, FALSE, "dtls://h:1" },
    { SB_KIND_DTLS_SERVER, "dtls-listen", FALSE, TRUE,  FALSE, "dtls-listen://:1" },
    { SB_KIND_RELAY_TCP,   "relay",       TRUE,  TRUE,  FALSE, "relay://:1?to=h:2" },
    { SB_KIND_RELAY_UDP,   "relay-udp",   FALSE, TRUE,  FALSE, "relay-udp://:1?to=h:2" },
    { SB_KIND_RELAY_UNIX,  "relay-unix",  TRUE,  TRUE,  TRUE,  "relay-unix:///s?to=/t" },
    { SB_KIND_RELAY_TLS,   "relay-tls",   TRUE,  TRUE,  FALSE, "relay-tls://:1?to=h:2" },
  };

  g_assert_cmpuint (G_N_ELEMENTS (kinds), ==, SB_N_KINDS);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (kinds[i].example, NULL);
      g_autofree char *prefix = g_strconcat (kinds[i].scheme, "://", NULL);

      g_assert_cmpstr (sb_kind_to_scheme (kinds[i].kind), ==, kinds[i].scheme);
      g_assert_cmpint (sb_kind_is_stream (kinds[i].kind), ==, kinds[i].stream);
      g_assert_cmpint (sb_kind_is_server (kinds[i].kind), ==, kinds[i].server);
      g_assert_cmpint (sb_kind_is_unix (kinds[i].kind), ==, kinds[i].is_unix);

      /* The scheme names the kind it parses to. */
      g_assert_nonnull (spec);
      g_assert_cmpint (spec->kind, ==, kinds[i].kind);
      g_assert_true (g_str_has_prefix (kinds[i].example, prefix));
    }
}

/* Specs */

static void
test_spec_lifecycle (void)
{
  g_autoptr(SbSessionSpec) server = sb_session_spec_new (SB_KIND_TCP_SERVER);
  g_autoptr(SbSessionSpec) client = sb_session_spec_new (SB_KIND_TCP_CLIENT);
  g_autoptr(SbSessionSpec) udp = sb_session_spec_parse ("udp://h:1?bind=0.0.0.0:2", NULL);
  g_autoptr(SbSessionSpec) copy = NULL;
  g_autoptr(SbSessionSpec) gram = sb_session_spec_parse ("unixgram:///a?bind=/b", NULL);
  g_autoptr(SbSessionSpec) gram_copy = NULL;
  g_autofree char *server_uri = NULL;

  /* Servers start on loopback with a kernel-chosen port. */
  g_assert_true (server->has_bind);
  g_assert_cmpstr (server->bind_host, ==, "127.0.0.1");
  g_assert_cmpuint (server->bind_port, ==, 0);
  server_uri = sb_session_spec_to_uri (server);
  g_assert_cmpstr (server_uri, ==, "tcp-listen://127.0.0.1:0");

  g_assert_null (client->host);
  g_assert_false (client->has_bind);

  copy = sb_session_spec_copy (udp);
  g_assert_true (sb_session_spec_equal (udp, copy));
  g_assert_true (copy->host != udp->host);
  g_assert_true (copy->bind_host != udp->bind_host);
  g_assert_cmpstr (copy->host, ==, "h");
  g_assert_cmpstr (copy->bind_host, ==, "0.0.0.0");

  gram_copy = sb_session_spec_copy (gram);
  g_assert_true (gram_copy->path != gram->path);
  g_assert_true (gram_copy->bind_path != gram->bind_path);
  g_assert_true (sb_session_spec_equal (gram, gram_copy));

  /* Freeing nothing is fine. */
  sb_session_spec_free (NULL);
}

static void
test_spec_equal (void)
{
  g_autoptr(SbSessionSpec) a = sb_session_spec_parse ("tcp://h:1", NULL);
  g_autoptr(SbSessionSpec) b = sb_session_spec_parse ("tcp://h:1", NULL);
  g_autoptr(SbSessionSpec) other_port = sb_session_spec_parse ("tcp://h:2", NULL);
  g_autoptr(SbSessionSpec) other_kind = sb_session_spec_parse ("udp://h:1", NULL);
  g_autoptr(SbSessionSpec) bound = sb_session_spec_parse ("udp://h:1?bind=0.0.0.0:0", NULL);
  g_autoptr(SbSessionSpec) listen_default = sb_session_spec_parse ("tcp-listen://:5", NULL);
  g_autoptr(SbSessionSpec) listen_null = make_spec (SB_KIND_TCP_SERVER, NULL, 0, TRUE, NULL, 5, NULL, NULL);
  g_autoptr(SbSessionSpec) listen_any = sb_session_spec_parse ("tcp-listen://0.0.0.0:5", NULL);
  g_autoptr(SbSessionSpec) gram = sb_session_spec_parse ("unixgram:///a", NULL);
  g_autoptr(SbSessionSpec) gram_bound = sb_session_spec_parse ("unixgram:///a?bind=/b", NULL);
  g_autoptr(SbSessionSpec) ping = sb_session_spec_parse ("icmp://h", NULL);
  g_autoptr(SbSessionSpec) ping_v6 = sb_session_spec_parse ("icmp://::1", NULL);
  g_autoptr(SbSessionSpec) ping_v6_brackets = sb_session_spec_parse ("icmp://[::1]", NULL);

  g_assert_true (sb_session_spec_equal (a, b));
  g_assert_true (sb_session_spec_equal (a, a));
  g_assert_false (sb_session_spec_equal (a, other_port));
  g_assert_false (sb_session_spec_equal (a, other_kind));
  g_assert_false (sb_session_spec_equal (other_kind, bound));
  g_assert_false (sb_session_spec_equal (listen_default, listen_any));
  g_assert_false (sb_session_spec_equal (gram, gram_bound));
  g_assert_false (sb_session_spec_equal (ping, a));
  g_assert_false (sb_session_spec_equal (ping, ping_v6));
  g_assert_true (sb_session_spec_equal (ping_v6, ping_v6_brackets));

  /* A TCP client's local side: none, any address, or a given one differ. */
  {
    g_autoptr(SbSessionSpec) local_any = sb_session_spec_parse ("tcp://h:1?bind=:40000", NULL);
    g_autoptr(SbSessionSpec) local_any2 = sb_session_spec_parse ("tcp://h:1?bind=40000", NULL);
    g_autoptr(SbSessionSpec) local_lo = sb_session_spec_parse ("tcp://h:1?bind=127.0.0.1:40000", NULL);
    g_autoptr(SbSessionSpec) local_other = sb_session_spec_parse ("tcp://h:1?bind=:40001", NULL);
    g_autoptr(SbSessionSpec) unix_bound = sb_session_spec_parse ("unix:///a?bind=/b", NULL);
    g_autoptr(SbSessionSpec) unix_plain = sb_session_spec_parse ("unix:///a", NULL);
    g_autofree char *any_uri = sb_session_spec_to_uri (local_any2);

    g_assert_true (sb_session_spec_equal (local_any, local_any2));
    g_assert_false (sb_session_spec_equal (a, local_any));
    g_assert_false (sb_session_spec_equal (local_any, a));
    g_assert_false (sb_session_spec_equal (local_any, local_lo));
    g_assert_false (sb_session_spec_equal (local_any, local_other));
    g_assert_false (sb_session_spec_equal (unix_bound, unix_plain));
    g_assert_cmpstr (any_uri, ==, "tcp://h:1?bind=:40000");
    g_assert_null (local_any->bind_host);
  }

  /* A bind host left NULL means the loopback default. */
  g_assert_true (sb_session_spec_equal (listen_default, listen_null));

  /* Fields the kind does not use do not count. */
  b->path = g_strdup ("/ignored");
  b->bind_port = 99;
  g_assert_true (sb_session_spec_equal (a, b));
}

/* Errors */

static void
test_errors_utf8 (void)
{
  g_autoptr(GString) uri = g_string_new ("unix:///");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;

  /* A too-long path of non-text bytes still gives a readable message. */
  for (guint i = 0; i < 120; i++)
    g_string_append (uri, "%FF");
  spec = sb_session_spec_parse (uri->str, &error);
  g_assert_null (spec);
  assert_error_contains (error, uri->str, "is 121 bytes long");
  g_clear_error (&error);

  spec = sb_session_spec_parse ("unix:///tmp/\xff", &error);
  g_assert_null (spec);
  assert_error_contains (error, "unix:///tmp/\\xff", "not valid UTF-8; write other bytes in a path as %XX");
  g_clear_error (&error);

  /* A bad escape followed by a non-ASCII character shows it whole, not
   * its first byte (found by tests/fuzz/fuzz-address). */
  spec = sb_session_spec_parse ("unix://4[%zх", &error);
  g_assert_null (spec);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_error_contains (error, "unix://4[%zх", "“%zх” in “4[%zх” is not a valid escape");
  g_clear_error (&error);

  spec = sb_session_spec_parse ("unixgram://?bind=/a%é", &error);
  g_assert_null (spec);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_error_contains (error, "unixgram://?bind=/a%é", "“%é” in “/a%é” is not a valid escape");
}

static void
test_preconditions (void)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("sb-address", G_LOG_LEVEL_CRITICAL, "*uri != NULL*");
  g_assert_null (sb_session_spec_parse (NULL, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("sb-address", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (sb_address_parse_host_port (NULL, FALSE, NULL, NULL, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("sb-address", G_LOG_LEVEL_CRITICAL, "*kind < SB_N_KINDS*");
  g_assert_null (sb_kind_to_scheme (SB_N_KINDS));
  g_test_assert_expected_messages ();

  g_test_expect_message ("sb-address", G_LOG_LEVEL_CRITICAL, "*G_IS_SOCKET_ADDRESS*");
  g_assert_null (sb_address_to_string (NULL));
  g_test_assert_expected_messages ();

  g_assert_no_error (error);
}

/* Names that end in letters stay names, whatever digits they hold. */
static void
test_ipv4_or_name (void)
{
  const char *names[] = { "host-1.example", "1e100.net", "10.0.0.1.example", "x1", "a.b.c.d", "123abc.org" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      g_autofree char *text = g_strdup_printf ("%s:80", names[i]);

      g_assert_true (sb_address_parse_host_port (text, FALSE, &host, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, names[i]);
    }
}

static const struct
{
  SbKind       kind;
  SbSpecField  field;
  const char  *text;
  const char  *message;   /* NULL: valid */
} field_checks[] = {
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_KIND, "tcp-listen", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_KIND, "UDP-Listen", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_KIND, "ftp",
    "Kind: “ftp” is not a kind of session: use tcp, tcp-listen, udp, udp-listen, unix, unix-listen, unixgram, icmp, tls, tls-listen, dtls, dtls-listen, relay, relay-udp, relay-unix or relay-tls" },

  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "example.com", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "127.0.0.1", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "::1", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "[fe80::1%lo]", NULL },
  { SB_KIND_ICMP,       SB_SPEC_FIELD_HOST, "::1", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "300.1.2.3",
    "Host: “300.1.2.3” is not a valid IPv4 address: 300 is more than 255" },
  { SB_KIND_UDP,        SB_SPEC_FIELD_HOST, "1.2.3",
    "Host: “1.2.3” is not a valid IPv4 address: write four numbers from 0 to 255 separated by dots, as in 192.168.1.10" },
  { SB_KIND_ICMP,       SB_SPEC_FIELD_HOST, "0x7f.1",
    "Host: “0x7f.1” is not a valid IPv4 address: “0x7f” is not a number from 0 to 255" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "", "Host: The host is empty: write a host name or an address" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "a b", "Host: “a b” is not a valid host name: “ ” is not allowed" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "[1.2.3.4]", "Host: “[1.2.3.4]”: only IPv6 addresses go in brackets" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_HOST, "::g", "Host: “[::g]” is not a valid IPv6 address" },
  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_HOST, "h", "Host: tcp-listen:// sessions do not have this field" },

  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_PORT, "80", NULL },
  { SB_KIND_UDP,        SB_SPEC_FIELD_PORT, "65535", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_PORT, "70000", "Port “70000” is out of range (0–65535)" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_PORT, "0", "Port 0 cannot be connected to; choose a port from 1 to 65535" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_PORT, "", "Port “” is not a number from 0 to 65535" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_PORT, "-1", "Port “-1” is not a number from 0 to 65535" },
  { SB_KIND_ICMP,       SB_SPEC_FIELD_PORT, "7", "Port: icmp:// sessions do not have this field" },

  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_BIND_HOST, "", NULL },
  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_BIND_HOST, "0.0.0.0", NULL },
  { SB_KIND_UDP,        SB_SPEC_FIELD_BIND_HOST, "::", NULL },
  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_BIND_HOST, "256.0.0.1",
    "Local address: “256.0.0.1” is not a valid IPv4 address: 256 is more than 255" },
  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_BIND_PORT, "0", NULL },
  { SB_KIND_TCP_SERVER, SB_SPEC_FIELD_BIND_PORT, "65536", "Local port: Port “65536” is out of range (0–65535)" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_PORT, "40000", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_PORT, "0", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_PORT, "65536", "Local port: Port “65536” is out of range (0–65535)" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_PORT, "4x", "Local port: Port “4x” is not a number" },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_HOST, "", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_HOST, "127.0.0.1", NULL },
  { SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_HOST, "300.1.2.3",
    "Local address: “300.1.2.3” is not a valid IPv4 address: 300 is more than 255" },
  { SB_KIND_UNIX_SERVER, SB_SPEC_FIELD_BIND_PORT, "5", "Local port: unix-listen:// sessions do not have this field" },
  { SB_KIND_UNIX_CLIENT, SB_SPEC_FIELD_BIND_PATH, "/tmp/me", NULL },

  { SB_KIND_UNIX_CLIENT, SB_SPEC_FIELD_PATH, "/tmp/s", NULL },
  { SB_KIND_UNIX_SERVER, SB_SPEC_FIELD_PATH, "@name", NULL },
  { SB_KIND_UNIX_CLIENT, SB_SPEC_FIELD_PATH, "", "Path: The path is empty: write a file path, or @NAME for an abstract socket" },
  { SB_KIND_UNIX_CLIENT, SB_SPEC_FIELD_PATH, "@", "Path: The abstract socket name “@” is empty" },
  { SB_KIND_TCP_CLIENT,  SB_SPEC_FIELD_PATH, "/tmp/s", "Path: tcp:// sessions do not have this field" },
  { SB_KIND_UNIX_DGRAM,  SB_SPEC_FIELD_BIND_PATH, "", NULL },
  { SB_KIND_UNIX_DGRAM,  SB_SPEC_FIELD_BIND_PATH, "/tmp/me", NULL },
  { SB_KIND_UNIX_SERVER, SB_SPEC_FIELD_BIND_PATH, "/tmp/me", "Local path: unix-listen:// sessions do not have this field" },
};

static void
test_check_field (void)
{
  g_autofree char *long_path = g_strnfill (108, 'p');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (field_checks); i++)
    {
      g_autoptr(GError) check_error = NULL;
      gboolean ok;

      g_test_message ("%s: “%s”", sb_kind_to_scheme (field_checks[i].kind), field_checks[i].text);
      ok = sb_session_spec_check_field (field_checks[i].kind, field_checks[i].field,
                                        field_checks[i].text, &check_error);
      if (field_checks[i].message == NULL)
        {
          g_assert_no_error (check_error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (check_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
          g_assert_true (g_str_has_prefix (check_error->message, field_checks[i].message));
        }
    }

  long_path[0] = '/';
  g_assert_false (sb_session_spec_check_field (SB_KIND_UNIX_CLIENT, SB_SPEC_FIELD_PATH, long_path, &error));
  g_assert_true (g_str_has_prefix (error->message, "Path: The path “/"));
  g_assert_nonnull (strstr (error->message, "is 108 bytes long; UNIX socket paths can be at most 107"));
}

/* A field says what the URI parser says of the same text, after its name. */
static void
test_check_field_same_words (void)
{
  const struct
  {
    SbSpecField  field;
    const char  *text;
    const char  *uri;
  } pairs[] = {
    { SB_SPEC_FIELD_HOST, "300.1.2.3", "tcp://300.1.2.3:80" },
    { SB_SPEC_FIELD_HOST, "1.2.3", "tcp://1.2.3:80" },
    { SB_SPEC_FIELD_HOST, "bad_-host!", "tcp://bad_-host!:80" },
    { SB_SPEC_FIELD_PORT, "70000", "tcp://h:70000" },
    { SB_SPEC_FIELD_PORT, "0", "tcp://h:0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(GError) field_error = NULL;
      g_autoptr(GError) uri_error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (pairs[i].uri, &uri_error);

      g_assert_null (spec);
      g_assert_false (sb_session_spec_check_field (SB_KIND_TCP_CLIENT, pairs[i].field, pairs[i].text, &field_error));
      if (pairs[i].field == SB_SPEC_FIELD_PORT)
        g_assert_cmpstr (field_error->message, ==, uri_error->message);
      else
        {
          g_autofree char *expected = g_strdup_printf ("Host: %s", uri_error->message);

          g_assert_cmpstr (field_error->message, ==, expected);
        }
    }
}

/* A spec built by hand (as an editor does) is checked like a parsed one. */
static void
test_check_spec (void)
{
  g_autoptr(SbSessionSpec) client = sb_session_spec_new (SB_KIND_TCP_CLIENT);
  g_autoptr(SbSessionSpec) server = sb_session_spec_new (SB_KIND_TCP_SERVER);
  g_autoptr(SbSessionSpec) listen = sb_session_spec_parse ("udp-listen://:0", NULL);
  g_autoptr(SbSessionSpec) bound = sb_session_spec_parse ("unixgram://?bind=/tmp/me", NULL);
  g_autoptr(SbSessionSpec) parsed = sb_session_spec_parse ("udp://127.0.0.1:9?bind=0.0.0.0:0", NULL);
  g_autoptr(GError) error = NULL;
  SbSpecField field = SB_SPEC_FIELD_KIND;

  g_assert_true (sb_session_spec_check (server, NULL, NULL));
  g_assert_true (sb_session_spec_check (listen, NULL, NULL));
  g_assert_true (sb_session_spec_check (bound, NULL, NULL));
  g_assert_true (sb_session_spec_check (parsed, NULL, NULL));

  /* No host yet. */
  g_assert_false (sb_session_spec_check (client, &field, &error));
  g_assert_cmpint (field, ==, SB_SPEC_FIELD_HOST);
  g_clear_error (&error);

  /* Never handed to the resolver as a name. */
  client->host = g_strdup ("300.1.2.3");
  client->port = 80;
  g_assert_false (sb_session_spec_check (client, &field, &error));
  g_assert_cmpint (field, ==, SB_SPEC_FIELD_HOST);
  g_assert_cmpstr (error->message, ==, "Host: “300.1.2.3” is not a valid IPv4 address: 300 is more than 255");
  g_clear_error (&error);

  g_free (client->host);
  client->host = g_strdup ("127.0.0.1");
  client->port = 0;
  g_assert_false (sb_session_spec_check (client, &field, &error));
  g_assert_cmpint (field, ==, SB_SPEC_FIELD_PORT);
  g_clear_error (&error);

  client->port = 7;
  g_assert_true (sb_session_spec_check (client, &field, &error));
  g_assert_no_error (error);

  g_free (server->bind_host);
  server->bind_host = g_strdup ("127.0.0.256");
  g_assert_false (sb_session_spec_check (server, &field, &error));
  g_assert_cmpint (field, ==, SB_SPEC_FIELD_BIND_HOST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/uri/good", test_uri_good);
  g_test_add_func ("/address/uri/bad", test_uri_bad);
  g_test_add_func ("/address/uri/round-trip-uris", test_uri_round_trip_uris);
  g_test_add_func ("/address/uri/round-trip-specs", test_uri_round_trip_specs);
  g_test_add_func ("/address/uri/round-trip-long-paths", test_uri_round_trip_long_paths);
  g_test_add_func ("/address/uri/canonical", test_uri_canonical);
  g_test_add_func ("/address/uri/incomplete-spec", test_uri_incomplete_spec);
  g_test_add_func ("/address/host-port/good", test_host_port_good);
  g_test_add_func ("/address/host-port/optional", test_host_port_optional);
  g_test_add_func ("/address/host-port/bad", test_host_port_bad);
  g_test_add_func ("/address/host-port/name-limits", test_host_name_limits);
  g_test_add_func ("/address/host-port/format", test_host_port_format);
  g_test_add_func ("/address/to-string/inet4", test_to_string_inet4);
  g_test_add_func ("/address/to-string/inet6", test_to_string_inet6);
  g_test_add_func ("/address/to-string/mapped", test_to_string_mapped);
  g_test_add_func ("/address/to-string/unix", test_to_string_unix);
  g_test_add_func ("/address/to-string/sockets", test_to_string_sockets);
  g_test_add_func ("/address/to-string/dual-stack", test_to_string_dual_stack);
  g_test_add_func ("/address/unix/length", test_unix_length);
  g_test_add_func ("/address/unix/new", test_unix_new);
  g_test_add_func ("/address/is-any", test_is_any);
  g_test_add_func ("/address/kind", test_kind);
  g_test_add_func ("/address/spec/lifecycle", test_spec_lifecycle);
  g_test_add_func ("/address/spec/equal", test_spec_equal);
  g_test_add_func ("/address/errors/utf8", test_errors_utf8);
  g_test_add_func ("/address/preconditions", test_preconditions);
  g_test_add_func ("/address/ipv4-or-name", test_ipv4_or_name);
  g_test_add_func ("/address/check/field", test_check_field);
  g_test_add_func ("/address/check/field-same-words", test_check_field_same_words);
  g_test_add_func ("/address/check/spec", test_check_spec);

  return g_test_run ();
}
