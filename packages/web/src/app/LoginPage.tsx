// The sign-in page of authenticated mode: email and password, checked by the host (better-auth). Errors come back
// in the host's words ("Invalid email or password", "Too many requests…"); the button shows progress meanwhile.
import { CircleAlert, Paperclip } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { useSignIn } from "@/api/account";
import { errorMessage, isApiError } from "@/api/client";
import { Button, Field, Input } from "@/components/ui";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function signInError(error: unknown): string {
  if (isApiError(error) && error.status === 429) {
    return "Too many sign-in attempts from this address. Wait a minute, then try again.";
  }
  return errorMessage(error);
}

export function LoginPage() {
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    document.title = "Sign in · Paperclip";
  }, []);

  const emailError = touched && !EMAIL.test(email.trim()) ? "Enter your email address" : null;
  const passwordError = touched && password === "" ? "Enter your password" : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!EMAIL.test(email.trim()) || password === "") return;
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <main className="flex min-h-dvh items-center justify-center bg-sidebar p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center text-center">
          <div
            aria-hidden
            className="mb-4 flex size-12 items-center justify-center rounded-xl bg-primary text-primary-foreground shadow-sm"
          >
            <Paperclip className="size-6" />
          </div>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Paperclip</h1>
          <p className="mt-1.5 text-sm text-muted-foreground">{window.location.host}</p>
        </div>
        <div className="rounded-2xl border bg-card p-6 shadow-sm">
          <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sign in">
            {signIn.error ? (
              <div
                role="alert"
                className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/8 px-3 py-2 text-sm text-destructive"
              >
                <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
                <span>{signInError(signIn.error)}</span>
              </div>
            ) : null}
            <Field label="Email" error={emailError}>
              <Input
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                value={email}
                placeholder="you@example.com"
                className="h-9"
                onChange={(event) => setEmail(event.target.value)}
              />
            </Field>
            <Field label="Password" error={passwordError}>
              <Input
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                className="h-9"
                onChange={(event) => setPassword(event.target.value)}
              />
            </Field>
            <Button type="submit" size="lg" className="mt-1 w-full" loading={signIn.isPending}>
              {signIn.isPending ? "Signing in…" : "Sign in"}
            </Button>
          </form>
        </div>
        <p className="mt-5 text-center text-xs leading-relaxed text-muted-foreground">
          No account yet? An instance admin creates one for you
          <br />(<code className="font-mono">paperclip user create</code>).
        </p>
      </div>
    </main>
  );
}
