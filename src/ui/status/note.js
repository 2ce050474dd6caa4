// The note editor of <ucwa-status> (src/ui/status/note.rs), delegated from the widget root:
// cheaper here than through web-sys and Leptos event handlers. Attaching it attaches the status
// menu's behaviour (menu.js) too: one call from Rust for the whole <ucwa-status>.

import { menuAttach } from "./menu.js";

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
