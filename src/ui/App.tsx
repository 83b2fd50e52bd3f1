/** Placeholder shell until the kiosk screens land (issue: the kiosk). */
export function App() {
  return (
    <main>
      <h1>Consent Kiosk</h1>
      <p>Asking everyone's permission before a children's services meeting is recorded.</p>
    </main>
  );
}
