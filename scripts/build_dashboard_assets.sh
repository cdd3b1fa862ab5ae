#!/usr/bin/env bash
# Rebuild the dashboard's vendored front-end assets from the npm registry.
#
# The dashboard loads nothing from a CDN: Leaflet (the map), world-atlas
# (country outlines as TopoJSON, from Natural Earth) and topojson-client (to
# turn them into GeoJSON in the browser) are copied from their npm packages
# into src/marsad/dashboard/static/vendor/, with their licences.  Versions are
# pinned here; run this script after changing one and commit the result.
#
#   scripts/build_dashboard_assets.sh          (needs npm; reaches the npm registry)
set -euo pipefail

LEAFLET=1.9.4
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/src/marsad/dashboard/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION → unpacked into $work/NAME/package
    mkdir -p "$work/$1"
    (cd "$work/$1" && npm pack --silent "$1@$2" >/dev/null && tar -xzf ./*.tgz)
}

fetch leaflet "$LEAFLET"
fetch world-atlas "$WORLD_ATLAS"
fetch topojson-client "$TOPOJSON_CLIENT"

rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/world-atlas" "$vendor/topojson-client"

cp "$work/leaflet/package/dist/leaflet.js" "$work/leaflet/package/dist/leaflet.css" "$vendor/leaflet/"
cp "$work/leaflet/package/LICENSE" "$vendor/leaflet/LICENSE"

# 1:50m outlines: detailed enough to read Iraq's or Syria's borders at province zoom.
cp "$work/world-atlas/package/countries-50m.json" "$vendor/world-atlas/"
cp "$work/world-atlas/package/LICENSE" "$vendor/world-atlas/LICENSE"

cp "$work/topojson-client/package/dist/topojson-client.min.js" "$vendor/topojson-client/"
cp "$work/topojson-client/package/LICENSE" "$vendor/topojson-client/LICENSE"

cat > "$vendor/README.md" <<NOTE
# Vendored front-end packages

Copied from the npm registry by \`scripts/build_dashboard_assets.sh\`; do not edit by hand.

| package | version | files | licence |
|---|---|---|---|
| leaflet | $LEAFLET | leaflet.js, leaflet.css | BSD-2-Clause (leaflet/LICENSE) |
| world-atlas | $WORLD_ATLAS | countries-50m.json (TopoJSON country outlines from Natural Earth, public domain) | ISC (world-atlas/LICENSE) |
| topojson-client | $TOPOJSON_CLIENT | topojson-client.min.js | ISC (topojson-client/LICENSE) |
NOTE
echo "vendored assets written to $vendor"
