#!/usr/bin/env bash
# Make a Docker engine and compose v2 answer on a bare Debian bookworm machine (run as root).
# Does nothing when `docker info` and `docker compose version` already work.
# Debian's docker.io gives the engine; compose v2 is not packaged for bookworm, so its Go binary
# comes from trixie's docker-compose package, unpacked without touching the machine's apt setup.
set -euo pipefail

if ! command -v dockerd >/dev/null; then
    echo "ci: installing Docker engine (docker.io)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
    echo "ci: starting dockerd"
    nohup dockerd >/var/log/dockerd-ci.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { tail -20 /var/log/dockerd-ci.log; exit 1; }
fi

if ! docker compose version >/dev/null 2>&1; then
    # Compose v2 is not packaged for bookworm; trixie's Go binary runs here. A private apt
    # state keeps the machine's own apt configuration untouched.
    echo "ci: installing compose v2 from Debian trixie's docker-compose package"
    espelho=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    apt_tmp=$(mktemp -d)
    mkdir -p "$apt_tmp"/{lists/partial,cache/archives/partial,etc/preferences.d}
    echo "deb $espelho trixie main" > "$apt_tmp/etc/sources.list"
    opcoes=(-o Dir::State="$apt_tmp" -o Dir::State::Lists="$apt_tmp/lists" -o Dir::Cache="$apt_tmp/cache"
            -o Dir::Etc::SourceList="$apt_tmp/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o Dir::Etc::Preferences="$apt_tmp/etc/preferences" -o Dir::Etc::PreferencesParts="$apt_tmp/etc/preferences.d"
            -o APT::Get::List-Cleanup=0)
    touch "$apt_tmp/status"
    apt-get "${opcoes[@]}" -o Dir::State::status="$apt_tmp/status" update -qq
    (cd "$apt_tmp" && apt-get "${opcoes[@]}" -o Dir::State::status="$apt_tmp/status" download docker-compose >/dev/null)
    dpkg -x "$apt_tmp"/docker-compose_*.deb "$apt_tmp/pkg"
    install -D -m 0755 "$apt_tmp/pkg/usr/libexec/docker/cli-plugins/docker-compose" \
        /usr/local/lib/docker/cli-plugins/docker-compose
    rm -rf "$apt_tmp"
fi

docker compose version
