// CPCSCLite — pcsc-lite (libpcsclite) for the PCSC adapter only.
//
// Why a shim: SCARD_PCI_T0/T1/RAW are address-of macros (&g_rgSCardT1Pci) and
// SCARD_AUTOALLOCATE is a cast expression; neither imports into Swift.
// On 64-bit Linux DWORD is unsigned long (8 bytes) and LONG is long: convert at the
// adapter boundary.  winscard.h includes "pcsclite.h" unprefixed, so the include path
// needs /usr/include/PCSC (pkg-config libpcsclite gives it).
#ifndef MADOGUCHI_CPCSCLITE_SHIM_H
#define MADOGUCHI_CPCSCLITE_SHIM_H

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

static inline const SCARD_IO_REQUEST *madoguchi_pcsc_pci_t0(void) { return SCARD_PCI_T0; }
static inline const SCARD_IO_REQUEST *madoguchi_pcsc_pci_t1(void) { return SCARD_PCI_T1; }
static inline const SCARD_IO_REQUEST *madoguchi_pcsc_pci_raw(void) { return SCARD_PCI_RAW; }
static inline DWORD madoguchi_pcsc_autoallocate(void) { return SCARD_AUTOALLOCATE; }

#endif
