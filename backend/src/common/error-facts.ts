/**
 * What a log line may say of an error: its name and its database code. Never its message, which
 * can quote the values of the statement that failed, personal data among them.
 */
export function errorFacts(error: unknown): { name?: string; code?: string } {
  return { name: (error as Error)?.name, code: (error as { code?: string })?.code };
}
