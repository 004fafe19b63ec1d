// Entry point of the jobs page. The API renders the HTML with a JSON block (#jobs-config) saying who is signed in,
// which job types to show and which optional API routes this server has.

import './styles.css';
import { JobsPage } from './app.js';

const config = JSON.parse(document.getElementById('jobs-config')?.textContent ?? 'null');
const root = document.getElementById('app');
if (config && root) {
  const page = new JobsPage(root, config);
  window.jobsPage = page;
  page.start();
}
