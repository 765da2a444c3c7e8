import { useNavigate } from 'react-router';
import { searchActions } from '../../app/search-slice';
import { useAppDispatch } from '../../app/store';
import { SearchBox } from '../search/SearchBox';
import './home.css';

const shortcuts = [
  'General practice',
  'Dermatology',
  'Physiotherapy',
  'Dentistry',
  'Pediatrics',
  'Psychology',
];

export function HomePage() {
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const go = (q: string) => {
    dispatch(searchActions.setQuery(q));
    navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  };
  return (
    <div className="home">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Book care near you</h1>
        <p className="lead">
          Find practitioners and clinics by specialty, language and insurance. Pick a time that suits you and
          follow your booking live.
        </p>
        <SearchBox initial="" onSearch={go} large />
        <ul className="chips" aria-label="Popular searches">
          {shortcuts.map((s) => (
            <li key={s}>
              <button type="button" className="chip" onClick={() => go(s)}>
                {s}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="features" aria-label="Why Carebook">
        <div>
          <h2>Real availability</h2>
          <p>Every slot you see is open now, shown in your time zone or the clinic's.</p>
        </div>
        <div>
          <h2>Pay securely</h2>
          <p>Pay when you book; cancel within the clinic's policy and you are refunded.</p>
        </div>
        <div>
          <h2>Live status</h2>
          <p>Your booking updates the moment the clinic confirms, moves or completes it.</p>
        </div>
      </section>
    </div>
  );
}
