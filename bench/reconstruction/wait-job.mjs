// Waits on a project's job WebSocket (/ws/jobs/{project_id}) for the end of its next job, as an API client would:
// prints "connected" once the socket is open, then the first job_completed / job_failed / job_cancelled event as one
// JSON line, and exits. Asleep on the socket meanwhile, so waiting takes no CPU from the job being timed.
// Usage: node wait-job.mjs ws://host:port/ws/jobs/ID TOKEN
const [url, token] = process.argv.slice(2);
const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
const timer = setTimeout(() => { console.error('no job ended within 30 minutes'); process.exit(2); }, 30 * 60 * 1000);
socket.onmessage = ({ data }) => {
  const event = JSON.parse(data);
  if (event.type === 'connected') console.log('connected');
  else if (['job_completed', 'job_failed', 'job_cancelled'].includes(event.type)) {
    console.log(JSON.stringify(event));
    clearTimeout(timer);
    socket.close();
  }
};
socket.onerror = (e) => { console.error(`websocket error: ${e.message ?? e}`); process.exit(1); };
socket.onclose = () => process.exit(0);
