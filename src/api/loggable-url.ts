/** Query parameters whose names say they carry a credential. */
const CREDENTIAL_NAME = /token|secret|password|passwd|api[-_]?key|auth|signature|session/i;

/**
 * A request URL as it may be logged: the values of query parameters named like credentials are
 * replaced. The API takes tokens only in the Authorization header, but a client that puts one
 * in the query string (`?access_token=…`) must not leave it in the logs.
 */
export function loggableUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && CREDENTIAL_NAME.test(safeDecode(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
