// CLinuxFB — the Linux framebuffer (fbdev) ioctls for the Rendering adapter only.
//
// ioctl() is variadic, which Swift cannot call: these wrappers take the one argument each
// request needs.
#ifndef MADOGUCHI_CLINUXFB_SHIM_H
#define MADOGUCHI_CLINUXFB_SHIM_H

#include <linux/fb.h>
#include <sys/ioctl.h>

/// The mode: resolution, bits per pixel, colour offsets.
static inline int madoguchi_fb_get_variable(int fd, struct fb_var_screeninfo *info) { return ioctl(fd, FBIOGET_VSCREENINFO, info); }
/// The fixed facts: the length of a line in bytes, the memory size.
static inline int madoguchi_fb_get_fixed(int fd, struct fb_fix_screeninfo *info) { return ioctl(fd, FBIOGET_FSCREENINFO, info); }

#endif
