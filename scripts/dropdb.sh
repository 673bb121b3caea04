#!/usr/bin/env bash
# Drop a database made by `make run` (and forget its addon hash).
set -euo pipefail
source "$(dirname "$0")/env.sh"
drop_db "$1"
rm -f "$STATE/$1.addon-hash" "$STATE/$1.install.log"
rm -rf "$STATE/data/filestore/$1"
