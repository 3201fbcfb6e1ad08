import { hashAccessToken, type LinkedCustomer, linkedCustomers, type PitchlineDb } from '@pitchline/db';
import { and, eq } from 'drizzle-orm';

// Access tokens are bearer secrets: only their SHA-256 (db's hashAccessToken) is stored or compared.
export { hashAccessToken };

/**
 * The Stripe customer (with a saved payment method) behind an Alexa account-linking access token,
 * or undefined when the shopper has not linked an account with this merchant.
 */
export async function resolveLinkedCustomer(
  db: PitchlineDb,
  merchantId: string,
  accessToken: string | undefined,
): Promise<LinkedCustomer | undefined> {
  if (!accessToken) return undefined;
  const [row] = await db
    .select()
    .from(linkedCustomers)
    .where(
      and(
        eq(linkedCustomers.accessTokenHash, hashAccessToken(accessToken)),
        // A token minted for one merchant's skill must not pay at another's.
        eq(linkedCustomers.merchantId, merchantId),
      ),
    )
    .limit(1);
  return row;
}

export interface LinkCustomerInput {
  merchantId: string;
  accessToken: string;
  stripeCustomerId: string;
  defaultPaymentMethodId?: string | null;
  email?: string | null;
  name?: string | null;
}

/** Records a completed account link (the OAuth side calls this); linking the same token again updates it. */
export async function saveLinkedCustomer(db: PitchlineDb, input: LinkCustomerInput): Promise<LinkedCustomer> {
  const values = {
    merchantId: input.merchantId,
    accessTokenHash: hashAccessToken(input.accessToken),
    stripeCustomerId: input.stripeCustomerId,
    defaultPaymentMethodId: input.defaultPaymentMethodId ?? null,
    email: input.email ?? null,
    name: input.name ?? null,
  };
  const [row] = await db
    .insert(linkedCustomers)
    .values(values)
    .onConflictDoUpdate({
      target: linkedCustomers.accessTokenHash,
      set: {
        stripeCustomerId: values.stripeCustomerId,
        defaultPaymentMethodId: values.defaultPaymentMethodId,
        email: values.email,
        name: values.name,
      },
    })
    .returning();
  if (!row) throw new Error('linked customer upsert returned no row');
  return row;
}
