#!/bin/bash
# The deb's post-install script: electron-builder's usual steps (command link, sandbox, menus, AppArmor) plus
# Latchkey's udev rule, so the logged-in user can reach FIDO keys over hidraw without root.
# electron-builder fills in the executable and sanitizedProductName macros; shell variables here avoid the braces.

APP_DIR='/opt/${sanitizedProductName}'
EXECUTABLE='${executable}'

# The command on PATH.
if type update-alternatives >/dev/null 2>&1; then
  if [ -L "/usr/bin/$EXECUTABLE" ] && [ -e "/usr/bin/$EXECUTABLE" ] \
    && [ "$(readlink "/usr/bin/$EXECUTABLE")" != "/etc/alternatives/$EXECUTABLE" ]; then
    rm -f "/usr/bin/$EXECUTABLE"
  fi
  update-alternatives --install "/usr/bin/$EXECUTABLE" "$EXECUTABLE" "$APP_DIR/$EXECUTABLE" 100 \
    || ln -sf "$APP_DIR/$EXECUTABLE" "/usr/bin/$EXECUTABLE"
else
  ln -sf "$APP_DIR/$EXECUTABLE" "/usr/bin/$EXECUTABLE"
fi

# Chromium's sandbox needs the SUID helper only where unprivileged user namespaces do not work.
if ! { [ -L /proc/self/ns/user ] && unshare --user true; } 2>/dev/null; then
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then update-mime-database /usr/share/mime || true; fi
if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi

# Ubuntu 24.04 and later restrict unprivileged user namespaces to programs with an AppArmor profile: install the one
# electron-builder ships when this AppArmor can parse it (22.04's cannot, and does not need it).
if apparmor_status --enabled >/dev/null 2>&1; then
  PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
  PROFILE_TARGET="/etc/apparmor.d/$EXECUTABLE"
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SOURCE" >/dev/null 2>&1; then
    cp -f "$PROFILE_SOURCE" "$PROFILE_TARGET"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_TARGET"
    fi
  fi
fi

# The udev rule (resources/linux/70-latchkey-fido.rules): tags FIDO hidraw nodes "uaccess" for the seat's user.
# /usr/lib/udev/rules.d is the packages' folder; /etc/udev/rules.d stays the administrator's to override it.
RULE_NAME='70-latchkey-fido.rules'
install -D -m 0644 "$APP_DIR/resources/linux/$RULE_NAME" "/usr/lib/udev/rules.d/$RULE_NAME"
if hash udevadm 2>/dev/null && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
  # Keys already plugged in get the new permissions without being re-plugged.
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=hidraw --action=change || true
fi
