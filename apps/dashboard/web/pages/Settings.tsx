import { ApiKeys } from '../components/settings/ApiKeys';
import { AuditLog } from '../components/settings/AuditLog';
import { Members } from '../components/settings/Members';
import { MerchantSettings } from '../components/settings/MerchantSettings';
import { SetupChecklist } from '../components/settings/SetupChecklist';
import { SignOutEverywhere } from '../components/settings/SignOutEverywhere';
import { SkillPackage } from '../components/settings/SkillPackage';
import { useMe } from '../lib/session';
import { useTitle } from '../lib/title';

export default function Settings() {
  useTitle('Settings');
  const me = useMe();
  return (
    <>
      <h1>Settings</h1>
      <section className="card">
        <h2>Merchant</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{me.merchant.name}</dd>
          <dt>Time zone</dt>
          <dd>{me.merchant.timezone}</dd>
          <dt>Currency</dt>
          <dd>{me.merchant.currency}</dd>
        </dl>
      </section>
      <MerchantSettings me={me} />
      {me.member ? <SetupChecklist me={me} /> : null}
      {me.member ? <SkillPackage me={me} /> : null}
      {me.member ? <Members me={me} /> : null}
      {me.member && me.role === 'owner' ? <ApiKeys me={me} /> : null}
      {me.member && me.role === 'owner' ? <AuditLog /> : null}
      {me.member ? <SignOutEverywhere /> : null}
    </>
  );
}
