# Shared by tools/run, tools/test and tools/screenshot: install what is
# missing, as root or through sudo, on Debian and Ubuntu.

SB_PACKAGES=(
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libglib2.0-bin libgtk-4-dev liblua5.4-dev
  gettext python3 locales
  xvfb xauth dbus dbus-x11 at-spi2-core
  desktop-file-utils appstream
  fonts-noto-cjk
  libpcap-dev
  glib-networking libgnutls28-dev
)

sb_as_root () {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "tools: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# sb_ensure_packages [extra packages…]
sb_ensure_packages () {
  local missing=() pkg
  for pkg in "${SB_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done

  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "tools: please install: ${missing[*]}" >&2
      return 1
    fi
    echo "tools: installing ${missing[*]}" >&2
    sb_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    sb_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi

  sb_ensure_locales
  sb_ensure_tshark
}

# tshark reads the pcapng exports in the tests. Optional: without it those
# checks are skipped with the reason. wireshark-common asks whether to let
# non-root users capture: answered no, so nothing waits for a keyboard.
sb_ensure_tshark () {
  command -v tshark >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || return 0
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    sb_as_root debconf-set-selections 2>/dev/null
  sb_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tshark >&2 ||
    echo "tools: tshark could not be installed; the pcapng tests skip their tshark checks" >&2
  return 0
}

# The Chinese UI is tested and shown in a real zh_CN.UTF-8 locale.
sb_ensure_locales () {
  local have
  have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z')
  if ! grep -qx 'zh_cn.utf8' <<<"$have" || ! grep -qx 'en_us.utf8' <<<"$have"; then
    sb_as_root sed -i -E 's/^# *(zh_CN.UTF-8 UTF-8|zh_TW.UTF-8 UTF-8|en_US.UTF-8 UTF-8)/\1/' /etc/locale.gen
    sb_as_root locale-gen >&2
  fi
}

# sb_configure BUILDDIR [meson options…]: set up once, then only rebuild.
sb_configure () {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >&2
  fi
}
