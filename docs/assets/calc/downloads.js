// The calculator's files: its result with provenance (JSON), its samples (CSV), and its
// Python source. Loaded the first time a reader asks for one.
import { runtime } from "./runtime.js";

// The last result with its provenance: the bridge's reply (charts left out), plus the
// link, Pyodide's version and the wheel's sha256. `python -m calculators --from FILE`
// re-runs it to the same outputs.
export function downloadJson(c) {
  if (!c.lastGood) {
    c.say("Results can be downloaded once Python has computed them.");
    return;
  }
  const { reply } = c.lastGood;
  const { charts, ...rest } = reply;  // eslint-disable-line no-unused-vars
  const provenance = { ...reply.provenance, link: location.href, ...runtime.versions };
  save(c, "json", JSON.stringify({ ...rest, provenance }, null, 2), "application/json");
}

// With ranges, every sample (one row each, from Python); without, the inputs and results.
export function downloadCsv(c) {
  if (!c.lastGood) {
    c.say("Results can be downloaded once Python has computed them.");
    return;
  }
  const { reply, inputs } = c.lastGood;
  if (reply.ranged) {
    const failed = (why) => c.say(`The samples could not be computed (${why}); try again.`);
    runtime.samples(c.calc, inputs).then(
      (answer) => (answer.ok ? save(c, "csv", answer.csv, "text/csv") : failed(answer.error.message)),
      (error) => failed(error.message),
    );
    return;
  }
  const cell = (s) => `"${String(s).replace(/"/g, '""')}"`;
  const rows = [["kind", "key", "value", "text"]];
  for (const [key, value] of Object.entries(inputs)) rows.push(["input", key, value, value]);
  for (const [key, out] of Object.entries(reply.outputs)) rows.push(["output", key, out.value, out.text]);
  save(c, "csv", rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n", "text/csv");
}

function save(c, kind, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${c.calc}.${kind}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The module's source in a panel under the link, fetched once; the link toggles it.
export function showPython(root, link) {
  let panel = root.querySelector("[data-python]");
  if (panel) {
    panel.hidden = !panel.hidden;
    link.setAttribute("aria-expanded", String(!panel.hidden));
    return;
  }
  panel = document.createElement("pre");
  panel.dataset.python = "";
  panel.className = "calc__python";
  panel.tabIndex = 0;
  panel.setAttribute("aria-label", "Python source");
  panel.textContent = "Loading…";
  link.parentElement.after(panel);
  link.setAttribute("aria-expanded", "true");
  fetch(link.href).then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.status)))).then(
    (text) => { panel.textContent = text; },
    () => { panel.textContent = "The source could not be loaded; follow the link instead."; },
  );
}
