// A calculator's inputs in the page's URL, so any view can be shared: only the values
// that differ from the defaults, named as in the Python spec, plus `v`, the link
// format. `odds` lists the calculators whose charts are shown in log2 odds. Every write
// of the URL goes through here, and keeps the printed link (print.js) up to date.
//
// Every link ever shared still opens. A link of an older format is read through the
// history the build writes into the manifest (calculators/links.py): inputs that still
// exist keep their values, a default that changed is restored for the inputs the link
// left out, a new input takes the value that reproduces the old behaviour, and a
// retired one is mapped or named in a one-line notice. A link whose inputs belong to a
// calculator that moved to another page is sent on to that page.
import { writePrintLinks } from "./print.js";
import { remember } from "./reading-store.js";

const MANIFEST_URL = new URL("manifest.json", import.meta.url);
// Parameters that say how to show the page, not what the inputs are.
const VIEW_PARAMS = new Set(["v", "odds", "compare", "scenario"]);

// Whether a field holds other than its default: the one test the link, the kept
// scenarios and the static results go by.
const changed = (input) => input.value !== input.dataset.default;
export const atDefaults = (fields) => !fields.some(changed);

// The link format this build writes (the same on every calculator of the site).
function linkFormat() {
  const root = document.querySelector("[data-calculator][data-links]");
  return root ? root.dataset.links : "1";
}

let manifest = null;
function loadManifest() {
  manifest = manifest || fetch(MANIFEST_URL).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  return manifest;
}

// Read a link's parameters in today's format: [params, notices], each notice
// {calc, text}. Mirrors calculators.links.migrate, which the tests hold this to.
export function migrate(params, version, history) {
  const out = new Map();
  for (const [name, value] of params) if (!out.has(name)) out.set(name, value);  // the first wins, as get() reads
  const notices = [];
  for (let v = Math.max(version, 1); v < history.version; v += 1) {
    for (const step of history.steps.filter((s) => s.version === v)) {
      if (!step.fields.some((name) => out.has(name))) continue;
      for (const [name, value] of Object.entries(step.oldDefaults)) if (!out.has(name)) out.set(name, value);
      for (const [name, value] of Object.entries(step.added)) if (!out.has(name)) out.set(name, value);
      for (const retired of step.retired) {
        if (!out.has(retired.name)) continue;
        const value = out.get(retired.name).trim();
        out.delete(retired.name);
        const mapped = Object.hasOwn(retired.maps, value) ? retired.maps[value] : null;
        if (mapped) {
          for (const [name, v2] of Object.entries(mapped)) if (!out.has(name)) out.set(name, v2);
        } else if (retired.notice) {
          notices.push({ calc: step.calc, text: retired.notice });
        }
      }
      if (step.notice) notices.push({ calc: step.calc, text: step.notice });
    }
  }
  return [out, notices];
}

// Bring the page's URL up to today's format, once, before any calculator reads it:
// resolves to the notices to show (and may send the reader to another page).
export async function upgradeLink(onPage) {
  const params = new URLSearchParams(location.search);
  const version = Number(params.get("v") || linkFormat());
  const current = Number(linkFormat());
  const names = [...params.keys()].filter((k) => !VIEW_PARAMS.has(k));
  if (!names.length) return [];
  const known = new Set(onPage.flatMap((calc) => calc.names));
  // Only a link the site wrote (it carries `v`) can hold another page's inputs; other
  // parameters (the theme's search highlight `h`, `calc-boot`, a tracker's) are left
  // alone without a wait for the manifest.
  const foreign = params.has("v") ? names.filter((name) => !known.has(name)) : [];
  if (version >= current && !foreign.length) return [];
  const data = await loadManifest();
  if (!data || !data.links) return [];
  const latest = data.links.version;  // a page with no calculator has no data-links
  params.delete("v");
  const inputs = [...params.entries()].filter(([k]) => !VIEW_PARAMS.has(k));
  const views = [...params.entries()].filter(([k]) => VIEW_PARAMS.has(k));
  const [upgraded, notices] = migrate(inputs, Math.min(version, latest), data.links);
  // Inputs of a calculator that is not on this page: that calculator's page holds them.
  const away = [...upgraded.keys()].filter((name) => !known.has(name) && data.inputs[name]);
  const here = [...upgraded.keys()].filter((name) => known.has(name));
  if (away.length && !here.length) {
    const calc = data.inputs[away[0]];
    const target = (data.calculators[calc] || [])[0];
    if (target !== undefined) {
      const base = new URL("../../", MANIFEST_URL);  // the site's root
      const query = new URLSearchParams([["v", String(latest)], ...upgraded.entries(), ...views]);
      location.replace(new URL(`${target}?${query}${location.hash}`, base).href);
      return [];
    }
  }
  const query = new URLSearchParams([["v", String(latest)], ...upgraded.entries(), ...views]);
  setUrl(`${location.pathname}?${query}${location.hash}`, false);
  return notices;
}

// Set each field from the query string, or to its default where the query has none
// (on arrival, and on Back and Forward: the printed link follows the URL read).
export function readQuery(fields, search = location.search) {
  const params = new URLSearchParams(search);
  for (const input of fields) {
    const value = params.get(input.name);
    input.value = value === null ? input.dataset.default : value;
  }
  writePrintLinks();
}

// The one way the URL is written: a new history entry (push) or in place of this one;
// the printed link follows.
function setUrl(url, push) {
  if (push) history.pushState(null, "", url);
  else history.replaceState(history.state, "", url);
  writePrintLinks();
}

// Whether the link asks for this calculator's charts in log2 odds.
export function readOdds(calc, search = location.search) {
  const odds = new URLSearchParams(search).get("odds");
  return Boolean(odds) && odds.split(",").includes(calc);
}

// Write the fields (and whether the charts are in log2 odds) into the URL: a new
// history entry (push) or in place of this one. Parameters of other calculators on the
// page are kept.
export function writeQuery(fields, push, odds = null) {
  const params = new URLSearchParams(location.search);
  for (const input of fields) {
    if (changed(input)) params.set(input.name, input.value);
    else params.delete(input.name);
  }
  if (odds) {
    const [calc, on] = odds;
    const list = new Set((params.get("odds") || "").split(",").filter(Boolean));
    if (on) list.add(calc);
    else list.delete(calc);
    if (list.size) params.set("odds", [...list].sort().join(","));
    else params.delete("odds");
  }
  remember(fields);  // for the "Your reading" page
  params.delete("v");
  const rest = params.toString();
  const query = rest ? `?v=${linkFormat()}&${rest}` : "";
  const url = `${location.pathname}${query}${location.hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  setUrl(url, push);
}

// Scenarios side by side, in the link: `compare` lists the calculators showing them, and
// each kept scenario is one `scenario` parameter, "calc|name|inputs" (the inputs as a
// query string of their own).
export const MAX_KEPT = 3;

export function readCompare(calc, search = location.search) {
  const params = new URLSearchParams(search);
  const on = (params.get("compare") || "").split(",").includes(calc);
  const kept = params.getAll("scenario")
    .map((value) => value.split("|"))
    .filter((parts) => parts.length === 3 && parts[0] === calc)
    .slice(0, MAX_KEPT)
    .map(([, name, query]) => ({ name: name.slice(0, 40), inputs: Object.fromEntries(new URLSearchParams(query)) }));
  return { on, kept };
}

// Write this calculator's comparison into the URL (a new history entry).
export function writeCompare(calc, state) {
  const params = new URLSearchParams(location.search);
  const list = new Set((params.get("compare") || "").split(",").filter(Boolean));
  if (state.on) list.add(calc);
  else list.delete(calc);
  if (list.size) params.set("compare", [...list].sort().join(","));
  else params.delete("compare");
  const others = params.getAll("scenario").filter((value) => !value.startsWith(`${calc}|`));
  params.delete("scenario");
  for (const value of others) params.append("scenario", value);
  for (const s of state.kept) {
    params.append("scenario", `${calc}|${s.name.replace(/\|/g, "/")}|${new URLSearchParams(s.inputs)}`);
  }
  const query = params.toString();
  setUrl(`${location.pathname}${query ? `?${query}` : ""}${location.hash}`, true);
}

// The inputs that differ from the defaults: what a kept scenario records.
export function changedInputs(fields) {
  const out = {};
  for (const input of fields) if (changed(input)) out[input.name] = input.value;
  return out;
}
