/**
 * Module and function validation, WebAssembly 2.0 without SIMD.
 *
 * Function bodies follow the validation algorithm of the spec appendix
 * (push_operand / pop_operand / push_ctrl / pop_ctrl, with an Unknown operand
 * type in unreachable code). It is a loop over OperatorReader with explicit
 * operand and control stacks, so nesting depth costs heap, never JS stack.
 * Plain numeric operators are checked from their signature in opcodes.ts.
 */
import { DecodeError, UnsupportedError, ValidationError } from '../errors.js';
import {
  DEFAULT_PAGE_SIZE_LOG2, ValType, isRefType, pageSizeLog2, valTypeName,
  type ConstExpr, type FuncType, type FunctionBody, type Limits, type MemoryType, type Module,
} from './types.js';
import { Imm, OPERATORS, Op, opcodeName } from './opcodes.js';
import { BLOCK_EMPTY, OperatorReader, blockTypeValType, type Instr } from './operators.js';

/** Operand type in unreachable code (matches anything). */
const UNKNOWN = 0;
type Operand = ValType | typeof UNKNOWN;


/** Per module that passed validateModule: each defined function's maximum operand-stack height. */
const MAX_HEIGHTS = new WeakMap<Module, Uint32Array>();

/**
 * The maximum operand-stack height of function `funcIndex` (a defined one) as
 * validateModule found it, the same as stepping a FuncValidator over the body
 * and watching `stackHeight`; undefined if `m` has not passed validateModule.
 * Code generators that size frames by it need not validate the body again.
 */
export function validatedMaxStackHeight(m: Module, funcIndex: number): number | undefined {
  return MAX_HEIGHTS.get(m)?.[funcIndex - m.numImportedFuncs];
}

export function validateModule(m: Module): void {
  const nTypes = m.types.length;
  const nFuncs = m.funcTypeIndices.length;
  const off = m.offsets;

  for (const imp of m.imports) {
    const d = imp.desc;
    switch (d.kind) {
      case 'func':
        if (d.typeIndex >= nTypes) throw new ValidationError(`unknown type ${d.typeIndex}`, imp.offset);
        break;
      case 'table': checkTableLimits(d.table.limits, imp.offset); break;
      case 'memory': checkMemoryType(d.memory, imp.offset); break;
      case 'global': break;
      default: assertNeverKind(d);
    }
  }
  for (let i = m.numImportedFuncs; i < nFuncs; i++) {
    if (m.funcTypeIndices[i]! >= nTypes) {
      throw new ValidationError(`unknown type ${m.funcTypeIndices[i]}`, off.funcs[i - m.numImportedFuncs] ?? -1);
    }
  }
  for (let i = m.numImportedTables; i < m.tables.length; i++) checkTableLimits(m.tables[i]!.limits, off.tables[i] ?? -1);
  for (let i = m.numImportedMemories; i < m.memories.length; i++) checkMemoryType(m.memories[i]!, off.memories[i] ?? -1);
  // valid since the multi-memory proposal (WebAssembly 3.0), invalid in 2.0: either way not compiled here
  if (m.memories.length > 1) throw new UnsupportedError('not supported: multiple memories (the multi-memory proposal)', off.memories[1] ?? -1);

  m.globals.forEach((g, i) => {
    const at = off.globals[i] ?? -1;
    expectConst(m, g.init, g.type.valType, at);
  });

  const names = new Set<string>();
  m.exports.forEach((e, i) => {
    const at = off.exports[i] ?? -1;
    if (names.has(e.name)) throw new ValidationError(`duplicate export name "${e.name}"`, at);
    names.add(e.name);
    const limit = e.kind === 'func' ? nFuncs : e.kind === 'table' ? m.tables.length
      : e.kind === 'memory' ? m.memories.length : m.globalTypes.length;
    if (e.index >= limit) throw new ValidationError(`unknown ${e.kind} ${e.index} in export "${e.name}"`, at);
  });

  if (m.start !== undefined) {
    if (m.start >= nFuncs) throw new ValidationError(`unknown function ${m.start} (start function)`, off.start);
    const t = m.types[m.funcTypeIndices[m.start]!]!;
    if (t.params.length !== 0 || t.results.length !== 0) {
      throw new ValidationError('start function must have type [] -> []', off.start);
    }
  }

  m.elems.forEach((e, i) => {
    const at = off.elems[i] ?? -1;
    if (e.mode === 'active') {
      const table = m.tables[e.table];
      if (!table) throw new ValidationError(`unknown table ${e.table}`, at);
      if (table.elemType !== e.elemType) {
        throw new ValidationError(`type mismatch: ${valTypeName(e.elemType)} segment for ${valTypeName(table.elemType)} table`, at);
      }
      expectConst(m, e.offset!, ValType.I32, at);
    }
    for (const item of e.items) expectConst(m, item, e.elemType, at);
  });

  m.datas.forEach((d, i) => {
    const at = off.datas[i] ?? -1;
    if (d.mode === 'active') {
      if (d.memory >= m.memories.length) throw new ValidationError(`unknown memory ${d.memory}`, at);
      expectConst(m, d.offset!, ValType.I32, at);
    }
  });

  const fv = new FuncValidator(m);
  const heights = new Uint32Array(m.codes.length);
  for (let i = 0; i < m.codes.length; i++) heights[i] = fv.validate(m.codes[i]!, m.numImportedFuncs + i);
  MAX_HEIGHTS.set(m, heights);
}

function assertNeverKind(x: never): never {
  throw new ValidationError(`unexpected import kind ${JSON.stringify(x)}`, -1);
}

function checkTableLimits(l: Limits, at: number): void {
  if (l.max !== undefined && l.min > l.max) throw new ValidationError('size minimum must not be greater than maximum', at);
}

/**
 * Custom-page-sizes proposal: the page size is 1 or 65536 bytes, and the limits lie within 2^32 - 1 and within
 * 2^32 / page size (65536 pages of 64 KiB, 4294967295 pages of one byte).
 */
function checkMemoryType(mt: MemoryType, at: number): void {
  const log2 = pageSizeLog2(mt);
  if (log2 !== 0 && log2 !== DEFAULT_PAGE_SIZE_LOG2) throw new ValidationError(`invalid custom page size: 2^${log2} bytes (must be 1 or 65536)`, at);
  const maxPages = Math.min(2 ** (32 - log2), 0xffffffff);
  const tooBig = `memory size must be at most ${maxPages} pages (${log2 === 0 ? '4GiB - 1 byte' : '4GiB'})`;
  const l = mt.limits;
  if (l.min > maxPages) throw new ValidationError(tooBig, at);
  if (l.max !== undefined) {
    if (l.max > maxPages) throw new ValidationError(tooBig, at);
    if (l.min > l.max) throw new ValidationError('size minimum must not be greater than maximum', at);
  }
}

/** The type of a constant expression, checked under the 2.0 rules. */
function constExprType(m: Module, e: ConstExpr, at: number): ValType {
  switch (e.kind) {
    case 'i32.const': return ValType.I32;
    case 'i64.const': return ValType.I64;
    case 'f32.const': return ValType.F32;
    case 'f64.const': return ValType.F64;
    case 'ref.null': return e.refType;
    case 'ref.func':
      if (e.funcIndex >= m.funcTypeIndices.length) throw new ValidationError(`unknown function ${e.funcIndex}`, at);
      return ValType.FuncRef;
    case 'global.get': {
      // 2.0: only imported globals are in scope of constant expressions
      if (e.globalIndex >= m.numImportedGlobals) throw new ValidationError(`unknown global ${e.globalIndex}`, at);
      const g = m.globalTypes[e.globalIndex]!;
      if (g.mutable) throw new ValidationError('constant expression required (global.get of a mutable global)', at);
      return g.valType;
    }
    default: return assertNeverExpr(e);
  }
}

function assertNeverExpr(x: never): never {
  throw new ValidationError(`unexpected constant expression ${JSON.stringify(x)}`, -1);
}

function expectConst(m: Module, e: ConstExpr, t: ValType, at: number): void {
  const actual = constExprType(m, e, at);
  if (actual !== t) throw new ValidationError(`type mismatch: constant expression is ${valTypeName(actual)}, expected ${valTypeName(t)}`, at);
}

/** Signature of each plain operator, derived from the table: [params, results]. */
const SIGS = new Map<number, readonly [readonly ValType[], readonly ValType[]]>();
const SIG_CHAR: Record<string, ValType> = { i: ValType.I32, I: ValType.I64, f: ValType.F32, F: ValType.F64 };
for (const o of OPERATORS) {
  if (o.sig === undefined) continue;
  const [p, r] = o.sig.split('>') as [string, string];
  SIGS.set(o.code, [[...p].map((c) => SIG_CHAR[c]!), [...r].map((c) => SIG_CHAR[c]!)]);
}
const SIG_BY_BYTE: (readonly [readonly ValType[], readonly ValType[]] | undefined)[] = [];
for (let b = 0; b < 256; b++) SIG_BY_BYTE[b] = SIGS.get(b);

/** log2 natural alignment of memory operators by byte, -1 for the others */
const NATURAL_ALIGN = new Int8Array(256).fill(-1);
for (const o of OPERATORS) if (o.imm === Imm.MemArg) NATURAL_ALIGN[o.code] = o.naturalAlign;

const NONE: readonly ValType[] = [];
const SINGLE: Partial<Record<number, readonly ValType[]>> = {};
for (const t of [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.FuncRef, ValType.ExternRef]) SINGLE[t] = [t];

interface Frame {
  op: number;
  params: readonly ValType[];
  results: readonly ValType[];
  height: number;
  unreachable: boolean;
  hasElse: boolean;
}

function typeName(t: Operand): string {
  return t === UNKNOWN ? 'unknown' : valTypeName(t);
}

export class FuncValidator {
  private readonly m: Module;
  private vals: Operand[] = [];
  private ctrls: Frame[] = [];
  private depth = 0;
  private at = 0;
  /** local types: the first `localSmall` expanded; beyond that, run-length lookup */
  private localTypes: ValType[] = [];
  private localRunEnds: number[] = [];
  private localRunTypes: ValType[] = [];
  private numLocals = 0;
  private type: FuncType = { params: NONE, results: NONE };

  constructor(m: Module) {
    this.m = m;
  }

  /** Validates one whole function body (decoding its operators); returns the operand stack's maximum height. */
  validate(body: FunctionBody, funcIndex: number): number {
    this.begin(body, funcIndex);
    const ops = new OperatorReader(this.m.bytes, body.codeStart, body.codeEnd);
    let max = 0;
    while (this.depth > 0) {
      this.step(ops.read());
      if (this.vals.length > max) max = this.vals.length;
    }
    if (!ops.atEnd()) throw new DecodeError('operators after the final end of the function', ops.pos);
    return max;
  }

  /**
   * Starts a function for operator-by-operator use (validate-then-visit): call
   * step() on each operator in order until done.
   */
  begin(body: FunctionBody, funcIndex: number): void {
    const type = this.m.types[body.typeIndex];
    if (!type) throw new ValidationError(`unknown type ${body.typeIndex} of function ${funcIndex}`, body.bodyOffset);
    this.type = type;
    this.setupLocals(type, body);
    this.vals.length = 0;
    this.depth = 0;
    this.pushCtrl(Op.Block, NONE, type.results);
  }

  /** Validates one operator; throws ValidationError/DecodeError at its offset. */
  step(ins: Instr): void {
    if (this.depth === 0) throw new DecodeError('operators after the final end of the function', ins.offset);
    this.at = ins.offset;
    this.op(ins, this.type);
  }

  /** True once the function's final `end` has been validated. */
  get done(): boolean {
    return this.depth === 0;
  }

  /** Number of open control frames, the function's own included. */
  get controlDepth(): number {
    return this.depth;
  }

  /** False after unreachable/br/br_table/return until the enclosing block ends, and once done. */
  get reachable(): boolean {
    return this.depth > 0 && !this.ctrls[this.depth - 1]!.unreachable;
  }

  /** Operand-stack height. */
  get stackHeight(): number {
    return this.vals.length;
  }

  /** Type of the operand `depth` entries below the top (0 = top); 0 means unknown (unreachable code). */
  operandType(depth: number): ValType | 0 {
    return this.vals[this.vals.length - 1 - depth] ?? UNKNOWN;
  }

  /** Type of local `index` (parameters first). */
  localTypeOf(index: number): ValType {
    return this.localType(index);
  }

  private setupLocals(type: FuncType, body: FunctionBody): void {
    const lt = this.localTypes;
    lt.length = 0;
    for (const p of type.params) lt.push(p);
    this.localRunEnds.length = 0;
    this.localRunTypes.length = 0;
    let n = lt.length;
    for (const d of body.locals) {
      // expand small declarations; giant ones are looked up by run
      if (this.localRunEnds.length === 0 && n + d.count <= 4096) {
        for (let k = 0; k < d.count; k++) lt.push(d.type);
      } else {
        this.localRunEnds.push(n + d.count);
        this.localRunTypes.push(d.type);
      }
      n += d.count;
    }
    this.numLocals = n;
  }

  private localType(i: number): ValType {
    if (i < this.localTypes.length) return this.localTypes[i]!;
    if (i >= this.numLocals) throw this.err(`unknown local ${i}`);
    const ends = this.localRunEnds;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (i < ends[mid]!) hi = mid; else lo = mid + 1;
    }
    return this.localRunTypes[lo]!;
  }

  private err(msg: string): ValidationError {
    return new ValidationError(msg, this.at);
  }

  private push(t: Operand): void {
    this.vals.push(t);
  }

  private popAny(): Operand {
    const f = this.ctrls[this.depth - 1]!;
    if (this.vals.length === f.height) {
      if (f.unreachable) return UNKNOWN;
      throw this.err('type mismatch: operand stack is empty');
    }
    return this.vals.pop()!;
  }

  private pop(expect: ValType): Operand {
    const actual = this.popAny();
    if (actual !== expect && actual !== UNKNOWN) {
      throw this.err(`type mismatch: expected ${valTypeName(expect)}, found ${typeName(actual)}`);
    }
    return actual;
  }

  private popVals(ts: readonly ValType[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.pop(ts[i]!);
  }

  private pushVals(ts: readonly ValType[]): void {
    for (let i = 0; i < ts.length; i++) this.vals.push(ts[i]!);
  }

  private pushCtrl(op: number, params: readonly ValType[], results: readonly ValType[]): void {
    let f = this.ctrls[this.depth];
    if (f === undefined) {
      f = { op, params, results, height: 0, unreachable: false, hasElse: false };
      this.ctrls[this.depth] = f;
    }
    f.op = op;
    f.params = params;
    f.results = results;
    f.height = this.vals.length;
    f.unreachable = false;
    f.hasElse = false;
    this.depth++;
    this.pushVals(params);
  }

  private popCtrl(): Frame {
    const f = this.ctrls[this.depth - 1]!;
    this.popVals(f.results);
    if (this.vals.length !== f.height) throw this.err('type mismatch: values remain on the stack at the end of the block');
    this.depth--;
    return f;
  }

  private unreachable(): void {
    const f = this.ctrls[this.depth - 1]!;
    this.vals.length = f.height;
    f.unreachable = true;
  }

  private label(l: number): readonly ValType[] {
    if (l >= this.depth) throw this.err(`unknown label ${l}`);
    const f = this.ctrls[this.depth - 1 - l]!;
    return f.op === Op.Loop ? f.params : f.results;
  }

  /** Block type params/results, left in btParams/btResults (no tuple per block). */
  private btParams: readonly ValType[] = NONE;
  private btResults: readonly ValType[] = NONE;

  private blockType(bt: number): void {
    if (bt < 0) {
      this.btParams = NONE;
      this.btResults = bt === BLOCK_EMPTY ? NONE : SINGLE[blockTypeValType(bt)]!;
      return;
    }
    const t = this.m.types[bt];
    if (!t) throw this.err(`unknown type ${bt}`);
    this.btParams = t.params;
    this.btResults = t.results;
  }

  private funcType(f: number): FuncType {
    const ti = this.m.funcTypeIndices[f];
    if (ti === undefined) throw this.err(`unknown function ${f}`);
    return this.m.types[ti]!;
  }

  private table(t: number): ValType {
    const tt = this.m.tables[t];
    if (!tt) throw this.err(`unknown table ${t}`);
    return tt.elemType;
  }

  private memory(): void {
    if (this.m.memories.length === 0) throw this.err('unknown memory 0');
  }

  private dataSegment(d: number): void {
    if (this.m.dataCount === undefined) throw new DecodeError('data count section required', this.at);
    if (d >= this.m.dataCount) throw this.err(`unknown data segment ${d}`);
  }

  private elemSegment(e: number): ValType {
    const seg = this.m.elems[e];
    if (!seg) throw this.err(`unknown elem segment ${e}`);
    return seg.elemType;
  }

  private op(ins: Instr, type: FuncType): void {
    const code = ins.op;
    switch (code) {
      case Op.Unreachable: this.unreachable(); return;
      case Op.Nop: return;
      case Op.Block: case Op.Loop: {
        this.blockType(ins.blockType);
        this.popVals(this.btParams);
        this.pushCtrl(code, this.btParams, this.btResults);
        return;
      }
      case Op.If: {
        this.blockType(ins.blockType);
        this.pop(ValType.I32);
        this.popVals(this.btParams);
        this.pushCtrl(code, this.btParams, this.btResults);
        return;
      }
      case Op.Else: {
        const f = this.ctrls[this.depth - 1]!;
        if (f.op !== Op.If || f.hasElse) throw this.err('else without matching if');
        this.popCtrl();
        this.pushCtrl(Op.If, f.params, f.results);
        f.hasElse = true;
        return;
      }
      case Op.End: {
        const f = this.popCtrl();
        if (f.op === Op.If && !f.hasElse && !sameTypes(f.params, f.results)) {
          throw this.err('type mismatch: if without else must have matching parameter and result types');
        }
        this.pushVals(f.results);
        return;
      }
      case Op.Br:
        this.popVals(this.label(ins.index));
        this.unreachable();
        return;
      case Op.BrIf: {
        this.pop(ValType.I32);
        const l = this.label(ins.index);
        this.popVals(l);
        this.pushVals(l);
        return;
      }
      case Op.BrTable: {
        this.pop(ValType.I32);
        const arity = this.label(ins.index).length;
        for (const t of ins.targets) {
          const l = this.label(t);
          if (l.length !== arity) throw this.err('type mismatch: br_table targets have different arities');
          // push_vals(pop_vals(l)): Unknown operands stay Unknown
          const popped: Operand[] = [];
          for (let i = l.length - 1; i >= 0; i--) popped.push(this.pop(l[i]!));
          for (let i = popped.length - 1; i >= 0; i--) this.vals.push(popped[i]!);
        }
        this.popVals(this.label(ins.index));
        this.unreachable();
        return;
      }
      case Op.Return:
        this.popVals(type.results);
        this.unreachable();
        return;
      case Op.Call: {
        const t = this.funcType(ins.index);
        this.popVals(t.params);
        this.pushVals(t.results);
        return;
      }
      case Op.CallIndirect: {
        if (this.table(ins.index2) !== ValType.FuncRef) throw this.err('type mismatch: call_indirect table must be funcref');
        const t = this.m.types[ins.index];
        if (!t) throw this.err(`unknown type ${ins.index}`);
        this.pop(ValType.I32);
        this.popVals(t.params);
        this.pushVals(t.results);
        return;
      }
      case Op.Drop: this.popAny(); return;
      case Op.Select: {
        this.pop(ValType.I32);
        const t1 = this.popAny();
        const t2 = this.popAny();
        if ((t1 !== UNKNOWN && isRefType(t1)) || (t2 !== UNKNOWN && isRefType(t2))) {
          throw this.err('type mismatch: select without a type needs numeric operands');
        }
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) throw this.err(`type mismatch: select of ${typeName(t1)} and ${typeName(t2)}`);
        this.push(t1 === UNKNOWN ? t2 : t1);
        return;
      }
      case Op.SelectTyped: {
        if (ins.selectTypes.length !== 1) throw this.err('invalid result arity for select');
        const t = ins.selectTypes[0]!;
        this.pop(ValType.I32);
        this.pop(t);
        this.pop(t);
        this.push(t);
        return;
      }
      case Op.LocalGet: this.push(this.localType(ins.index)); return;
      case Op.LocalSet: this.pop(this.localType(ins.index)); return;
      case Op.LocalTee: {
        const t = this.localType(ins.index);
        this.pop(t);
        this.push(t);
        return;
      }
      case Op.GlobalGet: {
        const g = this.m.globalTypes[ins.index];
        if (!g) throw this.err(`unknown global ${ins.index}`);
        this.push(g.valType);
        return;
      }
      case Op.GlobalSet: {
        const g = this.m.globalTypes[ins.index];
        if (!g) throw this.err(`unknown global ${ins.index}`);
        if (!g.mutable) throw this.err(`global is immutable: global.set ${ins.index}`);
        this.pop(g.valType);
        return;
      }
      case Op.TableGet: {
        const t = this.table(ins.index);
        this.pop(ValType.I32);
        this.push(t);
        return;
      }
      case Op.TableSet: {
        const t = this.table(ins.index);
        this.pop(t);
        this.pop(ValType.I32);
        return;
      }
      case Op.TableGrow: {
        const t = this.table(ins.index);
        this.pop(ValType.I32);
        this.pop(t);
        this.push(ValType.I32);
        return;
      }
      case Op.TableSize: this.table(ins.index); this.push(ValType.I32); return;
      case Op.TableFill: {
        const t = this.table(ins.index);
        this.pop(ValType.I32);
        this.pop(t);
        this.pop(ValType.I32);
        return;
      }
      case Op.TableCopy: {
        const dst = this.table(ins.index);
        const src = this.table(ins.index2);
        if (dst !== src) throw this.err(`type mismatch: table.copy from ${valTypeName(src)} to ${valTypeName(dst)}`);
        break;
      }
      case Op.TableInit: {
        const et = this.elemSegment(ins.index);
        const tt = this.table(ins.index2);
        if (et !== tt) throw this.err(`type mismatch: table.init of ${valTypeName(et)} segment into ${valTypeName(tt)} table`);
        break;
      }
      case Op.ElemDrop: this.elemSegment(ins.index); return;
      case Op.MemorySize: case Op.MemoryGrow: case Op.MemoryCopy: case Op.MemoryFill:
        this.memory();
        break;
      case Op.MemoryInit:
        this.memory();
        this.dataSegment(ins.index);
        break;
      case Op.DataDrop: this.dataSegment(ins.index); return;
      case Op.RefNull: this.push(ins.refType); return;
      case Op.RefIsNull: {
        const t = this.popAny();
        if (t !== UNKNOWN && !isRefType(t)) throw this.err(`type mismatch: ref.is_null of ${typeName(t)}`);
        this.push(ValType.I32);
        return;
      }
      case Op.RefFunc:
        this.funcType(ins.index);
        if (!this.m.declaredFuncRefs.has(ins.index)) throw this.err(`undeclared function reference ${ins.index}`);
        this.push(ValType.FuncRef);
        return;
      default:
        break;
    }
    const sig = code < 0x100 ? SIG_BY_BYTE[code] : SIGS.get(code);
    if (sig === undefined) throw this.err(`no validation rule for ${opcodeName(code)}`);
    if (code < 0x100) {
      const natural = NATURAL_ALIGN[code]!;
      if (natural >= 0) {
        this.memory();
        if (ins.memAlign > natural) throw this.err(`alignment must not be larger than natural (${opcodeName(code)})`);
      }
    }
    this.popVals(sig[0]);
    this.pushVals(sig[1]);
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
