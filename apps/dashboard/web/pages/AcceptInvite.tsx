import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorState, Loading } from '../components/states';
import { api, ok, setCsrfToken } from '../lib/api';
import { navigate } from '../lib/router';
import { ME_KEY } from '../lib/session';
import { useTitle } from '../lib/title';
import { LinkProblem, PasswordFields, tokenFromLocation } from './password-form';

/** /invite?token=…: the invitee sees who invited them as what, chooses a password and is signed in. */
export default function AcceptInvite() {
  useTitle('Join');
  const token = tokenFromLocation();
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: ['invite', token],
    queryFn: () => ok(api.invites.preview.$get({ query: { token } })),
    retry: false,
  });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const accept = useMutation({
    mutationFn: () => ok(api.invites.accept.$post({ json: { token, password } })),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(ME_KEY, me);
      navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password === repeat) accept.mutate();
  };
  return (
    <main className="login-page">
      <form className="card login" onSubmit={submit} aria-labelledby="invite-title">
        <h1 id="invite-title">Join Pitchline</h1>
        {preview.isPending ? <Loading /> : null}
        {preview.error ? <LinkProblem error={preview.error} /> : null}
        {preview.data ? (
          <>
            <p>
              You were invited to <strong>{preview.data.invite.merchantName}</strong> as{' '}
              {preview.data.invite.role === 'owner' ? 'an owner' : 'an analyst (read-only)'}. Sign-in address:{' '}
              <strong>{preview.data.invite.email}</strong>
            </p>
            <PasswordFields
              password={password}
              setPassword={setPassword}
              repeat={repeat}
              setRepeat={setRepeat}
            />
            {accept.error ? <ErrorState error={accept.error} /> : null}
            <button type="submit" className="primary" disabled={accept.isPending || password !== repeat}>
              {accept.isPending ? 'Joining…' : 'Join'}
            </button>
          </>
        ) : null}
      </form>
    </main>
  );
}
