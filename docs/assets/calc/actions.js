// The calculator's buttons and links marked data-action="NAME": each action gets the
// controller, the element clicked and the click.
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
  "download-json": (c) => download(c, "json"),
  "download-csv": (c) => download(c, "csv"),
  "show-python"(c, link, event) {
    event.preventDefault();
    showPython(c.root, link);
  },
};

// The last computed inputs and results, as a file the CLI can re-run (JSON) or a sheet.
function download(c, kind) {
  if (!c.lastGood) {
    c.say("Results can be downloaded once Python has computed them.");
    return;
  }
  const { reply, inputs } = c.lastGood;
  let text;
  let type;
  if (kind === "json") {
    const outputs = {};
    for (const [key, out] of Object.entries(reply.outputs)) outputs[key] = out;
    text = JSON.stringify({ calculator: c.calc, link: location.href, inputs, outputs }, null, 2);
    type = "application/json";
  } else {
    const cell = (s) => `"${String(s).replace(/"/g, '""')}"`;
    const rows = [["kind", "key", "value", "text"]];
    for (const [key, value] of Object.entries(inputs)) rows.push(["input", key, value, value]);
    for (const [key, out] of Object.entries(reply.outputs)) rows.push(["output", key, out.value, out.text]);
    text = rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
    type = "text/csv";
  }
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
