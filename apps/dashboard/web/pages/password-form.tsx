/** The token of a one-time link (/invite?token=…, /reset?token=…), empty when missing. */
export function tokenFromLocation(): string {
  return new URLSearchParams(window.location.search).get('token') ?? '';
}

/** A new password typed twice; the API asks for at least 12 characters. */
export function PasswordFields({
  password,
  setPassword,
  repeat,
  setRepeat,
}: {
  password: string;
  setPassword: (v: string) => void;
  repeat: string;
  setRepeat: (v: string) => void;
}) {
  return (
    <>
      <label>
        New password <span className="muted">(at least 12 characters)</span>
        <input
          name="new-password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          maxLength={1024}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <label>
        Repeat it
        <input
          name="repeat-password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </label>
      {repeat && password !== repeat ? <p className="form-error">The two passwords differ.</p> : null}
    </>
  );
}

/** A refused one-time link (unknown, used, expired): the server's sentence, under a plain title. */
export function LinkProblem({ error }: { error: unknown }) {
  return (
    <div className="state error" role="alert">
      <strong>This link cannot be used</strong>
      <div>{error instanceof Error ? error.message : String(error)}</div>
    </div>
  );
}
