#!/usr/bin/env node
// Thin committed launcher so the npm bin link exists before the first build.
await import("../dist/bin.js");
