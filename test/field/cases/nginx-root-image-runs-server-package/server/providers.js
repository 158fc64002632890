export async function completeWithProvider(messages) {
  return { role: 'assistant', content: `echo: ${messages.at(-1)?.content ?? ''}` };
}
