// CQREncode — libqrencode for the Rendering adapter only (the submission id as a QR
// code on every printed sheet).
#ifndef MADOGUCHI_CQRENCODE_SHIM_H
#define MADOGUCHI_CQRENCODE_SHIM_H

#include <qrencode.h>

#endif
