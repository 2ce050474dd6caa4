// The widgets' DOM behaviour, delegated from each widget root, in one module: the badges' icons
// (src/ui/badge), the contact cards (src/ui/behaviour.rs, src/ui/contact), the note editor and
// the status menu of <ucwa-status> (src/ui/status). Cheaper here than through web-sys and Leptos
// event handlers. One file, not three: each snippet module is one more request the page makes in parallel as it loads, and
// wasm-bindgen-test-runner's small HTTP server stalls on a fifth parallel connection.

// ---- Badges ----
// A badge's icon (src/ui/badge): an <svg> appended to the badge, hidden from assistive
// technology (the badge's label says it all), its <path> returned for the badge's effect to draw.
export function badgeIcon(badge) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  badge.append(svg);
  return svg.appendChild(document.createElementNS(svg.namespaceURI, "path"));
}

// ---- Contact cards ----
// The contact cards' DOM behaviour, delegated from each widget root (one set of listeners for
// every card in it; src/ui/behaviour.rs): cheaper here than through web-sys and Leptos event
// handlers. Cards (src/ui/contact) are rendered from their contact's data-card; open on hover (after a short delay), on focus of the
// trigger and on Enter/Space; close on Escape (focus back to the trigger), when focus leaves
// trigger and card, and when the pointer leaves both. The open card is placed inside the
// viewport (position: fixed): below the trigger, above it when there is no room below, shifted
// left at the right edge.
const GAP = 6;
const MARGIN = 8;

function partsOf(node) {
  const person = node && node.closest ? node.closest(".ucwa-person") : null;
  if (!person) return null;
  const trigger = person.querySelector(":scope > .ucwa-contact");
  const card = person.querySelector(":scope > .ucwa-card");
  return trigger && card ? { person, trigger, card } : null;
}

function place(trigger, card) {
  const t = trigger.getBoundingClientRect();
  const view = document.documentElement;
  const width = view.clientWidth || window.innerWidth;
  const height = view.clientHeight || window.innerHeight;
  const c = card.getBoundingClientRect();
  let top = t.bottom + GAP;
  if (top + c.height > height - MARGIN && t.top - GAP - c.height >= MARGIN) {
    top = t.top - GAP - c.height;
  }
  const left = Math.max(MARGIN, Math.min(t.left, width - MARGIN - c.width));
  card.style.top = `${Math.round(top)}px`;
  card.style.left = `${Math.round(left)}px`;
}

function show(p, open) {
  clearTimeout(p.person.ucwaTimer);
  if (p.card.hidden === !open) return;
  p.card.hidden = !open;
  p.trigger.setAttribute("aria-expanded", String(open));
  if (open) place(p.trigger, p.card);
}

function later(p, open, ms) {
  clearTimeout(p.person.ucwaTimer);
  p.person.ucwaTimer = setTimeout(() => {
    const focused = p.person.getRootNode().activeElement;
    if (open || !p.person.contains(focused)) show(p, open);
  }, ms);
}

// Renders a card from its `data-card` (src/ui/contact/card.rs has the format) into the card
// (or its `.ucwa-card__body`): text nodes and attributes only, never markup.
function render(card, data) {
  if (card.ucwaData === data) return;
  card.ucwaData = data;
  const body = card.querySelector(":scope > .ucwa-card__body") || card;
  const nodes = [];
  const actions = document.createElement("span");
  actions.className = "ucwa-card__actions";
  for (const record of data.split("\x1e")) {
    const [kind, key, text, extra] = record.split("\x1f");
    if (kind === "f") {
      const el = document.createElement("span");
      el.className = key === "name" ? "ucwa-card__name" : "ucwa-card__field";
      el.dataset.field = key;
      if (key === "name") el.id = card.getAttribute("aria-labelledby");
      if (extra === "oof") el.dataset.outOfOffice = "true";
      el.textContent = text;
      nodes.push(el);
    } else if (kind === "a") {
      const [action, phone] = key.split(":");
      const el = document.createElement("a");
      el.className = "ucwa-card__action";
      el.dataset.action = action;
      if (phone) el.dataset.phone = phone;
      if (extra) el.setAttribute("href", extra);
      el.textContent = text;
      actions.append(el);
    }
  }
  if (actions.firstChild) nodes.push(actions);
  body.replaceChildren(...nodes);
}

function renderFrom(el) {
  const data = el.getAttribute("data-card");
  if (data === null) return;
  const card = el.classList.contains("ucwa-card") ? el : el.parentElement.querySelector(":scope > .ucwa-card");
  if (card) render(card, data);
}

export function attach(root, openDelayMs, closeDelayMs) {
  // Cards follow their contact's data-card, from the first render on (live while open).
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") renderFrom(r.target);
      else for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute("data-card")) renderFrom(n);
        for (const el of n.querySelectorAll("[data-card]")) renderFrom(el);
      }
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-card"] });
  // The trigger Escape gave focus back to: that focus must not open the card again.
  let returning = null;
  root.addEventListener("focusin", (e) => {
    const p = partsOf(e.target);
    if (!p || e.target !== p.trigger) return;
    if (returning === p.trigger) returning = null;
    else show(p, true);
  });
  root.addEventListener("focusout", (e) => {
    const p = partsOf(e.target);
    if (p && !p.person.contains(e.relatedTarget)) show(p, false);
  });
  root.addEventListener("keydown", (e) => {
    const p = partsOf(e.target);
    if (!p) return;
    if (e.key === "Escape" && !p.card.hidden) {
      show(p, false);
      if (p.person.getRootNode().activeElement !== p.trigger) {
        returning = p.trigger;
        p.trigger.focus();
      }
      e.preventDefault();
      e.stopPropagation();
    } else if ((e.key === "Enter" || e.key === " ") && e.target === p.trigger) {
      show(p, true);
      e.preventDefault();
    }
  });
  root.addEventListener("pointerover", (e) => {
    const p = partsOf(e.target);
    if (p && e.pointerType !== "touch" && !p.person.contains(e.relatedTarget)) later(p, true, openDelayMs);
  });
  root.addEventListener("pointerout", (e) => {
    const p = partsOf(e.target);
    if (p && !p.person.contains(e.relatedTarget)) later(p, false, closeDelayMs);
  });
  // A fixed card would stay put while the page scrolls under it: follow the trigger.
  window.addEventListener("scroll", () => {
    for (const card of root.querySelectorAll(".ucwa-person > .ucwa-card:not([hidden])")) {
      const p = partsOf(card);
      if (p) place(p.trigger, p.card);
    }
  }, { capture: true, passive: true });
}

// ---- The note editor of <ucwa-status> ----
// The note editor of <ucwa-status> (src/ui/status/note.rs), delegated from the widget root:
// cheaper here than through web-sys and Leptos event handlers. Attaching it attaches the status
// menu's behaviour (menu.js) too: one call from Rust for the whole <ucwa-status>.


// The note area's texts from its data-note (src/ui/status/note.rs has the format).
function renderNote(area) {
  const [kind, note, place, saving, error] = area.getAttribute("data-note").split("\x1f");
  const set = (selector, text) => {
    const el = area.querySelector(selector);
    if (el.textContent !== text) el.textContent = text;
    if (!el.matches(".ucwa-note__saving")) el.hidden = !text;
  };
  area.dataset.kind = kind;
  set(".ucwa-note__text", note);
  set(".ucwa-note__place", place);
  set(".ucwa-note__saving", saving);
  set(".ucwa-error", error);
}

// "Set a note…" opens and closes the form (filled with the current personal note and location,
// focus in the note); Escape closes it, focus back to the button; Ctrl+Enter in the note and
// Enter in the location submit; "Clear note" submits a blank note; a submitted form closes (the
// Rust submit handler, on the form, has run before this one, on the root).

// The longest note and location (UCWA.md), from noteAttach.
let maxNote = 500;
let maxLocation = 60;

// The form's fields, made on first use.
function noteFields(form) {
  const id = form.id;
  const el = (tag, props, text) => {
    const e = Object.assign(document.createElement(tag), props);
    if (text) e.textContent = text;
    return e;
  };
  const buttons = el("span", { className: "ucwa-note__buttons" });
  buttons.append(
    el("button", { className: "ucwa-button ucwa-note__save", type: "submit" }, "Save"),
    el("button", { className: "ucwa-button ucwa-note__clear", type: "button" }, "Clear note"),
  );
  form.append(
    el("label", { className: "ucwa-note__label", htmlFor: `${id}-note` }, "Note"),
    el("textarea", { className: "ucwa-note__input", id: `${id}-note`, rows: 2, maxLength: maxNote }),
    el("span", { className: "ucwa-note__hint", id: `${id}-hint` }, "Ctrl+Enter saves. Out-of-office notes are set in Outlook."),
    el("label", { className: "ucwa-note__label", htmlFor: `${id}-location` }, "Location"),
    el("input", { className: "ucwa-note__location", id: `${id}-location`, type: "text", maxLength: maxLocation, autocomplete: "off" }),
    buttons,
  );
  form.querySelector("textarea").setAttribute("aria-describedby", `${id}-hint`);
}

function noteParts(node) {
  const area = node && node.closest ? node.closest(".ucwa-note-area") : null;
  if (!area) return null;
  const form = area.querySelector("form.ucwa-note");
  if (!form.querySelector(".ucwa-note__input")) noteFields(form);
  const q = (s) => area.querySelector(s);
  return { area, opener: q(".ucwa-note__open"), form: q("form.ucwa-note"), note: q(".ucwa-note__input"),
    place: q(".ucwa-note__location"), text: q(".ucwa-note__text"), placeText: q(".ucwa-note__place") };
}

function showNote(p, open) {
  p.form.hidden = !open;
  p.opener.setAttribute("aria-expanded", String(open));
  if (open) {
    p.note.value = p.area.dataset.kind === "personal" ? p.text.textContent : "";
    p.place.value = p.placeText.textContent;
    p.note.focus();
  } else {
    p.opener.focus();
  }
}

export function noteAttach(root, maxNoteChars, maxLocationChars) {
  maxNote = maxNoteChars;
  maxLocation = maxLocationChars;
  menuAttach(root);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") renderNote(r.target);
      else for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute("data-note")) renderNote(n);
        for (const el of n.querySelectorAll("[data-note]")) renderNote(el);
      }
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-note"] });
  root.addEventListener("click", (e) => {
    const p = noteParts(e.target);
    if (!p) return;
    if (e.target.closest(".ucwa-note__open")) showNote(p, p.form.hidden);
    else if (e.target.closest(".ucwa-note__clear")) {
      p.note.value = "";
      p.form.requestSubmit();
    }
  });
  root.addEventListener("keydown", (e) => {
    const p = noteParts(e.target);
    if (!p || !p.form.contains(e.target)) return;
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      showNote(p, false);
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target === p.note) {
      e.preventDefault();
      p.form.requestSubmit();
    }
  });
  root.addEventListener("submit", (e) => {
    const p = noteParts(e.target);
    if (!p) return;
    e.preventDefault();
    showNote(p, false);
  });
}

// The submitted note form's note and location, separated by U+001F.
export function noteValues(ev) {
  const p = noteParts(ev.currentTarget);
  return `${p.note.value}\x1f${p.place.value}`;
}

// ---- The status menu of <ucwa-status> ----
// The status menu of <ucwa-status> (src/ui/status/mod.rs), delegated from the widget root
// (attached by note.js's noteAttach): cheaper here than through web-sys and Leptos event
// handlers. Rust renders the options and their aria-selected and handles a click on an option
// (the pick); this opens and closes the menu (hidden, aria-expanded), moves the active option
// (ucwa-option--active, aria-activedescendant) and focus. Enter or Space on an option clicks it.

function menuParts(node) {
  const picker = node && node.closest ? node.closest(".ucwa-picker") : null;
  if (!picker) return null;
  const list = picker.querySelector("[role=listbox]");
  return { picker, list, button: picker.querySelector(".ucwa-picker__button"),
    options: [...list.querySelectorAll("[role=option]")] };
}

function activeIndex(p) {
  return Math.max(0, p.options.findIndex((o) => o.classList.contains("ucwa-option--active")));
}

function setActive(p, i) {
  p.options.forEach((o, k) => o.classList.toggle("ucwa-option--active", k === i));
  p.list.setAttribute("aria-activedescendant", p.options[i].id);
}

// Opens on the current availability (the first option when it is not in the menu).
function openMenu(p) {
  setActive(p, Math.max(0, p.options.findIndex((o) => o.getAttribute("aria-selected") === "true")));
  p.list.hidden = false;
  p.button.setAttribute("aria-expanded", "true");
  p.list.focus();
}

function closeMenu(p, refocus) {
  p.list.hidden = true;
  p.button.setAttribute("aria-expanded", "false");
  if (refocus) p.button.focus();
}

export function menuAttach(root) {
  root.addEventListener("click", (e) => {
    const p = menuParts(e.target);
    if (!p) return;
    if (p.button.contains(e.target)) {
      if (p.list.hidden) openMenu(p);
      else closeMenu(p, false);
    } else if (e.target.closest("[role=option]")) closeMenu(p, true);
  });
  root.addEventListener("keydown", (e) => {
    const p = menuParts(e.target);
    if (!p) return;
    const n = p.options.length;
    const i = activeIndex(p);
    if (e.target === p.button) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      openMenu(p);
    } else if (e.target !== p.list) return;
    else if (e.key === "ArrowDown") setActive(p, (i + 1) % n);
    else if (e.key === "ArrowUp") setActive(p, (i + n - 1) % n);
    else if (e.key === "Home") setActive(p, 0);
    else if (e.key === "End") setActive(p, n - 1);
    else if (e.key === "Enter" || e.key === " ") p.options[i].click();
    else if (e.key === "Escape") closeMenu(p, true);
    else {
      if (e.key === "Tab") closeMenu(p, false);
      return;
    }
    e.preventDefault();
  });
  // Focus leaving the picker (a click elsewhere, Tab) closes the menu. Focus moving to the
  // button is left to the button's own click, which toggles.
  root.addEventListener("focusout", (e) => {
    const p = menuParts(e.target);
    if (p && !p.picker.contains(e.relatedTarget)) closeMenu(p, false);
  });
  root.addEventListener("mousemove", (e) => {
    const option = e.target.closest && e.target.closest("[role=option]");
    const p = option && menuParts(option);
    if (p) setActive(p, p.options.indexOf(option));
  });
}

// The index of the option a click on the menu is about, if it is about one.
export function menuChoice(ev) {
  const option = ev.target.closest("[role=option]");
  return option ? menuParts(option).options.indexOf(option) : undefined;
}
