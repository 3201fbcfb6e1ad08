import { type FormEvent, useState } from 'react';
import { ApiError } from '../lib/api';
import { useLogin } from '../lib/session';
import { useTitle } from '../lib/title';

export function Login() {
  useTitle('Sign in');
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password });
  };
  const error = login.error;
  let message: string | null = null;
  if (error instanceof ApiError && error.status === 401) message = 'Wrong e-mail address or password.';
  else if (error instanceof ApiError && error.status === 429)
    message = 'Too many failed attempts. Wait a few minutes and try again.';
  else if (error) message = error.message;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <main> would read as "signed in" to the browser tests' `main h1`; the role gives the landmark
    <div className="login-page" role="main">
      <form className="card login" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Pitchline</h1>
        <label>
          E-mail
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
