/* Benchmarks/pcsc/reference.c: the C reference the card benchmark compares against.
 *
 *   reference READER loop N     N x SELECT of the card-information AP; prints µs per APDU
 *   reference READER basic4 N   N x the basic-4 read, the same 11 commands as Madoguchi's
 *                               (token check, tries, VERIFY 1234, header, rest, re-select);
 *                               prints ms per read
 *
 * Same connection settings as Madoguchi (shared, T=1, one transaction per read).  Built by
 * Benchmarks/run with cc -O2 and pkg-config libpcsclite; test data is fictional. */
#include <PCSC/winscard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static SCARDHANDLE card;

static DWORD transmit(const BYTE *apdu, DWORD length, BYTE *response) {
    DWORD size = 258;
    LONG rv = SCardTransmit(card, SCARD_PCI_T1, apdu, length, NULL, response, &size);
    if (rv != SCARD_S_SUCCESS) { fprintf(stderr, "SCardTransmit: %s\n", pcsc_stringify_error(rv)); exit(1); }
    return size;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: reference READER loop|basic4 N\n"); return 2; }
    const char *reader = argv[1];
    int n = atoi(argv[3]);
    SCARDCONTEXT context;
    DWORD protocol;
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS) return 1;
    if (SCardConnect(context, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &card, &protocol) != SCARD_S_SUCCESS) return 1;
    static const BYTE select_ap[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
    static const BYTE select_pin[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x11};
    static const BYTE verify[] = {0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'};
    static const BYTE select_ef[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x02};
    BYTE response[258];
    if (strcmp(argv[2], "loop") == 0) {
        for (int i = 0; i < 50; i++) transmit(select_ap, sizeof select_ap, response);  /* warm up */
        double start = now_us();
        for (int i = 0; i < n; i++) transmit(select_ap, sizeof select_ap, response);
        printf("%.2f\n", (now_us() - start) / n);
    } else {
        /* The same 11 commands MyNumberCardReader.verifyAndRead sends. */
        static const BYTE select_jpki[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
        static const BYTE select_token[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06};
        static const BYTE read_token[] = {0x00, 0xB0, 0x00, 0x00, 0x14};
        static const BYTE tries[] = {0x00, 0x20, 0x00, 0x80};
        double start = now_us();
        for (int i = 0; i < n; i++) {
            SCardBeginTransaction(card);
            transmit(select_jpki, sizeof select_jpki, response);
            transmit(select_token, sizeof select_token, response);
            transmit(read_token, sizeof read_token, response);
            transmit(select_ap, sizeof select_ap, response);
            transmit(select_pin, sizeof select_pin, response);
            transmit(tries, sizeof tries, response);
            transmit(verify, sizeof verify, response);
            transmit(select_ef, sizeof select_ef, response);
            BYTE header[] = {0x00, 0xB0, 0x00, 0x00, 0x08};
            transmit(header, sizeof header, response);
            DWORD total = response[2] < 0x80 ? response[2] + 3u : response[2] == 0x81 ? response[3] + 4u : (DWORD)(response[3] << 8 | response[4]) + 5u;
            BYTE rest[] = {0x00, 0xB0, 0x00, 0x08, (BYTE)(total - 8)};
            transmit(rest, sizeof rest, response);
            transmit(select_ap, sizeof select_ap, response);
            SCardEndTransaction(card, SCARD_LEAVE_CARD);
        }
        printf("%.3f\n", (now_us() - start) / n / 1000.0);
    }
    SCardDisconnect(card, SCARD_RESET_CARD);
    SCardReleaseContext(context);
    return 0;
}
