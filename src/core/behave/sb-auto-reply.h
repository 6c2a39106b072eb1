/* sb-auto-reply.h — rules that answer a peer by themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-checksum.h"
#include "sb-template.h"

G_BEGIN_DECLS

#define SB_AUTO_REPLY_ERROR (sb_auto_reply_error_quark ())

typedef enum
{
  SB_AUTO_REPLY_ERROR_INVALID,   /* a pattern or a reply cannot be used; the message says why */
} SbAutoReplyError;

typedef enum
{
  SB_TRIGGER_ON_CONNECT,   /* a peer connected (stream) or was first seen (datagram) */
  SB_TRIGGER_CONTAINS,     /* the decoded text of a message contains the pattern */
  SB_TRIGGER_HEX_EQUALS,   /* the message bytes equal the hex pattern */
  SB_TRIGGER_REGEX,        /* a GRegex matches the decoded text */
  SB_TRIGGER_ECHO,         /* every message: the reply is the message itself */
  SB_TRIGGER_ANY,          /* every message: send the reply */
  SB_N_TRIGGERS
} SbTrigger;

/* Which frames a rule looks at, by the result of the page's check. */
typedef enum
{
  SB_CHECK_FILTER_NONE,    /* every message */
  SB_CHECK_FILTER_OK,      /* only frames whose check passes */
  SB_CHECK_FILTER_BAD,     /* only frames whose check fails (or that are too short) */
  SB_N_CHECK_FILTERS
} SbCheckFilter;

typedef struct
{
  SbTrigger  trigger;
  char      *pattern;      /* text, hex or regex; unused for on-connect, echo, any */
  char      *reply;        /* text with \r \n \t \\ \0 \xNN escapes */
  char      *encoding;     /* of the reply and of the decoded text matched */
  gboolean   reply_hex;    /* the reply is hex bytes, not text */
  gboolean   close_after;  /* close the connection once the reply is sent */
  SbCheckFilter check_filter; /* a filtered rule never fires on an unchecked message */
} SbAutoReplyRule;

/* What to do for one rule that fired. */
typedef struct
{
  GBytes     *bytes;       /* the reply; never NULL (maybe empty; empty for a template) */
  gboolean    close_after;
  SbTemplate *tmpl;        /* with templates on: the reply to expand, else NULL */
  char      **groups;      /* a regex rule's captures (an entry NULL if unmatched), or NULL */
  guint       n_groups;
} SbAutoReplyAction;

typedef struct _SbAutoReply SbAutoReply;

GQuark             sb_auto_reply_error_quark (void);

/* Returns a new rule; @pattern and @reply are copied. */
SbAutoReplyRule   *sb_auto_reply_rule_new    (SbTrigger              trigger,
                                              const char            *pattern,
                                              const char            *reply,
                                              const char            *encoding);
SbAutoReplyRule   *sb_auto_reply_rule_copy   (const SbAutoReplyRule *rule);
void               sb_auto_reply_rule_free   (SbAutoReplyRule       *rule);
/* A short description for lists: "Contains “hello” → “hi\n”". Newly allocated. */
char              *sb_auto_reply_rule_describe (const SbAutoReplyRule *rule);
/* Reads the stable trigger names of presets: "on-connect", "contains", … */
gboolean           sb_trigger_from_string    (const char            *text,
                                              SbTrigger             *trigger);

SbAutoReply       *sb_auto_reply_new         (void);
void               sb_auto_reply_free        (SbAutoReply           *self);
/* With templates on, replies are templates (sb-template.h), parsed in the
 * rule's encoding (hex with reply_hex): rules added then are checked as
 * such, and actions carry the template. Changing it compiles every rule
 * again; if one fails, nothing changes and the error names the rule. */
gboolean           sb_auto_reply_get_templates (SbAutoReply         *self);
gboolean           sb_auto_reply_set_templates (SbAutoReply         *self,
                                              gboolean               templates,
                                              GError               **error);
/* Checks and adds a copy of @rule (regex compiled, hex and reply parsed
 * once here). On failure nothing is added. */
gboolean           sb_auto_reply_add_rule    (SbAutoReply           *self,
                                              const SbAutoReplyRule *rule,
                                              GError               **error);
void               sb_auto_reply_remove_rule (SbAutoReply           *self,
                                              guint                  index);
void               sb_auto_reply_clear       (SbAutoReply           *self);
guint              sb_auto_reply_get_n_rules (SbAutoReply           *self);
/* Borrowed; valid until the rule is removed. */
const SbAutoReplyRule *sb_auto_reply_get_rule (SbAutoReply          *self,
                                              guint                  index);

/* Returns the actions (SbAutoReplyAction*, freed with the array) for a new
 * peer, and for a received message, in rule order. Empty when none fires. */
GPtrArray         *sb_auto_reply_on_connect  (SbAutoReply           *self);
GPtrArray         *sb_auto_reply_on_message  (SbAutoReply           *self,
                                              const guint8          *data,
                                              gsize                  len);
/* The same for a frame whose check gave @status (SB_CHECK_NONE: not
 * checked, so only rules without a check filter can fire). */
GPtrArray         *sb_auto_reply_on_frame    (SbAutoReply           *self,
                                              const guint8          *data,
                                              gsize                  len,
                                              SbCheckStatus          status);

/* Presets: one string-list key per rule, "auto-reply-N"; a check filter
 * is an optional seventh field ("good" or "bad"), absent when none. */
void               sb_auto_reply_save        (SbAutoReply           *self,
                                              GKeyFile              *keyfile,
                                              const char            *group);
gboolean           sb_auto_reply_load        (SbAutoReply           *self,
                                              GKeyFile              *keyfile,
                                              const char            *group,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAutoReplyRule, sb_auto_reply_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAutoReply, sb_auto_reply_free)

G_END_DECLS
