/* fuzz-address.c — session URIs and host:port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [mode] text…
 *
 * Properties:
 *   - nothing crashes, and every error has a UTF-8 message;
 *   - a URI that parses prints (sb_session_spec_to_uri) to a URI that parses
 *     to an equal spec (sb_session_spec_equal, both ways), and printing that
 *     spec gives the same URI again; a copy is equal too;
 *   - host:port that parses formats (sb_address_format_host_port) to text
 *     that parses to the same host and port;
 *   - sb_address_new_unix either makes an address or says why not.
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "sb-address.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_error (const GError *error,
             const char   *what)
{
  FUZZ_CHECK (error != NULL && error->domain == SB_ADDRESS_ERROR && error->message != NULL &&
              *error->message != '\0',
              "%s failed without an SbAddressError message", what);
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "%s: message is not UTF-8", what);
}

static void
fuzz_uri (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (text, &error);
  g_autoptr(SbSessionSpec) again = NULL;
  g_autoptr(SbSessionSpec) copy = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *uri2 = NULL;

  if (spec == NULL)
    {
      check_error (error, "sb_session_spec_parse");
      return;
    }

  FUZZ_CHECK (spec->kind < SB_N_KINDS, "kind %d", spec->kind);
  copy = sb_session_spec_copy (spec);
  FUZZ_CHECK (sb_session_spec_equal (spec, copy), "a copy is not equal");

  uri = sb_session_spec_to_uri (spec);
  FUZZ_CHECK (g_utf8_validate (uri, -1, NULL), "to_uri gave invalid UTF-8");
  again = sb_session_spec_parse (uri, &error);
  if (again == NULL)
    fuzz_fail ("\"%s\" parses, prints as \"%s\", which does not parse: %s", text, uri, error->message);
  if (!sb_session_spec_equal (spec, again) || !sb_session_spec_equal (again, spec))
    fuzz_fail ("\"%s\" prints as \"%s\", which parses to another spec", text, uri);
  uri2 = sb_session_spec_to_uri (again);
  FUZZ_CHECK (strcmp (uri, uri2) == 0, "\"%s\" → \"%s\" → \"%s\": printing is not stable", text, uri, uri2);

  if (spec->path != NULL)
    {
      g_autoptr(GSocketAddress) address = sb_address_new_unix (spec->path, &error);

      FUZZ_CHECK (address != NULL, "a parsed path \"%s\" makes no address: %s", spec->path,
                  error ? error->message : "");
    }
}

static void
fuzz_host_port (const char *text,
                gboolean    optional)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *host2 = NULL;
  g_autofree char *formatted = NULL;
  guint16 port = 0, port2 = 0;

  if (!sb_address_parse_host_port (text, optional, &host, &port, &error))
    {
      check_error (error, "sb_address_parse_host_port");
      return;
    }

  if (host == NULL)
    {
      FUZZ_CHECK (optional, "no host without host_optional");
      return;
    }

  formatted = sb_address_format_host_port (host, port);
  if (!sb_address_parse_host_port (formatted, FALSE, &host2, &port2, &error))
    fuzz_fail ("\"%s\" → \"%s\" does not parse: %s", text, formatted, error->message);
  FUZZ_CHECK (g_strcmp0 (host, host2) == 0 && port == port2,
              "\"%s\" → \"%s\" parses to another host or port", text, formatted);
}

static void
fuzz_unix (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = sb_address_new_unix (text, &error);

  if (address == NULL)
    {
      FUZZ_CHECK (error != NULL && error->message != NULL, "new_unix failed without a message");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL) || !g_utf8_validate (text, -1, NULL),
                  "new_unix: message is not UTF-8");
    }
  else
    {
      g_autofree char *shown = sb_address_to_string (address);

      FUZZ_CHECK (shown != NULL, "to_string gave NULL");
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  guint8 mode = fuzz_byte (&in);
  g_autofree char *text = g_strndup ((const char *) in.data, in.len);

  fuzz_init_glib ();

  switch (mode % 4)
    {
    case 0:
    case 1:
      fuzz_uri (text);
      break;
    case 2:
      fuzz_host_port (text, (mode >> 2) & 1);
      break;
    default:
      fuzz_unix (text);
      break;
    }

  return 0;
}
