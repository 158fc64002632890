export async function* answerStream(threadId: string): AsyncGenerator<string> {
  yield `thread ${threadId}`;
}
