import { ACCESS_TOKEN_ALGORITHMS, ASYMMETRIC_ALGORITHMS, type AccessTokenAlgorithm } from '../access-token';

/** The allow-list, refusing at start-up anything that is not an asymmetric signature algorithm. */
export function acceptedAlgorithms(requested?: readonly string[]): AccessTokenAlgorithm[] {
  const algorithms = requested && requested.length > 0 ? [...requested] : [...ACCESS_TOKEN_ALGORITHMS];
  for (const algorithm of algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(`AuthModule: algorithm ${algorithm} is not allowed (asymmetric signatures only; never none or HS*)`);
    }
  }
  return algorithms as AccessTokenAlgorithm[];
}
