#!/usr/bin/env node
// The `tandem` command. Tandem's sources are TypeScript run directly by Node's type
// stripping, so it needs Node 22.18 or newer (the project pins Node 24 for npm scripts).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`tandem: needs Node 22.18 or newer (this is ${process.version}); run it as "npm run tandem -- …" to use the project's Node 24.`);
  process.exit(2);
}
await import('../src/cli/main.ts');
