// Whether Pyodide's reply equals CPython's: exactly, except that a raw "value" may differ
// in its last bits (Pyodide's libm, musl, and the native one may round exp/erf an ulp
// apart). Display text, charts and every other field must match exactly.
export function same(a, b, key = "") {
  if (key === "value" && typeof a === "string" && typeof b === "string" && a !== b) {
    const x = Number(a);
    const y = Number(b);
    return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => same(a[k], b[k], k));
}
