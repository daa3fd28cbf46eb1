#!/bin/sh
# Runs one service of the image: APP=auth-api|users-api|admin-analytics.
# `entrypoint.sh sync-indexes` builds the declared indexes (production runs with AUTO_INDEX off).
set -e
case "${1:-}" in
  sync-indexes) exec node dist/tools/sync-indexes.js ;;
esac
case "$APP" in
  auth-api|users-api|admin-analytics) exec node "dist/apps/$APP/main.js" ;;
  *) echo "APP must be auth-api, users-api or admin-analytics (got '${APP:-}')" >&2; exit 1 ;;
esac
