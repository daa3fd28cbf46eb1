export * from './lib/registry';
export * from './lib/schema-registry';

export * from './lib/shared/normalize';
export * from './lib/shared/patterns';
export * from './lib/shared/schema-options';
export { UnsupportedUpdateError } from './lib/shared/update-document';

export * from './lib/user/user.constants';
export * from './lib/user/user.types';
export * from './lib/user/user.schema';
export {
  USER_DERIVED_PATHS,
  USER_KEY_INPUT_PATHS,
  userProfileKeys,
  userSearchKeys,
  userSearchPrefix,
  userSearchPrefixes,
  userSearchFilter,
  SEARCH_PREFIX_MAX,
  userSignupKeys,
  userSortName,
  type UserKeyInputPath,
  type UserKeyInputs,
} from './lib/user/user-keys';

export * from './lib/auth/session.schema';

export * from './lib/event/event.constants';
export * from './lib/event/event.types';
export * from './lib/event/event.schema';
export * from './lib/event/event-kinds.schema';

export * from './lib/activity/activity.schema';

export * from './lib/mail/mail.constants';
export * from './lib/mail/outbox-message.schema';
