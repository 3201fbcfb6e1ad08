import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorState, Loading } from '../components/states';
import { api, ok } from '../lib/api';
import { useTitle } from '../lib/title';
import { LinkProblem, PasswordFields, tokenFromLocation } from './password-form';

/** /reset?token=…: a member sets a new password from an owner's reset link; every session of theirs ends. */
export default function ResetPassword() {
  useTitle('Set a new password');
  const token = tokenFromLocation();
  const preview = useQuery({
    queryKey: ['reset', token],
    queryFn: () => ok(api.auth.reset.preview.$get({ query: { token } })),
    retry: false,
  });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const reset = useMutation({ mutationFn: () => ok(api.auth.reset.$post({ json: { token, password } })) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password === repeat) reset.mutate();
  };
  return (
    <main className="login-page">
      <form className="card login" onSubmit={submit} aria-labelledby="reset-title">
        <h1 id="reset-title">Set a new password</h1>
        {preview.isPending ? <Loading /> : null}
        {preview.error ? <LinkProblem error={preview.error} /> : null}
        {reset.isSuccess ? (
          <p role="status">
            Your password is changed and every session of yours has ended. <a href="/">Sign in</a>
          </p>
        ) : preview.data ? (
          <>
            <p>
              For <strong>{preview.data.reset.email}</strong>.
            </p>
            <PasswordFields
              password={password}
              setPassword={setPassword}
              repeat={repeat}
              setRepeat={setRepeat}
            />
            {reset.error ? <ErrorState error={reset.error} /> : null}
            <button type="submit" className="primary" disabled={reset.isPending || password !== repeat}>
              Set password
            </button>
          </>
        ) : null}
      </form>
    </main>
  );
}
