/** Every golden table, for the test and the generator. */
import type { Table } from './golden.js';
import { table as dp } from './table-dp.js';
import { table as mem } from './table-mem.js';
import { table as branch } from './table-branch.js';
import { table as adr } from './table-adr.js';
import { table as vfp } from './table-vfp.js';
import { table as v81m } from './table-v81m.js';

export const TABLES: readonly Table[] = [dp, mem, branch, adr, vfp, v81m];
