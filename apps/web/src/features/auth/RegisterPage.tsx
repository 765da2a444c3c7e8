import { SignInPage } from './SignInPage';

export function RegisterPage() {
  return <SignInPage mode="register" />;
}
