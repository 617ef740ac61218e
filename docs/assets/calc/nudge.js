// Numbers you can move where they stand: an input quoted in the prose
// ([role=spinbutton][data-nudge], rendered at build time) steps with the arrow keys, or
// follows a sideways drag, and sets its calculator's field as typing would.
import { controllerOf } from "./controller.js";
import { showText } from "./powers.js";

const STEP_PX = 12;  // one step per this many pixels dragged
const bound = new WeakSet();

// The field's own scale (log2 for counts) -> the text a reader would type.
function write(value, style) {
  const round = (x) => Number(x.toPrecision(6));
  if (style === "pow2") return `2^${round(value)}`;
  if (style === "exp10") {
    const e = value * Math.log10(2);
    return Math.abs(e - Math.round(e)) < 1e-9 ? `1e${Math.round(e)}` : `${round(2 ** value)}`;
  }
  return String(round(value));
}

function step(quote, n) {
  const [op, size, style] = quote.dataset.nudge.split(" ");
  const [calc, name] = quote.dataset.quote.split(".");
  const controller = controllerOf(calc);
  const field = controller && controller.fields.find((input) => input.name === name);
  if (!field) return;
  let value = Number(quote.dataset.value);
  if (!Number.isFinite(value)) return;
  value = op === "mul" ? value * Number(size) ** n : value + Number(size) * n;
  if (quote.dataset.min !== undefined) value = Math.max(value, Number(quote.dataset.min));
  if (quote.dataset.max !== undefined) value = Math.min(value, Number(quote.dataset.max));
  if (op === "mul" && value <= 0) return;
  const text = write(value, style);
  quote.dataset.value = String(value);
  showText(quote, text);
  quote.setAttribute("aria-valuenow", String(value));
  quote.setAttribute("aria-valuetext", text);
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

function commit(quote) {
  const [calc, name] = quote.dataset.quote.split(".");
  const controller = controllerOf(calc);
  const field = controller && controller.fields.find((input) => input.name === name);
  if (field) field.dispatchEvent(new Event("change", { bubbles: true }));
}

export function mountNudges() {
  for (const quote of document.querySelectorAll("[role=spinbutton][data-nudge]")) {
    if (bound.has(quote) || !controllerOf(quote.dataset.quote.split(".")[0])) continue;
    bound.add(quote);
    quote.tabIndex = 0;
    quote.classList.add("calc-nudge--live");
    quote.addEventListener("keydown", (event) => {
      const keys = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 };
      if (!Object.hasOwn(keys, event.key)) return;
      event.preventDefault();
      step(quote, keys[event.key]);
    });
    quote.addEventListener("keyup", (event) => {
      if (event.key.startsWith("Arrow") || event.key.startsWith("Page")) commit(quote);
    });
    let start = null;
    quote.addEventListener("pointerdown", (event) => {
      start = { x: event.clientX, steps: 0 };
      quote.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    quote.addEventListener("pointermove", (event) => {
      if (!start) return;
      const steps = Math.trunc((event.clientX - start.x) / STEP_PX);
      if (steps !== start.steps) {
        step(quote, steps - start.steps);
        start.steps = steps;
      }
    });
    const end = () => {
      if (start && start.steps) commit(quote);
      start = null;
    };
    quote.addEventListener("pointerup", end);
    quote.addEventListener("pointercancel", end);
  }
}
