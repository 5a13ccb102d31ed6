/**
 * --enable-dump-call-stack (docs/abi.md §11): each function and import thunk pushes a frame record
 * { prev, func } right after the registers it saves, and links it into exec_env->frames for as long as it runs,
 * so the runtime can list the Wasm call stack at a trap, exact through runtime helpers, host functions and calls
 * back in. Shared by the emitter (opt/) and the thunks, which count the record's 8 bytes with their saved registers.
 * Code built without the flag emits none of this.
 */
import { EnvOffset, FRAME_RECORD_SIZE, FrameRecordOffset } from '../../abi.js';
import { InternalError } from '../../errors.js';
import { regList } from './enc/mem.js';
import type { Masm } from './masm.js';
import type { Reg } from './regs.js';

const SP = 13;
const IP = 12 as Reg;
const LR = 14 as Reg;

export { FRAME_RECORD_SIZE };

/**
 * After lr is saved: PUSH {ip, lr} with ip = env->frames and lr = func (the record: PUSH stores the lower register
 * at the lower address), then env->frames = sp. Four instructions; clobbers r12 and lr.
 */
export function pushFrameRecord(m: Masm, env: number, func: number): void {
  if (env === IP || env === LR || env === SP) throw new InternalError(`frame record: exec_env in r${env}`);
  if (FrameRecordOffset.prev !== 0 || FrameRecordOffset.func !== 4 || FRAME_RECORD_SIZE !== 8) throw new InternalError('frame record layout');
  m.load('w', IP, env, EnvOffset.frames);
  m.mov32(LR, func);
  m.a.push(regList(IP, LR));
  m.store('w', SP, env, EnvOffset.frames);
}

/** Before the frame is freed: env->frames = record.prev, with the record at frame offset `at`. Clobbers r12. */
export function unlinkFrameRecord(m: Masm, env: number, at: number): void {
  if (env === IP || env === SP) throw new InternalError(`frame record: exec_env in r${env}`);
  m.load('w', IP, SP, at + FrameRecordOffset.prev);
  m.store('w', IP, env, EnvOffset.frames);
}
