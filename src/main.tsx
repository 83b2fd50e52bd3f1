import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/atkinson-hyperlegible/400.css';
import '@fontsource/atkinson-hyperlegible/700.css';
import './shared/i18n';
import './shell/styles.css';
import { App, startBoot } from './shell/App';

// The database opens while React renders the loading screen.
performance.mark('boot:start');
void startBoot();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
