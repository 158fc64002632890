export default defineEventHandler(async (event) => {
  const { page } = getQuery(event);
  return $fetch('https://helpdesk.example.com/api/v2/tickets', {
    query: { page },
    timeout: 10_000,
  });
});
