/**
 * The code buffer: bytes, labels, typed PC-relative fixups, constant pools,
 * veneers and deferred stubs (trap code), all resolved in a single pass.
 *
 * Model (after Cranelift's MachBuffer): `getLabel` hands out an id,
 * `bindLabel` pins it to the current offset once, and every PC-relative
 * reference is recorded with `useLabelAtOffset(offset, label, kind)`. A use of
 * a bound label is patched at once; a use of an unbound label waits. The
 * earliest offset at which some waiting use would go out of range is the
 * *deadline*. The emitter asks `islandNeeded(n)` at points where it may
 * insert data (never inside an IT block); when it says yes, `emitIsland()`
 * writes a jump (B.W on Thumb) over a block holding veneers for short branches, the deferred
 * stubs and the pending constants. `finish()` emits a last island and
 * hard-asserts that nothing is left waiting.
 *
 * Nothing here produces a relocation: every reference is resolved to a
 * PC-relative field inside the buffer, which is what XIP needs.
 *
 * The buffer is generic over the ISA's label-use kind `K`; the ISA supplies
 * reach, patching and veneers through `LabelUseIsa<K>`.
 */
import { InternalError } from '../errors.js';

export type Label = number & { readonly __label: true };

export interface LabelUseIsa<K> {
  /**
   * Lowest and highest label offset a use of `kind` at `use` can reach
   * (inclusive; `base`: table base for table entries). Two numbers rather than
   * a pair so that asking, once per branch, allocates nothing.
   */
  lowest(kind: K, use: number, base: number): number;
  highest(kind: K, use: number, base: number): number;
  /** Write the field(s) of the use at `use` so it refers to `label`; throws if unencodable. */
  patch(code: Uint8Array, use: number, label: number, kind: K, base: number): void;
  /**
   * A longer-range jump that can stand in for `kind`, or undefined when none can: one instruction of `size`
   * bytes (2: a 16-bit Thumb instruction), written as `placeholder` and patched via its own `kind`.
   */
  veneer(kind: K): { size: 2 | 4; kind: K; placeholder: number } | undefined;
  /**
   * The unconditional jump placed at the head of an island (a placeholder patched via `kind`). Thumb-1 has only
   * the 16-bit B (±2 KiB) for it, so an island there must stay under 2 KiB; its literal loads reach 1 KiB, which
   * keeps islands frequent and small.
   */
  jump: { size: 2 | 4; kind: K; placeholder: number };
  /** The halfword used to pad code. */
  nop16: number;
  /**
   * Short uses of a stub placed in the same island get no veneer when they reach it anyway. Thumb-1 sets this:
   * its B<c> reaches 256 bytes, so every bounds and trap check would otherwise take a veneer to its stub.
   */
  stubsSkipVeneers?: boolean;
  /**
   * How the buffer writes a 32-bit instruction (island jump, veneers): first
   * halfword first as Thumb does ('halfwords', the default), or one
   * little-endian word as RISC-V does ('word').
   */
  insn32?: 'halfwords' | 'word';
}

export type Constant = { size: 4; bits: number } | { size: 8; bits: bigint };

/** 'short': has a veneer and reaches less than VENEER_HORIZON, so any island veneers it. 'long': has a veneer, needed only near its deadline. */
type VeneerClass = 'none' | 'short' | 'long';

interface Fixup<K> {
  use: number;
  label: Label;
  kind: K;
  base: number;
  /** Highest label offset this use can reach. */
  deadline: number;
  veneer: VeneerClass;
  /** Set once the use is resolved or moved to a veneer; its Deadlines entries are then stale. */
  done: boolean;
}

/**
 * The earliest deadline of the waiting uses, without a scan over all of them
 * per question: a large module keeps thousands of calls to not-yet-compiled
 * functions waiting, and the emitter asks before every operator.
 *
 * The question is nearly always "is the earliest deadline still at least x?"
 * (x a little past the current offset), with a yes by a wide margin. Each part
 * below keeps `bound`, a lower bound of its earliest deadline (exact when
 * computed, lowered by every add), which answers that at once. Uses that
 * reach far (calls, B.W, B<c>.W: hundreds of KiB and more) are only counted in
 * a `FarDeadlines`, which finds its exact minimum by a scan, rarely needed
 * since its uses seldom come near their deadline. Uses that reach a few KiB
 * (narrow branches, literal loads) come near their deadline all the time, and
 * are often resolved right after, which would leave a stale bound below x at
 * every question; they go to a heap, which keeps the exact minimum cheaply.
 */
const NEAR_REACH = 256 * 1024;

/** Near-reaching waiting uses, by deadline; resolved ones are skipped when they reach the top or swept when they dominate. */
class DeadlineHeap<K> {
  private items: Fixup<K>[] = [];
  /** <= the lowest deadline of the uses not yet done. */
  private bound = Infinity;

  /** Add `f`; `live` is at least the number of uses in the heap not yet done (stale entries are dropped once they dominate). */
  push(f: Fixup<K>, live: number): void {
    if (this.items.length > 2 * live + 1024) {
      const keep = this.items.filter((x) => !x.done);
      this.items = [];
      for (const x of keep) this.siftUp(x);
    }
    this.siftUp(f);
    if (f.deadline < this.bound) this.bound = f.deadline;
    // Post-invariant: heap order holds; f is in the heap; bound <= f.deadline.
  }

  /** Whether every use not yet done has a deadline >= x. */
  atLeast(x: number): boolean {
    return this.bound >= x || this.min() >= x;
  }

  private siftUp(f: Fixup<K>): void {
    const a = this.items;
    let i = a.length;
    a.push(f);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (p.deadline <= f.deadline) break;
      a[i] = p;
      i = parent;
    }
    a[i] = f;
  }

  /** The lowest deadline among uses not yet done, or Infinity. */
  min(): number {
    const a = this.items;
    while (a.length > 0 && a[0]!.done) this.popTop();
    this.bound = a.length > 0 ? a[0]!.deadline : Infinity;
    return this.bound;
  }

  private popTop(): void {
    const a = this.items;
    const last = a.pop()!;
    const n = a.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && a[r]!.deadline < a[l]!.deadline ? r : l;
      if (a[c]!.deadline >= last.deadline) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    // Post-invariant: heap order holds; the old top is gone.
  }
}

/**
 * Far-reaching waiting uses, unordered. When the bound does not answer,
 * `earliest` (the use that set it, while the bound is exact) does as long as
 * that use still waits; only then does a scan run, which also sweeps out
 * resolved uses (as does an add once they dominate).
 */
class FarDeadlines<K> {
  private items: Fixup<K>[] = [];
  /** <= the lowest deadline of the uses not yet done. */
  private bound = Infinity;
  /** The use whose deadline is `bound`, while the bound is exact. */
  private earliest: Fixup<K> | undefined = undefined;

  /** Add `f`; `live` is at least the number of uses in the set not yet done. */
  add(f: Fixup<K>, live: number): void {
    if (this.items.length > 2 * live + 1024) this.sweep();
    this.items.push(f);
    if (f.deadline < this.bound) {
      // Below a lower bound of the others, so f is now exactly the earliest.
      this.bound = f.deadline;
      this.earliest = f;
    }
    // Post-invariant: f is in the set; bound <= f.deadline.
  }

  /** Whether every use not yet done has a deadline >= x. */
  atLeast(x: number): boolean {
    if (this.bound >= x) return true;
    if (this.earliest !== undefined && !this.earliest.done) return false;
    return this.min() >= x;
  }

  /** The lowest deadline among uses not yet done, or Infinity. */
  min(): number {
    if (this.earliest === undefined || this.earliest.done) this.sweep();
    return this.bound;
  }

  /** Drop resolved uses and make `bound` exact. */
  private sweep(): void {
    const a = this.items;
    let n = 0;
    let m = Infinity;
    let e: Fixup<K> | undefined = undefined;
    for (let i = 0; i < a.length; i++) {
      const f = a[i]!;
      if (f.done) continue;
      a[n++] = f;
      if (f.deadline < m) {
        m = f.deadline;
        e = f;
      }
    }
    a.length = n;
    this.bound = m;
    this.earliest = e;
    // Post-invariant: items holds exactly the uses not done; bound is their lowest deadline.
  }
}

/** All waiting uses of one category: `near` and `far` as described above. */
class Deadlines<K> {
  private near = new DeadlineHeap<K>();
  private far = new FarDeadlines<K>();

  /** Add `f`, a use at `use`; `live` is at least the number of uses here not yet done (for sweeping). */
  add(f: Fixup<K>, use: number, live: number): void {
    if (f.deadline - use < NEAR_REACH) this.near.push(f, live);
    else this.far.add(f, live);
  }

  /** Whether every use not yet done has a deadline >= x. */
  atLeast(x: number): boolean {
    return this.near.atLeast(x) && this.far.atLeast(x);
  }

  /** The lowest deadline among uses not yet done, or Infinity. */
  min(): number {
    return Math.min(this.near.min(), this.far.min());
  }
}

interface PendingConstant {
  label: Label;
  c: Constant;
}

interface Deferred<B> {
  label: Label;
  key: string;
  maxSize: number;
  emit: (buf: B) => void;
}

/** Only short-range uses are turned into veneers; longer ones simply wait for their label. */
const VENEER_HORIZON = 32 * 1024;
const UNBOUND = -1;
/** The offset of an external label: one this buffer never binds (see externalLabel). */
const EXTERNAL = -2;

/** A use of an external label: the field at `use` waits for whoever places the code the label names. */
export interface ExternalUse<K> {
  readonly use: number;
  readonly label: Label;
  readonly kind: K;
}

export interface FinishedCode {
  code: Uint8Array;
  /** Always 0: the buffer has no way to express a relocation. */
  relocationCount: 0;
}

export class CodeBuffer<K> {
  private data = new Uint8Array(1024);
  private len = 0;
  /**
   * Per label (`labelCount` in use): its offset, UNBOUND until bound, and the
   * slot of its waiting uses in `pendingOrder`/`pendingLists`, -1 for none.
   * Typed arrays: a large function makes 100k labels, and pushing onto plain
   * arrays that size costs more than everything else getLabel does.
   */
  private labelOffsets = new Int32Array(256);
  private pendingSlot = new Int32Array(256);
  private labelCount = 0;
  /**
   * Labels with waiting uses, in the order their current list was created
   * (the order islands place veneers in), and those lists. An entry is live
   * while `pendingSlot` of its label points back at it; dead entries are swept
   * out lazily.
   */
  private pendingOrder: Label[] = [];
  private pendingLists: (Fixup<K>[] | undefined)[] = [];
  private pendingCount = 0;
  /** Pending uses by veneer class, for the worst-case island size. */
  private shortVeneerable = 0;
  private longVeneerable = 0;
  /** Deadlines of every waiting use, and of the 'long' ones alone. */
  private deadlines = new Deadlines<K>();
  private longDeadlines = new Deadlines<K>();
  private constants: PendingConstant[] = [];
  private constantBytes = 0;
  /** Every constant ever requested: its label and (once emitted) its offset. */
  private constantIndex = new Map<string, { label: Label; at: number }>();
  private deferred: Deferred<CodeBuffer<K>>[] = [];
  private deferredBytes = 0;
  private deferredIndex = new Map<string, { label: Label; at: number }>();
  /** Uses of external labels since the last takeExternalUses, in order. */
  private externalUses: ExternalUse<K>[] = [];
  private inIsland = false;
  private finished = false;
  /** Number of islands emitted (for tests and statistics). */
  islands = 0;

  constructor(readonly isa: LabelUseIsa<K>) {}

  get offset(): number {
    return this.len;
  }

  /** The bytes written so far (a view; later writes and patches show through until it is reallocated). */
  get bytes(): Uint8Array {
    return this.data.subarray(0, this.len);
  }

  // ---- raw output ------------------------------------------------------

  private ensure(n: number): void {
    if (this.finished) throw new InternalError('write to a finished CodeBuffer');
    if (this.len + n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.len + n) cap *= 2;
    const d = new Uint8Array(cap);
    d.set(this.data.subarray(0, this.len));
    this.data = d;
  }

  put8(v: number): void {
    this.ensure(1);
    this.data[this.len++] = v & 0xff;
    // Post-invariant: offset advanced by 1 (may now be odd: only tables do this).
  }

  put16(v: number): void {
    if (v < 0 || v > 0xffff) throw new InternalError(`put16 of 0x${v.toString(16)}`);
    this.ensure(2);
    this.data[this.len++] = v & 0xff;
    this.data[this.len++] = v >>> 8;
    // Post-invariant: offset advanced by 2.
  }

  /** A 32-bit Thumb instruction given as hw1<<16 | hw2: the first halfword goes first. */
  put32(v: number): void {
    this.ensure(4);
    const d = this.data;
    const at = this.len;
    d[at] = (v >>> 16) & 0xff;
    d[at + 1] = (v >>> 24) & 0xff;
    d[at + 2] = v & 0xff;
    d[at + 3] = (v >>> 8) & 0xff;
    this.len = at + 4;
    // Post-invariant: offset advanced by 4, hw1 at the lower address.
  }

  /** A 16-bit instruction, or a 32-bit one in the ISA's layout (see LabelUseIsa.insn32). */
  private putInsn(size: 2 | 4, v: number): void {
    if (size === 2) this.put16(v);
    else if (this.isa.insn32 === 'word') this.putData32(v);
    else this.put32(v);
  }

  /** A little-endian 32-bit data word (constants, tables; RISC-V instructions). */
  putData32(v: number): void {
    this.ensure(4);
    const u = v >>> 0;
    for (let i = 0; i < 4; i++) this.data[this.len++] = (u >>> (8 * i)) & 0xff;
    // Post-invariant: offset advanced by 4.
  }

  /** Pad with the ISA's NOP until offset % align == 0 (align a power of two >= 2). */
  alignTo(align: number): void {
    if (this.len % 2) this.put8(0);
    while (this.len % align) this.put16(this.isa.nop16);
    // Post-invariant: offset % align == 0.
  }

  // ---- labels ------------------------------------------------------------

  getLabel(): Label {
    const label = this.labelCount++;
    if (label === this.labelOffsets.length) {
      const offsets = new Int32Array(2 * label);
      offsets.set(this.labelOffsets);
      this.labelOffsets = offsets;
      const slots = new Int32Array(2 * label);
      slots.set(this.pendingSlot);
      this.pendingSlot = slots;
    }
    this.labelOffsets[label] = UNBOUND;
    this.pendingSlot[label] = -1;
    return label as Label;
    // Post-invariant: the new label is unbound and has no uses.
  }

  /**
   * A label this buffer never binds, such as another function's entry when each function is compiled on its own
   * (docs/compiler.md, "Functions compiled apart"): its uses are left as placeholders and only recorded, for
   * `takeExternalUses`. Nothing waits on them, so they never call for an island.
   */
  externalLabel(): Label {
    const label = this.getLabel();
    this.labelOffsets[label] = EXTERNAL;
    return label;
    // Post-invariant: the label reads as unbound (labelOffset < 0) and cannot be bound.
  }

  /** The uses of external labels recorded since the last call, oldest first. */
  takeExternalUses(): ExternalUse<K>[] {
    const uses = this.externalUses;
    this.externalUses = [];
    return uses;
  }

  isBound(label: Label): boolean {
    return this.labelOffset(label) >= 0;
  }

  /** The label's offset, or a negative number while unbound (always for an external label). */
  labelOffset(label: Label): number {
    if (!(label >= 0 && label < this.labelCount)) throw new InternalError(`unknown label ${label}`);
    return this.labelOffsets[label]!;
  }

  bindLabel(label: Label): void {
    const at = this.labelOffset(label);
    if (at !== UNBOUND) throw new InternalError(at === EXTERNAL ? `external label ${label} bound` : `label ${label} bound twice`);
    this.labelOffsets[label] = this.len;
    const slot = this.pendingSlot[label]!;
    if (slot >= 0) {
      const uses = this.pendingLists[slot]!;
      this.pendingSlot[label] = -1;
      this.pendingLists[slot] = undefined;
      for (const f of uses) {
        this.forget(f);
        this.isa.patch(this.data, f.use, this.len, f.kind, f.base);
      }
    }
    // Post-invariant: label bound to the current offset; every earlier use of it
    // patched (or an InternalError thrown because one went out of range).
  }

  /**
   * Record that the field at `offset` refers to `label` via `kind`. `base` is
   * the reference point of table-entry kinds (the table start) and is ignored
   * by kinds measured from the PC.
   */
  useLabelAtOffset(offset: number, label: Label, kind: K, base = offset): void {
    const at = this.labelOffset(label);
    if (at === EXTERNAL) {
      this.externalUses.push({ use: offset, label, kind });
      return;
      // Post-invariant: the use is recorded for takeExternalUses; the field keeps its placeholder.
    }
    if (at !== UNBOUND) {
      this.isa.patch(this.data, offset, at, kind, base);
      return;
      // Post-invariant: the use is final.
    }
    const hi = this.isa.highest(kind, offset, base);
    const veneer: VeneerClass = !this.isa.veneer(kind) ? 'none' : hi - offset < VENEER_HORIZON ? 'short' : 'long';
    const f: Fixup<K> = { use: offset, label, kind, base, deadline: hi, veneer, done: false };
    const slot = this.pendingSlot[label]!;
    if (slot >= 0) this.pendingLists[slot]!.push(f);
    else {
      if (this.pendingOrder.length > 2 * this.pendingCount + 1024) this.sweepPendingOrder();
      this.pendingSlot[label] = this.pendingOrder.length;
      this.pendingOrder.push(label);
      this.pendingLists.push([f]);
    }
    this.pendingCount++;
    this.deadlines.add(f, offset, this.pendingCount);
    if (veneer === 'short') this.shortVeneerable++;
    if (veneer === 'long') {
      this.longVeneerable++;
      this.longDeadlines.add(f, offset, this.longVeneerable);
    }
    // Post-invariant: the use waits on the label; deadline() <= its highest reachable offset.
  }

  /** Drop a waiting use from the counters (the caller removes it from `pending`). */
  private forget(f: Fixup<K>): void {
    this.pendingCount--;
    f.done = true;
    if (f.veneer === 'short') this.shortVeneerable--;
    if (f.veneer === 'long') this.longVeneerable--;
  }

  /** Whether `label` would be reachable from a use of `kind` at `use` if it were bound at `at`. */
  inRange(kind: K, use: number, at: number): boolean {
    return at >= this.isa.lowest(kind, use, use) && at <= this.isa.highest(kind, use, use);
  }

  /**
   * Start code whose bytes must not depend on the code before it (one function compiled on its own: see
   * externalLabel). Nothing may be waiting here, and constants and stubs from now on never share an earlier copy.
   */
  beginIndependent(): void {
    if (this.pendingCount !== 0 || this.hasPendingIslandContent()) {
      throw new InternalError(`independent code begins at 0x${this.len.toString(16)} with ${this.pendingCount} uses waiting`);
    }
    this.constantIndex.clear();
    this.deferredIndex.clear();
    // Post-invariant: what follows is laid out as in a fresh buffer at an offset of the same alignment.
  }

  /** Raw bytes (code laid out elsewhere, e.g. by beginIndependent in another buffer). */
  putBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.data.set(bytes, this.len);
    this.len += bytes.length;
    // Post-invariant: offset advanced by bytes.length.
  }

  // ---- constants and deferred stubs --------------------------------------

  /**
   * Refer to a constant from a literal load at `offset`. Equal constants share
   * one pool slot while it is reachable; otherwise a fresh copy goes into the
   * next island.
   */
  useConstant(offset: number, kind: K, c: Constant): void {
    const key = `${c.size}:${c.bits.toString(16)}`;
    const known = this.constantIndex.get(key);
    if (known && (known.at === UNBOUND || this.inRange(kind, offset, known.at))) {
      this.useLabelAtOffset(offset, known.label, kind);
      return;
    }
    const label = this.getLabel();
    this.constants.push({ label, c });
    this.constantBytes += c.size;
    this.constantIndex.set(key, { label, at: UNBOUND });
    this.useLabelAtOffset(offset, label, kind);
    // Post-invariant: the constant is in the next island (or an earlier reachable one).
  }

  /**
   * A label for out-of-line code (e.g. the stub that raises trap N) written by
   * `emit` into the next island. Requests with the same key share one stub
   * while an emitted copy lies within `reach` bytes behind the current offset.
   * `emit` must write at most `maxSize` bytes and must not bind caller labels.
   */
  deferredLabel(key: string, maxSize: number, emit: (buf: CodeBuffer<K>) => void, reach = 0x80000): Label {
    const known = this.deferredIndex.get(key);
    if (known && (known.at === UNBOUND || this.len - known.at <= reach)) return known.label;
    const label = this.getLabel();
    this.deferred.push({ label, key, maxSize, emit });
    this.deferredBytes += maxSize + 1; // + a possible alignment byte
    this.deferredIndex.set(key, { label, at: UNBOUND });
    return label;
    // Post-invariant: the stub will be materialized by the next island.
  }

  // ---- islands -------------------------------------------------------------

  /** The lowest offset by which some waiting use must see its label bound. */
  deadline(): number {
    return this.deadlines.min();
  }

  /** Upper bound on the size of the island `emitIsland` would write now (or `distance` bytes later). */
  worstCaseIslandSize(distance = 0): number {
    const longVeneers = this.longVeneerable > 0 && !this.longDeadlines.atLeast(this.len + distance + VENEER_HORIZON) ? this.longVeneerable : 0;
    // 6: at most one halfword to 2-align a stub plus one to 4-align the constants.
    return this.isa.jump.size + 4 * (this.shortVeneerable + longVeneers) + this.deferredBytes + 6 + this.constantBytes;
  }

  /**
   * True if an island must be emitted before `distance` more bytes of code:
   * after them, the worst-case island would end past the deadline.
   */
  islandNeeded(distance: number): boolean {
    if (this.pendingCount === 0 && this.deferred.length === 0) return false;
    return !this.deadlines.atLeast(this.len + distance + this.worstCaseIslandSize(distance));
  }

  /** Whether there is anything an island would write. */
  hasPendingIslandContent(): boolean {
    // Same answer as veneerCandidates().length > 0 without the scan: some long use
    // is a candidate exactly when the earliest long deadline is.
    return this.constants.length > 0 || this.deferred.length > 0 || this.shortVeneerable > 0 ||
      (this.longVeneerable > 0 && !this.longDeadlines.atLeast(this.len + VENEER_HORIZON));
  }

  /** Drop the dead entries of `pendingOrder` and `pendingLists`. */
  private sweepPendingOrder(): void {
    const order: Label[] = [];
    const lists: Fixup<K>[][] = [];
    for (let i = 0; i < this.pendingOrder.length; i++) {
      const label = this.pendingOrder[i]!;
      if (this.pendingSlot[label] !== i) continue;
      this.pendingSlot[label] = order.length;
      order.push(label);
      lists.push(this.pendingLists[i]!);
    }
    this.pendingOrder = order;
    this.pendingLists = lists;
    // Post-invariant: pendingOrder holds exactly the labels with waiting uses, in creation order, and pendingLists their uses.
  }

  /** The waiting-use lists, oldest label first (the order a Map keyed by label would give). */
  private waitingLists(): Fixup<K>[][] {
    this.sweepPendingOrder();
    return this.pendingLists.slice() as Fixup<K>[][];
  }

  private veneerCandidates(jumpSize: number): Fixup<K>[] {
    const out: Fixup<K>[] = [];
    for (const list of this.waitingLists()) {
      for (const f of list) {
        if (f.veneer === 'short' || (f.veneer === 'long' && f.deadline < this.len + VENEER_HORIZON)) out.push(f);
      }
    }
    if (!this.isa.stubsSkipVeneers || this.deferred.length === 0) return out;
    // Where each stub of this island will be bound at the latest (every candidate veneered, every stub at its
    // maximum size and realigned); a use that reaches that far needs no veneer to reach its stub.
    let at = this.len + jumpSize + 4 * out.length;
    const latest = new Map<Label, number>();
    for (const d of this.deferred) {
      at += 1;
      latest.set(d.label, at);
      at += d.maxSize;
    }
    return out.filter((f) => !(f.deadline >= (latest.get(f.label) ?? Infinity)));
  }

  /**
   * Write an island: [a jump over it] veneers, deferred stubs, constants. With
   * `jumpOver` false (after a terminator, or at the end) the branch is left out.
   */
  emitIsland(jumpOver = true): void {
    if (this.inIsland) throw new InternalError('nested island');
    this.inIsland = true;
    this.islands++;
    let after: Label | undefined;
    if (jumpOver) {
      after = this.getLabel();
      const at = this.len;
      this.putInsn(this.isa.jump.size, this.isa.jump.placeholder);
      this.useLabelAtOffset(at, after, this.isa.jump.kind);
    }
    // Veneers first: the short kinds need them closest.
    for (const f of this.veneerCandidates(jumpOver ? this.isa.jump.size : 0)) {
      const v = this.isa.veneer(f.kind)!;
      const slot = this.pendingSlot[f.label]!;
      const list = this.pendingLists[slot]!;
      list.splice(list.indexOf(f), 1);
      if (list.length === 0) {
        this.pendingSlot[f.label] = -1;
        this.pendingLists[slot] = undefined;
      }
      this.forget(f);
      const at = this.len;
      this.isa.patch(this.data, f.use, at, f.kind, f.base);
      this.putInsn(v.size, v.placeholder);
      this.useLabelAtOffset(at, f.label, v.kind);
    }
    const stubs = this.deferred;
    this.deferred = [];
    this.deferredBytes = 0;
    for (const d of stubs) {
      this.alignTo(2);
      this.bindLabel(d.label);
      this.deferredIndex.get(d.key)!.at = this.len;
      const start = this.len;
      d.emit(this);
      if (this.len - start > d.maxSize) throw new InternalError(`stub ${d.key} is ${this.len - start} bytes, over its ${d.maxSize}`);
    }
    const consts = this.constants;
    this.constants = [];
    this.constantBytes = 0;
    this.alignTo(4);
    // 8-byte values first so that the 4-byte ones never force extra padding.
    for (const size of [8, 4] as const) {
      for (const k of consts) {
        if (k.c.size !== size) continue;
        this.bindLabel(k.label);
        this.constantIndex.get(`${k.c.size}:${k.c.bits.toString(16)}`)!.at = this.len;
        if (k.c.size === 8) {
          this.putData32(Number(BigInt.asUintN(32, k.c.bits)));
          this.putData32(Number(BigInt.asUintN(32, k.c.bits >> 32n)));
        } else {
          this.putData32(k.c.bits);
        }
      }
    }
    if (after !== undefined) this.bindLabel(after);
    this.inIsland = false;
    // Post-invariant: no constant or stub is pending; every short-range waiting
    // use now points at a veneer in this island; code continues after it.
  }

  /** Emit what is pending and return the code; throws if any use is still unresolved. */
  finish(): FinishedCode {
    for (let i = 0; i < 8 && this.hasPendingIslandContent(); i++) this.emitIsland(false);
    if (this.pendingCount !== 0) {
      const what = this.waitingLists().flat().map((f) => `${String(f.kind)}@0x${f.use.toString(16)}->L${f.label}`);
      throw new InternalError(`CodeBuffer.finish with unresolved label uses: ${what.slice(0, 8).join(', ')}`);
    }
    if (this.hasPendingIslandContent()) throw new InternalError('CodeBuffer.finish: islands did not converge');
    this.finished = true;
    return { code: this.data.slice(0, this.len), relocationCount: 0 };
    // Post-invariant: the buffer is frozen; every label use is patched.
  }
}
