import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
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
const MyBookings = page(() => import('../features/my-bookings/MyBookingsPage'), 'MyBookingsPage');
const Notifications = page(() => import('../features/account/NotificationsPage'), 'NotificationsPage');
const Account = page(() => import('../features/account/AccountPage'), 'AccountPage');
const SignIn = page(() => import('../features/auth/SignInPage'), 'SignInPage');
const Register = page(() => import('../features/auth/RegisterPage'), 'RegisterPage');
const Dashboard = page(() => import('../features/provider/DashboardPage'), 'DashboardPage');
const ListingEditor = page(() => import('../features/provider/ListingEditorPage'), 'ListingEditorPage');
const NewListing = page(() => import('../features/provider/NewListingPage'), 'NewListingPage');
const Admin = page(() => import('../features/admin/AdminPage'), 'AdminPage');

const staff = ['provider', 'staff'] as const;

export const routes = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/search', element: <Search /> },
      { path: '/providers/:id', element: <Profile /> },
      { path: '/book', element: <Book /> },
      { path: '/book/slot', element: <SlotLink /> },
      { path: '/checkout/:intentId', element: <Checkout /> },
      { path: '/pay/:bookingId', element: <StripePay /> },
      { path: '/sign-in', element: <SignIn /> },
      { path: '/register', element: <Register /> },
      {
        path: '/bookings',
        element: (
          <RequireRole>
            <MyBookings />
          </RequireRole>
        ),
      },
      {
        path: '/bookings/:id',
        element: (
          <RequireRole>
            <BookingDetail />
          </RequireRole>
        ),
      },
      {
        path: '/notifications',
        element: (
          <RequireRole>
            <Notifications />
          </RequireRole>
        ),
      },
      {
        path: '/account',
        element: (
          <RequireRole>
            <Account />
          </RequireRole>
        ),
      },
      {
        path: '/provider',
        element: (
          <RequireRole roles={staff}>
            <Dashboard />
          </RequireRole>
        ),
      },
      {
        path: '/provider/listings/new',
        element: (
          <RequireRole roles={staff}>
            <NewListing />
          </RequireRole>
        ),
      },
      {
        path: '/provider/listings/:id',
        element: (
          <RequireRole roles={staff}>
            <ListingEditor />
          </RequireRole>
        ),
      },
      {
        path: '/admin/*',
        element: (
          <RequireRole roles={['admin']}>
            <Admin />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const makeRouter = () => createBrowserRouter(routes);
