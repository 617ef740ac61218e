// Make the memory snapshot the worker boots from: Pyodide started under Node from the
// site's own files (PYODIDE_DIR, i.e. site/assets/pyodide/), the calculators wheel put
// where the worker puts it and imported, then the wasm memory saved.
// hooks/shipping_snapshot.py runs this (and caches the result by its inputs' hashes).
//
// usage: node scripts/make_snapshot.mjs PYODIDE_DIR OUT_DIR
// writes OUT_DIR/snapshot-<sha256 prefix>.csn.gz (the CSN1 container, gzip -9) and
// OUT_DIR/snapshot.json (its manifest: sizes, sha256s, Pyodide's version and build id,
// the wheel it holds); prints the manifest.
//
// Pyodide's snapshot options (_makeSnapshot, makeMemorySnapshot, _loadSnapshot) are
// private: the README says what to check when Pyodide is upgraded.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dataSegments, unpack, xorSegments, MAGIC } from "../docs/assets/calc/snapshot-codec.mjs";

const [dirArg, outArg] = process.argv.slice(2);
if (!dirArg || !outArg) {
  console.error("usage: node scripts/make_snapshot.mjs PYODIDE_DIR OUT_DIR");
  process.exit(2);
}
const dir = resolve(dirArg) + "/";
const out = resolve(outArg);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

const { loadPyodide, version } = await import(pathToFileURL(dir + "pyodide.mjs").href);
const lock = JSON.parse(readFileSync(dir + "pyodide-lock.json", "utf8"));
const entry = lock.packages.calculators;
const wheel = readFileSync(dir + entry.file_name);
if (sha256(wheel) !== entry.sha256) throw new Error(`${entry.file_name} does not match pyodide-lock.json`);

const pyodide = await loadPyodide({
  indexURL: dir, lockFileContents: lock, packageBaseUrl: dir, _makeSnapshot: true,
  // A fixed hash seed: the same inputs make the same interpreter state (string hashes,
  // and so dict and set layouts). Readers share the snapshot's state anyway.
  env: { PYTHONHASHSEED: "0" },
  stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n"),
});
// Exactly what the worker's plain boot does (worker.js): the wheel at /lib/<file>, on
// sys.path, imported in place by zipimport. The file system lives in JavaScript, not
// in the wasm memory, so the worker writes the same bytes at the same path after
// restoring (sys.path and zipimport's directory cache, in the snapshot, point there).
// random and hashlib are what calculators.uncertainty imports on first use (a ranged
// input): imported here, no request needs the standard library before the worker has
// fetched it (tests/pyodide/snapshot.mjs replays every case without it). Each calculator
// is then computed once at its defaults, so that a reader's first edit finds Python's
// first-use work done (compiled patterns, memoised tables, first calls): in the bench
// the first edit of counting-odds after a restore went from 26-46 ms to 19 ms (the
// next few stay slower than the rest while the browser's wasm tiers up). The replies
// are dropped; the Node suite checks that every case still answers as CPython does.
const wheelPath = `/lib/${entry.file_name}`;
pyodide.FS.writeFile(wheelPath, wheel);
pyodide.globals.set("wheel_path", wheelPath);
pyodide.runPython(`
import sys
sys.path.insert(0, wheel_path)
import calculators.bridge
import random, hashlib
import json
for calc_id in calculators.CALCULATORS:
    calculators.bridge.run_json(json.dumps({"id": calc_id, "inputs": {}, "view": {}}))
del wheel_path, calc_id
import gc
gc.collect()
gc.collect()
sys._clear_internal_caches()
`);

const M = pyodide._module;
const value = (global) => (typeof global === "object" ? global.value : global);

function mallinfo() {
  const top = M.stackSave();
  const at = M.stackAlloc(64);
  M._mallinfo(at);
  const v = Array.from(M.HEAPU32.subarray(at >> 2, (at >> 2) + 10));
  M.stackRestore(top);
  return { freeChunks: v[1], free: v[8] };
}

// Zero the payload of every free dlmalloc chunk: garbage no allocation reads (calloc
// clears what it hands out), and about 3 MB that would not compress. A free chunk
// (wasm32) is prev_foot, head (size | flags), fd, bk and, in a tree bin, child[2],
// parent, index: its first 32 bytes are kept; the next chunk's prev_foot lies outside
// it. The walk from the heap base must end at the top chunk with the very count and
// bytes mallinfo reports, or nothing is touched (the snapshot is then only larger).
function zeroFreeChunks() {
  const H32 = M.HEAPU32;
  const info = mallinfo();
  const base = value(M.___heap_base);
  const top = M._sbrk(0) >>> 0;
  for (let start = base; start < base + 64; start += 8) {
    const free = [];
    let chunk = start;
    let ok = true;
    while (chunk < top) {
      const size = H32[(chunk + 4) >> 2] & ~7;
      if (size < 16 || chunk + size > top) { ok = false; break; }
      const next = chunk + size;
      const isTop = next >= top - 64;  // the top chunk ends TOP_FOOT_SIZE before sbrk(0)
      if (isTop || (H32[(next + 4) >> 2] & 1) === 0) free.push([chunk, size]);
      if (isTop) break;
      chunk = next;
    }
    const bytes = free.reduce((sum, [, size]) => sum + size, 0);
    if (ok && free.length === info.freeChunks && Math.abs(bytes - info.free) < 64) {
      for (const [at, size] of free) if (size > 32) M.HEAPU8.fill(0, at + 32, at + size);
      return bytes;
    }
  }
  process.stderr.write("make_snapshot: the dlmalloc walk did not match mallinfo; free chunks kept as they are\n");
  return 0;
}
const zeroed = zeroFreeChunks();

const raw = pyodide.makeMemorySnapshot();
const header = new DataView(raw.buffer, raw.byteOffset, 48);
const memOffset = header.getUint32(4, true);
// Pyodide's BUILD_ID (in pyodide.mjs), as eight u32s: restoring checks it.
const buildId = Array.from({ length: 8 }, (_, k) => header.getUint32(16 + 4 * k, true).toString(16).padStart(8, "0")).join("");

// CSN1 (snapshot-codec.mjs): XOR the data segments in, then keep the runs between long
// zero runs.
const MIN_ZERO_RUN = 4096;
function pack(snapshot, segments) {
  const bytes = snapshot.slice();
  xorSegments(bytes, memOffset, segments);
  const runs = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const start = i;
    for (;;) {
      while (i < n && bytes[i] !== 0) i++;
      let z = i;
      while (z < n && bytes[z] === 0) z++;
      if (z - i >= MIN_ZERO_RUN || z >= n) {
        if (i > start) runs.push([start, i - start]);
        i = z;
        break;
      }
      i = z;
    }
  }
  const headerLength = 20 + 8 * runs.length;
  const packed = new Uint8Array(headerLength + runs.reduce((sum, [, length]) => sum + length, 0));
  const view = new DataView(packed.buffer);
  [MAGIC, n, memOffset, 1, runs.length].forEach((v, k) => view.setUint32(4 * k, v, true));
  let at = headerLength;
  runs.forEach(([s, length], k) => {
    view.setUint32(20 + 8 * k, s, true);
    view.setUint32(24 + 8 * k, length, true);
    packed.set(bytes.subarray(s, s + length), at);
    at += length;
  });
  return packed;
}
const segments = dataSegments(new Uint8Array(readFileSync(dir + "pyodide.asm.wasm")));
const packed = pack(raw, segments);
if (!Buffer.from(unpack(packed, segments)).equals(Buffer.from(raw))) throw new Error("CSN1 round trip failed");
const gz = gzipSync(packed, { level: 9 });

const gzSha = sha256(gz);
const manifest = {
  format: "CSN1",
  file: `snapshot-${gzSha.slice(0, 16)}.csn.gz`,
  gz_size: gz.length,
  gz_sha256: gzSha,
  packed_size: packed.length,
  packed_sha256: sha256(packed),
  size: raw.length,
  pyodide: version,
  build_id: buildId,
  wheel: entry.file_name,
  wheel_sha256: entry.sha256,
  // The worker writes it back after restoring: zipimport's index of it is in the snapshot.
  stdlib_sha256: sha256(readFileSync(dir + "python_stdlib.zip")),
  zeroed_free_bytes: zeroed,
};
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/${manifest.file}`, gz);
writeFileSync(`${out}/snapshot.json`, JSON.stringify(manifest, null, 1) + "\n");
console.log(JSON.stringify(manifest));
