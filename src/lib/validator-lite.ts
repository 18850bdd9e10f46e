/** The few validator.js checks Broadsheet uses, each loaded alone: the package's index loads all of its ~110 modules. */
import isEmailModule from 'validator/lib/isEmail.js';
import isFQDNModule from 'validator/lib/isFQDN.js';
import isURLModule from 'validator/lib/isURL.js';

// CommonJS modules whose module.exports is the function, also exported as .default (what the types describe).
export default { isEmail: isEmailModule.default, isURL: isURLModule.default, isFQDN: isFQDNModule.default };
