import type { Me } from '../../lib/session';
import { ErrorState, Loading } from '../states';
import { Payments } from './Payments';
import { Skills } from './Skills';
import { useMerchantSettings } from './settings-query';

/** Skills and payments share one API answer, so one query feeds both cards. */
export function MerchantSettings({ me }: { me: Me }) {
  const settings = useMerchantSettings();
  if (settings.isPending) {
    return (
      <section className="card">
        <h2>Skills and payments</h2>
        <Loading />
      </section>
    );
  }
  if (settings.error) {
    return (
      <section className="card">
        <h2>Skills and payments</h2>
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      </section>
    );
  }
  const data = settings.data;
  return (
    <>
      <Skills me={me} skills={data.skills} cacheSeconds={data.skillCacheSeconds} />
      <Payments
        me={me}
        mode={data.paymentMode}
        stripeConfigured={data.stripeConfigured}
        cacheSeconds={data.skillCacheSeconds}
      />
    </>
  );
}
