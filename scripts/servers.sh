# Functions that start one real server each on 127.0.0.1, in "$work", and export its address.
# Sourced by scripts/test.sh (which defines work, pids, free_port, wait_for, log).

start_mosquitto() {
  local port; port=$(free_port)
  cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $work/mosquitto.log
CONF
  "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/mosquitto.conf" >/dev/null 2>&1 &
  pids+=($!)
  wait_for mosquitto mosquitto_pub -h 127.0.0.1 -p "$port" -t sensorgateway/ping -m ping
  export SG_TEST_MQTT_HOST=127.0.0.1 SG_TEST_MQTT_PORT=$port
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
