#!/usr/bin/env bash
# Assembles a minimal Node.js base image from the Node runtime installed on THIS machine, for building
# app/Dockerfile where no registry image (docker.io/library/node:24-slim) can be pulled:
#
#   scripts/node-base-image.sh IMAGE [buildah global options...]
#   scripts/node-base-image.sh localhost/node-base:host --root /tmp/s/root --runroot /tmp/s/run --storage-driver vfs
#
# The image holds, at their host paths: `node` and the shared libraries `ldd` lists for it, npm (and npx),
# `/bin/sh` (dash, for RUN and npm's lifecycle scripts), `/usr/bin/env` (for `#!/usr/bin/env node`), a root-only /etc/passwd and /etc/group, /tmp and /root.
# Nothing else: no compiler, no package manager, no CA bundle (node carries its own; see NODE_EXTRA_CA_CERTS).
#
# Native addons (argon2 and sqlite3, both N-API) cannot be compiled in this image (no python3, make, g++), so
# the binaries this checkout's `npm ci` produced (built against the same node headers, glibc and libstdc++
# copied here) go into /opt/prebuilds, where each package's own loader is told to look:
# - sqlite3 downloads its prebuild from GitHub at install time (not reachable here) and falls back to
#   compiling. Its binary is packed under the name prebuild-install looks for, and
#   `npm_config_sqlite3_local_prebuilds=/opt/prebuilds` (prebuild-install's local-prebuild directory, used
#   before any download) installs it into node_modules/sqlite3/build/Release.
# - argon2 ships prebuilds in its npm tarball, loaded by node-gyp-build. When this checkout compiled argon2
#   from source instead (on the development VM the shipped linux-x64 prebuild crashes in dlopen), the
#   compiled binary is copied to /opt/prebuilds/argon2/build/Release and `ARGON2_PREBUILD=/opt/prebuilds/argon2`
#   (node-gyp-build's per-package override) makes both argon2's install check and the service load it.
# Images built FROM this base inherit those variables and files. The image is for local builds and tests
# only; it is never pushed or committed.
set -euo pipefail

if [ "$#" -lt 1 ] || [ -z "$1" ]; then
  echo "usage: $0 IMAGE [buildah global options...]" >&2
  exit 2
fi
image="$1"
shift
buildah_opts=("$@")
b() { buildah "${buildah_opts[@]}" "$@"; }

repo="$(cd "$(dirname "$0")/.." && pwd)"
node_bin="$(readlink -f "$(command -v node)")"
npm_cli="$(readlink -f "$(command -v npm)")"
# npm-cli.js lives in <npm root>/bin/
npm_root="$(dirname "$(dirname "$npm_cli")")"
sh_bin="$(readlink -f /bin/sh)"

work="$(mktemp -d)"
container=""
cleanup() {
  if [ -n "$container" ]; then b rm "$container" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
rootfs="$work/rootfs"

# Merged /usr, as in Debian 12: /bin, /lib and /lib64 are links into /usr.
mkdir -p "$rootfs/usr/bin" "$rootfs/usr/lib" "$rootfs/usr/lib64" "$rootfs/etc" "$rootfs/opt/prebuilds"
ln -s usr/bin "$rootfs/bin"
ln -s usr/lib "$rootfs/lib"
ln -s usr/lib64 "$rootfs/lib64"
install -d -m 1777 "$rootfs/tmp"
install -d -m 0700 "$rootfs/root"

# Copies a file (dereferenced) to the same path inside the rootfs.
put() {
  mkdir -p "$rootfs$(dirname "$1")"
  cp -L "$1" "$rootfs$1"
}

# Copies the shared libraries a binary needs (the paths ldd resolves them to, and the dynamic loader).
put_libs() {
  ldd "$1" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(/ { print $1 }' | while read -r lib; do
    [ -e "$rootfs$lib" ] || put "$lib"
  done
}

put "$node_bin"
[ "$node_bin" = /usr/bin/node ] || ln -s "$node_bin" "$rootfs/usr/bin/node"
put_libs "$node_bin"

cp "$sh_bin" "$rootfs/usr/bin/sh"
put_libs "$sh_bin"
# npm, npx and the bin scripts of packages (node-gyp-build, prebuild-install ...) start with #!/usr/bin/env node
put /usr/bin/env
put_libs /usr/bin/env

mkdir -p "$rootfs/usr/lib/node_modules"
cp -a "$npm_root" "$rootfs/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/bin/npx"

# A host that reaches the npm registry through a TLS-inspecting proxy trusts its CA with
# NODE_EXTRA_CA_CERTS: the image gets the same file and variable, so npm inside behaves as on the host.
extra_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  put "$NODE_EXTRA_CA_CERTS"
  extra_ca=(--env "NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS")
fi

printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"

# The sqlite3 prebuild (see above), named as prebuild-install names an N-API addon:
# {name}-v{version}-napi-v{highest N-API version the package builds for}-linux-x64.tar.gz (glibc adds no libc tag).
sqlite_dir="$(cd "$repo/app" && node -p "require('node:path').dirname(require.resolve('sqlite3/package.json'))")"
sqlite_addon="$sqlite_dir/build/Release/node_sqlite3.node"
if [ ! -f "$sqlite_addon" ]; then
  echo "$0: $sqlite_addon is missing: run npm ci in $repo first" >&2
  exit 1
fi
put_libs "$sqlite_addon"
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
prebuild_name="$(node -e '
  const pkg = require(process.argv[1]);
  const napi = Math.max(...pkg.binary.napi_versions);
  console.log(`${pkg.name}-v${pkg.version}-napi-v${napi}-${process.platform}-${process.arch}.tar.gz`);
' "$sqlite_dir/package.json")"
tar -czf "$rootfs/opt/prebuilds/$prebuild_name" -C "$sqlite_dir" build/Release/node_sqlite3.node

argon2_env=()
argon2_dir="$(cd "$repo/app" && node -p "require('node:path').dirname(require.resolve('argon2'))")"
if [ -f "$argon2_dir/build/Release/argon2.node" ]; then
  put_libs "$argon2_dir/build/Release/argon2.node"
  mkdir -p "$rootfs/opt/prebuilds/argon2/build/Release"
  cp "$argon2_dir/build/Release/argon2.node" "$rootfs/opt/prebuilds/argon2/build/Release/"
  argon2_env=(--env ARGON2_PREBUILD=/opt/prebuilds/argon2)
fi

container="$(b from --quiet scratch)"
b copy --quiet "$container" "$rootfs/" / >/dev/null
b config \
  --env PATH=/usr/local/bin:/usr/bin:/bin \
  --env HOME=/root \
  --env npm_config_sqlite3_local_prebuilds=/opt/prebuilds \
  "${extra_ca[@]}" \
  "${argon2_env[@]}" \
  --label org.opencontainers.image.description="node $(node --version) from $(hostname) with npm and sh (local test base)" \
  --cmd node \
  "$container"
b commit --quiet --rm "$container" "$image" >/dev/null
container=""
echo "$image: node $(node --version), npm $(npm --version), sqlite3 prebuild $prebuild_name${argon2_env[*]:+, ${argon2_env[*]}}"
