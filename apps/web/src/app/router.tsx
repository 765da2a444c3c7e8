import { lazy, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { useRouteTitle } from '../ui/use-document-title';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { RequireRole } from './RequireRole';
import { RouteError } from './RouteError';

const page = <T extends Record<string, unknown>>(load: () => Promise<T>, name: keyof T) =>
  lazy(async () => ({ default: (await load())[name] as React.ComponentType }));

const Home = page(() => import('../features/home/HomePage'), 'HomePage');
const Search = page(() => import('../features/search/SearchPage'), 'SearchPage');
const Profile = page(() => import('../features/profile/ProfilePage'), 'ProfilePage');
const Book = page(() => import('../features/booking/BookPage'), 'BookPage');
const SlotLink = page(() => import('../features/booking/SlotLinkPage'), 'SlotLinkPage');
const Checkout = page(() => import('../features/booking/CheckoutPage'), 'CheckoutPage');
const StripePay = page(() => import('../features/booking/StripePayPage'), 'StripePayPage');
const BookingDetail = page(() => import('../features/my-bookings/BookingDetailPage'), 'BookingDetailPage');
const Series = page(() => import('../features/series/SeriesPage'), 'SeriesPage');
const MyBookings = page(() => import('../features/my-bookings/MyBookingsPage'), 'MyBookingsPage');
const Notifications = page(() => import('../features/account/NotificationsPage'), 'NotificationsPage');
const Account = page(() => import('../features/account/AccountPage'), 'AccountPage');
const SignIn = page(() => import('../features/auth/SignInPage'), 'SignInPage');
const Register = page(() => import('../features/auth/RegisterPage'), 'RegisterPage');
const ForgotPassword = page(() => import('../features/auth/ForgotPasswordPage'), 'ForgotPasswordPage');
const ResetPassword = page(() => import('../features/auth/ResetPasswordPage'), 'ResetPasswordPage');
const VerifyEmail = page(() => import('../features/auth/VerifyEmailPage'), 'VerifyEmailPage');
const AcceptInvitation = page(() => import('../features/auth/AcceptInvitationPage'), 'AcceptInvitationPage');
const Dashboard = page(() => import('../features/provider/DashboardPage'), 'DashboardPage');
const ListingEditor = page(() => import('../features/provider/ListingEditorPage'), 'ListingEditorPage');
const NewListing = page(() => import('../features/provider/NewListingPage'), 'NewListingPage');
const Waitlist = page(() => import('../features/waitlist/WaitlistPage'), 'WaitlistPage');
const Admin = page(() => import('../features/admin/AdminPage'), 'AdminPage');

const staff = ['provider', 'staff'] as const;

/** Every route names itself in the tab title; pages with data refine it (a provider's name). */
function Titled({ title, children }: { title: string; children: ReactNode }) {
  useRouteTitle(title);
  return children;
}
const titled = (title: string, element: ReactNode) => <Titled title={title}>{element}</Titled>;

export const routes = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: titled('Carebook', <Home />) },
      { path: '/search', element: titled('Find care', <Search />) },
      { path: '/providers/:id', element: titled('Provider', <Profile />) },
      { path: '/book', element: titled('Book an appointment', <Book />) },
      { path: '/book/slot', element: titled('Book this time', <SlotLink />) },
      { path: '/checkout/:intentId', element: titled('Checkout', <Checkout />) },
      { path: '/pay/:bookingId', element: titled('Payment', <StripePay />) },
      { path: '/sign-in', element: titled('Sign in', <SignIn />) },
      { path: '/register', element: titled('Create an account', <Register />) },
      { path: '/forgot-password', element: titled('Reset your password', <ForgotPassword />) },
      { path: '/reset-password', element: titled('Choose a new password', <ResetPassword />) },
      { path: '/verify-email', element: titled('Confirm your e-mail address', <VerifyEmail />) },
      { path: '/accept-invitation', element: titled('Join a practice', <AcceptInvitation />) },
      {
        path: '/bookings',
        element: titled(
          'My bookings',
          <RequireRole>
            <MyBookings />
          </RequireRole>,
        ),
      },
      {
        path: '/bookings/:id',
        element: titled(
          'Booking',
          <RequireRole>
            <BookingDetail />
          </RequireRole>,
        ),
      },
      {
        path: '/series/:id',
        element: titled(
          'Recurring visits',
          <RequireRole>
            <Series />
          </RequireRole>,
        ),
      },
      {
        path: '/waitlist',
        element: titled(
          'My waitlist',
          <RequireRole>
            <Waitlist />
          </RequireRole>,
        ),
      },
      {
        path: '/notifications',
        element: titled(
          'Notifications',
          <RequireRole>
            <Notifications />
          </RequireRole>,
        ),
      },
      {
        path: '/account',
        element: titled(
          'Account',
          <RequireRole>
            <Account />
          </RequireRole>,
        ),
      },
      {
        path: '/provider',
        element: titled(
          'Dashboard',
          <RequireRole roles={staff}>
            <Dashboard />
          </RequireRole>,
        ),
      },
      {
        path: '/provider/listings/new',
        element: titled(
          'New listing',
          <RequireRole roles={staff}>
            <NewListing />
          </RequireRole>,
        ),
      },
      {
        path: '/provider/listings/:id',
        element: titled(
          'Edit listing',
          <RequireRole roles={staff}>
            <ListingEditor />
          </RequireRole>,
        ),
      },
      {
        path: '/admin/*',
        element: titled(
          'Administration',
          <RequireRole roles={['admin']}>
            <Admin />
          </RequireRole>,
        ),
      },
      { path: '*', element: titled('Page not found', <NotFound />) },
    ],
  },
];

export const makeRouter = () => createBrowserRouter(routes);
