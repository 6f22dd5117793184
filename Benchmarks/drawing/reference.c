/* Benchmarks/drawing/reference.c — the drawing benchmark's reference: the same marks as
 * madoguchi-draw-bench drew (read from its dump), each text one plain Pango layout in the
 * named font with no per-character font choice or fitting, boxes, lines, circles and the
 * QR code from libqrencode, one PDF per document, ROUNDS times with one font map.
 * Prints "median_ms first_ms pages".
 *   cc -O2 reference.c $(pkg-config --cflags --libs pangocairo libqrencode) */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MM (72.0 / 25.4)

static char *lines[4096];
static int line_count;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Draws every document of the dump; returns the pages drawn. */
static int draw_all(const char *out) {
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    int document = 0, pages = 0, started = 0;
    char path[4096];
    for (int i = 0; i <= line_count; i++) {
        char *line = i < line_count ? lines[i] : "D";
        char copy[8192];
        strncpy(copy, line, sizeof copy - 1);
        copy[sizeof copy - 1] = 0;
        char *fields[16];
        int n = 0;
        for (char *save = NULL, *token = strtok_r(copy, "\t", &save); token && n < 16; token = strtok_r(NULL, "\t", &save))
            fields[n++] = token;
        if (n == 0) continue;
        switch (fields[0][0]) {
        case 'D':
            if (cr) {
                cairo_show_page(cr);
                cairo_destroy(cr);
                cairo_surface_finish(surface);
                cairo_surface_destroy(surface);
                cr = NULL;
            }
            if (i == line_count) break;
            snprintf(path, sizeof path, "%s/c-%d.pdf", out, document++);
            surface = cairo_pdf_surface_create(path, atof(fields[1]) * MM, atof(fields[2]) * MM);
            cr = cairo_create(surface);
            cairo_scale(cr, MM, MM);
            started = 0;
            break;
        case 'P':
            if (started) cairo_show_page(cr);
            started = 1;
            pages++;
            break;
        case 'T': {
            PangoLayout *layout = pango_cairo_create_layout(cr);
            PangoFontDescription *description = pango_font_description_new();
            pango_font_description_set_family(description, fields[3]);
            pango_font_description_set_absolute_size(description, atof(fields[4]) / MM * PANGO_SCALE);
            pango_font_description_set_weight(description, atoi(fields[5]) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
            pango_layout_set_font_description(layout, description);
            pango_layout_set_text(layout, n > 6 ? fields[6] : "", -1);
            cairo_move_to(cr, atof(fields[1]), atof(fields[2]));
            pango_cairo_show_layout(cr, layout);
            pango_font_description_free(description);
            g_object_unref(layout);
            break;
        }
        case 'R':
            cairo_set_line_width(cr, atof(fields[5]));
            cairo_rectangle(cr, atof(fields[1]), atof(fields[2]), atof(fields[3]), atof(fields[4]));
            cairo_stroke(cr);
            break;
        case 'L':
            cairo_set_line_width(cr, atof(fields[5]));
            cairo_move_to(cr, atof(fields[1]), atof(fields[2]));
            cairo_line_to(cr, atof(fields[3]), atof(fields[4]));
            cairo_stroke(cr);
            break;
        case 'C':
            cairo_new_path(cr);
            cairo_save(cr);
            cairo_translate(cr, atof(fields[1]) + atof(fields[3]) / 2, atof(fields[2]) + atof(fields[4]) / 2);
            cairo_scale(cr, atof(fields[3]) / 2, atof(fields[4]) / 2);
            cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
            cairo_restore(cr);
            cairo_stroke(cr);
            break;
        case 'Q': {
            QRcode *code = QRcode_encodeString8bit(fields[4], 0, QR_ECLEVEL_M);
            double module = atof(fields[3]) / (code->width + 8);
            for (int y = 0; y < code->width; y++)
                for (int x = 0; x < code->width; x++)
                    if (code->data[y * code->width + x] & 1)
                        cairo_rectangle(cr, atof(fields[1]) + (x + 4) * module, atof(fields[2]) + (y + 4) * module, module, module);
            cairo_fill(cr);
            QRcode_free(code);
            break;
        }
        }
    }
    return pages;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: reference DUMP OUT ROUNDS\n");
        return 2;
    }
    FILE *dump = fopen(argv[1], "r");
    if (!dump) {
        perror(argv[1]);
        return 1;
    }
    char buffer[8192];
    while (line_count < 4096 && fgets(buffer, sizeof buffer, dump)) {
        buffer[strcspn(buffer, "\n")] = 0;
        lines[line_count++] = strdup(buffer);
    }
    fclose(dump);
    int rounds = atoi(argv[3]);
    double *samples = calloc(rounds, sizeof *samples);
    int pages = 0;
    for (int round = 0; round < rounds; round++) {
        double start = now_ms();
        pages = draw_all(argv[2]);
        samples[round] = now_ms() - start;
    }
    double first = samples[0];
    qsort(samples, rounds, sizeof *samples, compare);
    printf("%.2f %.2f %d\n", samples[rounds / 2], first, pages);
    return 0;
}
