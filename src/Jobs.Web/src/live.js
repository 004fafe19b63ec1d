// Live updates. With the API's server-sent events (GET /api/events?type=…, GET /api/jobs/{id}/events) the page
// reacts to each event; where this server has no event stream it polls instead. The server says which routes it
// has (config.features), so the page never asks for one that is not there.
//
// Events are read loosely: whatever the event's name, a JSON body naming a job (jobId or id) is passed on as a
// hint, and every event asks for a refresh. The listeners refetch what they show, so an event missed while the
// stream reconnects costs nothing but a little latency.

const POLL_MS = 2000;
const DETAIL_POLL_MS = 1000;
const EVENT_NAMES = ['message', 'status', 'progress', 'log', 'deleted', 'job', 'counts'];

function parse(event) {
  try {
    const data = JSON.parse(event.data);
    return { kind: event.type, jobId: data?.jobId ?? data?.id ?? null, data };
  } catch {
    return { kind: event.type, jobId: null, data: null };
  }
}

/**
 * Watches one job type. onChange(hint) is called at most once per animation-free throttle window; hint is the
 * latest parsed event, or null for a poll tick.
 */
export function watchType(features, type, onChange) {
  if (features.events) {
    return stream(`/api/events?type=${encodeURIComponent(type)}`, onChange, POLL_MS);
  }

  return poll(onChange, POLL_MS);
}

/** Watches one job, for its detail view. */
export function watchJob(features, id, onChange) {
  if (features.jobEvents) {
    return stream(`/api/jobs/${encodeURIComponent(id)}/events`, onChange, DETAIL_POLL_MS);
  }

  return poll(onChange, DETAIL_POLL_MS);
}

function throttle(onChange, ms) {
  let timer = null;
  let pending = null;
  return {
    push(hint) {
      pending = hint;
      if (timer === null) {
        timer = setTimeout(() => {
          timer = null;
          const hint = pending;
          pending = null;
          onChange(hint);
        }, ms);
      }
    },
    stop() {
      clearTimeout(timer);
      timer = null;
    },
  };
}

function stream(url, onChange, fallbackMs) {
  // EventSource reconnects by itself and sends Last-Event-ID; if the stream fails for good (closed), poll.
  const throttled = throttle(onChange, 150);
  const source = new EventSource(url, { withCredentials: true });
  let fallback = null;
  const handler = (event) => throttled.push(parse(event));
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, handler);
  }

  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && fallback === null) {
      fallback = poll(onChange, fallbackMs);
    }
  });
  return () => {
    source.close();
    throttled.stop();
    fallback?.();
  };
}

function poll(onChange, ms) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) {
      return;
    }

    if (document.visibilityState === 'visible') {
      try {
        await onChange(null);
      } catch {
        // The listener shows its own errors; polling goes on.
      }
    }

    if (!stopped) {
      timer = setTimeout(tick, ms);
    }
  };
  timer = setTimeout(tick, ms);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
