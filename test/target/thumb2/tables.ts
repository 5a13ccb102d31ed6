/** Every golden table, for the test and the generator. */
import type { Table } from './golden.js';
import { table as dp } from './table-dp.js';

export const TABLES: readonly Table[] = [dp];
