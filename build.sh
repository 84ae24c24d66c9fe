#!/usr/bin/env bash
# The production build: bin/longcall-server, one binary carrying the demo's
# wasm (stripped; gzip and brotli at their best), plotly.js from npm, and
# longcall's CSS and icons, the way any app is built (cmd/longcall).
# Run it anywhere: ./bin/longcall-server -addr :8000
set -euo pipefail
cd "$(dirname "$0")"

npm ci --prefix web --no-audit --no-fund --loglevel=error
go run ./cmd/longcall build -o bin/longcall-server -wasm ./cmd/app ./cmd/server
