/** What to do when AWS could not be called as anyone: no credentials found, or credentials AWS rejects. */

const MISSING = new Set(["CredentialsProviderError"]);
const REJECTED = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
]);

/** The fix for a credentials error named `name`, or undefined when it is not one. */
export function credentialsHint(name: string): string | undefined {
  if (MISSING.has(name)) {
    return (
      "No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; in GitHub " +
      "Actions, run aws-actions/configure-aws-credentials before this step (with permissions: id-token: write for OIDC)."
    );
  }
  if (REJECTED.has(name)) {
    return (
      "AWS rejected the credentials: they are expired, for another partition, or their secret is wrong; " +
      "refresh them (aws-actions/configure-aws-credentials, aws sso login) and run again."
    );
  }
  return undefined;
}
