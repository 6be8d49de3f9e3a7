#ifndef POLICYC_CCMARK_SHIM_H
#define POLICYC_CCMARK_SHIM_H
// libcmark, the CommonMark reference implementation (Debian: libcmark-dev).
#include <cmark.h>
#endif
