#!/usr/bin/env bash
# The production build: bin/longcall-server, one binary with web/ embedded
# (app.wasm stripped and precompressed, icons, CSS, plotly.js from npm).
# Run it anywhere: ./bin/longcall-server -addr :8000
set -euo pipefail
cd "$(dirname "$0")"

npm ci --prefix web --no-audit --no-fund --loglevel=error
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/app.wasm ./cmd/app
gzip -9 --keep --force web/app.wasm
go build -trimpath -ldflags="-s -w" -tags embed -o bin/longcall-server ./cmd/server

printf 'built bin/longcall-server (%s); app.wasm %s, gzip %s\n' \
  "$(du -h bin/longcall-server | cut -f1)" "$(du -h web/app.wasm | cut -f1)" "$(du -h web/app.wasm.gz | cut -f1)"
