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
