/*
 * Stands in for node:crypto in the browser build. The SPA imports @pitchline/core for its pure
 * template validation; core's hashing helpers (assignment, user-id hashes) must never run here.
 */
const unavailable = (name: string) => () => {
  throw new Error(`node:crypto ${name} is not available in the browser`);
};

export const createHash = unavailable('createHash');
export const createHmac = unavailable('createHmac');
export const randomFillSync = unavailable('randomFillSync');
export default { createHash, createHmac, randomFillSync };
