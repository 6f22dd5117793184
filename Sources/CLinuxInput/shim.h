// CLinuxInput — evdev, virtual-terminal and tty ioctls for the Input adapter only.
//
// ioctl() is variadic, which Swift cannot call: one wrapper per request.
#ifndef MADOGUCHI_CLINUXINPUT_SHIM_H
#define MADOGUCHI_CLINUXINPUT_SHIM_H

#include <linux/input.h>
#include <linux/kd.h>
#include <sys/ioctl.h>
#include <termios.h>

/// EVIOCGRAB: while grabbed, the device's events reach only this descriptor (no console).
static inline int madoguchi_evdev_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, grab); }
/// EVIOCGABS: an absolute axis's range.
static inline int madoguchi_evdev_absinfo(int fd, unsigned axis, struct input_absinfo *info) { return ioctl(fd, EVIOCGABS(axis), info); }
/// TIOCGWINSZ: the terminal's size.
static inline int madoguchi_tty_size(int fd, struct winsize *size) { return ioctl(fd, TIOCGWINSZ, size); }
/// KDSETMODE: KD_GRAPHICS (the console draws nothing) or KD_TEXT.
static inline int madoguchi_vt_set_mode(int fd, int mode) { return ioctl(fd, KDSETMODE, mode); }
/// KDGKBMODE / KDSKBMODE: the console keyboard mode (K_OFF: keys go nowhere).
static inline int madoguchi_vt_get_keyboard(int fd, int *mode) { return ioctl(fd, KDGKBMODE, mode); }
static inline int madoguchi_vt_set_keyboard(int fd, int mode) { return ioctl(fd, KDSKBMODE, mode); }

#endif
