// Loads every `latchkey` command; each file registers itself.

import './accountCreate.js';
import './accountPassword.js';
import './devicePinChange.js';
import './devicePinSet.js';
import './devices.js';
import './exportKratos.js';
import './info.js';
import './keyAdd.js';
import './keyList.js';
import './keyRename.js';
import './keyRevoke.js';
import './login.js';
import './recoveryUse.js';
import './restore.js';
import './settingsSet.js';
import './virtualCard.js';
import './vaultCommands.js';
import './vaultRestore.js';
import './importFiles.js';
import './exportVault.js';
