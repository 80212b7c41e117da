#!/usr/bin/env bash
# Checks the Debian packages end to end: makes them (cpack), looks inside, builds a host program
# against them with pkg-config, installs them into a fresh Debian bookworm root (debootstrap), runs
# the command there, and purges them again, leaving nothing behind.
#
#   tests/package/check-debian-package.sh BUILD_DIR
#
# BUILD_DIR is a built tree configured as the package preset (-DCMAKE_INSTALL_PREFIX=/usr). Needs
# root (debootstrap, chroot, mount) and, the first time, the network: the fresh root and the
# packages apt fetches into it are kept in BUILD_DIR/package-test/ for the next runs, each of which
# starts from the pristine root. TELPOLICY_DEBIAN_MIRROR overrides http://deb.debian.org/debian.
set -euo pipefail

[[ $# -eq 1 && -f $1/CMakeCache.txt ]] || { echo "usage: $0 BUILD_DIR (a configured and built tree)" >&2; exit 2; }
build=$(cd "$1" && pwd)
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
suite=bookworm
mirror=${TELPOLICY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Highest exposure accepted from `systemd-analyze security`, in its tenths (20: 2.0 of 10).
exposure_threshold=20

started=${EPOCHREALTIME/./}
step_started=$started
step_name=""
elapsed() { local us=$((${EPOCHREALTIME/./} - $1)); printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000)); }
end_step() { [[ -z $step_name ]] || printf '    %s: %s s\n' "$step_name" "$(elapsed "$step_started")" >&2; }
step() { end_step; step_name=$1; step_started=${EPOCHREALTIME/./}; printf '=== check-debian-package: %s\n' "$1" >&2; }
note() { printf '    %s\n' "$*" >&2; }
fail() { printf 'check-debian-package: FAILED: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (debootstrap, chroot and mount need it)"
for tool in cpack:cmake dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev debootstrap:debootstrap readelf:binutils \
            groff:groff systemd-analyze:systemd pkg-config:pkgconf g++:g++ python3:python3 help2man:help2man; do
  command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found (Debian package ${tool#*:})"
done
arch=$(dpkg --print-architecture)
runtime_deb=$build/telpolicy_${version}_${arch}.deb
dev_deb=$build/telpolicy-dev_${version}_${arch}.deb
cache=$build/package-test
root=$cache/root
work=$(mktemp -d)
mounts=()
cleanup() {
  local status=$?
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true; done
  rm -rf "$work"
  if [[ $status -eq 0 ]]; then
    rm -rf "$root"
  elif [[ -d $root ]]; then
    echo "check-debian-package: the root is left in $root" >&2
  fi
}
trap cleanup EXIT
mount_in_root() {  # mount_in_root ARGS... TARGET
  mount "$@"
  mounts+=("${!#}")
}
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
json_check() {  # json_check FILE PYTHON-EXPRESSION-OF-d MESSAGE
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" ||
    fail "$3: $(head -c 2000 "$1")"
}

step "packages (cpack in $build)"
[[ -x $build/bin/telpolicy ]] || fail "$build/bin/telpolicy is missing: build the tree first"
# Made again when missing or older than anything they hold (the build's output, or the files
# installed from the source tree).
if [[ ! -f $runtime_deb || ! -f $dev_deb ]] ||
   [[ -n $(find "$build/bin" "$build/lib" "$build/man" "$build/telpolicy.pc" "$source_dir/rules" "$source_dir/core/include" \
             "$source_dir/deploy/systemd" "$source_dir/cmake" -newer "$runtime_deb" -print -quit 2>/dev/null) ]] ||
   [[ -n $(find "$build/bin" "$build/lib" "$source_dir/core/include" "$source_dir/cmake" -newer "$dev_deb" -print -quit) ]]; then
  (cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 || { tail -30 "$work/cpack.log" >&2; fail "cpack -G DEB"; }
  made=$(grep -c 'CPack: - package: .* generated' "$work/cpack.log")
  [[ $made -eq 2 ]] || fail "cpack made $made packages, not telpolicy and telpolicy-dev: $(cat "$work/cpack.log")"
else
  note "up to date: $(basename "$runtime_deb") $(basename "$dev_deb")"
fi
[[ -f $runtime_deb && -f $dev_deb ]] || fail "expected $(basename "$runtime_deb") and $(basename "$dev_deb") in $build"

step "what the packages hold and declare"
dpkg-deb -c "$runtime_deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/runtime.list"
dpkg-deb -c "$dev_deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/dev.list"
package_of() { if [[ $1 == dev ]]; then echo telpolicy-dev; else echo telpolicy; fi; }
holds() { grep -qxE "$2" "$work/$1.list" || fail "$(package_of "$1") holds no file matching $2"; }
holds_not() { ! grep -qE "$2" "$work/$1.list" || fail "$(package_of "$1") holds $(grep -E "$2" "$work/$1.list" | head -3)"; }
holds runtime /usr/bin/telpolicy
holds runtime /lib/systemd/system/telpolicy.service
holds runtime /etc/default/telpolicy
holds runtime /usr/share/man/man1/telpolicy.1.gz
holds runtime /usr/share/man/man1/telpolicy-eval.1.gz
holds runtime /usr/share/man/man1/telpolicy-serve.1.gz
built_plugins=$(find "$build/lib" -path '*/telpolicy/plugins/telpolicy_*.so' | wc -l)
packaged_plugins=$(grep -cE '/telpolicy/plugins/telpolicy_[a-z0-9_]+\.so$' "$work/runtime.list")
[[ $packaged_plugins -eq $built_plugins && $packaged_plugins -ge 33 ]] ||
  fail "telpolicy holds $packaged_plugins plugins; the build made $built_plugins (33 bundled)"
for plugin in $(grep -oE 'telpolicy_[a-z0-9_]+\.so$' "$work/runtime.list" | sed 's/^telpolicy_//; s/\.so$//'); do
  holds runtime "/usr/share/telpolicy/rules/$plugin\.yaml"
done
holds_not runtime '^/usr/include/|\.a$|/cmake/|/pkgconfig/'
holds dev /usr/include/telpolicy/engine.hpp
holds dev /usr/include/telpolicy/plugin/plugin_api.h
holds dev '/usr/lib/[^/]+/libtelpolicy\.a'
holds dev '/usr/lib/[^/]+/cmake/telpolicy/telpolicyConfig\.cmake'
holds dev '/usr/lib/[^/]+/cmake/telpolicy/DataPluginEntry\.cpp\.in'
holds dev '/usr/lib/[^/]+/pkgconfig/telpolicy\.pc'
holds_not dev '^/usr/bin/|/plugins/|/share/man/|^/etc/|^/lib/'
both=$(comm -12 <(grep -v '/$' "$work/runtime.list" | sort) <(grep -v '/$' "$work/dev.list" | sort))
[[ -z $both ]] || fail "files in both packages: $both"
note "telpolicy: $(grep -vc '/$' "$work/runtime.list") files ($packaged_plugins plugins); telpolicy-dev: $(grep -vc '/$' "$work/dev.list") files"

runtime_depends=$(dpkg-deb -f "$runtime_deb" Depends)
for library in 'libyaml-cpp[0-9.]+' 'libphonenumber[0-9]+' 'libicu[0-9]+' 'libboost-filesystem1\.[0-9.]+' 'libstdc\+\+6'; do
  grep -qE "(^|, )$library" <<<"$runtime_depends" || fail "telpolicy's Depends (dpkg-shlibdeps) lacks $library: $runtime_depends"
done
dev_depends=$(dpkg-deb -f "$dev_deb" Depends)
grep -q "^telpolicy (= $version)" <<<"$dev_depends" || fail "telpolicy-dev does not depend on telpolicy (= $version): $dev_depends"
for package in libboost-dev libyaml-cpp-dev libspdlog-dev libphonenumber-dev libicu-dev; do
  grep -qE "(^|, )$package( |,|$)" <<<"$dev_depends" || fail "telpolicy-dev's Depends lacks $package: $dev_depends"
done
note "telpolicy Depends: $runtime_depends"
mkdir "$work/control"
dpkg-deb -e "$runtime_deb" "$work/control"
grep -qx /etc/default/telpolicy "$work/control/conffiles" || fail "/etc/default/telpolicy is not a conffile"
! grep -hv '^[[:space:]]*#' "$work/control"/post* "$work/control"/pre* |
  grep -qE '(systemctl|deb-systemd-helper|deb-systemd-invoke) +(--[a-z-]+ +)*(enable|start)' ||
  fail "a maintainer script enables or starts the service: it is installed disabled"

step "ELF files stripped and fit for MemoryDenyWriteExecute; man pages render"
mkdir "$work/installed"
dpkg-deb -x "$runtime_deb" "$work/installed"
dpkg-deb -x "$dev_deb" "$work/installed"
elf_files=0
while IFS= read -r -d '' file; do
  [[ $(head -c 4 "$file" | od -An -c | tr -d ' ') == '177ELF' ]] || continue
  elf_files=$((elf_files + 1))
  # A text relocation or an executable stack makes the loader map memory writable and executable,
  # which telpolicy.service's MemoryDenyWriteExecute=yes forbids: a plugin would then not load.
  ! readelf -dW "$file" | grep -q TEXTREL || fail "$file has text relocations"
  ! readelf -lW "$file" | grep GNU_STACK | grep -q RWE || fail "$file wants an executable stack"
  ! readelf -SW "$file" | grep -qE '\.symtab|\.debug_' || fail "$file is not stripped"
done < <(find "$work/installed" -type f ! -name '*.a' -print0)
note "$elf_files ELF files: no text relocations, no executable stack, stripped"
pages=0
for page in "$work/installed"/usr/share/man/man1/*.1.gz; do
  pages=$((pages + 1))
  zcat "$page" | grep -q '^\.SH "SEE ALSO"' || fail "$(basename "$page") has no SEE ALSO section"
  warnings=$(zcat "$page" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z 2>&1)
  [[ -z $warnings ]] || fail "$(basename "$page") does not render cleanly: $warnings"
done
note "$pages man pages render without warnings (groff -man -ww)"

step "systemd unit: verify and security exposure"
# The unit runs /usr/bin/telpolicy, which the host lacks: verify a copy that points at the package's.
mkdir "$work/unit"
sed "s|^ExecStart=/usr/bin/telpolicy|ExecStart=$work/installed/usr/bin/telpolicy|" \
  "$work/installed/lib/systemd/system/telpolicy.service" >"$work/unit/telpolicy.service"
MANPATH=$work/installed/usr/share/man systemd-analyze verify "$work/unit/telpolicy.service" ||
  fail "systemd-analyze verify telpolicy.service"
systemd-analyze security --offline=true --threshold=$exposure_threshold \
  "$work/installed/lib/systemd/system/telpolicy.service" >"$work/security.txt" 2>&1 ||
  fail "telpolicy.service's exposure is above $exposure_threshold/10: $(tail -1 "$work/security.txt")"
note "$(grep 'Overall exposure' "$work/security.txt")"

step "a host program built with pkg-config, against the packages and against cmake --install"
# The host's own plugin needs only the SDK's headers; the host links the static core.
mkdir "$work/host-plugins"
dev_pc_dir=$(dirname "$(find "$work/installed" -name telpolicy.pc)")
PKG_CONFIG_PATH=$dev_pc_dir pkg-config --validate telpolicy || fail "pkg-config --validate telpolicy"
# shellcheck disable=SC2046  # pkg-config's flags are words
g++ -std=c++20 -O1 -shared -fPIC -fvisibility=hidden -fvisibility-inlines-hidden \
  -o "$work/host-plugins/telpolicy_example.so" "$source_dir/examples/host/plugin/example_plugin.cpp" \
  $(PKG_CONFIG_PATH=$dev_pc_dir pkg-config --cflags telpolicy)
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || { tail "$work/install.log" >&2; fail "cmake --install"; }
# Outside /usr, the unit and its options file stay inside the prefix.
[[ -f $work/prefix/lib/systemd/system/telpolicy.service && -f $work/prefix/etc/default/telpolicy ]] ||
  fail "cmake --install --prefix did not put the unit and /etc/default/telpolicy inside the prefix"
for pc_dir in "$dev_pc_dir" "$(dirname "$(find "$work/prefix" -name telpolicy.pc)")"; do
  export PKG_CONFIG_PATH=$pc_dir
  plugindir=$(pkg-config --variable=plugindir telpolicy)
  rulesdir=$(pkg-config --variable=rulesdir telpolicy)
  [[ -f $plugindir/telpolicy_us.so && -f $rulesdir/us.yaml ]] || fail "pkg-config's plugindir $plugindir or rulesdir $rulesdir is wrong"
  # shellcheck disable=SC2046
  g++ -std=c++20 -O1 -o "$work/telpolicy_host" "$source_dir/examples/host/main.cpp" \
    -DHOST_INSTALLED_PLUGIN_DIR="\"$plugindir\"" -DHOST_INSTALLED_RULES_DIR="\"$rulesdir\"" \
    -DHOST_OWN_PLUGIN_DIR="\"$work/host-plugins\"" -DHOST_OWN_RULES_DIR="\"$source_dir/examples/host/rules\"" \
    $(pkg-config --cflags --libs --static telpolicy) || fail "examples/host does not build with pkg-config ($pc_dir)"
  "$work/telpolicy_host" >"$work/host.out" 2>&1 || fail "examples/host failed: $(cat "$work/host.out")"
  { grep -q '^plugin example ' "$work/host.out" && grep -q '^port_in US: allowed=true mailbox=ptn@microsoft.com' "$work/host.out"; } ||
    fail "examples/host's output: $(head -c 2000 "$work/host.out")"
  note "examples/host built and ran against ${pc_dir#"$work"/}"
done
unset PKG_CONFIG_PATH

step "a fresh Debian $suite root (debootstrap --variant=minbase)"
pristine=$cache/$suite-minbase-$arch.tar
mkdir -p "$cache/apt-lists/partial" "$cache/apt-archives/partial"
if [[ ! -f $pristine ]]; then
  note "first run: debootstrap from $mirror, kept as $pristine"
  rm -rf "$cache/bootstrap"
  debootstrap --variant=minbase "$suite" "$cache/bootstrap" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; fail "debootstrap (log: $cache/debootstrap.log)"; }
  chroot "$cache/bootstrap" apt-get clean
  tar -C "$cache/bootstrap" -cf "$pristine.partial" . && mv "$pristine.partial" "$pristine"
  rm -rf "$cache/bootstrap"
fi
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$pristine"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# /proc for boost's program_location (/proc/self/exe: the command finds its plugins from it); apt's
# lists and downloads kept across runs, so that a second run downloads (almost) nothing.
mount_in_root -t proc proc "$root/proc"
mount_in_root --bind "$cache/apt-lists" "$root/var/lib/apt/lists"
mount_in_root --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
cp "$runtime_deb" "$dev_deb" "$root/tmp/"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update in the root"; }

step "apt-get install ./$(basename "$runtime_deb") (its dependencies from Debian)"
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$runtime_deb")" >"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log" >&2; fail "apt-get install telpolicy"; }
[[ $(in_root dpkg-query -W -f='${db:Status-Abbrev}' telpolicy) == 'ii ' ]] || fail "telpolicy is not installed"

step "telpolicy plugins and telpolicy eval in the root"
in_root telpolicy plugins --json >"$work/plugins.json" || fail "telpolicy plugins --json"
json_check "$work/plugins.json" "len(d['loaded']) == $packaged_plugins and not d['refused'] and \
  all(p['library'].startswith('/usr/lib/') for p in d['loaded'])" "telpolicy plugins: not every plugin loaded"
note "$packaged_plugins plugins loaded, none refused"
echo '{"country":"US","action":"port_in"}' >"$root/tmp/us.json"
in_root telpolicy eval --request /tmp/us.json >"$work/us.json" || fail "telpolicy eval (US port_in)"
json_check "$work/us.json" "d['allowed'] is True and d['plugin']['name'] == 'us' and d['mailbox'] == 'ptn@microsoft.com' \
  and len(d['forms']) >= 1 and not d['violations']" "US port_in decision"
echo '{"country":"DE","action":"port_in"}' | in_root telpolicy eval >"$work/de.json" || fail "telpolicy eval (DE port_in)"
json_check "$work/de.json" "d['allowed'] is True and d['country'] == 'DE' and d['plugin']['name'] == 'de' \
  and all(f['url'].startswith('https://') for f in d['forms']) and d['forms']" "DE port_in decision"
note "US and DE port_in decisions as expected"
if in_root sh -c 'command -v man' >/dev/null; then
  in_root man -w telpolicy >/dev/null || fail "man -w telpolicy"
else
  note "no man-db in the root (minbase): the man pages were checked with groff above"
fi
# The Python module, when this build has one (TELPOLICY_BUILD_PYTHON found pybind11): the package
# only suggests python3, installed here for the check.
if grep -qE '/dist-packages/telpolicy[^/]*\.so$' "$work/runtime.list"; then
  in_root apt-get install -y -qq --no-install-recommends python3 >"$work/apt.log" 2>&1 ||
    { tail -30 "$work/apt.log" >&2; fail "apt-get install python3"; }
  in_root python3 -c 'import json, telpolicy; print(json.dumps(telpolicy.Engine().evaluate({"country":"DE","action":"port_in"})))' \
    >"$work/python.json" || fail "the Python module in the root"
  json_check "$work/python.json" "d['allowed'] is True and d['plugin']['name'] == 'de'" "the Python module's decision"
  note "python3 -c 'import telpolicy; ...': DE port_in allowed"
else
  note "this build has no Python module (pybind11-dev missing when it was configured): not checked"
fi

step "apt-get install ./$(basename "$dev_deb")"
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$dev_deb")" >"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log" >&2; fail "apt-get install telpolicy-dev"; }
[[ $(in_root dpkg-query -W -f='${db:Status-Abbrev}' telpolicy-dev) == 'ii ' ]] || fail "telpolicy-dev is not installed"

step "apt-get purge telpolicy-dev telpolicy: nothing left behind"
in_root dpkg-query -L telpolicy telpolicy-dev >"$work/installed.list"
in_root apt-get purge -y -qq telpolicy-dev telpolicy >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get purge"; }
in_root apt-get autoremove --purge -y -qq >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "apt-get autoremove"; }
# Shared folders (/usr/bin, /etc/default) stay; the packages' own files and folders must be gone.
left=$(in_root bash -c 'while IFS= read -r path; do
  if [[ -d $path ]]; then
    [[ $path != *telpolicy* ]] || echo "$path"
  elif [[ -e $path || -L $path ]]; then
    echo "$path"
  fi
done' <"$work/installed.list")
[[ -z $left ]] || fail "left after purge: $left"
! in_root dpkg-query -W telpolicy telpolicy-dev >/dev/null 2>&1 || fail "dpkg still lists telpolicy or telpolicy-dev"
audit=$(in_root dpkg --audit)
[[ -z $audit ]] || fail "dpkg --audit: $audit"
note "$(grep -c . "$work/installed.list") paths listed before, none of the packages' left; dpkg lists neither"

end_step
step_name=""
printf '=== check-debian-package: passed in %s s\n' "$(elapsed "$started")" >&2
