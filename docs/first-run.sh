#!/usr/bin/env bash
# Times the first `go run .` of docs/GETTING-STARTED.md's app until it
# serves: once from empty Go and npm caches, then again warm. longcall is a
# copy of this checkout without node_modules (git archive), so plotly.js
# comes from npm into longcall's cache as it would for a module from the
# proxy. Usage: docs/first-run.sh [workdir]
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work/longcall" "$work/app"
git -C "$checkout" archive HEAD | tar -x -C "$work/longcall"
awk '/^```go$/{f=1;next} /^```$/{if(f){exit}} f' "$checkout/docs/GETTING-STARTED.md" > "$work/app/main.go"
printf 'module example.com/myapp\n\ngo 1.26\n\nrequire github.com/longcall/longcall v0.0.0\n\nreplace github.com/longcall/longcall => %s\n' "$work/longcall" > "$work/app/go.mod"
export GOMODCACHE=$work/gomod GOCACHE=$work/gocache npm_config_cache=$work/npm LONGCALL_CACHE=$work/longcall-cache GOFLAGS=-modcacherw
cd "$work/app"

serve() { # prints seconds from `go run .` to the address on stdout
  local start=$(date +%s.%N) log=$work/run.log
  setsid go run . -addr 127.0.0.1:0 >"$log" 2>&1 &
  local pid=$!
  until grep -q 'longcall dashboard: http' "$log"; do
    kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.2
  done
  echo "$(date +%s.%N) - $start" | bc
  grep '^longcall:' "$log" >&2
  kill -- -$pid; wait $pid 2>/dev/null || true
}

time go mod tidy >/dev/null 2>&1
echo "cold: $(serve) s"
echo "warm: $(serve) s"
