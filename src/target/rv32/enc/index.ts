export * from './common.js';
export * from './base.js';
export * from './float.js';
export * from './compressed.js';
