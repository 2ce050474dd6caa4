// The parts of the wasm binary format that the release build's passes read and write:
// sections, LEB128 numbers, names, imports and exports (https://webassembly.github.io/spec/core/binary/).

/// Reads values one after another from `buf`.
export class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }

  byte() {
    return this.buf[this.pos++];
  }

  /// An unsigned LEB128 number.
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.buf[this.pos++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }

  /// A length-prefixed UTF-8 name.
  name() {
    const len = this.u32();
    const s = new TextDecoder().decode(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  /// The bytes from `start` to here.
  since(start) {
    return this.buf.subarray(start, this.pos);
  }
}

/// `n` as unsigned LEB128.
export function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/// A name as the binary format writes it: its length, then its UTF-8 bytes.
export function encodeName(s) {
  const bytes = new TextEncoder().encode(s);
  return [...leb(bytes.length), ...bytes];
}

/// The module's sections in order: `{ id, body }` (a custom section's body starts with its name).
export function readSections(wasm) {
  const r = new Reader(wasm);
  r.pos = 8; // magic and version
  const sections = [];
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, body: wasm.subarray(r.pos, r.pos + size) });
    r.pos += size;
  }
  return sections;
}

/// A module from the header of `wasm` and `sections`.
export function writeModule(wasm, sections) {
  const parts = [wasm.subarray(0, 8)];
  for (const s of sections) parts.push(Uint8Array.from([s.id, ...leb(s.body.length)]), s.body);
  return Buffer.concat(parts);
}

/// The import section's entries: `{ module, field, kind, desc }`, `desc` the bytes after the kind.
export function readImports(body) {
  const r = new Reader(body);
  const entries = [];
  for (let i = 0, n = r.u32(); i < n; i++) {
    const module = r.name();
    const field = r.name();
    const kind = r.byte();
    const start = r.pos;
    if (kind === 0) r.u32(); // function: its type
    else if (kind === 1) { r.byte(); limits(r); } // table: element type, limits
    else if (kind === 2) limits(r); // memory
    else if (kind === 3) r.pos += 2; // global: value type, mutability
    else throw new Error(`import ${module}.${field}: unknown kind ${kind}`);
    entries.push({ module, field, kind, desc: r.since(start) });
  }
  return entries;
}

/// The export section's entries: `{ field, kind, index }`.
export function readExports(body) {
  const r = new Reader(body);
  const entries = [];
  for (let i = 0, n = r.u32(); i < n; i++) entries.push({ field: r.name(), kind: r.byte(), index: r.u32() });
  return entries;
}

export function writeImports(entries) {
  const out = [...leb(entries.length)];
  for (const e of entries) out.push(...encodeName(e.module), ...encodeName(e.field), e.kind, ...e.desc);
  return Uint8Array.from(out);
}

export function writeExports(entries) {
  const out = [...leb(entries.length)];
  for (const e of entries) out.push(...encodeName(e.field), e.kind, ...leb(e.index));
  return Uint8Array.from(out);
}

function limits(r) {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}

/// The number of imported functions: they come first in the function index space.
export function importedFunctionCount(sections) {
  const imports = sections.find((s) => s.id === 2);
  return imports ? readImports(imports.body).filter((i) => i.kind === 0).length : 0;
}

/// The bodies of the defined functions, in index order (each a view into the code section).
export function functionBodies(sections) {
  const code = sections.find((s) => s.id === 10);
  if (!code) throw new Error("no code section");
  const r = new Reader(code.body);
  const bodies = [];
  for (let i = 0, n = r.u32(); i < n; i++) {
    const size = r.u32();
    bodies.push(Buffer.from(code.body.buffer, code.body.byteOffset + r.pos, size));
    r.pos += size;
  }
  return bodies;
}

/// Whether `section` is the custom section "name".
export function isNameSection(section) {
  return section.id === 0 && new Reader(section.body).name() === "name";
}

/// The function names of the name section (subsection 1), by function index; empty without one.
export function functionNames(sections) {
  const names = new Map();
  const section = sections.find(isNameSection);
  if (!section) return names;
  const r = new Reader(section.body);
  r.name(); // "name"
  while (r.pos < section.body.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) for (let i = 0, n = r.u32(); i < n; i++) names.set(r.u32(), r.name());
    r.pos = end;
  }
  return names;
}
