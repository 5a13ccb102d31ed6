#!/usr/bin/env node
import module from 'node:module';
// Node 22.1 and later keep the compiled bytecode of the modules below between runs (startup is a visible share
// of a compile: docs/performance.md); older Node has no such cache, and this line does nothing there.
module.enableCompileCache?.();
const { exitQuietlyOnClosedOutput } = await import('../dist/src/cli/io.js');
const { main } = await import('../dist/src/cli/main.js');
exitQuietlyOnClosedOutput();
process.exitCode = await main(process.argv.slice(2));
