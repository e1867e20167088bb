/* libmodbus slave for interop tests: holding[i] = 5*i, input[i] = 100+i, coils[i] = i odd.
 * Usage: libmodbus_server tcp            -> binds 127.0.0.1 port 0, prints the port
 *        libmodbus_server rtu DEVICE BAUD -> prints READY
 * Serves one TCP client at a time until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <modbus.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int is_tcp = argc > 1 && strcmp(argv[1], "tcp") == 0;
    modbus_t *ctx = is_tcp ? modbus_new_tcp("127.0.0.1", 0) : modbus_new_rtu(argv[2], atoi(argv[3]), 'N', 8, 1);
    if (ctx == NULL) { fprintf(stderr, "context: %s\n", modbus_strerror(errno)); return 2; }
    modbus_mapping_t *map = modbus_mapping_new(200, 200, 200, 200);
    for (int i = 0; i < 200; i++) {
        map->tab_registers[i] = (uint16_t)(5 * i);
        map->tab_input_registers[i] = (uint16_t)(100 + i);
        map->tab_bits[i] = (uint8_t)(i % 2);
    }
    modbus_set_slave(ctx, 1);
    uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    int listener = -1;
    if (is_tcp) {
        listener = modbus_tcp_listen(ctx, 4);
        if (listener < 0) { fprintf(stderr, "listen: %s\n", modbus_strerror(errno)); return 2; }
        struct sockaddr_in bound; socklen_t len = sizeof bound;
        getsockname(listener, (struct sockaddr *)&bound, &len);
        printf("%d\n", ntohs(bound.sin_port));
    } else {
        if (modbus_connect(ctx) != 0) { fprintf(stderr, "open: %s\n", modbus_strerror(errno)); return 2; }
        printf("READY\n");
    }
    fflush(stdout);
    for (;;) {
        if (is_tcp) modbus_tcp_accept(ctx, &listener);
        for (;;) {
            int rc = modbus_receive(ctx, query);
            if (rc > 0) modbus_reply(ctx, query, rc, map);
            else if (rc == -1 && (is_tcp || errno != EMBBADCRC)) break;
        }
        if (!is_tcp) modbus_flush(ctx);
        else modbus_close(ctx);
    }
}
