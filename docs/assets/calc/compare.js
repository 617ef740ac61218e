// Scenarios side by side: the defaults, up to three named scenarios the reader kept, and
// their current inputs, each computed by Python, with one chart of them all; the numbers
// in the prose read "yours (the defaults: …)" where they differ. Loaded the first time a
// reader compares; what lives in the link is read and written by url-state.js.
import { runtime } from "./runtime.js";
import { powersHtml, showText } from "./powers.js";

// Ask Python for every scenario and show them; `c` is the calculator's controller.
export function refreshCompare(c) {
  const panel = c.root.querySelector("[data-compare]");
  panel.hidden = !c.compare.on;
  markQuotes(c, null);
  if (!c.compare.on || runtime.state !== "ready") return;
  const scenarios = [
    { name: "Defaults", inputs: {} },
    ...c.compare.kept,
    { name: "Yours", inputs: c.inputs },
  ];
  runtime.compare(c.calc, scenarios).then((reply) => {
    if (!reply.ok || !c.compare.on) return;
    drawTable(c, panel, reply);
    const chart = panel.querySelector("[data-compare-chart]");
    chart.innerHTML = reply.chart.svg;  // built by the package, every text escaped there
    const yours = reply.scenarios[reply.scenarios.length - 1];
    markQuotes(c, yours.ok ? yours.outputs : null);
  }, () => {});
}

// One column per scenario: its name (with a button to drop a kept one), the headline,
// then every result. Built from text, never from markup.
function drawTable(c, panel, reply) {
  const table = document.createElement("table");
  table.className = "calc-table";
  const caption = table.createCaption();
  caption.textContent = "Scenarios side by side";
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: "Result" }));
  reply.scenarios.forEach((s, i) => {
    const th = Object.assign(document.createElement("th"), { scope: "col", textContent: s.name });
    const keptIndex = i - 1;
    if (keptIndex >= 0 && keptIndex < c.compare.kept.length) {
      const drop = Object.assign(document.createElement("button"), {
        type: "button", className: "calc__drop", textContent: "×",
      });
      drop.dataset.action = "drop-scenario";
      drop.dataset.index = String(keptIndex);
      drop.setAttribute("aria-label", `Drop the scenario ${s.name}`);
      th.append(" ", drop);
    }
    head.append(th);
  });
  const body = table.createTBody();
  const row = (label, cells) => {
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement("th"), { scope: "row", textContent: label }));
    for (const text of cells) showText(tr.insertCell(), text);
  };
  row("Answer", reply.scenarios.map((s) => (s.ok ? s.headline.text : "Inputs need attention")));
  const labels = [...c.root.querySelectorAll("[data-output]")].map((cell) => [
    cell.dataset.output, cell.closest("tr").querySelector("th").firstChild.textContent,
  ]);
  for (const [key, label] of labels) {
    row(label, reply.scenarios.map((s) => (s.ok ? s.outputs[key].quote : "")));
  }
  const holder = panel.querySelector("[data-compare-table]");
  holder.replaceChildren(table);
}

// Prose numbers: "yours (the defaults: …)" where the two differ; plain otherwise.
function markQuotes(c, outputs) {
  for (const quote of document.querySelectorAll(`[data-quote^="${c.calc}."][data-default-text]`)) {
    const key = quote.dataset.quote.slice(c.calc.length + 1);
    const mine = outputs && outputs[key] ? outputs[key].quote : quote.dataset.text;
    const theirs = quote.dataset.defaultText;
    const text = outputs && mine !== theirs ? `${mine} (the defaults: ${theirs})` : mine;
    if (outputs || quote.hasAttribute("data-compared")) {
      // Written whole: data-text keeps the number alone (as the tests and the clipboard
      // read it), so showText's unchanged-text shortcut would not see the annotation go.
      quote.innerHTML = powersHtml(text);
      quote.dataset.text = mine;
      quote.toggleAttribute("data-compared", Boolean(outputs && mine !== theirs));
    }
  }
}
