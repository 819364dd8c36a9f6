/**
 * The text with the password of every URL in it (`scheme://user:password@…`) replaced by `***`:
 * what robustfair prints or writes of a command line or a queue URL (a Redis URL's password must
 * never reach a terminal, a log or a results file). A password may hold `@` or `:`; everything
 * up to the last `@` before the next space, `/`, `?` or `#` counts as password.
 */
export function redactUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@?#]*:)[^\s/?#]*@/gi, (_match, head: string) => `${head}***@`);
}
