#!/usr/bin/env node
// Entry point of `npx broadsheet …`: loads the TypeScript sources through tsx, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
