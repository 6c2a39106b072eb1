/* test-auto-reply.c — auto-reply rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-auto-reply.h"
#include "sb-codec.h"

static void
assert_bytes (GBytes     *bytes,
              const void *data,
              gsize       len)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (bytes, &n);

  g_assert_cmpmem (d, n, data, len);
}

static SbAutoReplyAction *
action (GPtrArray *actions,
        guint      i)
{
  return g_ptr_array_index (actions, i);
}

static void
test_on_connect (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, "hi\\r\\n", "UTF-8");
  g_autoptr(GPtrArray) connect = NULL;
  g_autoptr(GPtrArray) message = NULL;
  g_autoptr(GError) error = NULL;

  rule->close_after = TRUE;
  g_assert_true (sb_auto_reply_add_rule (ar, rule, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sb_auto_reply_get_n_rules (ar), ==, 1);

  connect = sb_auto_reply_on_connect (ar);
  g_assert_cmpuint (connect->len, ==, 1);
  assert_bytes (action (connect, 0)->bytes, "hi\r\n", 4);
  g_assert_true (action (connect, 0)->close_after);

  /* On-connect rules do not answer messages. */
  message = sb_auto_reply_on_message (ar, (const guint8 *) "x", 1);
  g_assert_cmpuint (message->len, ==, 0);
}

static void
test_contains_gbk (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_CONTAINS, "你好", "服务端收到信息啦！", "gbk");
  g_autoptr(GBytes) hello = sb_codec_encode ("GBK", "说你好呀", -1, NULL, NULL);
  g_autoptr(GBytes) expect = sb_codec_encode ("GBK", "服务端收到信息啦！", -1, NULL, NULL);
  g_autoptr(GPtrArray) hit = NULL;
  g_autoptr(GPtrArray) miss = NULL;

  g_assert_true (sb_auto_reply_add_rule (ar, rule, NULL));
  /* The encoding is kept canonical. */
  g_assert_cmpstr (sb_auto_reply_get_rule (ar, 0)->encoding, ==, "GBK");

  hit = sb_auto_reply_on_message (ar, g_bytes_get_data (hello, NULL), g_bytes_get_size (hello));
  g_assert_cmpuint (hit->len, ==, 1);
  g_assert_true (g_bytes_equal (action (hit, 0)->bytes, expect));
  g_assert_false (action (hit, 0)->close_after);

  /* The same text in UTF-8 bytes is not GBK "你好". */
  miss = sb_auto_reply_on_message (ar, (const guint8 *) "说你好呀", strlen ("说你好呀"));
  g_assert_cmpuint (miss->len, ==, 0);
}

static void
test_hex_equals (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_HEX_EQUALS, "01 02 ff", "aa bb", "UTF-8");
  g_autoptr(SbAutoReplyRule) bad = sb_auto_reply_rule_new (SB_TRIGGER_HEX_EQUALS, "01 0z", "x", "UTF-8");
  g_autoptr(GError) error = NULL;
  const guint8 exact[] = { 1, 2, 0xff };
  const guint8 longer[] = { 1, 2, 0xff, 0 };
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;

  rule->reply_hex = TRUE;
  g_assert_true (sb_auto_reply_add_rule (ar, rule, NULL));
  g_assert_false (sb_auto_reply_add_rule (ar, bad, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_cmpuint (sb_auto_reply_get_n_rules (ar), ==, 1);

  a = sb_auto_reply_on_message (ar, exact, sizeof exact);
  g_assert_cmpuint (a->len, ==, 1);
  assert_bytes (action (a, 0)->bytes, "\xaa\xbb", 2);
  b = sb_auto_reply_on_message (ar, longer, sizeof longer);
  g_assert_cmpuint (b->len, ==, 0);
}

static void
test_regex (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_REGEX, "^GET /\\S* HTTP/1\\.[01]", "HTTP/1.0 200 OK\\r\\n\\r\\n", "UTF-8");
  g_autoptr(SbAutoReplyRule) bad = sb_auto_reply_rule_new (SB_TRIGGER_REGEX, "(unclosed", "x", "UTF-8");
  g_autoptr(GError) error = NULL;
  const char *req = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;

  g_assert_true (sb_auto_reply_add_rule (ar, rule, NULL));
  g_assert_false (sb_auto_reply_add_rule (ar, bad, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);

  a = sb_auto_reply_on_message (ar, (const guint8 *) req, strlen (req));
  g_assert_cmpuint (a->len, ==, 1);
  assert_bytes (action (a, 0)->bytes, "HTTP/1.0 200 OK\r\n\r\n", 19);
  b = sb_auto_reply_on_message (ar, (const guint8 *) "POST / HTTP/1.1", 15);
  g_assert_cmpuint (b->len, ==, 0);
}

static void
test_echo_and_order (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) echo = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
  g_autoptr(SbAutoReplyRule) any = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "\\x00ok", "UTF-8");
  const guint8 msg[] = { 'a', 0, 0xfe };
  g_autoptr(GPtrArray) a = NULL;

  g_assert_true (sb_auto_reply_add_rule (ar, echo, NULL));
  g_assert_true (sb_auto_reply_add_rule (ar, any, NULL));
  a = sb_auto_reply_on_message (ar, msg, sizeof msg);
  g_assert_cmpuint (a->len, ==, 2);
  assert_bytes (action (a, 0)->bytes, msg, sizeof msg);   /* echo: the exact bytes */
  assert_bytes (action (a, 1)->bytes, "\0ok", 3);

  sb_auto_reply_remove_rule (ar, 0);
  g_clear_pointer (&a, g_ptr_array_unref);
  a = sb_auto_reply_on_message (ar, msg, sizeof msg);
  g_assert_cmpuint (a->len, ==, 1);
  assert_bytes (action (a, 0)->bytes, "\0ok", 3);
}

static void
test_unencodable_reply (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "€", "ISO-8859-1");
  g_autoptr(SbAutoReplyRule) unknown = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "x", "NO-SUCH-ENCODING");
  g_autoptr(GError) error = NULL;

  g_assert_false (sb_auto_reply_add_rule (ar, rule, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sb_auto_reply_add_rule (ar, unknown, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_cmpuint (sb_auto_reply_get_n_rules (ar), ==, 0);
}

static void
test_save_load (void)
{
  g_autoptr(SbAutoReply) ar = sb_auto_reply_new ();
  g_autoptr(SbAutoReply) back = sb_auto_reply_new ();
  g_autoptr(SbAutoReplyRule) a = sb_auto_reply_rule_new (SB_TRIGGER_CONTAINS, "a;b,c", "x;y\\n", "GBK");
  g_autoptr(SbAutoReplyRule) b = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, "ff 00", "UTF-8");
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = NULL;

  b->reply_hex = TRUE;
  b->close_after = TRUE;
  g_assert_true (sb_auto_reply_add_rule (ar, a, NULL));
  g_assert_true (sb_auto_reply_add_rule (ar, b, NULL));
  sb_auto_reply_save (ar, kf, "Page 1");
  g_assert_true (sb_auto_reply_load (back, kf, "Page 1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sb_auto_reply_get_n_rules (back), ==, 2);
  g_assert_cmpint (sb_auto_reply_get_rule (back, 0)->trigger, ==, SB_TRIGGER_CONTAINS);
  g_assert_cmpstr (sb_auto_reply_get_rule (back, 0)->pattern, ==, "a;b,c");
  g_assert_cmpstr (sb_auto_reply_get_rule (back, 0)->reply, ==, "x;y\\n");
  g_assert_cmpstr (sb_auto_reply_get_rule (back, 0)->encoding, ==, "GBK");
  g_assert_true (sb_auto_reply_get_rule (back, 1)->reply_hex);
  g_assert_true (sb_auto_reply_get_rule (back, 1)->close_after);

  /* Saving fewer rules leaves no stale keys behind. */
  sb_auto_reply_remove_rule (ar, 1);
  sb_auto_reply_save (ar, kf, "Page 1");
  g_assert_true (sb_auto_reply_load (back, kf, "Page 1", NULL));
  g_assert_cmpuint (sb_auto_reply_get_n_rules (back), ==, 1);

  desc = sb_auto_reply_rule_describe (b);
  g_assert_nonnull (strstr (desc, "ff 00"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auto-reply/on-connect", test_on_connect);
  g_test_add_func ("/auto-reply/contains-gbk", test_contains_gbk);
  g_test_add_func ("/auto-reply/hex-equals", test_hex_equals);
  g_test_add_func ("/auto-reply/regex", test_regex);
  g_test_add_func ("/auto-reply/echo-and-order", test_echo_and_order);
  g_test_add_func ("/auto-reply/unencodable-reply", test_unencodable_reply);
  g_test_add_func ("/auto-reply/save-load", test_save_load);

  return g_test_run ();
}
