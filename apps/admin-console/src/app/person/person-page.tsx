import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError, unwrap } from '../api/api-error';
import { pageTitle, useDocumentTitle } from '../layout/console-layout';
import { ErrorNotice } from '../layout/error-notice';
import { useApi, useSession } from '../session/session-context';
import { PersonActions, type ActionOutcome } from './person-actions';
import { PersonAudit } from './person-audit';
import { PersonEdit } from './person-edit';
import { PersonFactors } from './person-factors';
import { DirectReports, ManagerChain } from './person-org';
import { PersonSessions } from './person-sessions';
import { formatDateTime, formatRelative, isPersonId, personKey, type Person } from './person-model';
import './person.css';

/** /console/people/:id — profile, manager chain and reports, sessions, factors, audit trail, edits and actions. */
export function PersonPage() {
  const { id } = useParams();
  if (!isPersonId(id)) return <NoSuchPerson />;
  // A new id is a new page: no state (open dialogs, notices, form values) carries over.
  return <PersonView key={id} id={id} />;
}

function NoSuchPerson() {
  useDocumentTitle(pageTitle('No such person'));
  return (
    <section className="person-page">
      <h1>No such person</h1>
      <p>
        Nobody in the directory has this address; they may have been deleted. Go back to <Link to="/people">People</Link>.
      </p>
    </section>
  );
}

function PersonView({ id }: { id: string }) {
  const api = useApi();
  const session = useSession();
  const selfId = session.kind === 'signed-in' ? session.user.id : undefined;
  const [gone, setGone] = useState<string>();
  const profile = useQuery({
    queryKey: [...personKey(id), 'profile'],
    queryFn: async () => unwrap(await api.users.GET('/users/{id}', { params: { path: { id } } })),
    enabled: gone === undefined,
  });
  useDocumentTitle(pageTitle(gone ? 'Done' : (profile.data?.fullName ?? 'Person')));

  if (gone) return <Gone text={gone} />;
  if (!profile.data) {
    if (profile.isPending) return <p className="muted">Loading…</p>;
    if (isApiError(profile.error, 'not_found') || (isApiError(profile.error) && profile.error.status === 400)) return <NoSuchPerson />;
    return (
      <section className="person-page">
        <h1>Person</h1>
        <ErrorNotice error={profile.error} onRetry={() => void profile.refetch()} />
      </section>
    );
  }
  const person = profile.data;
  const isSelf = person.id === selfId;
  const onOutcome = (outcome: ActionOutcome) => {
    if (outcome.kind === 'gone') setGone(outcome.text);
  };
  const reload = () => profile.refetch();
  return (
    <article className="person-page" aria-labelledby="person-name">
      <p className="person-back">
        <Link to="/people">
          <span aria-hidden="true">← </span>Back to People
        </Link>
      </p>
      {profile.isError && isApiError(profile.error, 'not_found') ? (
        <div className="notice notice-warn" role="alert">
          <span>This person is no longer in the directory (deleted meanwhile).</span>
        </div>
      ) : (
        profile.isError && <ErrorNotice error={profile.error} onRetry={() => void profile.refetch()} />
      )}
      <ManagerChain person={person} />
      <PersonHeading person={person} isSelf={isSelf} />
      <div className="person-grid">
        <PersonActions person={person} isSelf={isSelf} onOutcome={onOutcome} onReload={reload} />
        <PersonEdit person={person} isSelf={isSelf} onReload={reload} />
        <PersonFactors person={person} />
        <DirectReports person={person} />
      </div>
      <PersonSessions person={person} isSelf={isSelf} />
      <PersonAudit person={person} selfId={selfId} />
    </article>
  );
}

/** After a delete or revoke: the page the admin acted on is replaced, so its heading takes the focus. */
function Gone({ text }: { text: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="person-page" aria-labelledby="person-done-heading">
      {/* Described by what happened, so focusing the heading reads both. */}
      <h1 id="person-done-heading" ref={heading} tabIndex={-1} aria-describedby="person-done-text">
        Done
      </h1>
      <div className="notice notice-ok">
        <span id="person-done-text">{text}</span>
      </div>
      <p>
        <Link to="/people">Back to People</Link>
      </p>
    </section>
  );
}

const FACTOR_WORDS = { totp: 'authenticator app', webauthn: 'passkey', recovery_code: 'recovery codes' } as const;

const STATUS_LABELS: Record<Person['status'], string> = {
  active: 'Active',
  suspended: 'Suspended',
  invited: 'Invited',
  deleted: 'Deleted',
};

const STATUS_BADGES: Record<Person['status'], string> = {
  active: 'badge badge-ok',
  suspended: 'badge badge-danger',
  invited: 'badge',
  deleted: 'badge badge-danger',
};

function PersonHeading({ person, isSelf }: { person: Person; isSelf: boolean }) {
  const rows: [string, ReactNode][] = [
    [
      'Email',
      <a key="email" href={`mailto:${person.email}`}>
        {person.email}
      </a>,
    ],
    ['Email verified', person.emailVerified ? 'Yes' : 'Not yet'],
    ['Title', person.title ?? '—'],
    ['Department', person.department ?? '—'],
    ['Location', person.location ?? '—'],
    ['Phone', person.phone ?? '—'],
    ['Roles', person.roles.join(', ')],
    [
      'Second factors',
      person.secondFactors && person.secondFactors.length > 0 ? person.secondFactors.map((type) => FACTOR_WORDS[type]).join(', ') : 'None',
    ],
    ['Created', formatDateTime(person.createdAt)],
    [
      'Last sign-in',
      person.lastLoginAt ? (
        <span key="last-login">
          {formatDateTime(person.lastLoginAt)} <span className="muted">({formatRelative(person.lastLoginAt)})</span>
        </span>
      ) : (
        'Never'
      ),
    ],
  ];
  if (person.status === 'invited' && person.invitedAt) rows.push(['Invited', formatDateTime(person.invitedAt)]);
  if (person.invitedBy) rows.push(['Invited by', <Inviter key="inviter" id={person.invitedBy} />]);
  return (
    <header className="person-heading">
      <div className="person-title">
        <h1 id="person-name">{person.fullName}</h1>
        <span className={STATUS_BADGES[person.status]} data-testid="person-status">
          {STATUS_LABELS[person.status]}
        </span>
        {isSelf && <span className="badge">You</span>}
      </div>
      {person.displayName && person.displayName !== person.fullName && <p className="muted">Goes by {person.displayName}</p>}
      <dl className="person-facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}

/** The admin who invited the person, by name (they may have left: then a plain mention). */
function Inviter({ id }: { id: string }) {
  const api = useApi();
  const inviter = useQuery({
    queryKey: ['person', id, 'profile'],
    queryFn: async () => unwrap(await api.users.GET('/users/{id}', { params: { path: { id } } })),
  });
  if (inviter.data) return <Link to={`/people/${id}`}>{inviter.data.fullName}</Link>;
  return <span className="muted">{inviter.isPending ? 'Loading…' : 'an admin no longer in the directory'}</span>;
}
