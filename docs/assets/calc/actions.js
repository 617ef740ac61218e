// The calculator's buttons and links marked data-action="NAME": each action gets the
// controller, the element clicked and the click.
import { MAX_KEPT, changedInputs, refreshCompare, writeCompare } from "./compare.js";
import { runtime } from "./runtime.js";
import { writePrintLinks } from "./print.js";
import { writeQuery } from "./url-state.js";

export const ACTIONS = {
  reset(c) {
    for (const input of c.fields) input.value = input.dataset.default;
    c.changed(true);
  },
  "copy-link"(c) {
    const link = location.href;
    const done = () => c.say("Link copied: it reproduces exactly these inputs.");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(done, () => c.say(`Copy this link: ${link}`));
    } else {
      c.say(`Copy this link: ${link}`);
    }
  },
  // Charts of probabilities in log2 odds, or back; remembered in the link.
  scale(c) {
    const odds = c.view.scale !== "odds";
    c.setScale(odds ? "odds" : "probability");
    writeQuery(c.fields, true, [c.calc, odds]);
    writePrintLinks();
    if (runtime.state === "ready") c.request();
    else c.say("The charts switch once Python has started.");
  },
  // The defaults, the kept scenarios and the reader's inputs side by side.
  compare(c) {
    c.setCompare({ ...c.compare, on: !c.compare.on });
    writeCompare(c.calc, c.compare);
    writePrintLinks();
    refreshCompare(c);
    if (c.compare.on && runtime.state !== "ready") c.say("The comparison appears once Python has started.");
  },
  "keep-scenario"(c) {
    const field = c.root.querySelector("[data-scenario-name]");
    const name = field.value.trim() || `Scenario ${c.compare.kept.length + 1}`;
    if (c.compare.kept.length >= MAX_KEPT) {
      c.say(`At most ${MAX_KEPT} scenarios can be kept; drop one first.`);
      return;
    }
    c.setCompare({ on: true, kept: [...c.compare.kept, { name, inputs: changedInputs(c.fields) }] });
    field.value = "";
    writeCompare(c.calc, c.compare);
    writePrintLinks();
    refreshCompare(c);
    c.say(`Kept “${name}”: it stays in the link, beside the defaults and your inputs.`);
  },
  "drop-scenario"(c, button) {
    const index = Number(button.dataset.index);
    const kept = c.compare.kept.filter((_, i) => i !== index);
    c.setCompare({ ...c.compare, kept });
    writeCompare(c.calc, c.compare);
    writePrintLinks();
    refreshCompare(c);
  },
  "download-json": (c) => downloadJson(c),
  "download-csv": (c) => downloadCsv(c),
  "show-python"(c, link, event) {
    event.preventDefault();
    showPython(c.root, link);
  },
};

// The last result with its provenance: the bridge's reply (charts left out), plus the
// link, Pyodide's version and the wheel's sha256. `python -m calculators --from FILE`
// re-runs it to the same outputs.
function downloadJson(c) {
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
function downloadCsv(c) {
  if (!c.lastGood) {
    c.say("Results can be downloaded once Python has computed them.");
    return;
  }
  const { reply, inputs } = c.lastGood;
  if (reply.ranged) {
    runtime.samples(c.calc, inputs).then(
      (text) => (typeof text === "string" ? save(c, "csv", text, "text/csv")
        : c.say("The samples could not be computed; try again.")),
      () => c.say("The samples could not be computed; try again."),
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
function showPython(root, link) {
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
