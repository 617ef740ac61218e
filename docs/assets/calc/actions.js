// The calculator's buttons and links marked data-action="NAME": each action gets the
// controller, the element clicked and the click.
import { runtime } from "./runtime.js";
import { MAX_KEPT, changedInputs, writeCompare, writeQuery } from "./url-state.js";

// Code a reader may never need loads when first used.
const downloads = () => import("./downloads.js");

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
    if (runtime.state === "ready") c.request();
    else c.say("The charts switch once Python has started.");
  },
  // The defaults, the kept scenarios and the reader's inputs side by side.
  compare(c) {
    c.setCompare({ ...c.compare, on: !c.compare.on });
    writeCompare(c.calc, c.compare);
    c.refreshCompare();
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
    c.refreshCompare();
    c.say(`Kept “${name}”: it stays in the link, beside the defaults and your inputs.`);
  },
  "drop-scenario"(c, button) {
    const index = Number(button.dataset.index);
    const kept = c.compare.kept.filter((_, i) => i !== index);
    c.setCompare({ ...c.compare, kept });
    writeCompare(c.calc, c.compare);
    c.refreshCompare();
  },
  // Python again after the runtime gave up (its restarts spent): the reader's call.
  retry() {
    runtime.retry();
  },
  "download-json": (c) => downloads().then((m) => m.downloadJson(c)),
  "download-csv": (c) => downloads().then((m) => m.downloadCsv(c)),
  "show-python"(c, link, event) {
    event.preventDefault();
    downloads().then((m) => m.showPython(c.root, link));
  },
};
