// Loads every `latchkey` command; each file registers itself.

import './devices.js';
import './info.js';
import './virtualCard.js';
