// The cross-engine smoke suite in Firefox (puppeteer-core over WebDriver BiDi): every
// calculator page reaches ready, says how Python booted, answers one edit per
// calculator as CPython does, logs no console error, and was served with its numbers.
//
// usage: node tests/engines/firefox.mjs CASES.json SITE_URL FIREFOX RESULTS_DIR
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [casesPath, site, executablePath, results] = process.argv.slice(2);
const { pages, probe } = JSON.parse(readFileSync(casesPath, "utf8"));
const BOOT_MS = 90_000;  // a cold Pyodide boot on a loaded 2-core machine: a ceiling
const SETTLE_MS = 30_000;

const call = (page, op, arg) => page.evaluate(`${probe}(${JSON.stringify(op)}, ${JSON.stringify(arg)})`);

// Poll until check() returns a truthy result; past the time, fail naming what was awaited
// and the last thing seen.
async function until(what, ms, check) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    const [done, seen] = await check();
    if (done) return seen;
    last = seen;
    if (Date.now() > end) throw new Error(`waited ${ms / 1000} s for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function smoke(page, { url, defaults, edits }) {
  const calcs = Object.keys(defaults);
  const started = Date.now();
  await page.goto(site + url);
  const { stats } = await until(`data-state="ready" on ${calcs}`, BOOT_MS, async () => {
    const seen = await call(page, "states", calcs);
    const states = Object.values(seen.states);
    if (states.includes("error")) throw new Error(`data-state="error": ${JSON.stringify(seen)}`);
    if (seen.controlled) throw new Error("served by the service worker: not a first visit");
    return [states.every((s) => s === "ready"), seen];
  });
  const ready = (Date.now() - started) / 1000;
  console.log(`firefox /${url}: ready in ${ready.toFixed(1)} s, boot ${stats.boot}` +
    (stats.bootReason ? ` (${stats.bootReason})` : ""));
  if (!["snapshot", "plain"].includes(stats.boot)) throw new Error(`boot path ${stats.boot}`);
  for (const [calc, want] of Object.entries(defaults)) {
    await until(`${calc}'s default outputs to equal CPython's`, SETTLE_MS, async () => {
      const problems = await call(page, "outputs", { calc, want });
      return [problems.length === 0, problems];
    });
  }
  for (const { calc, name, text, want } of edits) {
    // As a reader would: click into the field, select what is there, type over it.
    const field = await page.$(`[data-calculator="${calc}"] [name="${name}"]`);
    await field.click({ count: 3 });
    await field.type(text);
    await until(`${calc} with ${name}=${text} to equal CPython's outputs`, SETTLE_MS, async () => {
      const problems = await call(page, "outputs", { calc, want });
      return [problems.length === 0, problems];
    });
  }
  const served = await call(page, "prerendered", defaults);
  if (served.length) throw new Error(`served HTML: ${served.join("; ")}`);
}

const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true });
let failed = 0;
// Each page a first visit, in a context of its own: once the site's service worker
// controls a page it serves it alike in every engine (e2e/ covers it in Chromium).
for (const cases of pages) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const log = [];
  page.on("console", (msg) => log.push(`${msg.type()}: ${msg.text()}`));
  page.on("pageerror", (error) => log.push(`error: pageerror: ${error.message}`));
  try {
    await smoke(page, cases);
    const errors = log.filter((line) => line.startsWith("error:"));
    if (errors.length) throw new Error(`console errors: ${errors.join(" | ")}`);
  } catch (error) {
    failed += 1;
    const name = `firefox-${cases.url.replace(/\W+/g, " ").trim().replace(/ /g, "-") || "home"}`;
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: `${results}/${name}.png`, fullPage: false }).catch(() => {});
    writeFileSync(`${results}/${name}.log`, `${error.stack}\n\n${log.join("\n")}\n`);
    console.log(`FAIL firefox /${cases.url}: ${error.message}\n  (screenshot and console log: ${results}/${name}.*)`);
  }
  await context.close();
}
await browser.close();
console.log(`firefox: ${pages.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
