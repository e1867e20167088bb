# Functions that start one real server each on 127.0.0.1, in "$work", and export its address.
# Sourced by scripts/test.sh (which defines work, pids, free_port, wait_for, log).

start_mosquitto() {
  local port tls; port=$(free_port); tls=$(free_port)
  # A throw-away CA and a server certificate for localhost / 127.0.0.1, and one user for the TLS listener.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=SensorGateway test CA" \
    -keyout "$work/ca.key" -out "$work/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/broker.key" -out "$work/broker.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/broker.ext"
  openssl x509 -req -in "$work/broker.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/broker.ext" -out "$work/broker.crt" >/dev/null 2>&1
  mosquitto_passwd -b -c "$work/mosquitto.passwd" gateway "test-secret" >/dev/null 2>&1
  cat >"$work/mosquitto.conf" <<CONF
# Files live in the private test folder, so the broker keeps root's rights instead of dropping to 'mosquitto'.
user root
per_listener_settings true
persistence false
# Keep every QoS 1 message for a slow or restarting subscriber (the default drops beyond 1000).
max_queued_messages 0
max_inflight_messages 100
log_dest file $work/mosquitto.log
listener $port 127.0.0.1
allow_anonymous true
listener $tls 127.0.0.1
allow_anonymous false
password_file $work/mosquitto.passwd
cafile $work/ca.crt
certfile $work/broker.crt
keyfile $work/broker.key
CONF
  "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/mosquitto.conf" >/dev/null 2>&1 &
  pids+=($!)
  wait_for mosquitto mosquitto_pub -h 127.0.0.1 -p "$port" -t sensorgateway/ping -m ping
  wait_for mosquitto mosquitto_pub -h localhost -p "$tls" --cafile "$work/ca.crt" -u gateway -P test-secret -t sensorgateway/ping -m ping
  export SG_TEST_MQTT_HOST=127.0.0.1 SG_TEST_MQTT_PORT=$port SG_TEST_MQTT_TLS_PORT=$tls SG_TEST_MQTT_CA_FILE="$work/ca.crt" \
    SG_TEST_MQTT_USER=gateway SG_TEST_MQTT_PASSWORD=test-secret
}

start_influxdb1() {
  local port rpc; port=$(free_port); rpc=$(free_port)
  mkdir -p "$work/influxdb"
  cat >"$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$work/influxdb/meta"
[data]
  dir = "$work/influxdb/data"
  wal-dir = "$work/influxdb/wal"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$port"
  auth-enabled = false
  log-enabled = false
[monitor]
  store-enabled = false
CONF
  influxd -config "$work/influxdb.conf" >"$work/influxdb.log" 2>&1 &
  pids+=($!)
  wait_for influxdb curl -sf "http://127.0.0.1:$port/ping"
  export SG_TEST_INFLUXDB1_URL="http://127.0.0.1:$port"
}

start_victoriametrics() {
  local port; port=$(free_port)
  victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$work/victoria-metrics" \
    -retentionPeriod=1 -search.latencyOffset=0s >"$work/victoria-metrics.log" 2>&1 &
  pids+=($!)
  wait_for victoria-metrics curl -sf "http://127.0.0.1:$port/health"
  export SG_TEST_VICTORIAMETRICS_URL="http://127.0.0.1:$port"
}
