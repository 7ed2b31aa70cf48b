#!/usr/bin/env bash
# Pack what scripts/gpu-bench.sh needs on an offline GPU machine (no Node, no npm packages, maybe no
# Vulkan loader) into two ignored folders that travel with the working tree:
#
#   .device/node.xz          the local Node binary (x86-64), xz -9
#   .device/nm.tar.xz        a trimmed node_modules: exactly what `ising bench` / `ising compare` load
#   .device/libstdcxx.tar.xz libstdc++.so.6 of this machine, used by gpu-bench.sh only when the
#                            remote one is too old for dawn.node (GLIBCXX_3.4.30)
#   .gl/libvulkan1_*.deb     the Vulkan loader (Debian bookworm), downloaded once
#   .gl/vulkan-loader.tar.gz the same files as a plain tarball, for a machine without dpkg
#
# Idempotent: run it again after `npm ci` or a Node upgrade. The trimmed tree is checked by running
# the CLI from a scratch copy of the project with the packed Node.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEV=$ROOT/.device
GL=$ROOT/.gl
mkdir -p "$DEV" "$GL"

say() { echo "[pack-device] $*"; }
die() { echo "[pack-device] ERROR: $*" >&2; exit 1; }

for p in .device .gl; do
  git check-ignore -q "$p" || die "$p is not ignored by git (add /$p/ to .git/info/exclude)"
done
[[ $(uname -m) == x86_64 ]] || die "this packs x86-64 binaries; run it on an x86-64 machine"

# --- 1. Node ---------------------------------------------------------------------------------------
NODE_SRC=$(readlink -f "$(command -v node)")
file -L "$NODE_SRC" | grep -q 'ELF 64-bit.*x86-64' || die "$NODE_SRC is not an x86-64 ELF binary"
if ldd "$NODE_SRC" | grep -q libnode; then die "$NODE_SRC is linked to a shared libnode: not portable"; fi
stamp="$(sha256sum "$NODE_SRC" | cut -d' ' -f1) $("$NODE_SRC" --version)"
if [[ -f $DEV/node.xz && -f $DEV/node.stamp && $(cat "$DEV/node.stamp") == "$stamp" ]] && xz -t "$DEV/node.xz"; then
  say "node.xz up to date ($stamp)"
else
  say "compressing $NODE_SRC ($("$NODE_SRC" --version)) -> .device/node.xz"
  xz -9 -T2 -c "$NODE_SRC" >"$DEV/node.xz.tmp"
  mv -f "$DEV/node.xz.tmp" "$DEV/node.xz"
  echo "$stamp" >"$DEV/node.stamp"
fi

# --- 2. Trimmed node_modules -------------------------------------------------------------------------
# Runtime imports: bin/ising.js -> tsx/esm/api -> esbuild -> @esbuild/linux-x64 (native binary);
# src/gpu/node.ts -> webgpu (dist/linux-x64/dawn.node). webgpu declares debug (-> ms) as a
# dependency, kept for npm's sake. @sparticuz/chromium (SwiftShader) is left out on purpose.
PKGS=(webgpu debug ms tsx esbuild @esbuild/linux-x64)
for p in "${PKGS[@]}"; do [[ -f node_modules/$p/package.json ]] || die "node_modules/$p missing: run npm ci"; done
excl=()
for d in node_modules/webgpu/dist/*; do
  [[ $(basename "$d") == linux-x64 ]] || excl+=(--exclude="$d")
done
say "packing node_modules: ${PKGS[*]} (webgpu: dist/linux-x64 only)"
tar -C "$ROOT" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00Z' \
  "${excl[@]}" -cf - "${PKGS[@]/#/node_modules/}" | xz -9 -T2 >"$DEV/nm.tar.xz.tmp"
mv -f "$DEV/nm.tar.xz.tmp" "$DEV/nm.tar.xz"

# --- 3. libstdc++ fallback for dawn.node -------------------------------------------------------------
LIBSTDCXX=$(readlink -f "$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')")
[[ -f $LIBSTDCXX ]] || die "libstdc++.so.6 not found"
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
cp "$LIBSTDCXX" "$tmpd/libstdc++.so.6"
tar -C "$tmpd" --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00Z' -cf - libstdc++.so.6 |
  xz -9 -T2 >"$DEV/libstdcxx.tar.xz"
rm -f "$tmpd/libstdc++.so.6"

# --- 4. Vulkan loader -------------------------------------------------------------------------------
if ! ls "$GL"/libvulkan1_*_amd64.deb >/dev/null 2>&1; then
  say "downloading libvulkan1 (Debian, amd64)"
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update >/dev/null
  # shellcheck disable=SC2086
  (cd "$GL" && apt-get $o download libvulkan1)
fi
debs=("$GL"/libvulkan1_*_amd64.deb)
[[ ${#debs[@]} -eq 1 ]] || die "expected one libvulkan1 deb in .gl, found: ${debs[*]}"
mkdir -p "$tmpd/glroot"
dpkg -x "${debs[0]}" "$tmpd/glroot"
tar -C "$tmpd/glroot" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00Z' \
  -czf "$GL/vulkan-loader.tar.gz" usr/lib
ls "$tmpd"/glroot/usr/lib/x86_64-linux-gnu/libvulkan.so.1 >/dev/null

# --- 5. Check the trimmed tree: packed Node + trimmed node_modules + a copy of the project ------------
say "checking the packed tree in a scratch copy"
chk=$tmpd/check
mkdir -p "$chk/proj" "$chk/bin"
xz -dc "$DEV/node.xz" >"$chk/bin/node"
chmod +x "$chk/bin/node"
xz -dc "$DEV/nm.tar.xz" | tar -C "$chk/proj" -xf -
cp -a src bin shaders package.json "$chk/proj/"
(
  cd "$chk/proj"
  unset NODE_PATH NODE_OPTIONS
  export PATH="$chk/bin:/usr/bin:/bin"
  [[ $(command -v node) == "$chk/bin/node" ]] || die "packed node is not first on PATH"
  node --version
  node bin/ising.js exact --L 4 --T 2 --json >"$chk/exact.json"
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!Object.keys(r).length) process.exit(1); console.log("exact ok:", JSON.stringify(r).slice(0, 120))' "$chk/exact.json"
  # The native addon loads from the trimmed tree (no GPU needed for this).
  node --input-type=module -e 'const m = await import("webgpu"); if (typeof m.create !== "function") process.exit(1); console.log("webgpu ok: dawn.node loaded")'
  # Anything resolved outside the scratch copy would mean a missing package.
  node --input-type=module -e '
    import { createRequire } from "node:module";
    const req = createRequire(process.cwd() + "/package.json");
    for (const p of ["webgpu", "tsx/esm/api", "esbuild", "@esbuild/linux-x64/bin/esbuild", "debug"]) {
      const f = req.resolve(p);
      if (!f.startsWith(process.cwd())) { console.error("resolved outside:", p, f); process.exit(1); }
    }
    console.log("resolution ok");'
  ! node -e 'require.resolve("@sparticuz/chromium")' 2>/dev/null || die "@sparticuz/chromium should not be packed"
) || die "the packed tree does not run the CLI"

say "packages in nm.tar.xz:"
xz -dc "$DEV/nm.tar.xz" | tar -tf - | grep -E '^node_modules/(@[^/]+/)?[^/@]+/package\.json$' | sed 's|^node_modules/||; s|/package.json$||' |
  while read -r p; do echo "  $p@$(node -p "require('./node_modules/$p/package.json').version")"; done
say "sizes:"
ls -l "$DEV" "$GL" | sed 's/^/  /'
du -cb "$DEV" "$GL" | awk '{printf "  %-40s %6.2f MiB\n", $2, $1/1048576}'
total=$(du -cb "$DEV" "$GL" | awk 'END {print $1}')
((total < 60 * 1048576)) || die "total $((total / 1048576)) MiB is over 60 MiB"
say "done"
