export * from './catalogue.js';
export * from './cpu.js';
export * from './policy.js';
export * from './options.js';
export * from './symbols-header.js';
export * from './usage.js';
