/** Every RV32 golden table, for the test and the generator. */
import type { Table } from './golden.js';
import { table as base } from './table-base.js';
import { table as float } from './table-float.js';
import { table as compressed } from './table-compressed.js';
import { table as auto } from './table-auto.js';

export const TABLES: readonly Table[] = [base, float, compressed, auto];
