export * from './common.js';
export * from './dp.js';
export * from './mem.js';
export * from './branch.js';
export * from './vfp.js';
export * from './v81m.js';
