#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows) with actionlint.
#
#   bash tools/ci/actionlint.sh [extra actionlint flags...]
#
# actionlint is installed once from the Go module proxy (needs `go`) into
# ${XDG_CACHE_HOME:-~/.cache}/directory/actionlint-<version>/, outside the repository, and reused.
# Its shellcheck integration (which checks `run:` scripts) is off unless
# DIRECTORY_ACTIONLINT_SHELLCHECK=1, so the verdict does not depend on whether the machine
# happens to have shellcheck; with it set, shellcheck must be on PATH. pyflakes is always off.
set -euo pipefail
cd "$(dirname "$0")/../.."

ACTIONLINT_VERSION=1.7.12
dir="${XDG_CACHE_HOME:-$HOME/.cache}/directory/actionlint-$ACTIONLINT_VERSION"
bin="$dir/actionlint"

if [ ! -x "$bin" ]; then
  command -v go >/dev/null || {
    echo "actionlint.sh: \`go\` is required to install actionlint v$ACTIONLINT_VERSION into $dir" >&2
    exit 2
  }
  echo "actionlint.sh: installing actionlint v$ACTIONLINT_VERSION into $dir" >&2
  mkdir -p "$dir"
  # Install into a private directory and rename, so a parallel run never sees half a binary.
  tmp="$(mktemp -d "$dir/.install-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  mv -f "$tmp/actionlint" "$bin"
  rm -rf "$tmp"
  trap - EXIT
fi

shellcheck_flag=(-shellcheck=)
if [ "${DIRECTORY_ACTIONLINT_SHELLCHECK:-0}" = 1 ]; then
  shellcheck="$(command -v shellcheck)" || {
    echo "actionlint.sh: DIRECTORY_ACTIONLINT_SHELLCHECK=1 but shellcheck is not on PATH" >&2
    exit 2
  }
  shellcheck_flag=(-shellcheck="$shellcheck")
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "actionlint.sh: no workflow files in .github/workflows" >&2
  exit 2
fi

echo "actionlint v$ACTIONLINT_VERSION: ${workflows[*]}" >&2
exec "$bin" "${shellcheck_flag[@]}" -pyflakes= "$@" "${workflows[@]}"
