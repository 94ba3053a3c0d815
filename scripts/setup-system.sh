#!/usr/bin/env bash
# Everything the README's two commands need from the system, on a minimal Debian or Ubuntu:
#   WeasyPrint's libraries (Pango, pangoft2, HarfBuzz subset) and fontconfig; the Noto CJK fonts (every PDF) and
#   DejaVu Sans (the --font test); poppler-utils (the PDF tests); chromium (the HTML tests); a Java runtime, 17 or
#   newer, on PATH (pyspark 4 starts `java` from PATH when JAVA_HOME is not set: the Spark tests).
# Idempotent and quick when everything is present: it asks dpkg (and `java -version`) first, and calls apt only for
# what is missing.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk fonts-dejavu-core
  poppler-utils chromium)
java_min=17

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
java_major() { # the major version of `java` on PATH ("1.8.0_x" -> 1), or nothing; the JDK's release file is quicker
  local exe v
  exe=$(command -v java 2>/dev/null) || return 0
  exe=$(readlink -f "$exe")
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${exe%/bin/java}/release" 2>/dev/null || true)
  [ -n "$v" ] || v=$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
  echo "$v"
}
java_ok() { local v; v=$(java_major); [ -n "$v" ] && [ "$v" -ge "$java_min" ]; }

missing=()
for p in "${packages[@]}"; do
  # Ubuntu ships chromium as chromium-browser.
  if [ "$p" = chromium ] && installed chromium-browser; then continue; fi
  installed "$p" || missing+=("$p")
done
need_java=0
java_ok || need_java=1
[ ${#missing[@]} -eq 0 ] && [ $need_java -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  [ $need_java -eq 1 ] && missing+=(default-jre-headless)
  echo "aireport needs these system packages: ${missing[*]}" >&2
  [ $need_java -eq 1 ] && echo "(a Java runtime $java_min or newer, found on PATH as java)" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq

candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true; }
if [ $need_java -eq 1 ]; then
  # default-jre-headless is Java 17 on Debian 12, 21 on Debian 13 and Ubuntu 24.04, but 11 on Ubuntu 22.04.
  default=$(candidate default-jre-headless | sed -n 's/^\([0-9]*:\)\{0,1\}1\.\([0-9]*\).*/\2/p')
  if [ -n "$default" ] && [ "$default" -ge "$java_min" ]; then
    missing+=(default-jre-headless)
  else
    missing+=("openjdk-$java_min-jre-headless")
  fi
fi
for i in "${!missing[@]}"; do
  if [ "${missing[$i]}" = chromium ] && [ -z "$(candidate chromium)" ] && [ -n "$(candidate chromium-browser)" ]; then
    missing[i]=chromium-browser
  fi
done

echo "Installing system packages: ${missing[*]}"
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ $need_java -eq 1 ] && ! java_ok; then
  echo "no Java $java_min or newer on PATH after installing ${missing[*]}: java -version says" >&2
  java -version >&2 || true
  exit 1
fi
