#!/bin/bash
# The deb's post-removal script: electron-builder's usual clean-up, plus Latchkey's udev rule.
# electron-builder fills in the executable macro; shell variables here avoid the braces.

APP_DIR='/opt/${sanitizedProductName}'
EXECUTABLE='${executable}'

if type update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$EXECUTABLE" "$APP_DIR/$EXECUTABLE"
else
  rm -f "/usr/bin/$EXECUTABLE"
fi

PROFILE_TARGET="/etc/apparmor.d/$EXECUTABLE"
if [ -f "$PROFILE_TARGET" ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } \
    && hash apparmor_parser 2>/dev/null; then
    apparmor_parser --remove "$PROFILE_TARGET" || true
  fi
  rm -f "$PROFILE_TARGET"
fi

# On upgrade dpkg runs this script too, then the new version's after-install puts the rule back.
rm -f /usr/lib/udev/rules.d/70-latchkey-fido.rules
if hash udevadm 2>/dev/null && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
  udevadm control --reload-rules || true
fi
