import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { SessionStore } from './app/session/session-store';
import './styles.css';

// Same origin as every API (the gateway): no base URL to configure, no CORS.
const store = new SessionStore(window.location.origin);

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
