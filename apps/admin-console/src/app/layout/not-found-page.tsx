import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing here. Go to <Link to="/people">People</Link>.
      </p>
    </section>
  );
}
