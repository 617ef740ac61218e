// The worker's fast boot: Python restored from the memory snapshot the build made with
// the calculators already imported (hooks/shipping_snapshot.py), instead of started and
// made to import them. Every step checks what it gets and throws on anything amiss;
// worker.js then boots the plain way. Nothing here is used before its sha256 matches
// the manifest the build wrote beside pyodide-lock.json (snapshot.json).
import { dataSegments, unpacker } from "./snapshot-codec.mjs";

// An empty zip archive: Pyodide's standard library until the real one has arrived. The
// restored interpreter has imported what the calculators need already.
const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]);

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

// The snapshot's bytes as they arrive, received at once (the network is not held up)
// and handed on as an async iterator. Keeps them all: the sha256 is of the whole, and
// `whole` resolves to it, in one buffer, once the download has ended.
function receive(reader) {
  const got = [];
  let wake = () => {};
  let ended = false;
  let failure = null;
  const whole = (async () => {
    try {
      for (let c = await reader.read(); !c.done; c = await reader.read()) {
        got.push(c.value);
        wake();
      }
    } catch (error) {
      failure = error;
    }
    ended = true;
    wake();
    if (failure) throw failure;
    const bytes = new Uint8Array(got.reduce((n, chunk) => n + chunk.length, 0));
    let at = 0;
    for (const chunk of got) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  })();
  whole.catch(() => {});  // the iterator throws the same failure
  async function* chunks() {
    for (let i = 0; ; i += 1) {
      while (i >= got.length && !ended) await new Promise((resolve) => { wake = resolve; });
      if (i >= got.length) {
        if (failure) throw failure;
        return;
      }
      yield got[i];
    }
  }
  return { whole, chunks };
}

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

// The snapshot's container: downloaded at once, gunzipped once started resolves (until
// then only received) and unpacked as it is gunzipped, then its sha256 checked against
// the manifest's (hashed as soon as the download ends, while it is gunzipped). A host
// may add Content-Encoding: gzip to a .gz file (the browser then hands over the
// gunzipped bytes): both are accepted, each checked. Resolves to the unpacker
// (snapshot-codec.mjs), whose end() gives the raw snapshot.
async function download(pending, manifest, started) {
  const response = await pending;
  if (!response.ok) throw new Error(`${manifest.file}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  const { whole, chunks } = receive(reader);
  const digest = whole.then((bytes) => crypto.subtle.digest("SHA-256", bytes)).then(hex);
  digest.catch(() => {});  // awaited below, unless the download fails first
  await started;
  const out = unpacker();
  const put = (bytes) => {
    if (out.length + bytes.length > manifest.packed_size) throw new Error("longer than its manifest says");
    out.push(bytes);
  };
  const input = chunks();
  let gzipped;
  try {
    const first = await input.next();
    gzipped = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
    if (gzipped) {
      const inflate = new DecompressionStream("gzip");
      const writer = inflate.writable.getWriter();
      const fed = (async () => {
        await writer.write(first.value);
        for await (const bytes of input) await writer.write(bytes);
        await writer.close();
      })();
      const drained = (async () => {
        const inflated = inflate.readable.getReader();
        for (let c = await inflated.read(); !c.done; c = await inflated.read()) put(c.value);
      })();
      await Promise.all([fed, drained]);
    } else if (!first.done) {
      put(first.value);
      for await (const bytes of input) put(bytes);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw new Error(`download or gunzip failed (${error.message})`, { cause: error });
  }
  if (out.length !== manifest.packed_size) throw new Error(`${out.length} bytes, its manifest says ${manifest.packed_size}`);
  const want = gzipped ? manifest.gz_sha256 : manifest.packed_sha256;
  if ((await digest) !== want) throw new Error("its sha256 is not the manifest's");
  return out;
}

// While Pyodide starts from a snapshot, its fetch of python_stdlib.zip is answered with
// an empty archive (the real one comes once Python is ready: installStdlib).
function watchFetch(indexURL) {
  const real = self.fetch;
  self.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === indexURL + "python_stdlib.zip") return Promise.resolve(new Response(EMPTY_ZIP));
    return real(input, init);
  };
  return () => { self.fetch = real; };
}

// Start Python from the snapshot. load(options) is worker.js's loadPyodide with its
// own options and failure watch; expect: {pyodide: version, wheel: sha256} that the
// manifest must name; started: resolves when the CPU may be spent on Python (a held
// worker's START: worker.js), before which the snapshot is only downloaded; wasm: the
// bytes of pyodide.asm.wasm (its data segments are not in the container). Resolves to
// Pyodide, with the calculators imported.
export async function restore(load, chosen, indexURL, expect, started, wasm) {
  const { manifest } = chosen;
  if (manifest.format !== "CSN1" || manifest.pyodide !== expect.pyodide) throw new Error(`the snapshot is for Pyodide ${manifest.pyodide}`);
  if (manifest.wheel_sha256 !== expect.wheel) throw new Error("the snapshot holds another calculators wheel");
  const snapshot = (async () => {
    const unpacked = await download(chosen.response, manifest, started);
    return unpacked.end(dataSegments(new Uint8Array(await wasm)));
  })();
  snapshot.catch(() => {});  // awaited below, or by Pyodide; a failure reaches us either way
  await started;
  const unwatch = watchFetch(indexURL);
  try {
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
    unwatch();
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
