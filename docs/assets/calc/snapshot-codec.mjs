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
// The segments (Pyodide's are ~14,500, 3 MB in all, in address order, never
// overlapping; anything else throws) are first copied into one image of the static
// region, which is then XORed in 32-bit words where both sides are aligned.
export function xorSegments(raw, memOffset, segments) {
  if (!segments.length) return;
  let end = 0;
  for (const [address, data] of segments) {
    if (address < end) throw new Error("snapshot: the data segments overlap or are out of order");
    end = address + data.length;
    if (memOffset + end > raw.length) throw new Error("snapshot: a data segment lies outside it");
  }
  const from = memOffset + segments[0][0];
  const base = from - ((raw.byteOffset + from) % 4);  // raw.byteOffset + base is 4-aligned
  const image = new Uint8Array(memOffset + end - base);
  for (const [address, data] of segments) image.set(data, memOffset + address - base);
  const words = image.length >> 2;
  const a = new Int32Array(raw.buffer, raw.byteOffset + base, words);
  const b = new Int32Array(image.buffer, 0, words);
  for (let k = 0; k < words; k++) a[k] ^= b[k];
  for (let k = 4 * words; k < image.length; k++) raw[base + k] ^= image[k];
}

// The container's bytes (gunzipped), pushed in pieces as they arrive, written straight
// into the raw snapshot loadPyodide restores: push(bytes) any number of times, then
// end(segments). Every bound is checked: a damaged container throws, it never yields a
// wrong snapshot (its sha256 is checked before the snapshot is used, so damage means a
// bug, not bad luck). `length` is how many bytes were pushed.
export function unpacker() {
  let header = null;                 // [size, memOffset, xor, nRuns], once read
  let table = null;                  // the run table's DataView, once read
  let raw = null;
  let pending = new Uint8Array(20);  // the header, then the run table, as they fill
  let filled = 0;
  let run = 0;                       // the run being written, and how much of it is
  let done = 0;
  let length = 0;
  const runLength = (k) => table.getUint32(8 * k + 4, true);
  const skipEmpty = () => {
    while (run < header[3] && runLength(run) === 0) run += 1;
  };
  function push(bytes) {
    length += bytes.length;
    let at = 0;
    while (at < bytes.length) {
      if (!raw) {
        const n = Math.min(pending.length - filled, bytes.length - at);
        pending.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < pending.length) return;
        if (!header) {
          const view = new DataView(pending.buffer);
          if (view.getUint32(0, true) !== MAGIC) throw new Error("snapshot: not a CSN1 container");
          header = [4, 8, 12, 16].map((offset) => view.getUint32(offset, true));
          pending = new Uint8Array(8 * header[3]);
          filled = 0;
        }
        if (filled < pending.length) continue;
        table = new DataView(pending.buffer);
        for (let k = 0; k < header[3]; k++) {
          if (table.getUint32(8 * k, true) + runLength(k) > header[0]) throw new Error("snapshot: a run lies outside it");
        }
        raw = new Uint8Array(header[0]);
        skipEmpty();
        continue;
      }
      if (run >= header[3]) throw new Error("snapshot: trailing bytes in the container");
      const n = Math.min(runLength(run) - done, bytes.length - at);
      raw.set(bytes.subarray(at, at + n), table.getUint32(8 * run, true) + done);
      done += n;
      at += n;
      if (done === runLength(run)) {
        run += 1;
        done = 0;
        skipEmpty();
      }
    }
  }
  function end(segments) {
    if (!raw || run < header[3]) throw new Error("snapshot: truncated container");
    if (header[2]) xorSegments(raw, header[1], segments);
    return raw;
  }
  return { push, end, get length() { return length; } };
}

// The whole container at once (Node: the build and tests/pyodide).
export function unpack(packed, segments) {
  const out = unpacker();
  out.push(packed);
  return out.end(segments);
}
