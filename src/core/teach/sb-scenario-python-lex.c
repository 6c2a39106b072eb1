/* sb-scenario-python-lex.c — Lua lines as tokens, and the Python helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario-python"

#include "config.h"

#include <string.h>

#include "sb-scenario-python-private.h"

/* What every exported script starts with: a small connection class over
 * the socket module, and a TAP-printing test runner. */
const char _sb_scenario_python_prelude[] =
  "import re\n"
  "import socket\n"
  "import sys\n"
  "import time\n"
  "\n"
  "_reason = None\n"
  "\n"
  "\n"
  "class Conn:\n"
  "    def __init__(self, sock, frame, udp, listening):\n"
  "        self.sock, self.frame, self.udp, self.listening = sock, frame, udp, listening\n"
  "        self.peer = None\n"
  "        self.buffer = b\"\"\n"
  "\n"
  "    def address(self):\n"
  "        return \"%s:%d\" % self.sock.getsockname()[:2]\n"
  "\n"
  "    def port(self):\n"
  "        return self.sock.getsockname()[1]\n"
  "\n"
  "    def _stream(self):\n"
  "        if self.listening and not self.udp:\n"
  "            if self.peer is None:\n"
  "                self.peer, _ = self.sock.accept()\n"
  "            return self.peer\n"
  "        return self.sock\n"
  "\n"
  "    def send(self, data):\n"
  "        if self.udp and self.listening:\n"
  "            self.sock.sendto(_b(data), self.peer)\n"
  "        else:\n"
  "            self._stream().sendall(_b(data))\n"
  "\n"
  "    def _next_frame(self, deadline):\n"
  "        while True:\n"
  "            if self.frame == \"line\" and b\"\\n\" in self.buffer:\n"
  "                end = self.buffer.index(b\"\\n\") + 1\n"
  "                frame, self.buffer = self.buffer[:end], self.buffer[end:]\n"
  "                return frame\n"
  "            if self.frame != \"line\" and self.buffer:\n"
  "                frame, self.buffer = self.buffer, b\"\"\n"
  "                return frame\n"
  "            left = deadline - time.monotonic()\n"
  "            if left <= 0:\n"
  "                return None\n"
  "            sock = self.sock if self.udp else self._stream()\n"
  "            sock.settimeout(left)\n"
  "            try:\n"
  "                if self.udp:\n"
  "                    data, sender = sock.recvfrom(65536)\n"
  "                    if self.listening:\n"
  "                        self.peer = sender\n"
  "                    return data\n"
  "                data = sock.recv(65536)\n"
  "            except socket.timeout:\n"
  "                return None\n"
  "            if not data:\n"
  "                return None\n"
  "            self.buffer += data\n"
  "\n"
  "    def expect(self, pattern, timeout_ms=5000, n=1):\n"
  "        global _reason\n"
  "        deadline = time.monotonic() + timeout_ms / 1000\n"
  "        while True:\n"
  "            frame = self._next_frame(deadline)\n"
  "            if frame is None:\n"
  "                _reason = \"expected %r within %d ms\" % (pattern, timeout_ms)\n"
  "                return (None,) * n if n > 1 else None\n"
  "            if isinstance(pattern, re.Pattern):\n"
  "                match = pattern.search(frame)\n"
  "                if not match:\n"
  "                    continue\n"
  "                values = (frame,) + (match.groups() or (match.group(0),))\n"
  "            elif _b(pattern) in frame:\n"
  "                values = (frame,)\n"
  "            else:\n"
  "                continue\n"
  "            return (values + (None,) * n)[:n] if n > 1 else frame\n"
  "\n"
  "    def shutdown(self):\n"
  "        self._stream().shutdown(socket.SHUT_WR)\n"
  "\n"
  "    def close(self):\n"
  "        if self.peer is not None and not self.udp:\n"
  "            self.peer.close()\n"
  "        self.sock.close()\n"
  "\n"
  "\n"
  "def _open(uri, frame=None, listen=False):\n"
  "    scheme, _, rest = uri.partition(\"://\")\n"
  "    host, _, port = rest.rpartition(\":\")\n"
  "    host = host.strip(\"[]\") or \"127.0.0.1\"\n"
  "    udp = scheme.startswith(\"udp\")\n"
  "    family = socket.AF_INET6 if \":\" in host else socket.AF_INET\n"
  "    if listen and scheme in (\"tcp-listen\", \"udp-listen\"):\n"
  "        sock = socket.socket(family, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)\n"
  "        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
  "        sock.bind((host, int(port)))\n"
  "        if not udp:\n"
  "            sock.listen()\n"
  "        print(\"# listening on\", *sock.getsockname()[:2], flush=True)\n"
  "        return Conn(sock, frame, udp, True)\n"
  "    if not listen and scheme in (\"tcp\", \"udp\"):\n"
  "        if udp:\n"
  "            sock = socket.socket(family, socket.SOCK_DGRAM)\n"
  "            sock.connect((host, int(port)))\n"
  "        else:\n"
  "            sock = socket.create_connection((host, int(port)), timeout=10)\n"
  "        return Conn(sock, frame, udp, False)\n"
  "    raise ValueError(\"%s: this script opens tcp and udp sockets only\" % uri)\n"
  "\n"
  "\n"
  "def _b(value):\n"
  "    if isinstance(value, bytes):\n"
  "        return value\n"
  "    return str(value).encode()\n"
  "\n"
  "\n"
  "def _num(value):\n"
  "    try:\n"
  "        return float(value) if b\".\" in _b(value) else int(value)\n"
  "    except ValueError:\n"
  "        return None\n"
  "\n"
  "\n"
  "def _assert(value, message=None):\n"
  "    first = value[0] if isinstance(value, tuple) else value\n"
  "    if first is None or first is False:\n"
  "        raise AssertionError(message or _reason or \"assertion failed\")\n"
  "    return value\n"
  "\n"
  "\n"
  "def _unsupported(line):\n"
  "    raise NotImplementedError(\"line %d of the scenario has no Python equivalent\" % line)\n"
  "\n"
  "\n"
  "_results = []\n"
  "\n"
  "\n"
  "def run_test(name, function):\n"
  "    try:\n"
  "        function()\n"
  "        error = None\n"
  "    except Exception as e:\n"
  "        error = e\n"
  "    _results.append(error)\n"
  "    print(\"%sok %d - %s\" % (\"not \" if error else \"\", len(_results), name), flush=True)\n"
  "    if error:\n"
  "        print(\"  ---\\n  message: %r\\n  ...\" % str(error), flush=True)\n"
  "\n"
  "\n";

void
_sb_scenario_py_tok_free (Tok *tok)
{
  g_free (tok->text);
  g_free (tok);
}

static void
add_tok (GPtrArray  *toks,
         TokKind     kind,
         const char *text,
         gsize       len)
{
  Tok *tok = g_new (Tok, 1);

  tok->kind = kind;
  tok->text = g_strndup (text, len);
  tok->len = len;
  g_ptr_array_add (toks, tok);
}

/* Decodes a Lua short string at @p (on its quote); returns the end, or
 * NULL when it is not one this translation reads. */
static const char *
read_string (const char *p,
             GString    *value)
{
  char quote = *p++;

  while (*p != quote)
    {
      if (*p == '\0')
        return NULL;
      if (*p != '\\')
        {
          g_string_append_c (value, *p++);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'n': g_string_append_c (value, '\n'); p++; break;
        case 'r': g_string_append_c (value, '\r'); p++; break;
        case 't': g_string_append_c (value, '\t'); p++; break;
        case 'a': g_string_append_c (value, '\a'); p++; break;
        case 'b': g_string_append_c (value, '\b'); p++; break;
        case 'f': g_string_append_c (value, '\f'); p++; break;
        case 'v': g_string_append_c (value, '\v'); p++; break;
        case '\\': case '"': case '\'':
          g_string_append_c (value, *p++);
          break;
        case 'x':
          if (!g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]))
            return NULL;
          g_string_append_c (value, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 3;
          break;
        default:
          if (g_ascii_isdigit (*p))
            {
              guint n = 0;

              for (int i = 0; i < 3 && g_ascii_isdigit (*p); i++)
                n = n * 10 + (guint) (*p++ - '0');
              if (n > 255)
                return NULL;
              g_string_append_c (value, (char) n);
              break;
            }
          return NULL;
        }
    }
  return p + 1;
}

/* Splits one line into tokens; FALSE for what it does not read (long
 * strings, unfinished strings). A "--" comment ends the line. */
gboolean
_sb_scenario_py_tokenize (const char *line,
          GPtrArray  *toks)
{
  static const char *ops[] = { "...", "..", "==", "~=", "<=", ">=", "//", NULL };
  const char *p = line;

  while (*p != '\0')
    {
      if (g_ascii_isspace (*p))
        p++;
      else if (p[0] == '-' && p[1] == '-')
        {
          if (p[2] == '[' && (p[3] == '[' || p[3] == '='))
            return FALSE;
          break;
        }
      else if (*p == '"' || *p == '\'')
        {
          g_autoptr(GString) value = g_string_new (NULL);
          const char *end = read_string (p, value);

          if (end == NULL)
            return FALSE;
          add_tok (toks, TOK_STR, value->str, value->len);
          p = end;
        }
      else if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
        {
          const char *start = p;

          while (g_ascii_isalnum (*p) || *p == '.')
            p++;
          add_tok (toks, TOK_NUM, start, p - start);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *start = p;

          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
          add_tok (toks, TOK_NAME, start, p - start);
        }
      else if (*p == '[' && (p[1] == '[' || p[1] == '='))
        return FALSE;
      else
        {
          gsize n = 1;

          for (guint i = 0; ops[i] != NULL; i++)
            if (g_str_has_prefix (p, ops[i]))
              {
                n = strlen (ops[i]);
                break;
              }
          add_tok (toks, TOK_OP, p, n);
          p += n;
        }
    }
  return TRUE;
}

