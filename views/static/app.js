// Kabar's small page helpers. Loaded with `defer`; no inline scripts (CSP).
"use strict";

// <form data-confirm="..."> asks before submitting (runs before htmx sees the submit).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !globalThis.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// <button data-print> prints the page (recovery codes).
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) globalThis.print();
});

// <select data-autosubmit> submits its form when changed (language switcher).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (
    target instanceof HTMLSelectElement &&
    target.dataset.autosubmit !== undefined
  ) {
    target.form?.requestSubmit();
  }
});

// Menus (<details class="menu|nav-toggle">): opening one closes the others;
// a click outside or Escape closes them.
const menus = () => document.querySelectorAll("details.menu[open], details.nav-toggle[open]");
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!(opened instanceof HTMLDetailsElement) || !opened.open) return;
  for (const other of menus()) if (other !== opened) other.open = false;
}, true);
document.addEventListener("click", (event) => {
  for (const menu of menus()) {
    if (!(event.target instanceof Node) || !menu.contains(event.target)) menu.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") { for (const menu of menus()) menu.open = false; }
});

// <div data-live="/path"> is replaced by the HTML the server streams from
// /path (Server-Sent Events, event "html") whenever what it shows changes.
for (const region of document.querySelectorAll("[data-live]")) {
  const source = new EventSource(region.dataset.live);
  source.addEventListener("html", (event) => {
    region.innerHTML = event.data;
    tickCountdowns();
  });
  globalThis.addEventListener("pagehide", () => source.close());
}

// <span data-countdown-to="ms since epoch"> shows the time left as m:ss.
function tickCountdowns() {
  for (const el of document.querySelectorAll("[data-countdown-to]")) {
    const left = Math.max(0, Math.round((Number(el.dataset.countdownTo) - Date.now()) / 1000));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  }
}
tickCountdowns();
setInterval(tickCountdowns, 1000);

// <button data-copy="field-id"> copies that field's text (a secret shown once).
// The button says data-copied for a moment. Where the page may not use the
// clipboard (plain http:// on the hospital network) the text is selected and
// copied the old way, or left selected with data-copy-failed ("press Ctrl+C").
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
  if (!(button instanceof HTMLButtonElement)) return;
  const field = document.getElementById(button.dataset.copy ?? "");
  if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return;
  let copied = false;
  try {
    await navigator.clipboard.writeText(field.value);
    copied = true;
  } catch {
    field.focus();
    field.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
  }
  const said = (copied ? button.dataset.copied : button.dataset.copyFailed) ?? "";
  const note = document.getElementById(`${field.id}-copied`);
  button.dataset.label ??= button.textContent ?? "";
  button.textContent = copied ? said : button.dataset.label;
  if (note) note.textContent = said;
  clearTimeout(Number(button.dataset.timer));
  button.dataset.timer = String(setTimeout(() => {
    button.textContent = button.dataset.label ?? "";
    if (note && copied) note.textContent = "";
  }, 3000));
});
