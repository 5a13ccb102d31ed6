#!/usr/bin/env node
import { exitQuietlyOnClosedOutput } from '../dist/src/cli/io.js';
import { main } from '../dist/src/cli/main.js';
exitQuietlyOnClosedOutput();
process.exitCode = await main(process.argv.slice(2));
