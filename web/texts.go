package web

// textsJS lets the wasm write many text nodes in one call
// (ui/datatable_rows.go, a DataTable's rows). Each Go string that syscall/js
// hands to the page is a js.Value with a finalizer; a 10,000-row table
// scrolled fast wrote a hundred cells a frame, one each, and Go's
// collection, which marks, runs and frees every finalizer left since the
// last, held the page for 59–92 ms (docs/BENCHMARKS.md). Here the texts
// cross as bytes instead: Go copies them into buf (a Uint8Array) as
//
//	n uint32, then n × (node index uint32, byte length uint32), then the
//	texts' UTF-8 bytes, one after another (all little-endian),
//
// and longcallTexts sets each nodes[index].data to its text.
const textsJS = `// longcall: a DataTable's cells written in one call from Go (web/texts.go).
window.longcallTexts = (() => {
  const utf8 = new TextDecoder();
  return (nodes, buf) => {
    const head = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = head.getUint32(0, true);
    let at = 4 + 8 * n;
    for (let i = 0; i < n; i++) {
      const len = head.getUint32(8 + 8 * i, true);
      nodes[head.getUint32(4 + 8 * i, true)].data = utf8.decode(buf.subarray(at, at + len));
      at += len;
    }
  };
})();

`
