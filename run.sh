#!/usr/bin/env bash
# Starts the product on this machine: Azurite (Table Storage, data in .data/azurite), the app on
# http://localhost:3978, and the Microsoft 365 Agents Playground on http://localhost:56150 talking to the
# app's /api/messages. Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")"
source .devtools/ensure.sh

# Overridable so the test of this script can run it on free ports beside a developer's own ./run.sh.
APP_PORT=${APP_PORT:-3978}
STORAGE_PORT=${STORAGE_PORT:-10002}
PLAYGROUND_PORT=${PLAYGROUND_PORT:-56150}
DATA_DIR=${DATA_DIR:-.data}

ensure_prerequisites
ensure_node_packages .
[ "${SKIP_BUILD:-0}" = 1 ] || ensure_dotnet_build

for port in $STORAGE_PORT $APP_PORT $PLAYGROUND_PORT; do
  port_in_use "$port" && fail "port $port is already in use. Stop whatever uses it (another ./run.sh?) and try again."
done

mkdir -p "$DATA_DIR/azurite" "$DATA_DIR/logs"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
pids=()
stop_all() {
  trap - EXIT
  # Stopping must finish even when the terminal or a pipe (./run.sh | tee) has gone: writing to it would kill us.
  trap '' PIPE HUP
  say "Stopping" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}
# Ctrl+C or TERM, even while still starting: leave at once; leaving runs stop_all through the EXIT trap.
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each process gets its own process group (setsid), so stopping it stops its children too.
say "Starting Azurite (Table Storage) on 127.0.0.1:$STORAGE_PORT"
setsid node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$STORAGE_PORT" \
  --location "$DATA_DIR/azurite" --disableTelemetry --skipApiVersionCheck > "$DATA_DIR/logs/azurite.log" 2>&1 &
pids+=($!)
wait_for_port "$STORAGE_PORT" Azurite 30

say "Starting the app on http://localhost:$APP_PORT"
# Storage points at this script's Azurite whatever its port (UseDevelopmentStorage=true means port 10002).
export Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$STORAGE_PORT/devstoreaccount1;"
# Without Graph credentials, meeting invites are written as .ics files here.
export Graph__LocalInviteFolder="${Graph__LocalInviteFolder:-$DATA_DIR/invites}"
(cd bot/Postmortems.Bot && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
  exec setsid dotnet "bin/${CONFIGURATION:-Debug}/net10.0/Postmortems.Bot.dll" --urls "http://localhost:$APP_PORT") &
pids+=($!)
wait_for_port "$APP_PORT" "the app" 60

say "Starting the Microsoft 365 Agents Playground on http://localhost:$PLAYGROUND_PORT"
TEAMSAPPTESTER_BROWSER=none M365_AGENTS_PLAYGROUND_LOGFILE="$DATA_DIR/logs/playground-internal.log" \
  setsid node_modules/.bin/agentsplayground -e "http://127.0.0.1:$APP_PORT/api/messages" -c msteams \
  --disable-telemetry -p "$PLAYGROUND_PORT" > "$DATA_DIR/logs/playground.log" 2>&1 &
pids+=($!)
wait_for_port "$PLAYGROUND_PORT" "the Agents Playground" 60

cat <<INFO

  Blameless Postmortems is running.
    Agents Playground (chat with the bot):  http://localhost:$PLAYGROUND_PORT
    The tab (postmortems and actions):      http://localhost:$APP_PORT/tab/
    App health:                             http://localhost:$APP_PORT/healthz
    Bot endpoint:                           http://localhost:$APP_PORT/api/messages
    Table Storage (Azurite):                http://127.0.0.1:$STORAGE_PORT/devstoreaccount1  (data in $DATA_DIR/azurite)
    Logs of Azurite and the Playground:     $DATA_DIR/logs/
    Meeting invites (.ics, no Graph here):  $Graph__LocalInviteFolder

  Press Ctrl+C to stop everything.

INFO

# Stop everything as soon as any of the three exits, so nothing is left half-running.
wait -n "${pids[@]}" || true
say "A process stopped on its own; see $DATA_DIR/logs/ and the output above."
