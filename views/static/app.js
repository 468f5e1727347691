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

// Live pages. <div data-live="/path"> listens to /path (Server-Sent Events):
// each "parts" event holds the parts of the page that changed, swapped in by
// id the way htmx swaps out-of-band content (hx-swap-oob):
//   <X id="a" hx-swap-oob="true"> replaces the element with id "a";
//   <template hx-swap-oob="beforeend:#list"> (or "afterbegin:#list") adds its
//   elements at the end (start) of #list; one whose id is on the page
//   already replaces that one instead;
//   <template hx-swap-oob="movetop:#list"> puts its elements first in #list,
//   in order, taking any with the same id from where it was;
//   <X id="a" hx-swap-oob="delete"> takes the element with id "a" away.
// What someone is typing is never replaced: an element holding the focused
// field, or a field changed by hand, is updated around that field, or left
// as it is (with a warning in the console) where its shape changed.
// One stream per tab: the page's own (its first [data-live]), or, on a signed-in
// page without one (<body data-notices>), /live, which brings only the unread
// count and the notices every stream carries.
const liveRegion = document.querySelector("[data-live]");
const liveUrl = liveRegion?.dataset.live ??
  (document.body.dataset.notices !== undefined ? "/live" : null);
if (liveUrl) {
  const source = new EventSource(liveUrl);
  source.addEventListener("parts", (event) => {
    swapParts(event.data);
    tickCountdowns();
  });
  source.addEventListener("unread", (event) => showUnread(Number(event.data)));
  source.addEventListener("notice", (event) => showNotice(JSON.parse(event.data)));
  globalThis.addEventListener("pagehide", () => source.close());
}

// The tab title starts with the count of unread conversations: "(3) Inbox · Kabar".
const baseTitle = document.title;
function showUnread(count) {
  const shown = count >= 100 ? "99+" : String(count);
  document.title = count > 0 ? `(${shown}) ${baseTitle}` : baseTitle;
}

// A notice (new conversation, one given to me, a mention): a short sound, a
// desktop notification when allowed, and a note in the corner of the page
// with a link — all of it text.
function showNotice(notice) {
  beep();
  if ("Notification" in globalThis && Notification.permission === "granted") {
    const shown = new Notification(notice.title, { body: notice.body, tag: notice.href });
    shown.addEventListener("click", () => {
      globalThis.focus();
      location.href = notice.href;
    });
  }
  const box = document.getElementById("notices");
  if (!box) return;
  const link = document.createElement("a");
  link.href = notice.href;
  link.className = `notice notice-${notice.kind}`;
  const title = document.createElement("strong");
  title.textContent = notice.title;
  const body = document.createElement("span");
  body.textContent = notice.body;
  link.append(title, body);
  box.prepend(link);
  setTimeout(() => link.remove(), 15_000);
  while (box.children.length > 3) box.lastElementChild.remove();
}

let audio;
function beep() {
  try {
    audio ??= new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    // No sound where the browser allows none yet (no click on the page so far).
  }
}

// The "turn on desktop notifications" button shows while the browser has not been asked.
for (const button of document.querySelectorAll("[data-enable-notifications]")) {
  if ("Notification" in globalThis && Notification.permission === "default") button.hidden = false;
  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    button.hidden = true;
  });
}

function swapParts(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  for (const part of [...template.content.children]) {
    const swap = part.getAttribute("hx-swap-oob") ?? "";
    part.removeAttribute("hx-swap-oob");
    const colon = swap.indexOf(":");
    const style = colon < 0 ? swap : swap.slice(0, colon);
    if (style === "true" || style === "outerHTML") {
      const target = part.id ? document.getElementById(part.id) : null;
      // A message about what this part showed ("Sending has started.") is stale once it changes;
      // a part with a data-state changes when that does.
      const changed = target &&
        ("state" in target.dataset
          ? target.dataset.state !== part.dataset.state
          : !target.isEqualNode(part));
      if (changed) {
        for (const flash of document.querySelectorAll(".flash[data-until-change]")) {
          if (flash.dataset.untilChange === part.id) flash.remove();
        }
      }
      if (target) replaceAroundInput(target, part);
      else console.warn(`live part #${part.id} is not on the page`);
    } else if (style === "beforeend" || style === "afterbegin") {
      const into = document.querySelector(swap.slice(colon + 1));
      if (into) insertParts(into, style, part instanceof HTMLTemplateElement ? part.content : part);
      else console.warn(`live parts go into ${swap.slice(colon + 1)}, which is not on the page`);
    } else if (style === "movetop") {
      // Rows that go first, in order (a list's newest): one already on the page moves there.
      const into = document.querySelector(swap.slice(colon + 1));
      const rows = [...(part instanceof HTMLTemplateElement ? part.content : part).children];
      if (!into) {
        console.warn(`live rows go into ${swap.slice(colon + 1)}, which is not on the page`);
      } else {
        for (const row of rows) if (row.id) document.getElementById(row.id)?.remove();
        into.prepend(...rows);
        for (const row of rows) globalThis.htmx?.process(row);
      }
    } else if (style === "delete") {
      document.getElementById(part.id)?.remove();
    } else {
      console.warn(`live part with an unknown swap "${swap}"`, part);
    }
  }
}

function insertParts(into, style, parts) {
  // A list scrolled to its end stays at its end as messages are added.
  const atEnd = into.scrollHeight - into.scrollTop - into.clientHeight < 4;
  const added = [];
  for (const part of [...parts.children]) {
    const there = part.id ? document.getElementById(part.id) : null;
    if (there) replaceAroundInput(there, part);
    else added.push(part);
  }
  if (style === "beforeend") into.append(...added);
  else into.prepend(...added);
  for (const part of added) globalThis.htmx?.process(part);
  if (style === "beforeend" && atEnd) into.scrollTop = into.scrollHeight;
}

// Replaces `target` with `part`; where `target` holds a field someone is
// typing in, only what is around that field, child by child.
function replaceAroundInput(target, part) {
  if (target.isEqualNode(part)) return; // the same: keep the element (and its focus)
  const field = fieldInUse(target);
  if (!field) {
    target.replaceWith(part);
    globalThis.htmx?.process(part);
    return;
  }
  if (field === target) return;
  if (
    target.tagName !== part.tagName || target.childNodes.length !== part.childNodes.length
  ) {
    console.warn("live part left as it is: it holds a field in use", target, field);
    return;
  }
  for (const name of target.getAttributeNames()) {
    if (!part.hasAttribute(name)) target.removeAttribute(name);
  }
  for (const { name, value } of part.attributes) target.setAttribute(name, value);
  const pairs = [...target.childNodes].map((node, i) => [node, part.childNodes[i]]);
  for (const [old, next] of pairs) {
    if (old instanceof Element && next instanceof Element) {
      replaceAroundInput(old, next);
    } else if (old instanceof Element && fieldInUse(old)) {
      console.warn("live part left as it is: it holds a field in use", old);
    } else {
      old.replaceWith(next);
    }
  }
}

// The field in `el` (or `el` itself) that has focus or was changed by hand.
function fieldInUse(el) {
  const focused = document.activeElement;
  if (focused && el.contains(focused) && isField(focused)) return focused;
  const fields = [...el.querySelectorAll("input, textarea, select")];
  if (isField(el)) fields.push(el);
  return fields.filter(isField).find(changedByHand) ?? null;
}

function isField(el) {
  if (el instanceof HTMLInputElement) {
    return !["button", "submit", "reset", "hidden", "image"].includes(el.type);
  }
  return el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement ||
    (el instanceof HTMLElement && el.isContentEditable);
}

function changedByHand(field) {
  if (field instanceof HTMLSelectElement) {
    const options = [...field.options];
    if (field.multiple || options.some((o) => o.defaultSelected)) {
      return options.some((o) => o.selected !== o.defaultSelected);
    }
    return field.selectedIndex > 0;
  }
  if (field.type === "checkbox" || field.type === "radio") {
    return field.checked !== field.defaultChecked;
  }
  return "defaultValue" in field && field.value !== field.defaultValue;
}

// <span data-countdown-to="ms since epoch"> shows the time left as m:ss.
function tickCountdowns() {
  for (const el of document.querySelectorAll("[data-countdown-to]")) {
    const left = Math.max(0, Math.round((Number(el.dataset.countdownTo) - Date.now()) / 1000));
    // At zero, what happens now (data-done), until the page is told the next time.
    el.textContent = left === 0 && el.dataset.done
      ? el.dataset.done
      : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
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

// In a reply form, Ctrl+Enter (⌘+Enter on a Mac) sends.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (
    event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
    target instanceof HTMLTextAreaElement && target.form?.classList.contains("reply-form")
  ) {
    event.preventDefault();
    target.form.requestSubmit();
  }
});

// Quick replies: in a reply box, "/" at the start of a line opens the list
// (#quick-reply-list), filtered by what follows as it is typed; Enter or a
// click puts the reply (its variables already filled) in place of "/word",
// to edit before sending. Arrow keys move, Escape closes.
const quickList = document.getElementById("quick-reply-list");
const quickBox = quickList?.closest("form")?.querySelector("textarea");
let quickActive = -1;
function quickQuery() {
  if (!quickBox) return null;
  const before = quickBox.value.slice(0, quickBox.selectionStart);
  const match = /(^|\n)\/([^\s/]*)$/.exec(before);
  return match
    ? { word: match[2].toLowerCase(), start: before.length - match[2].length - 1 }
    : null;
}
function quickShown() {
  return [...(quickList?.children ?? [])].filter((li) => !li.hidden);
}
function quickMark(index) {
  const shown = quickShown();
  quickActive = shown.length ? (index + shown.length) % shown.length : -1;
  shown.forEach((li, i) => li.setAttribute("aria-selected", String(i === quickActive)));
}
function quickUpdate() {
  const query = quickQuery();
  if (!quickList || !query) {
    if (quickList) quickList.hidden = true;
    return;
  }
  for (const li of quickList.children) {
    const words = `${li.dataset.shortcut} ${li.dataset.name}`.toLowerCase();
    li.hidden = query.word !== "" && !words.includes(query.word);
  }
  quickList.hidden = quickShown().length === 0;
  quickMark(0);
}
function quickPick(li) {
  const query = quickQuery();
  if (!quickBox || !query) return;
  const after = quickBox.value.slice(quickBox.selectionStart);
  quickBox.value = quickBox.value.slice(0, query.start) + li.dataset.text + after;
  const caret = query.start + li.dataset.text.length;
  quickBox.setSelectionRange(caret, caret);
  quickList.hidden = true;
  quickBox.focus();
  // A variable left to fill ({{tanggal}}) is selected, ready to type over.
  const gap = /\{\{[^}]*\}\}/.exec(quickBox.value.slice(query.start, caret));
  if (gap) {
    quickBox.setSelectionRange(query.start + gap.index, query.start + gap.index + gap[0].length);
  }
}
if (quickList && quickBox) {
  quickBox.addEventListener("input", quickUpdate);
  quickBox.addEventListener("keydown", (event) => {
    if (quickList.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      quickMark(quickActive + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      const li = quickShown()[quickActive];
      if (li) {
        event.preventDefault();
        event.stopImmediatePropagation();
        quickPick(li);
      }
    } else if (event.key === "Escape") {
      quickList.hidden = true;
    }
  });
  quickList.addEventListener("mousedown", (event) => {
    const li = event.target instanceof Element ? event.target.closest("li") : null;
    if (li) {
      event.preventDefault();
      quickPick(li);
    }
  });
  quickBox.addEventListener("blur", () => setTimeout(() => (quickList.hidden = true), 150));
}

// A file larger than the form allows (<input type=file data-max-bytes>) is
// refused before it is uploaded, with the reason beside the field.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  for (const input of form.querySelectorAll("input[type=file][data-max-bytes]")) {
    const file = input.files?.[0];
    const error = document.getElementById(`${input.id}-size-error`);
    error?.remove();
    if (file && file.size > Number(input.dataset.maxBytes)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      const note = document.createElement("span");
      note.id = `${input.id}-size-error`;
      note.className = "error";
      note.setAttribute("role", "alert");
      note.textContent = input.dataset.tooLarge ?? "";
      input.setAttribute("aria-invalid", "true");
      input.after(note);
      input.focus();
    }
  }
});

// An open thread (<div data-presence="conversation id">) tells the others it
// is open every 10 s and that its person is typing (at most every 3 s), so a
// colleague sees "Rina replying…"; closing the page says it is gone.
const presence = document.querySelector("[data-presence]");
if (presence) {
  const url = `/inbox/${presence.dataset.presence}/presence`;
  const token = document.querySelector("input[name=_csrf]")?.value ?? "";
  const tell = (fields) => {
    const body = new FormData();
    body.set("_csrf", token);
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    return body;
  };
  const say = (fields) => fetch(url, { method: "POST", body: tell(fields) }).catch(() => {});
  let lastTyped = 0;
  say({ typing: "0" });
  setInterval(() => say({ typing: Date.now() - lastTyped < 5000 ? "1" : "0" }), 10_000);
  document.querySelector(".reply-form textarea")?.addEventListener("input", () => {
    const now = Date.now();
    if (now - lastTyped > 3000) say({ typing: "1" });
    lastTyped = now;
  });
  globalThis.addEventListener("pagehide", () => {
    navigator.sendBeacon(url, tell({ typing: "0", left: "1" }));
  });
}

// Switching language reloads the page: a form marked <form data-keep-typed> gets
// back what was typed in it (never passwords), for this page only, once.
const keepKey = `kabar-typed:${location.pathname}`;
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.querySelector("[name=language]")) return;
  const kept = {};
  for (
    const typed of document.querySelectorAll(
      "form[data-keep-typed] input, form[data-keep-typed] select",
    )
  ) {
    if (typed.name && !["password", "hidden", "submit"].includes(typed.type)) {
      kept[typed.name] = typed.value;
    }
  }
  try {
    if (Object.keys(kept).length) sessionStorage.setItem(keepKey, JSON.stringify(kept));
  } catch {
    // No storage (a private window): the language still changes.
  }
});
try {
  const kept = JSON.parse(sessionStorage.getItem(keepKey) ?? "null");
  sessionStorage.removeItem(keepKey);
  for (const [name, value] of Object.entries(kept ?? {})) {
    const field = document.querySelector(`form[data-keep-typed] [name="${CSS.escape(name)}"]`);
    if (field && !field.value && typeof value === "string") field.value = value;
  }
} catch {
  // Nothing kept, or storage refused.
}

// A conversation opens at its newest message, as on a phone.
for (const list of document.querySelectorAll(".bubbles, .thread-messages")) {
  list.scrollTop = list.scrollHeight;
}

// A form sent back with a mistake opens at its first wrong field, wherever it
// is on the page (on a phone, often below the fold).
const firstWrong = document.querySelector('form [aria-invalid="true"]');
const wrongField = firstWrong instanceof HTMLFieldSetElement
  ? firstWrong.querySelector("input, select, textarea")
  : firstWrong;
if (wrongField instanceof HTMLElement && !document.querySelector("[autofocus]")) {
  wrongField.focus();
}
