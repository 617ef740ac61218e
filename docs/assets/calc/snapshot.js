// The worker's fast boot: Python restored from the memory snapshot the build made with
// the calculators already imported (hooks/shipping_snapshot.py), instead of started and
// made to import them. Every step checks what it gets and throws on anything amiss;
// worker.js then boots the plain way. Nothing here is used before its sha256 matches
// the manifest the build wrote beside pyodide-lock.json (snapshot.json).
import { dataSegments, unpack } from "./snapshot-codec.mjs";

// An empty zip archive: Pyodide's standard library until the real one has arrived. The
// restored interpreter has imported what the calculators need already.
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]);
const WASM_WAIT_MS = 5000;

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
  return response.json();
}

// Which boot, from the page's hint (the worker's name: see bootHint in runtime.js) and
// what is cached. The snapshot costs 3.6 MB more than a plain boot on a first visit and
// saves seconds of CPU: measured, it wins on fast connections and loses on slow ones.
//   "snapshot", "plain": forced (tests, the benchmark: the page's ?calc-boot=).
//   "save-data", "slow": the snapshot only if it is cached already; on a slow connection
//     it is fetched in idle time once Python is ready, so the next visit has it.
//   "": the snapshot (a fast or unknown connection).
// Resolves to {path: "snapshot" | "plain", reason, manifest, response, prefetch}.
export async function plan(hint, indexURL) {
  if (hint === "plain") return { path: "plain", reason: "forced" };
  const manifest = await json(indexURL + "snapshot.json").catch((error) => error);
  if (manifest instanceof Error) return { path: "plain", reason: `no snapshot (${manifest.message})` };
  const url = new URL(manifest.file, indexURL);
  if (hint === "save-data" || hint === "slow") {
    const cached = await fetch(url, { cache: "only-if-cached", mode: "same-origin" }).catch(() => null);
    if (cached && cached.ok) return { path: "snapshot", reason: "cached", manifest, response: cached };
    return { path: "plain", reason: hint === "slow" ? "slow connection" : "Save-Data", prefetch: hint === "slow" && url };
  }
  const response = fetch(url);
  response.catch(() => {});  // awaited by restore()
  return { path: "snapshot", reason: hint === "snapshot" ? "forced" : "fast or unknown connection", manifest, response };
}

// The snapshot's container: downloaded, gunzipped as it arrives, then its sha256
// checked against the manifest's. A host may add Content-Encoding: gzip to a .gz file
// (the browser then hands over the gunzipped bytes): both are accepted, each checked.
async function download(pending, manifest) {
  const response = await pending;
  if (!response.ok) throw new Error(`${manifest.file}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  const packed = new Uint8Array(manifest.packed_size);
  let size = 0;
  const put = (bytes) => {
    if (size + bytes.length > packed.length) throw new Error("longer than its manifest says");
    packed.set(bytes, size);
    size += bytes.length;
  };
  const gz = [];
  let chunk = await reader.read();
  const gzipped = !chunk.done && chunk.value[0] === 0x1f && chunk.value[1] === 0x8b;
  try {
    if (gzipped) {
      const inflate = new DecompressionStream("gzip");
      const writer = inflate.writable.getWriter();
      const fed = (async () => {
        for (; !chunk.done; chunk = await reader.read()) {
          gz.push(chunk.value);
          await writer.write(chunk.value);
        }
        await writer.close();
      })();
      const drained = (async () => {
        const out = inflate.readable.getReader();
        for (let c = await out.read(); !c.done; c = await out.read()) put(c.value);
      })();
      await Promise.all([fed, drained]);
    } else {
      for (; !chunk.done; chunk = await reader.read()) put(chunk.value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw new Error(`download or gunzip failed (${error.message})`, { cause: error });
  }
  if (size !== packed.length) throw new Error(`${size} bytes, its manifest says ${packed.length}`);
  const [bytes, want] = gzipped ? [await new Blob(gz).arrayBuffer(), manifest.gz_sha256] : [packed, manifest.packed_sha256];
  const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
  if (digest !== want) throw new Error("its sha256 is not the manifest's");
  return packed;
}

// While Pyodide starts from a snapshot, its two fetches are watched: pyodide.asm.wasm is
// copied on its way in (the container needs its data segments: one download serves
// both), and python_stdlib.zip is answered with an empty archive (the real one comes
// once Python is ready: installStdlib).
function watchFetch(indexURL) {
  const real = self.fetch;
  let seen;
  const wasm = new Promise((resolve) => { seen = resolve; });
  self.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === indexURL + "python_stdlib.zip") return Promise.resolve(new Response(EMPTY_ZIP));
    const response = real(input, init);
    if (url === indexURL + "pyodide.asm.wasm") {
      // clone() before Pyodide reads the body; the original stays a real fetch()
      // response, which the browser's compiled-wasm cache needs.
      seen(response.then((r) => {
        if (!r.ok) throw new Error(`pyodide.asm.wasm: HTTP ${r.status}`);
        return r.clone().arrayBuffer();
      }));
    }
    return response;
  };
  return { wasm, unwatch: () => { self.fetch = real; } };
}

// Start Python from the snapshot. load(options) is worker.js's loadPyodide with its
// own options and failure watch; expect: {pyodide: version, wheel: sha256} that the
// manifest must name. Resolves to Pyodide, with the calculators imported.
export async function restore(load, chosen, indexURL, expect) {
  const { manifest } = chosen;
  if (manifest.format !== "CSN1" || manifest.pyodide !== expect.pyodide) throw new Error(`the snapshot is for Pyodide ${manifest.pyodide}`);
  if (manifest.wheel_sha256 !== expect.wheel) throw new Error("the snapshot holds another calculators wheel");
  const fetches = watchFetch(indexURL);
  try {
    const snapshot = (async () => {
      const packed = await download(chosen.response, manifest);
      let timer;
      const wasm = await Promise.race([fetches.wasm, new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("Pyodide did not fetch its wasm with fetch()")), WASM_WAIT_MS);
      })]).finally(() => clearTimeout(timer));
      return unpack(packed, dataSegments(new Uint8Array(wasm)));
    })();
    snapshot.catch(() => {});  // Pyodide awaits it; a failure reaches us through load()
    const pyodide = await load({ _loadSnapshot: snapshot });
    // The 30 MB are in the wasm memory now, but Pyodide keeps its options (and so this
    // buffer) for the worker's life: detach it, so it can be freed.
    const { buffer } = await snapshot;
    try {
      structuredClone(buffer, { transfer: [buffer] });
    } catch {
      // Only memory is at stake: keep the Python that started.
    }
    return pyodide;
  } finally {
    fetches.unwatch();
  }
}

// The standard library, fetched once Python is ready and written where Pyodide keeps
// it (zipimport's index of it, restored with the snapshot, points into these bytes).
// integrity: its Subresource Integrity string (from the manifest).
export async function installStdlib(pyodide, indexURL, integrity) {
  const response = await fetch(indexURL + "python_stdlib.zip", { integrity });
  if (!response.ok) throw new Error(`python_stdlib.zip: HTTP ${response.status}`);
  const name = pyodide.FS.readdir("/lib").find((file) => /^python\d+\.zip$/.test(file));
  pyodide.FS.writeFile(`/lib/${name}`, new Uint8Array(await response.arrayBuffer()));
}

// After a plain boot on a slow connection: the snapshot, fetched while nothing else is,
// into the HTTP cache (or the service worker's), for the next visit.
export function prefetch(url) {
  setTimeout(() => fetch(url, { priority: "low" }).then((r) => r.arrayBuffer()).catch(() => {}), 2000);
}
