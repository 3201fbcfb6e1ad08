import { z } from 'zod';

/** A password a member chooses (invite, reset): the owner CLI's floor, the login's ceiling. */
export const newPasswordSchema = z
  .string()
  .min(12, 'password needs at least 12 characters')
  .max(1024, 'password accepts at most 1024 characters');
