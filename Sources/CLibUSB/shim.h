// CLibUSB — libusb-1.0 for the USBDevices adapter only.
//
// Debian 12 ships libusb 1.0.26: libusb_init_context (1.0.27) does not exist yet,
// so the adapter uses libusb_init.  pkg-config libusb-1.0 adds /usr/include/libusb-1.0.
#ifndef MADOGUCHI_CLIBUSB_SHIM_H
#define MADOGUCHI_CLIBUSB_SHIM_H

#include <libusb.h>

#endif
