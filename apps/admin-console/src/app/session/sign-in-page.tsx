import { useState, type FormEvent } from 'react';
import type { AuthApi } from '@directory/client';
import { ApiError, isApiError, unwrap } from '../api/api-error';
import { useSessionStore } from './session-context';
import './sign-in.css';

type Challenge = AuthApi.components['schemas']['MfaChallengeDto'];
type SecondStep = 'totp' | 'recovery_code';

/** What a refused sign-in means for the person typing, by the service's code. */
function signInError(error: unknown): string {
  if (isApiError(error, 'invalid_credentials')) return 'Wrong email or password.';
  if (isApiError(error, 'email_not_verified')) return 'Confirm your email address first: follow the link we mailed you.';
  if (isApiError(error, 'invalid_second_factor')) return 'That code or passkey did not work. Try again.';
  if (isApiError(error, 'passkey_invalid')) return 'That passkey did not sign you in.';
  if (isApiError(error, 'rate_limited') || isApiError(error, 'account_locked'))
    return `Too many attempts. ${error instanceof ApiError ? error.message : ''}`.trim();
  if (isApiError(error) && error.code.startsWith('token_')) return 'The sign-in took too long. Start again.';
  if (error instanceof DOMException) return 'The passkey prompt was closed or timed out.';
  if (isApiError(error)) return error.message;
  return 'The service could not be reached; try again.';
}

// Loaded when a passkey is used, so the first load stays small.
const webauthn = () => import('@simplewebauthn/browser');

/**
 * Sign-in through auth-api with the same rules as any client: password, then the account's
 * second factor when it has one (code, recovery code or passkey), or a passkey alone.
 */
export function SignInPage({ notice }: { notice?: string }) {
  const store = useSessionStore();
  const api = store.api;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<Challenge>();
  const [step, setStep] = useState<SecondStep>('totp');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      if (isApiError(caught) && caught.code.startsWith('token_')) setChallenge(undefined);
      setError(signInError(caught));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = unwrap(await api.auth.POST('/auth/login', { body: { email, password } }));
      if ('mfaRequired' in answer) {
        setChallenge(answer);
        setStep(answer.methods.includes('totp') ? 'totp' : 'recovery_code');
        setCode('');
      } else await store.signIn(answer);
    });
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge) return;
    const factor = step === 'totp' ? { totp: code.replace(/\s/g, '') } : { recoveryCode: code.trim() };
    void run(async () =>
      store.signIn(unwrap(await api.auth.POST('/auth/mfa/verify', { body: { challenge: challenge.challenge, ...factor } }))),
    );
  };

  const usePasskeyForChallenge = () => {
    if (!challenge?.webauthn) return;
    void run(async () => {
      const { startAuthentication } = await webauthn();
      const response = await startAuthentication({ optionsJSON: challenge.webauthn as never });
      await store.signIn(
        unwrap(await api.auth.POST('/auth/mfa/verify', { body: { challenge: challenge.challenge, webauthn: response as never } })),
      );
    });
  };

  const signInWithPasskey = () =>
    void run(async () => {
      const { options } = unwrap(await api.auth.POST('/auth/passkeys/options'));
      const { startAuthentication } = await webauthn();
      const response = await startAuthentication({ optionsJSON: options as never });
      await store.signIn(unwrap(await api.auth.POST('/auth/passkeys/login', { body: { response: response as never } })));
    });

  return (
    <main id="main" className="centered-card sign-in">
      <h1>Directory console</h1>
      {notice && (
        <p className="notice notice-warn" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!challenge ? (
        <>
          <form onSubmit={submitPassword} aria-label="Sign in">
            <div className="form-row">
              <label htmlFor="sign-in-email">Email</label>
              <input
                id="sign-in-email"
                type="email"
                autoComplete="username webauthn"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div className="form-row">
              <label htmlFor="sign-in-password">Password</label>
              <input
                id="sign-in-password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <button type="submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
          <p className="sign-in-alternatives">
            <button type="button" className="button-quiet" onClick={signInWithPasskey} disabled={busy}>
              Sign in with a passkey
            </button>
            <a href="/account/forgot-password">Forgot your password?</a>
          </p>
        </>
      ) : (
        <form onSubmit={submitCode} aria-label="Second factor">
          <h2>Second step</h2>
          <p>Your account asks for a second factor.</p>
          {(challenge.methods.includes('totp') || challenge.methods.includes('recovery_code')) && (
            <>
              <fieldset className="sign-in-methods">
                <legend>Use</legend>
                {challenge.methods.includes('totp') && (
                  <label>
                    <input type="radio" name="method" checked={step === 'totp'} onChange={() => setStep('totp')} /> Authenticator app code
                  </label>
                )}
                {challenge.methods.includes('recovery_code') && (
                  <label>
                    <input type="radio" name="method" checked={step === 'recovery_code'} onChange={() => setStep('recovery_code')} />{' '}
                    Recovery code
                  </label>
                )}
              </fieldset>
              <div className="form-row">
                <label htmlFor="sign-in-code">{step === 'totp' ? 'Six-digit code' : 'Recovery code'}</label>
                <input
                  id="sign-in-code"
                  autoComplete="one-time-code"
                  inputMode={step === 'totp' ? 'numeric' : 'text'}
                  required
                  autoFocus
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
              </div>
              <button type="submit" disabled={busy}>
                {busy ? 'Checking…' : 'Continue'}
              </button>
            </>
          )}
          {challenge.webauthn && (
            <p>
              <button type="button" className="button-quiet" onClick={usePasskeyForChallenge} disabled={busy}>
                Use a passkey
              </button>
            </p>
          )}
          <p>
            <button type="button" className="button-quiet" onClick={() => setChallenge(undefined)}>
              Start again
            </button>
          </p>
        </form>
      )}
    </main>
  );
}
