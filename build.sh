#!/usr/bin/env bash
# The production build: bin/longcall-server, one binary with web/ embedded
# (app.wasm stripped, icons, CSS, plotly.js from npm; app.wasm and plotly.js
# also precompressed with gzip and brotli, which the server serves to the
# browsers that accept them).
# Run it anywhere: ./bin/longcall-server -addr :8000
set -euo pipefail
cd "$(dirname "$0")"

npm ci --prefix web --no-audit --no-fund --loglevel=error
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/app.wasm ./cmd/app
go run ./web/precompress web # brotli's best: about half a minute
go build -trimpath -ldflags="-s -w" -tags embed -o bin/longcall-server ./cmd/server

size() { du -h "$1" | cut -f1; }
printf 'built bin/longcall-server (%s); app.wasm %s, gzip %s, brotli %s\n' \
  "$(size bin/longcall-server)" "$(size web/app.wasm)" "$(size web/app.wasm.gz)" "$(size web/app.wasm.br)"
