import { Link } from 'react-router';
import { STATUS_LABELS, factorsText, hasPage, lastSignInText, type Person } from './people-format';
import { dateTime } from '../shared/date-time';

const formatDateTime = (date: Date) => dateTime.format(date);

const STATUS_BADGE: Record<Person['status'], string> = {
  active: 'badge badge-ok',
  suspended: 'badge badge-danger',
  invited: 'badge people-badge-invited',
  deleted: 'badge people-badge-deleted',
};

/** The people found, in the API's (name) order. `busy` while the next filter's answer is loading. */
export function PeopleTable({ people, busy }: { people: readonly Person[]; busy: boolean }) {
  return (
    // Focusable so keyboard users can scroll it sideways on narrow windows.
    <div className="people-table-scroll" role="region" aria-label="People found" tabIndex={0}>
      <table className={busy ? 'people-table people-table-busy' : 'people-table'} aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Title</th>
            <th scope="col">Department</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Email verified</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Second factors</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id}>
              <th scope="row" className="people-name">
                {/* A deleted person has no page (GET /users/:id answers 404 for them): their name only. */}
                {hasPage(person) ? <Link to={`/people/${person.id}`}>{person.fullName}</Link> : person.fullName}
                {person.displayName && person.displayName !== person.fullName && (
                  <span className="people-display-name muted">{person.displayName}</span>
                )}
              </th>
              <td className="people-email">{person.email}</td>
              <td>{person.title ?? <span className="muted">—</span>}</td>
              <td>{person.department ?? <span className="muted">—</span>}</td>
              <td>{person.roles.map((role) => (role === 'admin' ? 'Admin' : 'Member')).join(', ')}</td>
              <td>
                <span className={STATUS_BADGE[person.status]}>{STATUS_LABELS[person.status]}</span>
              </td>
              <td>{person.emailVerified ? 'Verified' : <span className="people-unverified">Not verified</span>}</td>
              <td>
                {person.lastLoginAt ? (
                  <time dateTime={person.lastLoginAt}>{lastSignInText(person.lastLoginAt, formatDateTime)}</time>
                ) : (
                  <span className="muted">{lastSignInText(person.lastLoginAt, formatDateTime)}</span>
                )}
              </td>
              <td>{factorsText(person.secondFactors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
