// The floor the site is measured against: the same Pyodide files, with the same indexURL
// and lockFileURL as docs/assets/calc/worker.js, in a module worker too, but no package,
// no wheel and no bridge; then `1+1`. Served at <site>/bench-bare/ by bench/site.py.
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";

const indexURL = new URL("../assets/pyodide/", import.meta.url).href;
const t0 = performance.now();
try {
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: indexURL + "pyodide-lock.json",
    stdout: () => {},
    stderr: () => {},
  });
  const value = pyodide.runPython("1+1");
  self.postMessage({ value, workerMs: performance.now() - t0 });
} catch (error) {
  self.postMessage({ error: String(error) });
}
