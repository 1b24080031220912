#!/bin/sh
# Wraps every page in the layout: pages/NAME.html → dist/NAME.html.
set -eu
mkdir -p dist
for page in pages/*.html; do
  name=$(basename "$page")
  cat layout/header.html "$page" layout/footer.html > "dist/$name"
  echo "built dist/$name"
done
