// libxcrypt (crypt_r, crypt_gensalt_rn): the staff passcode's crypt(3) SHA-512 hash.
#include <crypt.h>
