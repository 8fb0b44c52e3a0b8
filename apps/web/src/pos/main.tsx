import { createRoot } from 'react-dom/client';
import { LocaleProvider } from '../shared/i18n';
import { PosApp } from './ui/PosApp';
import './pos.css';

// The till is its own entry (pos.html), full screen and keyboard first, outside the back-office layout.
// Its service worker (public/pos/sw.js, scope /pos/) keeps the app shell available offline.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/pos/sw.js', { scope: '/pos/' }).catch((e) => console.warn('service worker', e));
  });
}

createRoot(document.getElementById('root')!).render(
  <LocaleProvider>
    <PosApp />
  </LocaleProvider>,
);
