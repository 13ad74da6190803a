#!/usr/bin/env bash
# Starts the demo platform: a generated province on the embedded SQLite store.
#   KILN_PORT  port to listen on (default 8080)
#   KILN_DATA  data directory (default var/demo)
#   KILN_SEED  demo data seed (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${KILN_PORT:-8080}"
DATA="${KILN_DATA:-var/demo}"
SEED="${KILN_SEED:-1}"
mkdir -p "$DATA"
args=(demo --listen "127.0.0.1:$PORT" --data "$DATA" --seed "$SEED")
if [ -f web/dist/index.html ]; then args+=(--web web/dist); fi
echo "Starting Kiln on http://127.0.0.1:$PORT (data in $DATA; Ctrl-C stops it)"
exec ./build/kiln "${args[@]}"
