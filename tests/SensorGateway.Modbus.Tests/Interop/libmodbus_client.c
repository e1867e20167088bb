/* libmodbus master used by the load tool: reads 20 holding registers from every unit in turn.
 * Usage: libmodbus_client PORT FIRST_UNIT UNITS SECONDS
 * Prints: requests errors p50_us p99_us */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
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
    qsort(lat, n, sizeof(double), compare);
    printf("%zu %ld %.1f %.1f\n", n, errors, lat[n / 2], lat[(size_t)(n * 0.99)]);
    return 0;
}
