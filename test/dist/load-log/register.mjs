// `node --import ./register.mjs ...`: installs hooks.mjs, which logs every module the process loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
