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
