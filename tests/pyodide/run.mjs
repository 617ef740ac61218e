// Replays the bridge requests of make_cases.py in real Pyodide (the npm package,
// under Node), checks each reply equals CPython's, and runs the package's doctests.
// usage: node tests/pyodide/run.mjs CASES.json WHEEL
import { readFile } from "node:fs/promises";
import { loadPyodide } from "pyodide";
import { same } from "./same.mjs";

const [casesPath, wheelPath] = process.argv.slice(2);
const cases = JSON.parse(await readFile(casesPath, "utf8"));
const pyodide = await loadPyodide();
console.log(`Pyodide ${pyodide.version}, Python ${pyodide.runPython("import sys; sys.version.split()[0]")}`);

// Import the very wheel the site ships, the way its worker does: in place, with
// zipimport. The build compiled its bytecode with this Pyodide, so importing the
// package must compile nothing (a stale or foreign .pyc would be recompiled).
pyodide.FS.writeFile("/lib/calculators.whl", new Uint8Array(await readFile(wheelPath)));
const compiled = pyodide.runPython(`
import builtins, sys
sys.path.insert(0, "/lib/calculators.whl")
compiled = []
_compile = builtins.compile
def counting_compile(source, filename, *args, **kwargs):
    if "calculators" in str(filename):
        compiled.append(str(filename))
    return _compile(source, filename, *args, **kwargs)
builtins.compile = counting_compile
try:
    import calculators.bridge, calculators.cli
finally:
    builtins.compile = _compile
compiled
`).toJs();
if (compiled.length) {
  console.log(`FAIL: importing the wheel compiled ${compiled.join(", ")}: its bytecode was not used`);
  process.exit(1);
}
const runJson = pyodide.pyimport("calculators.bridge").run_json;

let passed = 0;
let failed = 0;
for (const { request, reply } of cases) {
  const got = JSON.parse(runJson(JSON.stringify(request)));
  if (same(reply, got)) {
    passed += 1;
  } else {
    failed += 1;
    if (failed <= 5) {
      console.log(`FAIL ${JSON.stringify(request)}`);
      console.log(`  CPython: ${JSON.stringify(reply).slice(0, 400)}`);
      console.log(`  Pyodide: ${JSON.stringify(got).slice(0, 400)}`);
    }
  }
}

// Replay under Pyodide, as `python -m calculators --from FILE` does natively: a saved
// reply's provenance re-runs to the same reply, bit for bit (the same seed, the same
// samples, the same libm), for every reply that came back whole.
for (const { request } of cases) {
  const first = runJson(JSON.stringify(request));
  const saved = JSON.parse(first);
  if (!saved.ok) continue;
  const again = runJson(JSON.stringify({ id: saved.id, inputs: saved.provenance.inputs }));
  if (again === first) {
    passed += 1;
  } else {
    failed += 1;
    if (failed <= 5) console.log(`FAIL replay of ${JSON.stringify(request)} differs`);
  }
}

// The docstring examples, run by Pyodide's own doctest.
const doctests = pyodide.runPython(`
import doctest, importlib, pkgutil, calculators
results = []
for info in pkgutil.iter_modules(calculators.__path__):
    if info.name == "__main__":
        continue
    mod = importlib.import_module(f"calculators.{info.name}")
    r = doctest.testmod(mod)
    results.append((info.name, r.attempted, r.failed))
results
`).toJs();
for (const [name, attempted, bad] of doctests) {
  if (bad) {
    failed += 1;
    console.log(`FAIL doctests of calculators.${name}: ${bad} of ${attempted} failed`);
  } else {
    passed += 1;
  }
}
console.log(`pyodide: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
