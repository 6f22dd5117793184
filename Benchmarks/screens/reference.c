/* Benchmarks/screens/reference.c — the screen benchmark's reference: the same panels and
 * texts as madoguchi-screen-bench drew (read from its dump), each text one plain Pango
 * layout wrapped at its width, on an RGB24 image surface, then copied out as a frame,
 * ROUNDS times with one font map. Prints "median_ms p99_ms".
 *   cc -O2 reference.c $(pkg-config --cflags --libs pangocairo) */
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *lines[1024];
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

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: reference DUMP ROUNDS\n"); return 2; }
    FILE *dump = fopen(argv[1], "r");
    if (!dump) { perror(argv[1]); return 1; }
    char buffer[4096];
    while (line_count < 1024 && fgets(buffer, sizeof buffer, dump)) {
        buffer[strcspn(buffer, "\n")] = 0;
        lines[line_count++] = strdup(buffer);
    }
    fclose(dump);
    int width = 0, height = 0;
    double scale_x = 1, scale_y = 1;
    sscanf(lines[0], "S\t%d\t%d", &width, &height);
    { double wmm, hmm; char *p = lines[0]; for (int i = 0; i < 3; i++) p = strchr(p, '\t') + 1; wmm = atof(p); p = strchr(p, '\t') + 1; hmm = atof(p); scale_x = width / wmm; scale_y = height / hmm; }
    int rounds = atoi(argv[2]);
    double *samples = calloc(rounds, sizeof *samples);
    uint32_t *frame = malloc((size_t)width * height * 4);
    for (int round = 0; round < rounds; round++) {
        double start = now_ms();
        cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
        cairo_t *cr = cairo_create(surface);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, scale_x, scale_y);
        for (int i = 1; i < line_count; i++) {
            char copy[4096];
            strncpy(copy, lines[i], sizeof copy - 1);
            copy[sizeof copy - 1] = 0;
            char *f[16];
            int n = 0;
            for (char *save = NULL, *t = strtok_r(copy, "\t", &save); t && n < 16; t = strtok_r(NULL, "\t", &save)) f[n++] = t;
            if (f[0][0] == 'R') {
                cairo_set_source_rgb(cr, atof(f[5]), atof(f[6]), atof(f[7]));
                cairo_rectangle(cr, atof(f[1]), atof(f[2]), atof(f[3]), atof(f[4]));
                cairo_fill(cr);
            } else if (f[0][0] == 'T' && n > 10) {
                PangoLayout *layout = pango_cairo_create_layout(cr);
                PangoFontDescription *d = pango_font_description_new();
                pango_font_description_set_family(d, f[4]);
                pango_font_description_set_absolute_size(d, atof(f[5]) * 25.4 / 72 * PANGO_SCALE);
                pango_font_description_set_weight(d, atoi(f[6]) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
                pango_layout_set_font_description(layout, d);
                if (atof(f[3]) > 0) { pango_layout_set_width(layout, (int)(atof(f[3]) * PANGO_SCALE)); pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR); }
                pango_layout_set_text(layout, f[10], -1);
                cairo_set_source_rgb(cr, atof(f[7]), atof(f[8]), atof(f[9]));
                cairo_move_to(cr, atof(f[1]), atof(f[2]));
                pango_cairo_show_layout(cr, layout);
                pango_font_description_free(d);
                g_object_unref(layout);
            }
        }
        cairo_surface_flush(surface);
        unsigned char *data = cairo_image_surface_get_data(surface);
        int stride = cairo_image_surface_get_stride(surface);
        for (int y = 0; y < height; y++) memcpy(frame + (size_t)y * width, data + (size_t)y * stride, (size_t)width * 4);
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        samples[round] = now_ms() - start;
    }
    qsort(samples, rounds, sizeof *samples, compare);
    int p99 = (int)(rounds * 0.99);
    if (p99 >= rounds) p99 = rounds - 1;
    printf("%.3f %.3f\n", samples[rounds / 2], samples[p99]);
    return frame[width * height / 2] == 1234567 ? 3 : 0;
}
