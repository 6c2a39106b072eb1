/* sb-view-mode.h — how a history shows its data: text, hex or both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SB_VIEW_MODE_TEXT,
  SB_VIEW_MODE_HEX,
  SB_VIEW_MODE_BOTH,
} SbViewMode;

G_END_DECLS

/* SB_TYPE_VIEW_MODE and the other enum types come from glib-mkenums. */
#include "sb-core-enums.h"
