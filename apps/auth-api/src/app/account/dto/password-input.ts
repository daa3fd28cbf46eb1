/**
 * Longest password string a request may carry. The policy allows 128 characters; this
 * looser bound only keeps absurd inputs away from argon2 and lets the policy answer with
 * its own message.
 */
export const PASSWORD_INPUT_MAX = 512;
