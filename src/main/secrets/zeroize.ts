// Overwrites secret bytes once they are no longer needed: the CTAP library's zeroize, the one implementation, offered to
// the main process beside the other secret helpers.

export { zeroize } from '../../ctap/index.js';
