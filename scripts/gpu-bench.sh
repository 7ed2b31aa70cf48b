#!/usr/bin/env bash
# Benchmark + GPU-vs-CPU identity check on an offline Linux x86-64 GPU machine that has no Node, no
# npm packages and maybe no Vulkan loader. Needs the folders made by scripts/pack-device.sh:
# .device/ (node.xz, nm.tar.xz, libstdcxx.tar.xz) and .gl/ (libvulkan1 deb + tarball).
# Run from anywhere (it cd's to the repo root); outputs go to $OUT:
#   env.txt        machine, driver, Node, Vulkan setup
#   bench.json     `ising bench --json $BENCH_ARGS` (stderr in bench.log)
#                  (kernel rows with the ops-per-flip model, and the tempering rows: by default
#                  L = 16,32,64,128, K = 32, chains 8,32,128 on a GPU, kernels checkerboard-u32 and resident;
#                  set --temper-L/-K/-chains/-kernels in BENCH_ARGS to change them)
#   compare.jsonl  `ising compare --kernel K --L $COMPARE_L --sweeps $COMPARE_SWEEPS --json`, one line per
#                  kernel in $COMPARE_KERNELS (resident at L = $COMPARE_RESIDENT_L: its lattice must fit
#                  in workgroup memory) (stderr of these and of the physics checks in compare.log)
#   physics.jsonl  `ising run --L 16 --T 2.5 --replicas 16 …` (kernel auto: resident) and `ising exact --L 16
#                  --T 2.5`, one line each; temper.json: `ising temper --L 16 --K 16 --kernel resident` (Kaufman)
#   summary.txt    the table printed at the end
#   vulkan-debug.log  only when the bench fails or picks the wrong adapter
#
# Environment (all optional):
#   OUT=/tmp/out  ISING_ADAPTER=hardware|software|auto (default hardware)  BENCH_ARGS='--L 256,1024 ...'
#   (add --weights N,P,R to BENCH_ARGS for the perceptron sampler, e.g. --weights 1001,2002,4096)
#   COMPARE_L=1024  COMPARE_RESIDENT_L=128  COMPARE_SWEEPS=50  NV_ICD=<nvidia_icd.json>  VK_ICD_FILENAMES / VK_DRIVER_FILES (override)
#   NODE_DIR=/tmp/node-bin  GL_ROOT=/ (where the Vulkan loader deb is unpacked when the system lacks one)
#   TOTAL_S=470 (overall time budget; each step's timeout is cut to what is left)
#   T_BENCH=300 T_COMPARE=150 (per-step caps)  ISING_SWIFTSHADER_DIR (software mode only)
# Next device session (issue 11): BENCH_ARGS='--L 1024,4096,16384 --repeats 3 --min-seconds 0.3
#   --temper-kernels checkerboard-u32,msc-1bit,msc-planes,resident' BENCH2_ARGS='--L 256,1024 --replicas 16
#   --repeats 3 --min-seconds 0.3 --temper-kernels none'.
# Rehearse here on SwiftShader: bash scripts/pack-device.sh, then ISING_ADAPTER=software TOTAL_S=900
#   BENCH_ARGS='--L 64 --repeats 1 --min-seconds 0.1 --temper-L 16 --temper-K 4 --temper-chains 2' COMPARE_L=64
#   COMPARE_RESIDENT_L=16 COMPARE_SWEEPS=5 PHYSICS_SWEEPS=2000 bash scripts/gpu-bench.sh
# Exit code: 0 bench ok on the expected adapter and compare identical; 1 setup or bench failure or
# wrong adapter; 4 compare not identical or failed (all outputs and the summary are still written).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$SECONDS
DEADLINE=$((START + ${TOTAL_S:-470}))

OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export ISING_ADAPTER=${ISING_ADAPTER:-hardware}
export ISING_DEBUG=${ISING_DEBUG:-1} # [gpu] lines in bench.log: which driver and loader were used
NODE_DIR=${NODE_DIR:-/tmp/node-bin}
GL_ROOT=${GL_ROOT:-/}
BENCH_ARGS=${BENCH_ARGS:-}
COMPARE_L=${COMPARE_L:-1024}
COMPARE_RESIDENT_L=${COMPARE_RESIDENT_L:-128}
PHYSICS_SWEEPS=${PHYSICS_SWEEPS:-20000}
COMPARE_SWEEPS=${COMPARE_SWEEPS:-50}
NV_ICD=${NV_ICD:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
T_BENCH=${T_BENCH:-300}
T_COMPARE=${T_COMPARE:-150}

say() { printf '[gpu-bench %4ds] %s\n' $((SECONDS - START)) "$*"; }
die() {
  printf '\n[gpu-bench] ************************************************************\n' >&2
  printf '[gpu-bench] ERROR: %s\n' "$*" >&2
  printf '[gpu-bench] ************************************************************\n' >&2
  exit 1
}
# Timeout for a step: its cap, cut to the time left in the overall budget (at least 10 s).
tmo() {
  local left=$((DEADLINE - SECONDS))
  ((left < 10)) && left=10
  echo $(($1 < left ? $1 : left))
}
# xz -dc, with fallbacks for machines without xz-utils.
xzcat_any() {
  if command -v xz >/dev/null 2>&1; then xz -dc -- "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  elif command -v busybox >/dev/null 2>&1; then busybox xz -dc "$1"
  else echo "no xz, python3 or busybox to decompress $1" >&2; return 1
  fi
}
export -f xzcat_any
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
have_vulkan_loader() { "$LDCONFIG" -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; }
# The NVIDIA Vulkan driver (libGLX_nvidia) also needs glvnd's libGLdispatch: without it the loader
# finds the ICD but gets no vkCreateInstance from it.
have_glvnd() { "$LDCONFIG" -p 2>/dev/null | grep -q 'libGLdispatch\.so\.0 '; }
prepend_ld_path() { export LD_LIBRARY_PATH="$1${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; }

say "repo $ROOT, output $OUT, ISING_ADAPTER=$ISING_ADAPTER, budget $((DEADLINE - SECONDS)) s"
[[ $(uname -m) == x86_64 ]] || die "the packed Node and dawn.node are x86-64; this machine is $(uname -m)"
for f in .device/node.xz .device/nm.tar.xz; do
  [[ -f $f ]] || die "$f missing: run scripts/pack-device.sh and carry .device (and .gl)"
done

# --- Node ------------------------------------------------------------------------------------------
say "unpacking Node into $NODE_DIR"
mkdir -p "$NODE_DIR"
timeout -k 5 "$(tmo 90)" bash -c 'xzcat_any "$1" >"$2"' _ .device/node.xz "$NODE_DIR/node.tmp" ||
  die "could not unpack .device/node.xz"
chmod +x "$NODE_DIR/node.tmp"
mv -f "$NODE_DIR/node.tmp" "$NODE_DIR/node"
export PATH="$NODE_DIR:$PATH"
[[ $(command -v node) == "$NODE_DIR/node" ]] || die "node on PATH is $(command -v node), not $NODE_DIR/node"
unset NODE_PATH NODE_OPTIONS
node --version >/dev/null || die "the packed Node does not run here (glibc >= 2.28 needed): $(node --version 2>&1 | head -3)"

# --- node_modules ----------------------------------------------------------------------------------
need=(node_modules/tsx/package.json node_modules/esbuild/lib/main.js node_modules/@esbuild/linux-x64/bin/esbuild
  node_modules/webgpu/index.js node_modules/webgpu/dist/linux-x64/dawn.node)
missing=0
for f in "${need[@]}"; do [[ -e $f ]] || missing=1; done
if [[ ! -d node_modules ]]; then
  say "unpacking .device/nm.tar.xz into ./node_modules"
  rm -rf .nm.tmp && mkdir .nm.tmp
  timeout -k 5 "$(tmo 90)" bash -c 'set -o pipefail; xzcat_any .device/nm.tar.xz | tar -C .nm.tmp -xf -' ||
    die "could not unpack .device/nm.tar.xz"
  mv .nm.tmp/node_modules node_modules && rmdir .nm.tmp
elif ((missing)); then
  say "node_modules exists but lacks runtime files: unpacking .device/nm.tar.xz over it"
  timeout -k 5 "$(tmo 90)" bash -c 'set -o pipefail; xzcat_any .device/nm.tar.xz | tar -xf -' ||
    die "could not unpack .device/nm.tar.xz"
else
  say "node_modules present, not unpacked"
fi
for f in "${need[@]}"; do [[ -e $f ]] || die "$f missing after unpacking"; done

# dawn.node needs GLIBCXX_3.4.30 (GCC 12) and glibc 2.34: use the packed libstdc++ if the system's is older.
dawn_check() { timeout -k 5 30 node -e 'require(process.argv[1])' "$ROOT/node_modules/webgpu/dist/linux-x64/dawn.node" 2>&1; }
if ! msg=$(dawn_check); then
  if grep -q 'GLIBCXX\|CXXABI' <<<"$msg" && [[ -f .device/libstdcxx.tar.xz ]]; then
    say "system libstdc++ too old for dawn.node; using the packed one"
    mkdir -p "$NODE_DIR/lib"
    bash -c 'set -o pipefail; xzcat_any .device/libstdcxx.tar.xz | tar -C "$1" -xf -' _ "$NODE_DIR/lib"
    prepend_ld_path "$NODE_DIR/lib"
    msg=$(dawn_check) || die "dawn.node does not load: $msg"
  else
    die "dawn.node does not load (needs glibc >= 2.34): $msg"
  fi
fi

# --- Vulkan loader ---------------------------------------------------------------------------------
if [[ -d .gl ]] && { ! have_vulkan_loader || ! have_glvnd; }; then
  say "no libvulkan.so.1 or libGLdispatch.so.0 in the ld cache: installing the packed loader and glvnd under $GL_ROOT"
  mkdir -p "$GL_ROOT"
  if command -v dpkg >/dev/null 2>&1 && compgen -G '.gl/*.deb' >/dev/null; then
    for f in .gl/*.deb; do timeout -k 5 "$(tmo 60)" dpkg -x "$f" "$GL_ROOT"; done
  elif [[ -f .gl/vulkan-loader.tar.gz ]]; then
    timeout -k 5 "$(tmo 60)" tar -C "$GL_ROOT" -xzf .gl/vulkan-loader.tar.gz
  else
    die "no dpkg and no .gl/vulkan-loader.tar.gz to install the Vulkan loader"
  fi
  if [[ $GL_ROOT == / ]]; then timeout -k 5 "$(tmo 60)" "$LDCONFIG" || true; fi
  if ! have_vulkan_loader; then
    lib=${GL_ROOT%/}/usr/lib/x86_64-linux-gnu
    [[ -e $lib/libvulkan.so.1 ]] || die "libvulkan.so.1 not found under $lib after unpacking"
    say "loader not in the ld cache: LD_LIBRARY_PATH += $lib"
    prepend_ld_path "$lib"
  fi
fi

# --- Vulkan driver (ICD) ---------------------------------------------------------------------------
if [[ -n ${VK_ICD_FILENAMES:-} || -n ${VK_DRIVER_FILES:-} ]]; then
  icds=${VK_ICD_FILENAMES:-$VK_DRIVER_FILES}
  export VK_ICD_FILENAMES=$icds VK_DRIVER_FILES=${VK_DRIVER_FILES:-$icds}
elif [[ -f $NV_ICD ]]; then
  export VK_ICD_FILENAMES=$NV_ICD VK_DRIVER_FILES=$NV_ICD
fi
# The NVIDIA container toolkit puts the driver libraries here, not always in the ld cache.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  if [[ -d $d && :${LD_LIBRARY_PATH:-}: != *:$d:* ]]; then export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"; fi
done
if [[ $ISING_ADAPTER == hardware && ! -f $NV_ICD && -z ${VK_ICD_FILENAMES:-} ]]; then
  say "WARNING: no NVIDIA ICD at $NV_ICD; ising looks for manifests in its usual folders"
fi

# --- env.txt ---------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "uname: $(uname -a)"
  [[ -f /etc/os-release ]] && echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "glibc: $(ldd --version 2>&1 | head -1)"
  echo "node: $(node --version) ($(command -v node))"
  echo "cpus: $(nproc)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "--- nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv"
    timeout -k 5 30 nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>&1 || echo "(nvidia-smi failed: $?)"
    echo "--- nvidia-smi --query-gpu=clocks.max.sm,clocks.max.mem,power.limit,persistence_mode,compute_mode --format=csv"
    timeout -k 5 30 nvidia-smi --query-gpu=clocks.max.sm,clocks.max.mem,power.limit,persistence_mode,compute_mode --format=csv 2>&1 || true
  else
    echo "nvidia-smi: not found"
  fi
  echo "--- environment"
  echo "ISING_ADAPTER=$ISING_ADAPTER"
  echo "BENCH_ARGS=$BENCH_ARGS"
  echo "COMPARE_L=$COMPARE_L COMPARE_SWEEPS=$COMPARE_SWEEPS"
  env | grep -E '^(VK_|NVIDIA_|LD_LIBRARY_PATH=|ISING_SWIFTSHADER_DIR=)' | sort || true
  echo "--- Vulkan loader"
  "$LDCONFIG" -p 2>/dev/null | grep -E 'libvulkan\.so|libGLX_nvidia|libnvidia-glvkspirv' || echo "(none in the ld cache)"
  echo "--- ICD manifests"
  for d in /usr/local/nvidia/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/share/vulkan/icd.d; do
    for f in "$d"/*.json; do [[ -f $f ]] && { echo "$f:"; sed 's/^/    /' "$f"; }; done
  done
  echo "--- source tree"
  echo "git: $(git rev-parse HEAD 2>/dev/null || echo n/a)"
  echo "sha256(src shaders bin package.json): $(find src shaders bin package.json -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
} >"$OUT/env.txt" 2>&1
say "environment recorded in $OUT/env.txt"
sed -n '/^--- nvidia-smi --query-gpu=name/,/^---/p' "$OUT/env.txt" | sed '1d;$d' | sed 's/^/    /'

# Rerun a tiny GPU command with the Vulkan loader's own logging, for a failure report.
vulkan_diag() {
  say "collecting Vulkan loader diagnostics in $OUT/vulkan-debug.log"
  VK_LOADER_DEBUG=error,warn,info,driver ISING_DEBUG=1 timeout -k 5 "$(tmo 60)" \
    node bin/ising.js compare --L 8 --sweeps 1 --json >"$OUT/vulkan-debug.log" 2>&1 || true
  tail -n 25 "$OUT/vulkan-debug.log" | sed 's/^/    /'
}

# --- bench -----------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # BENCH_ARGS is split into flags on purpose
say "bench: node bin/ising.js bench --json $BENCH_ARGS (timeout $(tmo "$T_BENCH") s)"
set +e
# shellcheck disable=SC2086
timeout -k 10 "$(tmo "$T_BENCH")" node bin/ising.js bench --json $BENCH_ARGS >"$OUT/bench.json" 2>"$OUT/bench.log"
rc=$?
set -e
sed 's/^/    /' "$OUT/bench.log" | tail -n 30
if ((rc != 0)); then
  ((rc == 124 || rc == 137)) && say "bench timed out"
  vulkan_diag
  die "bench failed with exit code $rc (log: $OUT/bench.log)"
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const want = process.argv[2];
  const name = `${r.adapter} (${r.adapter_description})`;
  console.log(`[gpu-bench] adapter: ${name}, software_adapter=${r.software_adapter}`);
  if (want === "hardware" && (!/nvidia/i.test(`${r.adapter} ${r.adapter_description}`) || r.software_adapter)) {
    console.error(`\n[gpu-bench] !!!!!!!!!! WRONG ADAPTER: asked for the NVIDIA GPU, bench ran on ${name} !!!!!!!!!!\n`);
    process.exit(1);
  }' "$OUT/bench.json" "$ISING_ADAPTER" || { vulkan_diag; die "bench did not run on the NVIDIA GPU (see $OUT/bench.json)"; }

# --- optional second bench (e.g. many replicas of small lattices) -----------------------------------
if [[ -n ${BENCH2_ARGS:-} ]]; then
  say "bench 2: node bin/ising.js bench --json $BENCH2_ARGS (timeout $(tmo "$T_BENCH") s)"
  set +e
  # shellcheck disable=SC2086
  timeout -k 10 "$(tmo "$T_BENCH")" node bin/ising.js bench --json --quiet $BENCH2_ARGS >"$OUT/bench2.json" 2>>"$OUT/bench.log"
  say "bench 2 exit code $?"
  set -e
fi

# --- compare (every kernel) and physics ---------------------------------------------------------------
COMPARE_KERNELS=${COMPARE_KERNELS:-checkerboard-u32 packed-u8 msc-4bit msc-1bit msc-planes resident}
: >"$OUT/compare.jsonl"
: >"$OUT/compare.log"
crc=0
verdicts=()
for k in $COMPARE_KERNELS; do
  cl=$COMPARE_L
  [[ $k == resident ]] && cl=$COMPARE_RESIDENT_L
  say "compare: --kernel $k --L $cl --sweeps $COMPARE_SWEEPS (timeout $(tmo "$T_COMPARE") s)"
  set +e
  timeout -k 10 "$(tmo "$T_COMPARE")" node bin/ising.js compare --kernel "$k" --L "$cl" --sweeps "$COMPARE_SWEEPS" --json \
    >>"$OUT/compare.jsonl" 2>>"$OUT/compare.log"
  rc=$?
  set -e
  case $rc in
    0) v=IDENTICAL ;;
    1) v="NOT IDENTICAL" ;;
    124 | 137) v="FAILED (timed out)" ;;
    *) v="FAILED (exit code $rc)" ;;
  esac
  ((rc == 0)) || crc=1
  verdicts+=("$k: $v")
  say "compare $k: $v"
done
verdict=$(printf '%s; ' "${verdicts[@]}")

# Monte Carlo against Kaufman on the GPU: e and c of a 16x16 torus at T = 2.5.
say "physics: run --L 16 --T 2.5 vs exact (timeout $(tmo 120) s)"
set +e
{
  timeout -k 10 "$(tmo 120)" node bin/ising.js run --L 16 --T 2.5 --replicas 16 --sweeps "$PHYSICS_SWEEPS" --thermalize 2000 --json --quiet
  node bin/ising.js exact --L 16 --T 2.5 --json
} >"$OUT/physics.jsonl" 2>>"$OUT/compare.log"
# Tempering with the resident kernel against Kaufman at every temperature of a 16x16 ladder.
say "physics: temper --L 16 --K 16 --kernel resident (timeout $(tmo 120) s)"
timeout -k 10 "$(tmo 120)" node bin/ising.js temper --L 16 --Tmin 1.8 --Tmax 3.0 --K 16 --sweeps "$PHYSICS_SWEEPS" \
  --thermalize 1000 --replicas-per-T 2 --kernel resident --json --quiet >"$OUT/temper.json" 2>>"$OUT/compare.log"
: >"$OUT/temper-exact.jsonl"
for T in $(node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).temperatures.join(" ")) } catch {}' "$OUT/temper.json"); do
  node bin/ising.js exact --L 16 --T "$T" --json >>"$OUT/temper-exact.jsonl" 2>>"$OUT/compare.log"
done
set -e

# --- summary ---------------------------------------------------------------------------------------
OUT_DIR=$OUT COMPARE_RESIDENT_L=$COMPARE_RESIDENT_L node -e '
  const fs = require("fs");
  const [benchFile, physicsFile, verdict, cl, cs] = process.argv.slice(1);
  const r = JSON.parse(fs.readFileSync(benchFile, "utf8"));
  const rows = [["kernel", "L", "replicas", "sweeps", "flips_per_ns", "gpu_ms", "wall_ms", "GB/s", "of_copy", "vs_u32", "ops/flip", "of_philox_ops"]];
  let r2 = { results: [] };
  try { r2 = JSON.parse(fs.readFileSync(process.env.OUT_DIR + "/bench2.json", "utf8")); } catch {}
  for (const x of [...(r.results ?? []), ...(r2.results ?? [])]) {
    if (x.skipped) { rows.push([x.kernel, x.L, x.replicas, "skipped", "", "", "", "", "", "", "", ""]); continue; }
    rows.push([x.kernel, x.L, x.replicas, x.sweeps, Number(x.flips_per_ns).toPrecision(5), x.gpu_ms == null ? "-" : Number(x.gpu_ms).toFixed(1),
      Number(x.wall_ms).toFixed(1), Number(x.gbytes_per_s).toPrecision(4), Number(x.fraction_of_copy_bandwidth).toFixed(3),
      x.speedup_vs_baseline == null ? "-" : Number(x.speedup_vs_baseline).toFixed(2),
      x.ops_per_flip ? Number(x.ops_per_flip.total).toFixed(1) : "-", x.fraction_of_philox_ops == null ? "-" : Number(x.fraction_of_philox_ops).toFixed(3)]);
  }
  const temperRows = [["tempering kernel", "L", "K", "chains", "lattices", "flips_per_ns", "vs_first"]];
  for (const x of (r.tempering?.rows ?? [])) {
    temperRows.push(x.skipped ? [x.kernel, x.L, x.K, x.chains, x.lattices, "skipped", ""]
      : [x.kernel, x.L, x.K, x.chains, x.lattices, Number(x.flips_per_ns).toPrecision(5), x.speedup_vs_first == null ? "-" : Number(x.speedup_vs_first).toFixed(2)]);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const lines = [`adapter: ${r.adapter} (${r.adapter_description}), software_adapter=${r.software_adapter}`];
  for (const row of rows) lines.push(row.map((v, i) => (i === 0 ? String(v).padEnd(w[i]) : String(v).padStart(w[i]))).join("  "));
  const tw = temperRows[0].map((_, i) => Math.max(...temperRows.map((row) => String(row[i]).length)));
  if (temperRows.length > 1) for (const row of temperRows) lines.push(row.map((v, i) => (i === 0 ? String(v).padEnd(tw[i]) : String(v).padStart(tw[i]))).join("  "));
  lines.push(`timing: ${r.timing}; copy ${Number(r.copy_gbytes_per_s).toPrecision(4)} GB/s (shader), ${Number(r.copy_buffer_gbytes_per_s).toPrecision(4)} GB/s (copyBufferToBuffer); Philox ${Number(r.philox_per_ns).toPrecision(4)} calls/ns`);
  if (r.cpu_reference) lines.push(`cpu reference L=${r.cpu_reference.L}: ${Number(r.cpu_reference.flips_per_ns).toPrecision(5)} flips/ns`);
  const pw = r.weights;
  if (pw) {
    const f = (x) => Number(x.weight_updates_per_ns).toPrecision(4);
    lines.push(`perceptron N=${pw.N} P=${pw.P} R=${pw.replicas} (wg ${pw.workgroup_size}): GPU ${f(pw.gpu)} weight updates/ns, with exchange ${f(pw.gpu_exchange)}, CPU ${f(pw.cpu_reference)}; GPU/CPU ${Number(pw.gpu_vs_cpu).toFixed(2)}`);
  }
  lines.push(`compare L=${cl} (resident L=${process.env.COMPARE_RESIDENT_L}) sweeps=${cs}: ${verdict}`);
  try {
    const [run, ex] = fs.readFileSync(physicsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    for (const k of ["e", "c"]) lines.push(`16x16 T=2.5 ${k}: MC ${run[k].mean.toPrecision(7)} +- ${run[k].err.toPrecision(2)} vs exact ${ex[k].toPrecision(7)} (${((run[k].mean - ex[k]) / run[k].err).toFixed(2)} sigma) on ${run.adapter}`);
  } catch (e) { lines.push(`physics check: ${e.message}`); }
  try {
    const t = JSON.parse(fs.readFileSync(process.env.OUT_DIR + "/temper.json", "utf8"));
    const ex = fs.readFileSync(process.env.OUT_DIR + "/temper-exact.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const worst = (k) => Math.max(...t.temperatures.map((_, i) => Math.abs((t[k][i].mean - ex[i][k]) / t[k][i].err)));
    lines.push(`temper 16x16 K=16 (${t.kernel}, ${t.seconds.toFixed(1)} s): worst |MC - exact|/err over the ladder: e ${worst("e").toFixed(2)}, c ${worst("c").toFixed(2)} sigma`);
  } catch (e) { lines.push(`temper check: ${e.message}`); }
  const text = lines.join("\n") + "\n";
  fs.writeFileSync(process.env.OUT_DIR + "/summary.txt", text);
  process.stdout.write("\n===== summary =====\n" + text);
' "$OUT/bench.json" "$OUT/physics.jsonl" "$verdict" "$COMPARE_L" "$COMPARE_SWEEPS" 2>&1 || say "summary failed"
say "done in $((SECONDS - START)) s; outputs in $OUT: $(cd "$OUT" && ls | tr '\n' ' ')"
((crc == 0)) || exit 4
