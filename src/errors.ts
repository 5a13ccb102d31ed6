/**
 * Every error the compiler reports is a CompileError with a byte offset into
 * the input (or -1 when no single position applies) and a one-line message.
 * The CLI prints `error: <message> (at offset 0x…)` without a stack trace.
 */
export type CompileErrorKind = 'decode' | 'validate' | 'unsupported' | 'usage' | 'internal';

export class CompileError extends Error {
  readonly kind: CompileErrorKind;
  readonly offset: number;
  /** The bare message without the offset suffix. */
  readonly detail: string;

  constructor(kind: CompileErrorKind, detail: string, offset: number) {
    super(offset >= 0 ? `${detail} (at offset 0x${offset.toString(16)})` : detail);
    this.name = 'CompileError';
    this.kind = kind;
    this.offset = offset;
    this.detail = detail;
  }
}

/** Malformed binary: truncated, bad LEB128, unknown section, ... */
export class DecodeError extends CompileError {
  constructor(detail: string, offset: number) {
    super('decode', detail, offset);
    this.name = 'DecodeError';
  }
}

/** Well-formed but invalid module (type errors, bad indices, ...). */
export class ValidationError extends CompileError {
  constructor(detail: string, offset: number) {
    super('validate', detail, offset);
    this.name = 'ValidationError';
  }
}

/** A proposal or feature we deliberately do not support (SIMD, threads, ...). */
export class UnsupportedError extends CompileError {
  constructor(detail: string, offset: number) {
    super('unsupported', detail, offset);
    this.name = 'UnsupportedError';
  }
}

/** Bad command-line or API usage (unknown intrinsic name, contradictory target/CPU, ...). */
export class UsageError extends CompileError {
  constructor(detail: string) {
    super('usage', detail, -1);
    this.name = 'UsageError';
  }
}

/** A bug in xipwasm itself. */
export class InternalError extends CompileError {
  constructor(detail: string, offset = -1) {
    super('internal', detail, offset);
    this.name = 'InternalError';
  }
}

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
