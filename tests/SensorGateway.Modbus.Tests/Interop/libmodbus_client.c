/* libmodbus master used by the load tool: reads 20 holding registers from every unit in turn.
 * Usage: libmodbus_client PORT FIRST_UNIT UNITS SECONDS [LATENCY_FILE]
 * Prints: requests errors p50_us p99_us cpu_us context_switches voluntary_context_switches
 * (CPU time and context switches of this process, for the cost per request beside the wall-clock figures).
 * LATENCY_FILE receives every latency in microseconds as native doubles, so runs can be merged. */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    modbus_t *ctx = modbus_new_tcp("127.0.0.1", atoi(argv[1]));
    if (modbus_connect(ctx) != 0) { fprintf(stderr, "connect: %s\n", modbus_strerror(errno)); return 2; }
    int first = atoi(argv[2]), units = atoi(argv[3]);
    double seconds = atof(argv[4]);
    size_t capacity = 1 << 22, n = 0;
    double *lat = malloc(capacity * sizeof(double));
    long errors = 0;
    uint16_t regs[20];
    double end = now_us() + seconds * 1e6;
    for (int u = 0; now_us() < end && n < capacity; u = (u + 1) % units) {
        modbus_set_slave(ctx, first + u);
        double t0 = now_us();
        if (modbus_read_registers(ctx, 0, 20, regs) != 20) errors++;
        lat[n++] = now_us() - t0;
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    if (argc > 5) {
        FILE *out = fopen(argv[5], "wb");
        if (out == NULL || fwrite(lat, sizeof(double), n, out) != n) { fprintf(stderr, "latency file: %s\n", argv[5]); return 2; }
        fclose(out);
    }
    qsort(lat, n, sizeof(double), compare);
    double cpu_us = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
    printf("%zu %ld %.1f %.1f %.0f %ld %ld\n", n, errors, lat[n / 2], lat[(size_t)(n * 0.99)], cpu_us, usage.ru_nvcsw + usage.ru_nivcsw, usage.ru_nvcsw);
    return 0;
}
