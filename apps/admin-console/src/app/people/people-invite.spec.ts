import { ApiError } from '../api/api-error';
import { invitationBody, inviteProblem, type InviteForm } from './people-invite';

const form: InviteForm = { email: ' grace@example.com ', first: ' Grace', last: 'Hopper ', department: '', title: '  ', role: 'member' };

describe('invitationBody', () => {
  it('trims and leaves blank optional fields out', () => {
    expect(invitationBody(form)).toEqual({ email: 'grace@example.com', name: { first: 'Grace', last: 'Hopper' }, roles: ['member'] });
  });

  it('keeps department and title, and makes an admin a member too', () => {
    expect(invitationBody({ ...form, department: ' Navy ', title: 'Rear admiral', role: 'admin' })).toEqual({
      email: 'grace@example.com',
      name: { first: 'Grace', last: 'Hopper' },
      roles: ['member', 'admin'],
      department: 'Navy',
      title: 'Rear admiral',
    });
  });
});

describe('inviteProblem', () => {
  it('puts a taken address next to the email field', () => {
    expect(inviteProblem(new ApiError(409, 'email_taken', 'Email already registered'))).toMatchObject({ field: 'email' });
  });

  it('shows a validation failure with the service message, for the whole form', () => {
    const problem = inviteProblem(new ApiError(400, 'validation_failed', 'email must be an email'));
    expect(problem.field).toBeUndefined();
    expect(problem.message).toContain('email must be an email');
  });

  it('says when the service could not be reached', () => {
    expect(inviteProblem(new TypeError('Failed to fetch')).message).toMatch(/could not be reached/);
  });
});
