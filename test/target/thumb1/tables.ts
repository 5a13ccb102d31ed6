/** Every ARMv6-M golden table, for the test and the generator. */
import type { Table } from '../thumb2/golden.js';
import { table as dp } from './table-dp.js';
import { table as mem } from './table-mem.js';
import { table as branch } from './table-branch.js';

export const TABLES: readonly Table[] = [dp, mem, branch];
