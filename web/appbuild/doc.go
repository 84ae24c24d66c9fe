// Package appbuild prepares what a longcall app serves besides its Go code,
// for any module that imports longcall: the app's WebAssembly build, the
// npm libraries longcall's components load (plotly.js, markdown-it), their
// gzip and brotli, and the bundle a production binary carries them in.
// runtime/host uses it when an app starts in its module; cmd/longcall for `build`.
package appbuild
