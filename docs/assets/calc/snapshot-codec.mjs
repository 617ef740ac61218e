// The container of the Pyodide memory snapshot ("CSN1"), read by the worker
// (snapshot.js) and by Node (scripts/make_snapshot.mjs writes it, tests/pyodide reads it):
// only the language's own globals, so it runs in both. An ES module with the .mjs
// extension, so that any Node 20 imports it as one.
//
// A raw snapshot is 30 MB, mostly zeros (the stack, the heap's unused tail) or the wasm's
// own data segments (static data, barely changed since start-up). The container keeps:
//   - the static region XORed with the data segments (the worker has the wasm anyway),
//     so unchanged bytes become zeros;
//   - only the runs between zero runs of at least 4 KiB.
// Layout, little-endian u32s: magic, size (of the raw snapshot), memOffset (where the
// wasm memory starts in it), xor (1: the data segments were XORed in), nRuns, then
// nRuns x (start, length), then the runs' bytes back to back. gzip does the rest.
export const MAGIC = 0x314e5343;  // "CSN1"

// The wasm's active data segments, [[address, bytes], ...]: memory 0 at an i32.const
// address, as in Pyodide's main module. Anything else throws.
export function dataSegments(wasm) {
  let i = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[i++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  if (wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("not a wasm module");
  while (i < wasm.length) {
    const id = wasm[i++];
    const end = leb() + i;
    if (id === 11) {
      const segments = [];
      for (let n = leb(); n > 0; n--) {
        // kind 0 (active, memory 0), i32.const (an unsigned LEB is the same below 2^31), end
        if (leb() !== 0 || wasm[i++] !== 0x41) throw new Error("unsupported wasm data segment");
        const address = leb();
        if (wasm[i++] !== 0x0b) throw new Error("unsupported wasm data segment offset");
        const length = leb();
        segments.push([address, wasm.subarray(i, i + length)]);
        i += length;
      }
      return segments;
    }
    i = end;
  }
  throw new Error("no data section in the wasm module");
}

// XOR the data segments into a raw snapshot (in place): packing and unpacking alike.
export function xorSegments(raw, memOffset, segments) {
  for (const [address, data] of segments) {
    const base = memOffset + address;
    if (base + data.length > raw.length) throw new Error("snapshot: a data segment lies outside it");
    for (let k = 0; k < data.length; k++) raw[base + k] ^= data[k];
  }
}

// The container's bytes (gunzipped) -> the raw snapshot loadPyodide restores. Every
// bound is checked: a damaged container throws, it never yields a wrong snapshot
// (its sha256 was checked before this runs, so damage means a bug, not bad luck).
export function unpack(packed, segments) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.byteLength < 20 || view.getUint32(0, true) !== MAGIC) throw new Error("snapshot: not a CSN1 container");
  const [size, memOffset, xor, nRuns] = [4, 8, 12, 16].map((at) => view.getUint32(at, true));
  let at = 20 + 8 * nRuns;
  if (at > packed.byteLength) throw new Error("snapshot: truncated container");
  const raw = new Uint8Array(size);
  for (let k = 0; k < nRuns; k++) {
    const start = view.getUint32(20 + 8 * k, true);
    const length = view.getUint32(24 + 8 * k, true);
    if (start + length > size || at + length > packed.byteLength) throw new Error("snapshot: a run lies outside it");
    raw.set(packed.subarray(at, at + length), start);
    at += length;
  }
  if (at !== packed.byteLength) throw new Error("snapshot: trailing bytes in the container");
  if (xor) xorSegments(raw, memOffset, segments);
  return raw;
}
