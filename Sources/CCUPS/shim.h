// CCUPS — libcups for the Printing adapter only.
//
// Debian 12's libcups2-dev ships no cups.pc, so the module map links "cups" by name.
// CUPS_HTTP_DEFAULT is ((http_t *)0) and does not import: pass nil in Swift.
// cupsLastErrorString() is per thread: read it at once, on the thread that failed.
#ifndef MADOGUCHI_CCUPS_SHIM_H
#define MADOGUCHI_CCUPS_SHIM_H

#include <cups/cups.h>
#include <cups/ipp.h>

#endif
