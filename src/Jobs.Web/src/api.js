// Calls to the JSON API with the session cookie. A 401 means the session ended: back to the sign-in page.

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (problem?.errors) {
    const fields = Object.entries(problem.errors).map(([field, messages]) => `${field} ${messages.join(', ')}`);
    return fields.join('; ');
  }

  return problem?.detail || problem?.title || `The server answered ${status}.`;
}

function signInAgain() {
  const here = location.pathname + location.search;
  location.assign(`/signin?returnUrl=${encodeURIComponent(here)}`);
}

export async function call(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await fetch(path, init);
  if (response.status === 401) {
    signInAgain();
    throw new ApiError(401, { title: 'Signed out' });
  }

  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }

  return data;
}

export const api = {
  queues: () => call('GET', '/api/queues'),
  list: (query) => call('GET', `/api/jobs?${new URLSearchParams(query)}`),
  job: (id) => call('GET', `/api/jobs/${encodeURIComponent(id)}`),
  command: (id, verb) => call('POST', `/api/jobs/${encodeURIComponent(id)}/${verb}`),
  remove: (id) => call('DELETE', `/api/jobs/${encodeURIComponent(id)}`),
  pause: (type, paused) => call('POST', `/api/queues/${encodeURIComponent(type)}/${paused ? 'pause' : 'resume'}`),
  throughput: (type, minutes) => call('GET', `/api/queues/${encodeURIComponent(type)}/throughput?minutes=${minutes}`),
  bulk: (request) => call('POST', '/api/bulk', request),
};
