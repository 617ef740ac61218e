// The "Your reading" page ([data-reading-root], docs/reading.md): refills the parts the build
// prerendered at the essay's values with the reader's own, computed in the worker by
// calculators/reading.py (its HTML included: this file only places it). The reading
// comes from a link to this page if it holds one, else from what this tab (or, where
// the reader agreed, this device) kept (reading-store.js).
import { describe } from "./protocol.js";
import { clear, keep, keeping, load } from "./reading-store.js";
import { runtime } from "./runtime.js";

const bound = new WeakSet();

function whenReady() {
  runtime.start();
  if (runtime.state === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const off = runtime.on("state", () => {
      if (runtime.state === "ready") { off(); resolve(); }
      if (runtime.state === "error") { off(); reject(new Error(runtime.progress)); }
    });
  });
}

function fromLink() {
  const params = new URLSearchParams(location.search);
  params.delete("calc-boot");
  return [...params.keys()].length ? { link: `?${params}` } : null;
}

async function fill(root, request) {
  const status = root.querySelector("[data-reading-status]");
  status.textContent = "Computing your reading…";
  try {
    await whenReady();
    const reply = await runtime.reading(request);
    if (!reply.ok) throw new Error(Object.values(reply.errors || {}).join(" "));
    for (const part of reply.calculators) {
      const slot = document.querySelector(`[data-reading-part="${part.id}"]`);
      if (slot) slot.innerHTML = part.html;
    }
    const guesses = document.querySelector('[data-reading-part="guesses"]');
    if (guesses) guesses.innerHTML = reply.predictions_html;
    const changed = Object.values(reply.given).reduce((n, g) => n + Object.keys(g).length, 0);
    const notes = (reply.notices || []).join(" ");
    status.textContent = (changed
      ? `Your reading: ${changed} input${changed === 1 ? "" : "s"} set, the rest at the essay's values.`
      : "Your reading: no inputs set yet, so these are the essay's values; set some on the other pages and come back.")
      + (notes ? ` ${notes}` : "");
    root.dataset.query = reply.query;
    root.dataset.state = "ready";
  } catch (error) {
    status.textContent = `Your numbers could not be computed (${describe(error)}); these are the essay's values.`;
    root.dataset.state = "error";
  }
}

export function mountReading() {
  const root = document.querySelector("[data-reading-root]");
  if (!root || bound.has(root)) return;
  bound.add(root);
  for (const el of root.querySelectorAll("[data-reading-actions]")) el.hidden = false;
  const box = root.querySelector("[data-reading-keep]");
  box.checked = keeping();
  box.addEventListener("change", () => keep(box.checked));
  const linkLine = root.querySelector("[data-reading-link]");
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-reading-action]");
    if (!button) return;
    if (button.dataset.readingAction === "copy") {
      const url = new URL(root.dataset.query || "?", location.href);
      url.hash = "";
      linkLine.hidden = false;
      linkLine.textContent = `Link to your reading: ${url.href}`;
      try {
        await navigator.clipboard.writeText(url.href);
        linkLine.textContent += " (copied)";
      } catch { /* the link stays shown, to copy by hand */ }
    } else if (button.dataset.readingAction === "clear") {
      clear();
      box.checked = false;
      linkLine.hidden = true;
      history.replaceState(history.state, "", location.pathname + location.hash);
      await fill(root, { given: {}, guesses: {} });
    }
  });
  fill(root, fromLink() || load());
}
