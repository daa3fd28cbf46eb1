import type { PasskeyDeviceType } from '@directory/credentials';

/** RFC 8176 method values a second factor adds to a session's `amr`. */
export type SecondFactorAmr = 'otp' | PasskeyAmr;

/** RFC 8176: `hwk` proof of a hardware-bound key, `swk` of a software (synced) one. */
export type PasskeyAmr = 'hwk' | 'swk';
export const passkeyAmr = (deviceType: PasskeyDeviceType): PasskeyAmr => (deviceType === 'singleDevice' ? 'hwk' : 'swk');
