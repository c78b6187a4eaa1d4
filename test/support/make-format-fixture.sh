#!/usr/bin/env bash
# Makes the stored-format fixture of a release: test/fixtures/format-<ref>/{campaign.db,fixture.json}.
#   bash test/support/make-format-fixture.sh 7967bde
# Builds <ref> in a temporary git worktree (node_modules copied from here), runs this tree's
# make-format-fixture.ts (and the harness it imports) there, and keeps the result here.
set -euo pipefail
ref="${1:?usage: make-format-fixture.sh <git ref>}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'git -C "$here" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$here" worktree add --detach "$work/tree" "$ref" >/dev/null
cp -a "$here/node_modules" "$work/tree/"
cp "$here/test/support/make-format-fixture.ts" "$here/test/support/campaign-harness.ts" "$work/tree/test/support/"
(cd "$work/tree" && npx tsc -b)
out="$here/test/fixtures/format-$ref"
mkdir -p "$out"
(cd "$work/tree" && npx tsx test/support/make-format-fixture.ts "$out")
ls -l "$out"
