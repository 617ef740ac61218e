// The memory snapshot the site ships, restored in Pyodide under Node as the worker
// restores it (docs/assets/calc/snapshot.js), then every bridge request of
// make_cases.py replayed and checked equal to CPython's reply.
//
// usage: node tests/pyodide/snapshot.mjs CASES.json PYODIDE_DIR
// PYODIDE_DIR is a built site's assets/pyodide/ (scripts/ship_pyodide.py writes one).
//
// As in the worker, the standard library is an empty zip and the wheel is not in the
// file system while the cases run: the snapshot alone must answer every request (the
// worker answers before those files have arrived). Then both are written back, as the
// worker does once Python is ready, and modules the snapshot lacks must import.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { dataSegments, unpack, unpacker, xorSegments } from "../../docs/assets/calc/snapshot-codec.mjs";
import { same } from "./same.mjs";

const [casesPath, dirArg] = process.argv.slice(2);
const dir = resolve(dirArg) + "/";
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${what}`);
  }
}

const { loadPyodide, version } = await import(pathToFileURL(dir + "pyodide.mjs").href);
const lock = JSON.parse(readFileSync(dir + "pyodide-lock.json", "utf8"));
const manifest = JSON.parse(readFileSync(dir + "snapshot.json", "utf8"));
const wheel = lock.packages.calculators;
const gz = readFileSync(dir + manifest.file);

// The checks the worker makes before it uses a byte.
check(sha256(gz) === manifest.gz_sha256, "the snapshot's sha256 is the manifest's");
check(manifest.wheel_sha256 === wheel.sha256, "the snapshot holds the wheel the lock file names");
check(manifest.pyodide === version, `the snapshot is of this Pyodide (${manifest.pyodide}, ${version})`);
const packed = new Uint8Array(gunzipSync(gz));
check(packed.length === manifest.packed_size && sha256(packed) === manifest.packed_sha256, "the container's size and sha256");
const segments = dataSegments(new Uint8Array(readFileSync(dir + "pyodide.asm.wasm")));
const raw = unpack(packed, segments);
check(raw.length === manifest.size, "the unpacked snapshot's size");

// A damaged container is refused, never unpacked into a wrong snapshot.
for (const [what, damage] of [["bad magic", (b) => { b[0] ^= 1; }], ["truncated", (b) => b.subarray(0, b.length - 1)],
  ["a run out of bounds", (b) => { new DataView(b.buffer).setUint32(24, 0xffffff, true); }]]) {
  const copy = packed.slice();
  const bytes = damage(copy) || copy;
  let threw = false;
  try { unpack(bytes, segments); } catch { threw = true; }
  check(threw, `unpack refuses a container with ${what}`);
}

// The worker unpacks as it gunzips, in whatever pieces arrive: any split gives the same
// snapshot, and a damaged stream is refused at the same checks.
for (const step of [1 << 16, 4093, 20, 7]) {
  const out = unpacker();
  const limit = step < 64 ? 1 << 16 : packed.length;  // tiny pieces: the header, table and first runs
  for (let at = 0; at < limit; at += step) out.push(packed.subarray(at, Math.min(at + step, limit)));
  if (limit < packed.length) out.push(packed.subarray(limit));
  check(Buffer.from(out.end(segments)).equals(Buffer.from(raw)), `unpacked in pieces of ${step} bytes, the same snapshot`);
}
for (const [what, feed] of [
  ["trailing bytes", (out) => { out.push(packed); out.push(new Uint8Array(1)); }],
  ["a truncated stream", (out) => { out.push(packed.subarray(0, packed.length - 5)); out.end(segments); }],
  ["only a header", (out) => { out.push(packed.subarray(0, 12)); out.end(segments); }],
]) {
  let threw = false;
  try { feed(unpacker()); } catch { threw = true; }
  check(threw, `the streaming unpacker refuses ${what}`);
}

// The word-wise XOR is the byte-wise one, on any alignment of the snapshot's bytes; it
// refuses segments that overlap (it builds one image of them).
{
  const reference = raw.slice(0, 1 << 22);
  const small = segments.filter(([address, data]) => 4096 + address + data.length <= reference.length);
  const expected = reference.slice();
  for (const [address, data] of small) for (let k = 0; k < data.length; k++) expected[4096 + address + k] ^= data[k];
  for (const shift of [0, 1, 2, 3]) {
    const view = new Uint8Array(reference.length + 4).subarray(shift, shift + reference.length);
    view.set(reference);
    xorSegments(view, 4096, small);
    check(Buffer.from(view).equals(Buffer.from(expected)), `XOR at byte offset ${shift} equals the byte-wise XOR`);
  }
  let threw = false;
  try { xorSegments(reference.slice(), 0, [[0, new Uint8Array(8)], [4, new Uint8Array(8)]]); } catch { threw = true; }
  check(threw, "XOR refuses overlapping data segments");
}

const empty = join(mkdtempSync(join(tmpdir(), "snapshot-")), "empty.zip");
writeFileSync(empty, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]));
const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: dir, lockFileContents: lock, packageBaseUrl: dir, stdout: () => {}, stderr: () => {},
  _loadSnapshot: raw, stdLibURL: empty,
});
const bridge = pyodide.pyimport("calculators.bridge");
console.log(`Pyodide ${pyodide.version} restored from ${manifest.file} (${manifest.gz_size} bytes) in ${Math.round(performance.now() - t0)} ms`);

// Every case, from the snapshot alone.
let replayed = 0;
for (const { request, reply } of cases) {
  const got = JSON.parse(bridge.run_json(JSON.stringify(request)));
  if (same(reply, got)) replayed += 1;
  else check(false, `${JSON.stringify(request)}: ${JSON.stringify(got).slice(0, 300)}`);
}
check(replayed === cases.length, `${replayed} of ${cases.length} cases equal CPython's`);
// A ranged run's samples (the page's CSV download) need random and hashlib.
let sampled = 0;
for (const id of new Set(cases.map((c) => c.request.id))) {
  const ranged = cases.find((c) => c.request.id === id && c.reply.ranged);
  if (!ranged) continue;
  const reply = JSON.parse(bridge.samples_json(JSON.stringify(ranged.request)));
  check(reply.ok && reply.csv.split("\r\n").length === 10002, `samples of ${JSON.stringify(ranged.request)}`);
  sampled += 1;
}
check(sampled >= 4, `samples of a ranged run of each calculator (${sampled})`);

// The files the worker writes back once ready: then what the snapshot lacks imports.
const stdlib = pyodide.FS.readdir("/lib").find((name) => /^python\d+\.zip$/.test(name));
pyodide.FS.writeFile(`/lib/${stdlib}`, new Uint8Array(readFileSync(dir + "python_stdlib.zip")));
pyodide.FS.writeFile(`/lib/${wheel.file_name}`, new Uint8Array(readFileSync(dir + wheel.file_name)));
const imported = pyodide.runPython(`
import sys
new = [m for m in ("csv", "statistics", "doctest", "calculators.cli") if m not in sys.modules]
for m in new:
    __import__(m)
new
`).toJs();
check(imported.includes("calculators.cli") && imported.length >= 3,
  `modules outside the snapshot import once the files are back: ${imported.join(", ")}`);
const doctests = pyodide.runPython(`
import doctest, importlib, pkgutil, calculators
results = []
for info in pkgutil.iter_modules(calculators.__path__):
    if info.name != "__main__":
        r = doctest.testmod(importlib.import_module(f"calculators.{info.name}"))
        results.append((info.name, r.attempted, r.failed))
results
`).toJs();
for (const [name, attempted, bad] of doctests) check(!bad, `doctests of calculators.${name}: ${bad} of ${attempted} failed`);

console.log(`pyodide snapshot: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
