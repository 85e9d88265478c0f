#!/usr/bin/env bash
# Builds pottery-cli_<version>_<arch>.deb with dpkg-deb (called by `make deb`).
#
#   scripts/build-deb.sh BINARY OUTDIR
#
# The package holds BINARY as /usr/bin/pottery-cli, the man page (gzipped, as
# Debian keeps man pages) and the three completions where Debian's shells look:
#   /usr/share/bash-completion/completions/pottery-cli
#   /usr/share/zsh/vendor-completions/_pottery-cli   (Debian's zsh; site-functions is /usr/local's)
#   /usr/share/fish/vendor_completions.d/pottery-cli.fish
# The version is what BINARY --version prints; the architecture is dpkg's.
# Depends: the Debian package of each shared library BINARY needs (readelf's
# NEEDED entries, resolved by ldd and owned per `dpkg -S`), so hiredis gives
# libhiredis0.14; none when the binary is fully static. A library that no
# package owns (a Swift runtime outside /usr) is named in a warning: build with
# the static Swift standard library (`make release`, the default) for a
# package that installs anywhere.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 BINARY OUTDIR" >&2
    exit 2
fi
binary=$1
outdir=$2
top=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$binary" ] || { echo "$0: $binary is not an executable" >&2; exit 1; }
version=$("$binary" --version)
arch=$(dpkg --print-architecture)

stage=$(mktemp -d "${TMPDIR:-/tmp}/pottery-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/pottery-cli_${version}_${arch}

install -D -m 0755 "$binary" "$root/usr/bin/pottery-cli"
install -d "$root/usr/share/man/man1"
gzip -9 -n -c "$top/man/pottery-cli.1" > "$root/usr/share/man/man1/pottery-cli.1.gz"
chmod 0644 "$root/usr/share/man/man1/pottery-cli.1.gz"
install -D -m 0644 "$top/completions/pottery-cli.bash" "$root/usr/share/bash-completion/completions/pottery-cli"
install -D -m 0644 "$top/completions/_pottery-cli" "$root/usr/share/zsh/vendor-completions/_pottery-cli"
install -D -m 0644 "$top/completions/pottery-cli.fish" "$root/usr/share/fish/vendor_completions.d/pottery-cli.fish"

# The packages of the shared libraries the binary needs.
depends=()
if readelf -d "$binary" | grep -q '(NEEDED)'; then
    while read -r library path; do
        if [ -z "$path" ] || ! owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null); then
            echo "$0: warning: $library${path:+ ($path)} belongs to no Debian package; the package does not provide it" >&2
            continue
        fi
        package=${owner%%:*}
        case " ${depends[*]-} " in *" $package "*) ;; *) depends+=("$package") ;; esac
    done < <(
        for library in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            printf '%s %s\n' "$library" "$(ldd "$binary" | awk -v l="$library" '$1 == l && $3 ~ /^\// { print $3 }')"
        done
    )
fi

installed_size=$(du -k -s "$root" | cut -f1)
install -d "$root/DEBIAN"
{
    echo "Package: pottery-cli"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: PotteryKit developers <pottery-cli@localhost>"
    echo "Installed-Size: $installed_size"
    if [ ${#depends[@]} -gt 0 ]; then
        (IFS=,; echo "Depends: ${depends[*]}" | sed 's/,/, /g')
    fi
    echo "Section: database"
    echo "Priority: optional"
    echo "Homepage: https://github.com/brainix/pottery"
    echo "Description: pottery's Redis containers from the shell"
    echo " pottery-cli runs one operation on a Redis container of pottery, the Python"
    echo " library (dicts, sets, lists, counters, queues, Redlock locks, NextID, ...)"
    echo " and prints its result as JSON. Data is stored byte for byte as pottery 3.0.1"
    echo " stores it, so shell scripts, Swift and Python share keys."
} > "$root/DEBIAN/control"

mkdir -p "$outdir"
deb="$outdir/pottery-cli_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
