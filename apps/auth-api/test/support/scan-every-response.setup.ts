import { findSecrets, recordServedResponses } from './served-responses';

/**
 * Jest setup for every auth-api test file: records each HTTP response served while the file
 * runs and fails the file if any carried a password hash, the word "secret" or the stored
 * hash of a refresh token (issue 3: "every response body in the suite is scanned").
 */
const recording = recordServedResponses();

afterAll(() => {
  recording.stop();
  const findings = findSecrets(recording.responses);
  if (findings.length > 0) {
    const lines = findings.map((finding) => `  ${finding.request}: ${finding.what}`).join('\n');
    throw new Error(`${findings.length} response(s) leaked secrets:\n${lines}`);
  }
});
