// Predict, then reveal: questions a page asks before its calculator answers
// ([data-question], rendered at build time with the calculator's answer). The reader's
// guess is sent nowhere; once revealed it is kept in this tab's sessionStorage for
// "Your reading" (reading-store.js), and on the device only where the reader asks.
import { controllerOf } from "./controller.js";
import { powersHtml } from "./powers.js";
import { rememberGuess } from "./reading-store.js";

const bound = new WeakSet();

function guessOf(form) {
  const checked = form.querySelector('input[name="guess"]:checked');
  if (checked) return checked.value;
  const typed = form.querySelector('input[name="guess"][type="text"]');
  return typed ? typed.value.trim() : "";
}

// "You said …; the calculator says …", with how far apart a number guess is.
function verdict(form, guess) {
  const answer = form.dataset.answer;
  const right = form.dataset.right;
  if (right) {
    return guess === right
      ? `You said “${guess}”, and so does the calculator: ${answer}.`
      : `You said “${guess}”; the calculator says ${answer}, that is, “${right}”.`;
  }
  const mine = Number(guess.replace(/,/g, ""));
  const theirs = Number(form.dataset.answerValue);
  if (!guess || !Number.isFinite(mine)) return `The calculator says ${answer}.`;
  if (mine === theirs) return `You said ${guess}, exactly what the calculator says.`;
  const ratio = mine > 0 && theirs > 0 ? Math.max(mine / theirs, theirs / mine) : Infinity;
  const apart = Number.isFinite(ratio) && ratio < 1e6
    ? ` (a factor of ${Number(ratio.toPrecision(2)).toLocaleString("en")} ${mine > theirs ? "higher" : "lower"})`
    : "";
  return `You said ${guess}; the calculator says ${answer}${apart}.`;
}

export function mountQuestions() {
  for (const form of document.querySelectorAll("[data-question]")) {
    if (bound.has(form)) continue;
    bound.add(form);
    const reveal = form.querySelector("[data-reveal]");
    form.querySelector("[data-question-actions]").hidden = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      form.querySelector('[data-action="reveal"]').click();
    });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (!button) return;
      if (button.dataset.action === "reveal") {
        const guess = guessOf(form);
        if (!guess) {
          reveal.hidden = false;
          reveal.textContent = "Give your answer first, then reveal.";
          return;
        }
        reveal.innerHTML = powersHtml(verdict(form, guess));
        rememberGuess(form.dataset.question, guess);
        reveal.hidden = false;
        const tryCase = form.querySelector('[data-action="try-case"]');
        if (tryCase) tryCase.hidden = false;
      } else if (button.dataset.action === "try-case") {
        const controller = controllerOf(button.dataset.calc);
        const preset = controller && controller.root.querySelector(`[data-preset="${button.dataset.case}"]`);
        if (preset) {
          preset.click();
          preset.focus();
          preset.scrollIntoView({ block: "center" });
        }
      }
    });
  }
}
