import { ValidationError } from '@shannon/errors';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
const EMAIL = /^[^\s@"'<>\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const USERNAME = /^[A-Za-z0-9_.-]{3,50}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface RegistrationInput {
  email: string;
  username: string;
  password: string;
  fullName?: string;
}

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The auth service's own checks (gRPC input is never trusted); messages name the field. */
export function parseRegistration(input: RegistrationInput): RegistrationInput {
  const email = normalizeEmail(input.email);
  if (!email) {
    throw new ValidationError('email is required');
  }
  if (email.length > 254 || !EMAIL.test(email)) {
    throw new ValidationError('email must be a valid email address');
  }
  const username = input.username.trim();
  if (!USERNAME.test(username)) {
    throw new ValidationError('username must be 3 to 50 letters, digits, dots, dashes or underscores');
  }
  checkPassword(input.password);
  const fullName = input.fullName?.trim() || undefined;
  if (fullName && (fullName.length > 100 || CONTROL.test(fullName))) {
    throw new ValidationError('full_name must be at most 100 printable characters');
  }
  return { email, username, password: input.password, fullName };
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new ValidationError(`password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new ValidationError(`password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
}
