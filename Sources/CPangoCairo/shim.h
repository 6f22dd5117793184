// CPangoCairo — Cairo, Pango and HarfBuzz for the Rendering adapter only.
//
// pangocairo.h does not include cairo-pdf.h: without it cairo_pdf_surface_create is
// missing in Swift (and implicitly declared, pointer-truncating, in C).  HarfBuzz is
// included for per-character coverage checks (nominal and variation glyphs), which
// Pango does not report for variation selectors; hb-ot.h for the family names in a
// font's name table (a document may name IPAmj明朝 or IPAmjMincho).
#ifndef MADOGUCHI_CPANGOCAIRO_SHIM_H
#define MADOGUCHI_CPANGOCAIRO_SHIM_H

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <hb.h>
#include <hb-ot.h>

/// g_object_unref takes a gpointer; Pango and Cairo objects import as OpaquePointer.
static inline void madoguchi_pangocairo_unref(void *object) { g_object_unref(object); }

#endif
