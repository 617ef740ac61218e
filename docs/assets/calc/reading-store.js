// The reader's inputs and predictions, kept for the "Your reading" page: in this tab
// (sessionStorage) and, only where the reader ticked the box there, on this device
// (localStorage). This site only; nothing is sent anywhere. Shape:
// {given: {calc: {name: text}}, guesses: {"calc.question": answer}}.
const KEY = "calc-reading";
const KEEP = "calc-reading-keep";

const kept = () => { try { return localStorage.getItem(KEEP) === "1"; } catch { return false; } };

export function load() {
  for (const store of kept() ? [sessionStorage, localStorage] : [sessionStorage]) {
    try {
      const data = JSON.parse(store.getItem(KEY) || "null");
      if (data && typeof data === "object") return { given: data.given || {}, guesses: data.guesses || {} };
    } catch { /* unreadable: start afresh */ }
  }
  return { given: {}, guesses: {} };
}

export function save(data) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(data));
    if (kept()) localStorage.setItem(KEY, JSON.stringify(data));
  } catch { /* storage off or full: the page still works from links */ }
}

// Where the reader agrees: keep (or stop keeping) the reading on this device.
export function keep(on) {
  try {
    if (on) {
      localStorage.setItem(KEEP, "1");
      save(load());
    } else {
      localStorage.removeItem(KEEP);
      localStorage.removeItem(KEY);
    }
  } catch { /* storage off */ }
}

export const keeping = kept;

export function clear() {
  for (const store of [sessionStorage, localStorage]) {
    try {
      store.removeItem(KEY);
      store.removeItem(KEEP);
    } catch { /* storage off */ }
  }
}

// A calculator's inputs as the reader left them (only those that differ from the
// defaults), each time its URL is written.
export function remember(fields) {
  const root = fields.length && fields[0].closest("[data-calculator]");
  if (!root) return;
  const data = load();
  const mine = {};
  for (const input of fields) if (input.value !== input.dataset.default) mine[input.name] = input.value;
  data.given[root.dataset.calculator] = mine;
  save(data);
}

// A prediction, once revealed.
export function rememberGuess(question, guess) {
  if (!question) return;
  const data = load();
  data.guesses[question] = String(guess).slice(0, 200);
  save(data);
}
